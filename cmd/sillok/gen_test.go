package main

import (
	"crypto/sha256"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	sillokarchive "github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance/claimsfile"
)

// mustGenerate runs the generator into a new temporary directory.
func mustGenerate(tb testing.TB, claims int, seed uint64) (string, genSummary) {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "gen")
	sum, err := generate(dir, genOptions{Claims: claims, Seed: seed})
	if err != nil {
		tb.Fatalf("generate(%d claims, seed %d): %v", claims, seed, err)
	}
	return dir, sum
}

// readTruth reads dir/truth.yaml.
func readTruth(tb testing.TB, dir string) *genTruth {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "truth.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	var t genTruth
	if err := yaml.Unmarshal(data, &t); err != nil {
		tb.Fatalf("truth.yaml: %v", err)
	}
	return &t
}

// treeDigest hashes every file under dir with its relative name.
func treeDigest(tb testing.TB, dir string) string {
	tb.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		h.Write([]byte(rel + "\x00"))
		h.Write(data)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return string(h.Sum(nil))
}

func TestGenDeterministic(t *testing.T) {
	a, sa := mustGenerate(t, 3000, 7)
	b, sb := mustGenerate(t, 3000, 7)
	c, _ := mustGenerate(t, 3000, 8)
	if treeDigest(t, a) != treeDigest(t, b) {
		t.Errorf("two runs with seed 7 wrote different files")
	}
	if treeDigest(t, a) == treeDigest(t, c) {
		t.Errorf("seeds 7 and 8 wrote the same files")
	}
	if sa.Claims != sb.Claims || sa.Claims < 3000 || sa.Claims > 3500 {
		t.Errorf("got %d and %d claims, want the same number, at least 3000 and at most 3500", sa.Claims, sb.Claims)
	}
}

func TestGenRefusesNonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := generate(dir, genOptions{Claims: 10, Seed: 1}); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("generate into a non-empty directory: got error %v, want one saying it is not empty", err)
	}
}

// parseGenerated parses every claims file of dir.
func parseGenerated(tb testing.TB, dir string) []*claimsfile.File {
	tb.Helper()
	files, err := generatedClaimsFiles(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var out []*claimsfile.File
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		f, err := claimsfile.Parse(name, data)
		if err != nil {
			tb.Fatalf("a generated claims file does not parse: %v", err)
		}
		out = append(out, f)
	}
	return out
}

// TestGenNamesLookAlikeOnlyWherePlanted checks the generator alone, without
// an archive: among all the names a generated set uses, the pairs that
// projections.NameIndex finds alike are exactly the planted look-alikes
// (conflicts, mistranslation aliases and distinct declarations).
func TestGenNamesLookAlikeOnlyWherePlanted(t *testing.T) {
	dir, _ := mustGenerate(t, 20000, 3)
	checkGeneratedNames(t, dir)
}

// checkGeneratedNames checks the names of the set in dir against its
// planted look-alikes.
func checkGeneratedNames(t *testing.T, dir string) {
	truth := readTruth(t, dir)
	ix := projections.NewNameIndex()
	var n int
	for _, f := range parseGenerated(t, dir) {
		for _, al := range f.Aliases {
			ix.Add(al.Name)
			ix.Add(al.Entity)
		}
		for _, c := range f.Claims {
			ix.Add(c.Subject)
			if c.As != "" {
				ix.Add(c.As)
			}
			if c.Value.Relation != nil {
				ix.Add(c.Value.Relation.To.Subject)
			} else if c.Predicate == "headquarters" || c.Predicate == "led by" || c.Predicate == "member" {
				ix.Add(c.Value.Scalar)
			}
			n++
		}
	}
	if n != truth.Claims {
		t.Errorf("the claims files hold %d claims, truth.yaml says %d", n, truth.Claims)
	}
	pairKey := func(a, b string) string {
		x, y := projections.NameKey(a), projections.NameKey(b)
		if y < x {
			x, y = y, x
		}
		return x + " | " + y
	}
	want := map[string]string{}
	for _, p := range truth.Conflicts.Name {
		want[pairKey(p.Names[0], p.Names[1])] = "conflict " + p.Reason
	}
	for _, al := range truth.NonConflicts.Aliases {
		if al.Kind == string(events.AliasMistranslation) {
			want[pairKey(al.Name, al.Entity)] = "mistranslation alias"
		}
	}
	for _, p := range truth.NonConflicts.Distinct {
		want[pairKey(p.Names[0], p.Names[1])] = "distinct"
	}
	got := map[string]bool{}
	for _, p := range ix.Pairs() {
		k := pairKey(p.A, p.B)
		got[k] = true
		if _, ok := want[k]; !ok {
			t.Errorf("names %q and %q look alike (%s: %s) but were not planted", p.A, p.B, p.Reason, p.Detail)
		}
	}
	for k, what := range want {
		if !got[k] {
			t.Errorf("planted look-alike (%s) %s is not found alike", what, k)
		}
	}
	if len(truth.Conflicts.Name) == 0 {
		t.Errorf("no name conflicts planted in %d claims", truth.Claims)
	}
	st := ix.Stats()
	t.Logf("%d names, %d planted look-alike pairs, %d found; %d comparisons", st.Names, len(want), len(got), st.Comparisons)
}

// TestGenLoad loads a small generated set as the commands would, and
// checks that every claim landed and verify passes.
func TestGenLoad(t *testing.T) {
	dir, sum := mustGenerate(t, 1500, 11)
	archive := filepath.Join(t.TempDir(), "gen.db")
	a := newApp(nil, nil)
	a.now = eventstest.StepClock(eventstest.Epoch)
	if err := loadGenerated(a, archive, dir); err != nil {
		t.Fatalf("loadGenerated: %v", err)
	}
	ar, err := sillokarchive.Open(archive, sillokarchive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ar.Close()
	rep, err := ar.Verify(sillokarchive.VerifyOptions{Replay: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) > 0 {
		t.Errorf("verify found %d problems, first %s", len(rep.Problems), rep.Problems[0])
	}
	if rep.Claims != sum.Claims || rep.Sources != sum.Sources {
		t.Errorf("archive holds %d claims and %d sources, want %d and %d", rep.Claims, rep.Sources, sum.Claims, sum.Sources)
	}
}

// TestGenCommand runs `sillok gen --load` and checks its JSON report.
func TestGenCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "set")
	stdout, stderr, code := runCLI(t, filepath.Join(t.TempDir(), "unused.db"), "gen", "--claims", "400", "--seed", "5", dir, "--load", "--json")
	if code != 0 {
		t.Fatalf("sillok gen: exit status %d, stderr %q", code, stderr)
	}
	var out struct {
		Archive string     `json:"archive"`
		Summary genSummary `json:"summary"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("sillok gen --json: %v\n%s", err, stdout)
	}
	if out.Summary.Claims < 400 || out.Archive != filepath.Join(dir, "sillok.db") {
		t.Errorf("got %d claims loaded into %q, want at least 400 into %q", out.Summary.Claims, out.Archive, filepath.Join(dir, "sillok.db"))
	}
	for _, f := range []string{"sources.yaml", "truth.yaml", "claims/00001.yaml", "sillok.db"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("gen did not write %s: %v", f, err)
		}
	}
	_, stderr, code = runCLI(t, filepath.Join(t.TempDir(), "unused.db"), "gen", "--claims", "10", dir)
	assertCleanError(t, "", stderr, code, 1, "not empty")
	if !slices.Contains([]int{1}, code) {
		t.Errorf("gen into a used directory: exit status %d, want 1", code)
	}
}
