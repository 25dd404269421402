package claimsfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// decodeJSON parses text as JSON into the same node tree yaml.v3 builds,
// with positions, so that one decoder serves both formats. JSON is not
// quite YAML for yaml.v3: it refuses the escapes \/ and surrogate pairs
// (\ud83d\ude00), and keys longer than 1024 bytes; encoding/json reads
// them all.
func decodeJSON(name string, text []byte) (*yaml.Node, error) {
	if !json.Valid(text) {
		var raw json.RawMessage
		err := json.Unmarshal(text, &raw)
		var se *json.SyntaxError
		if !errors.As(err, &se) {
			return nil, &Error{Pos: Pos{File: name}, Msg: "JSON syntax error"}
		}
		off := int(se.Offset) - 1 // Offset counts the bytes read, the bad one included
		msg := "JSON syntax error: " + se.Error()
		switch {
		case strings.Contains(se.Error(), "unexpected end"):
			off = len(bytes.TrimRight(text, " \t\r\n"))
			msg += ": the file ends too early (a missing } or ])"
		case strings.Contains(se.Error(), "exceeded max depth"):
			msg = nestingMsg
		}
		return nil, &Error{Pos: posAt(name, text, max(off, 0)), Msg: msg}
	}
	b := &jsonBuilder{text: text, cur: newCursor(name, text), dec: json.NewDecoder(bytes.NewReader(text))}
	b.dec.UseNumber()
	n, err := b.value(1)
	if err != nil {
		return nil, err
	}
	return &yaml.Node{Kind: yaml.DocumentNode, Line: 1, Column: 1, Content: []*yaml.Node{n}}, nil
}

type jsonBuilder struct {
	text []byte
	cur  *cursor
	dec  *json.Decoder
}

// start returns the position of the next token: after the previous one,
// past white space and one ',' or ':'.
func (b *jsonBuilder) start() Pos {
	i := int(b.dec.InputOffset())
	for i < len(b.text) {
		switch b.text[i] {
		case ' ', '\t', '\r', '\n', ',', ':':
			i++
			continue
		}
		break
	}
	return b.cur.pos(i)
}

// value reads one JSON value at nesting depth depth. The text is valid
// JSON, so the decoder's errors cannot happen.
func (b *jsonBuilder) value(depth int) (*yaml.Node, error) {
	pos := b.start()
	if depth > MaxDepth {
		return nil, &Error{Pos: pos, Msg: nestingMsg}
	}
	tok, err := b.dec.Token()
	if err != nil {
		return nil, &Error{Pos: pos, Msg: "JSON syntax error: " + err.Error()}
	}
	n := &yaml.Node{Line: pos.Line, Column: pos.Column}
	switch t := tok.(type) {
	case json.Delim:
		n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
		if t == '{' {
			n.Kind, n.Tag = yaml.MappingNode, "!!map"
		}
		for b.dec.More() {
			if n.Kind == yaml.MappingNode {
				k, err := b.value(depth + 1) // a key: always a string
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, k)
			}
			v, err := b.value(depth + 1)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, v)
		}
		if _, err := b.dec.Token(); err != nil { // the closing delimiter
			return nil, &Error{Pos: b.start(), Msg: "JSON syntax error: " + err.Error()}
		}
	case string:
		n.Kind, n.Tag, n.Value, n.Style = yaml.ScalarNode, "!!str", t, yaml.DoubleQuotedStyle
	case json.Number:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!int", t.String()
		if strings.ContainsAny(n.Value, ".eE") {
			n.Tag = "!!float"
		}
	case bool:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!bool", "false"
		if t {
			n.Value = "true"
		}
	case nil:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!null", "null"
	}
	return n, nil
}
