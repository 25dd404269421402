package main

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// relBadSourceText is the source every bad-input case quotes.
const relBadSourceText = `The Harbor Network was launched in April 2023 following the summit.
It counts 60 members, and one report even gave -60 members.
On the day of the launch the temperature fell to -3 degrees.
The network is hosted by the City of Seoul. Its motto is keep watch together.
`

// relBadClaim is a claims file with one claim in YAML, with the given
// lines of the claim (indented under "- ").
func relBadClaim(lines ...string) string {
	return "source: alpha\nclaims:\n  - " + strings.Join(lines, "\n    ") + "\n"
}

// relBadJSONClaim is a claims file with one claim in JSON.
func relBadJSONClaim(fields map[string]any) string {
	c := map[string]any{"subject": "Harbor Network", "predicate": "launched", "value": "April 2023", "quote": "launched in April 2023"}
	for k, v := range fields {
		c[k] = v
	}
	b, _ := json.Marshal(map[string]any{"source": "alpha", "claims": []any{c}})
	return string(b)
}

// TestBadInput is the matrix of bad input: every case must fail with exit
// status 1 (2 for a usage error) and a one-message error that says what is
// wrong (the fragments in want), print nothing on stdout and no stack
// trace, and leave the archive unchanged: the same bytes, so the same head
// revision and log. A few inputs that look suspicious but are valid are
// accepted (wantCode 0), on a copy of the archive, and add one event.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	archive := filepath.Join(dir, "bad.db")
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	sparse := func(name string, size int64) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(size); err != nil {
			t.Fatal(err)
		}
		f.Close()
		return p
	}
	src := write("source.txt", relBadSourceText)
	undated := write("undated.txt", "An undated note: the network met on the 25th.\n")
	setup := [][]string{
		{"init"},
		{"source", "add", src, "--id", "alpha", "--lang", "en", "--published", "2024-04-26"},
		{"source", "add", undated, "--id", "beta", "--lang", "en"},
		{"predicate", "add", "launched", "--kind", "date"},
		{"predicate", "add", "members", "--kind", "quantity"},
		{"predicate", "add", "temperature", "--kind", "quantity"},
		{"predicate", "add", "host", "--kind", "entity"},
		{"predicate", "add", "motto", "--kind", "text"},
		{"predicate", "add", "met", "--kind", "date"},
		{"claim", "add", "--id", "c1", "--source", "alpha", "--subject", "Harbor Network", "--predicate", "launched",
			"--value", "April 2023", "--quote", "launched in April 2023"},
	}
	for _, args := range setup {
		if _, stderr, code := runInProcess(t, archive, args...); code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
	}
	head := relHead(t, archive)

	subdir := filepath.Join(dir, "a-directory")
	if err := os.Mkdir(subdir, 0o755); err != nil {
		t.Fatal(err)
	}
	readOnly := filepath.Join(dir, "read-only.db")
	relCopy(t, archive, readOnly)
	if err := os.Chmod(readOnly, 0o444); err != nil {
		t.Fatal(err)
	}
	missingDir := filepath.Join(dir, "no", "such", "dir", "a.db")
	good := write("good.yaml", relBadClaim("subject: Harbor Network", "predicate: host", "value: City of Seoul", "quote: hosted by the City of Seoul"))

	var laughs strings.Builder
	laughs.WriteString("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	for c := 'b'; c <= 'i'; c++ {
		fmt.Fprintf(&laughs, "%c: &%c [%s]\n", c, c, strings.TrimSuffix(strings.Repeat("*"+string(c-1)+",", 9), ","))
	}
	laughs.WriteString("source: alpha\nclaims: *i\n")

	tests := []struct {
		name     string
		archive  string // "" is the shared archive
		args     []string
		wantCode int
		want     []string
	}{
		// Claims files: syntax.
		{name: "YAML/Malformed", args: []string{"claim", "import", write("malformed.yaml", "source: alpha\nclaims:\n  - subject: [Harbor Network\n    predicate: launched\n")},
			wantCode: 1, want: []string{"malformed.yaml:3:", "YAML"}},
		{name: "YAML/TabIndent", args: []string{"claim", "import", write("tabs.yaml", "source: alpha\nclaims:\n\t- subject: x\n")},
			wantCode: 1, want: []string{"tabs.yaml:3"}},
		{name: "JSON/TrailingComma", args: []string{"claim", "import", write("comma.json", `{"source": "alpha", "claims": [],}`)},
			wantCode: 1, want: []string{"comma.json:1:", "JSON syntax error"}},
		{name: "JSON/Truncated", args: []string{"claim", "import", write("truncated.json", `{"source": "alpha", "claims": [{"subject": "x"`)},
			wantCode: 1, want: []string{"truncated.json:1:", "the file ends too early"}},
		{name: "JSON/NotAnObject", args: []string{"claim", "import", write("array.json", `[1, 2, 3]`)},
			wantCode: 1, want: []string{"array.json:1:1", "a claims file is a mapping"}},
		{name: "YAML/BombDeepNesting", args: []string{"claim", "import", write("deep.yaml", "claims: "+strings.Repeat("[", 5000)+strings.Repeat("]", 5000)+"\n")},
			wantCode: 1, want: []string{"deep.yaml:1:", "nesting is too deep", "more than 32 levels deep here", "the limit is 32"}},
		{name: "JSON/BombDeepNesting", args: []string{"claim", "import", write("deep.json", `{"claims": `+strings.Repeat("[", 5000)+strings.Repeat("]", 5000)+`}`)},
			wantCode: 1, want: []string{"deep.json:1:", "nesting is too deep"}},
		{name: "YAML/BombBillionLaughs", args: []string{"claim", "import", write("laughs.yaml", laughs.String())},
			wantCode: 1, want: []string{"laughs.yaml:1:", "YAML aliases are not allowed"}},
		{name: "YAML/TwoDocuments", args: []string{"claim", "import", write("two.yaml", relBadClaim("subject: x")+"---\nsource: alpha\n")},
			wantCode: 1, want: []string{"two.yaml:", "document"}},

		// Claims files: the file itself.
		{name: "File/TooLarge100MB", args: []string{"claim", "import", sparse("huge.json", 100<<20)},
			wantCode: 1, want: []string{"huge.json is 100 MiB", "at most 64 MiB", "split it"}},
		{name: "File/Directory", args: []string{"claim", "import", subdir},
			wantCode: 1, want: []string{subdir + " is a directory, not a claims file"}},
		{name: "File/Missing", args: []string{"claim", "import", filepath.Join(dir, "nope.yaml")},
			wantCode: 1, want: []string{"nope.yaml", "no such file"}},
		{name: "File/Empty", args: []string{"claim", "import", write("empty.yaml", "")},
			wantCode: 1, want: []string{"empty.yaml: file is empty"}},
		{name: "File/OnlyComments", args: []string{"claim", "import", write("comments.yaml", "# nothing here\n\n")},
			wantCode: 1, want: []string{"comments.yaml", "empty"}},
		{name: "File/EmptyClaimsList", args: []string{"claim", "import", write("noclaims.yaml", "source: alpha\nclaims: []\n")},
			wantCode: 1, want: []string{"noclaims.yaml:1:1", "file defines nothing"}},
		{name: "File/WrongExtension", args: []string{"claim", "import", write("claims.txt", relBadClaim("subject: x"))},
			wantCode: 1, want: []string{"claims.txt", "YAML (.yaml, .yml) or JSON (.json)"}},
		{name: "File/InvalidUTF8", args: []string{"claim", "import", write("latin1.yaml", relBadClaim("subject: Caf\xe9 Network"))},
			wantCode: 1, want: []string{"latin1.yaml:3:", "not valid UTF-8", "0xE9"}},
		{name: "File/NULByte", args: []string{"claim", "import", write("nul.yaml", relBadClaim("subject: Harbor\x00Network"))},
			wantCode: 1, want: []string{"nul.yaml:3:", "NUL byte"}},
		{name: "File/ControlCharacter", args: []string{"claim", "import", write("bell.yaml", relBadClaim("subject: Harbor\x07Network"))},
			wantCode: 1, want: []string{"bell.yaml:3:", "control character U+0007"}},

		// Claims: fields and names.
		{name: "Field/Unknown", args: []string{"claim", "import", write("typo.yaml", relBadClaim("subject: Harbor Network", "predicate: launched", "value: April 2023", "qoute: launched in April 2023"))},
			wantCode: 1, want: []string{"typo.yaml:6:", `unknown field "qoute"`, "quote"}},
		{name: "Field/Missing", args: []string{"claim", "import", write("noquote.yaml", relBadClaim("subject: Harbor Network", "predicate: launched", "value: April 2023"))},
			wantCode: 1, want: []string{"noquote.yaml:3:", "quote"}},
		{name: "Field/Duplicate", args: []string{"claim", "import", write("dup.yaml", relBadClaim("subject: Harbor Network", "subject: Harbor Network", "predicate: launched", "value: April 2023", "quote: launched in April 2023"))},
			wantCode: 1, want: []string{"dup.yaml:4:", "subject"}},
		{name: "Name/NULEscapedInJSON", args: []string{"claim", "import", write("nul.json", relBadJSONClaim(map[string]any{"subject": "Harbor\x00Network"}))},
			wantCode: 1, want: []string{"nul.json:1:", "subject", "control character"}},
		{name: "Name/ControlEscapedInJSON", args: []string{"claim", "import", write("esc.json", relBadJSONClaim(map[string]any{"subject": "Harbor\x1bNetwork"}))},
			wantCode: 1, want: []string{"esc.json:1:", "subject", "control character"}},
		{name: "Name/Subject10000", args: []string{"claim", "import", write("long.json", relBadJSONClaim(map[string]any{"subject": strings.Repeat("x", 10000)}))},
			wantCode: 1, want: []string{"long.json:1:", "subject", "300"}},
		{name: "Name/BlankSubject", args: []string{"claim", "import", write("blank.json", relBadJSONClaim(map[string]any{"subject": "   "}))},
			wantCode: 1, want: []string{"blank.json:1:", "subject"}},
		{name: "Name/ClaimIDInvalid", args: []string{"claim", "import", write("badid.json", relBadJSONClaim(map[string]any{"id": "bad id!"}))},
			wantCode: 1, want: []string{"badid.json:1:", "claim id"}},
		{name: "Name/ClaimIDTooLong", args: []string{"claim", "import", write("longid.json", relBadJSONClaim(map[string]any{"id": strings.Repeat("a", 129)}))},
			wantCode: 1, want: []string{"longid.json:1:", "128"}},
		{name: "Name/TextValueTooLong", args: []string{"claim", "import", write("longtext.json", relBadJSONClaim(map[string]any{"predicate": "motto", "value": strings.Repeat("keep watch ", 1000)}))},
			wantCode: 1, want: []string{"longtext.json:1:", "10000"}},

		// Claims: values by kind.
		{name: "Kind/DateGivenQuantity", args: []string{"claim", "import", write("k1.yaml", relBadClaim("subject: Harbor Network", "predicate: launched", "value: 60 members", "quote: 60 members"))},
			wantCode: 1, want: []string{"k1.yaml:5:", "value does not fit", `"60 members"`}},
		{name: "Kind/DateGivenText", args: []string{"claim", "import", write("k2.yaml", relBadClaim("subject: Harbor Network", "predicate: launched", "value: soon-ish", "quote: launched in April 2023"))},
			wantCode: 1, want: []string{"k2.yaml:5:", "value does not fit", "soon-ish"}},
		{name: "Kind/QuantityGivenDate", args: []string{"claim", "import", write("k3.yaml", relBadClaim("subject: Harbor Network", "predicate: members", "value: April 2023", "quote: 60 members"))},
			wantCode: 1, want: []string{"k3.yaml:5:", `predicate "members" takes a quantity`}},
		{name: "Kind/QuantityGivenText", args: []string{"claim", "import", write("k4.yaml", relBadClaim("subject: Harbor Network", "predicate: members", "value: many", "quote: 60 members"))},
			wantCode: 1, want: []string{"k4.yaml:5:", `predicate "members" takes a quantity`}},
		{name: "Kind/EntityGivenRelation", args: []string{"claim", "import", write("k5.yaml", relBadClaim("subject: Harbor Network", "predicate: host", "value: {after: {subject: Harbor Network, predicate: launched}}", "quote: hosted by the City of Seoul"))},
			wantCode: 1, want: []string{"k5.yaml:5:", `predicate "host" takes a entity`, "only dates can be related"}},
		{name: "Kind/TextGivenRelation", args: []string{"claim", "import", write("k6.yaml", relBadClaim("subject: Harbor Network", "predicate: motto", "value: {same: {subject: Harbor Network, predicate: launched}}", "quote: keep watch together"))},
			wantCode: 1, want: []string{"k6.yaml:5:", "only dates can be related"}},
		{name: "Kind/ValueIsAList", args: []string{"claim", "import", write("k7.yaml", relBadClaim("subject: Harbor Network", "predicate: host", "value: [Seoul, Busan]", "quote: hosted by the City of Seoul"))},
			wantCode: 1, want: []string{"k7.yaml:5:", "value"}},
		{name: "Kind/ValueIsOtherMapping", args: []string{"claim", "import", write("k8.yaml", relBadClaim("subject: Harbor Network", "predicate: motto", "value: {during: {subject: x, predicate: y}}", "quote: keep watch together"))},
			wantCode: 1, want: []string{"k8.yaml:5:", "during"}},

		// Claims: dates.
		{name: "Date/February30", args: []string{"claim", "import", write("d1.yaml", relBadClaim("subject: Harbor Network", "predicate: launched", "value: 2023-02-30", "quote: launched in April 2023"))},
			wantCode: 1, want: []string{"d1.yaml:5:", "2023-02-30"}},
		{name: "Date/Month13", args: []string{"claim", "import", write("d2.yaml", relBadClaim("subject: Harbor Network", "predicate: launched", "value: 2023-13", "quote: launched in April 2023"))},
			wantCode: 1, want: []string{"d2.yaml:5:", "2023-13"}},
		{name: "Date/Year0000", args: []string{"claim", "import", write("d3.yaml", relBadClaim("subject: Harbor Network", "predicate: launched", `value: "0000"`, "quote: launched in April 2023"))},
			wantCode: 1, want: []string{"d3.yaml:5:", "0000"}},
		{name: "Date/Year10000", args: []string{"claim", "import", write("d5.yaml", relBadClaim("subject: Harbor Network", "predicate: launched", "value: 10000-01-01", "quote: launched in April 2023"))},
			wantCode: 1, want: []string{"d5.yaml:5:", "10000-01-01"}},
		{name: "Date/RelativeWithoutAnchor", args: []string{"claim", "import", write("d4.yaml", "source: beta\nclaims:\n  - {subject: Harbor Network, predicate: met, value: the 25th, quote: met on the 25th}\n")},
			wantCode: 1, want: []string{"d4.yaml:3:", "source beta has no publication date"}},

		// Claims: quantities. A negative quantity is accepted whatever
		// the predicate: a temperature of -3 degrees makes sense, -60
		// members does not, but Sillok does not know units.
		{name: "Quantity/NegativeTemperatureAccepted", args: []string{"claim", "import", write("q1.yaml", relBadClaim("subject: Harbor Network", "predicate: temperature", "value: -3 degrees", "quote: fell to -3 degrees"))},
			wantCode: 0},
		{name: "Quantity/NegativeMembersAccepted", args: []string{"claim", "import", write("q2.yaml", relBadClaim("subject: Harbor Network", "predicate: members", "value: -60 members", "quote: even gave -60 members"))},
			wantCode: 0},

		// Claims: vocabulary, sources, relations, quotes.
		{name: "Predicate/Unknown", args: []string{"claim", "import", write("p1.yaml", relBadClaim("subject: Harbor Network", "predicate: founded", "value: April 2023", "quote: launched in April 2023"))},
			wantCode: 1, want: []string{"p1.yaml:3:", `undefined predicate "founded"`, "known predicates: host, launched, members, met, motto, temperature"}},
		{name: "Relation/UnknownPredicate", args: []string{"claim", "import", write("r1.yaml", relBadClaim("subject: Harbor Network", "predicate: launched", "value: {after: {subject: the summit, predicate: convened}}", "quote: following the summit"))},
			wantCode: 1, want: []string{"r1.yaml:3:", `undefined predicate "convened"`}},
		{name: "Relation/NonDatePredicate", args: []string{"claim", "import", write("r2.yaml", relBadClaim("subject: Harbor Network", "predicate: launched", "value: {after: {subject: Harbor Network, predicate: members}}", "quote: following the summit"))},
			wantCode: 1, want: []string{"r2.yaml:5:", `predicate "members" takes a quantity, not a date`}},
		{name: "Source/Unknown", args: []string{"claim", "import", write("s1.yaml", "source: gamma\n"+strings.TrimPrefix(relBadClaim("subject: Harbor Network", "predicate: launched", "value: April 2023", "quote: launched in April 2023"), "source: alpha\n"))},
			wantCode: 1, want: []string{"s1.yaml:3:", `unknown source "gamma"`}},
		{name: "Source/None", args: []string{"claim", "import", write("s2.yaml", "claims:\n  - {subject: Harbor Network, predicate: launched, value: April 2023, quote: launched in April 2023}\n")},
			wantCode: 1, want: []string{"s2.yaml:2:", "source"}},
		{name: "Quote/OneCharacter", args: []string{"claim", "import", write("qt1.yaml", relBadClaim("subject: Harbor Network", "predicate: launched", "value: April 2023", "quote: a"))},
			wantCode: 1, want: []string{"qt1.yaml:6:", "quote too short", "at least 3"}},
		{name: "Quote/NotInSource", args: []string{"claim", "import", write("qt2.yaml", relBadClaim("subject: Harbor Network", "predicate: launched", "value: April 2023", "quote: launched in Apirl 2023"))},
			wantCode: 1, want: []string{"qt2.yaml:6:", "quote not found", "closest:", "launched in April 2023"}},
		{name: "Claim/SameIDOtherContent", args: []string{"claim", "import", write("c1.yaml", relBadClaim("id: c1", "subject: Harbor Network", "predicate: launched", "value: 2023-04-25", "quote: launched in April 2023"))},
			wantCode: 1, want: []string{"c1.yaml:", "claim c1", "already used for a different claim"}},
		{name: "Claim/SameIDTwiceInFile", args: []string{"claim", "import", write("twice.yaml", "source: alpha\nclaims:\n"+
			"  - {id: x1, subject: Harbor Network, predicate: launched, value: April 2023, quote: launched in April 2023}\n"+
			"  - {id: x2, subject: Harbor Network, predicate: members, value: 60 members, quote: counts 60 members}\n"+
			"  - {id: x1, subject: Harbor Network, predicate: launched, value: 2023-04-25, quote: launched in April 2023}\n")},
			wantCode: 1, want: []string{"twice.yaml:5:", "claim x1", "claim #1 (line 3) and claim #3 (line 5) of this file both have the id \"x1\"", "give one of them another id"}},
		{name: "Predicate/TwiceInFile", args: []string{"claim", "import", write("twopreds.yaml", "source: alpha\npredicates:\n"+
			"  - {name: opened, kind: date}\n  - {name: opened, kind: text, many: true}\nclaims:\n"+
			"  - {subject: Harbor Network, predicate: opened, value: April 2023, quote: launched in April 2023}\n")},
			wantCode: 1, want: []string{"twopreds.yaml:4:", `predicate "opened" is defined twice in this file, with different kinds: at line 3 (date, one value) and at line 4 (text, many values)`}},
		{name: "Claim/AtomicAfterGoodClaims", args: []string{"claim", "import", write("atomic.yaml", "source: alpha\nclaims:\n"+
			"  - {subject: Harbor Network, predicate: host, value: City of Seoul, quote: hosted by the City of Seoul}\n"+
			"  - {subject: Harbor Network, predicate: members, value: 60 members, quote: counts 60 members}\n"+
			"  - {subject: Harbor Network, predicate: launched, value: 2023-02-30, quote: launched in April 2023}\n")},
			wantCode: 1, want: []string{"atomic.yaml:5:", "claim #3", "2023-02-30"}},
		{name: "Claim/AddMissingRequiredFlag", args: []string{"claim", "add", "--source", "alpha", "--subject", "Harbor Network", "--predicate", "launched", "--value", "April 2023"},
			wantCode: 2, want: []string{"needs --quote", "usage: sillok claim add"}},

		// Sources.
		{name: "Source/ZeroBytes", args: []string{"source", "add", write("zero.txt", "")},
			wantCode: 1, want: []string{"zero.txt", "0 bytes"}},
		{name: "Source/OnlyWhiteSpace", args: []string{"source", "add", write("space.txt", " \n\t\n")},
			wantCode: 1, want: []string{"space.txt", "white space"}},
		{name: "Source/TooLarge200MB", args: []string{"source", "add", sparse("huge.txt", 200<<20)},
			wantCode: 1, want: []string{"huge.txt", "at most 32 MiB"}},
		{name: "Source/Binary", args: []string{"source", "add", write("image.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")},
			wantCode: 1, want: []string{"image.png", "not UTF-8 text", "PNG"}},
		{name: "Source/InvalidUTF8", args: []string{"source", "add", write("latin1.txt", "Caf\xe9 society\n")},
			wantCode: 1, want: []string{"latin1.txt", "invalid UTF-8 at byte offset 3"}},
		{name: "Source/Directory", args: []string{"source", "add", subdir},
			wantCode: 1, want: []string{subdir + " is a directory"}},
		{name: "Source/BadID", args: []string{"source", "add", write("other.txt", "Another text.\n"), "--id", "Bad_ID"},
			wantCode: 1, want: []string{"Bad_ID"}},
		{name: "Source/IDTooLong", args: []string{"source", "add", write("other4.txt", "A text with a long id.\n"), "--id", strings.Repeat("a", 65)},
			wantCode: 1, want: []string{"1 to 64"}},
		{name: "Source/BadPublished", args: []string{"source", "add", write("other2.txt", "Yet another text.\n"), "--published", "yesterday-ish"},
			wantCode: 1, want: []string{`"yesterday-ish" is neither a date`}},
		{name: "Source/UnknownTranslationOf", args: []string{"source", "add", write("other3.txt", "A translated text.\n"), "--translation-of", "gamma"},
			wantCode: 1, want: []string{"--translation-of", "gamma"}},

		// Vocabulary.
		{name: "Predicate/BadKind", args: []string{"predicate", "add", "colour", "--kind", "color"},
			wantCode: 2, want: []string{`unknown value kind "color" (want date, quantity, entity or text)`, "usage: sillok predicate add"}},
		{name: "Predicate/OtherKind", args: []string{"predicate", "add", "launched", "--kind", "text"},
			wantCode: 1, want: []string{`predicate "launched"`, "already defined with another kind"}},
		{name: "Predicate/NameTooLong", args: []string{"predicate", "add", strings.Repeat("p", 301), "--kind", "text"},
			wantCode: 1, want: []string{"300"}},
		{name: "Alias/BadKind", args: []string{"alias", "add", "HN", "--entity", "Harbor Network", "--kind", "nickname"},
			wantCode: 2, want: []string{`unknown alias kind "nickname"`, "usage: sillok alias add"}},

		// Reads and reviews.
		{name: "View/AtBeyondHead", args: []string{"view", "--at", "999"},
			wantCode: 1, want: []string{fmt.Sprintf("revision 999 is beyond the head revision %d", head)}},
		{name: "Conflicts/AtBeyondHead", args: []string{"conflicts", "--at", "999"},
			wantCode: 1, want: []string{fmt.Sprintf("revision 999 is beyond the head revision %d", head)}},
		{name: "Diff/BeyondHead", args: []string{"diff", "999"},
			wantCode: 1, want: []string{"999", "head"}},
		{name: "Review/UnknownConflict", args: []string{"review", "ffff0000", "--dismiss"},
			wantCode: 1, want: []string{"ffff0000"}},
		{name: "Review/ShortConflictID", args: []string{"review", "ab", "--dismiss"},
			wantCode: 1, want: []string{`conflict id "ab" is too short: give at least 4 of its hex digits`}},
		{name: "Conflicts/ShowShortID", args: []string{"conflicts", "show", "ab"},
			wantCode: 1, want: []string{`conflict id "ab" is too short: give at least 4 of its hex digits`}},
		{name: "Conflicts/ShowNotHex", args: []string{"conflicts", "show", "launched"},
			wantCode: 1, want: []string{`"launched" is not a conflict id`}},
		{name: "Review/NoDecision", args: []string{"review", "ffff0000"},
			wantCode: 2, want: []string{"give exactly one of", "usage: sillok review"}},
		{name: "Retract/ReasonTooLong", args: []string{"claim", "retract", "c1", "--reason", strings.Repeat("r", 10001)},
			wantCode: 1, want: []string{"reason is 10001 characters long; the limit is 10000"}},
		{name: "Retract/UnknownClaim", args: []string{"claim", "retract", "c9", "--reason", "typo"},
			wantCode: 1, want: []string{`unknown claim "c9"`}},

		// The archive and the command line.
		{name: "Archive/Directory", archive: subdir, args: []string{"claim", "import", good},
			wantCode: 1, want: []string{"archive " + subdir + ": not a Sillok archive: it is a directory"}},
		{name: "Archive/ReadOnlyFile", archive: readOnly, args: []string{"claim", "import", good},
			wantCode: 1, want: []string{"archive " + readOnly + ":", "permission denied"}},
		{name: "Archive/MissingDirectory", archive: missingDir, args: []string{"claim", "import", good},
			wantCode: 1, want: []string{"archive " + missingDir + ": archive does not exist"}},
		{name: "Archive/InitInMissingDirectory", archive: missingDir, args: []string{"init"},
			wantCode: 1, want: []string{missingDir, "no such file or directory"}},
		{name: "Archive/NotAnArchive", archive: good, args: []string{"claim", "import", good},
			wantCode: 1, want: []string{"archive " + good + ": not a Sillok archive"}},
		{name: "Archive/InitOnNotAnArchive", archive: good, args: []string{"init"},
			wantCode: 1, want: []string{"archive " + good + ": not a Sillok archive"}},
		{name: "Archive/InitOnDirectory", archive: subdir, args: []string{"init"},
			wantCode: 1, want: []string{"archive " + subdir + ": not a Sillok archive: it is a directory"}},
		{name: "Command/Unknown", args: []string{"frobnicate"},
			wantCode: 2, want: []string{`unknown command "frobnicate"`}},
		{name: "Command/UnknownSubcommand", args: []string{"claim", "frobnicate"},
			wantCode: 2, want: []string{`unknown command "frobnicate"`, "usage: sillok claim"}},
		{name: "Command/MissingArgument", args: []string{"claim", "import"},
			wantCode: 2, want: []string{"needs at least 1 argument", "usage: sillok claim import"}},
		{name: "Command/MissingRequiredFlag", args: []string{"claim", "retract", "c1"},
			wantCode: 2, want: []string{"needs --reason", "usage: sillok claim retract"}},
	}

	sum := func(path string) string {
		fi, err := os.Stat(path)
		if err != nil {
			return "absent"
		}
		if fi.IsDir() {
			entries, _ := os.ReadDir(path)
			return fmt.Sprintf("directory of %d entries", len(entries))
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return "unreadable: " + err.Error()
		}
		return fmt.Sprintf("%x", sha256.Sum256(b))
	}
	logJSON := func(path string) string {
		stdout, _, _ := runInProcess(t, path, "log", "--json")
		return stdout
	}
	wantLog := logJSON(archive)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.archive
			if path == "" {
				path = archive
			}
			if tt.wantCode == 0 {
				path = filepath.Join(t.TempDir(), "copy.db")
				relCopy(t, archive, path)
			}
			if path == readOnly && os.Geteuid() == 0 {
				t.Skip("running as root: a read-only file mode does not stop root from writing")
			}
			before := sum(path)
			start := time.Now()
			stdout, stderr, code := runInProcess(t, path, tt.args...)
			t.Logf("exit status %d: %s", code, stderr)
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %s, want a quick refusal", d)
			}
			if tt.wantCode == 0 {
				if code != 0 || stderr != "" {
					t.Fatalf("got exit status %d, stderr %q, want the input accepted", code, stderr)
				}
				if got := relHead(t, path); got != head+1 {
					t.Errorf("head after the accepted import: got %d, want %d", got, head+1)
				}
				if rep, code := relVerify(t, path); code != 0 {
					t.Errorf("verify after the accepted import: %v", rep.Problems)
				}
				return
			}
			var wrong []string
			if code != tt.wantCode {
				wrong = append(wrong, fmt.Sprintf("got exit status %d, want %d; stderr: %q", code, tt.wantCode, stderr))
			}
			if stdout != "" {
				wrong = append(wrong, fmt.Sprintf("got stdout %q, want nothing", stdout))
			}
			if !strings.HasPrefix(stderr, "sillok: ") || strings.Count(stderr, "sillok: ") != 1 {
				wrong = append(wrong, fmt.Sprintf("got stderr %q, want one \"sillok: ...\" message", stderr))
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					wrong = append(wrong, fmt.Sprintf("got stderr %q, want it to say %q", stderr, w))
				}
			}
			for _, bad := range []string{"goroutine ", "panic", "internal error", ".go:", "runtime."} {
				if strings.Contains(stderr, bad) {
					t.Errorf("stderr %q contains %q, want a plain message", stderr, bad)
				}
			}
			if after := sum(path); after != before {
				t.Errorf("the archive changed: %s before, %s after", before, after)
			}
			if path == archive {
				if got := logJSON(archive); got != wantLog {
					t.Errorf("log --json changed")
				}
			}
			for _, w := range wrong {
				t.Error(w)
			}
		})
	}
	if got := relHead(t, archive); got != head {
		t.Errorf("head after all the bad input: got %d, want %d", got, head)
	}
	if rep, code := relVerify(t, archive); code != 0 {
		t.Errorf("verify after all the bad input: %v", rep.Problems)
	}
	if n := len(tests); n < 40 {
		t.Errorf("the matrix has %d cases, want at least 40", n)
	}
}
