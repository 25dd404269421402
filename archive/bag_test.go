package archive

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/provenance/bagit"
)

// exportFixtureBag exports a copy of the fixture archive as a bag and
// returns the archive and the bag's directory.
func exportFixtureBag(t *testing.T) (*Archive, string) {
	t.Helper()
	a := openFixture(t)
	dir := filepath.Join(t.TempDir(), "bag")
	rep, err := a.ExportBag(dir, BagOptions{Organization: "Harbor Desk", Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	rev, hash, _ := a.Head()
	if rep.Revision != rev || rep.Hash != hash || rep.Events != int(rev) || rep.Sources != 3 {
		t.Fatalf("got report %+v, want head %d %s, 3 sources", rep, rev, hash)
	}
	return a, dir
}

// assertSameArchive checks that the archive at path holds the events of a,
// one for one, verifies (with a replay and a's head as a pin), and reads
// the same view and conflicts.
func assertSameArchive(t *testing.T, a *Archive, path string) {
	t.Helper()
	b, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	rev, hash, _ := a.Head()
	brev, bhash, _ := b.Head()
	if brev != rev || bhash != hash {
		t.Fatalf("imported head %d %s, want %d %s", brev, bhash, rev, hash)
	}
	want, err := a.Log(1, Head)
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.Log(1, Head)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		w, g := want[i], got[i]
		if !w.RecordedAt.Equal(g.RecordedAt) || w.Type != g.Type || w.Author != g.Author || string(w.Payload) != string(g.Payload) || w.Prev != g.Prev || w.Hash != g.Hash {
			t.Fatalf("revision %d: got %+v, want %+v", w.Revision, g, w)
		}
	}
	rep, err := b.Verify(VerifyOptions{Replay: true, Expect: []Pin{{Rev: rev, Hash: hash}}})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK {
		t.Fatalf("verify of the imported archive: %v", rep.Problems)
	}
	for _, read := range []func(*Archive) (any, error){
		func(x *Archive) (any, error) { return x.View("", Head) },
		func(x *Archive) (any, error) { return x.Conflicts(ConflictFilter{At: Head}) },
		func(x *Archive) (any, error) { return x.Claims(ClaimFilter{At: Head}) },
		func(x *Archive) (any, error) { return x.Sources() },
	} {
		w, err1 := read(a)
		g, err2 := read(b)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		wj, _ := json.Marshal(w)
		gj, _ := json.Marshal(g)
		if string(wj) != string(gj) {
			t.Errorf("the imported archive reads\n%s\nwant\n%s", gj, wj)
		}
	}
}

func TestBagRoundTrip(t *testing.T) {
	a, dir := exportFixtureBag(t)
	res, err := bagit.Validate(dir, bagit.Options{})
	if err != nil || !res.Valid() || len(res.Warnings) > 0 {
		t.Fatalf("the exported bag: %v %q %q", err, res.Problems, res.Warnings)
	}
	rev, hash, _ := a.Head()
	for label, want := range map[string]string{
		"Source-Organization": "Harbor Desk", BagHeadRevision: fmt.Sprint(rev), BagHeadHash: hash.String(),
		"Bagging-Date": "2024-06-01", "Payload-Oxum": "",
	} {
		got, ok := res.Info.Get(label)
		if !ok || (want != "" && got != want) {
			t.Errorf("bag-info.txt %s: got %q, want %q", label, got, want)
		}
	}
	if _, ok := res.Info.Get("External-Description"); !ok {
		t.Error("bag-info.txt has no External-Description")
	}
	path := eventstest.ArchivePath(t, "imported.db")
	rep, err := ImportBag(dir, path, Options{}, ImportBagOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Revision != rev || rep.Hash != hash || rep.Sources != 3 {
		t.Errorf("got report %+v", rep)
	}
	assertSameArchive(t, a, path)
	if !eventstest.Postgres() {
		noLeftovers(t, filepath.Dir(path), "imported.db")
	}

	t.Run("ErrExists", func(t *testing.T) {
		_, err := ImportBag(dir, path, Options{}, ImportBagOptions{})
		wantCode(t, "import into an archive that exists", err, Conflict)
		if _, err := a.ExportBag(dir, BagOptions{}); ErrorCode(err) != Conflict {
			t.Errorf("export into a bag that exists: got %v, want a Conflict", err)
		}
	})
}

// noLeftovers checks that dir holds only the names given: no temporary
// file of an import is left behind.
func noLeftovers(t *testing.T, dir string, names ...string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	slices.Sort(names)
	if !slices.Equal(got, names) {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}

// rebag rewrites a bag's manifests, Payload-Oxum and tag manifest from its
// files, as someone repackaging a damaged bag would: the bag is then valid
// BagIt, and only what Sillok checks beyond BagIt finds the damage.
func rebag(t *testing.T, dir string) {
	t.Helper()
	var files []string
	var octets int64
	filepath.WalkDir(filepath.Join(dir, "data"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
			fi, _ := d.Info()
			octets += fi.Size()
		}
		return err
	})
	slices.Sort(files)
	sum := func(h hash.Hash, name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		h.Write(b)
		return hex.EncodeToString(h.Sum(nil))
	}
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for alg, h := range map[string]func() hash.Hash{"sha256": sha256.New, "sha512": sha512.New} {
		var m strings.Builder
		for _, f := range files {
			m.WriteString(sum(h(), f) + "  " + f + "\n")
		}
		write("manifest-"+alg+".txt", m.String())
	}
	info, _ := os.ReadFile(filepath.Join(dir, "bag-info.txt"))
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(string(info)), "\n") {
		if strings.HasPrefix(l, "Payload-Oxum:") {
			l = fmt.Sprintf("Payload-Oxum: %d.%d", octets, len(files))
		}
		lines = append(lines, l)
	}
	write("bag-info.txt", strings.Join(lines, "\n")+"\n")
	var tm strings.Builder
	for _, f := range []string{"bag-info.txt", "bagit.txt", "manifest-sha256.txt", "manifest-sha512.txt"} {
		tm.WriteString(sum(sha256.New(), f) + "  " + f + "\n")
	}
	write("tagmanifest-sha256.txt", tm.String())
}

// editLog rewrites data/log.jsonl with edit applied to its lines.
func editLog(t *testing.T, dir string, edit func(lines []string) []string) {
	t.Helper()
	p := filepath.Join(dir, "data", bagLogFile)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	lines := edit(strings.Split(strings.TrimSuffix(string(b), "\n"), "\n"))
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestImportBagDamaged checks that every kind of damage to a bag is
// refused, with what is wrong, and that nothing is written.
func TestImportBagDamaged(t *testing.T) {
	someSource := func(dir string) string {
		m, _ := filepath.Glob(filepath.Join(dir, "data", bagSourcesDir, "*"))
		return m[0]
	}
	cases := []struct {
		name   string
		damage func(t *testing.T, dir string)
		want   string
	}{
		{"ChangedByteInLog", func(t *testing.T, dir string) {
			editLog(t, dir, func(l []string) []string {
				i := strings.Index(l[3], `"author":"`) + len(`"author":"`)
				l[3] = l[3][:i] + "X" + l[3][i+1:]
				return l
			})
		}, "data/log.jsonl: its sha256 checksum is"},
		{"ChangedByteInSource", func(t *testing.T, dir string) {
			p := someSource(dir)
			b, _ := os.ReadFile(p)
			b[0] ^= 0x20
			os.WriteFile(p, b, 0o644)
		}, "its sha256 checksum is"},
		{"MissingFile", func(t *testing.T, dir string) { os.Remove(someSource(dir)) }, "which is not in the bag"},
		{"ExtraFile", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "data", "notes.txt"), []byte("x"), 0o644)
		}, "data/notes.txt is in the bag but not listed in manifest-sha256.txt"},
		{"WrongPayloadOxum", func(t *testing.T, dir string) {
			rebag(t, dir)
			p := filepath.Join(dir, "bag-info.txt")
			b, _ := os.ReadFile(p)
			info := string(b)
			i := strings.Index(info, "Payload-Oxum: ")
			j := i + strings.Index(info[i:], ".")
			info = info[:j] + "1" + info[j:] // one digit more octets
			os.WriteFile(p, []byte(info), 0o644)
			// the tag manifest agrees: only the Oxum is wrong
			var tm strings.Builder
			for _, f := range []string{"bag-info.txt", "bagit.txt", "manifest-sha256.txt", "manifest-sha512.txt"} {
				b, _ := os.ReadFile(filepath.Join(dir, f))
				tm.WriteString(fmt.Sprintf("%x  %s\n", sha256.Sum256(b), f))
			}
			os.WriteFile(filepath.Join(dir, "tagmanifest-sha256.txt"), []byte(tm.String()), 0o644)
		}, "Payload-Oxum is"},
		{"AlteredEventRebagged", func(t *testing.T, dir string) {
			editLog(t, dir, func(l []string) []string { l[3] = strings.Replace(l[3], `"author":"`, `"author":"X`, 1); return l })
			rebag(t, dir)
		}, "revision 4: its hash is"},
		{"BrokenChainRebagged", func(t *testing.T, dir string) {
			// An event altered and hashed anew: the next one no longer
			// chains to it.
			editLog(t, dir, func(l []string) []string {
				var e BagLogLine
				json.Unmarshal([]byte(l[3]), &e)
				ev := events.Event{Revision: e.Revision, Type: e.Type, RecordedAt: e.RecordedAt, Author: e.Author + "X", Payload: e.Payload, Prev: e.Prev}
				ev.Hash = events.ComputeHash(&ev)
				l[3] = strings.TrimSuffix(string(appendBagLine(nil, &ev)), "\n")
				return l
			})
			rebag(t, dir)
		}, "revision 5: its previous hash"},
		{"EventRemovedRebagged", func(t *testing.T, dir string) {
			editLog(t, dir, func(l []string) []string { return append(l[:2], l[3:]...) })
			rebag(t, dir)
		}, "line 3: revision 4, want 3"},
		{"CutShortRebagged", func(t *testing.T, dir string) {
			editLog(t, dir, func(l []string) []string { return l[:len(l)-1] })
			rebag(t, dir)
		}, "the log was cut short"},
		{"SourceBytesMissingRebagged", func(t *testing.T, dir string) {
			os.Remove(someSource(dir))
			rebag(t, dir)
		}, "are not in the bag"},
		{"ForeignFileRebagged", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "data", "notes.txt"), []byte("x"), 0o644)
			rebag(t, dir)
		}, "data/notes.txt is not part of a Sillok bag"},
		{"ForeignPayloadRechained", func(t *testing.T, dir string) {
			// Valid JSON, but not the form the log writes, in an event
			// hashed anew, with every later event chained to it again and
			// the pinned head updated: only the append finds it, after
			// some of the log was written to the temporary archive.
			var head events.Digest
			editLog(t, dir, func(l []string) []string {
				var prev events.Digest
				for i := range l {
					var e BagLogLine
					if err := json.Unmarshal([]byte(l[i]), &e); err != nil {
						t.Fatal(err)
					}
					ev := events.Event{Revision: e.Revision, Type: e.Type, RecordedAt: e.RecordedAt, Author: e.Author, Payload: e.Payload, Prev: e.Prev, Hash: e.Hash}
					if i == len(l)-3 {
						ev.Payload = append([]byte("{ "), ev.Payload[1:]...)
					}
					if i >= len(l)-3 {
						ev.Prev = prev
						ev.Hash = events.ComputeHash(&ev)
					}
					prev = ev.Hash
					l[i] = strings.TrimSuffix(string(appendBagLine(nil, &ev)), "\n")
				}
				head = prev
				return l
			})
			p := filepath.Join(dir, "bag-info.txt")
			b, _ := os.ReadFile(p)
			info := regexp.MustCompile(`Sillok-Head-Hash: .*`).ReplaceAllString(string(b), "Sillok-Head-Hash: "+head.String())
			os.WriteFile(p, []byte(info), 0o644)
			rebag(t, dir)
		}, "not in the form the log writes"},
		{"NotALogLine", func(t *testing.T, dir string) {
			editLog(t, dir, func(l []string) []string { l[1] = "{}"; return l })
			rebag(t, dir)
		}, "line 2: an event needs"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, dir := exportFixtureBag(t)
			c.damage(t, dir)
			out := t.TempDir()
			path := filepath.Join(out, "imported.db")
			_, err := ImportBag(dir, path, Options{}, ImportBagOptions{})
			if err == nil {
				t.Fatal("got no error, want the damaged bag refused")
			}
			wantCode(t, "import of a damaged bag", err, Invalid)
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %q, want it to say %q", err, c.want)
			}
			noLeftovers(t, out)
			var inv *bagit.InvalidError
			if errors.As(err, &inv) && len(inv.Problems) == 0 {
				t.Error("an InvalidError with no problems")
			}
		})
	}
}

