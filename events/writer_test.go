package events

import (
	"errors"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// withBucket runs fn with a bucket of a new bbolt file in a write
// transaction that is rolled back.
func withBucket(t *testing.T, fn func(b *bolt.Bucket)) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "w.db"), 0o600, &bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin(true)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	b, err := tx.CreateBucket([]byte("b"))
	if err != nil {
		t.Fatal(err)
	}
	fn(b)
}

func TestWriterPuts(t *testing.T) {
	for _, n := range []int{0, 1, writerChunk - 1, writerChunk, 5*writerChunk + 3} {
		withBucket(t, func(b *bolt.Bucket) {
			var w writer
			for i := range n {
				w.queue(b, revKey(Revision(i+1)), []byte{byte(i)})
				if i == 3*writerChunk {
					if err := w.sync(); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := w.sync(); err != nil {
				t.Fatal(err)
			}
			if w.work != nil {
				t.Error("the goroutine is still running after sync")
			}
			got := 0
			b.ForEach(func(k, v []byte) error { got++; return nil })
			if got != n {
				t.Errorf("%d puts queued, %d keys stored", n, got)
			}
		})
	}
}

func TestWriterError(t *testing.T) {
	withBucket(t, func(b *bolt.Bucket) {
		var w writer
		for i := range 3 * writerChunk {
			key := revKey(Revision(i + 1))
			if i == writerChunk+5 {
				key = nil // refused by bbolt
			}
			w.queue(b, key, []byte("v"))
		}
		err := w.sync()
		if !errors.Is(err, bolterrors.ErrKeyRequired) {
			t.Fatalf("sync: got %v, want ErrKeyRequired", err)
		}
		if err2 := w.sync(); err2 != err {
			t.Errorf("second sync: got %v, want the same error", err2)
		}
	})
}

func TestWriterPanic(t *testing.T) {
	withBucket(t, func(b *bolt.Bucket) {
		var w writer
		for i := range 3 * writerChunk {
			bk := b
			if i == 2 {
				bk = nil // Put on a nil bucket panics, in the goroutine
			}
			w.queue(bk, revKey(Revision(i+1)), []byte("v"))
		}
		func() {
			defer func() {
				if r := recover(); r == nil {
					t.Error("sync did not re-raise the panic of a put")
				}
			}()
			w.sync()
		}()
		if err := w.sync(); err == nil {
			t.Error("sync after a panic: no error")
		}
	})
	withBucket(t, func(b *bolt.Bucket) {
		var w writer
		for i := range 3 * writerChunk {
			bk := b
			if i == 2 {
				bk = nil
			}
			w.queue(bk, revKey(Revision(i+1)), []byte("v"))
		}
		if w.stop() == nil {
			t.Error("stop did not return the panic of a put")
		}
	})
}
