package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestErrorsEscapeWhatTheyQuote: an error that quotes what a user or a
// file gave (a re-added source's metadata, a quote that is not in the
// source, a file name) never carries a control character onto the
// terminal, and a re-add with one is refused as on a first add.
func TestErrorsEscapeWhatTheyQuote(t *testing.T) {
	dir := t.TempDir()
	archive := filepath.Join(dir, "e.db")
	src := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(src, []byte("A year on, the network was launched in April 2023.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	claims := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(claims, []byte("source: alpha\npredicates:\n  - {name: launched, kind: date}\nclaims:\n  - {subject: Net, predicate: launched, value: April 2023, quote: \"A y\\e[31mear on\"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"init"}, {"source", "add", src, "--id", "alpha", "--published", "2024-01-01"}} {
		if _, stderr, code := runInProcess(t, archive, args...); code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
	}
	before, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"source", "add", src, "--title", "bad\x1b[31mRED"}, `title contains`},
		{[]string{"source", "add", src, "--publisher", "two\nlines"}, `publisher contains`},
		{[]string{"claim", "import", claims}, `\x1b[31m`},
		{[]string{"source", "add", filepath.Join(dir, "no\x1bsuch.txt")}, `no\x1bsuch.txt`},
	} {
		stdout, stderr, code := runInProcess(t, archive, tc.args...)
		if code != 1 || stdout != "" {
			t.Errorf("%q: got exit status %d and %q on stdout, want 1 and nothing", tc.args, code, stdout)
		}
		if !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: got %q on stderr, want it to say %q", tc.args, stderr, tc.want)
		}
		if strings.ContainsAny(stderr, "\x1b\r") || strings.Count(stderr, "\n") != strings.Count(stderr, "\nsillok")+strings.Count(stderr, "\n  ")+1 {
			t.Errorf("%q: stderr %q carries a control character or a line of the input's own", tc.args, stderr)
		}
	}
	after, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	if string(before) != string(after) {
		t.Error("a refused command changed the archive")
	}
}
