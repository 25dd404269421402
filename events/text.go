package events

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on names and texts. They keep a single bad line of input from
// making the archive unusable; see the README's "Limits".
const (
	MaxNameLen  = 300   // subjects, entities, predicates, aliases: code points
	MaxTextLen  = 10000 // text values, quotes, notes, reasons: code points
	MaxAuthorLn = 200
)

// TextError reports a name, note, reason or author that cannot be
// recorded because of one character: Field names it ("subject", "note",
// "author"), Char is the character and At its position, counted in
// characters (code points) from 1.
type TextError struct {
	Field  string
	Char   rune
	At     int
	Kind   string // "a control character", "a line break", "a bidirectional control"
	Reason string // what is not allowed where
}

func (e *TextError) Error() string {
	name := ""
	if n, ok := charNames[e.Char]; ok {
		name = " (" + n + ")"
	}
	return fmt.Sprintf("%s contains %s, U+%04X%s, at character %d: %s", e.Field, e.Kind, e.Char, name, e.At, e.Reason)
}

var charNames = map[rune]string{
	0x00: "NUL", 0x07: "bell", 0x08: "backspace", 0x09: "tab", 0x0A: "line feed",
	0x0B: "vertical tab", 0x0C: "form feed", 0x0D: "carriage return", 0x1B: "escape",
	0x7F: "delete", 0x85: "next line", 0x2028: "line separator", 0x2029: "paragraph separator",
	0x202A: "left-to-right embedding", 0x202B: "right-to-left embedding",
	0x202C: "pop directional formatting", 0x202D: "left-to-right override",
	0x202E: "right-to-left override", 0x2066: "left-to-right isolate",
	0x2067: "right-to-left isolate", 0x2068: "first strong isolate",
	0x2069: "pop directional isolate",
}

// textRules says what a kind of text may contain.
type textRules uint8

const (
	// rulesFree allows tabs and line feeds: text values, quotes.
	rulesFree textRules = iota
	// rulesNote refuses every control character, tabs and line breaks
	// included, and the line and paragraph separators: notes, reasons.
	rulesNote
	// rulesName refuses what rulesNote refuses and the bidirectional
	// embeddings, overrides and isolates: names, authors, source metadata.
	rulesName
)

// isBidiControl reports whether r is a bidirectional embedding, override
// or isolate (U+202A to U+202E, U+2066 to U+2069), which reorder the text
// around them on a terminal. The marks U+200E, U+200F and U+061C are not:
// they only set the direction of the characters beside them, and names
// written in Arabic or Hebrew may need them.
func isBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// ValidName checks an entity, subject, alias or predicate name: not blank,
// valid UTF-8, at most MaxNameLen code points, and none of the characters
// that can forge or hide text on a terminal: control characters (C0, DEL
// and C1, tabs and line breaks included), the line and paragraph
// separators U+2028 and U+2029, and the bidirectional embeddings,
// overrides and isolates (U+202A to U+202E, U+2066 to U+2069). The
// direction marks U+200E and U+200F are allowed. A character refused is
// reported as a *TextError.
func ValidName(what, s string) error {
	if strings.TrimSpace(s) == "" {
		return Invalidf("%s is empty", what)
	}
	return checkText(what, s, MaxNameLen, rulesName)
}

// ValidNote checks a note or a reason: valid UTF-8, at most MaxTextLen code
// points, no control characters (tabs and line breaks included: a note is
// one line, shown on one line) and no line or paragraph separator.
// Bidirectional controls are allowed in a note, which may quote
// right-to-left text; the CLI escapes them when it prints one. An empty
// note is valid.
func ValidNote(what, s string) error {
	return checkText(what, s, MaxTextLen, rulesNote)
}

// ValidAuthor checks an author's name with the rules of ValidName, at most
// MaxAuthorLn code points. An empty author is valid here; the writer
// supplies a default.
func ValidAuthor(s string) error {
	return checkText("author", s, MaxAuthorLn, rulesName)
}

// validText checks metadata and authors with the rules of names, without
// refusing empty text.
func validText(what, s string, max int) error {
	return checkText(what, s, max, rulesName)
}

// validFreeText checks a text value: valid UTF-8, at most max code points,
// no control characters other than tabs and line feeds.
func validFreeText(what, s string, max int) error {
	return checkText(what, s, max, rulesFree)
}

func checkText(what, s string, max int, rules textRules) error {
	if len(s) <= max && plainASCII(s, rules == rulesFree) {
		// The common case, in one pass: ASCII is valid UTF-8, has one code
		// point per byte, and its control characters are below 0x20 and 0x7F.
		return nil
	}
	if !utf8.ValidString(s) {
		return Invalidf("%s is not valid UTF-8", what)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return Invalidf("%s is %d characters long; the limit is %d", what, n, max)
	}
	at := 0
	for _, r := range s {
		at++
		var kind, reason string
		switch {
		case rules == rulesFree && (r == '\n' || r == '\t'):
		case unicode.IsControl(r):
			kind, reason = "a control character", "control characters, tabs and line breaks are not allowed"
			if rules == rulesFree {
				reason = "control characters other than tabs and line feeds are not allowed"
			}
		case rules != rulesFree && (r == 0x2028 || r == 0x2029):
			kind, reason = "a line break", "line breaks are not allowed"
		case rules == rulesName && isBidiControl(r):
			kind, reason = "a bidirectional control", "bidirectional embeddings, overrides and isolates are not allowed in names"
		}
		if reason != "" {
			return &TextError{Field: what, Char: r, At: at, Kind: kind, Reason: reason}
		}
	}
	return nil
}

// plainASCII reports whether s is ASCII without control characters, other
// than '\n' and '\t' when tabs is true.
func plainASCII(s string, tabs bool) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			if !tabs || c != '\n' && c != '\t' {
				return false
			}
		}
	}
	return true
}
