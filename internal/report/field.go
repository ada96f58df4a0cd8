package report

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// FieldAt returns the path of the YAML value at line:col of a definitions file, such as
// "kpis[2].target.direction" ("" when none starts there or the file does not parse). A
// mapping wins over its first key, which starts at the same place: a finding about a whole
// entity names the entity ("kpis[2]"), not its first field.
func FieldAt(data []byte, line, col int) string {
	var doc yaml.Node
	if line <= 0 || yaml.Unmarshal(data, &doc) != nil {
		return ""
	}
	path, _ := find(&doc, line, col, "")
	return path
}

// find searches n for the node at line:col and returns its path below prefix.
func find(n *yaml.Node, line, col int, prefix string) (string, bool) {
	if n.Kind != yaml.DocumentNode && n.Line == line && n.Column == col && n.Kind != yaml.AliasNode {
		return prefix, true
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if p, ok := find(c, line, col, prefix); ok {
				return p, true
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if p, ok := find(c, line, col, prefix+"["+strconv.Itoa(i)+"]"); ok {
				return p, true
			}
		}
	case yaml.MappingNode:
		return findInMapping(n, line, col, prefix)
	}
	return "", false
}

// findInMapping looks at each key and its value; a key's own position names the key.
func findInMapping(n *yaml.Node, line, col int, prefix string) (string, bool) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		p := key.Value
		if prefix != "" {
			p = prefix + "." + key.Value
		}
		if key.Line == line && key.Column == col {
			return p, true
		}
		if q, ok := find(val, line, col, p); ok {
			return q, true
		}
	}
	return "", false
}
