package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/sillok/sillok/events"
)

// End-to-end tests of `sillok demo` and of the example corpus it loads
// (issue "The example corpus, sillok demo").

// runDemo runs `sillok demo --dir DIR` in a new temporary directory and
// returns the output and the demo archive.
func runDemo(t *testing.T) (stdout, dir, archive string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "demo")
	// --archive (added by runInProcess) is not the demo's: it makes its own.
	stdout = mustRunInProcess(t, filepath.Join(dir, "unused.db"), "demo", "--dir", dir)
	archive = filepath.Join(dir, "demo.db")
	if _, err := os.Stat(archive); err != nil {
		t.Fatalf("demo --dir %s did not make %s: %v", dir, archive, err)
	}
	t.Cleanup(func() { e2eVerifyFile(t, archive) })
	return stdout, dir, archive
}

// e2eVerifyFile checks that a closed archive passes verify.
func e2eVerifyFile(t *testing.T, path string) {
	t.Helper()
	if t.Failed() {
		return
	}
	stdout, stderr, code := runInProcess(t, path, "verify")
	if code != 0 {
		t.Errorf("verify %s: got %d, %q, %q", path, code, stdout, stderr)
	}
}

// utcTime is a recorded-at time (publication times carry their zone).
var utcTime = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z`)

func TestDemoGolden(t *testing.T) {
	out, dir, _ := runDemo(t)
	masked := strings.ReplaceAll(out, dir, "DIR")
	masked = utcTime.ReplaceAllString(masked, "TIME")
	checkGolden(t, "demo.golden", masked)
	if !strings.HasPrefix(out, "Sillok demo: a throw-away archive at "+filepath.Join(dir, "demo.db")+"\n") {
		t.Errorf("demo: got first line %q, want it to name the archive", strings.SplitN(out, "\n", 2)[0])
	}

	t.Run("ErrExists", func(t *testing.T) {
		e2eFail(t, filepath.Join(dir, "unused.db"), 1, []string{filepath.Join(dir, "demo.db"), "--dir"}, "demo", "--dir", dir)
	})
}

// TestDemoTryNext runs every command the demo suggests at its end.
func TestDemoTryNext(t *testing.T) {
	out, _, archive := runDemo(t)
	_, tail, ok := strings.Cut(out, "Try next:\n")
	if !ok {
		t.Fatalf("demo output has no \"Try next:\":\n%s", out)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(tail), "\n") {
		args := shellWords(strings.TrimSpace(line))
		if len(args) < 4 || args[0] != "sillok" || args[1] != "--archive" || args[2] != archive {
			t.Errorf("suggested command %q: want sillok --archive %s COMMAND", line, archive)
			continue
		}
		n++
		t.Run(strings.Join(args[3:], "_"), func(t *testing.T) {
			if stdout := mustRunInProcess(t, archive, args[3:]...); stdout == "" {
				t.Errorf("%s: printed nothing", line)
			}
		})
	}
	if n < 3 {
		t.Errorf("got %d suggested commands, want several", n)
	}
}

// shellWords splits a command line at spaces, keeping 'quoted' words whole.
func shellWords(s string) []string {
	var words []string
	var cur strings.Builder
	quoted, inWord := false, false
	for _, r := range s {
		switch {
		case r == '\'':
			quoted, inWord = !quoted, true
		case r == ' ' && !quoted:
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
			}
			inWord = false
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

func TestDemoArchive(t *testing.T) {
	_, _, archive := runDemo(t)
	var rep struct {
		OK                      bool
		Events, Sources, Claims int
		Problems                []any
	}
	e2eJSON(t, archive, &rep, "verify")
	if !rep.OK || rep.Sources != 8 || rep.Claims != 29 || len(rep.Problems) != 0 {
		t.Errorf("verify --json of the demo archive: got %+v, want ok with 8 sources and 29 claims", rep)
	}

	kinds := map[string]int{}
	for _, c := range e2eConflicts(t, archive, "--status", "all") {
		kinds[c.Kind]++
	}
	for _, k := range []string{"value", "temporal", "name"} {
		if kinds[k] == 0 {
			t.Errorf("conflicts --status all --json: got kinds %v, want a %s conflict", kinds, k)
		}
	}
}

// expectedConflict is an entry of corpus/expected.yaml.
type expectedConflict struct {
	Kind      string   `yaml:"kind"`
	Subject   string   `yaml:"subject"`
	Predicate string   `yaml:"predicate"`
	Relation  string   `yaml:"relation"`
	Dates     []string `yaml:"dates"`
	Names     []string `yaml:"names"`
}

func (e expectedConflict) String() string {
	switch e.Kind {
	case "value":
		return "value " + e.Subject + " / " + e.Predicate
	case "temporal":
		return "temporal " + e.Relation + " " + strings.Join(e.Dates, ", ")
	}
	return "name " + strings.Join(e.Names, " / ")
}

// matches reports whether conflict c is the one e describes.
func (e expectedConflict) matches(c e2eConflict) bool {
	if c.Kind != e.Kind {
		return false
	}
	switch e.Kind {
	case "value":
		return c.Subject == e.Subject && c.Predicate == e.Predicate
	case "temporal":
		var rel, dates []string
		for _, cc := range c.Claims {
			if cc.Role == "relation" {
				rel = append(rel, cc.ID)
			} else {
				dates = append(dates, cc.ID)
			}
		}
		return slices.Equal(rel, []string{e.Relation}) && sameSet(dates, e.Dates)
	case "name":
		return sameSet(c.Names, e.Names)
	}
	return false
}

type expectedCorpus struct {
	Conflicts    []expectedConflict `yaml:"conflicts"`
	NotConflicts []expectedConflict `yaml:"not_conflicts"`
	Facts        []struct {
		Subject     string   `yaml:"subject"`
		Predicate   string   `yaml:"predicate"`
		Value       *string  `yaml:"value"`
		Status      string   `yaml:"status"`
		Claims      []string `yaml:"claims"`
		Independent int      `yaml:"independent"`
	} `yaml:"facts"`
	ResolvedDates map[string]string `yaml:"resolved_dates"`
	Review        struct {
		Conflict      expectedConflict   `yaml:"conflict"`
		Accept        string             `yaml:"accept"`
		Note          string             `yaml:"note"`
		ResolvedAfter []expectedConflict `yaml:"resolved_after"`
		OpenAfter     []expectedConflict `yaml:"open_after"`
	} `yaml:"review"`
}

// TestDemoExpected checks the demo archive against corpus/expected.yaml:
// the conflicts before and after the demo's review, what must not be
// flagged, the reconciled facts and the resolved dates.
func TestDemoExpected(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("corpus", "expected.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var want expectedCorpus
	if err := yaml.Unmarshal(raw, &want); err != nil {
		t.Fatalf("corpus/expected.yaml: %v", err)
	}
	if len(want.Conflicts) == 0 || len(want.NotConflicts) == 0 || len(want.Review.ResolvedAfter) == 0 {
		t.Fatalf("corpus/expected.yaml: got %+v, want conflicts, not_conflicts and the review", want)
	}

	_, _, archive := runDemo(t)
	// The demo's last event is its verdict: before the review is the
	// revision before it.
	var log struct {
		Events []struct {
			Revision events.Revision
			Type     string
			Author   string
			Payload  struct{ Decision, Claim, Note string }
		}
	}
	e2eJSON(t, archive, &log, "log")
	last := log.Events[len(log.Events)-1]
	if last.Type != "verdict.recorded" || last.Payload.Decision != "accept" || last.Payload.Claim != want.Review.Accept || last.Payload.Note != want.Review.Note {
		t.Fatalf("the demo's last event: got %+v, want the verdict accepting %s with the note of expected.yaml", last, want.Review.Accept)
	}
	before := strconv.FormatUint(uint64(last.Revision-1), 10)

	// The lenient pair expected.yaml leaves open.
	optional := expectedConflict{Kind: "name", Names: []string{"Innovation Technology Protection Network", "Disruptive Technology Protection Network"}}

	t.Run("BeforeReview", func(t *testing.T) {
		got := e2eConflicts(t, archive, "--status", "all", "--at", before)
		for _, e := range want.Conflicts {
			n := 0
			for _, c := range got {
				if e.matches(c) {
					n++
					if c.Status != "open" {
						t.Errorf("%s: got status %s, want open", e, c.Status)
					}
				}
			}
			if n != 1 {
				t.Errorf("%s: found %d times, want once", e, n)
			}
		}
		for _, e := range want.NotConflicts {
			for _, c := range got {
				if e.matches(c) {
					t.Errorf("%s: flagged as %s (%s), want no conflict", e, c.ID, c.Summary)
				}
			}
		}
	unexpected:
		for _, c := range got {
			for _, e := range append(slices.Clone(want.Conflicts), optional) {
				if e.matches(c) {
					continue unexpected
				}
			}
			t.Errorf("conflict %s (%s, %s) is not in expected.yaml", c.ID, c.Kind, c.Summary)
		}
		if e := want.Review.Conflict; !slices.ContainsFunc(want.Conflicts, func(x expectedConflict) bool { return x.String() == e.String() }) {
			t.Errorf("the review's conflict %s is not among the conflicts", e)
		}
	})

	t.Run("Facts", func(t *testing.T) {
		for _, f := range want.Facts {
			var v e2eView
			e2eJSON(t, archive, &v, "view", f.Subject, "--at", before)
			if len(v.Entities) != 1 || v.Entities[0].Name != f.Subject {
				t.Errorf("view %q: got %+v, want the entity %q", f.Subject, v.Entities, f.Subject)
				continue
			}
			n := 0
			for _, got := range v.Entities[0].Facts {
				// A predicate with many values has a fact per value.
				if got.Predicate != f.Predicate || got.Relation || f.Value != nil && got.Value != nil && *got.Value != *f.Value {
					continue
				}
				n++
				if (got.Value == nil) != (f.Value == nil) || got.Value != nil && *got.Value != *f.Value || got.Status != f.Status || !sameSet(got.Claims, f.Claims) {
					t.Errorf("%s / %s: got value %v, status %s, claims %v, want %v, %s, %v", f.Subject, f.Predicate, strp(got.Value), got.Status, got.Claims, strp(f.Value), f.Status, f.Claims)
				}
			}
			if n != 1 {
				t.Errorf("%s / %s: got %d facts, want 1", f.Subject, f.Predicate, n)
			}
		}
		// independent counts are in the raw JSON.
		var raw struct {
			Entities []struct {
				Name  string
				Facts []struct {
					Predicate   string
					Value       *string
					Relation    bool
					Independent int `json:"independent_sources"`
				}
			}
		}
		e2eJSON(t, archive, &raw, "view", "--at", before)
		for _, f := range want.Facts {
			if f.Independent == 0 {
				continue
			}
			for _, e := range raw.Entities {
				for _, got := range e.Facts {
					if e.Name == f.Subject && got.Predicate == f.Predicate && !got.Relation && (f.Value == nil || got.Value != nil && *got.Value == *f.Value) && got.Independent != f.Independent {
						t.Errorf("%s / %s: got %d independent sources, want %d", f.Subject, f.Predicate, got.Independent, f.Independent)
					}
				}
			}
		}
	})

	t.Run("ResolvedDates", func(t *testing.T) {
		claims := e2eClaims(t, archive)
		for id, date := range want.ResolvedDates {
			if got := claims[id].Value.Date; got != date {
				t.Errorf("claim %s: got date %q, want %q", id, got, date)
			}
		}
	})

	t.Run("AfterReview", func(t *testing.T) {
		got := e2eConflicts(t, archive, "--status", "all")
		for _, e := range want.Review.ResolvedAfter {
			for _, c := range got {
				if e.matches(c) && c.Status != "resolved" {
					t.Errorf("%s: got status %s, want resolved (or gone)", e, c.Status)
				}
			}
			if e.Kind == "value" && !slices.ContainsFunc(got, e.matches) {
				t.Errorf("%s: gone, want it listed as resolved", e)
			}
		}
		for _, e := range want.Review.OpenAfter {
			n := 0
			for _, c := range got {
				if e.matches(c) {
					n++
					if c.Status != "open" {
						t.Errorf("%s: got status %s, want open", e, c.Status)
					}
				}
			}
			if n != 1 {
				t.Errorf("%s: found %d times after the review, want once", e, n)
			}
		}
		if c := e2eClaims(t, archive)["hl-launched"]; c.Status != "rejected" {
			t.Errorf("hl-launched after the review: got %s, want rejected", c.Status)
		}
	})
}

func strp(s *string) string {
	if s == nil {
		return "null"
	}
	return strconv.Quote(*s)
}

// TestDemoBinaryTempDir runs the built program as `go run ./cmd/sillok demo`
// would: without --dir it makes a new temporary directory and says where.
func TestDemoBinaryTempDir(t *testing.T) {
	tmp := t.TempDir()
	stdout, stderr, code, _ := runBinary(t, t.TempDir(), []string{"TMPDIR=" + tmp}, "demo")
	if code != 0 || stderr != "" {
		t.Fatalf("sillok demo: got %d, stderr %q, want 0 and nothing", code, stderr)
	}
	m := regexp.MustCompile(`^Sillok demo: a throw-away archive at (\S+)\n`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("sillok demo: got %q, want it to begin by naming the archive", stdout)
	}
	archive := m[1]
	dir := filepath.Dir(archive)
	defer os.RemoveAll(dir)
	if filepath.Dir(dir) != tmp || !strings.HasPrefix(filepath.Base(dir), "sillok-demo-") {
		t.Errorf("sillok demo made %s, want a new sillok-demo-* directory in $TMPDIR %s", dir, tmp)
	}
	if !strings.Contains(stdout, "sillok --archive "+archive+" verify\n") {
		t.Errorf("sillok demo: got\n%s\nwant the suggested commands to name %s", stdout, archive)
	}
	out, stderr, code, _ := runBinary(t, t.TempDir(), nil, "verify", "--archive", archive)
	if code != 0 || !strings.HasSuffix(out, "ok\n") {
		t.Errorf("verify of %s: got %d, %q, %q, want 0 and ok", archive, code, out, stderr)
	}
}
