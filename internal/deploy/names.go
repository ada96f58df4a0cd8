package deploy

import "strings"

// dnsName turns a kpic name (snake_case, maybe with slashes) into a Kubernetes object name:
// lowercase letters, digits and dashes, starting and ending with an alphanumeric.
func dnsName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

// flatKey turns a path below a folder into a ConfigMap key, which must not contain slashes.
func flatKey(rel string) string { return strings.ReplaceAll(rel, "/", "_") }
