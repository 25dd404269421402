package archive

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/sources"
)

func emptyArchive(t *testing.T) *Archive {
	t.Helper()
	a, err := Create(eventstest.ArchivePath(t, "a.db"), Options{Now: func() time.Time { return time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func TestReadSourceFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(name, []byte("words\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if raw, err := ReadSourceFile(name); err != nil || string(raw) != "words\n" {
		t.Errorf("ReadSourceFile: %q, %v", raw, err)
	}
	_, err := ReadSourceFile(dir)
	if ErrorCode(err) != Invalid || !strings.Contains(err.Error(), dir+" is a directory") {
		t.Errorf("ReadSourceFile of a directory: %v (%s), want Invalid naming it", err, ErrorCode(err))
	}
	big := filepath.Join(dir, "big.txt")
	if err := os.WriteFile(big, make([]byte, sources.MaxSourceBytes+1), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = ReadSourceFile(big)
	if ErrorCode(err) != Invalid || !errors.Is(err, sources.ErrTooLarge) || !strings.Contains(err.Error(), big) {
		t.Errorf("ReadSourceFile of a large file: %v (%s), want Invalid, sources.ErrTooLarge", err, ErrorCode(err))
	}
	if _, err := ReadSourceFile(filepath.Join(dir, "none.txt")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadSourceFile of no file: %v", err)
	}
}

func TestClaimsFileAt(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(name, []byte("claims: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := ClaimsFileAt(name)
	if f.Name != name || f.Data != nil {
		t.Fatalf("ClaimsFileAt: %+v", f)
	}
	r, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	r.Close()
	if string(b) != "claims: []\n" {
		t.Errorf("read %q", b)
	}
	if _, err := ClaimsFileAt(dir).Open(); ErrorCode(err) != Invalid || !strings.Contains(err.Error(), "is a directory, not a claims file") {
		t.Errorf("a directory: %v", err)
	}
	// A failing file stops the import where it is, named.
	a := emptyArchive(t)
	_, err = a.ImportClaims("kim", []ClaimsFile{ClaimsFileAt(name), ClaimsFileAt(dir)}, nil)
	if ErrorCode(err) != Invalid || !strings.Contains(err.Error(), dir) {
		t.Errorf("import of a directory: %v (%s)", err, ErrorCode(err))
	}
}

func TestAddSources(t *testing.T) {
	fsys := fstest.MapFS{
		"set/a.txt": {Data: []byte("The first source says the network was launched in 2021.\n")},
		"set/b.txt": {Data: []byte("The second source says it was launched in 2022.\n")},
	}
	manifest := []sources.ManifestEntry{
		{File: "a.txt", ID: "first", Published: "2024-01-02", Lang: "en"},
		{File: "b.txt", ID: "second", Title: "Second"},
	}
	a := emptyArchive(t)
	added, err := a.AddSources("kim", fsys, "set", manifest)
	if err != nil || len(added) != 2 || added[0].Source.ID != "first" || added[1].Revision != 2 || !added[1].Created {
		t.Fatalf("AddSources: %+v, %v", added, err)
	}
	info, err := a.Source("first", false)
	if err != nil || info.Published != "2024-01-02" || info.Lang != "en" {
		t.Errorf("the first source: %+v, %v; want the manifest's metadata", info, err)
	}
	// Again: nothing new.
	added, err = a.AddSources("kim", fsys, "set", manifest)
	if err != nil || len(added) != 2 || added[0].Created || added[1].Created {
		t.Errorf("AddSources again: %+v, %v; want both already archived", added, err)
	}
	// A missing file stops it, named, after the sources before it.
	_, err = a.AddSources("kim", fsys, "set", append(manifest, sources.ManifestEntry{File: "c.txt", ID: "third"}))
	if ErrorCode(err) != NotFound || !strings.Contains(err.Error(), "source c.txt") {
		t.Errorf("a missing file: %v (%s), want NotFound naming c.txt", err, ErrorCode(err))
	}
	// A refused source keeps the archive's code, and names the file.
	_, err = a.AddSources("kim", fsys, "set", []sources.ManifestEntry{{File: "b.txt", ID: "first"}})
	if ErrorCode(err) != Conflict || !strings.Contains(err.Error(), "source b.txt") {
		t.Errorf("an id taken: %v (%s), want Conflict naming b.txt", err, ErrorCode(err))
	}
	if h, _, _ := a.Head(); h != 2 {
		t.Errorf("head %d after the refusals, want 2", h)
	}
}

func TestParseRelation(t *testing.T) {
	for in, want := range map[string]*events.Relation{
		"after:Camp David summit/held": {Op: events.RelAfter, To: events.FactRef{Subject: "Camp David summit", Predicate: "held"}},
		"before: A/B / founded ":       {Op: events.RelBefore, To: events.FactRef{Subject: "A/B", Predicate: "founded"}},
		"same:X/y":                     {Op: events.RelSame, To: events.FactRef{Subject: "X", Predicate: "y"}},
		"after:X":                      nil,
		"after:/held":                  nil,
		"after:X/":                     nil,
		"during:X/y":                   nil,
		"after X/y":                    nil,
		"August 2023":                  nil,
	} {
		got, ok := ParseRelation(in)
		if ok != (want != nil) || ok && *got != *want {
			t.Errorf("ParseRelation(%q) = %+v, %v; want %+v", in, got, ok, want)
		}
	}
}

func TestEditSourceChanges(t *testing.T) {
	a := emptyArchive(t)
	if _, err := a.AddSource("kim", []byte("Some words of a source, enough of them.\n"), sources.Meta{ID: "s", Title: "Old", Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	ed, err := a.EditSource("kim", "s", SourceEdit{Set: sources.Meta{Title: "New", Publisher: "P"}, Clear: []string{"lang"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []FieldChange{{"title", "Old", "New"}, {"publisher", "", "P"}, {"lang", "en", ""}}
	if len(ed.Changes) != len(want) {
		t.Fatalf("changes %+v, want %+v", ed.Changes, want)
	}
	for i := range want {
		if ed.Changes[i] != want[i] {
			t.Errorf("changes %+v, want %+v", ed.Changes, want)
			break
		}
	}
}
