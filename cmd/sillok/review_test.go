package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/provenance"
)

// End-to-end tests of reviews, time travel and diffs (issue "Review
// verdicts, time travel and diffs"), through the real app.

// The -update flag (rewrite the golden files in testdata/ instead of
// comparing with them) is registered in init, which runs after every
// package-level variable is initialized: a flag.Bool("update", ...) declared
// by another test file of the package then comes first, and is shared.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata/")
	}
}

// goldenUpdate reports whether the test runs with -update.
func goldenUpdate() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// checkGolden compares got with testdata/name, or rewrites the file with
// -update. A mismatch is reported as a unified line diff.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if goldenUpdate() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", path)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("got output different from %s (go test -update rewrites it):\n%s", path, provenance.UnifiedDiff(path, "got", string(want), got))
	}
}

// e2eConflict is a conflict in `conflicts --json`.
type e2eConflict struct {
	ID           string `json:"id"`
	Kind         string `json:"kind"`
	Status       string `json:"status"`
	Subject      string `json:"subject"`
	Predicate    string `json:"predicate"`
	WithinSource bool   `json:"within_source"`
	Claims       []struct {
		ID       string `json:"id"`
		Source   string `json:"source"`
		Value    string `json:"value"`
		Quote    string `json:"quote"`
		Role     string `json:"role"`
		Rejected bool   `json:"rejected"`
		Subject  string `json:"subject"`
	} `json:"claims"`
	Names   []string `json:"names"`
	Summary string   `json:"summary"`
	Verdict *struct {
		Decision string          `json:"decision"`
		Claim    string          `json:"claim"`
		Rejected []string        `json:"rejected"`
		Note     string          `json:"note"`
		Seen     events.Revision `json:"seen"`
		Rev      events.Revision `json:"rev"`
		Author   string          `json:"author"`
	} `json:"verdict"`
	Reopened bool     `json:"reopened"`
	Joined   []string `json:"joined"`
}

// claimIDs returns the ids of the conflict's claims.
func (c e2eConflict) claimIDs() []string {
	var ids []string
	for _, cc := range c.Claims {
		ids = append(ids, cc.ID)
	}
	return ids
}

// e2eConflicts returns `conflicts --json` with the given flags.
func e2eConflicts(t *testing.T, archive string, args ...string) []e2eConflict {
	t.Helper()
	var doc struct {
		Revision  events.Revision
		Conflicts []e2eConflict
	}
	e2eJSON(t, archive, &doc, append([]string{"conflicts"}, args...)...)
	return doc.Conflicts
}

// e2eView is `view --json`.
type e2eView struct {
	Revision events.Revision `json:"revision"`
	Entities []struct {
		Name    string   `json:"name"`
		Aliases []string `json:"aliases"`
		Facts   []struct {
			Predicate string   `json:"predicate"`
			Value     *string  `json:"value"`
			Status    string   `json:"status"`
			Claims    []string `json:"claims"`
			Sources   []string `json:"sources"`
			Rejected  []string `json:"rejected"`
			Conflict  string   `json:"conflict"`
			Values    []string `json:"values"`
			Relation  bool     `json:"relation"`
		} `json:"facts"`
	} `json:"entities"`
}

// reviewArchive builds, through the CLI, a small archive and records the
// output of `view --json` and `conflicts --json --status all` after every
// command that changes it, by the revision it left the archive at.
type reviewArchive struct {
	path, dir string
	snaps     map[events.Revision][2]string
}

func newReviewArchive(t *testing.T) *reviewArchive {
	t.Helper()
	r := &reviewArchive{path: e2eArchive(t), dir: t.TempDir(), snaps: map[events.Revision][2]string{}}
	r.snap(t)
	return r
}

// do runs a command that changes the archive and snapshots the result.
func (r *reviewArchive) do(t *testing.T, args ...string) string {
	t.Helper()
	out := mustRunInProcess(t, r.path, args...)
	r.snap(t)
	return out
}

func (r *reviewArchive) snap(t *testing.T) {
	t.Helper()
	view := mustRunInProcess(t, r.path, "view", "--json")
	conflicts := mustRunInProcess(t, r.path, "conflicts", "--json", "--status", "all")
	var doc struct{ Revision events.Revision }
	if err := json.Unmarshal([]byte(view), &doc); err != nil {
		t.Fatalf("view --json printed %q: %v", view, err)
	}
	r.snaps[doc.Revision] = [2]string{view, conflicts}
}

