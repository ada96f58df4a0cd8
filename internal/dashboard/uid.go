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
func TeamUID(team string) string {
	uid := definition.TeamUIDPrefix + sanitizeUID(team)
	if len(uid) <= maxUIDLen {
		return uid
	}
	sum := sha256.Sum256([]byte(team))
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
