package claimsfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// maxLocate is the largest file whose YAML syntax errors are located by
// re-parsing prefixes (some 20 parses); a larger one gets the line yaml.v3
// reports, without a column.
const maxLocate = 256 << 10

// maxLocateLine is the longest line (in bytes) in which a YAML syntax
// error is given a column.
const maxLocateLine = 4096

// decodeYAML parses text as one YAML document, checks it (check) and
// returns its top node.
func decodeYAML(name string, text []byte) (*node, error) {
	doc, second, err := parseYAML(text)
	switch {
	case err != nil:
		return nil, yamlError(name, text, err)
	case doc == nil:
		return nil, &Error{Pos: Pos{File: name}, Msg: "file is empty"}
	case second != nil:
		return nil, &Error{Pos: Pos{File: name, Line: second.Line, Column: second.Column},
			Msg: "a claims file holds one YAML document, and a second one starts here: remove the \"---\" or split the file"}
	}
	if err := check(name, doc, 1); err != nil {
		return nil, err
	}
	return fromYAML(doc), nil
}

// parserPanic is a panic of yaml.v3 turned into an error.
type parserPanic struct{ v any }

func (p parserPanic) Error() string { return fmt.Sprint(p.v) }

// parseYAML decodes the first document of text and, if there is one, the
// second. A panic inside yaml.v3 (none is known) becomes a parserPanic.
func parseYAML(text []byte) (doc, second *yaml.Node, err error) {
	defer func() {
		if v := recover(); v != nil {
			doc, second, err = nil, nil, parserPanic{v}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(text))
	var n yaml.Node
	if err := dec.Decode(&n); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, nil
		}
		return nil, nil, err
	}
	var m yaml.Node
	if err := dec.Decode(&m); err != nil {
		if errors.Is(err, io.EOF) {
			return &n, nil, nil
		}
		return nil, nil, err
	}
	return &n, &m, nil
}

var (
	yamlLineRE      = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)
	unknownAnchorRE = regexp.MustCompile(`unknown anchor '(.*)' referenced`)
)

// yamlError turns a yaml.v3 error into an *Error. yaml.v3 reports no column
// and a line that is off by one for some errors and missing on the first
// line, so the place is found again by parsing prefixes of the text.
func yamlError(name string, text []byte, err error) error {
	var p parserPanic
	if errors.As(err, &p) {
		return &Error{Pos: Pos{File: name}, Msg: fmt.Sprintf("the YAML parser failed on this file (%v); please report it, with the file", p.v)}
	}
	full := err.Error()
	msg := yamlLineRE.ReplaceAllString(full, "")
	line := 0 // yaml.v3's line: the error's, or its context's, or one less
	if m := yamlLineRE.FindStringSubmatch(full); m != nil && m[1] != "" {
		line, _ = strconv.Atoi(m[1])
	}
	pos := Pos{File: name, Line: line}
	if len(text) <= maxLocate {
		if p, ok := locate(name, text, full, line-1); ok {
			pos = p
		}
	}
	switch {
	case strings.Contains(msg, "exceeded max depth"):
		msg = nestingMsg
	case strings.Contains(msg, "anchor"):
		if m := unknownAnchorRE.FindStringSubmatch(msg); m != nil && pos.Column > 0 {
			pos = atAlias(name, text, pos, m[1])
		}
		msg = "YAML aliases are not allowed in claims files (" + msg + "): write each value out in full"
	default:
		msg = "YAML syntax error: " + msg + yamlHint(msg)
	}
	return &Error{Pos: pos, Msg: msg}
}

func yamlHint(msg string) string {
	switch {
	case strings.Contains(msg, "mapping values are not allowed"):
		return ` (text that contains ": " must be put in quotes)`
	case strings.Contains(msg, "cannot start any token"):
		return " (indent with spaces, not tabs, and put text that starts with @, ` or % in quotes)"
	case strings.Contains(msg, "did not find expected key"), strings.Contains(msg, "did not find expected '-'"):
		return " (check the indentation)"
	}
	return ""
}

