package claimsfile

import yaml "go.yaml.in/yaml/v3"

// nodeKind is what a node is: a scalar, a mapping or a list.
type nodeKind uint8

const (
	scalarNode nodeKind = iota + 1
	mappingNode
	sequenceNode
)

// node is one value of a claims file, with its place: the tree the
// decoder reads. The JSON scanner builds it directly; YAML files are
// parsed by yaml.v3 and their node tree converted (fromYAML).
type node struct {
	kind nodeKind
	// tag is the resolved short tag of a scalar (!!str, !!null, !!bool,
	// !!int, !!float, !!timestamp ...), as yaml.v3's ShortTag gives it.
	tag          string
	value        string // a scalar's text
	line, column int
	content      []*node // a mapping's keys and values in turn, or a list's items
}

// fromYAML converts a yaml.v3 node (checked by check: no aliases) and its
// content. A document node becomes its content: nil for an empty
// document.
func fromYAML(n *yaml.Node) *node {
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		return fromYAML(n.Content[0])
	}
	out := &node{line: n.Line, column: n.Column}
	switch n.Kind {
	case yaml.MappingNode:
		out.kind = mappingNode
	case yaml.SequenceNode:
		out.kind = sequenceNode
	default:
		out.kind, out.tag, out.value = scalarNode, n.ShortTag(), n.Value
		return out
	}
	out.content = make([]*node, len(n.Content))
	for i, c := range n.Content {
		out.content[i] = fromYAML(c)
	}
	return out
}
