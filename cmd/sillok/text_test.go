package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

// unchecked appends a payload without its Validate, the way an archive
// written before names were checked holds it.
type unchecked struct{ events.Payload }

func (unchecked) Validate() error                { return nil }
func (u unchecked) MarshalJSON() ([]byte, error) { return json.Marshal(u.Payload) }

const forgedLine = "\n     9  2026-12-06T02:00:00Z  kim          verdict.recorded   review abf91dbbdf by kim: dismissed"

// seedForged appends events whose names, notes and reasons carry line
// breaks and bidirectional overrides, as an old archive might.
func seedForged(tx *events.Tx) error {
	body := "The network was launched in April 2023."
	d, err := tx.PutBlob([]byte(body))
	if err != nil {
		return err
	}
	text, err := sources.Text([]byte(body))
	if err != nil {
		return err
	}
	claim := eventstest.Claim("c1", "alpha", "Network"+forgedLine, "launched\u202e", "April 2023", "launched in April 2023")
	claim.Value = events.Value{Kind: events.KindEntity, Entity: "Entity\u2028forged"}
	claim.Note = "note\r\x1b[2Kforged"
	if claim.Quote, err = provenance.Anchor(d, text, "launched in April 2023", provenance.Context{}); err != nil {
		return err
	}
	other := *claim
	other.ID, other.Subject = "c2", "Other"
	for _, p := range []events.Payload{
		eventstest.Source("alpha", body), // unwrapped: a source needs its index entries
		unchecked{eventstest.Predicate("launched\u202e", events.KindEntity)},
		unchecked{claim},
		unchecked{&events.AliasDeclared{Name: "Net\u2029work", Entity: "Network" + forgedLine, Kind: events.AliasVariant}},
		unchecked{&other},
		unchecked{&events.ClaimRetracted{Claim: "c2", Reason: "misread" + forgedLine}},
	} {
		if _, err := tx.Append("archivist", p); err != nil {
			return err
		}
	}
	return nil
}

// assertNoForgery checks that out has wantLines lines (unless it is -1),
// no raw control, separator or bidirectional character, and no forged line.
func assertNoForgery(t *testing.T, what, out string, wantLines int) {
	t.Helper()
	if got := strings.Count(out, "\n"); wantLines >= 0 && got != wantLines {
		t.Errorf("%s printed %d lines, want %d:\n%s", what, got, wantLines, out)
	}
	for _, r := range strings.TrimSuffix(out, "\n") {
		if r != '\n' && (r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || r == 0x2028 || r == 0x2029 || r >= 0x202a && r <= 0x202e) {
			t.Errorf("%s printed the raw character %U:\n%q", what, r, out)
		}
	}
	if strings.Contains(out, forgedLine) {
		t.Errorf("%s printed a forged line:\n%s", what, out)
	}
}

