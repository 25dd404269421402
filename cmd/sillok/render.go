package main

import (
	"fmt"
	"reflect"
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

// jsonEntity is an entity in `view --json`.
type jsonEntity struct {
	Name         string                   `json:"name"`
	Aliases      []string                 `json:"aliases"`
	AliasDetails []projections.EntityName `json:"alias_details,omitempty"`
	Facts        []*projections.Fact      `json:"facts"`
}

func viewJSON(v *archive.View) map[string]any {
	out := make([]jsonEntity, 0, len(v.Entities))
	for _, e := range v.Entities {
		je := jsonEntity{Name: e.Name, Aliases: []string{}, AliasDetails: e.Aliases, Facts: e.Facts}
		for _, al := range e.Aliases {
			je.Aliases = append(je.Aliases, al.Name)
		}
		if je.Facts == nil {
			je.Facts = []*projections.Fact{}
		}
		out = append(out, je)
	}
	return map[string]any{"revision": v.Revision, "entities": out}
}

// renderView is the text form of the view: one block per entity.
func renderView(ents []*projections.Entity) string {
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
		for _, f := range e.Facts {
			b.WriteString("  " + renderFact(f) + "\n")
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

func renderFact(f *projections.Fact) string {
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
	line := fmt.Sprintf("%-28s %-36s %-26s %s", term(f.Predicate)+":", term(val), "["+status+"]", strings.Join(srcs, ", "))
	if len(f.Rejected) > 0 {
		ids := make([]string, len(f.Rejected))
		for i, id := range f.Rejected {
			ids[i] = string(id)
		}
		line += "  (rejected: " + strings.Join(ids, ", ") + ")"
	}
	return strings.TrimRight(line, " ")
}

// renderConflicts is the conflicts table.
func renderConflicts(list []*projections.Conflict) string {
	if len(list) == 0 {
		return "no conflicts\n"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-10s  %-8s  %-9s  %s\n", "ID", "KIND", "STATUS", "SUMMARY")
	for _, c := range list {
		status := c.Status
		if c.Reopened {
			status = "reopened"
		}
		sum := c.Summary
		if c.WithinSource {
			sum += " [within one source]"
		}
		fmt.Fprintf(&b, "%-10s  %-8s  %-9s  %s\n", c.ID, c.Kind, status, term(sum))
	}
	return b.String()
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
