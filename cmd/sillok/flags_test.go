package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/events"
)

// Flags work in any position (issue "The event log and the sillok
// program"): every command of the app, run with its flags after its
// positional arguments, must do what the flags say.

// flagRun is one invocation: the command's positional arguments, then its
// flags, and a check of what it printed.
type flagRun struct {
	pos, flags []string
	check      func(t *testing.T, stdout string)
}

// flagRunInput is, for the commands that need it, their standard input,
// or how long a command that runs until it is stopped (serve) runs.
var flagRunInput = map[string]struct {
	stdin string
	for_  time.Duration
}{
	"serve":    {for_: 500 * time.Millisecond},
	"user add": {stdin: "a-long-password\n"},
}

// appCommands returns the full names ("claim add") of every command of the
// app that runs something, walking the subcommands.
func appCommands(prefix string, cmds []*cli.Command) map[string]*cli.Command {
	out := map[string]*cli.Command{}
	for _, c := range cmds {
		if c.Name == "help" {
			continue
		}
		name := strings.TrimSpace(prefix + " " + c.Name)
		if len(c.Subcommands) == 0 || len(c.Flags) > 0 { // a group of subcommands has no flags of its own
			out[name] = c
		}
		for k, v := range appCommands(name, c.Subcommands) {
			out[k] = v
		}
	}
	return out
}

// decode unmarshals stdout into v or fails.
func decode(t *testing.T, stdout string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(stdout), v); err != nil {
		t.Fatalf("got %q, want JSON: %v", stdout, err)
	}
}

const (
	flagsAlpha = "The Tidal Network was set up in April 2023. Japan is a member of the Online Freedom Coalition. " +
		"The Harbour Authority opened in May 2023. Korea joined. Later, Korea joined again.\n"
	flagsBeta = "The Tidal Network was launched in August 2023. Japan joined the Freedom Online Coalition. " +
		"The Harbor Authority opened in June 2023.\n"
)