// conflict finds the one conflict of a kind about subject/predicate (value,
// temporal), or with the two names (name), in `conflicts --status all`.
func (r *reviewArchive) conflict(t *testing.T, kind, a, b string) e2eConflict {
	t.Helper()
	var found []e2eConflict
	for _, c := range e2eConflicts(t, r.path, "--status", "all") {
		if c.Kind != kind {
			continue
		}
		if kind == "name" && len(c.Names) == 2 && (c.Names[0] == a && c.Names[1] == b || c.Names[0] == b && c.Names[1] == a) ||
			kind != "name" && c.Subject == a && c.Predicate == b {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		t.Fatalf("got %d %s conflicts about %q, %q, want 1: %+v", len(found), kind, a, b, found)
	}
	return found[0]
}

const (
	reviewAlpha = "The Tidal Network was set up in April 2023, in the wake of the Lisbon summit. " +
		"Japan is a member of the Online Freedom Coalition. The Harbour Authority opened its office in May 2023. " +
		"The network has a budget of 1.5 billion dollars.\n"
	reviewBeta = "The Tidal Network was launched in August 2023. The Lisbon summit was held on August 18, 2023, in Lisbon. " +
		"Japan joined the Freedom Online Coalition. The Harbor Authority opened its office in June 2023. " +
		"Its budget is 2.5 billion dollars.\n"
	reviewGamma = "The Tidal Network began work in August 2023, a spokesperson said. " +
		"Others say the Tidal Network dates from February 2023. The summit took place in Porto. " +
		"The budget has grown to 4 billion dollars. The Harbour Authority is a member of the Online Freedom Coalition.\n"
)

// build archives the three sources and records the claims one command at a
// time: revision N is the Nth command after init.
func (r *reviewArchive) build(t *testing.T) {
	t.Helper()
	r.do(t, "source", "add", e2eWrite(t, r.dir, "alpha.txt", reviewAlpha), "--id", "alpha", "--published", "2024-04-26")
	r.do(t, "source", "add", e2eWrite(t, r.dir, "beta.txt", reviewBeta), "--id", "beta", "--published", "2024-05-01")
	r.do(t, "source", "add", e2eWrite(t, r.dir, "gamma.txt", reviewGamma), "--id", "gamma", "--published", "2024-05-03")
	for _, p := range [][]string{{"launched", "date"}, {"held", "date"}, {"venue", "entity"}, {"budget", "quantity"}, {"office opened", "date"}, {"member", "entity", "--many"}} {
		r.do(t, append([]string{"predicate", "add", p[0], "--kind"}, p[1:]...)...)
	}
	for _, c := range [][]string{
		{"a-launched", "alpha", "Tidal Network", "launched", "April 2023", "set up in April 2023"},
		{"a-after", "alpha", "Tidal Network", "launched", "after:Lisbon summit/held", "in the wake of the Lisbon summit"},
		{"a-ofc", "alpha", "Online Freedom Coalition", "member", "Japan", "Japan is a member of the Online Freedom Coalition"},
		{"a-office", "alpha", "Harbour Authority", "office opened", "May 2023", "opened its office in May 2023"},
		{"a-budget", "alpha", "Tidal Network", "budget", "1.5 billion dollars", "a budget of 1.5 billion dollars"},
		{"b-launched", "beta", "Tidal Network", "launched", "August 2023", "launched in August 2023"},
		{"b-held", "beta", "Lisbon summit", "held", "August 18, 2023", "held on August 18, 2023"},
		{"b-venue", "beta", "Lisbon summit", "venue", "Lisbon", "held on August 18, 2023, in Lisbon"},
		{"b-foc", "beta", "Freedom Online Coalition", "member", "Japan", "Japan joined the Freedom Online Coalition"},
		{"b-office", "beta", "Harbor Authority", "office opened", "June 2023", "opened its office in June 2023"},
		{"b-budget", "beta", "Tidal Network", "budget", "2.5 billion dollars", "Its budget is 2.5 billion dollars"},
		{"c-venue", "gamma", "Lisbon summit", "venue", "Porto", "The summit took place in Porto"},
	} {
		r.do(t, "claim", "add", "--id", c[0], "--source", c[1], "--subject", c[2], "--predicate", c[3], "--value", c[4], "--quote", c[5])
	}
}

// step runs one step of a story test. The steps of a story share its
// archive and build on each other in order, so they are not subtests (a
// subtest run alone, with -run, would find the archive its earlier
// steps leave); a failed step stops the story. (The review flows, each on
// an archive of its own, are tested against package archive: see
// archive/review_test.go.)
func step(t *testing.T, name string, f func(t *testing.T)) {
	t.Helper()
	t.Logf("step %s", name)
	f(t)
	if t.Failed() {
		t.Fatalf("step %s failed", name)
	}
}

// TestReview is a story through the command line: reviews of every kind,
// then time travel and diffs across the revisions they made.
func TestReview(t *testing.T) {
	r := newReviewArchive(t)
	r.build(t)
	start := e2eHead(t, r.path)
	if start != 21 {
		t.Fatalf("after building: got head %d, want 21", start)
	}

	launched := r.conflict(t, "value", "Tidal Network", "launched")
	budget := r.conflict(t, "value", "Tidal Network", "budget")
	venue := r.conflict(t, "value", "Lisbon summit", "venue")
	coalition := r.conflict(t, "name", "Online Freedom Coalition", "Freedom Online Coalition")
	authority := r.conflict(t, "name", "Harbour Authority", "Harbor Authority")
	temporal := r.conflict(t, "temporal", "Tidal Network", "launched")
	if got, want := temporal.claimIDs(), []string{"a-after", "a-launched", "b-held"}; !sameSet(got, want) {
		t.Fatalf("the temporal conflict: got claims %v, want %v", got, want)
	}
	for _, c := range []e2eConflict{launched, budget, venue, coalition, authority, temporal} {
		if c.Status != "open" || c.Verdict != nil {
			t.Fatalf("conflict %s before any review: got status %s, verdict %+v, want open without a verdict", c.ID, c.Status, c.Verdict)
		}
	}

	var acceptRev events.Revision
	step(t, "OK/Accept", func(t *testing.T) {
		var got struct {
			Conflict string
			Revision events.Revision
			Decision string
			Claim    string
			Rejected []string
			Seen     events.Revision
		}
		out := r.do(t, "review", launched.ID, "--accept", "b-launched", "--note", "the summit was in August", "--author", "kim", "--json")
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("review --json printed %q: %v", out, err)
		}
		acceptRev = got.Revision
		if got.Conflict != launched.ID || got.Revision != start+1 || got.Decision != "accept" || got.Claim != "b-launched" ||
			!slices.Equal(got.Rejected, []string{"a-launched"}) || got.Seen != start {
			t.Errorf("review --accept --json: got %+v, want conflict %s, revision %d, accept b-launched rejecting a-launched, seen %d", got, launched.ID, start+1, start)
		}

		resolved := e2eConflicts(t, r.path, "--status", "resolved")
		if len(resolved) != 1 || resolved[0].ID != launched.ID || resolved[0].Verdict == nil ||
			resolved[0].Verdict.Claim != "b-launched" || resolved[0].Verdict.Author != "kim" || resolved[0].Verdict.Note != "the summit was in August" {
			t.Errorf("conflicts --status resolved: got %+v, want only %s with the verdict", resolved, launched.ID)
		}
		if out := mustRunInProcess(t, r.path, "conflicts", "--status", "resolved"); !strings.Contains(out, launched.ID) || !strings.Contains(out, "resolved") {
			t.Errorf("conflicts --status resolved: got\n%s\nwant %s listed as resolved", out, launched.ID)
		}
		if c := e2eClaims(t, r.path)["a-launched"]; c.Status != "rejected" || !strings.Contains(c.Reason, launched.ID) {
			t.Errorf("claim list: a-launched: got status %q, reason %q, want rejected by %s", c.Status, c.Reason, launched.ID)
		}
		if c := e2eClaims(t, r.path)["b-launched"]; c.Status != "standing" {
			t.Errorf("claim list: b-launched: got status %q, want standing", c.Status)
		}
		if out := mustRunInProcess(t, r.path, "claim", "list", "--subject", "Tidal Network"); !strings.Contains(out, "[REJECTED: ") {
			t.Errorf("claim list: got\n%s\nwant a-launched marked rejected", out)
		}

		var v e2eView
		e2eJSON(t, r.path, &v, "view", "Tidal Network")
		found := false
		for _, f := range v.Entities[0].Facts {
			if f.Predicate != "launched" || f.Relation {
				continue
			}
			found = true
			if f.Value == nil || *f.Value != "2023-08" || f.Status != "resolved" || !slices.Equal(f.Claims, []string{"b-launched"}) ||
				!slices.Equal(f.Rejected, []string{"a-launched"}) || f.Conflict != launched.ID {
				t.Errorf("view: launched: got %+v, want 2023-08, resolved, claims [b-launched], rejected [a-launched]", f)
			}
		}
		if !found {
			t.Errorf("view: no launched fact in %+v", v)
		}

		// The temporal conflict rested on a-launched: it is gone.
		for _, c := range e2eConflicts(t, r.path, "--status", "all") {
			if c.ID == temporal.ID || c.Kind == "temporal" {
				t.Errorf("conflicts --status all after rejecting a-launched: got %+v, want the temporal conflict gone", c)
			}
		}

		if out := mustRunInProcess(t, r.path, "log", "--from", strconv.FormatUint(uint64(acceptRev), 10)); !strings.Contains(out, "review "+launched.ID+" by kim: accepted b-launched") {
			t.Errorf("log: got\n%s\nwant \"review %s by kim: accepted b-launched\"", out, launched.ID)
		}
		show := mustRunInProcess(t, r.path, "conflicts", "show", launched.ID)
		for _, w := range []string{"resolved", "verdict: accepted b-launched", "by kim", "the summit was in August", "[REJECTED]"} {
			if !strings.Contains(show, w) {
				t.Errorf("conflicts show: got\n%s\nwant it to contain %q", show, w)
			}
		}
	})

	step(t, "Diff", func(t *testing.T) {
		out := mustRunInProcess(t, r.path, "diff", strconv.FormatUint(uint64(start), 10), strconv.FormatUint(uint64(acceptRev), 10), "--json")
		checkGolden(t, "diff-review.json", out)
		var ch struct {
			From, To events.Revision
			Facts    []struct{ Op, Subject, Predicate string }
			// before and after are checked by the golden file.
			Conflicts []struct{ Op, ID, Kind string }
		}
		if err := json.Unmarshal([]byte(out), &ch); err != nil {
			t.Fatal(err)
		}
		if ch.From != start || ch.To != acceptRev {
			t.Errorf("diff: got from %d to %d, want %d to %d", ch.From, ch.To, start, acceptRev)
		}
		ops := map[string]string{}
		for _, c := range ch.Conflicts {
			ops[c.ID] = c.Op
		}
		if ops[launched.ID] != "resolved" || ops[temporal.ID] != "resolved" || len(ops) != 2 {
			t.Errorf("diff: got conflict ops %v, want %s (value) and %s (temporal) resolved, nothing else", ops, launched.ID, temporal.ID)
		}
		if len(ch.Facts) != 1 || ch.Facts[0].Op != "changed" || ch.Facts[0].Subject != "Tidal Network" || ch.Facts[0].Predicate != "launched" {
			t.Errorf("diff: got facts %+v, want Tidal Network / launched changed", ch.Facts)
		}

		// The second revision defaults to the head.
		if got := mustRunInProcess(t, r.path, "diff", strconv.FormatUint(uint64(start), 10), "--json"); got != out {
			t.Errorf("diff %d --json: got\n%s\nwant the same as diff %d %d:\n%s", start, got, start, acceptRev, out)
		}
		text := mustRunInProcess(t, r.path, "diff", strconv.FormatUint(uint64(start), 10), "--text")
		for _, w := range []string{"--- view at 21\n", "+++ view at 22\n", "\n@@ -", "\n-  launched:", "\n+  launched:", "2023-08"} {
			if !strings.Contains(text, w) {
				t.Errorf("diff --text: got\n%s\nwant it to contain %q", text, w)
			}
		}
		if got := mustRunInProcess(t, r.path, "diff", "5", "5", "--text"); got != "the views are the same\n" {
			t.Errorf("diff 5 5 --text: got %q, want the views are the same", got)
		}
		human := mustRunInProcess(t, r.path, "diff", strconv.FormatUint(uint64(start), 10))
		for _, w := range []string{"resolved " + launched.ID, "resolved " + temporal.ID, "~ Tidal Network / launched"} {
			if !strings.Contains(human, w) {
				t.Errorf("diff: got\n%s\nwant it to contain %q", human, w)
			}
		}

		head := strconv.FormatUint(uint64(e2eHead(t, r.path)), 10)
		e2eFail(t, r.path, 1, []string{"revision 99", "beyond the head revision " + head}, "diff", "99")
		e2eFail(t, r.path, 1, []string{"beyond the head revision " + head}, "diff", "1", "99")
		e2eFail(t, r.path, 1, []string{"(5)", "after the second (3)"}, "diff", "5", "3")
		e2eFail(t, r.path, 2, []string{"usage: sillok diff"}, "diff", "x")
		e2eFail(t, r.path, 2, []string{"usage: sillok diff"}, "diff")
	})

	step(t, "OK/AgreeingClaimDoesNotReopen", func(t *testing.T) {
		r.do(t, "claim", "add", "--id", "g-agree", "--source", "gamma", "--subject", "Tidal Network", "--predicate", "launched", "--value", "August 2023", "--quote", "began work in August 2023")
		c := r.conflict(t, "value", "Tidal Network", "launched")
		if c.Status != "resolved" || c.Reopened {
			t.Errorf("after an agreeing claim: got status %s, reopened %v, want resolved", c.Status, c.Reopened)
		}
	})

	step(t, "OK/ContradictingClaimReopens", func(t *testing.T) {
		r.do(t, "claim", "add", "--id", "g-feb", "--source", "gamma", "--subject", "Tidal Network", "--predicate", "launched", "--value", "February 2023", "--quote", "dates from February 2023")
		c := r.conflict(t, "value", "Tidal Network", "launched")
		if c.Status != "open" || !c.Reopened || !slices.Contains(c.Joined, "g-feb") || c.Verdict == nil || c.Verdict.Claim != "b-launched" {
			t.Errorf("after a contradicting claim: got %+v, want open, reopened, g-feb joined, the earlier verdict kept", c)
		}
		if out := mustRunInProcess(t, r.path, "conflicts"); !strings.Contains(out, launched.ID) || !strings.Contains(out, "reopened") {
			t.Errorf("conflicts: got\n%s\nwant %s listed as reopened", out, launched.ID)
		}
		show := mustRunInProcess(t, r.path, "conflicts", "show", launched.ID)
		for _, w := range []string{"reopened", "verdict: accepted b-launched at revision " + strconv.FormatUint(uint64(acceptRev), 10), "by kim", "g-feb", "joined the conflict"} {
			if !strings.Contains(show, w) {
				t.Errorf("conflicts show: got\n%s\nwant it to contain %q", show, w)
			}
		}
		var v e2eView
		e2eJSON(t, r.path, &v, "view", "Tidal Network")
		for _, f := range v.Entities[0].Facts {
			if f.Predicate == "launched" && !f.Relation && (f.Status != "conflict" || f.Value != nil) {
				t.Errorf("view: launched after the reopening: got %+v, want status conflict and no value", f)
			}
		}
		// A new verdict needs no --override on a reopened conflict.
		r.do(t, "review", launched.ID[:6], "--accept", "b-launched", "--author", "kim")
		if c := r.conflict(t, "value", "Tidal Network", "launched"); c.Status != "resolved" || c.Reopened {
			t.Errorf("after the second verdict: got status %s, reopened %v, want resolved", c.Status, c.Reopened)
		}
		if c := e2eClaims(t, r.path)["g-feb"]; c.Status != "rejected" {
			t.Errorf("g-feb after the second verdict: got %s, want rejected", c.Status)
		}
	})

	step(t, "OK/Dismiss", func(t *testing.T) {
		r.do(t, "review", budget.ID, "--dismiss", "--note", "different years", "--author", "lee")
		c := r.conflict(t, "value", "Tidal Network", "budget")
		if c.Status != "resolved" || c.Verdict == nil || c.Verdict.Decision != "dismiss" || c.Verdict.Note != "different years" || len(c.Verdict.Rejected) != 0 {
			t.Errorf("after --dismiss: got %+v, want resolved, dismissed, nothing rejected", c)
		}
		for _, id := range []string{"a-budget", "b-budget"} {
			if c := e2eClaims(t, r.path)[id]; c.Status != "standing" {
				t.Errorf("%s after --dismiss: got %s, want standing", id, c.Status)
			}
		}
		if out := mustRunInProcess(t, r.path, "log", "--from", strconv.FormatUint(uint64(e2eHead(t, r.path)), 10)); !strings.Contains(out, "review "+budget.ID+" by lee: dismissed") {
			t.Errorf("log: got\n%s\nwant the dismissal", out)
		}
		// Any new contradicting value reopens a dismissed conflict.
		r.do(t, "claim", "add", "--id", "g-budget", "--source", "gamma", "--subject", "Tidal Network", "--predicate", "budget", "--value", "4 billion dollars", "--quote", "grown to 4 billion dollars")
		if c := r.conflict(t, "value", "Tidal Network", "budget"); c.Status != "open" || !c.Reopened {
			t.Errorf("after a new value on a dismissed conflict: got status %s, reopened %v, want open, reopened", c.Status, c.Reopened)
		}
	})

	step(t, "OK/Reject", func(t *testing.T) {
		r.do(t, "review", venue.ID, "--reject", "c-venue", "--author", "kim")
		c := r.conflict(t, "value", "Lisbon summit", "venue")
		if c.Status != "resolved" || c.Verdict == nil || c.Verdict.Decision != "reject" || !slices.Equal(c.Verdict.Rejected, []string{"c-venue"}) {
			t.Errorf("after --reject: got %+v, want resolved with c-venue rejected", c)
		}
		claims := e2eClaims(t, r.path)
		if claims["c-venue"].Status != "rejected" || claims["b-venue"].Status != "standing" {
			t.Errorf("after --reject c-venue: got c-venue %s, b-venue %s, want rejected, standing", claims["c-venue"].Status, claims["b-venue"].Status)
		}
		if out := mustRunInProcess(t, r.path, "view", "Lisbon summit"); !strings.Contains(out, "Lisbon") || !strings.Contains(out, "[resolved") {
			t.Errorf("view: got\n%s\nwant the venue Lisbon, resolved", out)
		}
	})

	step(t, "OK/Same", func(t *testing.T) {
		r.do(t, "review", coalition.ID, "--same", "--note", "word order", "--author", "kim")
		if c := r.conflict(t, "name", "Online Freedom Coalition", "Freedom Online Coalition"); c.Status != "resolved" || c.Verdict == nil || c.Verdict.Decision != "same" {
			t.Errorf("after --same: got %+v, want resolved, same", c)
		}
		var v e2eView
		e2eJSON(t, r.path, &v, "view", "Online Freedom Coalition")
		var w e2eView
		e2eJSON(t, r.path, &w, "view", "Freedom Online Coalition")
		if len(v.Entities) != 1 || len(w.Entities) != 1 || v.Entities[0].Name != w.Entities[0].Name {
			t.Fatalf("view of the two names after --same: got %+v and %+v, want one entity", v.Entities, w.Entities)
		}
		e := v.Entities[0]
		other := "Online Freedom Coalition"
		if e.Name == other {
			other = "Freedom Online Coalition"
		}
		if !slices.Contains(e.Aliases, other) || len(e.Facts) != 1 || !sameSet(e.Facts[0].Claims, []string{"a-ofc", "b-foc"}) || e.Facts[0].Status != "agreed" {
			t.Errorf("view after --same: got %+v, want one entity with the other name as alias and member Japan agreed by a-ofc and b-foc", e)
		}
		var all e2eView
		e2eJSON(t, r.path, &all, "view")
		n := 0
		for _, e := range all.Entities {
			if strings.Contains(e.Name, "Coalition") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("view after --same: got %d coalition entities, want 1", n)
		}
		if out := mustRunInProcess(t, r.path, "log", "--from", strconv.FormatUint(uint64(e2eHead(t, r.path)), 10)); !strings.Contains(out, "review "+coalition.ID+" by kim: same: ") {
			t.Errorf("log: got\n%s\nwant the same-entity verdict", out)
		}
	})

	step(t, "OK/Distinct", func(t *testing.T) {
		r.do(t, "review", authority.ID, "--distinct", "--author", "kim")
		if c := r.conflict(t, "name", "Harbour Authority", "Harbor Authority"); c.Status != "resolved" || c.Verdict == nil || c.Verdict.Decision != "distinct" {
			t.Errorf("after --distinct: got %+v, want resolved, distinct", c)
		}
		// A new claim under one of the names: the pair stays resolved.
		r.do(t, "claim", "add", "--id", "g-authority", "--source", "gamma", "--subject", "Harbour Authority", "--predicate", "member", "--value", "Online Freedom Coalition", "--quote", "The Harbour Authority is a member")
		if c := r.conflict(t, "name", "Harbour Authority", "Harbor Authority"); c.Status != "resolved" || c.Reopened {
			t.Errorf("after a new claim about Harbour Authority: got status %s, reopened %v, want resolved", c.Status, c.Reopened)
		}
		var v e2eView
		e2eJSON(t, r.path, &v, "view")
		n := 0
		for _, e := range v.Entities {
			if strings.HasSuffix(e.Name, "Authority") {
				n++
			}
		}
		if n != 2 {
			t.Errorf("view after --distinct: got %d authority entities, want 2", n)
		}
	})

	step(t, "Errors", func(t *testing.T) {
		head := e2eHead(t, r.path)
		tests := []struct {
			name string
			code int
			args []string
			want []string
		}{
			{"ErrUnknownConflict", 1, []string{"review", "0000000000", "--dismiss"}, []string{`"0000000000"`, "no conflict"}},
			{"ErrUnknownConflictPrefix", 1, []string{"review", "zzzz", "--dismiss"}, []string{`"zzzz"`}},
			{"ErrClaimNotInConflict", 1, []string{"review", budget.ID, "--accept", "a-ofc"}, []string{`"a-ofc"`, "not part of conflict " + budget.ID, "a-budget", "b-budget"}},
			{"ErrSameOnValueConflict", 1, []string{"review", budget.ID, "--same"}, []string{"--same", "name conflict", "value conflict"}},
			{"ErrAcceptOnNameConflict", 1, []string{"review", authority.ID, "--accept", "a-office"}, []string{"name conflict", "--same"}},
			{"ErrAlreadyResolved", 1, []string{"review", venue.ID, "--accept", "c-venue"}, []string{"already resolved", "reject c-venue by kim", "accept c-venue", "--override"}},
			{"ErrAlreadyResolved/Name", 1, []string{"review", authority.ID, "--same"}, []string{"already resolved", "different things", "--override"}},
			{"ErrUsage/TwoDecisions", 2, []string{"review", budget.ID, "--dismiss", "--accept", "a-budget"}, []string{"exactly one of", "usage: sillok review"}},
			{"ErrUsage/TwoBoolDecisions", 2, []string{"review", authority.ID, "--same", "--distinct"}, []string{"exactly one of", "usage: sillok review"}},
			{"ErrUsage/NoDecision", 2, []string{"review", budget.ID}, []string{"exactly one of", "usage: sillok review"}},
			{"ErrUsage/NoConflict", 2, []string{"review", "--dismiss"}, []string{"usage: sillok review"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				e2eFail(t, r.path, tt.code, tt.want, tt.args...)
			})
		}
		if got := e2eHead(t, r.path); got != head {
			t.Errorf("after the refused reviews: got head %d, want %d", got, head)
		}

		step(t, "OK/Override", func(t *testing.T) {
			r.do(t, "review", venue.ID, "--accept", "c-venue", "--override", "--note", "Porto after all", "--author", "kim")
			c := r.conflict(t, "value", "Lisbon summit", "venue")
			if c.Status != "resolved" || c.Verdict == nil || c.Verdict.Decision != "accept" || c.Verdict.Claim != "c-venue" || c.Verdict.Note != "Porto after all" {
				t.Errorf("after --override: got %+v, want resolved with c-venue accepted", c)
			}
			claims := e2eClaims(t, r.path)
			if claims["c-venue"].Status != "standing" || claims["b-venue"].Status != "rejected" {
				t.Errorf("after --override: got c-venue %s, b-venue %s, want standing, rejected", claims["c-venue"].Status, claims["b-venue"].Status)
			}
		})
	})

	// Time travel: the view and the conflicts at every revision recorded on
	// the way are what they were right after that revision was written.
	step(t, "TimeTravel", func(t *testing.T) {
		head := e2eHead(t, r.path)
		if len(r.snaps) != int(head)+1 {
			t.Errorf("got snapshots of %d revisions, want every one of 0..%d", len(r.snaps), head)
		}
		for rev := events.Revision(0); rev <= head; rev++ {
			want, ok := r.snaps[rev]
			if !ok {
				continue
			}
			at := strconv.FormatUint(uint64(rev), 10)
			if got := mustRunInProcess(t, r.path, "view", "--json", "--at", at); got != want[0] {
				t.Errorf("view --at %d --json:\n%s", rev, provenance.UnifiedDiff("at the time", "--at", want[0], got))
			}
			if got := mustRunInProcess(t, r.path, "conflicts", "--json", "--status", "all", "--at", at); got != want[1] {
				t.Errorf("conflicts --at %d --json --status all:\n%s", rev, provenance.UnifiedDiff("at the time", "--at", want[1], got))
			}
		}
		e2eFail(t, r.path, 1, []string{"beyond"}, "view", "--at", strconv.FormatUint(uint64(head+1), 10))
		e2eFail(t, r.path, 1, []string{"beyond"}, "conflicts", "--at", strconv.FormatUint(uint64(head+1), 10))
	})
}