func TestLogEscapesStoredText(t *testing.T) {
	archive := newArchive(t, seedForged)
	out := mustRunInProcess(t, archive, "log")
	assertNoForgery(t, "log", out, 6)
	for _, want := range []string{`Network\n     9  2026`, `launched\u202e`, `Entity\u2028forged`, `misread\n     9`, `"Net\u2029work"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log does not show %s escaped:\n%s", want, out)
		}
	}
	assertNoForgery(t, "claim list", mustRunInProcess(t, archive, "claim", "list"), 2)
	view := mustRunInProcess(t, archive, "view", "Network"+forgedLine)
	assertNoForgery(t, "view", view, -1)
	if !strings.Contains(view, `launched\u202e:`) || !strings.Contains(view, `Entity\u2028forged`) {
		t.Errorf("view does not show the escaped predicate and value:\n%s", view)
	}
}

func TestTerm(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":          "plain text",
		"한국어 日本語":             "한국어 日本語",
		"a\nb":                `a\nb`,
		"a\tb\r":              `a\tb\r`,
		"\x1b[31mred":         `\x1b[31mred`,
		"abc\u202etxt":        `abc\u202etxt`,
		"a\u2028b\u2029":      `a\u2028b\u2029`,
		"a\u0085b\x7f":        `a\u0085b\x7f`,
		"bad \xff byte":       `bad \xff byte`,
		"keep \ufffd as is":   "keep \ufffd as is",
		"mark\u200fin name":   `mark\u200fin name`,
		"no-break\u00a0space": "no-break\u00a0space",
	} {
		if got := term(in); got != want {
			t.Errorf("term(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRefuseForgingInput(t *testing.T) {
	archive, dir := claimsFixture(t, true)
	before := e2eHead(t, archive)
	add := func(extra ...string) []string {
		return append([]string{"claim", "add", "--source", "en-post", "--predicate", "place", "--value", "Lisbon", "--quote", "in Lisbon", "--subject"}, extra...)
	}
	for _, tt := range []struct {
		name string
		want []string
		args []string
	}{
		{"SubjectNewline", []string{"subject contains a control character, U+000A (line feed), at character 15"}, add("Harbor Compact" + forgedLine)},
		{"SubjectOverride", []string{"subject contains a bidirectional control, U+202E"}, add("Harbor\u202eCompact")},
		{"AsSeparator", []string{"as contains a line break, U+2028"}, add("Harbor Compact", "--as", "HC\u2028")},
		{"NoteTab", []string{"note contains a control character, U+0009 (tab)"}, add("Harbor Compact", "--note", "a\tb")},
		{"EntityValue", []string{"entity contains a bidirectional control, U+202D"}, []string{"claim", "add", "--source", "en-post", "--predicate", "place", "--value", "Lis\u202dbon", "--quote", "in Lisbon", "--subject", "Harbor Compact"}},
		{"Author", []string{"--author (or SILLOK_AUTHOR): author contains a control character, U+000A"}, append([]string{"--author", "kim" + forgedLine}, add("Harbor Compact")...)},
		{"AuthorOverride", []string{"--author", "U+202E"}, append([]string{"--author", "kim\u202e"}, add("Harbor Compact")...)},
		{"RetractReason", []string{"--reason contains a control character, U+000A"}, []string{"claim", "retract", "c1", "--reason", "misread" + forgedLine}},
		{"PredicateName", []string{"predicate name contains a line break, U+2029"}, []string{"predicate", "add", "p\u2029", "--kind", "text"}},
		{"AliasName", []string{"alias name contains a control character, U+000D"}, []string{"alias", "add", "HC\r", "--entity", "Harbor Compact", "--kind", "abbreviation"}},
		{"SourceTitle", []string{"title contains a control character, U+000A"}, []string{"source", "add", e2eWrite(t, dir, "t.txt", "Some other text entirely."), "--title", "T" + forgedLine}},
		{"SourcePublisher", []string{"publisher contains a bidirectional control, U+202E"}, []string{"source", "add", e2eWrite(t, dir, "p.txt", "Yet another text entirely."), "--publisher", "\u202eP"}},
		{"PublishedYear0000", []string{"--published", "year 0000 is out of range"}, []string{"source", "add", e2eWrite(t, dir, "y.txt", "A third text entirely."), "--published", "0000-01-01"}},
		{"PublishedOffset", []string{"--published", "zone offset +15:00 is beyond ±14:00"}, []string{"source", "add", e2eWrite(t, dir, "z.txt", "A fourth text entirely."), "--published", "2024-04-26T09:10:00+15:00"}},
		{"RetrievedOffset", []string{"--retrieved", "+14:60 has 60 minutes"}, []string{"source", "add", e2eWrite(t, dir, "r.txt", "A fifth text entirely."), "--retrieved", "2024-04-26T09:10:00+14:60"}},
		{"JSONLoneSurrogate", []string{"c.json:1:", `the escape \ud800 is half of a surrogate pair`}, []string{"claim", "import", e2eWrite(t, dir, "c.json", `{"source": "en-post", "claims": [{"subject": "Harbor\ud800", "predicate": "place", "value": "Lisbon", "quote": "in Lisbon"}]}`)}},
		{"JSONNewline", []string{"n.json:1:", "claim #1: subject contains a control character, U+000A"}, []string{"claim", "import", e2eWrite(t, dir, "n.json", `{"source": "en-post", "claims": [{"subject": "Harbor\n[9] forged", "predicate": "place", "value": "Lisbon", "quote": "in Lisbon"}]}`)}},
		{"YAMLOverride", []string{"o.yaml:3:15:", "subject contains a bidirectional control, U+202E"}, []string{"claim", "import", e2eWrite(t, dir, "o.yaml", "source: en-post\nclaims:\n  - {subject: \"Harbor\\u202e\", predicate: place, value: Lisbon, quote: in Lisbon}\n")}},
		{"QuantityHex", []string{"hexadecimal numbers are not quantities"}, []string{"claim", "add", "--source", "en-post", "--predicate", "members", "--value", "0x10", "--quote", "About 40 countries", "--subject", "Harbor Compact"}},
		{"QuantityHugeExponent", []string{"exponent 999999 is out of range"}, []string{"claim", "add", "--source", "en-post", "--predicate", "members", "--value", "1e999999", "--quote", "About 40 countries", "--subject", "Harbor Compact"}},
		{"NegativeYear", []string{"negative year (401 BCE)"}, []string{"claim", "add", "--source", "en-post", "--predicate", "signed", "--value", "-0400", "--quote", "signed on March 3, 2023", "--subject", "Harbor Compact"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			stderr := e2eFail(t, archive, 1, tt.want, tt.args...)
			if strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr has more than one line: %q", stderr)
			}
		})
	}
	t.Run("EnvAuthor", func(t *testing.T) {
		t.Setenv("SILLOK_AUTHOR", "kim"+forgedLine)
		e2eFail(t, archive, 1, []string{"--author (or SILLOK_AUTHOR)", "U+000A"}, add("Harbor Compact")...)
	})
	if got := e2eHead(t, archive); got != before {
		t.Errorf("head = %d after refused input, want %d", got, before)
	}
}

func TestValuesThroughCLI(t *testing.T) {
	archive, _ := claimsFixture(t, true)
	var got struct {
		Value events.Value `json:"value"`
	}
	e2eJSON(t, archive, &got, "claim", "add", "--source", "en-post", "--subject", "Harbor Compact", "--predicate", "members",
		"--value", "4e1 countries", "--quote", "About 40 countries joined it")
	if got.Value.Quantity != "4e1 countries" {
		t.Errorf("--value 4e1 countries stored as %q, want %q", got.Value.Quantity, "4e1 countries")
	}
	e2eJSON(t, archive, &got, "claim", "add", "--source", "en-post", "--subject", "Harbor Compact", "--predicate", "opened",
		"--value", "2023-03-03/", "--quote", "opened after the signing ceremony")
	if got.Value.Date != "2023-03-03/" {
		t.Errorf("--value 2023-03-03/ stored as %q, want the unknown end kept", got.Value.Date)
	}
	e2eJSON(t, archive, &got, "claim", "add", "--source", "en-post", "--subject", "Harbor Compact", "--predicate", "signed",
		"--value", "202X", "--quote", "signed on March 3, 2023")
	if got.Value.Date != "202X" {
		t.Errorf("--value 202X stored as %q, want 202X", got.Value.Date)
	}
}
