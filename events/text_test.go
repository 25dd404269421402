package events_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
)

func TestValidName(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // "" for valid, else in the error
	}{
		{"OK", "Camp David summit", ""},
		{"OKKorean", "한미일 정상회의", ""},
		{"OKRightToLeftMark", "abc\u200fdef", ""},
		{"OKLeftToRightMark", "abc\u200edef", ""},
		{"ErrEmpty", "  ", "subject is empty"},
		{"ErrLineFeed", "forged\n[rev 9] review by kim", "subject contains a control character, U+000A (line feed), at character 7"},
		{"ErrCarriageReturn", "a\rb", "U+000D (carriage return)"},
		{"ErrTab", "a\tb", "U+0009 (tab)"},
		{"ErrNUL", "a\x00", "U+0000"},
		{"ErrEscape", "\x1b[31mred", "U+001B (escape), at character 1"},
		{"ErrDelete", "a\x7f", "U+007F (delete)"},
		{"ErrC1", "a\u0085b", "U+0085 (next line)"},
		{"ErrC1CSI", "a\u009bb", "U+009B"},
		{"ErrLineSeparator", "a\u2028b", "a line break, U+2028 (line separator)"},
		{"ErrParagraphSeparator", "a\u2029b", "U+2029"},
		{"ErrRightToLeftOverride", "abc\u202etxt.exe", "a bidirectional control, U+202E (right-to-left override), at character 4"},
		{"ErrEmbedding", "\u202aabc", "U+202A"},
		{"ErrPopFormatting", "abc\u202c", "U+202C"},
		{"ErrIsolate", "a\u2066b", "U+2066"},
		{"ErrPopIsolate", "a\u2069b", "U+2069"},
		{"ErrCharacterCountsCodePoints", "한국\n", "at character 3"},
		{"ErrInvalidUTF8", "a\xffb", "not valid UTF-8"},
		{"ErrTooLong", strings.Repeat("가", events.MaxNameLen+1), "the limit is 300"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := events.ValidName("subject", tt.in)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("ValidName(%q) = %v, want nil", tt.in, err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("ValidName(%q) = %v, want an error containing %q", tt.in, err, tt.want)
			}
		})
	}
	var te *events.TextError
	if err := events.ValidName("as", "x\ny"); !errors.As(err, &te) || te.Field != "as" || te.Char != '\n' || te.At != 2 {
		t.Errorf("ValidName error = %#v, want a *TextError for as, U+000A at 2", err)
	}
}

