package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/sillok/sillok/events"
)

// relHeadHash is the head revision and hash of the archive at path.
func relHeadHash(t *testing.T, path string) (events.Revision, events.Digest) {
	t.Helper()
	log, err := events.Open(path, events.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	rev, hash, err := log.Head()
	if err != nil {
		t.Fatal(err)
	}
	return rev, hash
}

// demoArchive runs sillok demo in this process and returns its archive (a
// few dozen events, verdicts last: too few for a checkpoint).
func demoArchive(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if _, stderr, code := runInProcess(t, filepath.Join(dir, "unused.db"), "demo", "--dir", dir); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	return filepath.Join(dir, "demo.db")
}

// TestHeadExpect checks sillok head and verify --expect, and that a small
// archive whose last events were removed fails verify and rebuild.
func TestHeadExpect(t *testing.T) {
	path := demoArchive(t)
	rev, hash := relHeadHash(t, path)
	pinned := fmt.Sprintf("%d:%s", rev, hash)

	stdout, stderr, code := runInProcess(t, path, "head")
	if code != 0 || stdout != pinned+"\n" {
		t.Fatalf("head: got %d, %q, %q, want 0 and %q", code, stdout, stderr, pinned)
	}
	stdout, _, code = runInProcess(t, path, "head", "--json")
	var got map[string]any
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != 0 {
		t.Fatalf("head --json: got %d, %q: %v", code, stdout, err)
	}
	if want := map[string]any{"revision": float64(rev), "hash": hash.String()}; !jsonEqual(got, want) {
		t.Errorf("head --json: got %v, want %v", got, want)
	}
	if rep, code := relVerify(t, path, "--expect", pinned, "--expect", "1:"+firstHash(t, path).Hex()); code != 0 || rep.Head != rev {
		t.Errorf("verify --expect %s: got %d, %v, want ok", pinned, code, rep.Problems)
	}
	stdout, _, _ = runInProcess(t, path, "verify")
	if want := fmt.Sprintf("(head %s), ", pinned); !strings.Contains(stdout, want) || !strings.HasSuffix(stdout, ": ok\n") {
		t.Errorf("verify: got %q, want its summary to name the head as %q", stdout, want)
	}

	t.Run("ErrUsage", func(t *testing.T) {
		for _, bad := range []string{"12", "x:" + hash.Hex(), "0:" + hash.Hex(), "3:abc", "3:"} {
			stdout, stderr, code := runInProcess(t, path, "verify", "--expect", bad)
			assertCleanError(t, stdout, stderr, code, 2, "--expect")
		}
	})
	t.Run("ErrOtherHash", func(t *testing.T) {
		other := fmt.Sprintf("%d:%s", rev-1, hash)
		rep, code := relVerify(t, path, "--expect", other)
		relWantProblems(t, "verify --expect "+other, rep.Problems, []events.Problem{{Revision: rev - 1, Message: "the log was rewritten"}})
		if code != 1 {
			t.Errorf("got exit status %d, want 1", code)
		}
	})
	t.Run("ErrCutShort", func(t *testing.T) {
		cut := filepath.Join(t.TempDir(), "cut.db")
		relCopy(t, path, cut)
		relTamper(t, cut, func(tx *bolt.Tx) error {
			b := tx.Bucket([]byte("log"))
			if err := b.Delete(relRevKey(rev)); err != nil {
				return err
			}
			return b.Delete(relRevKey(rev - 1))
		})
		for _, flags := range [][]string{nil, {"--replay"}} {
			rep, code := relVerify(t, cut, flags...)
			relWantProblems(t, "verify of a log cut short", rep.Problems, []events.Problem{{Revision: rev - 1, Message: fmt.Sprintf("the log was cut short after revision %d", rev-2)}})
			if code != 1 {
				t.Errorf("verify %v: got exit status %d, want 1", flags, code)
			}
		}
		rep, _ := relVerify(t, cut, "--expect", pinned)
		if n := len(rep.Problems); n != 2 || rep.Problems[1].Revision != rev || !strings.Contains(rep.Problems[1].Message, "is not in it") {
			t.Errorf("verify --expect %s: got %v, want the pin reported missing", pinned, rep.Problems)
		}
		before, _ := os.ReadFile(cut)
		stdout, stderr, code := runInProcess(t, cut, "rebuild")
		assertCleanError(t, stdout, stderr, code, 1, "cut short", "rebuild refuses")
		if after, _ := os.ReadFile(cut); string(after) != string(before) {
			t.Errorf("a refused rebuild changed the archive")
		}
		// A write would bury the evidence: refused too.
		stdout, stderr, code = runInProcess(t, cut, "predicate", "add", "later", "--kind", "text")
		assertCleanError(t, stdout, stderr, code, 1, "cut short")
	})
}

// firstHash is the hash of revision 1.
func firstHash(t *testing.T, path string) events.Digest {
	t.Helper()
	log, err := events.Open(path, events.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	var h events.Digest
	err = log.View(func(tx *events.Tx) error {
		e, err := tx.Event(1)
		h = e.Hash
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// damagedCopy writes data, changed by damage, to a new file and returns
// its path.
func damagedCopy(t *testing.T, data []byte, damage func([]byte) []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "damaged.db")
	if err := os.WriteFile(path, damage(append([]byte(nil), data...)), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// boltPages returns the ids of the pages of the file that are in use (not
// free, not the continuation of another), by their flags: 0x01 branch,
// 0x02 leaf, 0x10 freelist. The meta pages are 0 and 1.
func boltPages(t *testing.T, data []byte) map[uint16][]int {
	t.Helper()
	const ps = 4096
	le := binary.LittleEndian
	free := map[int]bool{}
	var pgid uint64
	var freelist uint64
	for m := range 2 { // the meta page with the higher transaction id
		meta := data[m*ps+16:]
		if txid := le.Uint64(meta[48:]); m == 0 || txid > le.Uint64(data[16+48:]) {
			freelist, pgid = le.Uint64(meta[32:]), le.Uint64(meta[40:])
		}
	}
	if h := data[freelist*ps:]; le.Uint16(h[8:]) == 0x10 {
		count, start := int(le.Uint16(h[10:])), 16
		if count == 0xFFFF {
			count, start = int(le.Uint64(h[16:])), 24
		}
		for i := range count {
			free[int(le.Uint64(h[start+8*i:]))] = true
		}
	}
	pages := map[uint16][]int{}
	for id := 2; uint64(id) < pgid; id++ {
		h := data[id*ps:]
		if free[id] || le.Uint64(h) != uint64(id) {
			continue
		}
		flags := le.Uint16(h[8:])
		pages[flags] = append(pages[flags], id)
		id += int(le.Uint32(h[12:])) // skip its overflow
	}
	return pages
}

// TestDamagedArchive runs commands on damaged copies of an archive
// (truncated at every page boundary of a small one and at a few sizes of
// a large one, a flipped byte in each kind of page, a zeroed meta page)
// with the real binary, and checks that each command either succeeds or
// says the archive is damaged (verify lists it as a problem), without a
// signal, a trace, or an "internal error".
func TestDamagedArchive(t *testing.T) {
	small := demoArchive(t)
	smallData, err := os.ReadFile(small)
	if err != nil {
		t.Fatal(err)
	}
	// A few MB, with checkpoints: sillok gen's archive.
	dir := filepath.Join(t.TempDir(), "gen")
	if _, stderr, code := runInProcess(t, filepath.Join(t.TempDir(), "unused.db"), "gen", "--claims", "5000", "--seed", "7", dir, "--load"); code != 0 {
		t.Fatalf("gen --load: %s", stderr)
	}
	large := filepath.Join(dir, "sillok.db")
	largeData, err := os.ReadFile(large)
	if err != nil {
		t.Fatal(err)
	}

	type damaged struct {
		name string
		data []byte
		fn   func([]byte) []byte
	}
	var cases []damaged
	cut := func(n int) func([]byte) []byte { return func(b []byte) []byte { return b[:n] } }
	flip := func(off int) func([]byte) []byte {
		return func(b []byte) []byte { b[off] ^= 0x40; return b }
	}
	for n := 4096; n < len(smallData); n += 4096 {
		cases = append(cases, damaged{fmt.Sprintf("Small/Truncated/%d", n), smallData, cut(n)})
	}
	for _, n := range []int{8192, 6 * 4096, len(largeData) / 3, len(largeData)/2 + 1234, len(largeData) - 3*4096} {
		cases = append(cases, damaged{fmt.Sprintf("Large/Truncated/%d", n), largeData, cut(n)})
	}
	for _, d := range []struct {
		name string
		data []byte
	}{{"Small", smallData}, {"Large", largeData}} {
		pages := boltPages(t, d.data)
		for _, kind := range []struct {
			name  string
			flags uint16
		}{{"Branch", 0x01}, {"Leaf", 0x02}, {"Freelist", 0x10}} {
			ids := pages[kind.flags]
			if len(ids) == 0 {
				continue
			}
			for _, id := range []int{ids[0], ids[len(ids)/2], ids[len(ids)-1]} {
				cases = append(cases,
					damaged{fmt.Sprintf("%s/Flipped/%s/%d/Flags", d.name, kind.name, id), d.data, flip(id*4096 + 8)},
					damaged{fmt.Sprintf("%s/Flipped/%s/%d/Count", d.name, kind.name, id), d.data, flip(id*4096 + 11)},
					damaged{fmt.Sprintf("%s/Flipped/%s/%d/Body", d.name, kind.name, id), d.data, flip(id*4096 + 100)},
				)
			}
		}
		for m := range 2 {
			cases = append(cases,
				damaged{fmt.Sprintf("%s/ZeroedMeta/%d", d.name, m), d.data, func(b []byte) []byte { clear(b[m*4096 : (m+1)*4096]); return b }},
				damaged{fmt.Sprintf("%s/Flipped/Meta/%d", d.name, m), d.data, flip(m*4096 + 16 + 40)},
			)
		}
	}

	commands := [][]string{{"verify"}, {"view", "--json"}, {"conflicts"}, {"log", "--from", "1", "--to", "5"}, {"rebuild"}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := damagedCopy(t, c.data, c.fn)
			for _, args := range commands {
				stdout, stderr, code, _ := runBinary(t, filepath.Dir(path), nil, append([]string{"--archive", path}, args...)...)
				for _, bad := range []string{"goroutine ", "panic", "SIGSEGV", "SIGBUS", "This is a bug", "internal error"} {
					if strings.Contains(stderr, bad) || strings.Contains(stdout, bad) {
						t.Fatalf("%v: got exit status %d and %q on stderr, want no %q", args, code, stderr, bad)
					}
				}
				switch {
				case code == 0:
				case args[0] == "verify" && code == 1 && strings.Contains(stdout, "PROBLEM "):
				case code == 1 && strings.HasPrefix(stderr, "sillok: ") && strings.Count(stderr, "\n") == 1 &&
					(strings.Contains(stderr, "is damaged") || strings.Contains(stderr, "not a Sillok archive") ||
						strings.Contains(stderr, "sillok rebuild") || strings.Contains(stderr, "rebuild refuses")):
				default:
					t.Errorf("%v: got exit status %d, %q, %q, want success or a damaged archive said so", args, code, stdout, stderr)
				}
			}
		})
	}
}
