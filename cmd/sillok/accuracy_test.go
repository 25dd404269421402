package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/internal/gen"
	"github.com/sillok/sillok/projections"
)

// benchLarge reports whether the large sizes (1M claims in benchmarks,
// 100k in the accuracy test) are asked for, with SILLOK_BENCH_LARGE=1.
func benchLarge() bool { return os.Getenv("SILLOK_BENCH_LARGE") == "1" }

// TestAccuracy generates a set with planted contradictions, loads it as the
// commands would, and checks the conflicts of the head revision against the
// generator's ground truth (truth.yaml):
//
//   - every planted conflict is found, by kind and identity (value: subject
//     and predicate; temporal: the relation claim and the two date claims;
//     name: the two names);
//   - no planted non-conflict is flagged (precision refinements, one date in
//     two languages, declared aliases and distinct names), and translations
//     and copies count as one source with their original;
//   - no other conflict is found, and no two independent sources are taken
//     for copies.
//
// 10k and 100k claims run in the normal test run (about 20 seconds); 100k
// is left out with -short, and under the race detector unless
// SILLOK_BENCH_LARGE=1 (CI runs it once more without -race).
func TestAccuracy(t *testing.T) {
	sizes := []int{10_000, 100_000}
	switch {
	case testing.Short():
		sizes = []int{2_000}
	case raceDetector && !benchLarge():
		sizes = []int{10_000}
	}
	for _, n := range sizes {
		t.Run(fmt.Sprintf("claims=%d", n), func(t *testing.T) {
			start := time.Now()
			dir, sum := mustGenerate(t, n, 1)
			archive := filepath.Join(t.TempDir(), "accuracy.db")
			a := newApp(nil, nil)
			a.now = eventstest.StepClock(eventstest.Epoch)
			if err := loadGenerated(a, archive, dir); err != nil {
				t.Fatalf("loadGenerated: %v", err)
			}
			loaded := time.Now()
			an := analyzeArchive(t, a, archive)
			truth := readTruth(t, dir)
			rep := checkAccuracy(an, truth)
			t.Logf("%d claims, %d sources: generated and loaded in %s, analyzed in %s",
				sum.Claims, sum.Sources, loaded.Sub(start).Round(time.Millisecond), time.Since(loaded).Round(time.Millisecond))
			t.Logf("planted: %d value, %d temporal, %d name conflicts; found %d conflicts", len(truth.Conflicts.Value),
				len(truth.Conflicts.Temporal), len(truth.Conflicts.Name), len(an.Conflicts))
			for _, line := range rep.problems {
				t.Error(line)
			}
			if rep.unexpected > 0 {
				t.Errorf("%d conflicts were found that were not planted (examples above)", rep.unexpected)
			}
		})
	}
}