// sameSet reports whether a and b hold the same strings in any order.
func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// demoLaunched returns the DTPN launch-date fact (not the relation) of
// `view --json` on the demo archive.
func demoLaunched(t *testing.T, archive string) (value *string, status string, rejected, values []string) {
	t.Helper()
	var v e2eView
	e2eJSON(t, archive, &v, "view", "Disruptive Technology Protection Network")
	for _, e := range v.Entities {
		for _, f := range e.Facts {
			if f.Predicate == "launched" && !f.Relation {
				return f.Value, f.Status, f.Rejected, f.Values
			}
		}
	}
	t.Fatalf("view: no launched fact in %+v", v)
	return nil, "", nil, nil
}

// e2eDiff is `diff --json`.
type e2eDiff struct {
	Facts []struct {
		Op, Subject, Predicate string
		Before, After          *string
	}
	Conflicts []struct{ Op, ID, Kind string }
}

// TestReviewOverrideDemo replays issue #14 on the demo archive: the demo
// accepts jp-launched (rejecting hl-launched); a dismissal with --override
// replaces that verdict whole, so hl-launched stands again, and diff says
// what changed. Then accepting hl-launched replaces the dismissal.
func TestReviewOverrideDemo(t *testing.T) {
	_, _, archive := runDemo(t)
	cf := (&reviewArchive{path: archive}).conflict(t, "value", "Disruptive Technology Protection Network", "launched")
	if cf.Verdict == nil || cf.Verdict.Decision != "accept" || cf.Verdict.Claim != "jp-launched" {
		t.Fatalf("the demo's verdict on %s: got %+v, want accept jp-launched", cf.ID, cf.Verdict)
	}
	if _, _, rejected, _ := demoLaunched(t, archive); !slices.Contains(rejected, "hl-launched") {
		t.Fatalf("after the demo: rejected = %v, want hl-launched among them", rejected)
	}
	accepted := e2eHead(t, archive)
	e2eFail(t, archive, 1, []string{"already resolved", "accept jp-launched", "dismiss (hl-launched would stand again)", "--override"}, "review", cf.ID, "--dismiss")

	mustRunInProcess(t, archive, "review", cf.ID, "--dismiss", "--override", "--note", "two stages of one launch")
	dismissed := e2eHead(t, archive)
	value, status, rejected, values := demoLaunched(t, archive)
	if value != nil || status != "resolved" || len(rejected) != 0 || !slices.Contains(values, "2023-04") || !slices.Contains(values, "2023-08") {
		t.Errorf("after the dismissal: value %v, status %q, rejected %v, values %v; want no value, resolved, nothing rejected, 2023-04 and 2023-08",
			strp(value), status, rejected, values)
	}
	if out := mustRunInProcess(t, archive, "view", "Disruptive Technology Protection Network"); strings.Contains(out, "rejected: hl-launched") {
		t.Errorf("after the dismissal the view still shows hl-launched rejected:\n%s", out)
	}
	var ch e2eDiff
	e2eJSON(t, archive, &ch, "diff", strconv.FormatUint(uint64(accepted), 10), strconv.FormatUint(uint64(dismissed), 10))
	changed, reviewed, opened := false, false, 0
	for _, f := range ch.Facts {
		if f.Op == "changed" && f.Subject == "Disruptive Technology Protection Network" && f.Predicate == "launched" &&
			strp(f.Before) == `"2023-08"` && strp(f.After) == `"2023-04 | 2023-08"` {
			changed = true
		}
	}
	for _, c := range ch.Conflicts {
		switch {
		case c.Op == "reviewed" && c.ID == cf.ID:
			reviewed = true
		case c.Op == "opened" && c.Kind == "temporal":
			opened++
		}
	}
	// The temporal conflicts that rested on hl-launched (2023-04) are
	// back: the relation "launched after the summit" against each date of
	// the summit, and "first meeting on the day of the launch".
	if !changed || !reviewed || opened == 0 {
		t.Errorf("diff %d %d: got %s; want the launch date changed 2023-08 → 2023-04 | 2023-08, conflict %s reviewed, temporal conflicts opened",
			accepted, dismissed, mustRunInProcess(t, archive, "diff", strconv.FormatUint(uint64(accepted), 10), strconv.FormatUint(uint64(dismissed), 10)), cf.ID)
	}

	mustRunInProcess(t, archive, "review", cf.ID, "--accept", "hl-launched", "--override")
	value, _, rejected, _ = demoLaunched(t, archive)
	if strp(value) != `"2023-04"` || !slices.Contains(rejected, "jp-launched") || slices.Contains(rejected, "hl-launched") {
		t.Errorf("after accepting hl-launched: value %v, rejected %v; want 2023-04, jp-launched rejected, hl-launched not", strp(value), rejected)
	}
}

