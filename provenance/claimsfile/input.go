package claimsfile

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

var bom = []byte("\ufeff")

// checkText refuses what no claims file holds: invalid UTF-8, NUL bytes,
// and, in YAML, the control characters YAML itself refuses without saying
// where. It returns the text without a leading byte order mark, which
// editors on Windows write and JSON does not allow.
func checkText(name string, data []byte, isYAML bool) ([]byte, error) {
	text := data
	skipped := 0
	if bytes.HasPrefix(text, bom) {
		text = text[len(bom):]
		skipped = len(bom)
	}
	if len(bytes.TrimLeft(text, " \t\r\n")) == 0 {
		return nil, &Error{Pos: Pos{File: name}, Msg: "file is empty"}
	}
	if !isYAML && utf8.Valid(text) && bytes.IndexByte(text, 0) < 0 {
		return text, nil // the common case, checked in bulk
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return nil, &Error{Pos: posAt(name, text, i), Msg: fmt.Sprintf("file is not valid UTF-8 (bad byte 0x%02X at byte offset %d): save it as UTF-8", text[i], i+skipped)}
		case r == 0:
			return nil, &Error{Pos: posAt(name, text, i), Msg: fmt.Sprintf("file contains a NUL byte (at byte offset %d); is it UTF-16? save it as UTF-8", i+skipped)}
		case isYAML && !yamlPrintable(r):
			return nil, &Error{Pos: posAt(name, text, i), Msg: fmt.Sprintf("file contains the control character U+%04X, which YAML does not allow: remove it", r)}
		}
		i += size
	}
	return text, nil
}

// yamlPrintable reports whether YAML allows r in a stream (the YAML 1.1
// c-printable set that yaml.v3 enforces).
func yamlPrintable(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\r':
	case r >= 0x20 && r <= 0x7E:
	case r == 0x85:
	case r >= 0xA0 && r <= 0xD7FF:
	case r >= 0xE000 && r <= 0xFFFD:
	case r >= 0x10000 && r <= 0x10FFFF:
	default:
		return false
	}
	return true
}

// cursor turns increasing byte offsets into positions in one pass, so that
// positioning every token of a long single-line JSON file stays linear.
type cursor struct {
	name           string
	text           []byte
	off, line, col int
}

func newCursor(name string, text []byte) *cursor {
	return &cursor{name: name, text: text, line: 1, col: 1}
}

// pos returns the position of the byte at offset to, which must not be
// before the previous offset asked for. Lines end at "\n", "\r\n" or a lone
// "\r"; columns count code points.
func (c *cursor) pos(to int) Pos {
	if to > len(c.text) {
		to = len(c.text)
	}
	for c.off < to {
		r, size := utf8.DecodeRune(c.text[c.off:])
		switch {
		case r == '\n', r == '\r' && (c.off+1 >= len(c.text) || c.text[c.off+1] != '\n'):
			c.line++
			c.col = 1
		default:
			c.col++
		}
		c.off += size
	}
	return Pos{File: c.name, Line: c.line, Column: c.col}
}

func posAt(name string, text []byte, off int) Pos {
	return newCursor(name, text).pos(off)
}
