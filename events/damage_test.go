package events_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
)

// damageLog writes an archive of n claims (and their source) and returns
// its path, closed.
func damageLog(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "damage.db")
	log, err := events.Create(path, events.Options{NoSync: true, Now: eventstest.StepClock(eventstest.Epoch)})
	if err != nil {
		t.Fatal(err)
	}
	batch := []events.Payload{eventstest.Source("src", "body"), eventstest.Predicate("p", events.KindText)}
	for i := range n {
		batch = append(batch, eventstest.Claim(fmt.Sprintf("c%05d", i), "src", "subject", "p", fmt.Sprintf("value %d", i), "body"))
	}
	if _, err := log.Append("t", batch...); err != nil {
		t.Fatal(err)
	}
	if err := log.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// readAll opens the archive and reads every event, and the file's other
// pages (CheckFile), and returns the first error.
func readAll(path string) ([]events.Problem, error) {
	log, err := events.Open(path, events.Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer log.Close()
	var problems []events.Problem
	err = log.View(func(tx *events.Tx) error {
		if err := tx.Scan(1, 0, func(events.Event) error { return nil }); err != nil {
			return err
		}
		problems = tx.CheckFile()
		return nil
	})
	return problems, err
}

// pageOf returns the id of the first page of the file with the given
// flags, among the pages the log bucket uses (a page is found by its
// header; free pages keep theirs, so the one taken is the last).
func pageOf(t *testing.T, data []byte, flags uint16) int {
	return pageWith(t, data, flags, 0)
}

// pageWith is pageOf for the first page of at least minCount elements
// (a leaf of the log or of the claim index, which Open does not read).
func pageWith(t *testing.T, data []byte, flags uint16, minCount int) int {
	t.Helper()
	const ps = 4096
	found := -1
	for id := 2; id*ps+16 <= len(data); id++ {
		h := data[id*ps:]
		if binary.LittleEndian.Uint64(h) == uint64(id) && binary.LittleEndian.Uint16(h[8:]) == flags && int(binary.LittleEndian.Uint16(h[10:])) >= minCount {
			found = id
			if minCount > 0 {
				break
			}
		}
	}
	if found < 0 {
		t.Fatalf("no page with flags %#x", flags)
	}
	return found
}

// TestDamagedFile checks that a damaged archive file is a DamagedError,
// from Open or from the transaction that meets the damage, never a
// signal or a panic.
// inlinePage returns the offset in the file at path of the page of the
// inline bucket named key inside the index bucket, whose root must be a
// leaf: the bucket header (root page 0, a sequence) follows the key in
// that leaf, and the inline page follows the header.
func inlinePage(t *testing.T, path, key string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var root int
	if err := db.View(func(tx *bolt.Tx) error {
		root = int(tx.Bucket([]byte("index")).Root())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	page := data[root*4096 : (root+1)*4096]
	at := bytes.Index(page, append([]byte(key), make([]byte, 8)...))
	if at < 0 {
		t.Fatalf("no inline bucket %q in page %d, the index bucket's root", key, root)
	}
	return root*4096 + at + len(key) + 16
}

func TestDamagedFile(t *testing.T) {
	pristine := damageLog(t, 3000)
	data, err := os.ReadFile(pristine)
	if err != nil {
		t.Fatal(err)
	}
	if problems, err := readAll(pristine); err != nil || len(problems) > 0 {
		t.Fatalf("the undamaged file: got %v, %v, want no problem", problems, err)
	}
	inline := inlinePage(t, pristine, "predicate")
	tests := []struct {
		name   string
		damage func(b []byte) []byte
		want   string // in the error or a problem
	}{
		{"ErrTruncated/8192", func(b []byte) []byte { return b[:8192] }, "it was cut short"},
		{"ErrTruncated/Half", func(b []byte) []byte { return b[:len(b)/2/4096*4096] }, "it was cut short"},
		{"ErrTruncated/OddSize", func(b []byte) []byte { return b[:len(b)/2+100] }, "it was cut short"},
		// Found by Open, which reads the header of every page in the trees.
		{"ErrFlipped/LeafFlags", func(b []byte) []byte { b[pageWith(t, b, 0x02, 10)*4096+8] ^= 0x40; return b }, "not those of a branch or leaf page"},
		{"ErrFlipped/BranchFlags", func(b []byte) []byte { b[pageOf(t, b, 0x01)*4096+8] ^= 0x40; return b }, "not those of a branch or leaf page"},
		{"ErrFlipped/FreelistFlags", func(b []byte) []byte { b[pageOf(t, b, 0x10)*4096+8] ^= 0x40; return b }, "freelist page"},
		{"ErrFlipped/BranchCount", func(b []byte) []byte { b[pageOf(t, b, 0x01)*4096+11] ^= 0x40; return b }, "more than fit in it"},
		{"ErrFlipped/LeafCount", func(b []byte) []byte { b[pageOf(t, b, 0x02)*4096+11] ^= 0x40; return b }, "more than fit in it"},
		{"ErrFlipped/LeafID", func(b []byte) []byte { b[pageWith(t, b, 0x02, 10)*4096] ^= 0x01; return b }, "says it is page"},
		{"ErrFlipped/RootLeafID", func(b []byte) []byte { b[pageOf(t, b, 0x02)*4096] ^= 0x01; return b }, "says it is page"},
		// An inline bucket's page, inside its parent's leaf: bbolt reads
		// it unchecked, and a damaged one sent a cursor round memory
		// that was not the file's (a hang, or a fault, by the layout of
		// the address space).
		{"ErrFlipped/InlineFlags", func(b []byte) []byte { b[inline+8] ^= 0x40; return b }, `the inline bucket "predicate" has the flags`},
		{"ErrFlipped/InlineCount", func(b []byte) []byte { b[inline+11] ^= 0x40; return b }, "more than fit in it"},
		// Both meta pages garbled past the magic number: a damaged
		// archive, not "not a Sillok archive".
		{"ErrFlippedMeta/Both", func(b []byte) []byte { b[32] ^= 0x40; b[4096+32] ^= 0x40; return b }, "both meta pages are damaged"},
		{"ErrZeroedMeta/0", func(b []byte) []byte { clear(b[:4096]); return b }, "meta page 0 is not valid"},
		{"ErrZeroedMeta/1", func(b []byte) []byte { clear(b[4096:8192]); return b }, "meta page 1 is not valid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "damaged.db")
			if err := os.WriteFile(path, tt.damage(append([]byte(nil), data...)), 0o644); err != nil {
				t.Fatal(err)
			}
			problems, err := readAll(path)
			var found string
			var d *events.DamagedError
			switch {
			case errors.As(err, &d):
				if !errors.Is(err, events.ErrDamaged) || d.Path != path {
					t.Errorf("got %#v, want a DamagedError of %s that is ErrDamaged", d, path)
				}
				found = err.Error()
			case err != nil:
				t.Fatalf("got %v (%T), want a DamagedError", err, err)
			case len(problems) == 0:
				t.Fatalf("got no error and no problem, want %q", tt.want)
			default:
				found = problems[0].Message
			}
			if !strings.Contains(found, tt.want) {
				t.Errorf("got %q, want it to say %q", found, tt.want)
			}
		})
	}
}

// TestDamagedWhileOpen damages the file under an open log, past Open's
// checks: the transaction that meets the damage returns a DamagedError,
// from a fault reading the mapped file or from bbolt's own page checks.
func TestDamagedWhileOpen(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, f *os.File, data []byte, leaf int)
		want   string
	}{
		{"ErrTruncated", func(t *testing.T, f *os.File, data []byte, leaf int) {
			if err := f.Truncate(8192); err != nil {
				t.Fatal(err)
			}
		}, "could not be read"},
		{"ErrFlippedLeafFlags", func(t *testing.T, f *os.File, data []byte, leaf int) {
			off := int64(leaf*4096 + 8)
			if _, err := f.WriteAt([]byte{data[off] ^ 0x40}, off); err != nil {
				t.Fatal(err)
			}
		}, "unexpected type/flags"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := damageLog(t, 3000)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			leaf := liveLeaf(t, path)
			log, err := events.Open(path, events.Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer log.Close()
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			tt.damage(t, f, data, leaf)
			f.Close()
			err = log.View(func(tx *events.Tx) error {
				return tx.Scan(1, 0, func(events.Event) error { return nil })
			})
			var d *events.DamagedError
			if !errors.As(err, &d) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want a DamagedError that says %q", err, tt.want)
			}
		})
	}
}

