package web

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	archive "github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/sources"
)

// corpusDir is the bundled example corpus of `sillok demo`, which the
// pages' tests serve.
const corpusDir = "../cmd/sillok/corpus"

// demoArchive makes an archive of the demo corpus in a temporary folder,
// as `sillok demo` does before its review: every source archived and
// every claims file imported, so the launch-date conflict is open.
func demoArchive(tb testing.TB) (*archive.Archive, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "demo.db")
	step := time.Date(2024, 6, 10, 9, 0, 0, 0, time.UTC)
	ar, err := archive.Create(path, archive.Options{Now: func() time.Time { step = step.Add(time.Second); return step }})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ar.Close() })
	data, err := os.ReadFile(filepath.Join(corpusDir, "sources.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	manifest, err := sources.ParseManifest("sources.yaml", data)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := ar.AddSources("demo", os.DirFS(corpusDir), ".", manifest); err != nil {
		tb.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(corpusDir, "claims", "*.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	sort.Strings(files)
	var cf []archive.ClaimsFile
	for _, f := range files {
		cf = append(cf, archive.ClaimsFileAt(f))
	}
	if _, err := ar.ImportClaims("demo", cf, nil); err != nil {
		tb.Fatal(err)
	}
	return ar, path
}