// locate finds where yaml.v3 detects the error full: the shortest prefix of
// text that fails with the same message, first by lines, then by code
// points within the line. The parser reads a stream, so every prefix that
// reaches the error fails the same way; a shorter prefix usually parses, or
// fails differently at its end. The search starts at line from (1-based)
// if the text before that line parses. It reports false if it finds
// nothing.
func locate(name string, text []byte, full string, from int) (Pos, bool) {
	// Compare messages without yaml.v3's line: it moves with the end of
	// the prefix for an error at the end of the stream.
	want := yamlLineRE.ReplaceAllString(full, "")
	fails := func(n int) bool {
		_, _, err := parseYAML(text[:n])
		return err != nil && yamlLineRE.ReplaceAllString(err.Error(), "") == want
	}
	if !fails(len(text)) {
		return Pos{}, false
	}
	var ends []int // the offset just after each line
	for i, b := range text {
		if b == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(text) {
		ends = append(ends, len(text))
	}
	lo := 0 // lines before lo do not reach the error
	if from > 1 && from <= len(ends) && !fails(ends[from-2]) {
		lo = from - 1
	}
	line := lo + sort.Search(len(ends)-lo, func(i int) bool { return fails(ends[lo+i]) })
	if line == len(ends) {
		return Pos{}, false
	}
	start := 0
	if line > 0 {
		start = ends[line-1]
	}
	lineOnly := posAt(name, text, start)
	lineOnly.Column = 0
	if ends[line]-start > maxLocateLine {
		return lineOnly, true
	}
	var runes []int // the offset just after each code point of the line
	for i := start; i < ends[line]; {
		_, size := utf8.DecodeRune(text[i:])
		i += size
		runes = append(runes, i)
	}
	j := sort.Search(len(runes), func(j int) bool { return fails(runes[j]) })
	if j == len(runes) {
		return lineOnly, true
	}
	// In a flow collection a prefix that ends after a value and one that
	// ends after a comma fail differently at their end, so the search may
	// stop early: give the column only if longer prefixes fail too.
	for k := 1; j+k < len(runes); k *= 2 {
		if !fails(runes[j+k]) {
			return lineOnly, true
		}
	}
	return posAt(name, text, runes[j]-1), true
}

// atAlias moves pos, where an alias to an unknown anchor was detected, back
// to the "*name" that starts it on the same line.
func atAlias(name string, text []byte, pos Pos, anchor string) Pos {
	c := newCursor(name, text)
	needle := []byte("*" + anchor)
	best := -1
	for i := 0; i < len(text); {
		j := bytes.Index(text[i:], needle)
		if j < 0 {
			break
		}
		p := c.pos(i + j)
		if p.Line > pos.Line || p.Line == pos.Line && p.Column > pos.Column {
			break
		}
		if p.Line == pos.Line {
			best = i + j
		}
		i += j + 1
	}
	if best < 0 {
		return pos
	}
	return posAt(name, text, best)
}

// check walks the whole tree once, in document order, before anything is
// decoded: it refuses nesting deeper than MaxDepth, anchors, aliases,
// merge keys and tags other than YAML's core ones. Aliases are refused, not
// expanded, so an alias bomb costs nothing.
func check(name string, n *yaml.Node, depth int) error {
	errorf := func(format string, args ...any) error {
		return &Error{Pos: Pos{File: name, Line: n.Line, Column: n.Column}, Msg: fmt.Sprintf(format, args...)}
	}
	if depth > MaxDepth+1 { // the document node is one level above the content
		return errorf("%s", nestingMsg)
	}
	switch {
	case n.Kind == yaml.AliasNode:
		return errorf("YAML aliases are not allowed in claims files: replace *%s with the value itself", n.Value)
	case n.Anchor != "":
		return errorf("YAML aliases are not allowed in claims files: remove the anchor &%s and write each value out in full", n.Anchor)
	case n.Kind == yaml.ScalarNode && n.Tag == "!!merge":
		return errorf("YAML aliases are not allowed in claims files: replace the merge key << with the fields themselves")
	case n.Style&yaml.TaggedStyle != 0 && !coreTag(n.ShortTag()):
		return errorf("YAML tag %s is not allowed in claims files: write the value as plain text", n.Tag)
	}
	for _, c := range n.Content {
		if err := check(name, c, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func coreTag(tag string) bool {
	switch tag {
	case "!!str", "!!int", "!!float", "!!bool", "!!null", "!!timestamp", "!!map", "!!seq":
		return true
	}
	return false
}
