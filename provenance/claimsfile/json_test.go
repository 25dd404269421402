package claimsfile

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// sameAsReference checks that Parse and the reference path (encoding/json
// into yaml.v3 nodes, json_ref_test.go) accept and refuse data alike, with
// the same error or the same File.
func sameAsReference(t *testing.T, data []byte) (*File, error) {
	t.Helper()
	got, gerr := Parse("f.json", data)
	want, werr := parseJSONRef("f.json", data)
	switch {
	case (gerr == nil) != (werr == nil):
		t.Fatalf("input %q:\nscanner:   %v\nreference: %v", data, gerr, werr)
	case gerr != nil && gerr.Error() != werr.Error():
		t.Fatalf("input %q:\nscanner:   %v\nreference: %v", data, gerr, werr)
	case gerr == nil && !reflect.DeepEqual(got, want):
		t.Fatalf("input %q:\nscanner:   %+v\nreference: %+v", data, got, want)
	}
	return got, gerr
}

// jsonCases are inputs where a scanner of its own could part from
// encoding/json: every one must give what the reference path gives.
var jsonCases = []string{
	// Accepted.
	`{"source": "s", "claims": [{"subject": "x", "predicate": "p", "value": "v", "quote": "q"}]}`,
	`{"source": "s", "claims": [{"subject": "a\/b \ud83d\ude00 \u00e9\u00C9 \"\\\b\f\n\r\t", "predicate": "p", "value": "v", "quote": "q"}]}`,
	`{"source": "s", "claims": [{"subject": "x", "predicate": "p", "value": 123456789012345678901234567890e999999, "quote": "q"}]}`,
	`{"source": "s", "claims": [{"subject": "x", "predicate": "p", "value": -0.5E-3, "quote": "q"}]}`,
	`{"source": "s", "claims": [{"subject": "x", "predicate": "p", "value": -0, "quote": "q", "note": null, "id": null}]}`,
	"\ufeff \r\n{\"aliases\":\r[{\"name\":\"탐지망\",\r\n\"entity\":\"b\",\"kind\":\"variant\"}]}\n\t ",
	`{"predicates": [{"name": "a", "kind": "date", "many": true}, {"name": "b", "kind": "date", "many": false}]}`,
	`{"source": "s", "claims": [{"subject": "x", "predicate": "p", "value": {"same": {"subject": "a", "predicate": "b"}}, "quote": "q"}]}`,
	`{"source": "s", "claims": [{"subject": "x", "predicate": "p", "value": "v", "quote": "q\u0000"}]}`,
	// Refused by the decoder.
	`{"source": "s", "source": "t", "claims": []}`,
	`{"source": "s", "claims": [{"subject": "x", "subject": "y"}]}`,
	`{"source": "s", "claims": [{"id": "c1", "subjects": "x"}]}`,
	`{"source": "s", "claims": [{"subject": ["x"], "predicate": "p", "value": "v", "quote": "q"}]}`,
	`{"source": "s", "claims": [{"subject": {}, "predicate": "p", "value": "v", "quote": "q"}]}`,
	`{"source": 1, "claims": {}}`,
	`{"predicates": [{"name": "a", "kind": "date", "many": 1}]}`,
	`{"predicates": [{"name": "a", "kind": "date", "many": "false"}]}`,
	`{"": 1}`,
	`{" ": 1}`,
	`""`,
	`"  "`,
	`[]`,
	`17`,
	`true`,
	`{"source": "s", "claims": [{"subject": "x", "predicate": "p", "value": {"after": {"subject": "a"}}, "quote": "q"}]}`,
	`{"source": "s", "claims": [{"subject": "x", "predicate": "p", "value": {"after": {}, "before": {}}, "quote": "q"}]}`,
	`{"source": "s", "claims": [{"subject": "x\u202e", "predicate": "p", "value": "v", "quote": "q"}]}`,
	// Lone surrogates, depth, and syntax errors, alone and together.
	`{"source": "\ud800"}`,
	`{"source": "\udfff"}`,
	`{"source": "\ud800\ud800"}`,
	`{"source": "\ud800\u0041"}`,
	`{"source": "\ud800\uZZZZ"}`,
	`{"source": "\ud800`,
	`{"source": "\ud800"} x`,
	`{"\udc00": 1}`,
	`{"source": "\\ud800"}`,
	`{"a": ` + strings.Repeat("[", 32) + strings.Repeat("]", 32) + `}`,
	`{"a": ` + strings.Repeat("[", 31) + strings.Repeat("]", 31) + `}`,
	`{"a": ` + strings.Repeat(`{"b":`, 31) + "1" + strings.Repeat("}", 31) + `}`,
	`{"a": ` + strings.Repeat(`{"b":`, 32) + "{}" + strings.Repeat("}", 32) + `}`,
	`{"a": ` + strings.Repeat("[", 40) + strings.Repeat("]", 39) + `}`,
	`{"a": ` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`,
	`{"a": ` + strings.Repeat("[", 40) + `"\ud800"` + strings.Repeat("]", 40) + `}`,
	`{"a": "\ud800", "b": ` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`,
	`{"source": "s"} {}`,
	`{"source": "s"}]`,
	`{"source": "s",}`,
	`{"source" "s"}`,
	`{"source": 'a'}`,
	`{"source": 01}`,
	`{"source": 1.}`,
	`{"source": .5}`,
	`{"source": 1e}`,
	`{"source": -}`,
	`{"source": +1}`,
	`{"source": tru}`,
	`{"source": nulls}`,
	`{"source": "a` + "\t" + `b"}`,
	`{"source": "a\x"}`,
	`{"source": "a\u12"}`,
	`{source: "s"}`,
	`{"claims": [1,]}`,
	`{"claims": [`,
	`{"claims": "`,
	"{\"source\": \"s\"\n\n",
	`[1 2]`,
	"{\"source\":\r\"s\", \"claims\":\r\n[\"x\"\r\"y\"]}",
}

func TestJSONScannerMatchesReference(t *testing.T) {
	for _, in := range jsonCases {
		sameAsReference(t, []byte(in))
	}
	for _, name := range []string{"testdata/full.json"} {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		sameAsReference(t, data)
	}
}

// TestJSONScannerErrors pins a few of the answers the cases above compare,
// so that the reference path cannot drift with them.
func TestJSONScannerErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"source": "s", "claims": [{"id": "c1", "subjects": "x"}]}`,
			`f.json:1:41: claim c1: unknown field "subjects" (known: id, subject, as, predicate, value, quote, source, note, prefix, suffix)`},
		{"{\"source\": \"s\",\n  \"claims\": [], \"source\": 2}",
			`f.json:2:17: duplicate field "source" (first at line 1)`},
		{`{"source": "s", "claims": [{"subject": ["x"], "predicate": "p", "value": "v", "quote": "q"}]}`,
			`f.json:1:40: claim #1: subject must be text, not a list`},
		{`{"source": "s"} {}`,
			`f.json:1:17: JSON syntax error: invalid character '{' after top-level value`},
		{`{"a": "\ud800", "b": ` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`,
			`f.json:1:8: the escape \ud800 is half of a surrogate pair (a UTF-16 code unit, not a character): write the character itself, or both halves of the pair`},
		{`{"a": ` + strings.Repeat("[", 40) + `"\ud800"` + strings.Repeat("]", 40) + `}`,
			`f.json:1:38: ` + nestingMsg},
		{`{"source": "\ud800"} x`,
			`f.json:1:22: JSON syntax error: invalid character 'x' after top-level value`},
	} {
		_, err := sameAsReference(t, []byte(c.in))
		if err == nil || err.Error() != c.want {
			t.Errorf("input %q:\ngot  %v\nwant %s", c.in, err, c.want)
		}
	}
}

func FuzzJSONMatchesReference(f *testing.F) {
	for _, in := range jsonCases {
		f.Add([]byte(in))
	}
	if data, err := os.ReadFile("testdata/full.json"); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sameAsReference(t, data)
	})
}