// TestReviewSameAliasOrigin checks that the alias a --same verdict makes
// is shown as the verdict's, at the verdict's revision.
func TestReviewSameAliasOrigin(t *testing.T) {
	_, _, archive := runDemo(t)
	cf := (&reviewArchive{path: archive}).conflict(t, "name", "Freedom Online Coalition", "Online Freedom Coalition")
	mustRunInProcess(t, archive, "review", cf.ID, "--same", "--note", "machine translation reordered the words")
	rev := e2eHead(t, archive)
	var doc struct {
		Entities []struct {
			Name         string
			AliasDetails []struct {
				Name, Kind, Claim, Note string
				Revision                events.Revision
			} `json:"alias_details"`
		}
	}
	e2eJSON(t, archive, &doc, "view", "Freedom Online Coalition")
	found := false
	for _, e := range doc.Entities {
		for _, al := range e.AliasDetails {
			if al.Name != "Online Freedom Coalition" {
				continue
			}
			found = true
			if al.Kind != "same" || al.Revision != rev || al.Claim != "" || al.Note != "machine translation reordered the words" {
				t.Errorf("alias %+v: want kind same, revision %d (the verdict's), no claim, the verdict's note", al, rev)
			}
		}
	}
	if !found {
		t.Fatalf("view --json: no alias Online Freedom Coalition in %+v", doc)
	}
	want := "Online Freedom Coalition (same, by review at revision " + strconv.FormatUint(uint64(rev), 10) + ")"
	if out := mustRunInProcess(t, archive, "view", "Freedom Online Coalition"); !strings.Contains(out, want) {
		t.Errorf("view: got\n%s\nwant it to contain %q", out, want)
	}
}