// TestBagLine checks that a log line reads back as the event it was
// written from, and that a line written otherwise is refused.
func TestBagLine(t *testing.T) {
	e := events.Event{Revision: 7, Type: events.TypeClaimRetracted, RecordedAt: clock()().Add(123456789),
		Author: `kim "the archivist" <k&m@example.org> \ 김`, Payload: []byte(`{"claim":"c1","reason":"a \"typo\" <b>"}`)}
	e.Prev[0], e.Hash[31] = 0xab, 0xcd
	line := appendBagLine(nil, &e)
	got, err := parseBagLine(bytes.TrimSuffix(line, []byte("\n")))
	if err != nil {
		t.Fatal(err)
	}
	if got.Revision != e.Revision || got.Type != e.Type || !got.RecordedAt.Equal(e.RecordedAt) || got.Author != e.Author ||
		string(got.Payload) != string(e.Payload) || got.Prev != e.Prev || got.Hash != e.Hash {
		t.Errorf("got %+v, want %+v", got, e)
	}
	for _, bad := range []string{
		strings.Replace(string(line), `"revision":7`, `"revision": 7`, 1),
		strings.Replace(string(line), `"type"`, `"kind"`, 1),
		strings.Replace(string(line), "sha256:ab", "sha256:AB", 1),
		strings.TrimSuffix(string(line), "}\n") + `,"extra":1}` + "\n",
		strings.Replace(string(line), `<`, `\u003c`, 1),
	} {
		if bad == string(line) {
			t.Fatalf("the damage changed nothing in %s", line)
		}
		if _, err := parseBagLine([]byte(strings.TrimSuffix(bad, "\n"))); err == nil {
			t.Errorf("got no error for %s", bad)
		}
	}
}

// FuzzBagLine reads arbitrary lines as lines of a bag's log: never a
// panic, and a line read is one appendBagLine writes back byte for byte.
func FuzzBagLine(f *testing.F) {
	e := events.Event{Revision: 1, Type: events.TypePredicateDefined, RecordedAt: clock()(), Author: "kim",
		Payload: []byte(`{"name":"launched","kind":"date"}`)}
	f.Add(bytes.TrimSuffix(appendBagLine(nil, &e), []byte("\n")))
	f.Add([]byte(`{"revision":1,"type":"x","recorded_at":"2024-01-01T00:00:00Z","author":"a\"b","payload":{},"prev":"sha256:","hash":"sha256:"}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		e, err := parseBagLine(line)
		if err != nil {
			return
		}
		if got := appendBagLine(nil, &e); !bytes.Equal(got, append(bytes.TrimSuffix(bytes.Clone(line), []byte("\r")), '\n')) {
			t.Errorf("read %q as %+v, which writes %q", line, e, got)
		}
	})
}