// analyzeArchive analyzes the head state of an archive.
func analyzeArchive(tb testing.TB, a *app, archive string) *projections.Analysis {
	tb.Helper()
	log, err := events.Open(archive, events.Options{ReadOnly: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer log.Close()
	var an *projections.Analysis
	err = log.View(func(tx *events.Tx) error {
		st, _, err := a.store().Head(tx)
		if err != nil {
			return err
		}
		an = projections.Analyze(st)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return an
}

type accuracyReport struct {
	problems   []string
	unexpected int
}

// maxExamples caps the examples listed of each kind of mismatch.
const maxExamples = 10

func (r *accuracyReport) addf(count *int, format string, args ...any) {
	*count++
	if *count <= maxExamples {
		r.problems = append(r.problems, fmt.Sprintf(format, args...))
	}
}

func namePairKey(a, b string) string {
	x, y := projections.NameKey(a), projections.NameKey(b)
	if y < x {
		x, y = y, x
	}
	return x + " | " + y
}

func factKeyOf(subject, predicate string) string { return subject + " / " + predicate }

func temporalKey(relation string, x, y string) string { return relation + " " + x + " " + y }

// checkAccuracy compares an analysis with the ground truth.
func checkAccuracy(an *projections.Analysis, truth *gen.Truth) accuracyReport {
	var rep accuracyReport
	// The conflicts found, by identity.
	found := map[string]*projections.Conflict{}
	for _, cf := range an.Conflicts {
		switch cf.Kind {
		case projections.KindValue:
			found["value "+factKeyOf(cf.Subject, cf.Predicate)] = cf
		case projections.KindTemporal:
			var rels, dates []string
			for _, cc := range cf.Claims {
				if cc.Role == "relation" {
					rels = append(rels, string(cc.ID))
				} else {
					dates = append(dates, string(cc.ID))
				}
			}
			if len(rels) != 1 || len(dates) != 2 {
				rep.problems = append(rep.problems, fmt.Sprintf("temporal conflict %s has %d relation and %d date claims; the generator makes no chains", cf.ID, len(rels), len(dates)))
				continue
			}
			found["temporal "+temporalKey(rels[0], dates[0], dates[1])] = cf
		case projections.KindName:
			found["name "+namePairKey(cf.Names[0], cf.Names[1])] = cf
		}
	}
	// Every planted conflict is found.
	planted := map[string]bool{}
	var missing int
	for _, v := range truth.Conflicts.Value {
		k := "value " + factKeyOf(v.Subject, v.Predicate)
		planted[k] = true
		if found[k] == nil {
			rep.addf(&missing, "missed planted value conflict %s (wrong claims %v)", factKeyOf(v.Subject, v.Predicate), v.Wrong)
		}
	}
	for _, v := range truth.Conflicts.Temporal {
		k := "temporal " + temporalKey(v.Relation, v.Dates[0], v.Dates[1])
		planted[k] = true
		if found[k] == nil {
			rep.addf(&missing, "missed planted temporal conflict: relation %s with dates %s and %s", v.Relation, v.Dates[0], v.Dates[1])
		}
	}
	for _, v := range truth.Conflicts.Name {
		k := "name " + namePairKey(v.Names[0], v.Names[1])
		planted[k] = true
		if found[k] == nil {
			rep.addf(&missing, "missed planted name conflict %q / %q (%s)", v.Names[0], v.Names[1], v.Reason)
		}
	}
	// No planted non-conflict is flagged.
	var flagged int
	for what, list := range map[string][]gen.TruthFact{"precision refinement": truth.NonConflicts.Refinements, "same date in two languages": truth.NonConflicts.Languages} {
		for _, f := range list {
			if cf := found["value "+factKeyOf(f.Subject, f.Predicate)]; cf != nil {
				rep.addf(&flagged, "flagged a %s: %s (%s)", what, factKeyOf(f.Subject, f.Predicate), cf.Summary)
			}
		}
	}
	for _, al := range truth.NonConflicts.Aliases {
		if cf := found["name "+namePairKey(al.Name, al.Entity)]; cf != nil {
			rep.addf(&flagged, "flagged a declared %s alias: %s", al.Kind, cf.Summary)
		}
		if an.Canonical(al.Name) != an.Canonical(al.Entity) {
			rep.addf(&flagged, "declared %s alias %q of %q resolves to %q, not to its entity's %q", al.Kind, al.Name, al.Entity, an.Canonical(al.Name), an.Canonical(al.Entity))
		}
	}
	for _, d := range truth.NonConflicts.Distinct {
		if cf := found["name "+namePairKey(d.Names[0], d.Names[1])]; cf != nil {
			rep.addf(&flagged, "flagged names declared distinct: %s", cf.Summary)
		}
	}
	dependent := map[events.SourceID]bool{}
	for what, list := range map[string][]gen.TruthSource{"translation": truth.NonConflicts.Translations, "copy": truth.NonConflicts.Copies} {
		for _, s := range list {
			dependent[events.SourceID(s.Source)] = true
			if x, y := an.Independent(events.SourceID(s.Source)), an.Independent(events.SourceID(s.Of)); x != y {
				rep.addf(&flagged, "%s %s of %s counts as another independent source (%s vs %s)", what, s.Source, s.Of, x, y)
			}
		}
	}
	var falseCopies int
	for id := range an.State.Sources {
		if !dependent[id] && an.Independent(id) != id {
			rep.addf(&falseCopies, "source %s is taken for a copy of %s, but the generator wrote it independently", id, an.Independent(id))
		}
	}
	// Nothing else is flagged.
	var unexpected []string
	for k, cf := range found {
		if !planted[k] {
			unexpected = append(unexpected, fmt.Sprintf("unplanted %s conflict %s: %s", cf.Kind, cf.ID, cf.Summary))
		}
	}
	sort.Strings(unexpected)
	rep.unexpected = len(unexpected)
	rep.problems = append(rep.problems, unexpected[:min(len(unexpected), maxExamples)]...)
	if missing > maxExamples || flagged > maxExamples || falseCopies > maxExamples {
		rep.problems = append(rep.problems, fmt.Sprintf("in all: %d planted conflicts missed, %d non-conflicts flagged, %d false copies", missing, flagged, falseCopies))
	}
	return rep
}

// TestAccuracyChecker makes sure the checker itself fails when it should:
// a conflict removed from the analysis is reported missing, and one added
// is reported unexpected.
func TestAccuracyChecker(t *testing.T) {
	dir, _ := mustGenerate(t, 3000, 2)
	archive := filepath.Join(t.TempDir(), "checker.db")
	a := newApp(nil, nil)
	a.now = eventstest.StepClock(eventstest.Epoch)
	if err := loadGenerated(a, archive, dir); err != nil {
		t.Fatal(err)
	}
	an := analyzeArchive(t, a, archive)
	truth := readTruth(t, dir)
	if rep := checkAccuracy(an, truth); len(rep.problems) > 0 || rep.unexpected > 0 {
		t.Fatalf("the unchanged analysis does not check out: %v", rep.problems)
	}
	if len(an.Conflicts) == 0 {
		t.Fatal("no conflicts to remove")
	}
	removed := an.Conflicts[0]
	an.Conflicts = an.Conflicts[1:]
	rep := checkAccuracy(an, truth)
	if len(rep.problems) == 0 || !strings.Contains(strings.Join(rep.problems, "\n"), "missed planted") {
		t.Errorf("removing conflict %s (%s): got problems %v, want a missed planted conflict", removed.ID, removed.Summary, rep.problems)
	}
	an.Conflicts = append(slices.Clone(an.Conflicts), removed, &projections.Conflict{ID: "feedbeef00", Kind: projections.KindName, Names: []string{"Alpha", "Alpah"}, Summary: "invented"})
	if rep := checkAccuracy(an, truth); rep.unexpected != 1 {
		t.Errorf("adding an invented conflict: got %d unexpected, want 1", rep.unexpected)
	}
}
