package claimsfile_test

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/provenance/claimsfile"
)

// MustParse parses a file of testdata.
func MustParse(tb testing.TB, name string) *claimsfile.File {
	tb.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	f, err := claimsfile.Parse(name, data)
	if err != nil {
		tb.Fatalf("Parse(%s): %v", name, err)
	}
	return f
}

func at(file string, line, col int) claimsfile.Pos {
	return claimsfile.Pos{File: file, Line: line, Column: col}
}

// fullWant is testdata/full.yaml, with the positions of full.yaml.
func fullWant() *claimsfile.File {
	const y = "full.yaml"
	dtpn := "Disruptive Technology Protection Network"
	return &claimsfile.File{
		Name:      y,
		Source:    "readable-2024-06-07",
		SourcePos: at(y, 2, 9),
		Predicates: []claimsfile.Predicate{
			{Name: "launched", Kind: "date", Pos: at(y, 4, 5)},
			{Name: "first high-level meeting", Kind: "date", Pos: at(y, 5, 5)},
			{Name: "member", Kind: "entity", Many: true, Pos: at(y, 6, 5)},
			{Name: "countries", Kind: "quantity", Pos: at(y, 7, 5)},
		},
		Aliases: []claimsfile.Alias{
			{Name: "US Canon", Entity: "Camp David summit", Kind: "mistranslation", Pos: at(y, 11, 5)},
			{Name: "Innovation Technology Protection Network", Entity: dtpn, Kind: "distinct-from",
				Note: "a different network, despite the name", Pos: at(y, 12, 5)},
		},
		Claims: []claimsfile.Claim{{
			Index: 1, ID: "dtpn-launch", Subject: dtpn, Predicate: "launched",
			Value: claimsfile.Value{Scalar: "April 2023"},
			Quote: "Launched in April 2023 following the Camp David summit",
			Pos:   at(y, 17, 5), ValuePos: at(y, 20, 12), QuotePos: at(y, 21, 12),
		}, {
			Index: 2, Source: "another-source-id", Subject: dtpn, Predicate: "launched",
			Value: claimsfile.Value{Relation: &events.Relation{Op: events.RelAfter,
				To: events.FactRef{Subject: "Camp David summit", Predicate: "held"}}},
			Quote: "following the Camp David summit",
			Pos:   at(y, 22, 5), ValuePos: at(y, 24, 12), QuotePos: at(y, 25, 12), SourcePos: at(y, 26, 13),
		}, {
			Index: 3, ID: "summit-held", Subject: "Camp David summit", As: "US Canon", Predicate: "held",
			Value: claimsfile.Value{Scalar: "2023-08-18"},
			Quote: "the summit at US Canon: August 18", Prefix: "held", Suffix: ", 2023",
			Note: "machine translation",
			Pos:  at(y, 27, 5), ValuePos: at(y, 31, 12), QuotePos: at(y, 32, 12),
		}, {
			Index: 4, ID: "members", Subject: dtpn, Predicate: "countries",
			Value: claimsfile.Value{Scalar: "60"},
			Quote: "about 60 countries",
			Pos:   at(y, 36, 5), ValuePos: at(y, 39, 12), QuotePos: at(y, 40, 12),
		}},
	}
}

// withoutPositions returns a copy of f with every position and the name
// cleared, to compare the YAML and the JSON forms of one file.
func withoutPositions(f *claimsfile.File) *claimsfile.File {
	g := *f
	g.Name, g.SourcePos = "", claimsfile.Pos{}
	g.Predicates = append([]claimsfile.Predicate(nil), f.Predicates...)
	for i := range g.Predicates {
		g.Predicates[i].Pos = claimsfile.Pos{}
	}
	g.Aliases = append([]claimsfile.Alias(nil), f.Aliases...)
	for i := range g.Aliases {
		g.Aliases[i].Pos = claimsfile.Pos{}
	}
	g.Claims = append([]claimsfile.Claim(nil), f.Claims...)
	for i := range g.Claims {
		c := &g.Claims[i]
		c.Pos, c.ValuePos, c.QuotePos, c.SourcePos = claimsfile.Pos{}, claimsfile.Pos{}, claimsfile.Pos{}, claimsfile.Pos{}
	}
	return &g
}