func TestValidNote(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"OK", "the summit was on 2023-08-18", ""},
		{"OKEmpty", "", ""},
		{"OKBidiInNote", "quoting \u202bعربي\u202c", ""}, // escaped when printed
		{"ErrLineFeed", "misread\n[12] forged", "reason contains a control character, U+000A (line feed), at character 8"},
		{"ErrTab", "a\tb", "U+0009 (tab)"},
		{"ErrParagraphSeparator", "a\u2029b", "U+2029"},
		{"ErrLineSeparator", "a\u2028b", "U+2028"},
		{"ErrC1", "a\u0085b", "U+0085"},
		{"ErrTooLong", strings.Repeat("a", events.MaxTextLen+1), "the limit is 10000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := events.ValidNote("reason", tt.in)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("ValidNote(%q) = %v, want nil", tt.in, err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("ValidNote(%q) = %v, want an error containing %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestValidAuthor(t *testing.T) {
	for _, ok := range []string{"", "kim", "김민수", "Jean-Luc O'Neil"} {
		if err := events.ValidAuthor(ok); err != nil {
			t.Errorf("ValidAuthor(%q) = %v, want nil", ok, err)
		}
	}
	for in, want := range map[string]string{
		"kim\n[7] review by lee": "author contains a control character, U+000A",
		"kim\u202e":              "U+202E (right-to-left override)",
		"kim\u2028":              "U+2028",
		strings.Repeat("k", 201): "the limit is 200",
	} {
		if err := events.ValidAuthor(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ValidAuthor(%q) = %v, want an error containing %q", in, err, want)
		}
	}
}

// TestAppendRefusesForgingText checks that every name, note, reason and
// author of a new event is checked on append, whatever path it came by.
func TestAppendRefusesForgingText(t *testing.T) {
	claim := func(edit func(c *events.ClaimAsserted)) events.Payload {
		c := eventstest.Claim("c", "s", "X", "p", "v", "q")
		edit(c)
		return c
	}
	tests := []struct {
		name   string
		p      events.Payload
		author string
		want   string
	}{
		{"ErrSubjectNewline", claim(func(c *events.ClaimAsserted) { c.Subject = "X\n[9] forged" }), "a", "subject contains a control character"},
		{"ErrSubjectOverride", claim(func(c *events.ClaimAsserted) { c.Subject = "X\u202e" }), "a", "subject contains a bidirectional control"},
		{"ErrAsOverride", claim(func(c *events.ClaimAsserted) { c.As = "\u2067Y" }), "a", "as contains a bidirectional control"},
		{"ErrPredicateSeparator", claim(func(c *events.ClaimAsserted) { c.Predicate = "p\u2028" }), "a", "predicate contains a line break"},
		{"ErrNoteNewline", claim(func(c *events.ClaimAsserted) { c.Note = "n\nn" }), "a", "note contains a control character"},
		{"ErrEntityValue", claim(func(c *events.ClaimAsserted) {
			c.Value = events.Value{Kind: events.KindEntity, Entity: "E\u202e"}
		}), "a", "entity contains a bidirectional control"},
		{"ErrRelationSubject", claim(func(c *events.ClaimAsserted) {
			c.Value = events.Value{Kind: events.KindDate, Relation: &events.Relation{Op: events.RelAfter, To: events.FactRef{Subject: "S\n", Predicate: "held"}}}
		}), "a", "relation subject contains a control character"},
		{"ErrReasonNewline", &events.ClaimRetracted{Claim: "c", Reason: "misread\n[12] forged"}, "a", "reason contains a control character"},
		{"ErrAliasName", &events.AliasDeclared{Name: "a\u202d", Entity: "b", Kind: events.AliasVariant}, "a", "alias name contains a bidirectional control"},
		{"ErrAliasEntity", &events.AliasDeclared{Name: "a", Entity: "b\r", Kind: events.AliasVariant}, "a", "alias entity contains a control character"},
		{"ErrAliasNote", &events.AliasDeclared{Name: "a", Entity: "b", Kind: events.AliasVariant, Note: "x\u2029"}, "a", "note contains a line break"},
		{"ErrPredicateName", eventstest.Predicate("p\t", events.KindText), "a", "predicate name contains a control character"},
		{"ErrVerdictNote", &events.VerdictRecorded{Conflict: "c", Decision: events.DecisionDismiss, Note: "ok\nforged"}, "a", "note contains a control character"},
		{"ErrSourceTitle", func() events.Payload {
			s := eventstest.Source("s", "x")
			s.Title = "Title\n[3] forged"
			return s
		}(), "a", "title contains a control character"},
		{"ErrSourcePublisher", func() events.Payload {
			s := eventstest.Source("s", "x")
			s.Publisher = "\u202e染"
			return s
		}(), "a", "publisher contains a bidirectional control"},
		{"ErrAuthorNewline", eventstest.Predicate("p", events.KindText), "kim\n[7] forged", "author contains a control character"},
		{"ErrAuthorSeparator", eventstest.Predicate("p", events.KindText), "kim\u2028", "author contains a line break"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := eventstest.MustOpenLog(t)
			_, err := log.Append(tt.author, tt.p)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Append: got error %v, want one that says %q", err, tt.want)
			}
			if head, _, _ := log.Head(); head != 0 {
				t.Errorf("head = %d after a refused append, want 0", head)
			}
		})
	}
	t.Run("OKTextValueKeepsLines", func(t *testing.T) {
		log := eventstest.MustOpenLog(t)
		c := eventstest.Claim("c", "s", "X", "p", "v", "q")
		c.Value = events.Value{Kind: events.KindText, Text: "two\nlines\tand a tab"}
		if _, err := log.Append("a", c); err != nil {
			t.Fatalf("Append of a multi-line text value: %v", err)
		}
	})
}