func TestFlagsAfterArguments(t *testing.T) {
	archive := e2eArchive(t)
	dir := t.TempDir()
	mustRunInProcess(t, archive, "source", "add", e2eWrite(t, dir, "alpha.txt", flagsAlpha), "--id", "alpha", "--published", "2024-04-26")
	mustRunInProcess(t, archive, "source", "add", e2eWrite(t, dir, "beta.txt", flagsBeta), "--id", "beta", "--published", "2024-05-01")
	mustRunInProcess(t, archive, "claim", "import", e2eWrite(t, dir, "claims.yaml", `predicates:
  - {name: launched, kind: date}
  - {name: opened, kind: date}
  - {name: member, kind: entity, many: true}
claims:
  - {id: a-launched, source: alpha, subject: Tidal Network, predicate: launched, value: April 2023, quote: set up in April 2023}
  - {id: a-ofc, source: alpha, subject: Online Freedom Coalition, predicate: member, value: Japan, quote: Japan is a member}
  - {id: a-office, source: alpha, subject: Harbour Authority, predicate: opened, value: May 2023, quote: opened in May 2023}
  - {id: b-launched, source: beta, subject: Tidal Network, predicate: launched, value: August 2023, quote: launched in August 2023}
  - {id: b-foc, source: beta, subject: Freedom Online Coalition, predicate: member, value: Japan, quote: Japan joined the Freedom Online Coalition}
  - {id: b-office, source: beta, subject: Harbor Authority, predicate: opened, value: June 2023, quote: opened in June 2023}
`))
	base := e2eHead(t, archive) // 2 sources, 3 predicates, 6 claims
	baseS := strconv.FormatUint(uint64(base), 10)
	pin1 := "1:" + firstHash(t, archive).String() // verify --expect
	conflictID := func(kind, word string) string {
		t.Helper()
		for _, c := range e2eConflicts(t, archive, "--status", "all") {
			if c.Kind == kind && strings.Contains(c.Summary+c.Subject+c.Predicate, word) {
				return c.ID
			}
		}
		t.Fatalf("no %s conflict about %q", kind, word)
		return ""
	}
	launched := conflictID("value", "launched")
	bagDir := filepath.Join(t.TempDir(), "bag")
	imported := filepath.Join(t.TempDir(), "imported.db")
	exported := filepath.Join(t.TempDir(), "exported")
	coalition := conflictID("name", "Coalition")
	authority := conflictID("name", "Authority")
	verdictOf := func(t *testing.T, id string) (decision, claim, note string) {
		t.Helper()
		var c struct {
			Verdict *struct{ Decision, Claim, Note string }
		}
		decode(t, mustRunInProcess(t, archive, "conflicts", "show", id, "--json"), &c)
		if c.Verdict == nil {
			t.Fatalf("conflict %s has no verdict", id)
		}
		return c.Verdict.Decision, c.Verdict.Claim, c.Verdict.Note
	}
	demoDir := filepath.Join(t.TempDir(), "demo-here")
	importFile := e2eWrite(t, dir, "more.json", `{"source": "beta", "claims": [{"id": "b-more", "subject": "Tidal Network", "predicate": "opened", "value": "2023", "quote": "The Tidal Network"}]}`)

	genDir := filepath.Join(t.TempDir(), "gen")
	cases := []struct {
		name string
		runs []flagRun
	}{
		{"init", []flagRun{{nil, []string{"--json"}, func(t *testing.T, out string) {
			var got struct {
				Created  bool
				Revision events.Revision
			}
			decode(t, out, &got)
			if got.Created || got.Revision != base {
				t.Errorf("init --json on the archive: got %+v, want created false at revision %d", got, base)
			}
		}}}},
		{"source add", []flagRun{{[]string{e2eWrite(t, dir, "x.txt", "Korea joined the network in 2024.\n")}, []string{
			"--id", "x-src", "--title", "X title", "--url", "https://example.com/x", "--publisher", "X Daily", "--lang", "ko",
			"--published", "2024-04-26T09:10:00+09:00", "--retrieved", "2024-06-10", "--translation-of", "alpha", "--translator", "DeepL", "--json",
		}, func(t *testing.T, out string) {
			var got struct {
				ID      string
				Created bool
			}
			decode(t, out, &got)
			if got.ID != "x-src" || !got.Created {
				t.Errorf("source add FILE --id x-src: got %+v, want id x-src created", got)
			}
			var src map[string]any
			decode(t, mustRunInProcess(t, archive, "source", "show", "x-src", "--json"), &src)
			for k, v := range map[string]string{"title": "X title", "url": "https://example.com/x", "publisher": "X Daily", "lang": "ko",
				"published": "2024-04-26T09:10:00+09:00", "retrieved": "2024-06-10", "translation_of": "alpha", "translator": "DeepL"} {
				if src[k] != v {
					t.Errorf("source show x-src --json: got %s = %v, want %q (all of %v)", k, src[k], v, src)
				}
			}
		}}}},
		{"source list", []flagRun{
			{nil, []string{"--wide"}, wantLine("source list --wide", "x-src")}, {nil, []string{"--json"}, func(t *testing.T, out string) {
				var got struct{ Sources []struct{ ID string } }
				decode(t, out, &got)
				if len(got.Sources) != 3 || got.Sources[2].ID != "x-src" {
					t.Errorf("source list --json: got %+v, want alpha, beta, x-src", got)
				}
			}}}},
		{"source import", []flagRun{{[]string{func() string {
			e2eWrite(t, dir, "y.txt", "Japan joined the network in 2024.\n")
			return e2eWrite(t, dir, "sources.yaml", "- {file: y.txt, id: y-src, lang: en}\n")
		}()}, []string{"--json"}, func(t *testing.T, out string) {
			var got struct {
				Sources []struct {
					ID      string
					Created bool
				}
			}
			decode(t, out, &got)
			if len(got.Sources) != 1 || got.Sources[0].ID != "y-src" || !got.Sources[0].Created {
				t.Errorf("source import MANIFEST --json: got %+v, want y-src created", got)
			}
		}}}},
		{"source edit", []flagRun{
			{[]string{"x-src"}, []string{"--title", "X title, corrected", "--url", "https://example.com/x2", "--publisher", "X Weekly",
				"--lang", "ja", "--published", "2024-04-27", "--retrieved", "2024-06-11", "--translation-of", "beta", "--translator", "staff", "--json",
			}, func(t *testing.T, out string) {
				var got struct {
					ID      string
					Changes []struct{ Field string }
				}
				decode(t, out, &got)
				if got.ID != "x-src" || len(got.Changes) != 8 {
					t.Errorf("source edit x-src with every field: got %+v, want 8 changes", got)
				}
				var src map[string]any
				decode(t, mustRunInProcess(t, archive, "source", "show", "x-src", "--json"), &src)
				for k, v := range map[string]string{"title": "X title, corrected", "url": "https://example.com/x2", "publisher": "X Weekly", "lang": "ja",
					"published": "2024-04-27", "retrieved": "2024-06-11", "translation_of": "beta", "translator": "staff"} {
					if src[k] != v {
						t.Errorf("source show x-src --json after the edit: got %s = %v, want %q", k, src[k], v)
					}
				}
			}},
			{[]string{"x-src"}, []string{"--clear", "url", "--note", "no such page"}, func(t *testing.T, out string) {
				if !strings.Contains(out, "url:") || !strings.Contains(out, "→ (none)") {
					t.Errorf("source edit x-src --clear url: got %q, want the url cleared", out)
				}
			}},
		}},
		{"source show", []flagRun{
			{[]string{"alpha"}, []string{"--quotes"}, func(t *testing.T, out string) {
				if !strings.Contains(out, "»[a-launched") || !strings.Contains(out, "«") {
					t.Errorf("source show alpha --quotes: got %q, want the quote of a-launched marked", out)
				}
			}},
			{[]string{"alpha"}, []string{"--text"}, func(t *testing.T, out string) {
				if want := strings.TrimSpace(flagsAlpha) + "\n"; out != want {
					t.Errorf("source show alpha --text: got %q, want %q", out, want)
				}
			}},
			{[]string{"alpha"}, []string{"--text", "--json"}, func(t *testing.T, out string) {
				var got struct{ ID, Text string }
				decode(t, out, &got)
				if got.ID != "alpha" || !strings.HasPrefix(got.Text, "The Tidal Network") {
					t.Errorf("source show alpha --text --json: got %+v", got)
				}
			}},
		}},
		{"predicate add", []flagRun{{[]string{"tag"}, []string{"--kind", "entity", "--many", "--json"}, func(t *testing.T, out string) {
			var got struct {
				Name, Kind    string
				Many, Created bool
			}
			decode(t, out, &got)
			if got.Name != "tag" || got.Kind != "entity" || !got.Many || !got.Created {
				t.Errorf("predicate add tag --kind entity --many: got %+v", got)
			}
		}}}},
		{"predicate list", []flagRun{
			{nil, []string{"--wide"}, wantLine("predicate list --wide", "tag")}, {nil, []string{"--json"}, func(t *testing.T, out string) {
				var got struct{ Predicates []struct{ Name string } }
				decode(t, out, &got)
				if len(got.Predicates) != 4 {
					t.Errorf("predicate list --json: got %+v, want 4 predicates", got)
				}
			}}}},
		{"claim add", []flagRun{
			// The quote occurs twice; --prefix and --suffix pick the second.
			{nil, []string{"--source", "alpha", "--subject", "Tidal Network", "--as", "the network", "--predicate", "tag", "--value", "Korea",
				"--quote", "Korea joined", "--note", "second mention", "--id", "fl-add", "--prefix", "Later, ", "--suffix", " again", "--json"},
				func(t *testing.T, out string) {
					var got struct {
						ID      string
						Created bool
					}
					decode(t, out, &got)
					c := e2eClaims(t, archive)["fl-add"]
					if got.ID != "fl-add" || !got.Created || c.As != "the network" || c.Note != "second mention" || c.Value.Entity != "Korea" || c.Source != "alpha" {
						t.Errorf("claim add --id fl-add ...: got %+v, listed %+v", got, c)
					}
					var log struct {
						Events []struct {
							Payload struct {
								ID    string
								Quote struct{ Position struct{ Start int } }
							}
						}
					}
					decode(t, mustRunInProcess(t, archive, "log", "--json"), &log)
					p := log.Events[len(log.Events)-1].Payload
					if want := strings.Index(flagsAlpha, "Korea joined again"); p.ID != "fl-add" || p.Quote.Position.Start != want {
						t.Errorf("claim add --prefix --suffix: got the quote of %s at %d, want the second occurrence at %d", p.ID, p.Quote.Position.Start, want)
					}
				}},
		}},
		{"claim import", []flagRun{{[]string{importFile}, []string{"--json"}, func(t *testing.T, out string) {
			var got importDoc
			decode(t, out, &got)
			if got.Claims != 1 || got.Created != 1 {
				t.Errorf("claim import FILE --json: got %+v, want 1 claim created", got)
			}
		}}}},
		{"claim retract", []flagRun{{[]string{"b-more"}, []string{"--reason", "not a date of opening", "--json"}, func(t *testing.T, out string) {
			var got struct{ Claim string }
			decode(t, out, &got)
			if c := e2eClaims(t, archive)["b-more"]; got.Claim != "b-more" || c.Status != "retracted" || c.Reason != "not a date of opening" {
				t.Errorf("claim retract b-more --reason R: got %+v, listed %+v", got, c)
			}
		}}}},
		{"claim list", []flagRun{
			{nil, []string{"--wide"}, wantLine("claim list --wide", "a-launched")},
			{nil, []string{"--source", "alpha", "--subject", "Tidal Network", "--json"}, func(t *testing.T, out string) {
				var got struct{ Claims []struct{ ID string } }
				decode(t, out, &got)
				if len(got.Claims) != 2 || got.Claims[0].ID != "a-launched" || got.Claims[1].ID != "fl-add" {
					t.Errorf("claim list --source alpha --subject 'Tidal Network': got %+v, want a-launched, fl-add", got)
				}
			}},
			{nil, []string{"--at", "4", "--json"}, func(t *testing.T, out string) {
				var got struct{ Claims []struct{ ID string } }
				decode(t, out, &got)
				if len(got.Claims) != 0 {
					t.Errorf("claim list --at 4 (before the import): got %+v, want none", got)
				}
			}},
		}},
		{"alias add", []flagRun{{[]string{"FOC"}, []string{"--entity", "Freedom Online Coalition", "--kind", "abbreviation", "--note", "common short form", "--json"}, func(t *testing.T, out string) {
			var got struct {
				Name, Entity, Kind string
				Created            bool
			}
			decode(t, out, &got)
			if got.Name != "FOC" || got.Entity != "Freedom Online Coalition" || got.Kind != "abbreviation" || !got.Created {
				t.Errorf("alias add FOC --entity ... --kind abbreviation: got %+v", got)
			}
			var v struct {
				Entities []struct {
					Name         string
					AliasDetails []struct{ Name, Kind, Note string } `json:"alias_details"`
				}
			}
			decode(t, mustRunInProcess(t, archive, "view", "FOC", "--json"), &v)
			if len(v.Entities) != 1 || v.Entities[0].Name != "Freedom Online Coalition" ||
				!slices.ContainsFunc(v.Entities[0].AliasDetails, func(a struct{ Name, Kind, Note string }) bool {
					return a.Name == "FOC" && a.Note == "common short form"
				}) {
				t.Errorf("view FOC --json: got %+v, want Freedom Online Coalition with the alias FOC and its note", v)
			}
		}}}},
		{"view", []flagRun{
			{[]string{"Tidal Network"}, []string{"--wide"}, wantLine("view 'Tidal Network' --wide", "Tidal Network")}, {[]string{"Tidal Network"}, []string{"--at", baseS, "--json"}, func(t *testing.T, out string) {
				var got e2eView
				decode(t, out, &got)
				if got.Revision != base || len(got.Entities) != 1 || got.Entities[0].Name != "Tidal Network" || len(got.Entities[0].Facts) != 1 {
					t.Errorf("view 'Tidal Network' --at %d --json: got %+v, want the network with one fact at revision %d", base, got, base)
				}
			}}}},
		{"conflicts", []flagRun{
			{nil, []string{"--wide"}, wantLine("conflicts --wide", "ID")}, {nil, []string{"--status", "all", "--kind", "name", "--at", baseS, "--json"}, func(t *testing.T, out string) {
				var got struct {
					Revision  events.Revision
					Conflicts []e2eConflict
				}
				decode(t, out, &got)
				if got.Revision != base || len(got.Conflicts) != 2 || got.Conflicts[0].Kind != "name" || got.Conflicts[1].Kind != "name" {
					t.Errorf("conflicts --status all --kind name --at %d --json: got %+v, want the two name conflicts", base, got)
				}
			}}, {nil, []string{"--subject", "tidal network", "--status", "all", "--json"}, func(t *testing.T, out string) {
				var got struct{ Conflicts []e2eConflict }
				decode(t, out, &got)
				if len(got.Conflicts) == 0 {
					t.Errorf("conflicts --subject 'tidal network' --json: got none")
				}
				for _, cf := range got.Conflicts {
					if cf.Subject != "Tidal Network" {
						t.Errorf("conflicts --subject 'tidal network': got a conflict about %q", cf.Subject)
					}
				}
			}}, {nil, []string{"--status", "all", "--limit", "1", "--after", "", "--json"}, func(t *testing.T, out string) {
				var got struct {
					Conflicts []e2eConflict
					Next      string
				}
				decode(t, out, &got)
				if len(got.Conflicts) != 1 || got.Next == "" {
					t.Errorf("conflicts --status all --limit 1 --json: got %+v, want one conflict and a cursor", got)
				}
			}}}},
		{"search", []flagRun{{[]string{"tidal"}, []string{"--limit", "1", "--at", baseS}, func(t *testing.T, out string) {
			if !strings.HasPrefix(out, "entities (1):\n  Tidal Network  (") {
				t.Errorf("search tidal --limit 1 --at %d: got %q, want the network first", base, out)
			}
		}}}},
		{"conflicts show", []flagRun{{[]string{launched}, []string{"--at", baseS, "--json"}, func(t *testing.T, out string) {
			var got struct {
				ID       string
				Revision events.Revision
				Details  []any
			}
			decode(t, out, &got)
			if got.ID != launched || got.Revision != base || len(got.Details) != 2 {
				t.Errorf("conflicts show %s --at %d --json: got %+v", launched, base, got)
			}
		}}}},
		{"review", []flagRun{
			{[]string{launched}, []string{"--dismiss", "--note", "both may be right"}, func(t *testing.T, _ string) {
				if d, _, n := verdictOf(t, launched); d != "dismiss" || n != "both may be right" {
					t.Errorf("review ID --dismiss --note N: got %s with note %q", d, n)
				}
			}},
			{[]string{launched}, []string{"--accept", "b-launched", "--override"}, func(t *testing.T, _ string) {
				if d, c, _ := verdictOf(t, launched); d != "accept" || c != "b-launched" {
					t.Errorf("review ID --accept b-launched --override: got %s %s", d, c)
				}
			}},
			{[]string{launched}, []string{"--reject", "b-launched", "--override", "--json"}, func(t *testing.T, out string) {
				var got struct{ Decision string }
				decode(t, out, &got)
				if d, c, _ := verdictOf(t, launched); got.Decision != "reject" || d != "reject" || c != "b-launched" {
					t.Errorf("review ID --reject b-launched --override: got %s %s", d, c)
				}
			}},
			{[]string{coalition}, []string{"--same"}, func(t *testing.T, _ string) {
				if d, _, _ := verdictOf(t, coalition); d != "same" {
					t.Errorf("review ID --same: got %s", d)
				}
			}},
			{[]string{authority}, []string{"--distinct"}, func(t *testing.T, _ string) {
				if d, _, _ := verdictOf(t, authority); d != "distinct" {
					t.Errorf("review ID --distinct: got %s", d)
				}
			}},
		}},
		{"diff", []flagRun{
			{[]string{"1"}, []string{"--text"}, func(t *testing.T, out string) {
				if !strings.Contains(out, "@@ ") || !strings.HasPrefix(out, "--- view at 1\n") {
					t.Errorf("diff 1 --text: got %q, want a unified diff", out)
				}
			}},
			{[]string{"1", "3"}, []string{"--json"}, func(t *testing.T, out string) {
				var got struct{ From, To events.Revision }
				decode(t, out, &got)
				if got.From != 1 || got.To != 3 {
					t.Errorf("diff 1 3 --json: got %+v", got)
				}
			}},
		}},
		{"log", []flagRun{
			{nil, []string{"--wide"}, wantLine("log --wide", "1  2024-06-07T09:00:00Z")}, {nil, []string{"--from", "2", "--to", "3", "--json"}, func(t *testing.T, out string) {
				var got struct {
					Events []struct{ Revision events.Revision }
				}
				decode(t, out, &got)
				if len(got.Events) != 2 || got.Events[0].Revision != 2 || got.Events[1].Revision != 3 {
					t.Errorf("log --from 2 --to 3 --json: got %+v", got)
				}
			}}}},
		{"verify", []flagRun{{nil, []string{"--json"}, func(t *testing.T, out string) {
			var got struct{ OK bool }
			decode(t, out, &got)
			if !got.OK {
				t.Errorf("verify --json: got %s", out)
			}
		}}, {nil, []string{"--replay", "--json"}, func(t *testing.T, out string) {
			var got struct{ OK bool }
			decode(t, out, &got)
			if !got.OK {
				t.Errorf("verify --replay --json: got %s", out)
			}
		}}, {nil, []string{"--expect", pin1, "--json"}, func(t *testing.T, out string) {
			var got struct{ OK bool }
			decode(t, out, &got)
			if !got.OK {
				t.Errorf("verify --expect %s --json: got %s", pin1, out)
			}
		}}}},
		{"head", []flagRun{{nil, []string{"--json"}, func(t *testing.T, out string) {
			var got struct {
				Revision events.Revision
				Hash     string
			}
			decode(t, out, &got)
			if got.Revision < base || !strings.HasPrefix(got.Hash, "sha256:") {
				t.Errorf("head --json: got %s", out)
			}
		}}}},
		{"rebuild", []flagRun{{nil, []string{"--json"}, func(t *testing.T, out string) {
			var got struct {
				Revision events.Revision
				Repaired []events.Revision
			}
			decode(t, out, &got)
			if got.Revision < base || len(got.Repaired) != 0 {
				t.Errorf("rebuild --json: got %+v", got)
			}
		}}}},
		{"export bag", []flagRun{{[]string{bagDir}, []string{"--organization", "Desk", "--description", "a test", "--json"}, func(t *testing.T, out string) {
			var got struct{ Revision events.Revision }
			decode(t, out, &got)
			if got.Revision < base {
				t.Errorf("export bag DIR --json: got %s", out)
			}
			if b, _ := os.ReadFile(filepath.Join(bagDir, "bag-info.txt")); !strings.Contains(string(b), "Source-Organization: Desk\nExternal-Description: a test\n") {
				t.Errorf("export bag DIR --organization --description: bag-info.txt is %q", b)
			}
		}}}},
		{"bag validate", []flagRun{{[]string{bagDir}, []string{"--json"}, func(t *testing.T, out string) {
			var got struct{ Valid bool }
			decode(t, out, &got)
			if !got.Valid {
				t.Errorf("bag validate DIR --json: got %s", out)
			}
		}}}},
		{"import bag", []flagRun{{[]string{bagDir}, []string{"--archive", imported, "--json"}, func(t *testing.T, out string) {
			var got struct{ Archive string }
			decode(t, out, &got)
			if got.Archive != imported || e2eHead(t, imported) < base {
				t.Errorf("import bag DIR --archive NEW --json: got %s", out)
			}
		}}}},
		{"export claimreview", []flagRun{{nil, []string{"--at", baseS, "--organization", "Desk", "--url", "https://desk.example.org", "--output", exported}, func(t *testing.T, out string) {
			if b, _ := os.ReadFile(exported); !strings.Contains(string(b), `"@type": "DataFeed"`) {
				t.Errorf("export claimreview --output FILE: wrote %q", b)
			}
		}}}},
		{"export annotations", []flagRun{{nil, []string{"--url", "https://desk.example.org", "--output", exported}, func(t *testing.T, out string) {
			if b, _ := os.ReadFile(exported); !strings.Contains(string(b), `"id": "https://desk.example.org/claims/a-launched"`) {
				t.Errorf("export annotations --url --output FILE: wrote %q", b)
			}
		}}}},
		{"export csv", []flagRun{{[]string{"claims"}, []string{"--at", baseS, "--output", exported}, func(t *testing.T, out string) {
			if b, _ := os.ReadFile(exported); !strings.HasPrefix(string(b), "id,revision,source,") || strings.Count(string(b), "\r\n") != 7 {
				t.Errorf("export csv claims --at --output FILE: wrote %q", b)
			}
		}}}},
		{"demo", []flagRun{{nil, []string{"--dir", demoDir}, func(t *testing.T, out string) {
			if !strings.HasPrefix(out, "Sillok demo: a throw-away archive at "+filepath.Join(demoDir, "demo.db")+"\n") {
				t.Errorf("demo --dir D: got first line %q, want D/demo.db", strings.SplitN(out, "\n", 2)[0])
			}
			if _, err := os.Stat(filepath.Join(demoDir, "demo.db")); err != nil {
				t.Errorf("demo --dir D: %v", err)
			}
		}}}},
		{"gen", []flagRun{{[]string{genDir}, []string{"--claims", "20", "--seed", "3", "--per-file", "1", "--load", "--json"}, func(t *testing.T, out string) {
			var got struct {
				Seed    uint64
				Archive string
				Summary struct {
					Claims, Sources int
					ClaimsFiles     int `json:"claims_files"`
				}
			}
			decode(t, out, &got)
			s := got.Summary
			if got.Seed != 3 || s.Claims < 20 || s.Claims > 1000 || s.Sources < 2 || s.ClaimsFiles < 2 {
				t.Errorf("gen DIR --claims 20 --seed 3 --per-file 1: got %+v, want seed 3, about 20 claims, a claims file per source", got)
			}
			if got.Archive != filepath.Join(genDir, "sillok.db") {
				t.Errorf("gen DIR --load: got archive %q, want DIR/sillok.db", got.Archive)
			} else if head := e2eHead(t, got.Archive); head == 0 {
				t.Errorf("gen DIR --load: the archive is empty")
			}
		}}}},
		{"serve", []flagRun{{nil, []string{"--addr", "127.0.0.1:0", "--public-read", "--trust-proxy"}, func(t *testing.T, out string) {
			if !strings.HasPrefix(out, "serving "+archive+" at http://127.0.0.1:") {
				t.Errorf("serve --addr 127.0.0.1:0: got %q", out)
			}
		}}}},
		{"user add", []flagRun{{[]string{"flags-admin"}, []string{"--role", "admin", "--password-stdin", "--json"}, func(t *testing.T, out string) {
			var got struct{ Name, Role string }
			decode(t, out, &got)
			if got.Name != "flags-admin" || got.Role != "admin" {
				t.Errorf("user add NAME --role admin --password-stdin --json: got %s", out)
			}
		}}}},
		{"user token", []flagRun{{[]string{"flags-admin"}, []string{"--json"}, func(t *testing.T, out string) {
			var got struct{ Name, Token string }
			decode(t, out, &got)
			if got.Name != "flags-admin" || !strings.HasPrefix(got.Token, "sillok_") {
				t.Errorf("user token NAME --json: got %s", out)
			}
		}}}},
		{"user list", []flagRun{{nil, []string{"--audit", "--json"}, func(t *testing.T, out string) {
			var got struct {
				Users []struct{ Name string }
				Audit []struct{ Action string }
			}
			decode(t, out, &got)
			if len(got.Users) == 0 || len(got.Audit) < 2 {
				t.Errorf("user list --audit --json: got %s", out)
			}
		}}}},
		{"user disable", []flagRun{{[]string{"flags-admin"}, []string{"--json"}, func(t *testing.T, out string) {
			if !strings.Contains(out, `"disabled": true`) {
				t.Errorf("user disable NAME --json: got %s", out)
			}
		}}}},
		// completion and man have no flags of their own; a global one after
		// the argument.
		{"completion", []flagRun{{[]string{"bash"}, []string{"--json"}, func(t *testing.T, out string) {
			if !strings.Contains(out, "complete -o default -F _sillok_complete sillok") {
				t.Errorf("completion bash --json: got %q, want the bash script", out)
			}
		}}}},
		{"man", []flagRun{{nil, []string{"--json"}, func(t *testing.T, out string) {
			if !strings.HasPrefix(out, ".TH") && !strings.Contains(out, "\n.TH") {
				t.Errorf("man --json: got %.80q, want a man page", out)
			}
		}}}},
	}

	commands := appCommands("", newApp(io.Discard, io.Discard).cli().Commands)
	covered := map[string]bool{}
	for _, tc := range cases {
		cmd, ok := commands[tc.name]
		if !ok {
			t.Errorf("case %q: the app has no such command", tc.name)
			continue
		}
		covered[tc.name] = true
		used := map[string]bool{}
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			for _, r := range tc.runs {
				args := append(append(strings.Fields(tc.name), r.pos...), r.flags...)
				for _, f := range r.flags {
					if strings.HasPrefix(f, "--") {
						used[strings.TrimPrefix(f, "--")] = true
					}
				}
				in := flagRunInput[tc.name]
				stdout, stderr, code := runInProcessFor(t, archive, in.stdin, in.for_, args...)
				if code != 0 || (stderr != "" && in.for_ == 0 && tc.name != "user token") {
					t.Errorf("sillok %q: got exit status %d, stderr %q", args, code, stderr)
					continue
				}
				r.check(t, stdout)
			}
		})
		for _, f := range cmd.Flags {
			if name := f.Names()[0]; !used[name] {
				t.Errorf("command %q: flag --%s is not tried after the arguments; add it to the command's case", tc.name, name)
			}
		}
	}
	for name := range commands {
		if !covered[name] {
			t.Errorf("command %q has no case in TestFlagsAfterArguments; add one that runs it with its flags after its arguments", name)
		}
	}
}

