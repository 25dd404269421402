package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/sources"
)

// End-to-end tests of the vocabulary and of claims (issue "Claims, typed
// values and the vocabulary"), through the real app on a temporary archive.
// The helpers named e2e… (built on mustRunInProcess and runInProcess,
// cli_test.go) are shared by review_test.go, demo_test.go and flags_test.go.

// e2eArchive creates an empty archive through the CLI. bbolt's consistency
// check runs on it when the test ends.
func e2eArchive(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	mustRunInProcess(t, path, "init")
	t.Cleanup(func() { eventstest.MustCheck(t, path) })
	return path
}

// e2eJSON runs a command that must succeed with --json added at the end and
// decodes what it printed into v.
func e2eJSON(t *testing.T, archive string, v any, args ...string) {
	t.Helper()
	args = append(slices.Clip(args), "--json")
	stdout := mustRunInProcess(t, archive, args...)
	if err := json.Unmarshal([]byte(stdout), v); err != nil {
		t.Fatalf("sillok %s printed %q: %v", strings.Join(args, " "), stdout, err)
	}
}

// e2eFail runs a command that must fail cleanly with exit status code and
// an error message containing every one of want.
func e2eFail(t *testing.T, archive string, code int, want []string, args ...string) string {
	t.Helper()
	stdout, stderr, got := runInProcess(t, archive, args...)
	if got != code {
		t.Errorf("sillok %s: got exit status %d, want %d; stderr: %q", strings.Join(args, " "), got, code, stderr)
	}
	if stdout != "" {
		t.Errorf("sillok %s: got stdout %q, want nothing", strings.Join(args, " "), stdout)
	}
	if !strings.HasPrefix(stderr, "sillok: ") {
		t.Errorf("sillok %s: got stderr %q, want a \"sillok: ...\" message", strings.Join(args, " "), stderr)
	}
	for _, bad := range []string{"goroutine", "panic", "internal error"} {
		if strings.Contains(stderr, bad) {
			t.Errorf("sillok %s: stderr %q contains %q, want a plain message", strings.Join(args, " "), stderr, bad)
		}
	}
	for _, w := range want {
		if !strings.Contains(stderr, w) {
			t.Errorf("sillok %s: got stderr %q, want it to say %q", strings.Join(args, " "), stderr, w)
		}
	}
	return stderr
}

