package claimsfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// scanJSON parses text as JSON into the decoder's node tree, with the
// position of every value. It is a scanner of its own, one pass without
// encoding/json's tokens or yaml.v3's nodes, for speed (claim import
// parses every file); its answers are those of the path it replaced,
// which FuzzJSONMatchesReference keeps comparing it with:
//
//   - text that is not JSON (as json.Valid decides) is a JSON syntax
//     error, whatever else is wrong, placed and worded as encoding/json
//     words it (jsonSyntaxError);
//   - otherwise the first value, in document order, nested deeper than
//     MaxDepth, or the first lone surrogate escape (\ud800, or a high one
//     not followed by a low one), which encoding/json would read as
//     U+FFFD and yaml.v3 refuses, is refused at its place.
//
// The escapes \/ and surrogate pairs (\ud83d\ude00), which yaml.v3
// refuses, are read as JSON reads them.
func scanJSON(name string, text []byte) (*node, error) {
	s := &jsonScanner{name: name, text: text, line: 1, col: 1}
	s.ws()
	n := s.value(1)
	if n != nil {
		s.ws()
		if s.i < len(text) {
			n = nil // trailing data: a syntax error
		}
	}
	switch {
	case n != nil:
		return n, nil
	case s.problem == nil, !json.Valid(text):
		return nil, jsonSyntaxError(name, text)
	}
	return nil, s.problem
}

// jsonSyntaxError reports the syntax error of text, which is not JSON, as
// encoding/json finds it: at the byte it stops at, with its message.
func jsonSyntaxError(name string, text []byte) error {
	var raw json.RawMessage
	err := json.Unmarshal(text, &raw)
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return &Error{Pos: Pos{File: name}, Msg: "JSON syntax error"}
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
	return &Error{Pos: posAt(name, text, max(off, 0)), Msg: msg}
}

// jsonScanner reads one JSON text into nodes. Its methods return nil on
// a syntax error, and on a problem of a valid text, which they record in
// problem.
type jsonScanner struct {
	name string
	text []byte
	i    int // the next byte to read

	// The place of byte i: line, the offset lineStart where the line
	// starts, and the column col of the byte at colOff (colOff ≥
	// lineStart, advanced lazily, so each byte is counted once).
	line, lineStart, colOff, col int

	problem *Error

	nodes []node  // nodes are allocated from here, a slab at a time
	ptrs  []*node // and the content of mappings and lists from here
	stack []*node // the content of the open mappings and lists
	buf   []byte  // an unescaped string
}

// ws skips white space, counting lines. A line ends at "\n", "\r\n" or a
// lone "\r", as for cursor.
func (s *jsonScanner) ws() {
	for s.i < len(s.text) {
		switch s.text[s.i] {
		case ' ', '\t':
		case '\n':
			s.newline(s.i + 1)
		case '\r':
			if s.i+1 >= len(s.text) || s.text[s.i+1] != '\n' {
				s.newline(s.i + 1)
			}
		default:
			return
		}
		s.i++
	}
}

func (s *jsonScanner) newline(start int) {
	s.line++
	s.lineStart, s.colOff, s.col = start, start, 1
}

// pos returns the place of the byte at off, on the current line at or
// after the previous place asked for. Columns count code points: the
// bytes that do not continue a UTF-8 sequence (the text is valid UTF-8).
func (s *jsonScanner) pos(off int) (line, col int) {
	for ; s.colOff < off; s.colOff++ {
		if s.text[s.colOff]&0xC0 != 0x80 {
			s.col++
		}
	}
	return s.line, s.col
}

func (s *jsonScanner) newNode(kind nodeKind, off int) *node {
	if len(s.nodes) == cap(s.nodes) {
		s.nodes = make([]node, 0, 1024)
	}
	s.nodes = s.nodes[:len(s.nodes)+1]
	n := &s.nodes[len(s.nodes)-1]
	n.kind = kind
	line, col := s.pos(off)
	n.line, n.column = int32(line), int32(col)
	return n
}

// content moves the stack's items from mark on into n's content.
func (s *jsonScanner) content(n *node, mark int) {
	items := s.stack[mark:]
	if len(items) > 0 {
		if cap(s.ptrs)-len(s.ptrs) < len(items) {
			s.ptrs = make([]*node, 0, max(4096, len(items)))
		}
		k := len(s.ptrs)
		s.ptrs = append(s.ptrs, items...)
		n.content = s.ptrs[k:len(s.ptrs):len(s.ptrs)]
	}
	clear(items)
	s.stack = s.stack[:mark]
}

func (s *jsonScanner) fail(off int, msg string) *node {
	line, col := s.pos(off)
	s.problem = &Error{Pos: Pos{File: s.name, Line: line, Column: col}, Msg: msg}
	return nil
}