// TestReviewSelfRelation checks that a relation claim whose related fact
// is its own subject and predicate is refused, with the file, line and
// claim on import, and that nothing is appended.
func TestReviewSelfRelation(t *testing.T) {
	archive, dir := e2eArchive(t), t.TempDir()
	mustRunInProcess(t, archive, "source", "add", e2eWrite(t, dir, "loop.txt", "The Loop launched after the Loop was announced.\n"),
		"--id", "loop-news", "--published", "2024-02-01")
	mustRunInProcess(t, archive, "predicate", "add", "launched", "--kind", "date")
	head := e2eHead(t, archive)
	claims := e2eWrite(t, dir, "claims.yaml", `source: loop-news
claims:
  - id: loop-self
    subject: Loop
    predicate: launched
    value: {after: {subject: loop, predicate: launched}}
    quote: launched after the Loop
`)
	e2eFail(t, archive, 1, []string{"claims.yaml:3", "claim loop-self", "cannot relate a fact to itself", `"Loop" / launched`}, "claim", "import", claims)
	e2eFail(t, archive, 1, []string{"claim loop-add", "cannot relate a fact to itself"}, "claim", "add", "--id", "loop-add", "--source", "loop-news",
		"--subject", "Loop", "--predicate", "launched", "--value", "after:Loop/launched", "--quote", "launched after the Loop")
	if got := e2eHead(t, archive); got != head {
		t.Errorf("refused claims moved the head from %d to %d", head, got)
	}
}
