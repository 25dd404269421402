package claimsfile_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sillok/sillok/provenance/claimsfile"
)

// billionLaughs is the classic alias bomb: expanded, it would be 9^9 copies
// of "lol".
const billionLaughs = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`

func TestBombs(t *testing.T) {
	deepBlock := "claims:\n" + strings.Repeat("- ", 10000) + "x\n"
	var deepIndented strings.Builder
	deepIndented.WriteString("claims:\n")
	for i := 0; i < 2000; i++ {
		deepIndented.WriteString(strings.Repeat(" ", i+1) + "-\n")
	}
	for _, c := range []struct {
		name, file, in, want string
	}{
		{"ErrBillionLaughs", "bomb.yaml", billionLaughs,
			"bomb.yaml:1:4: YAML aliases are not allowed in claims files: remove the anchor &a and write each value out in full"},
		{"ErrAliasInClaims", "bomb.yaml", "source: s\nclaims:\n  - subject: *i\n",
			"bomb.yaml:3:14: YAML aliases are not allowed in claims files (unknown anchor 'i' referenced): write each value out in full"},
		{"ErrDeepFlowLists", "deep.yaml", strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
			"deep.yaml:1:33: nesting is too deep: lists and mappings nest more than 32 levels deep here; the limit is 32 (a claims file needs 6 at most)"},
		{"ErrDeeperThanYAMLAllows", "deep.yaml", strings.Repeat("[", 20000) + strings.Repeat("]", 20000),
			"deep.yaml:1: nesting is too deep: lists and mappings nest more than 32 levels deep here; the limit is 32 (a claims file needs 6 at most)"},
		{"ErrDeepBlockLists", "deep.yaml", deepBlock,
			"deep.yaml:2:63: nesting is too deep: lists and mappings nest more than 32 levels deep here; the limit is 32 (a claims file needs 6 at most)"},
		{"ErrDeepIndentedLists", "deep.yaml", deepIndented.String(),
			"deep.yaml:33:33: nesting is too deep: lists and mappings nest more than 32 levels deep here; the limit is 32 (a claims file needs 6 at most)"},
		{"ErrDeepFlowMappings", "deep.yaml", strings.Repeat("{a: ", 10000) + "b" + strings.Repeat("}", 10000),
			"deep.yaml:1:126: nesting is too deep: lists and mappings nest more than 32 levels deep here; the limit is 32 (a claims file needs 6 at most)"},
		{"ErrDeepJSON", "deep.json", strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
			"deep.json:1:33: nesting is too deep: lists and mappings nest more than 32 levels deep here; the limit is 32 (a claims file needs 6 at most)"},
		{"ErrDeeperThanJSONAllows", "deep.json", strings.Repeat("[", 20000) + strings.Repeat("]", 20000),
			"deep.json:1:10001: nesting is too deep: lists and mappings nest more than 32 levels deep here; the limit is 32 (a claims file needs 6 at most)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			_, err := claimsfile.Parse(c.file, []byte(c.in))
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v, want well under 2s", d)
			}
			var e *claimsfile.Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want a *claimsfile.Error", err)
			}
			if got := err.Error(); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}
