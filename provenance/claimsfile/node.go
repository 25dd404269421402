package claimsfile

import yaml "go.yaml.in/yaml/v3"

// nodeKind is what a node is: a scalar, a mapping or a list.
type nodeKind uint8

const (
	scalarNode nodeKind = iota + 1
	mappingNode
	sequenceNode
)

// scalarTag is what the decoder needs of a scalar's resolved tag: null,
// boolean, or anything else (text, numbers, timestamps are all text).
type scalarTag uint8

const (
	tagOther scalarTag = iota
	tagNull            // !!null
	tagBool            // !!bool
)

// tagOf returns the scalarTag of a short tag as yaml.v3's ShortTag gives it.
func tagOf(short string) scalarTag {
	switch short {
	case "!!null":
		return tagNull
	case "!!bool":
		return tagBool
	}
	return tagOther
}

// node is one value of a claims file, with its place: the tree the
// decoder reads. The JSON scanner builds it directly; YAML files are
// parsed by yaml.v3 and their node tree converted (fromYAML). It is kept
// small: a JSON claims file of 2,000 claims has some 30,000.
type node struct {
	kind         nodeKind
	tag          scalarTag // a scalar's
	line, column int32
	value        string  // a scalar's text
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
	out := &node{line: int32(n.Line), column: int32(n.Column)}
	switch n.Kind {
	case yaml.MappingNode:
		out.kind = mappingNode
	case yaml.SequenceNode:
		out.kind = sequenceNode
	default:
		out.kind, out.tag, out.value = scalarNode, tagOf(n.ShortTag()), n.Value
		return out
	}
	out.content = make([]*node, len(n.Content))
	for i, c := range n.Content {
		out.content[i] = fromYAML(c)
	}
	return out
}
