package main

import (
	"bufio"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
)

// term returns s fit for one line of a terminal: every character that is
// not graphic (control characters, tabs and line breaks, U+2028 and
// U+2029, bidirectional controls and other format characters) is escaped
// the way strconv.Quote escapes it (\n, \t, \x1b, \u202e), and a byte
// that is not UTF-8 as \xff. The log refuses such characters in new names,
// notes, reasons and authors, but an old archive may hold them, and a
// printed name must not be able to forge a line or reorder one.
func term(s string) string {
	i := 0
	for i < len(s) && s[i] >= 0x20 && s[i] < 0x7f {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				fmt.Fprintf(&b, "\\x%02x", s[i])
				i++
				continue
			}
		}
		i += utf8.RuneLen(r)
		if unicode.IsGraphic(r) {
			b.WriteRune(r)
			continue
		}
		q := strconv.QuoteRune(r)
		b.WriteString(q[1 : len(q)-1])
	}
	return b.String()
}

// termLines applies term to each line of a message of several lines (an
// error with the closest passage, a list of ambiguous ids): the line
// breaks the message is made of stay, whatever else it quotes (a quote,
// a file name, an argument) is escaped.
func termLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = term(l)
	}
	return strings.Join(lines, "\n")
}

// termArgs applies term to the arguments of a format that are text:
// strings, string types (events.ClaimID) and fmt.Stringers (events.Value).
func termArgs(args ...any) []any {
	out := make([]any, len(args))
	for i, v := range args {
		switch v := v.(type) {
		case string:
			out[i] = term(v)
		case fmt.Stringer:
			out[i] = term(v.String())
		default:
			if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
				out[i] = term(rv.String())
			} else {
				out[i] = v
			}
		}
	}
	return out
}

// renderView is the text form of the view: one block per entity, the
// facts of every entity set in the same columns.
func renderView(ents []*projections.Entity, l layout) string {
	t := &table{indent: "  ", sep: " ", cols: []column{{min: 28, max: 40}, {min: 36, max: 48}, {min: 26, max: 34, keep: true}, {}}}
	for _, e := range ents {
		for _, f := range e.Facts {
			t.add(factRow(f)...)
		}
	}
	facts := t.lines(l)
	var b strings.Builder
	for i, e := range ents {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(term(e.Name) + "\n")
		if len(e.Aliases) > 0 {
			var names []string
			for _, al := range e.Aliases {
				names = append(names, fmt.Sprintf("%s (%s)", term(al.Name), aliasOrigin(al)))
			}
			b.WriteString("  also: " + strings.Join(names, "; ") + "\n")
		}
		for range e.Facts {
			b.WriteString(facts[0] + "\n")
			facts = facts[1:]
		}
	}
	return b.String()
}

// aliasOrigin is an alias's kind and where it comes from: a declaration
// (the kind alone), a claim's "as", or a reviewer's --same.
func aliasOrigin(al projections.EntityName) string {
	switch {
	case al.Kind == events.AliasSame:
		return fmt.Sprintf("same, by review at revision %d", al.Rev)
	case al.Claim != "":
		return fmt.Sprintf("%s, as written in claim %s", al.Kind, al.Claim)
	}
	return string(al.Kind)
}

// factRow is a fact's cells in the view: predicate, value, status and
// sources.
func factRow(f *projections.Fact) []cell {
	var val string
	switch {
	case f.Value != nil:
		val = *f.Value
	case len(f.Values) > 0:
		val = strings.Join(f.Values, " | ")
	default:
		val = "(none standing)"
	}
	status := string(f.Status)
	if f.Conflict != "" {
		status += " " + string(f.Conflict)
	}
	srcs := make([]string, len(f.Sources))
	for i, s := range f.Sources {
		srcs[i] = string(s)
	}
	last := strings.Join(srcs, ", ")
	if len(f.Rejected) > 0 {
		ids := make([]string, len(f.Rejected))
		for i, id := range f.Rejected {
			ids[i] = string(id)
		}
		last += "  (rejected: " + strings.Join(ids, ", ") + ")"
	}
	return []cell{{text: term(f.Predicate) + ":"}, {text: term(val)}, {text: "[" + status + "]", style: statusStyle(string(f.Status))}, {text: term(last)}}
}