// e2eWrite writes content to dir/name and returns the path.
func e2eWrite(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// e2eHead returns the head revision, from `verify --json`, and checks that
// the archive verifies.
func e2eHead(t *testing.T, archive string) events.Revision {
	t.Helper()
	var rep struct {
		OK       bool
		Head     events.Revision
		Problems []json.RawMessage
	}
	e2eJSON(t, archive, &rep, "verify")
	if !rep.OK {
		t.Fatalf("verify: got problems %s, want none", rep.Problems)
	}
	return rep.Head
}

// e2eClaim is a claim in `claim list --json`.
type e2eClaim struct {
	ID        string          `json:"id"`
	Revision  events.Revision `json:"revision"`
	Source    string          `json:"source"`
	Subject   string          `json:"subject"`
	As        string          `json:"as"`
	Predicate string          `json:"predicate"`
	Value     events.Value    `json:"value"`
	Quote     string          `json:"quote"`
	Status    string          `json:"status"`
	Reason    string          `json:"reason"`
	Note      string          `json:"note"`
}

// e2eClaims returns `claim list --json` with the given filters, by id.
func e2eClaims(t *testing.T, archive string, args ...string) map[string]e2eClaim {
	t.Helper()
	var doc struct{ Claims []e2eClaim }
	e2eJSON(t, archive, &doc, append([]string{"claim", "list"}, args...)...)
	out := map[string]e2eClaim{}
	for _, c := range doc.Claims {
		if _, dup := out[c.ID]; dup {
			t.Errorf("claim list %v: claim %s is listed twice", args, c.ID)
		}
		out[c.ID] = c
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// The sources of the claims tests: English (undated, curly quotes), Japanese
// (published at 09:10 in Tokyo) and Korean (a date).
const (
	enText = "The Harbor Compact was signed on March 3, 2023 in Lisbon. About 40 countries joined it in its first year. " +
		"The compact's secretariat opened after the signing ceremony. Its motto is \u201copen seas for all\u201d.\n"
	jaText = "港湾協定の事務局は25日、リスボンで初会合を開いた。協定は2023年3月3日に署名された。約40カ国が参加している。\n"
	koText = "항만협정 사무국은 지난해 3월 출범했다. 협정은 2023년 3월 3일 서명됐다. 사무국 대표는 어제 리스본에 도착했다.\n"
)

// claimsFixture is an archive with the three sources (revisions 1-3) and,
// when vocab is set, the predicates signed, opened, first meeting (dates),
// members (quantity), place (entity), motto (text), member (entity, many)
// and the alias 항만협정 (translation of Harbor Compact): revisions 4-11.
func claimsFixture(t *testing.T, vocab bool) (archive, dir string) {
	t.Helper()
	archive = e2eArchive(t)
	dir = t.TempDir()
	mustRunInProcess(t, archive, "source", "add", e2eWrite(t, dir, "en.txt", enText), "--id", "en-post", "--lang", "en", "--title", "Harbor Post")
	mustRunInProcess(t, archive, "source", "add", e2eWrite(t, dir, "ja.txt", jaText), "--id", "ja-news", "--lang", "ja", "--published", "2024-04-26T09:10:00+09:00")
	mustRunInProcess(t, archive, "source", "add", e2eWrite(t, dir, "ko.txt", koText), "--id", "ko-daily", "--lang", "ko", "--published", "2024-04-27")
	if !vocab {
		return archive, dir
	}
	for _, p := range [][]string{
		{"signed", "date"}, {"opened", "date"}, {"first meeting", "date"}, {"members", "quantity"},
		{"place", "entity"}, {"motto", "text"}, {"member", "entity", "--many"},
	} {
		mustRunInProcess(t, archive, append([]string{"predicate", "add", p[0], "--kind"}, p[1:]...)...)
	}
	mustRunInProcess(t, archive, "alias", "add", "항만협정", "--entity", "Harbor Compact", "--kind", "translation")
	return archive, dir
}

func TestPredicateAndAlias(t *testing.T) {
	archive, _ := claimsFixture(t, false)

	type defined struct {
		Name     string
		Kind     string
		Many     bool
		Created  bool
		Revision events.Revision
	}
	var got defined
	e2eJSON(t, archive, &got, "predicate", "add", "signed", "--kind", "date")
	if want := (defined{"signed", "date", false, true, 4}); got != want {
		t.Errorf("predicate add signed: got %+v, want %+v", got, want)
	}

	t.Run("OK/SameDefinitionIsNoop", func(t *testing.T) {
		out := mustRunInProcess(t, archive, "predicate", "add", "signed", "--kind", "date")
		if !strings.Contains(out, "already defined") {
			t.Errorf("predicate add again: got %q, want it to say the predicate is already defined", out)
		}
		var got defined
		e2eJSON(t, archive, &got, "predicate", "add", "signed", "--kind", "date")
		if got.Created {
			t.Errorf("predicate add again --json: got created true, want false")
		}
		if got, want := e2eHead(t, archive), events.Revision(4); got != want {
			t.Errorf("after defining the same predicate twice: got head %d, want %d", got, want)
		}
	})
	t.Run("ErrRedefinedKind", func(t *testing.T) {
		e2eFail(t, archive, 1, []string{`"signed"`, "already defined with another kind", "date"}, "predicate", "add", "signed", "--kind", "text")
	})
	t.Run("ErrRedefinedCardinality", func(t *testing.T) {
		e2eFail(t, archive, 1, []string{`"signed"`, "already defined"}, "predicate", "add", "signed", "--kind", "date", "--many")
	})
	t.Run("ErrUsage/UnknownKind", func(t *testing.T) {
		e2eFail(t, archive, 2, []string{"bogus", "usage: sillok predicate add"}, "predicate", "add", "x", "--kind", "bogus")
	})
	t.Run("ErrUsage/NoKind", func(t *testing.T) {
		e2eFail(t, archive, 2, []string{"kind", "usage: sillok predicate add"}, "predicate", "add", "x")
	})
	if got, want := e2eHead(t, archive), events.Revision(4); got != want {
		t.Fatalf("after the refused definitions: got head %d, want %d", got, want)
	}

	t.Run("OK/List", func(t *testing.T) {
		mustRunInProcess(t, archive, "predicate", "add", "members", "--kind", "quantity")
		mustRunInProcess(t, archive, "predicate", "add", "place", "--kind", "entity")
		mustRunInProcess(t, archive, "predicate", "add", "motto", "--kind", "text")
		mustRunInProcess(t, archive, "predicate", "add", "member", "--kind", "entity", "--many")
		var doc struct {
			Predicates []struct {
				Name, Kind string
				Many       bool
			}
		}
		e2eJSON(t, archive, &doc, "predicate", "list")
		got := map[string]string{}
		for _, p := range doc.Predicates {
			got[p.Name] = p.Kind + "/" + strconv.FormatBool(p.Many)
		}
		want := map[string]string{"signed": "date/false", "members": "quantity/false", "place": "entity/false", "motto": "text/false", "member": "entity/true"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("predicate list --json: got %v, want %v", got, want)
		}
		out := mustRunInProcess(t, archive, "predicate", "list")
		for _, w := range []string{"member", "entity, many values", "signed", "date, one value", "members", "quantity, one value"} {
			if !strings.Contains(out, w) {
				t.Errorf("predicate list: got\n%s\nwant it to contain %q", out, w)
			}
		}
	})

	t.Run("Alias", func(t *testing.T) {
		type declared struct {
			Name, Entity, Kind string
			Created            bool
			Revision           events.Revision
		}
		head := e2eHead(t, archive)
		var got declared
		e2eJSON(t, archive, &got, "alias", "add", "Harbour Compact", "--entity", "Harbor Compact", "--kind", "variant")
		if want := (declared{"Harbour Compact", "Harbor Compact", "variant", true, head + 1}); got != want {
			t.Errorf("alias add: got %+v, want %+v", got, want)
		}
		e2eJSON(t, archive, &got, "alias", "add", "Harbour Compact", "--entity", "Harbor Compact", "--kind", "variant")
		if got.Created {
			t.Errorf("alias add again: got created true, want false (nothing to add)")
		}
		if out := mustRunInProcess(t, archive, "alias", "add", "Harbour Compact", "--entity", "Harbor Compact", "--kind", "variant"); !strings.Contains(out, "nothing changed") {
			t.Errorf("alias add again: got %q, want it to say nothing changed", out)
		}
		if got := e2eHead(t, archive); got != head+1 {
			t.Errorf("after declaring the same alias three times: got head %d, want %d", got, head+1)
		}
		e2eJSON(t, archive, &got, "alias", "add", "Harbor Pact", "--entity", "Harbor Compact", "--kind", "distinct")
		if want := (declared{"Harbor Pact", "Harbor Compact", "distinct", true, head + 2}); got != want {
			t.Errorf("alias add --kind distinct: got %+v, want %+v", got, want)
		}
		if out := mustRunInProcess(t, archive, "log", "--from", strconv.FormatUint(uint64(head+1), 10)); !strings.Contains(out, `alias "Harbour Compact" → "Harbor Compact" (variant)`) ||
			!strings.Contains(out, `distinct: "Harbor Pact" is not "Harbor Compact"`) {
			t.Errorf("log of the aliases: got\n%s\nwant the alias and the distinct declaration", out)
		}
		e2eFail(t, archive, 2, []string{"bogus", "usage: sillok alias add"}, "alias", "add", "X", "--entity", "Y", "--kind", "bogus")
	})
	t.Run("ErrUsage/AliasNoEntity", func(t *testing.T) {
		e2eFail(t, archive, 2, []string{"entity", "usage: sillok alias add"}, "alias", "add", "X", "--kind", "variant")
	})
}

func TestClaimAdd(t *testing.T) {
	archive, _ := claimsFixture(t, true)
	date := func(d, written, anchor string) events.Value {
		return events.Value{Kind: events.KindDate, Date: d, Written: written, Anchor: anchor}
	}
	ruled := func(v events.Value, rule events.DateRule) events.Value {
		v.Rule = string(rule)
		return v
	}
	tests := []struct {
		name string
		args []string // after --id
		want events.Value
	}{
		{"Date/English", []string{"--source", "en-post", "--subject", "Harbor Compact", "--predicate", "signed", "--value", "March 3, 2023", "--quote", "signed on March 3, 2023"},
			date("2023-03-03", "March 3, 2023", "")},
		{"Date/EDTF", []string{"--source", "en-post", "--subject", "Lisbon summit", "--predicate", "signed", "--value", "2023-03~", "--quote", "in Lisbon"},
			events.Value{Kind: events.KindDate, Date: "2023-03~"}},
		{"Date/Japanese/Absolute", []string{"--source", "ja-news", "--subject", "Harbor Compact", "--predicate", "signed", "--value", "2023年3月3日", "--quote", "協定は2023年3月3日に署名された"},
			date("2023-03-03", "2023年3月3日", "")},
		{"Date/Japanese/Relative", []string{"--source", "ja-news", "--subject", "Harbor Compact secretariat", "--predicate", "first meeting", "--value", "25日", "--quote", "事務局は25日、リスボンで初会合を開いた"},
			ruled(date("2024-04-25", "25日", "2024-04-26"), events.RulePast)}, // 開いた: the past tense decides
		{"Date/Korean/Relative", []string{"--source", "ko-daily", "--subject", "Harbor Compact secretariat", "--predicate", "opened", "--value", "지난해 3월", "--quote", "사무국은 지난해 3월 출범했다"},
			ruled(date("2023-03", "지난해 3월", "2024-04-27"), events.RuleRelative)},
		{"Date/Korean/Absolute", []string{"--source", "ko-daily", "--subject", "Harbor Compact", "--as", "항만협정", "--predicate", "signed", "--value", "2023년 3월 3일", "--quote", "협정은 2023년 3월 3일 서명됐다"},
			date("2023-03-03", "2023년 3월 3일", "")},
		{"Relation", []string{"--source", "en-post", "--subject", "Harbor Compact secretariat", "--predicate", "opened", "--value", "after:Harbor Compact/signed", "--quote", "opened after the signing ceremony"},
			events.Value{Kind: events.KindDate, Relation: &events.Relation{Op: events.RelAfter, To: events.FactRef{Subject: "Harbor Compact", Predicate: "signed"}}}},
		{"Quantity", []string{"--source", "en-post", "--subject", "Harbor Compact", "--predicate", "members", "--value", "~40 countries", "--quote", "About 40 countries joined it"},
			events.Value{Kind: events.KindQuantity, Quantity: "~40 countries"}},
		{"Quantity/Japanese", []string{"--source", "ja-news", "--subject", "Harbor Compact", "--predicate", "members", "--value", "約40カ国", "--quote", "約40カ国が参加している"},
			events.Value{Kind: events.KindQuantity, Quantity: "~40カ国", Written: "約40カ国"}},
		{"Entity", []string{"--source", "en-post", "--subject", "Harbor Compact", "--predicate", "place", "--value", "Lisbon", "--quote", "in Lisbon"},
			events.Value{Kind: events.KindEntity, Entity: "Lisbon"}},
		{"Entity/Many", []string{"--source", "en-post", "--subject", "Harbor Compact", "--predicate", "member", "--value", "Portugal", "--quote", "About 40 countries joined it"},
			events.Value{Kind: events.KindEntity, Entity: "Portugal"}},
		// The source has curly quotes; the quote is typed with straight ones.
		{"Text", []string{"--source", "en-post", "--subject", "Harbor Compact", "--predicate", "motto", "--value", "open seas for all", "--quote", `motto is "open seas for all"`, "--note", "the motto"},
			events.Value{Kind: events.KindText, Text: "open seas for all"}},
	}
	for i, tt := range tests {
		t.Run("OK/"+tt.name, func(t *testing.T) {
			id := fmt.Sprintf("add-%d", i)
			head := e2eHead(t, archive)
			args := append([]string{"claim", "add", "--id", id}, tt.args...)
			var got struct {
				ID       string
				Revision events.Revision
				Created  bool
				Value    events.Value
			}
			e2eJSON(t, archive, &got, args...)
			if got.ID != id || got.Revision != head+1 || !got.Created {
				t.Errorf("claim add: got id %s, revision %d, created %v, want %s, %d, true", got.ID, got.Revision, got.Created, id, head+1)
			}
			if !reflect.DeepEqual(got.Value, tt.want) {
				t.Errorf("claim add: got value %+v, want %+v", got.Value, tt.want)
			}
			listed, ok := e2eClaims(t, archive)[id]
			if !ok {
				t.Fatalf("claim list does not list %s", id)
			}
			wantListed := tt.want
			wantListed.Rule = "" // the rule a date was read by stays in the log (claim add --json, log); the read model does not keep it
			if !reflect.DeepEqual(listed.Value, wantListed) || listed.Status != "standing" || listed.Revision != head+1 || listed.Quote == "" {
				t.Errorf("claim list: got %+v, want value %+v, standing, revision %d", listed, wantListed, head+1)
			}

			// The same claim again is a no-op.
			e2eJSON(t, archive, &got, args...)
			if got.Created || got.ID != id {
				t.Errorf("claim add again: got id %s, created %v, want %s, false", got.ID, got.Created, id)
			}
			if out := mustRunInProcess(t, archive, args...); !strings.Contains(out, "already recorded") {
				t.Errorf("claim add again: got %q, want it to say the claim is already recorded", out)
			}
			if got := e2eHead(t, archive); got != head+1 {
				t.Errorf("after adding the same claim three times: got head %d, want %d", got, head+1)
			}
		})
	}

	t.Run("OK/AsAndNote", func(t *testing.T) {
		all := e2eClaims(t, archive)
		if c := all[fmt.Sprintf("add-%d", 5)]; c.As != "항만협정" || c.Subject != "Harbor Compact" {
			t.Errorf("claim add --as: got subject %q as %q, want Harbor Compact as 항만협정", c.Subject, c.As)
		}
		if c := all[fmt.Sprintf("add-%d", len(tests)-1)]; c.Note != "the motto" {
			t.Errorf("claim add --note: got note %q, want %q", c.Note, "the motto")
		}
	})

	t.Run("OK/DerivedID", func(t *testing.T) {
		var got struct {
			ID      string
			Created bool
		}
		args := []string{"claim", "add", "--source", "ko-daily", "--subject", "Harbor Compact secretariat", "--predicate", "place", "--value", "Lisbon", "--quote", "리스본에 도착했다"}
		e2eJSON(t, archive, &got, args...)
		if got.ID == "" || !got.Created {
			t.Fatalf("claim add without --id: got id %q, created %v, want a derived id", got.ID, got.Created)
		}
		first := got.ID
		e2eJSON(t, archive, &got, args...)
		if got.ID != first || got.Created {
			t.Errorf("the same claim again without --id: got id %q, created %v, want %q, false", got.ID, got.Created, first)
		}
	})

	head := e2eHead(t, archive)
	errTests := []struct {
		name string
		args []string
		want []string
	}{
		{"ErrUnknownSource", []string{"--source", "nosuch", "--subject", "X", "--predicate", "signed", "--value", "2023", "--quote", "in Lisbon"}, []string{`unknown source "nosuch"`}},
		{"ErrUnknownPredicate", []string{"--source", "en-post", "--subject", "X", "--predicate", "sined", "--value", "2023", "--quote", "in Lisbon"}, []string{`"sined"`, "known predicates: ", "signed", "members"}},
		{"ErrWrongKind/Quantity", []string{"--source", "en-post", "--subject", "X", "--predicate", "members", "--value", "many", "--quote", "in Lisbon"}, []string{"quantity"}},
		{"ErrWrongKind/RelationOnEntity", []string{"--source", "en-post", "--subject", "X", "--predicate", "place", "--value", "after:Harbor Compact/signed", "--quote", "in Lisbon"}, []string{"only dates can be related"}},
		{"ErrUnparseableDate", []string{"--source", "en-post", "--subject", "X", "--predicate", "signed", "--value", "the day of the storm", "--quote", "in Lisbon"}, []string{"the day of the storm"}},
		{"ErrRelativeDateUndated", []string{"--source", "en-post", "--subject", "X", "--predicate", "signed", "--value", "August last year", "--quote", "in Lisbon"}, []string{"August last year", "no publication date", "en-post"}},
		{"ErrQuoteNotFound", []string{"--source", "en-post", "--subject", "X", "--predicate", "signed", "--value", "2023", "--quote", "signed on Mrach 3, 2023"}, []string{"not found", "closest", "signed on March 3, 2023", "diff"}},
		{"ErrClaimIDReused", []string{"--id", "add-0", "--source", "en-post", "--subject", "Harbor Compact", "--predicate", "signed", "--value", "2023-03-04", "--quote", "signed on March 3, 2023"}, []string{"add-0", "already used"}},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			e2eFail(t, archive, 1, tt.want, append([]string{"claim", "add"}, tt.args...)...)
		})
	}
	t.Run("ErrUsage/NoQuote", func(t *testing.T) {
		e2eFail(t, archive, 2, []string{"quote", "usage: sillok claim add"}, "claim", "add", "--source", "en-post", "--subject", "X", "--predicate", "signed", "--value", "2023")
	})
	if got := e2eHead(t, archive); got != head {
		t.Errorf("after the refused claims: got head %d, want %d", got, head)
	}
}

// importDoc is what `claim import --json` prints for one file.
type importDoc struct {
	Revision   events.Revision `json:"revision"`
	Claims     int             `json:"claims"`
	Created    int             `json:"created"`
	Predicates int             `json:"predicates"`
	Aliases    int             `json:"aliases"`
}

const importYAML = `# Korean claims, with their own vocabulary.
source: ko-daily
predicates:
  - {name: launched, kind: date}
  - {name: arrived, kind: date}
aliases:
  - {name: 사무국, entity: Harbor Compact secretariat, kind: translation}
claims:
  - id: ko-launched
    subject: Harbor Compact secretariat
    predicate: launched
    value: 지난해 3월
    quote: 사무국은 지난해 3월 출범했다
  - id: ko-signed
    subject: Harbor Compact
    as: 항만협정
    predicate: signed
    value: 2023년 3월 3일
    quote: 협정은 2023년 3월 3일 서명됐다
  - id: ko-arrived
    subject: 사무국
    predicate: arrived
    value: 어제
    quote: 사무국 대표는 어제 리스본에 도착했다
  - id: en-after
    source: en-post
    subject: Harbor Compact secretariat
    predicate: launched
    value: {after: {subject: Harbor Compact, predicate: signed}}
    quote: secretariat opened after the signing ceremony
`

const importJSON = `{
  "source": "ja-news",
  "claims": [
    {"id": "ja-meeting", "subject": "Harbor Compact secretariat", "predicate": "first meeting", "value": "25日", "quote": "事務局は25日、リスボンで初会合を開いた"},
    {"id": "ja-members", "subject": "Harbor Compact", "predicate": "members", "value": "約40カ国", "quote": "約40カ国が参加している", "note": "約 means about"},
    {"id": "en-motto", "source": "en-post", "subject": "Harbor Compact", "predicate": "motto", "value": "open seas for all", "quote": "\"open seas for all\""}
  ]
}
`

func TestClaimImport(t *testing.T) {
	archive, dir := claimsFixture(t, true)
	yamlFile := e2eWrite(t, dir, "ko.yaml", importYAML)
	jsonFile := e2eWrite(t, dir, "ja.json", importJSON)
	start := e2eHead(t, archive)

	var got importDoc
	e2eJSON(t, archive, &got, "claim", "import", yamlFile)
	// 2 predicates, 1 alias, 4 claims.
	if want := (importDoc{Revision: start + 7, Claims: 4, Created: 4, Predicates: 2, Aliases: 1}); got != want {
		t.Errorf("claim import %s --json: got %+v, want %+v", yamlFile, got, want)
	}
	e2eJSON(t, archive, &got, "claim", "import", jsonFile)
	if want := (importDoc{Revision: start + 10, Claims: 3, Created: 3}); got != want {
		t.Errorf("claim import %s --json: got %+v, want %+v", jsonFile, got, want)
	}
	head := e2eHead(t, archive)
	if head != start+10 {
		t.Fatalf("after two imports: got head %d, want %d", head, start+10)
	}

	claims := e2eClaims(t, archive)
	wantValues := map[string]string{
		"ko-launched": "2023-03", "ko-signed": "2023-03-03", "ko-arrived": "2024-04-26", "en-after": "after Harbor Compact signed",
		"ja-meeting": "2024-04-25", "ja-members": "~40カ国", "en-motto": "open seas for all",
	}
	for id, want := range wantValues {
		c, ok := claims[id]
		if !ok {
			t.Errorf("claim list: %s is missing", id)
			continue
		}
		if got := c.Value.String(); got != want {
			t.Errorf("claim list: %s: got value %q, want %q", id, got, want)
		}
	}
	if c := claims["ko-signed"]; c.As != "항만협정" || c.Source != "ko-daily" {
		t.Errorf("ko-signed: got source %s, as %q, want ko-daily, 항만협정", c.Source, c.As)
	}
	if c := claims["en-after"]; c.Source != "en-post" {
		t.Errorf("en-after names its own source: got %s, want en-post", c.Source)
	}
	if c := claims["ja-members"]; c.Note != "約 means about" {
		t.Errorf("ja-members: got note %q, want the note of the file", c.Note)
	}

	t.Run("OK/ReimportAddsNothing", func(t *testing.T) {
		for _, f := range []string{yamlFile, jsonFile} {
			var got importDoc
			e2eJSON(t, archive, &got, "claim", "import", f)
			if got.Created != 0 || got.Predicates != 0 || got.Aliases != 0 || got.Revision != head {
				t.Errorf("claim import %s again: got %+v, want created 0 and revision %d", filepath.Base(f), got, head)
			}
			if out := mustRunInProcess(t, archive, "claim", "import", f); !strings.Contains(out, "nothing added") {
				t.Errorf("claim import %s again: got %q, want it to say nothing was added", filepath.Base(f), out)
			}
		}
		var both struct {
			importDoc
			Files []importDoc
		}
		e2eJSON(t, archive, &both, "claim", "import", yamlFile, jsonFile)
		if both.Claims != 7 || both.Created != 0 || both.Revision != head || len(both.Files) != 2 {
			t.Errorf("claim import of both files again: got %+v, want 7 claims, 0 created, revision %d, 2 files", both, head)
		}
		if got := e2eHead(t, archive); got != head {
			t.Errorf("after re-importing: got head %d, want %d", got, head)
		}
	})

	t.Run("OK/SeveralFiles", func(t *testing.T) {
		a := e2eWrite(t, dir, "a.yaml", "source: en-post\nclaims:\n  - {id: sev-a, subject: Harbor Compact, predicate: place, value: Lisbon, quote: in Lisbon}\n")
		b := e2eWrite(t, dir, "b.json", `{"source": "ja-news", "claims": [{"id": "sev-b", "subject": "Harbor Compact", "predicate": "place", "value": "リスボン", "quote": "リスボンで初会合"}]}`)
		var got struct {
			importDoc
			Files []importDoc
		}
		e2eJSON(t, archive, &got, "claim", "import", a, b)
		if got.Claims != 2 || got.Created != 2 || got.Revision != head+2 || len(got.Files) != 2 || got.Files[0].Revision != head+1 {
			t.Errorf("claim import a.yaml b.json: got %+v, want 2 claims, 2 created, revision %d, two files", got, head+2)
		}
	})
}

// TestClaimImportStopsAtBadFile imports three files whose second is bad
// (it does not parse, or a quote is not in its source): the first lands,
// the second and third do not, and the error names the file and says so.
// The next file is parsed ahead while the current one is appended, so a
// parse error in the third file must not stop the first two either.
// (--json: without it the files that landed are listed on stdout.)
func TestClaimImportStopsAtBadFile(t *testing.T) {
	claim := func(id string) string {
		return fmt.Sprintf("source: en-post\nclaims:\n  - {id: %s, subject: Harbor Compact, predicate: place, value: Lisbon, quote: in Lisbon}\n", id)
	}
	for _, tt := range []struct {
		name, bad string
		want      []string
	}{
		{"ErrParse", "source: en-post\nclaims:\n  - {id: bad-2, subject: [\n", []string{"bad.yaml:"}},
		{"ErrQuoteNotFound", strings.Replace(claim("bad-2"), "in Lisbon}", "in Lisbonn}", 1), []string{"bad.yaml:3:", "claim bad-2", "not found"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			archive, dir := claimsFixture(t, true)
			head := e2eHead(t, archive)
			first := e2eWrite(t, dir, "first.yaml", claim("good-1"))
			bad := e2eWrite(t, dir, "bad.yaml", tt.bad)
			third := e2eWrite(t, dir, "third.yaml", claim("good-3"))
			e2eFail(t, archive, 1, append(tt.want, "the 1 file(s) before it were imported", "bad.yaml and the files after it were not"),
				"claim", "import", "--json", first, bad, third)
			claims := e2eClaims(t, archive)
			if _, ok := claims["good-1"]; !ok || e2eHead(t, archive) != head+1 {
				t.Errorf("the file before the bad one: got head %d and claims %v, want head %d with good-1", e2eHead(t, archive), sortedKeys(claims), head+1)
			}
			if _, ok := claims["good-3"]; ok {
				t.Errorf("the file after the bad one was imported")
			}
		})
	}
	t.Run("ErrParse/ThirdFile", func(t *testing.T) {
		archive, dir := claimsFixture(t, true)
		head := e2eHead(t, archive)
		a := e2eWrite(t, dir, "a.yaml", claim("ok-a"))
		b := e2eWrite(t, dir, "b.yaml", claim("ok-b"))
		c := e2eWrite(t, dir, "c.yaml", "claims: [\n")
		e2eFail(t, archive, 1, []string{"c.yaml:", "the 2 file(s) before it were imported"}, "claim", "import", "--json", a, b, c)
		if got := e2eHead(t, archive); got != head+2 {
			t.Errorf("got head %d, want %d: the two good files land", got, head+2)
		}
	})
}

// tenClaims is a claims file of ten claims and a new predicate; the tenth
// claim is replaced by bad (claim id "tenth", at line 31).
func tenClaims(bad string) string {
	var b strings.Builder
	b.WriteString("source: en-post\npredicates:\n  - {name: mentions, kind: text}\nclaims:\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "  - id: ten-%d\n    subject: Thing %d\n    predicate: mentions\n", i, i)
		b.WriteString("    value: Lisbon\n    quote: in Lisbon\n")
	}
	b.WriteString(bad)
	return b.String()
}

func TestClaimImportAtomic(t *testing.T) {
	archive, dir := claimsFixture(t, true)
	mustRunInProcess(t, archive, "claim", "add", "--id", "before", "--source", "en-post", "--subject", "Harbor Compact", "--predicate", "place", "--value", "Lisbon", "--quote", "in Lisbon")
	head := e2eHead(t, archive)
	listBefore := mustRunInProcess(t, archive, "claim", "list")
	predsBefore := mustRunInProcess(t, archive, "predicate", "list")

	tests := []struct {
		name string
		bad  string
		want []string
	}{
		{"ErrQuoteNotFound", "  - {id: tenth, subject: Thing 10, predicate: mentions, value: Lisbon, quote: in Lisbonn}\n", []string{"not found"}},
		{"ErrUnknownSource", "  - {id: tenth, source: nosuch, subject: Thing 10, predicate: mentions, value: Lisbon, quote: in Lisbon}\n", []string{"nosuch"}},
		{"ErrWrongKind", "  - {id: tenth, subject: Thing 10, predicate: signed, value: Lisbon, quote: in Lisbon}\n", []string{"Lisbon"}},
		{"ErrClaimIDReused", "  - {id: before, subject: Thing 10, predicate: mentions, value: Lisbon, quote: in Lisbon}\n", []string{"before", "already used"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := e2eWrite(t, dir, "ten.yaml", tenClaims(tt.bad))
			id := "tenth"
			if strings.Contains(tt.bad, "id: before") {
				id = "before"
			}
			e2eFail(t, archive, 1, append([]string{f + ":50:", "claim " + id}, tt.want...), "claim", "import", f)
			if got := e2eHead(t, archive); got != head {
				t.Errorf("after a failed import: got head %d, want %d", got, head)
			}
			if got := mustRunInProcess(t, archive, "claim", "list"); got != listBefore {
				t.Errorf("after a failed import, claim list changed:\n%s\nwant\n%s", got, listBefore)
			}
			if got := mustRunInProcess(t, archive, "predicate", "list"); got != predsBefore {
				t.Errorf("after a failed import, predicate list changed:\n%s\nwant\n%s", got, predsBefore)
			}
		})
	}

	t.Run("OK/Fixed", func(t *testing.T) {
		f := e2eWrite(t, dir, "ten.yaml", tenClaims("  - {id: tenth, subject: Thing 10, predicate: mentions, value: Lisbon, quote: in Lisbon}\n"))
		var got importDoc
		e2eJSON(t, archive, &got, "claim", "import", f)
		if want := (importDoc{Revision: head + 11, Claims: 10, Created: 10, Predicates: 1}); got != want {
			t.Errorf("import of the fixed file: got %+v, want %+v", got, want)
		}
	})
}

func TestClaimImportErrors(t *testing.T) {
	archive, dir := claimsFixture(t, true)
	mustRunInProcess(t, archive, "claim", "add", "--id", "en-signed", "--source", "en-post", "--subject", "Harbor Compact", "--predicate", "signed", "--value", "March 3, 2023", "--quote", "signed on March 3, 2023")
	head := e2eHead(t, archive)
	listBefore := mustRunInProcess(t, archive, "claim", "list")

	// Every file has a good claim at line 3 and the bad claim "bad" at
	// line 8: its predicate at 10, value at 11, quote at 12, and an extra
	// line 13.
	file := func(pred, value, quote, extra string) string {
		return "source: en-post\nclaims:\n" +
			"  - id: good\n    subject: Harbor Compact\n    predicate: place\n    value: Lisbon\n    quote: in Lisbon\n" +
			"  - id: bad\n    subject: Harbor Compact\n    predicate: " + pred + "\n    value: " + value + "\n    quote: " + quote + "\n" + extra
	}
	tests := []struct {
		name    string
		content string
		lines   []int // the line the error may name: the claim's, or the offending field's
		want    []string
	}{
		{"ErrUnknownSource", file("signed", "2023", "in Lisbon", "    source: nosuch\n"), []int{8, 13}, []string{`unknown source "nosuch"`}},
		{"ErrUnknownPredicate", file("sined", "2023", "in Lisbon", ""), []int{8, 10}, []string{`undefined predicate "sined"`, "known predicates: ", "first meeting", "member", "members", "motto", "opened", "place", "signed"}},
		{"ErrWrongKind/Quantity", file("members", "2023-03-03", "in Lisbon", ""), []int{8, 11}, []string{"does not fit the predicate's kind", "quantity"}},
		{"ErrWrongKind/Relation", file("place", "{after: {subject: Harbor Compact, predicate: signed}}", "in Lisbon", ""), []int{8, 11}, []string{"only dates can be related"}},
		{"ErrWrongKind/RelatedPredicate", file("signed", "{after: {subject: Lisbon, predicate: place}}", "in Lisbon", ""), []int{8, 11}, []string{`"place"`, "not a date"}},
		{"ErrUnparseableDate", file("signed", "the day of the big storm", "in Lisbon", ""), []int{11}, []string{`"the day of the big storm"`}},
		{"ErrRelativeDateUndated", file("signed", "August last year", "in Lisbon", ""), []int{11}, []string{`"August last year"`, "no publication date", "en-post"}},
		{"ErrQuoteNotFound", file("signed", "2023", "signed on Mrach 3, 2023", ""), []int{12}, []string{"quote not found", `"signed on Mrach 3, 2023"`, "closest:", `"signed on March 3, 2023"`, "diff:", "M[-a-]r{+a+}ch"}},
		{"ErrClaimIDReused", strings.Replace(file("signed", "2023-03-04", "signed on March 3, 2023", ""), "id: bad", "id: en-signed", 1), []int{8}, []string{"en-signed", "already used for a different claim"}},
		{"ErrUnknownField", file("signed", "2023", "in Lisbon", "    colour: red\n"), []int{13}, []string{`unknown field "colour"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := e2eWrite(t, dir, strings.ReplaceAll(tt.name, "/", "-")+".yaml", tt.content)
			id := "bad"
			if tt.name == "ErrClaimIDReused" {
				id = "en-signed"
			}
			stderr := e2eFail(t, archive, 1, append([]string{"claim " + id + ":"}, tt.want...), "claim", "import", f)
			var places []string
			ok := false
			for _, l := range tt.lines {
				p := f + ":" + strconv.Itoa(l) + ":"
				places = append(places, p)
				ok = ok || strings.HasPrefix(stderr, "sillok: "+p)
			}
			if !ok {
				t.Errorf("got stderr %q, want it to begin with one of %q", stderr, places)
			}
		})
	}

	t.Run("ErrClaimIDReused/NamedOnce", func(t *testing.T) {
		f := e2eWrite(t, dir, "reused.yaml", strings.Replace(file("signed", "2023-03-04", "signed on March 3, 2023", ""), "id: bad", "id: en-signed", 1))
		stderr := e2eFail(t, archive, 1, []string{"claim en-signed: "}, "claim", "import", f)
		if strings.Count(stderr, "claim en-signed: ") != 1 {
			t.Errorf("got stderr %q, want the claim named once", stderr)
		}
	})
	t.Run("ErrUnknownPredicate/JSON", func(t *testing.T) {
		f := e2eWrite(t, dir, "bad.json", "{\n  \"source\": \"en-post\",\n  \"claims\": [\n    {\"id\": \"j-bad\", \"subject\": \"X\", \"predicate\": \"sined\", \"value\": \"2023\", \"quote\": \"in Lisbon\"}\n  ]\n}\n")
		stderr := e2eFail(t, archive, 1, []string{"claim j-bad:", `"sined"`, "known predicates"}, "claim", "import", f)
		if !strings.HasPrefix(stderr, "sillok: "+f+":4:") {
			t.Errorf("got stderr %q, want it to begin with %s:4:", stderr, f)
		}
	})

	if got := e2eHead(t, archive); got != head {
		t.Errorf("after the failed imports: got head %d, want %d", got, head)
	}
	if got := mustRunInProcess(t, archive, "claim", "list"); got != listBefore {
		t.Errorf("after the failed imports, claim list changed:\n%s\nwant\n%s", got, listBefore)
	}
}

func TestClaimRetract(t *testing.T) {
	archive, _ := claimsFixture(t, true)
	mustRunInProcess(t, archive, "claim", "add", "--id", "motto", "--source", "en-post", "--subject", "Harbor Compact", "--predicate", "motto", "--value", "open seas for all", "--quote", "open seas for all")
	head := e2eHead(t, archive)

	var got struct {
		Claim    string
		Revision events.Revision
	}
	e2eJSON(t, archive, &got, "claim", "retract", "motto", "--reason", "misread the article")
	if got.Claim != "motto" || got.Revision != head+1 {
		t.Errorf("claim retract --json: got %+v, want claim motto at revision %d", got, head+1)
	}
	c := e2eClaims(t, archive)["motto"]
	if c.Status != "retracted" || c.Reason != "misread the article" {
		t.Errorf("claim list after the retraction: got status %q, reason %q, want retracted, misread the article", c.Status, c.Reason)
	}
	if out := mustRunInProcess(t, archive, "claim", "list"); !strings.Contains(out, "[RETRACTED: misread the article]") {
		t.Errorf("claim list: got\n%s\nwant the claim marked retracted with its reason", out)
	}
	if out := mustRunInProcess(t, archive, "view", "Harbor Compact"); strings.Contains(out, "open seas for all") {
		t.Errorf("view after the retraction: got\n%s\nwant the retracted value gone", out)
	}
	if out := mustRunInProcess(t, archive, "log", "--from", strconv.FormatUint(uint64(head+1), 10)); !strings.Contains(out, "retract motto: misread the article") {
		t.Errorf("log: got\n%s\nwant the retraction with its reason", out)
	}

	t.Run("ErrAlreadyRetracted", func(t *testing.T) {
		e2eFail(t, archive, 1, []string{"motto", "already retracted"}, "claim", "retract", "motto", "--reason", "again")
	})
	t.Run("ErrUnknownClaim", func(t *testing.T) {
		e2eFail(t, archive, 1, []string{`unknown claim "nosuch"`}, "claim", "retract", "nosuch", "--reason", "x")
	})
	t.Run("ErrUsage/NoReason", func(t *testing.T) {
		e2eFail(t, archive, 2, []string{"reason", "usage: sillok claim retract"}, "claim", "retract", "motto")
	})
	if got := e2eHead(t, archive); got != head+1 {
		t.Errorf("after the refused retractions: got head %d, want %d", got, head+1)
	}
}

func TestClaimList(t *testing.T) {
	archive, dir := claimsFixture(t, true)
	mustRunInProcess(t, archive, "claim", "import", e2eWrite(t, dir, "ko.yaml", importYAML))
	mustRunInProcess(t, archive, "claim", "import", e2eWrite(t, dir, "ja.json", importJSON))
	mustRunInProcess(t, archive, "alias", "add", "Harbour Compact", "--entity", "Harbor Compact", "--kind", "variant")

	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"All", nil, []string{"en-after", "en-motto", "ja-meeting", "ja-members", "ko-arrived", "ko-launched", "ko-signed"}},
		{"Source", []string{"--source", "ja-news"}, []string{"ja-meeting", "ja-members"}},
		{"SourceEnglish", []string{"--source", "en-post"}, []string{"en-after", "en-motto"}},
		{"Subject", []string{"--subject", "Harbor Compact"}, []string{"en-motto", "ja-members", "ko-signed"}},
		{"SubjectByAlias", []string{"--subject", "Harbour Compact"}, []string{"en-motto", "ja-members", "ko-signed"}},
		{"SubjectByTranslation", []string{"--subject", "항만협정"}, []string{"en-motto", "ja-members", "ko-signed"}},
		// ko-arrived's subject is 사무국, declared a translation of the secretariat.
		{"SubjectWithAliasedClaims", []string{"--subject", "Harbor Compact secretariat"}, []string{"en-after", "ja-meeting", "ko-arrived", "ko-launched"}},
		{"SourceAndSubject", []string{"--source", "ko-daily", "--subject", "사무국"}, []string{"ko-arrived", "ko-launched"}},
	}
	for _, tt := range tests {
		t.Run("OK/"+tt.name, func(t *testing.T) {
			got := sortedKeys(e2eClaims(t, archive, tt.args...))
			if !slices.Equal(got, tt.want) {
				t.Errorf("claim list %v --json: got %v, want %v", tt.args, got, tt.want)
			}
			out := mustRunInProcess(t, archive, append([]string{"claim", "list"}, tt.args...)...)
			if n := strings.Count(out, "\n"); n != len(tt.want) {
				t.Errorf("claim list %v: got %d lines, want %d:\n%s", tt.args, n, len(tt.want), out)
			}
		})
	}
	t.Run("ErrUnknownSubject", func(t *testing.T) {
		e2eFail(t, archive, 1, []string{`"nobody"`}, "claim", "list", "--subject", "nobody")
	})
	t.Run("ErrUnknownSource", func(t *testing.T) {
		e2eFail(t, archive, 1, []string{`"nosuch"`}, "claim", "list", "--source", "nosuch")
	})
}

// TestRelativeDatesInSourceZone: a relative date is resolved against the
// publication day in the source's own time zone.
func TestRelativeDatesInSourceZone(t *testing.T) {
	archive, dir := claimsFixture(t, true)
	// 00:30 in Seoul on April 1 is still March 31 in UTC.
	mustRunInProcess(t, archive, "source", "add", e2eWrite(t, dir, "early.txt", "어제 협정 사무국이 문을 열었다.\n"), "--id", "ko-early", "--lang", "ko", "--published", "2024-04-01T00:30:00+09:00")
	f := e2eWrite(t, dir, "rel.yaml", `claims:
  - {id: ja-25, source: ja-news, subject: Harbor Compact secretariat, predicate: first meeting, value: 25日, quote: 事務局は25日}
  - {id: ko-yesterday, source: ko-early, subject: Harbor Compact secretariat, predicate: opened, value: 어제, quote: 어제 협정 사무국이 문을 열었다}
  - {id: ko-last-year, source: ko-daily, subject: Harbor Compact secretariat, predicate: signed, value: 지난해 3월, quote: 지난해 3월 출범했다}
`)
	mustRunInProcess(t, archive, "claim", "import", f)
	claims := e2eClaims(t, archive)
	tests := []struct{ id, written, date, anchor string }{
		{"ja-25", "25日", "2024-04-25", "2024-04-26"},
		{"ko-yesterday", "어제", "2024-03-31", "2024-04-01"},
		{"ko-last-year", "지난해 3월", "2023-03", "2024-04-27"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			v := claims[tt.id].Value
			if v.Date != tt.date || v.Anchor != tt.anchor || v.Written != tt.written {
				t.Errorf("claim %s: got date %q, anchor %q, written %q, want %q, %q, %q", tt.id, v.Date, v.Anchor, v.Written, tt.date, tt.anchor, tt.written)
			}
		})
	}
}

// seedsDirs are where the real seed articles may be: DESIGN.md puts them in
// ../shared/seeds beside the repository, three levels up from this package.
var seedsDirs = []string{"../../shared/seeds", "../../../shared/seeds"}

// TestClaimsSeedArticles archives two of the real seed articles and imports
// a claims file generated from their text: the sentences that carry a date.
func TestClaimsSeedArticles(t *testing.T) {
	var paths []string
	for _, d := range seedsDirs {
		if paths, _ = filepath.Glob(filepath.Join(d, "*.txt")); len(paths) > 0 {
			break
		}
	}
	if len(paths) == 0 {
		t.Skipf("no seed articles in %v", seedsDirs)
	}
	slices.Sort(paths)

	archive := e2eArchive(t)
	mustRunInProcess(t, archive, "predicate", "add", "mentions date", "--kind", "date")
	// Date forms the natural-language parser must read, most specific first.
	patterns := []*regexp.Regexp{
		regexp.MustCompile(`\d{4}年\d{1,2}月\d{1,2}日`),
		regexp.MustCompile(`(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}`),
		regexp.MustCompile(`the \d{1,2}(st|nd|rd|th)\b`),
	}
	sentenceEnd := regexp.MustCompile(`[。！？]|[.!?]\s|\n`)

	// One dated sentence per date form, each from another article: the
	// quotes come from the normalized text that they are anchored in.
	type picked struct{ id, source, file, value, quote string }
	texts := map[string]string{}
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if texts[p], err = sources.Text(raw); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
	}
	var claims []picked
	used := map[string]bool{}
	for _, re := range patterns {
	files:
		for _, p := range paths {
			if len(claims) == 2 || used[p] {
				break
			}
			for _, s := range sentenceEnd.Split(texts[p], -1) {
				s = strings.TrimSpace(s)
				if n := utf8.RuneCountInString(s); n < 10 || n > 300 {
					continue
				}
				if m := re.FindString(s); m != "" {
					n := len(claims)
					claims = append(claims, picked{fmt.Sprintf("seed-claim-%d", n), fmt.Sprintf("seed-%d", n), p, m, s})
					used[p] = true
					break files
				}
			}
		}
	}
	if len(claims) < 2 {
		t.Skipf("found dated sentences in only %d of the seed articles", len(claims))
	}
	for _, c := range claims {
		mustRunInProcess(t, archive, "source", "add", c.file, "--id", c.source, "--published", "2024-04-26")
	}

	var b strings.Builder
	b.WriteString("claims:\n")
	for _, c := range claims {
		fmt.Fprintf(&b, "  - id: %s\n    source: %s\n    subject: %s article\n    predicate: mentions date\n    value: %s\n    quote: %s\n",
			c.id, c.source, c.source, strconv.Quote(c.value), strconv.Quote(c.quote))
	}
	t.Logf("claims file generated from the seeds:\n%s", b.String())
	f := e2eWrite(t, t.TempDir(), "seeds.yaml", b.String())
	var got importDoc
	e2eJSON(t, archive, &got, "claim", "import", f)
	if got.Claims != 2 || got.Created != 2 {
		t.Fatalf("import of %s:\n%s\ngot %+v, want 2 claims created", f, b.String(), got)
	}
	listed := e2eClaims(t, archive)
	for _, c := range claims {
		l, ok := listed[c.id]
		if !ok {
			t.Errorf("claim list does not list %s", c.id)
			continue
		}
		if l.Source != c.source || l.Quote != c.quote || l.Value.Date == "" || l.Value.Written != c.value {
			t.Errorf("claim %s: got %+v, want source %s, quote %q and a date written %q", c.id, l, c.source, c.quote, c.value)
		}
	}
	e2eHead(t, archive) // verify re-checks every quote anchor against the seed bytes
}
