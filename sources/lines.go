package sources

import (
	"strings"

	"github.com/sillok/sillok/events"
)

// Line is a line of a source's text as the source sets it: Start and End
// are byte offsets in the normalized text (Text), which folds every line
// break into a space. Blank is set when one or more blank lines (a
// paragraph break) come before it in the source.
type Line struct {
	Start int  `json:"start"`
	End   int  `json:"end"`
	Blank bool `json:"blank_before,omitempty"`
}

// Lines maps the lines of extracted, a Document's text, into normalized,
// Normalize(extracted): each line of extracted that is not blank after
// normalization is one Line, in order. Normalize folds a line break into
// a space, so the lines, joined by single spaces, are normalized, and
// offsets in normalized (a quote's anchor) fall in the line they were
// found in. ok is false if they do not join up that way (it does not
// happen with the rules of NormalizationVersion 1, but a caller then
// treats the text as one line).
func Lines(extracted, normalized string) (lines []Line, ok bool) {
	pos, blank := 0, false
	for len(extracted) > 0 {
		line, rest, _ := strings.Cut(extracted, "\n")
		extracted = rest
		n := Normalize(line)
		if n == "" {
			blank = len(lines) > 0
			continue
		}
		if len(lines) > 0 {
			if pos >= len(normalized) || normalized[pos] != ' ' {
				return nil, false
			}
			pos++
		}
		if !strings.HasPrefix(normalized[pos:], n) {
			return nil, false
		}
		lines = append(lines, Line{Start: pos, End: pos + len(n), Blank: blank})
		pos += len(n)
		blank = false
	}
	if pos != len(normalized) {
		return nil, false
	}
	return lines, true
}

// StoredLines returns a stored source's normalized text (as StoredText)
// and its Lines. If the lines do not join up, the text is one Line.
func StoredLines(tx *events.Tx, src *events.SourceArchived) (string, []Line, error) {
	raw, err := tx.Blob(src.Digest)
	if err != nil {
		return "", nil, err
	}
	doc, err := Extract(raw)
	if err != nil {
		return "", nil, err
	}
	text := Normalize(doc.Text)
	lines, ok := Lines(doc.Text, text)
	if !ok {
		lines = []Line{{Start: 0, End: len(text)}}
	}
	return text, lines, nil
}