// renderConflicts is the conflicts table.
// renderQueue prints the queue's items: a conflict as renderConflicts
// does, the combinations of one root cause as one row under its root id.
func renderQueue(items []archive.QueueItem, list []*projections.Conflict, l layout) string {
	if len(items) == 0 {
		return "no conflicts\n"
	}
	t := &table{sep: "  ", cols: []column{{min: 10, max: 24, keep: true}, {min: 8, max: 12, keep: true}, {min: 9, max: 12, keep: true}, {wrap: true}}}
	t.add(plain("ID", "KIND", "STATUS", "SUMMARY")...)
	for _, it := range items {
		status := it.Status
		if it.Reopened {
			status = "reopened"
		}
		sum := it.Summary
		if it.WithinSource {
			sum += " [within one source]"
		}
		t.add(cell{text: term(string(it.ID))}, cell{text: term(string(it.Kind)), style: statusStyle(string(it.Kind))},
			cell{text: term(string(status)), style: statusStyle(string(status))}, cell{text: term(sum)})
	}
	return t.render(l)
}

func renderConflicts(list []*projections.Conflict, l layout) string {
	if len(list) == 0 {
		return "no conflicts\n"
	}
	t := &table{sep: "  ", cols: []column{{min: 10, max: 24, keep: true}, {min: 8, max: 12, keep: true}, {min: 9, max: 12, keep: true}, {wrap: true}}}
	t.add(plain("ID", "KIND", "STATUS", "SUMMARY")...)
	for _, c := range list {
		status := c.Status
		if c.Reopened {
			status = "reopened"
		}
		sum := c.Summary
		if c.WithinSource {
			sum += " [within one source]"
		}
		t.add(cell{text: term(string(c.ID))}, cell{text: term(string(c.Kind)), style: statusStyle(string(c.Kind))},
			cell{text: term(string(status)), style: statusStyle(string(status))}, cell{text: term(sum)})
	}
	return t.render(l)
}

// describeValue says how a claim's value was written and resolved.
func describeValue(v events.Value) string {
	s := term(v.String())
	if v.Written != "" {
		s = fmt.Sprintf("%s, written %q", s, v.Written)
		if v.Anchor != "" {
			s += " and resolved against the publication date " + v.Anchor
		}
	}
	return s
}

// writeSourceText prints a source's normalized text in the lines the
// source has, a blank line where it has one or more; with quotes, every
// anchored quote is marked «…»[claim ids] (coloured when color).
func writeSourceText(w io.Writer, st *archive.SourceText, quotes, color bool) error {
	type mark struct {
		pos, other int // other: the quote's other end
		open       bool
		text       string
	}
	var marks []mark
	if quotes {
		type span struct{ start, end int }
		ids := map[span][]string{}
		var order []span
		for _, q := range st.Quotes {
			sp := span{q.Start, q.End}
			if _, ok := ids[sp]; !ok {
				order = append(order, sp)
			}
			id := string(q.Claim)
			if q.Status != archive.ClaimStanding {
				id += " (" + string(q.Status) + ")"
			}
			ids[sp] = append(ids[sp], id)
		}
		for _, sp := range order {
			marks = append(marks, mark{pos: sp.start, other: sp.end, open: true, text: paint("«", styleCyan, color)},
				mark{pos: sp.end, other: sp.start, text: paint("»["+term(strings.Join(ids[sp], ", "))+"]", styleCyan, color)})
		}
		// In the order they are printed: at one place, the quotes that
		// end there close (the innermost first) before others open (the
		// outermost first).
		sort.SliceStable(marks, func(i, j int) bool {
			a, b := marks[i], marks[j]
			switch {
			case a.pos != b.pos:
				return a.pos < b.pos
			case a.open != b.open:
				return !a.open
			}
			return a.other > b.other
		})
	}
	bw := bufio.NewWriter(w)
	for i, l := range st.Lines {
		if l.Blank && i > 0 {
			bw.WriteByte('\n')
		}
		cur := l.Start
		for len(marks) > 0 {
			m := marks[0]
			// A mark belongs to this line if it falls inside it; one at
			// its end only if it closes a quote; the last line takes the
			// rest.
			inside := m.pos < l.End || (m.pos == l.End && !m.open)
			if !inside && i < len(st.Lines)-1 {
				break
			}
			pos := min(max(m.pos, cur), l.End)
			bw.WriteString(term(st.Text[cur:pos]))
			bw.WriteString(m.text)
			cur = pos
			marks = marks[1:]
		}
		bw.WriteString(term(st.Text[cur:l.End]))
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