// TestScanMalformedKey checks that a log key that is not a revision stops
// a scan with a DamagedError, not an index panic.
func TestScanMalformedKey(t *testing.T) {
	log := eventstest.MustOpenLog(t)
	var batch []events.Payload
	for i := range 300 {
		batch = append(batch, eventstest.Predicate(fmt.Sprintf("p%d", i), events.KindText))
	}
	if _, err := log.Append("t", batch...); err != nil {
		t.Fatal(err)
	}
	err := log.Update(func(tx *events.Tx) error {
		// 7 bytes, between revisions 255 and 256.
		return tx.KV().Bucket([]byte("log")).Put([]byte{0, 0, 0, 0, 0, 0, 1}, []byte("x"))
	})
	if err != nil {
		t.Fatal(err)
	}
	err = log.View(func(tx *events.Tx) error {
		return tx.Scan(1, 0, func(events.Event) error { return nil })
	})
	if !errors.Is(err, events.ErrDamaged) || !strings.Contains(err.Error(), "not a revision") {
		t.Errorf("Scan over a malformed key: got %v, want a DamagedError", err)
	}
}

// liveLeaf returns the id of a leaf page of the log of at least 10
// elements that is in use (not free, as a stale copy may be), asking
// bbolt.
func liveLeaf(t *testing.T, path string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	found := -1
	err = db.Update(func(tx *bolt.Tx) error {
		for id := 2; found < 0; id++ {
			info, err := tx.Page(id)
			if err != nil {
				return err
			}
			if info == nil {
				return fmt.Errorf("no live leaf page of 10 elements")
			}
			if info.Type == "leaf" && info.Count >= 10 && isLogLeaf(data[id*4096:]) {
				found = id
			}
		}
		return errors.New("read only") // roll back
	})
	if found < 0 {
		t.Fatal(err)
	}
	return found
}

// isLogLeaf reports whether the leaf page p holds log records: its first
// key is a revision (8 bytes) and its value starts with the record
// version 1.
func isLogLeaf(p []byte) bool {
	pos, ksize := int(binary.LittleEndian.Uint32(p[20:])), int(binary.LittleEndian.Uint32(p[24:]))
	at := 16 + pos
	return ksize == 8 && at+9 <= len(p) && p[at] == 0 && p[at+8] == 1
}
