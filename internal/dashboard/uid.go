package dashboard

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/kpic/kpic/internal/definition"
)

// maxUIDLen is Grafana's limit on dashboard uids.
const maxUIDLen = 40

// TeamUID is the uid of a team's dashboard: the prefix and the team name, shortened with a
// stable hash when longer than Grafana allows, so links stay valid across builds.
func TeamUID(team string) string { return uidOf(definition.TeamUIDPrefix, team) }

// ObjectiveUID is the uid of an objective's scorecard, made like TeamUID.
func ObjectiveUID(objective string) string { return uidOf(ObjectiveUIDPrefix, objective) }

// ObjectiveUIDPrefix starts the uid of every objective's scorecard.
const ObjectiveUIDPrefix = "kpic-objective-"

// uidOf is prefix and name, with the characters Grafana refuses replaced, shortened with a
// stable hash of name when longer than Grafana allows.
func uidOf(prefix, name string) string {
	uid := prefix + sanitizeUID(name)
	if len(uid) <= maxUIDLen {
		return uid
	}
	sum := sha256.Sum256([]byte(name))
	suffix := "-" + hex.EncodeToString(sum[:])[:8]
	return strings.TrimRight(uid[:maxUIDLen-len(suffix)], "-_") + suffix
}

// sanitizeUID keeps the characters Grafana accepts in uids (letters, digits, - and _).
func sanitizeUID(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '-'
	}, s)
}
