package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/sillok/sillok/internal/gen"
)

// TestGenCommand runs `sillok gen --load` and checks its JSON report.
func TestGenCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "set")
	stdout, stderr, code := runInProcess(t, filepath.Join(t.TempDir(), "unused.db"), "gen", "--claims", "400", "--seed", "5", dir, "--load", "--json")
	if code != 0 {
		t.Fatalf("sillok gen: exit status %d, stderr %q", code, stderr)
	}
	var out struct {
		Archive string      `json:"archive"`
		Summary gen.Summary `json:"summary"`
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
	_, stderr, code = runInProcess(t, filepath.Join(t.TempDir(), "unused.db"), "gen", "--claims", "10", dir)
	assertCleanError(t, "", stderr, code, 1, dir+" is not empty: give gen a new directory")
	if !slices.Contains([]int{1}, code) {
		t.Errorf("gen into a used directory: exit status %d, want 1", code)
	}
}