// TestGlobalFlagsAfterCommand: --archive, --json and --author work after
// the command and its arguments.
func TestGlobalFlagsAfterCommand(t *testing.T) {
	t.Chdir(t.TempDir()) // a misplaced --archive would make sillok.db here
	t.Setenv("SILLOK_ARCHIVE", filepath.Join(t.TempDir(), "env-not-this.db"))
	t.Setenv("SILLOK_AUTHOR", "env-author")
	archive := filepath.Join(t.TempDir(), "g.db")
	dir := t.TempDir()
	steps := [][]string{
		{"init", "--archive", archive},
		{"source", "add", e2eWrite(t, dir, "a.txt", flagsAlpha), "--id", "alpha", "--archive", archive, "--author", "ana"},
		{"source", "add", e2eWrite(t, dir, "b.txt", flagsBeta), "--archive=" + archive, "--id", "beta"},
		{"predicate", "add", "launched", "--archive", archive, "--kind", "date"},
		{"claim", "add", "--source", "alpha", "--archive", archive, "--subject", "Tidal Network", "--predicate", "launched", "--value", "April 2023", "--quote", "set up in April 2023", "--id", "a"},
		{"claim", "add", "--source", "beta", "--subject", "Tidal Network", "--predicate", "launched", "--value", "August 2023", "--quote", "launched in August 2023", "--id", "b", "--archive", archive},
	}
	for _, args := range steps {
		if _, stderr, code := runInProcess(t, "", args...); code != 0 {
			t.Fatalf("sillok %q: got %d, %q", args, code, stderr)
		}
	}

	stdout, stderr, code := runInProcess(t, "", "view", "Tidal Network", "--archive", archive, "--json")
	var v e2eView
	if code != 0 || json.Unmarshal([]byte(stdout), &v) != nil || len(v.Entities) != 1 {
		t.Errorf("view SUBJECT --archive X --json: got %d, %q, %q, want the entity as JSON", code, stdout, stderr)
	}
	var cf struct{ Conflicts []e2eConflict }
	stdout, _, _ = runInProcess(t, "", "conflicts", "--json", "--archive", archive)
	if json.Unmarshal([]byte(stdout), &cf) != nil || len(cf.Conflicts) != 1 {
		t.Fatalf("conflicts --json --archive X: got %q, want one conflict", stdout)
	}
	if _, stderr, code := runInProcess(t, "", "review", cf.Conflicts[0].ID, "--dismiss", "--archive", archive, "--author", "zed"); code != 0 {
		t.Fatalf("review ID --dismiss --archive X --author zed: got %d, %q", code, stderr)
	}
	var log struct {
		Events []struct{ Author, Type string }
	}
	stdout, _, _ = runInProcess(t, "", "log", "--archive", archive, "--json")
	if err := json.Unmarshal([]byte(stdout), &log); err != nil {
		t.Fatalf("log --archive X --json: got %q: %v", stdout, err)
	}
	var authors []string
	for _, e := range log.Events {
		authors = append(authors, e.Author)
	}
	if want := []string{"ana", "env-author", "env-author", "env-author", "env-author", "zed"}; !slices.Equal(authors, want) {
		t.Errorf("authors in the log: got %v, want %v (--author after the arguments, else $SILLOK_AUTHOR)", authors, want)
	}
	if _, err := os.Stat("sillok.db"); err == nil {
		t.Errorf("a command made sillok.db in the working directory, want every one to use --archive")
	}
}