// value reads the value at s.i (past white space) at nesting depth depth,
// and leaves s.i just after it.
func (s *jsonScanner) value(depth int) *node {
	if s.i >= len(s.text) {
		return nil
	}
	if depth > MaxDepth {
		return s.fail(s.i, nestingMsg)
	}
	switch c := s.text[s.i]; c {
	case '{', '[':
		return s.container(depth, c)
	case '"':
		return s.str()
	case 't':
		return s.literal("true", tagBool)
	case 'f':
		return s.literal("false", tagBool)
	case 'n':
		return s.literal("null", tagNull)
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return s.number()
	}
	return nil
}

func (s *jsonScanner) container(depth int, open byte) *node {
	kind, closing := mappingNode, byte('}')
	if open == '[' {
		kind, closing = sequenceNode, ']'
	}
	n := s.newNode(kind, s.i)
	s.i++
	mark := len(s.stack)
	s.ws()
	if s.i < len(s.text) && s.text[s.i] == closing {
		s.i++
		return n
	}
	for {
		if kind == mappingNode {
			if s.i >= len(s.text) || s.text[s.i] != '"' {
				return nil
			}
			k := s.value(depth + 1)
			if k == nil {
				return nil
			}
			s.stack = append(s.stack, k)
			s.ws()
			if s.i >= len(s.text) || s.text[s.i] != ':' {
				return nil
			}
			s.i++
			s.ws()
		}
		v := s.value(depth + 1)
		if v == nil {
			return nil
		}
		s.stack = append(s.stack, v)
		s.ws()
		if s.i >= len(s.text) {
			return nil
		}
		switch s.text[s.i] {
		case ',':
			s.i++
			s.ws()
			continue
		case closing:
			s.i++
			s.content(n, mark)
			return n
		}
		return nil
	}
}

func (s *jsonScanner) literal(word string, tag scalarTag) *node {
	if !bytes.HasPrefix(s.text[s.i:], []byte(word)) {
		return nil
	}
	n := s.newNode(scalarNode, s.i)
	n.tag, n.value = tag, word
	s.i += len(word)
	return n
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// number reads a number as JSON writes it; its value is its text.
func (s *jsonScanner) number() *node {
	t, start := s.text, s.i
	i := start
	digits := func() bool { // one or more
		j := i
		for i < len(t) && isDigit(t[i]) {
			i++
		}
		return i > j
	}
	if t[i] == '-' {
		i++
	}
	switch {
	case i < len(t) && t[i] == '0':
		i++
	case !digits():
		return nil
	}
	if i < len(t) && t[i] == '.' {
		i++
		if !digits() {
			return nil
		}
	}
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		i++
		if i < len(t) && (t[i] == '+' || t[i] == '-') {
			i++
		}
		if !digits() {
			return nil
		}
	}
	n := s.newNode(scalarNode, start)
	n.value = string(t[start:i])
	s.i = i
	return n
}

// str reads a string, its escapes decoded.
func (s *jsonScanner) str() *node {
	t, start := s.text, s.i
	i := start + 1
	for i < len(t) && t[i] >= 0x20 && t[i] != '"' && t[i] != '\\' {
		i++
	}
	if i >= len(t) || t[i] < 0x20 {
		return nil
	}
	n := s.newNode(scalarNode, start)
	if t[i] == '"' {
		n.value = string(t[start+1 : i])
		s.i = i + 1
		return n
	}
	b := append(s.buf[:0], t[start+1:i]...)
	for {
		if i >= len(t) {
			return nil
		}
		c := t[i]
		switch {
		case c == '"':
			n.value = string(b)
			s.buf = b[:0]
			s.i = i + 1
			return n
		case c < 0x20:
			return nil
		case c != '\\':
			b = append(b, c)
			i++
			continue
		}
		if i+1 >= len(t) {
			return nil
		}
		switch t[i+1] {
		case '"', '\\', '/':
			b = append(b, t[i+1])
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := hex4(t, i)
			if !ok {
				return nil
			}
			switch {
			case r >= 0xD800 && r <= 0xDBFF:
				lo, ok := hex4(t, i+6)
				if !ok || lo < 0xDC00 || lo > 0xDFFF {
					return s.fail(i, fmt.Sprintf(surrogateMsg, t[i:i+6]))
				}
				r = (r-0xD800)<<10 + (lo - 0xDC00) + 0x10000
				i += 6
			case r >= 0xDC00 && r <= 0xDFFF:
				return s.fail(i, fmt.Sprintf(surrogateMsg, t[i:i+6]))
			}
			b = utf8.AppendRune(b, r)
			i += 4
		default:
			return nil
		}
		i += 2
	}
}

const surrogateMsg = "the escape %s is half of a surrogate pair (a UTF-16 code unit, not a character): write the character itself, or both halves of the pair"

// hex4 returns the code unit of the \uXXXX escape at t[i:].
func hex4(t []byte, i int) (rune, bool) {
	if i+6 > len(t) || t[i] != '\\' || t[i+1] != 'u' {
		return 0, false
	}
	var r rune
	for _, c := range t[i+2 : i+6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