func TestParse(t *testing.T) {
	t.Run("YAML", func(t *testing.T) {
		got, want := MustParse(t, "full.yaml"), fullWant()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got\n%+v\nwant\n%+v", got, want)
		}
	})
	t.Run("JSON", func(t *testing.T) {
		got := MustParse(t, "full.json")
		if g, w := withoutPositions(got), withoutPositions(fullWant()); !reflect.DeepEqual(g, w) {
			t.Errorf("got\n%+v\nwant\n%+v", g, w)
		}
		// Columns count a tab as one code point, like yaml.v3.
		const j = "full.json"
		for _, c := range []struct {
			what      string
			got, want claimsfile.Pos
		}{
			{"source", got.SourcePos, at(j, 2, 12)},
			{"predicate 1", got.Predicates[0].Pos, at(j, 4, 3)},
			{"alias 2", got.Aliases[1].Pos, at(j, 11, 3)},
			{"claim 1", got.Claims[0].Pos, at(j, 19, 3)},
			{"claim 1 value", got.Claims[0].ValuePos, at(j, 23, 13)},
			{"claim 1 quote", got.Claims[0].QuotePos, at(j, 24, 13)},
			{"claim 2 value", got.Claims[1].ValuePos, at(j, 29, 13)},
			{"claim 2 source", got.Claims[1].SourcePos, at(j, 31, 14)},
			{"claim 4", got.Claims[3].Pos, at(j, 44, 3)},
			{"claim 4 value", got.Claims[3].ValuePos, at(j, 48, 13)},
		} {
			if c.got != c.want {
				t.Errorf("%s at %v, want %v", c.what, c.got, c.want)
			}
		}
	})
	t.Run("Scalars", func(t *testing.T) {
		// Every scalar is taken as written, never as YAML types it.
		values := []string{"60", "2023-04-25", "true", "1.50", "0x10", "1_000", "~60 countries", "060", ".inf", "2023-04-25T10:00:00Z"}
		var b strings.Builder
		b.WriteString("source: s\nclaims:\n")
		for _, v := range values {
			b.WriteString("  - {subject: x, predicate: p, quote: q, value: " + v + "}\n")
		}
		f, err := claimsfile.Parse("scalars.yaml", []byte(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range values {
			if got := f.Claims[i].Value.Scalar; got != v {
				t.Errorf("value %d: got %q, want %q", i+1, got, v)
			}
		}
	})
	t.Run("JSONScalars", func(t *testing.T) {
		f, err := claimsfile.Parse("scalars.json", []byte(`{"source": "s", "claims": [
			{"subject": "x", "predicate": "p", "quote": "a \/ \ud83d\ude00", "value": 6.0e1},
			{"subject": 12, "predicate": true, "quote": "q", "value": false}]}`))
		if err != nil {
			t.Fatal(err)
		}
		c := f.Claims[0]
		if c.Quote != "a / 😀" || c.Value.Scalar != "6.0e1" {
			t.Errorf("got quote %q value %q, want %q and %q", c.Quote, c.Value.Scalar, "a / 😀", "6.0e1")
		}
		c = f.Claims[1]
		if c.Subject != "12" || c.Predicate != "true" || c.Value.Scalar != "false" {
			t.Errorf("got %q %q %q, want 12 true false", c.Subject, c.Predicate, c.Value.Scalar)
		}
	})
	for _, c := range []struct {
		name, file, in string
		check          func(*claimsfile.File) bool
	}{
		{"OnlyPredicates", "p.yaml", "predicates:\n  - {name: held, kind: date}\nclaims: []\n",
			func(f *claimsfile.File) bool { return len(f.Predicates) == 1 && f.Claims == nil }},
		{"OnlyAliases", "a.yml", "aliases:\n  - {name: A, entity: B, kind: distinct}\n",
			func(f *claimsfile.File) bool { return len(f.Aliases) == 1 && f.Aliases[0].Kind == "distinct" }},
		{"ClaimSourceWithoutDefault", "c.yaml", "claims:\n  - {source: s, subject: x, predicate: p, value: v, quote: q}\n",
			func(f *claimsfile.File) bool { return f.Source == "" && f.Claims[0].Source == "s" }},
		{"DefaultSourceAfterClaims", "c.yaml", "claims:\n  - {subject: x, predicate: p, value: v, quote: q}\nsource: s\n",
			func(f *claimsfile.File) bool { return f.Source == "s" && f.SourcePos == at("c.yaml", 3, 9) }},
		{"NullOptionalFields", "c.yaml", "source: s\naliases: ~\nclaims:\n  - {id: ~, subject: x, predicate: p, value: v, quote: q, note: null, as: ''}\n",
			func(f *claimsfile.File) bool {
				return f.Claims[0].ID == "" && f.Claims[0].Note == "" && f.Aliases == nil
			}},
		{"ManyDefaultsToFalse", "p.yaml", "predicates:\n  - {name: a, kind: date, many: ~}\n  - {name: b, kind: date, many: True}\n",
			func(f *claimsfile.File) bool { return !f.Predicates[0].Many && f.Predicates[1].Many }},
		{"ByteOrderMark", "b.yaml", "\ufeffaliases:\n  - {name: A, entity: B, kind: variant}\n",
			func(f *claimsfile.File) bool { return f.Aliases[0].Pos == at("b.yaml", 2, 5) }},
		{"ByteOrderMarkJSON", "b.json", "\ufeff{\"aliases\": [{\"name\": \"A\", \"entity\": \"B\", \"kind\": \"variant\"}]}",
			func(f *claimsfile.File) bool { return f.Aliases[0].Pos == at("b.json", 1, 14) }},
		{"UpperCaseExtension", "C.YAML", "aliases: [{name: A, entity: B, kind: variant}]",
			func(f *claimsfile.File) bool { return len(f.Aliases) == 1 }},
		{"BlockScalarQuote", "q.yaml", "source: s\nclaims:\n  - subject: x\n    predicate: p\n    value: v\n    quote: |-\n      two\n      lines\n",
			func(f *claimsfile.File) bool {
				return f.Claims[0].Quote == "two\nlines" && f.Claims[0].QuotePos == at("q.yaml", 6, 12)
			}},
		{"KoreanColumns", "k.yaml", "source: s\nclaims:\n  - {subject: 탐지망, predicate: 출범, value: 2023년 4월, quote: 지난해 8월}\n",
			func(f *claimsfile.File) bool { return f.Claims[0].QuotePos == at("k.yaml", 3, 59) }},
		{"RelationBefore", "r.json", `{"source":"s","claims":[{"subject":"x","predicate":"p","quote":"q","value":{"before":{"predicate":"b","subject":"a"}}}]}`,
			func(f *claimsfile.File) bool {
				r := f.Claims[0].Value.Relation
				return r != nil && r.Op == events.RelBefore && r.To == events.FactRef{Subject: "a", Predicate: "b"}
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := claimsfile.Parse(c.file, []byte(c.in))
			if err != nil {
				t.Fatal(err)
			}
			if !c.check(f) {
				t.Errorf("got %+v", f)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		name, file, in string
		want           string // the whole error message, position first
	}{
		{"ErrExtension", "claims.txt", "source: s\n",
			`claims.txt: a claims file is YAML (.yaml, .yml) or JSON (.json); this one has extension ".txt"`},
		{"ErrNoExtension", "claims", "source: s\n",
			`claims: a claims file is YAML (.yaml, .yml) or JSON (.json); this one has no extension`},
		{"ErrEmpty", "c.yaml", "", "c.yaml: file is empty"},
		{"ErrEmptyWhiteSpace", "c.json", " \n\t\r\n", "c.json: file is empty"},
		{"ErrEmptyComments", "c.yaml", "# nothing yet\n  # really\n", "c.yaml: file is empty"},
		{"ErrEmptyDocument", "c.yaml", "---\n", "c.yaml: file is empty"},
		{"ErrNotUTF8", "c.yaml", "source: s\nclaims: caf\xe9\n",
			"c.yaml:2:12: file is not valid UTF-8 (bad byte 0xE9 at byte offset 21): save it as UTF-8"},
		{"ErrUTF16", "c.yaml", "\xff\xfes\x00:\x00",
			"c.yaml:1:1: file is not valid UTF-8 (bad byte 0xFF at byte offset 0): save it as UTF-8"},
		{"ErrNUL", "c.json", "{\"source\":\n \"s\x00\"}",
			"c.json:2:4: file contains a NUL byte (at byte offset 14); is it UTF-16? save it as UTF-8"},
		{"ErrControlCharacter", "c.yaml", "source: s\nclaims:\n  - {subject: a\x1bb}\n",
			"c.yaml:3:16: file contains the control character U+001B, which YAML does not allow: remove it"},
		{"ErrTopLevelList", "c.yaml", "- source: s\n",
			"c.yaml:1:1: a claims file is a mapping with source, predicates, aliases and claims, not a list"},
		{"ErrTopLevelScalar", "c.yaml", "\n  hello\n",
			"c.yaml:2:3: a claims file is a mapping with source, predicates, aliases and claims, not text"},
		{"ErrTopLevelNull", "c.json", "null",
			"c.json:1:1: a claims file is a mapping with source, predicates, aliases and claims, not empty"},
		{"ErrEmptyByteOrderMark", "c.yaml", "\ufeff\n", "c.yaml: file is empty"},
		{"ErrTopLevelJSONArray", "c.json", "\n [{}]",
			"c.json:2:2: a claims file is a mapping with source, predicates, aliases and claims, not a list"},
		{"ErrNothing", "c.yaml", "source: s\nclaims: []\n",
			"c.yaml:1:1: file defines nothing: give it claims, predicates or aliases"},
		{"ErrNothingJSON", "c.json", " {}",
			"c.json:1:2: file defines nothing: give it claims, predicates or aliases"},
		{"ErrTwoDocuments", "c.yaml", "source: s\n---\nsource: t\n",
			`c.yaml:2:1: a claims file holds one YAML document, and a second one starts here: remove the "---" or split the file`},
		{"ErrUnknownTopField", "c.yaml", "source: s\nclaim: []\n",
			`c.yaml:2:1: unknown field "claim" (known: source, predicates, aliases, claims)`},
		{"ErrUnknownClaimField", "claims.yaml", "source: s\n\n\n\n\n\n\n\n\nclaims:\n  - subject: x\n    id: dtpn-launch\n    qoute: q\n",
			`claims.yaml:13:5: claim dtpn-launch: unknown field "qoute" (known: id, subject, as, predicate, value, quote, source, note, prefix, suffix)`},
		{"ErrUnknownClaimFieldNoID", "c.yaml", "source: s\nclaims:\n  - {subject: x, predicate: p, value: v, quote: q}\n  - {subject: x, Predicate: p}\n",
			`c.yaml:4:18: claim #2: unknown field "Predicate" (known: id, subject, as, predicate, value, quote, source, note, prefix, suffix)`},
		{"ErrUnknownPredicateField", "c.yaml", "predicates:\n  - name: a\n    knd: date\n",
			`c.yaml:3:5: predicate #1: unknown field "knd" (known: name, kind, many)`},
		{"ErrUnknownAliasField", "c.json", `{"aliases": [{"name": "a", "entity": "b", "kind": "variant", "notes": ""}]}`,
			`c.json:1:62: alias #1: unknown field "notes" (known: name, entity, kind, note)`},
		{"ErrUnknownRelation", "c.yaml", "source: s\nclaims:\n  - id: c1\n    value: {afterwards: {subject: a, predicate: b}}\n",
			`c.yaml:4:13: claim c1: value: unknown field "afterwards" (known: after, before, same)`},
		{"ErrUnknownFactField", "c.yaml", "source: s\nclaims:\n  - id: c1\n    value: {same: {subject: a, pred: b}}\n",
			`c.yaml:4:32: claim c1: value: same: unknown field "pred" (known: subject, predicate)`},
		{"ErrDuplicateField", "c.yaml", "source: s\nclaims:\n  - id: c1\n    subject: a\n    subject: b\n",
			`c.yaml:5:5: claim c1: duplicate field "subject" (first at line 4)`},
		{"ErrDuplicateTopFieldJSON", "c.json", "{\"source\": \"a\",\n\"source\": \"b\"}",
			`c.json:2:1: duplicate field "source" (first at line 1)`},
		{"ErrFieldNameNotText", "c.yaml", "source: s\n? [a, b]\n: c\n",
			`c.yaml:2:3: a field name must be text, not a list (known: source, predicates, aliases, claims)`},
		{"ErrClaimsNotList", "c.yaml", "source: s\nclaims:\n  subject: x\n",
			"c.yaml:3:3: claims must be a list, not a mapping"},
		{"ErrPredicatesNotList", "c.yaml", "predicates: launched\n",
			"c.yaml:1:13: predicates must be a list, not text"},
		{"ErrAliasesNotList", "c.json", `{"aliases": {}}`,
			"c.json:1:13: aliases must be a list, not a mapping"},
		{"ErrClaimNotMapping", "c.yaml", "source: s\nclaims:\n  - subject: x\n    predicate: p\n    value: v\n    quote: q\n  - [subject, x]\n",
			"c.yaml:7:5: claim #2: a claim must be a mapping with id, subject, as, predicate, value, quote, source, note, prefix, suffix, not a list"},
		{"ErrClaimEmpty", "c.yaml", "source: s\nclaims:\n  -\n",
			"c.yaml:3:4: claim #1: a claim must be a mapping with id, subject, as, predicate, value, quote, source, note, prefix, suffix, not empty"},
		{"ErrPredicateNotMapping", "c.yaml", "predicates: [launched]\n",
			"c.yaml:1:14: predicate #1 must be a mapping {name, kind, many}, not text"},
		{"ErrValueList", "c.yaml", "source: s\nclaims:\n  - id: c1\n    value: [2023, 2024]\n",
			"c.yaml:4:12: claim c1: value must be a date/quantity/text written as a string, or a mapping {after|before|same: {subject, predicate}}, not a list"},
		{"ErrValueEmptyMapping", "c.yaml", "source: s\nclaims:\n  - id: c1\n    value: {}\n",
			"c.yaml:4:12: claim c1: value must be a date/quantity/text written as a string, or a mapping {after|before|same: {subject, predicate}}, not an empty mapping"},
		{"ErrValueTwoRelations", "c.yaml", "source: s\nclaims:\n  - id: c1\n    value:\n      after: {subject: a, predicate: b}\n      before: {subject: c, predicate: d}\n",
			"c.yaml:6:7: claim c1: a value relates to one fact: give only one of after, before and same"},
		{"ErrRelationNotMapping", "c.yaml", "source: s\nclaims:\n  - id: c1\n    value: {after: Camp David summit}\n",
			"c.yaml:4:20: claim c1: value: after must be a mapping {subject, predicate}, not text"},
		{"ErrRelationMissingPredicate", "c.yaml", "source: s\nclaims:\n  - id: c1\n    value: {after: {subject: Camp David summit}}\n",
			"c.yaml:4:20: claim c1: value: after: missing predicate (write {after: {subject: ..., predicate: ...}})"},
		{"ErrMissingQuote", "c.yaml", "source: s\nclaims:\n  - id: c1\n    subject: x\n    predicate: p\n    value: v\n",
			"c.yaml:3:5: claim c1: missing quote (a claim needs subject, predicate, value and quote)"},
		{"ErrMissingSeveral", "c.yaml", "source: s\nclaims:\n  - subject: x\n    value: ~\n    quote: '  '\n",
			"c.yaml:3:5: claim #1: missing predicate, value and quote (a claim needs subject, predicate, value and quote)"},
		{"ErrMissingSubjectJSON", "c.json", `{"source": "s", "claims": [{"subject": null, "predicate": "p", "value": "v", "quote": "q"}]}`,
			"c.json:1:28: claim #1: missing subject (a claim needs subject, predicate, value and quote)"},
		{"ErrNoSource", "c.yaml", "claims:\n  - {source: s, subject: x, predicate: p, value: v, quote: q}\n  - {source: s, subject: x, predicate: p, value: v, quote: q}\n  - {subject: x, predicate: p, value: v, quote: q}\n",
			"c.yaml:4:5: claim #3: no source: give the claim a source, or the file a default source at the top"},
		{"ErrSubjectNotText", "c.yaml", "source: s\nclaims:\n  - id: c1\n    subject: {name: x}\n",
			"c.yaml:4:14: claim c1: subject must be text, not a mapping"},
		{"ErrIDNotText", "c.yaml", "source: s\nclaims:\n  - id: [c1]\n",
			"c.yaml:3:9: claim #1: id must be text, not a list"},
		{"ErrSourceNotText", "c.yaml", "source: [a, b]\n",
			"c.yaml:1:9: source must be text, not a list"},
		{"ErrPredicateMissingKind", "c.yaml", "predicates:\n  - {name: launched}\n",
			`c.yaml:2:5: predicate "launched": missing kind (write {name: ..., kind: date|quantity|entity|text})`},
		{"ErrPredicateMissingAll", "c.yaml", "predicates:\n  - {many: true}\n",
			`c.yaml:2:5: predicate #1: missing name and kind (write {name: ..., kind: date|quantity|entity|text})`},
		{"ErrAliasMissingEntity", "c.yaml", "aliases:\n  - name: US Canon\n    kind: mistranslation\n",
			`c.yaml:2:5: alias "US Canon": missing entity (write {name: ..., entity: ..., kind: ...})`},
		{"ErrManyNotBool", "c.yaml", "predicates:\n  - {name: member, kind: entity, many: yes}\n",
			`c.yaml:2:40: predicate #1: many must be true or false, not text "yes"`},
		{"ErrManyQuotedJSON", "c.json", `{"predicates": [{"name": "member", "kind": "entity", "many": "true"}]}`,
			`c.json:1:62: predicate #1: many must be true or false, not text "true"`},
		{"ErrAnchor", "c.yaml", "source: s\nclaims:\n  - &c1 {subject: x, predicate: p, value: v, quote: q}\n  - *c1\n",
			"c.yaml:3:5: YAML aliases are not allowed in claims files: remove the anchor &c1 and write each value out in full"},
		{"ErrAliasWithoutAnchor", "c.yaml", "source: s\nclaims:\n  - *c1\n",
			"c.yaml:3:5: YAML aliases are not allowed in claims files (unknown anchor 'c1' referenced): write each value out in full"},
		{"ErrMergeKey", "c.yaml", "source: s\nclaims:\n  - <<: {subject: x}\n    predicate: p\n",
			"c.yaml:3:5: YAML aliases are not allowed in claims files: replace the merge key << with the fields themselves"},
		{"ErrTag", "c.yaml", "source: s\nclaims:\n  - {subject: x, predicate: p, value: !!binary aGk=, quote: q}\n",
			"c.yaml:3:39: YAML tag !!binary is not allowed in claims files: write the value as plain text"},
		{"ErrLocalTag", "c.yaml", "source: !slug s\n",
			"c.yaml:1:9: YAML tag !slug is not allowed in claims files: write the value as plain text"},
		{"ErrTooDeep", "c.yaml", "source: s\nclaims:\n  - value: " + strings.Repeat("{a: ", 40) + "b" + strings.Repeat("}", 40) + "\n",
			"c.yaml:3:125: nesting is too deep: lists and mappings nest more than 32 levels deep here; the limit is 32 (a claims file needs 6 at most)"},
		{"ErrTooDeepJSON", "c.json", "{\"claims\":" + strings.Repeat("[", 40) + strings.Repeat("]", 40) + "}",
			"c.json:1:42: nesting is too deep: lists and mappings nest more than 32 levels deep here; the limit is 32 (a claims file needs 6 at most)"},
		{"ErrYAMLColonInQuote", "c.yaml", "source: s\nclaims:\n  - subject: x\n    quote: Launched: in April\n",
			`c.yaml:4:20: YAML syntax error: mapping values are not allowed in this context (text that contains ": " must be put in quotes)`},
		{"ErrYAMLUnclosedQuote", "c.yaml", "source: s\nclaims:\n  - subject: x\n    quote: \"Launched in April\n    value: v\n",
			"c.yaml:4:12: YAML syntax error: found unexpected end of stream"},
		{"ErrYAMLTabIndent", "c.yaml", "source: s\nclaims:\n  - subject: x\n\tquote: q\n",
			"c.yaml:4:1: YAML syntax error: found a tab character that violates indentation"},
		{"ErrYAMLIndentation", "c.yaml", "source: s\nclaims:\n  - subject: x\n   predicate: p\n",
			"c.yaml:4:4: YAML syntax error: did not find expected '-' indicator (check the indentation)"},
		{"ErrJSONSyntax", "c.json", "{\"source\": \"s\",\n \"claims\": [{\"subject\": \"x\" \"predicate\": \"p\"}]}",
			`c.json:2:29: JSON syntax error: invalid character '"' after object key:value pair`},
		{"ErrJSONTrailingComma", "c.json", "{\"claims\": [\n  {},\n]}",
			`c.json:3:1: JSON syntax error: invalid character ']' looking for beginning of value`},
		{"ErrJSONNotUTF8", "c.json", "{\"source\": \"caf\xe9\"}",
			"c.json:1:16: file is not valid UTF-8 (bad byte 0xE9 at byte offset 15): save it as UTF-8"},
		{"ErrJSONLoneHighSurrogate", "c.json", "{\"source\": \"s\",\n \"claims\": [{\"subject\": \"a\\ud800\", \"predicate\": \"p\", \"value\": \"v\", \"quote\": \"q\"}]}",
			`c.json:2:27: the escape \ud800 is half of a surrogate pair (a UTF-16 code unit, not a character): write the character itself, or both halves of the pair`},
		{"ErrJSONLoneLowSurrogate", "c.json", `{"source": "s", "claims": [{"subject": "x", "predicate": "p", "value": "v", "quote": "q", "note": "\udc00"}]}`,
			`c.json:1:100: the escape \udc00 is half of a surrogate pair (a UTF-16 code unit, not a character): write the character itself, or both halves of the pair`},
		{"ErrJSONHighThenNotLow", "c.json", `{"source": "s\ud83d\u0041"}`,
			`c.json:1:14: the escape \ud83d is half of a surrogate pair (a UTF-16 code unit, not a character): write the character itself, or both halves of the pair`},
		{"ErrJSONSurrogateInKey", "c.json", `{"sou\uDBFFrce": "s"}`,
			`c.json:1:6: the escape \uDBFF is half of a surrogate pair (a UTF-16 code unit, not a character): write the character itself, or both halves of the pair`},
		{"ErrJSONNewlineInSubject", "c.json", `{"source": "s", "claims": [{"id": "c1", "subject": "x\n[9] forged", "predicate": "p", "value": "v", "quote": "q"}]}`,
			`c.json:1:52: claim c1: subject contains a control character, U+000A (line feed), at character 2: control characters, tabs and line breaks are not allowed`},
		{"ErrYAMLNewlineInSubject", "c.yaml", "source: s\nclaims:\n  - subject: \"x\\n[9] forged\"\n",
			`c.yaml:3:14: claim #1: subject contains a control character, U+000A (line feed), at character 2: control characters, tabs and line breaks are not allowed`},
		{"ErrYAMLBlockScalarSubject", "c.yaml", "source: s\nclaims:\n  - subject: |\n      two\n      lines\n",
			`c.yaml:3:14: claim #1: subject contains a control character, U+000A (line feed), at character 4: control characters, tabs and line breaks are not allowed`},
		{"ErrOverrideInSubject", "c.yaml", "source: s\nclaims:\n  - subject: \"abc\u202etxt\"\n",
			`c.yaml:3:14: claim #1: subject contains a bidirectional control, U+202E (right-to-left override), at character 4: bidirectional embeddings, overrides and isolates are not allowed in names`},
		{"ErrIsolateInAs", "c.yaml", "source: s\nclaims:\n  - {as: \"\u2066x\"}\n",
			`c.yaml:3:10: claim #1: as contains a bidirectional control, U+2066 (left-to-right isolate), at character 1: bidirectional embeddings, overrides and isolates are not allowed in names`},
		{"ErrSeparatorInPredicate", "c.yaml", "predicates:\n  - {name: \"a\u2028b\", kind: text}\n",
			`c.yaml:2:12: predicate #1: name contains a line break, U+2028 (line separator), at character 2: line breaks are not allowed`},
		{"ErrTabInAliasNote", "c.yaml", "aliases:\n  - {name: a, entity: b, kind: variant, note: \"x\\ty\"}\n",
			`c.yaml:2:47: alias #1: note contains a control character, U+0009 (tab), at character 2: control characters, tabs and line breaks are not allowed`},
		{"ErrNewlineInAliasEntity", "c.json", `{"aliases": [{"name": "a", "entity": "b\r", "kind": "variant"}]}`,
			`c.json:1:38: alias #1: entity contains a control character, U+000D (carriage return), at character 2: control characters, tabs and line breaks are not allowed`},
		{"ErrNewlineInClaimNote", "c.yaml", "source: s\nclaims:\n  - id: c1\n    note: \"ok\\u0085forged\"\n",
			`c.yaml:4:11: claim c1: note contains a control character, U+0085 (next line), at character 3: control characters, tabs and line breaks are not allowed`},
		{"ErrNewlineInRelation", "c.yaml", "source: s\nclaims:\n  - id: c1\n    value: {after: {subject: \"S\\n\", predicate: held}}\n",
			`c.yaml:4:30: claim c1: value: after: subject contains a control character, U+000A (line feed), at character 2: control characters, tabs and line breaks are not allowed`},
		{"ErrJSONUnexpectedEnd", "c.json", "{\"source\": \"s\",\n \"claims\": [{\"subject\": \"x\"\n\n",
			"c.json:2:28: JSON syntax error: unexpected end of JSON input: the file ends too early (a missing } or ])"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := claimsfile.Parse(c.file, []byte(c.in))
			if err == nil {
				t.Fatalf("got %+v, want error %q", f, c.want)
			}
			var e *claimsfile.Error
			if !errors.As(err, &e) {
				t.Fatalf("got %T %v, want a *claimsfile.Error", err, err)
			}
			if got := err.Error(); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
			if e.Pos.File != c.file {
				t.Errorf("got file %q, want %q", e.Pos.File, c.file)
			}
		})
	}
}

func TestErrorClaim(t *testing.T) {
	for _, c := range []struct {
		name, in, want string
	}{
		{"ID", "source: s\nclaims:\n  - {id: c1, subject: x}\n", "c1"},
		{"Index", "source: s\nclaims:\n  - {subject: x, predicate: p, value: v, quote: q}\n  - {subject: x}\n", "claim #2"},
		{"Outside", "source: s\npredicates: [{}]\n", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := claimsfile.Parse("c.yaml", []byte(c.in))
			var e *claimsfile.Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want a *claimsfile.Error", err)
			}
			if e.Claim != c.want {
				t.Errorf("got claim %q, want %q", e.Claim, c.want)
			}
		})
	}
}

func TestPosString(t *testing.T) {
	for _, c := range []struct {
		pos  claimsfile.Pos
		want string
	}{
		{at("claims.yaml", 12, 5), "claims.yaml:12:5"},
		{at("claims.yaml", 12, 0), "claims.yaml:12"},
		{at("claims.yaml", 0, 0), "claims.yaml"},
		{at("", 3, 1), "3:1"},
	} {
		if got := c.pos.String(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}