// TestFlagHelpDefaults: no flag's help shows a default that says nothing
// or says the wrong thing. The zero of --at, --from and --to means "the
// head" or "the first", not revision 0 ("(default: 0)" would send a user
// to the empty archive), a switch is off unless given ("(default: false)"
// is noise), and a default is given once.
func TestFlagHelpDefaults(t *testing.T) {
	cliApp := newApp(io.Discard, io.Discard).cli()
	type flagOf struct {
		cmd  string
		flag cli.Flag
	}
	var all []flagOf
	for _, f := range cliApp.Flags {
		all = append(all, flagOf{"sillok", f})
	}
	for name, c := range appCommands("", cliApp.Commands) {
		for _, f := range c.Flags {
			all = append(all, flagOf{name, f})
		}
	}
	seen := map[string]string{}
	for _, fo := range all {
		line := cli.FlagStringer(fo.flag)
		where := fo.cmd + " --" + fo.flag.Names()[0]
		seen[where] = line
		for _, bad := range []string{"(default: 0)", "(default: false)", `(default: "")`} {
			if strings.Contains(line, bad) {
				t.Errorf("%s: help %q shows %s", where, line, bad)
			}
		}
		if n := strings.Count(line, "(default:"); n > 1 {
			t.Errorf("%s: help %q gives the default %d times", where, line, n)
		}
	}
	for where, want := range map[string]string{
		"view --at":           "(default: the head)",
		"claim list --at":     "(default: the head)",
		"conflicts --at":      "(default: the head)",
		"conflicts show --at": "(default: the head)",
		"log --from":          "(default: the first)",
		"log --to":            "(default: the head)",
		"gen --claims":        "(default: 10000)",
		"sillok --archive":    `(default: "sillok.db")`,
	} {
		if !strings.Contains(seen[where], want) {
			t.Errorf("%s: help %q, want it to say %s", where, seen[where], want)
		}
	}
	// And as a user sees it.
	if out, _, code := runInProcess(t, "", "view", "--help"); code != 0 || !strings.Contains(out, "--at value  show the view as it was at this revision (default: the head)\n") {
		t.Errorf("sillok view --help: exit status %d, %q, want --at's default to be the head", code, out)
	}
}

// wantLine checks that a command's text output has a line starting with
// want (a cell of the first column).
func wantLine(cmd, want string) func(t *testing.T, out string) {
	return func(t *testing.T, out string) {
		t.Helper()
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), want) {
				return
			}
		}
		t.Errorf("%s: got %q, want a line starting with %q", cmd, out, want)
	}
}
