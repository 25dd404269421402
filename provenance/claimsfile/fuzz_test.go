package claimsfile_test

import (
	"errors"
	"os"
	"testing"

	"github.com/sillok/sillok/provenance/claimsfile"
)

func FuzzParse(f *testing.F) {
	for _, name := range []string{"full.yaml", "full.json"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"source: s\nclaims:\n  - {subject: x, predicate: p, value: 60, quote: q}\n",
		"claims:\n  - {source: s, subject: x, predicate: p, value: {after: {subject: a, predicate: b}}, quote: q}\n",
		`{"source": "s", "claims": [{"subject": "x", "predicate": "p", "value": {"same": {"subject": "a", "predicate": "b"}}, "quote": "q"}]}`,
		"predicates:\n  - {name: a, kind: date, many: true}\naliases:\n  - {name: a, entity: b, kind: distinct-from}\n",
		"source: s\nclaims:\n  - &a {subject: x}\n  - *a\n  - <<: *a\n",
		"source: !x s\nclaims: [!!binary aGk=]\n",
		"a: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
		"a: 1\n---\nb: 2\n",
		"source: s\nclaims:\n  - subject: x\n    quote: \"unclosed\n",
		"\ufeffsource: s\n\tclaims: []\n",
		billionLaughs,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"f.yaml", "f.json"} {
			file, err := claimsfile.Parse(name, data)
			if err != nil {
				var e *claimsfile.Error
				if !errors.As(err, &e) {
					t.Fatalf("%s: got %T %v, want a *claimsfile.Error", name, err, err)
				}
				if e.Pos.File != name || e.Msg == "" {
					t.Fatalf("%s: got error %+v, want one in %s with a message", name, e, name)
				}
				continue
			}
			checkFile(t, file)
		}
	})
}

// checkFile checks what Parse promises of a file it accepts.
func checkFile(t *testing.T, f *claimsfile.File) {
	t.Helper()
	if len(f.Predicates)+len(f.Aliases)+len(f.Claims) == 0 {
		t.Fatalf("%s: accepted a file that defines nothing", f.Name)
	}
	for _, p := range f.Predicates {
		if p.Name == "" || p.Kind == "" || p.Pos.Line == 0 {
			t.Fatalf("%s: got predicate %+v, want a name, a kind and a position", f.Name, p)
		}
	}
	for _, a := range f.Aliases {
		if a.Name == "" || a.Entity == "" || a.Kind == "" || a.Pos.Line == 0 {
			t.Fatalf("%s: got alias %+v, want a name, an entity, a kind and a position", f.Name, a)
		}
	}
	for i, c := range f.Claims {
		if c.Index != i+1 || c.Subject == "" || c.Predicate == "" || c.Quote == "" {
			t.Fatalf("%s: got claim %+v, want index %d, a subject, a predicate and a quote", f.Name, c, i+1)
		}
		if c.Source == "" && f.Source == "" {
			t.Fatalf("%s: got claim %+v without a source in a file without one", f.Name, c)
		}
		if (c.Value.Scalar == "") == (c.Value.Relation == nil) {
			t.Fatalf("%s: got claim value %+v, want a scalar or a relation", f.Name, c.Value)
		}
		if r := c.Value.Relation; r != nil && (r.To.Subject == "" || r.To.Predicate == "" || r.Op == "") {
			t.Fatalf("%s: got relation %+v, want an op, a subject and a predicate", f.Name, r)
		}
		if c.Pos.Line == 0 || c.ValuePos.Line == 0 || c.QuotePos.Line == 0 {
			t.Fatalf("%s: got claim positions %v %v %v, want all known", f.Name, c.Pos, c.ValuePos, c.QuotePos)
		}
	}
}
