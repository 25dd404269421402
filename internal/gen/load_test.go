package gen_test

import (
	"path/filepath"
	"testing"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/internal/gen/gentest"
)

// TestLoad loads a small generated set through package archive (gen.Load,
// by way of gentest.Load) and checks that every source and claim landed
// and that verify, with replay, passes.
func TestLoad(t *testing.T) {
	dir, sum := gentest.Generate(t, 1500, 11)
	path := filepath.Join(t.TempDir(), "gen.db")
	if n := gentest.Load(t, path, dir); n != sum.Claims {
		t.Errorf("Load imported %d claims, want the %d generated", n, sum.Claims)
	}
	ar, err := archive.Open(path, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ar.Close()
	rep, err := ar.Verify(archive.VerifyOptions{Replay: true})
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
