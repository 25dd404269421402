package claimsfile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// This file keeps the JSON path that Parse took before scanJSON, as the
// reference FuzzJSONMatchesReference compares scanJSON with: encoding/json's
// tokens built into yaml.v3's node tree, checked by check, converted
// (fromYAML) and decoded by the same decoder.

// parseJSONRef is Parse of a .json file by the reference path.
func parseJSONRef(name string, data []byte) (*File, error) {
	text, err := checkText(name, data, false)
	if err != nil {
		return nil, err
	}
	root, err := decodeJSONRef(name, text)
	if err != nil {
		return nil, err
	}
	if err := check(name, root, 1); err != nil {
		return nil, err
	}
	d := &decoder{name: name}
	return d.file(fromYAML(root))
}

// decodeJSONRef parses text as JSON into the same node tree yaml.v3 builds,
// with positions. JSON is not quite YAML for yaml.v3: it refuses the
// escapes \/ and surrogate pairs (\ud83d\ude00), and keys longer than
// 1024 bytes; encoding/json reads them all.
func decodeJSONRef(name string, text []byte) (*yaml.Node, error) {
	if !json.Valid(text) {
		return nil, jsonSyntaxError(name, text)
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
func (b *jsonBuilder) start() Pos { return b.cur.pos(b.startOffset()) }

// startOffset returns the byte offset of the next token.
func (b *jsonBuilder) startOffset() int {
	i := int(b.dec.InputOffset())
	for i < len(b.text) {
		switch b.text[i] {
		case ' ', '\t', '\r', '\n', ',', ':':
			i++
			continue
		}
		break
	}
	return i
}

// loneSurrogate returns the offset in raw, a JSON string token with its
// quotes, of a \u escape that names half of a surrogate pair without the
// other half (\ud800, \udc00, \ud800\u0041), or -1. encoding/json would
// read it as U+FFFD; yaml.v3 refuses it, and so does a claims file.
func loneSurrogate(raw []byte) int {
	hex4 := func(i int) (rune, bool) { // the \uXXXX escape at raw[i:]
		if i+6 > len(raw) || raw[i] != '\\' || raw[i+1] != 'u' {
			return 0, false
		}
		v, err := strconv.ParseUint(string(raw[i+2:i+6]), 16, 16)
		return rune(v), err == nil
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		r, ok := hex4(i)
		switch {
		case !ok:
			i++ // another escape: skip the escaped character
		case r >= 0xD800 && r <= 0xDBFF:
			if lo, ok := hex4(i + 6); ok && lo >= 0xDC00 && lo <= 0xDFFF {
				i += 11
				continue
			}
			return i
		case r >= 0xDC00 && r <= 0xDFFF:
			return i
		default:
			i += 5
		}
	}
	return -1
}

// value reads one JSON value at nesting depth depth. The text is valid
// JSON, so the decoder's errors cannot happen.
func (b *jsonBuilder) value(depth int) (*yaml.Node, error) {
	off := b.startOffset()
	pos := b.cur.pos(off)
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
		if end := int(b.dec.InputOffset()); end <= len(b.text) {
			if i := loneSurrogate(b.text[off:end]); i >= 0 {
				return nil, &Error{Pos: b.cur.pos(off + i), Msg: fmt.Sprintf("the escape %s is half of a surrogate pair (a UTF-16 code unit, not a character): write the character itself, or both halves of the pair", b.text[off+i:off+i+6])}
			}
		}
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
