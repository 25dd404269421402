package bagit_test

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sillok/sillok/provenance/bagit"
)

// conformanceDir is the Library of Congress BagIt conformance suite,
// shared by the project's worktrees (it is not part of the repository).
const conformanceDir = "../../../shared/conformance/bagit"

// TestConformance validates every bag of the conformance suite: those
// under valid/ must pass, those under invalid/ and linux-only/ must fail,
// and those under warning/ must pass with a warning.
func TestConformance(t *testing.T) {
	versions, err := filepath.Glob(filepath.Join(conformanceDir, "v*"))
	if err != nil || len(versions) == 0 {
		t.Skipf("the BagIt conformance suite is not at %s", conformanceDir)
	}
	n := 0
	for _, vdir := range versions {
		for _, kind := range []string{"valid", "invalid", "linux-only", "warning"} {
			bags, _ := filepath.Glob(filepath.Join(vdir, kind, "*"))
			for _, bag := range bags {
				if fi, err := os.Stat(bag); err != nil || !fi.IsDir() {
					continue
				}
				n++
				name := filepath.Base(vdir) + "/" + kind + "/" + filepath.Base(bag)
				t.Run(name, func(t *testing.T) {
					r, err := bagit.Validate(bag, bagit.Options{})
					if err != nil {
						t.Fatalf("Validate: %v", err)
					}
					switch kind {
					case "valid":
						if !r.Valid() {
							t.Errorf("got problems %q, want a valid bag", r.Problems)
						}
					case "warning":
						if !r.Valid() {
							t.Errorf("got problems %q, want a valid bag with a warning", r.Problems)
						} else if len(r.Warnings) == 0 {
							t.Errorf("got no warning, want one")
						}
					default:
						if r.Valid() {
							t.Errorf("got a valid bag (warnings %q), want problems", r.Warnings)
						}
					}
					t.Logf("problems %q, warnings %q", r.Problems, r.Warnings)
				})
			}
		}
	}
	if n < 40 {
		t.Errorf("walked %d bags, want the suite's 40 or more", n)
	}
}

// writeBag writes a small bag with the Writer and returns its directory.
func writeBag(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "bag")
	w, err := bagit.NewWriter(dir, bagit.WriterOptions{Now: func() time.Time { return time.Date(2026, 12, 6, 5, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(f, body); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Finish(bagit.Tags{{"Source-Organization", "Test Desk"}}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestWriteValidate(t *testing.T) {
	dir := writeBag(t, map[string]string{"a.txt": "hello\n", "sub/b.txt": "world", "odd%name.txt": "x"})
	r, err := bagit.Validate(dir, bagit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Valid() || len(r.Warnings) > 0 {
		t.Fatalf("got problems %q, warnings %q, want a clean bag", r.Problems, r.Warnings)
	}
	if got, want := r.Version, "1.0"; got != want {
		t.Errorf("got version %q, want %q", got, want)
	}
	if got, _ := r.Info.Get("payload-oxum"); got != "12.3" {
		t.Errorf("got Payload-Oxum %q, want 12.3", got)
	}
	if got, _ := r.Info.Get("Bagging-Date"); got != "2026-12-06" {
		t.Errorf("got Bagging-Date %q, want 2026-12-06", got)
	}
	if got, _ := r.Info.Get("Source-Organization"); got != "Test Desk" {
		t.Errorf("got Source-Organization %q, want Test Desk", got)
	}
	if len(r.Payload) != 3 || r.Payload[0].Path != "data/a.txt" || r.Payload[0].Sums[bagit.SHA256] != "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03" {
		t.Errorf("got payload %+v", r.Payload)
	}
	m, _ := os.ReadFile(filepath.Join(dir, "manifest-sha256.txt"))
	if !strings.Contains(string(m), "  data/odd%25name.txt\n") {
		t.Errorf("manifest-sha256.txt = %q, want the %% of odd%%name.txt encoded as %%25", m)
	}
	for _, f := range []string{"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".bag.partial-*"))
	if len(left) > 0 {
		t.Errorf("left behind %q", left)
	}
}

func TestWriterRefusesExisting(t *testing.T) {
	dir := t.TempDir()
	if _, err := bagit.NewWriter(dir, bagit.WriterOptions{}); err == nil {
		t.Fatal("got no error for a directory that exists")
	}
}

// TestDamaged checks that each kind of damage to a good bag is a problem
// that says where.
func TestDamaged(t *testing.T) {
	cases := []struct {
		name   string
		damage func(dir string) error
		want   string
	}{
		{"ChangedByte", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "data/a.txt"), []byte("hellO\n"), 0o644)
		}, "data/a.txt: its sha256 checksum is"},
		{"MissingFile", func(dir string) error { return os.Remove(filepath.Join(dir, "data/sub/b.txt")) },
			"manifest-sha256.txt lists data/sub/b.txt, which is not in the bag"},
		{"ExtraFile", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "data/extra"), nil, 0o644)
		}, "data/extra is in the bag but not listed in manifest-sha256.txt"},
		{"WrongOxum", func(dir string) error {
			p := filepath.Join(dir, "bag-info.txt")
			b, _ := os.ReadFile(p)
			return os.WriteFile(p, []byte(strings.Replace(string(b), "Payload-Oxum: 11.2", "Payload-Oxum: 12.2", 1)), 0o644)
		}, "Payload-Oxum is 12.2, but the payload is 11 bytes in 2 files"},
		{"ChangedTagFile", func(dir string) error {
			p := filepath.Join(dir, "bag-info.txt")
			b, _ := os.ReadFile(p)
			return os.WriteFile(p, append(b, "Extra: x\n"...), 0o644)
		}, "bag-info.txt: its sha256 checksum is"},
		{"NoBagitTxt", func(dir string) error { return os.Remove(filepath.Join(dir, "bagit.txt")) }, "bagit.txt is missing"},
		{"Symlink", func(dir string) error { return os.Symlink("/etc/passwd", filepath.Join(dir, "data/link")) }, "data/link is a symbolic link"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := writeBag(t, map[string]string{"a.txt": "hello\n", "sub/b.txt": "world"})
			if err := c.damage(dir); err != nil {
				t.Fatal(err)
			}
			r, err := bagit.Validate(dir, bagit.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if r.Valid() {
				t.Fatal("got a valid bag, want a problem")
			}
			if !strings.Contains(strings.Join(r.Problems, "\n"), c.want) {
				t.Errorf("got problems %q, want one saying %q", r.Problems, c.want)
			}
			if err := r.Err(); err == nil || !strings.Contains(err.Error(), "is not a valid bag") {
				t.Errorf("got Err() %v", err)
			}
		})
	}
}
