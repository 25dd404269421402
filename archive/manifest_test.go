package archive

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/sources"
)

// manifestDir writes five source files to a directory of their own and
// returns it.
func manifestDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for i := 1; i <= 5; i++ {
		text := fmt.Sprintf("Source number %d says the harbour network was launched in 202%d.\n", i, i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("s%d.txt", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const goodManifest = `- {file: s1.txt, id: one, lang: en, published: "2024-01-01"}
- {file: s2.txt, id: two, title: The second}
- {file: s3.txt, id: three, published: "2024-03-03", translation-of: one, translator: Kim}
- {file: s4.txt, id: four}
- {file: s5.txt, id: five}
`

func TestAddSourcesOneTransaction(t *testing.T) {
	dir := manifestDir(t)
	path := eventstest.ArchivePath(t, "a.db")
	a, err := Create(path, Options{Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	before := eventstest.Snapshot(t, path)

	// Entry 3 of 5 has a bad date: nothing is archived, not even entries
	// 1 and 2, and the file is byte for byte as it was.
	bad := strings.Replace(goodManifest, `published: "2024-03-03"`, `published: "2024-13-03"`, 1)
	entries, err := sources.ParseManifest("sources.yaml", []byte(bad))
	if err != nil {
		t.Fatal(err)
	}
	added, err := a.AddSources("kim", os.DirFS(dir), ".", entries)
	wantCode(t, "a bad date in entry 3", err, Invalid)
	if added != nil || err == nil || !strings.HasPrefix(err.Error(), "sources.yaml:3: entry 3 (s3.txt): published: ") {
		t.Errorf("entry 3's bad date: %v, %v; want an error placing it at sources.yaml:3, entry 3", added, err)
	}
	var fe *sources.FieldError
	if !errors.As(err, &fe) || fe.Field != "published" {
		t.Errorf("the error %v does not wrap the field's *sources.FieldError", err)
	}
	// A missing file in entry 5 is found before anything is read.
	entries[2].Published = "2024-03-03"
	entries[4].File = "missing.txt"
	_, err = a.AddSources("kim", os.DirFS(dir), ".", entries)
	wantCode(t, "a missing file in entry 5", err, NotFound)
	if err == nil || !strings.HasPrefix(err.Error(), "sources.yaml:5: entry 5 (missing.txt): ") {
		t.Errorf("a missing file: %v", err)
	}
	if h := head(t, a); h != 0 {
		t.Errorf("head %d after the refusals, want 0", h)
	}
	if after := eventstest.Snapshot(t, path); !bytes.Equal(before, after) {
		t.Errorf("the archive changed though nothing was archived")
	}

	// The good manifest: all five in one transaction, the translation of
	// entry 1 in entry 3 included.
	entries, err = sources.ParseManifest("sources.yaml", []byte(goodManifest))
	if err != nil {
		t.Fatal(err)
	}
	added, err = a.AddSources("kim", os.DirFS(dir), ".", entries)
	if err != nil || len(added) != 5 {
		t.Fatalf("AddSources: %+v, %v", added, err)
	}
	for i, res := range added {
		if !res.Created || res.Revision != Revision(i+1) {
			t.Errorf("entry %d: %+v, want created at revision %d", i+1, res, i+1)
		}
	}
	info, err := a.Source("three", false)
	if err != nil || info.TranslationOf != "one" || info.Translator != "Kim" {
		t.Errorf("source three: %+v, %v", info, err)
	}
	// Again: nothing new, and created false for each.
	added, err = a.AddSources("kim", os.DirFS(dir), ".", entries)
	if err != nil || len(added) != 5 || added[0].Created || added[4].Created || head(t, a) != 5 {
		t.Errorf("again: %+v, %v", added, err)
	}
}
