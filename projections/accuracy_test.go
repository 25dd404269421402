package projections_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sillok/sillok/internal/gen"
	"github.com/sillok/sillok/internal/gen/gentest"
	"github.com/sillok/sillok/projections"
)

// TestAccuracy generates a set with planted contradictions, loads it
// through package archive (gen.Load: each source added, each claims file
// imported, one transaction each), and checks the conflicts of the head
// revision against the generator's ground truth (truth.yaml):
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
//
// The check is gen.Check's.
func TestAccuracy(t *testing.T) {
	sizes := []int{10_000, 100_000}
	switch {
	case testing.Short():
		sizes = []int{2_000}
	case raceDetector && !gentest.Large():
		sizes = []int{10_000}
	}
	for _, n := range sizes {
		t.Run(fmt.Sprintf("claims=%d", n), func(t *testing.T) {
			start := time.Now()
			dir, sum := gentest.Generate(t, n, 1)
			path := filepath.Join(t.TempDir(), "accuracy.db")
			gentest.Load(t, path, dir)
			loaded := time.Now()
			an := projections.Analyze(gentest.HeadState(t, path))
			truth := gentest.Truth(t, dir)
			rep := gen.Check(an, truth)
			t.Logf("%d claims, %d sources: generated and loaded in %s, analyzed in %s",
				sum.Claims, sum.Sources, loaded.Sub(start).Round(time.Millisecond), time.Since(loaded).Round(time.Millisecond))
			t.Logf("planted: %d value, %d temporal, %d name conflicts; found %d conflicts", len(truth.Conflicts.Value),
				len(truth.Conflicts.Temporal), len(truth.Conflicts.Name), len(an.Conflicts))
			for _, line := range rep.Problems {
				t.Error(line)
			}
			if rep.Unexpected > 0 {
				t.Errorf("%d conflicts were found that were not planted (examples above)", rep.Unexpected)
			}
		})
	}
}

// TestAccuracyChecker makes sure the checker itself fails when it should:
// a conflict removed from the analysis is reported missing, and one added
// is reported unexpected.
func TestAccuracyChecker(t *testing.T) {
	dir, _ := gentest.Generate(t, 3000, 2)
	path := filepath.Join(t.TempDir(), "checker.db")
	gentest.Load(t, path, dir)
	an := projections.Analyze(gentest.HeadState(t, path))
	truth := gentest.Truth(t, dir)
	if rep := gen.Check(an, truth); len(rep.Problems) > 0 || rep.Unexpected > 0 {
		t.Fatalf("the unchanged analysis does not check out: %v", rep.Problems)
	}
	if len(an.Conflicts) == 0 {
		t.Fatal("no conflicts to remove")
	}
	removed := an.Conflicts[0]
	an.Conflicts = an.Conflicts[1:]
	rep := gen.Check(an, truth)
	if len(rep.Problems) == 0 || !strings.Contains(strings.Join(rep.Problems, "\n"), "missed planted") {
		t.Errorf("removing conflict %s (%s): got problems %v, want a missed planted conflict", removed.ID, removed.Summary, rep.Problems)
	}
	an.Conflicts = append(slices.Clone(an.Conflicts), removed, &projections.Conflict{ID: "feedbeef00", Kind: projections.KindName, Names: []string{"Alpha", "Alpah"}, Summary: "invented"})
	if rep := gen.Check(an, truth); rep.Unexpected != 1 {
		t.Errorf("adding an invented conflict: got %d unexpected, want 1", rep.Unexpected)
	}
}
