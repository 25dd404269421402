// Package kvtest is the conformance suite of the kv interface: every
// engine runs it, and passes it, so the event log and the read model
// behave the same on each.
//
// # Basics
//
//	func TestConformance(t *testing.T) {
//		kvtest.Run(t, func(t *testing.T) kv.DB { return openEmptyStore(t) })
//	}
//
// open must return an empty store and close it at t's cleanup. Engines
// whose store two handles can open at once (two processes on one
// PostgreSQL database) also run RunTwoHandles.
//
// # Caveats
//
// The suite asserts bbolt's behaviour wherever kv leaves it implicit (a
// cursor stays on the last key it met when it runs off either end), since
// that is what the code above kv was written against.
package kvtest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/sillok/sillok/events/kv"
)

// Run runs the conformance suite, each subtest on a fresh store from open.
func Run(t *testing.T, open func(t *testing.T) kv.DB) {
	tests := []struct {
		name string
		fn   func(t *testing.T, db kv.DB)
	}{
		{"KeyOrder", testKeyOrder},
		{"GetPutDelete", testGetPutDelete},
		{"EmptyValue", testEmptyValue},
		{"KeyRequired", testKeyRequired},
		{"ValueTooLarge", testValueTooLarge},
		{"NestedBuckets", testNestedBuckets},
		{"BucketErrors", testBucketErrors},
		{"DeleteBucketRecursive", testDeleteBucketRecursive},
		{"CursorEdges", testCursorEdges},
		{"CursorEmptyBucket", testCursorEmptyBucket},
		{"CursorDelete", testCursorDelete},
		{"KeyCursor", testKeyCursor},
		{"Walk10000", testWalk10000},
		{"ReadYourWrites", testReadYourWrites},
		{"GetAfterWrites", testGetAfterWrites},
		{"Rollback", testRollback},
		{"RollbackOnPanic", testRollbackOnPanic},
		{"ReadOnly", testReadOnly},
		{"Snapshot", testSnapshot},
		{"NextSequence", testNextSequence},
		{"LargeValues", testLargeValues},
		{"Serialization", testSerialization},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

// RunTwoHandles runs the tests of two handles on one store, as two
// processes have: open2 returns both, on a fresh store.
func RunTwoHandles(t *testing.T, open2 func(t *testing.T) (kv.DB, kv.DB)) {
	t.Run("Serialization", func(t *testing.T) {
		a, b := open2(t)
		serialize(t, []kv.DB{a, b}, 20)
	})
	t.Run("SeeEachOther", func(t *testing.T) {
		a, b := open2(t)
		for i, pair := range [][2]kv.DB{{a, b}, {b, a}, {a, b}} {
			w, r := pair[0], pair[1]
			val := []byte(fmt.Sprint("v", i))
			mustUpdate(t, w, func(tx kv.Tx) error {
				bk, err := tx.CreateBucketIfNotExists([]byte("shared"))
				if err != nil {
					return err
				}
				return bk.Put([]byte("k"), val)
			})
			mustView(t, r, func(tx kv.Tx) error {
				bk := tx.Bucket([]byte("shared"))
				if bk == nil {
					t.Fatalf("round %d: bucket missing on the other handle", i)
				}
				if got := bk.Get([]byte("k")); !bytes.Equal(got, val) {
					t.Errorf("round %d: other handle reads %q, want %q", i, got, val)
				}
				return nil
			})
		}
	})
}

func mustUpdate(t testing.TB, db kv.DB, fn func(kv.Tx) error) {
	t.Helper()
	if err := db.Update(fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func mustView(t testing.TB, db kv.DB, fn func(kv.Tx) error) {
	t.Helper()
	if err := db.View(fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// put writes pairs k, v, k, v… into the top-level bucket name.
func put(t testing.TB, db kv.DB, name string, kvs ...[]byte) {
	t.Helper()
	mustUpdate(t, db, func(tx kv.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte(name))
		if err != nil {
			return err
		}
		for i := 0; i < len(kvs); i += 2 {
			if err := b.Put(kvs[i], kvs[i+1]); err != nil {
				return err
			}
		}
		return nil
	})
}

// pair is a key and value a walk met (value nil for a nested bucket).
type pair struct{ k, v []byte }

func (p pair) String() string {
	if p.v == nil {
		return fmt.Sprintf("%q(bucket)", p.k)
	}
	return fmt.Sprintf("%q=%q", p.k, p.v)
}

// walk returns every pair of b in order, and the same in reverse.
func walk(b kv.Bucket) (fwd, back []pair) {
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		fwd = append(fwd, pair{slices.Clone(k), cloneValue(v)})
	}
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		back = append(back, pair{slices.Clone(k), cloneValue(v)})
	}
	return fwd, back
}

// cloneValue copies v, keeping nil nil and empty non-nil.
func cloneValue(v []byte) []byte {
	if v == nil {
		return nil
	}
	return append([]byte{}, v...)
}

func keysOf(ps []pair) [][]byte {
	var ks [][]byte
	for _, p := range ps {
		ks = append(ks, p.k)
	}
	return ks
}

func testKeyOrder(t *testing.T, db kv.DB) {
	long := bytes.Repeat([]byte("a"), 1000)
	keys := [][]byte{
		{0x00}, {0x00, 0x00}, {0x00, 0x01}, {0x01}, {0x7f}, {0x80}, {0xfe}, {0xff}, {0xff, 0x00}, {0xff, 0xff},
		[]byte("a"), []byte("a\x00"), []byte("a\x00\x00"), []byte("a\x01"), []byte("a\xff"), []byte("aa"), []byte("ab"),
		[]byte("b"), []byte("B"), long, append(slices.Clone(long), 0), append(slices.Clone(long), 0xff), long[:999],
	}
	want := slices.Clone(keys)
	slices.SortFunc(want, bytes.Compare)
	shuffled := slices.Clone(keys)
	rand.New(rand.NewSource(1)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	var kvs [][]byte
	for _, k := range shuffled {
		kvs = append(kvs, k, k)
	}
	check := func(t *testing.T, b kv.Bucket) {
		t.Helper()
		fwd, back := walk(b)
		if got := keysOf(fwd); !slices.EqualFunc(got, want, bytes.Equal) {
			t.Errorf("forward walk:\n got %q\nwant %q", got, want)
		}
		rev := slices.Clone(want)
		slices.Reverse(rev)
		if got := keysOf(back); !slices.EqualFunc(got, rev, bytes.Equal) {
			t.Errorf("backward walk:\n got %q\nwant %q", got, rev)
		}
		for _, p := range fwd {
			if !bytes.Equal(p.k, p.v) {
				t.Errorf("key %q holds %q", p.k, p.v)
			}
		}
		// Seek lands on each key, and just after each key on the next.
		c := b.Cursor()
		for i, k := range want {
			if got, _ := c.Seek(k); !bytes.Equal(got, k) {
				t.Errorf("Seek(%q) = %q", k, got)
			}
			next := []byte(nil)
			if i+1 < len(want) {
				next = want[i+1]
			}
			if got, _ := c.Seek(append(slices.Clone(k), 0)); !bytes.Equal(got, next) {
				t.Errorf("Seek(%q+0x00) = %q, want %q", k, got, next)
			}
		}
	}
	mustUpdate(t, db, func(tx kv.Tx) error {
		b, err := tx.CreateBucket([]byte("order"))
		if err != nil {
			return err
		}
		for i := 0; i < len(kvs); i += 2 {
			if err := b.Put(kvs[i], kvs[i+1]); err != nil {
				return err
			}
		}
		t.Run("InTheWriteTx", func(t *testing.T) { check(t, b) })
		return nil
	})
	mustView(t, db, func(tx kv.Tx) error {
		check(t, tx.Bucket([]byte("order")))
		return nil
	})
}

func testGetPutDelete(t *testing.T, db kv.DB) {
	mustUpdate(t, db, func(tx kv.Tx) error {
		b, err := tx.CreateBucket([]byte("b"))
		if err != nil {
			return err
		}
		for _, kv := range [][2]string{{"k1", "one"}, {"k2", "two"}, {"k3", "three"}, {"k2", "TWO"}} {
			if err := b.Put([]byte(kv[0]), []byte(kv[1])); err != nil {
				return err
			}
		}
		if got := b.Get([]byte("k2")); string(got) != "TWO" {
			t.Errorf("Get(k2) after overwrite in the tx = %q, want TWO", got)
		}
		if err := b.Delete([]byte("k3")); err != nil {
			return err
		}
		if got := b.Get([]byte("k3")); got != nil {
			t.Errorf("Get(k3) after Delete in the tx = %q, want nil", got)
		}
		if err := b.Delete([]byte("absent")); err != nil {
			t.Errorf("Delete(absent) = %v, want nil", err)
		}
		return nil
	})
	mustUpdate(t, db, func(tx kv.Tx) error {
		b := tx.Bucket([]byte("b"))
		if got := b.Get([]byte("k1")); string(got) != "one" {
			t.Errorf("Get(k1) = %q, want one", got)
		}
		if got := b.Get([]byte("k2")); string(got) != "TWO" {
			t.Errorf("Get(k2) = %q, want TWO", got)
		}
		if got := b.Get([]byte("k3")); got != nil {
			t.Errorf("Get(k3) = %q, want nil", got)
		}
		if got := b.Get([]byte("nope")); got != nil {
			t.Errorf("Get(nope) = %q, want nil", got)
		}
		// A key deleted then written again in one tx holds the new value.
		if err := b.Delete([]byte("k1")); err != nil {
			return err
		}
		if err := b.Put([]byte("k1"), []byte("uno")); err != nil {
			return err
		}
		// And one written then deleted is gone.
		if err := b.Put([]byte("k4"), []byte("four")); err != nil {
			return err
		}
		return b.Delete([]byte("k4"))
	})
	mustView(t, db, func(tx kv.Tx) error {
		b := tx.Bucket([]byte("b"))
		fwd, _ := walk(b)
		if got, want := fmt.Sprint(fwd), `["k1"="uno" "k2"="TWO"]`; got != want {
			t.Errorf("bucket holds %s, want %s", got, want)
		}
		return nil
	})
}

func testEmptyValue(t *testing.T, db kv.DB) {
	check := func(t *testing.T, b kv.Bucket) {
		t.Helper()
		for _, k := range []string{"empty"} {
			if got := b.Get([]byte(k)); got == nil || len(got) != 0 {
				t.Errorf("Get(%s) = %#v, want a non-nil empty slice", k, got)
			}
		}
		fwd, _ := walk(b)
		if got, want := fmt.Sprint(fwd), `["empty"=""]`; got != want {
			t.Errorf("walk = %s, want %s (empty values, not buckets)", got, want)
		}
		if b.Bucket([]byte("empty")) != nil {
			t.Errorf("an empty value is a bucket")
		}
	}
	mustUpdate(t, db, func(tx kv.Tx) error {
		b, err := tx.CreateBucket([]byte("b"))
		if err != nil {
			return err
		}
		if err := b.Put([]byte("empty"), []byte{}); err != nil {
			return err
		}
		t.Run("InTheWriteTx", func(t *testing.T) { check(t, b) })
		return nil
	})
	mustView(t, db, func(tx kv.Tx) error {
		check(t, tx.Bucket([]byte("b")))
		return nil
	})
}

func testKeyRequired(t *testing.T, db kv.DB) {
	mustUpdate(t, db, func(tx kv.Tx) error {
		b, err := tx.CreateBucket([]byte("b"))
		if err != nil {
			return err
		}
		if err := b.Put(nil, []byte("v")); !errors.Is(err, kv.ErrKeyRequired) {
			t.Errorf("Put(nil key) = %v, want ErrKeyRequired", err)
		}
		if err := b.Put([]byte{}, []byte("v")); !errors.Is(err, kv.ErrKeyRequired) {
			t.Errorf("Put(empty key) = %v, want ErrKeyRequired", err)
		}
		if _, err := tx.CreateBucket(nil); err == nil {
			t.Errorf("CreateBucket(nil) succeeded")
		}
		return nil
	})
}

func testValueTooLarge(t *testing.T, db kv.DB) {
	huge, release := hugeSlice(t, kv.MaxValueSize+1)
	defer release()
	mustUpdate(t, db, func(tx kv.Tx) error {
		b, err := tx.CreateBucket([]byte("b"))
		if err != nil {
			return err
		}
		if err := b.Put([]byte("k"), huge); !errors.Is(err, kv.ErrValueTooLarge) {
			t.Errorf("Put(value of %d bytes) = %v, want ErrValueTooLarge", len(huge), err)
		}
		return nil
	})
}

func testNestedBuckets(t *testing.T, db kv.DB) {
	check := func(t *testing.T, tx kv.Tx) {
		t.Helper()
		b := tx.Bucket([]byte("top"))
		if b == nil {
			t.Fatal("Bucket(top) = nil")
		}
		if got := b.Get([]byte("sub")); got != nil {
			t.Errorf("Get(sub), a bucket, = %q, want nil", got)
		}
		fwd, back := walk(b)
		if got, want := fmt.Sprint(fwd), `["a"="1" "sub"(bucket) "sub2"(bucket) "z"="26"]`; got != want {
			t.Errorf("walk = %s, want %s", got, want)
		}
		if got, want := fmt.Sprint(back), `["z"="26" "sub2"(bucket) "sub"(bucket) "a"="1"]`; got != want {
			t.Errorf("backward walk = %s, want %s", got, want)
		}
		var each []pair
		if err := b.ForEach(func(k, v []byte) error {
			each = append(each, pair{slices.Clone(k), cloneValue(v)})
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if got, want := fmt.Sprint(each), fmt.Sprint(fwd); got != want {
			t.Errorf("ForEach = %s, want %s", got, want)
		}
		sub := b.Bucket([]byte("sub"))
		if sub == nil {
			t.Fatal("Bucket(sub) = nil")
		}
		if got := sub.Get([]byte("k")); string(got) != "inner" {
			t.Errorf("sub Get(k) = %q, want inner", got)
		}
		deep := sub.Bucket([]byte("deep"))
		if deep == nil || string(deep.Get([]byte("k"))) != "deepest" {
			t.Errorf("sub/deep does not hold k=deepest")
		}
		if b.Bucket([]byte("a")) != nil {
			t.Errorf("Bucket(a), a value, is not nil")
		}
		if b.Bucket([]byte("missing")) != nil || tx.Bucket([]byte("missing")) != nil {
			t.Errorf("a missing bucket is not nil")
		}
		// A nested bucket's keys are its own: the top has no key k.
		if got := b.Get([]byte("k")); got != nil {
			t.Errorf("top Get(k) = %q, want nil", got)
		}
	}
	mustUpdate(t, db, func(tx kv.Tx) error {
		b, err := tx.CreateBucket([]byte("top"))
		if err != nil {
			return err
		}
		for _, k := range []string{"z", "a"} {
			if err := b.Put([]byte(k), []byte(map[string]string{"a": "1", "z": "26"}[k])); err != nil {
				return err
			}
		}
		sub, err := b.CreateBucket([]byte("sub"))
		if err != nil {
			return err
		}
		if _, err := b.CreateBucketIfNotExists([]byte("sub2")); err != nil {
			return err
		}
		if err := sub.Put([]byte("k"), []byte("inner")); err != nil {
			return err
		}
		deep, err := sub.CreateBucket([]byte("deep"))
		if err != nil {
			return err
		}
		if err := deep.Put([]byte("k"), []byte("deepest")); err != nil {
			return err
		}
		t.Run("InTheWriteTx", func(t *testing.T) { check(t, tx) })
		return nil
	})
	mustView(t, db, func(tx kv.Tx) error {
		check(t, tx)
		return nil
	})
	// CreateBucketIfNotExists of an existing bucket gives it, contents
	// and all.
	mustUpdate(t, db, func(tx kv.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("top"))
		if err != nil {
			return err
		}
		sub, err := b.CreateBucketIfNotExists([]byte("sub"))
		if err != nil {
			return err
		}
		if got := sub.Get([]byte("k")); string(got) != "inner" {
			t.Errorf("CreateBucketIfNotExists(sub) holds k=%q, want inner", got)
		}
		return nil
	})
}

func testBucketErrors(t *testing.T, db kv.DB) {
	setup := func(tx kv.Tx) (kv.Bucket, error) {
		b, err := tx.CreateBucketIfNotExists([]byte("top"))
		if err != nil {
			return nil, err
		}
		if err := b.Put([]byte("value"), []byte("v")); err != nil {
			return nil, err
		}
		if _, err := b.CreateBucketIfNotExists([]byte("sub")); err != nil {
			return nil, err
		}
		return b, nil
	}
	checks := func(t *testing.T, tx kv.Tx, b kv.Bucket) {
		t.Helper()
		for _, c := range []struct {
			name string
			err  error
			want error
		}{
			{"Put on a bucket", b.Put([]byte("sub"), []byte("x")), kv.ErrIncompatible},
			{"Delete of a bucket", b.Delete([]byte("sub")), kv.ErrIncompatible},
			{"CreateBucket on a value", second(b.CreateBucket([]byte("value"))), kv.ErrIncompatible},
			{"CreateBucketIfNotExists on a value", second(b.CreateBucketIfNotExists([]byte("value"))), kv.ErrIncompatible},
			{"CreateBucket of an existing bucket", second(b.CreateBucket([]byte("sub"))), kv.ErrBucketExists},
			{"top-level CreateBucket of an existing bucket", second(tx.CreateBucket([]byte("top"))), kv.ErrBucketExists},
			{"DeleteBucket of a missing bucket", b.DeleteBucket([]byte("missing")), kv.ErrBucketNotFound},
			{"top-level DeleteBucket of a missing bucket", tx.DeleteBucket([]byte("missing")), kv.ErrBucketNotFound},
			{"DeleteBucket of a value", b.DeleteBucket([]byte("value")), kv.ErrIncompatible},
		} {
			if !errors.Is(c.err, c.want) {
				t.Errorf("%s: %v, want %v", c.name, c.err, c.want)
			}
		}
		if got := b.Get([]byte("value")); string(got) != "v" {
			t.Errorf("after the refused calls value = %q, want v", got)
		}
		if b.Bucket([]byte("sub")) == nil {
			t.Errorf("after the refused calls sub is gone")
		}
	}
	mustUpdate(t, db, func(tx kv.Tx) error {
		b, err := setup(tx)
		if err != nil {
			return err
		}
		t.Run("InTheCreatingTx", func(t *testing.T) { checks(t, tx, b) })
		return nil
	})
	mustUpdate(t, db, func(tx kv.Tx) error {
		checks(t, tx, tx.Bucket([]byte("top")))
		return nil
	})
}

func second(_ kv.Bucket, err error) error { return err }

func testDeleteBucketRecursive(t *testing.T, db kv.DB) {
	build := func(tx kv.Tx) error {
		top, err := tx.CreateBucketIfNotExists([]byte("top"))
		if err != nil {
			return err
		}
		if err := top.Put([]byte("keep"), []byte("k")); err != nil {
			return err
		}
		b := top
		for _, name := range []string{"a", "b", "c"} {
			if b, err = b.CreateBucket([]byte(name)); err != nil {
				return err
			}
			if err := b.Put([]byte("x"), []byte(name)); err != nil {
				return err
			}
			if _, err := b.NextSequence(); err != nil {
				return err
			}
		}
		// A sibling whose name starts like a's must survive a's delete.
		ab, err := top.CreateBucket([]byte("ab"))
		if err != nil {
			return err
		}
		return ab.Put([]byte("x"), []byte("ab"))
	}
	check := func(t *testing.T, tx kv.Tx) {
		t.Helper()
		top := tx.Bucket([]byte("top"))
		if top.Bucket([]byte("a")) != nil {
			t.Errorf("a survived its DeleteBucket")
		}
		fwd, _ := walk(top)
		if got, want := fmt.Sprint(fwd), `["ab"(bucket) "keep"="k"]`; got != want {
			t.Errorf("top holds %s, want %s", got, want)
		}
		if got := top.Bucket([]byte("ab")).Get([]byte("x")); string(got) != "ab" {
			t.Errorf("sibling ab holds x=%q, want ab", got)
		}
	}
	recreate := func(t *testing.T, tx kv.Tx) {
		t.Helper()
		a, err := tx.Bucket([]byte("top")).CreateBucket([]byte("a"))
		if err != nil {
			t.Fatalf("recreating a: %v", err)
		}
		fwd, _ := walk(a)
		if len(fwd) != 0 || a.Get([]byte("x")) != nil || a.Bucket([]byte("b")) != nil {
			t.Errorf("a recreated holds %s", fwd)
		}
		if n, err := a.NextSequence(); err != nil || n != 1 {
			t.Errorf("a recreated: NextSequence = %d, %v, want 1", n, err)
		}
	}
	t.Run("AcrossTransactions", func(t *testing.T) {
		mustUpdate(t, db, build)
		mustUpdate(t, db, func(tx kv.Tx) error { return tx.Bucket([]byte("top")).DeleteBucket([]byte("a")) })
		mustView(t, db, func(tx kv.Tx) error { check(t, tx); return nil })
		mustUpdate(t, db, func(tx kv.Tx) error { recreate(t, tx); return nil })
		mustUpdate(t, db, func(tx kv.Tx) error { return tx.DeleteBucket([]byte("top")) })
		mustView(t, db, func(tx kv.Tx) error {
			if tx.Bucket([]byte("top")) != nil {
				t.Errorf("top survived its DeleteBucket")
			}
			return nil
		})
	})
	t.Run("InOneTransaction", func(t *testing.T) {
		mustUpdate(t, db, func(tx kv.Tx) error {
			if err := build(tx); err != nil {
				return err
			}
			if err := tx.Bucket([]byte("top")).DeleteBucket([]byte("a")); err != nil {
				return err
			}
			check(t, tx)
			recreate(t, tx)
			return nil
		})
		mustView(t, db, func(tx kv.Tx) error {
			a := tx.Bucket([]byte("top")).Bucket([]byte("a"))
			if a == nil || a.Get([]byte("x")) != nil || a.Bucket([]byte("b")) != nil {
				t.Errorf("after commit, a is not the empty bucket recreated")
			}
			return nil
		})
	})
}

// move is one cursor call and the key it must return ("" for nil).
type move struct {
	call, arg, want string
}

func runMoves(t *testing.T, c kv.Cursor, moves []move) {
	t.Helper()
	for i, m := range moves {
		var k []byte
		switch m.call {
		case "First":
			k, _ = c.First()
		case "Last":
			k, _ = c.Last()
		case "Next":
			k, _ = c.Next()
		case "Prev":
			k, _ = c.Prev()
		case "Seek":
			k, _ = c.Seek([]byte(m.arg))
		}
		if string(k) != m.want {
			t.Errorf("move %d, %s(%s) = %q, want %q", i, m.call, m.arg, k, m.want)
		}
	}
}

func testCursorEdges(t *testing.T, db kv.DB) {
	put(t, db, "b", []byte("b"), []byte("2"), []byte("d"), []byte("4"), []byte("f"), []byte("6"))
	cases := []struct {
		name  string
		moves []move
	}{
		{"NextAfterEnd", []move{{"Last", "", "f"}, {"Next", "", ""}, {"Next", "", ""}, {"Prev", "", "d"}}},
		{"PrevBeforeStart", []move{{"First", "", "b"}, {"Prev", "", ""}, {"Prev", "", ""}, {"Next", "", "d"}}},
		{"WalkOffTheEndAndBack", []move{{"First", "", "b"}, {"Next", "", "d"}, {"Next", "", "f"}, {"Next", "", ""}, {"Prev", "", "d"}, {"Prev", "", "b"}, {"Prev", "", ""}, {"Next", "", "d"}}},
		{"SeekExact", []move{{"Seek", "d", "d"}, {"Prev", "", "b"}, {"Next", "", "d"}, {"Next", "", "f"}}},
		{"SeekBetween", []move{{"Seek", "c", "d"}, {"Next", "", "f"}, {"Seek", "c", "d"}, {"Prev", "", "b"}}},
		{"SeekBeforeFirst", []move{{"Seek", "a", "b"}, {"Prev", "", ""}, {"Next", "", "d"}}},
		{"SeekEmptyKey", []move{{"Seek", "", "b"}}},
		{"SeekPastEnd", []move{{"Seek", "g", ""}, {"Prev", "", "f"}, {"Prev", "", "d"}}},
		{"SeekPastEndNext", []move{{"Seek", "g", ""}, {"Next", "", ""}, {"Prev", "", "f"}}},
		{"Turns", []move{{"First", "", "b"}, {"Next", "", "d"}, {"Prev", "", "b"}, {"Next", "", "d"}, {"Next", "", "f"}, {"Prev", "", "d"}, {"Last", "", "f"}, {"Prev", "", "d"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mustView(t, db, func(tx kv.Tx) error {
				runMoves(t, tx.Bucket([]byte("b")).Cursor(), tc.moves)
				return nil
			})
			t.Run("InAWriteTx", func(t *testing.T) {
				mustUpdate(t, db, func(tx kv.Tx) error {
					runMoves(t, tx.Bucket([]byte("b")).Cursor(), tc.moves)
					return nil
				})
			})
		})
	}
}

func testCursorEmptyBucket(t *testing.T, db kv.DB) {
	mustUpdate(t, db, func(tx kv.Tx) error {
		_, err := tx.CreateBucket([]byte("empty"))
		return err
	})
	mustView(t, db, func(tx kv.Tx) error {
		c := tx.Bucket([]byte("empty")).Cursor()
		runMoves(t, c, []move{{"First", "", ""}, {"Next", "", ""}, {"Prev", "", ""}, {"Last", "", ""}, {"Prev", "", ""}, {"Seek", "a", ""}, {"Prev", "", ""}})
		return nil
	})
}

func numKey(i int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(i)) }

func testCursorDelete(t *testing.T, db kv.DB) {
	const n = 100
	var kvs [][]byte
	for i := range n {
		kvs = append(kvs, numKey(i), []byte(fmt.Sprint(i)))
	}
	put(t, db, "b", kvs...)
	// After Cursor.Delete the walk goes on with Seek of the deleted key,
	// which lands on the key after it: bbolt's Next may skip that key.
	mustUpdate(t, db, func(tx kv.Tx) error {
		b := tx.Bucket([]byte("b"))
		if _, err := b.CreateBucket([]byte("sub")); err != nil { // sorts after every numKey
			return err
		}
		c := b.Cursor()
		seen := 0
		for k, v := c.First(); k != nil; {
			if v == nil {
				if err := c.Delete(); !errors.Is(err, kv.ErrIncompatible) {
					t.Errorf("Cursor.Delete on a bucket = %v, want ErrIncompatible", err)
				}
				k, v = c.Next()
				continue
			}
			seen++
			if binary.BigEndian.Uint32(k)%2 == 0 {
				if err := c.Delete(); err != nil {
					return err
				}
				k, v = c.Seek(k)
				continue
			}
			k, v = c.Next()
		}
		if seen != n {
			t.Errorf("walk deleting every even key met %d keys, want %d", seen, n)
		}
		fwd, _ := walk(b)
		if len(fwd) != n/2+1 {
			t.Errorf("after deleting the even keys %d keys remain, want %d", len(fwd), n/2+1)
		}
		return nil
	})
	mustView(t, db, func(tx kv.Tx) error {
		b := tx.Bucket([]byte("b"))
		for i := range n {
			got := b.Get(numKey(i))
			if (got == nil) != (i%2 == 0) {
				t.Errorf("key %d: Get = %q after deleting even keys", i, got)
			}
		}
		return nil
	})
	// Deleting every key of a walk, Seeking after each, empties the bucket;
	// so does deleting the first key until there is none.
	mustUpdate(t, db, func(tx kv.Tx) error {
		b := tx.Bucket([]byte("b"))
		if err := b.DeleteBucket([]byte("sub")); err != nil {
			return err
		}
		c := b.Cursor()
		for k, _ := c.Seek(numKey(n / 2)); k != nil; k, _ = c.Seek(k) {
			if err := c.Delete(); err != nil {
				return err
			}
		}
		if k, _ := c.Last(); !bytes.Equal(k, numKey(n/2-1)) {
			t.Errorf("after deleting the upper half, Last = %x, want %x", k, numKey(n/2-1))
		}
		for k, _ := c.First(); k != nil; k, _ = c.First() {
			if err := c.Delete(); err != nil {
				return err
			}
		}
		return nil
	})
	mustView(t, db, func(tx kv.Tx) error {
		if fwd, _ := walk(tx.Bucket([]byte("b"))); len(fwd) != 0 {
			t.Errorf("after deleting every key of a walk, %d remain", len(fwd))
		}
		return nil
	})
}

func testWalk10000(t *testing.T, db kv.DB) {
	const n = 10000
	mustUpdate(t, db, func(tx kv.Tx) error {
		b, err := tx.CreateBucket([]byte("b"))
		if err != nil {
			return err
		}
		for i := range n {
			if err := b.Put(numKey(2*i), numKey(i)); err != nil { // even keys only
				return err
			}
		}
		return nil
	})
	check := func(t *testing.T, b kv.Bucket) {
		t.Helper()
		c := b.Cursor()
		i := 0
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if !bytes.Equal(k, numKey(2*i)) || !bytes.Equal(v, numKey(i)) {
				t.Fatalf("forward step %d: %x=%x, want %x", i, k, v, numKey(2*i))
			}
			i++
		}
		if i != n {
			t.Errorf("forward walk met %d keys, want %d", i, n)
		}
		i = n - 1
		for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
			if !bytes.Equal(k, numKey(2*i)) {
				t.Fatalf("backward step: %x, want %x", k, numKey(2*i))
			}
			i--
		}
		if i != -1 {
			t.Errorf("backward walk stopped before key %d", i)
		}
		// Turn around at many depths of a walk, across batch ends.
		for _, steps := range []int{3, 4, 5, 20, 21, 84, 85, 86, 341, 342, 1365, 1366, 5461, 5462, 9998} {
			k, _ := c.Seek(numKey(1)) // between keys 0 and 2: lands on index 1
			at := 1
			for range steps {
				if k, _ = c.Next(); k != nil {
					at++
				}
			}
			for range 3 {
				k, _ = c.Prev()
				at--
			}
			if want := numKey(2 * at); !bytes.Equal(k, want) {
				t.Errorf("Seek, %d×Next, 3×Prev: %x, want %x", steps, k, want)
			}
			k, _ = c.Next()
			if want := numKey(2 * (at + 1)); !bytes.Equal(k, want) {
				t.Errorf("Seek, %d×Next, 3×Prev, Next: %x, want %x", steps, k, want)
			}
		}
	}
	mustView(t, db, func(tx kv.Tx) error { check(t, tx.Bucket([]byte("b"))); return nil })
	t.Run("InAWriteTx", func(t *testing.T) {
		mustUpdate(t, db, func(tx kv.Tx) error { check(t, tx.Bucket([]byte("b"))); return nil })
	})
}

func testReadYourWrites(t *testing.T, db kv.DB) {
	put(t, db, "b", []byte("old1"), []byte("o1"), []byte("old2"), []byte("o2"))
	mustUpdate(t, db, func(tx kv.Tx) error {
		b := tx.Bucket([]byte("b"))
		if err := b.Put([]byte("new"), []byte("n")); err != nil {
			return err
		}
		if err := b.Delete([]byte("old1")); err != nil {
			return err
		}
		if err := b.Put([]byte("old2"), []byte("O2")); err != nil {
			return err
		}
		if _, err := b.CreateBucket([]byte("nb")); err != nil {
			return err
		}
		c := b.Cursor()
		var got []pair
		for k, v := c.First(); k != nil; k, v = c.Next() {
			got = append(got, pair{slices.Clone(k), cloneValue(v)})
		}
		if g, want := fmt.Sprint(got), `["nb"(bucket) "new"="n" "old2"="O2"]`; g != want {
			t.Errorf("cursor after writes = %s, want %s", g, want)
		}
		// Writes after the cursor's walk show on its next positioning.
		if err := b.Put([]byte("a"), []byte("A")); err != nil {
			return err
		}
		if err := b.Delete([]byte("new")); err != nil {
			return err
		}
		if k, v := c.First(); string(k) != "a" || string(v) != "A" {
			t.Errorf("First after Put(a) = %q=%q, want a=A", k, v)
		}
		if k, _ := c.Seek([]byte("nc")); string(k) != "old2" {
			t.Errorf("Seek(nc) after Delete(new) = %q, want old2", k)
		}
		if got := b.Get([]byte("old2")); string(got) != "O2" {
			t.Errorf("Get(old2) = %q, want O2", got)
		}
		if got := b.Get([]byte("old1")); got != nil {
			t.Errorf("Get(old1) after Delete = %q, want nil", got)
		}
		return nil
	})
}

func testRollback(t *testing.T, db kv.DB) {
	put(t, db, "b", []byte("k"), []byte("v"))
	mustUpdate(t, db, func(tx kv.Tx) error {
		_, err := tx.Bucket([]byte("b")).NextSequence()
		return err
	})
	errStop := errors.New("stop")
	err := db.Update(func(tx kv.Tx) error {
		b := tx.Bucket([]byte("b"))
		for i := range 2000 { // enough to be flushed by some engines
			if err := b.Put(numKey(i), []byte("x")); err != nil {
				return err
			}
		}
		if err := b.Put([]byte("k"), []byte("changed")); err != nil {
			return err
		}
		if _, err := b.NextSequence(); err != nil {
			return err
		}
		if _, err := tx.CreateBucket([]byte("new")); err != nil {
			return err
		}
		if err := tx.DeleteBucket([]byte("b")); err != nil {
			return err
		}
		if _, err := tx.CreateBucket([]byte("b")); err != nil {
			return err
		}
		return errStop
	})
	if !errors.Is(err, errStop) {
		t.Fatalf("Update = %v, want fn's error", err)
	}
	mustUpdate(t, db, func(tx kv.Tx) error {
		if tx.Bucket([]byte("new")) != nil {
			t.Errorf("a bucket created in the rolled back tx exists")
		}
		b := tx.Bucket([]byte("b"))
		if fwd, _ := walk(b); fmt.Sprint(fwd) != `["k"="v"]` {
			t.Errorf("after rollback b holds %s, want k=v", fwd)
		}
		if n, err := b.NextSequence(); err != nil || n != 2 {
			t.Errorf("after rollback NextSequence = %d, %v, want 2", n, err)
		}
		return nil
	})
}

func testRollbackOnPanic(t *testing.T, db kv.DB) {
	put(t, db, "b", []byte("k"), []byte("v"))
	func() {
		defer func() {
			if recover() == nil {
				t.Errorf("Update swallowed fn's panic")
			}
		}()
		db.Update(func(tx kv.Tx) error {
			if err := tx.Bucket([]byte("b")).Put([]byte("k"), []byte("changed")); err != nil {
				return err
			}
			panic("in fn")
		})
	}()
	// The store still works, and holds nothing of the panicked tx.
	put(t, db, "b", []byte("k2"), []byte("v2"))
	mustView(t, db, func(tx kv.Tx) error {
		if fwd, _ := walk(tx.Bucket([]byte("b"))); fmt.Sprint(fwd) != `["k"="v" "k2"="v2"]` {
			t.Errorf("after a panic b holds %s", fwd)
		}
		return nil
	})
}

func testReadOnly(t *testing.T, db kv.DB) {
	put(t, db, "b", []byte("k"), []byte("v"))
	mustUpdate(t, db, func(tx kv.Tx) error {
		if !tx.Writable() {
			t.Errorf("Update's tx is not writable")
		}
		return nil
	})
	mustView(t, db, func(tx kv.Tx) error {
		if tx.Writable() {
			t.Errorf("View's tx is writable")
		}
		b := tx.Bucket([]byte("b"))
		if err := b.Put([]byte("k"), []byte("w")); !errors.Is(err, kv.ErrNotWritable) {
			t.Errorf("Put in View = %v, want ErrNotWritable", err)
		}
		if err := b.Delete([]byte("k")); !errors.Is(err, kv.ErrNotWritable) {
			t.Errorf("Delete in View = %v, want ErrNotWritable", err)
		}
		if _, err := tx.CreateBucket([]byte("x")); !errors.Is(err, kv.ErrNotWritable) {
			t.Errorf("CreateBucket in View = %v, want ErrNotWritable", err)
		}
		if err := tx.DeleteBucket([]byte("b")); !errors.Is(err, kv.ErrNotWritable) {
			t.Errorf("DeleteBucket in View = %v, want ErrNotWritable", err)
		}
		if _, err := b.NextSequence(); !errors.Is(err, kv.ErrNotWritable) {
			t.Errorf("NextSequence in View = %v, want ErrNotWritable", err)
		}
		c := b.Cursor()
		c.First()
		if err := c.Delete(); !errors.Is(err, kv.ErrNotWritable) {
			t.Errorf("Cursor.Delete in View = %v, want ErrNotWritable", err)
		}
		return nil
	})
}

func testSnapshot(t *testing.T, db kv.DB) {
	put(t, db, "b", []byte("k"), []byte("before"))
	mustView(t, db, func(tx kv.Tx) error {
		b := tx.Bucket([]byte("b"))
		if got := b.Get([]byte("k")); string(got) != "before" {
			t.Fatalf("Get(k) = %q, want before", got)
		}
		done := make(chan error)
		go func() {
			done <- db.Update(func(tx kv.Tx) error {
				b := tx.Bucket([]byte("b"))
				if err := b.Put([]byte("k"), []byte("after")); err != nil {
					return err
				}
				if _, err := tx.CreateBucket([]byte("new")); err != nil {
					return err
				}
				return b.Put([]byte("k2"), []byte("added"))
			})
		}()
		if err := <-done; err != nil {
			t.Fatalf("concurrent Update: %v", err)
		}
		if got := b.Get([]byte("k")); string(got) != "before" {
			t.Errorf("after a later commit the View reads k=%q, want before", got)
		}
		if fwd, _ := walk(b); fmt.Sprint(fwd) != `["k"="before"]` {
			t.Errorf("after a later commit the View walks %s", fwd)
		}
		if tx.Bucket([]byte("new")) != nil {
			t.Errorf("the View sees a bucket created after it began")
		}
		return nil
	})
	mustView(t, db, func(tx kv.Tx) error {
		if got := tx.Bucket([]byte("b")).Get([]byte("k")); string(got) != "after" {
			t.Errorf("a new View reads k=%q, want after", got)
		}
		return nil
	})
}

func testNextSequence(t *testing.T, db kv.DB) {
	seqs := func(b kv.Bucket, n int) []uint64 {
		var got []uint64
		for range n {
			s, err := b.NextSequence()
			if err != nil {
				t.Fatalf("NextSequence: %v", err)
			}
			got = append(got, s)
		}
		return got
	}
	mustUpdate(t, db, func(tx kv.Tx) error {
		a, _ := tx.CreateBucket([]byte("a"))
		b, _ := tx.CreateBucket([]byte("b"))
		nested, err := a.CreateBucket([]byte("n"))
		if err != nil {
			return err
		}
		if got := seqs(a, 3); !slices.Equal(got, []uint64{1, 2, 3}) {
			t.Errorf("a: %v, want 1 2 3", got)
		}
		if got := seqs(b, 1); !slices.Equal(got, []uint64{1}) {
			t.Errorf("b: %v, want 1", got)
		}
		if got := seqs(nested, 2); !slices.Equal(got, []uint64{1, 2}) {
			t.Errorf("a/n: %v, want 1 2", got)
		}
		return nil
	})
	mustUpdate(t, db, func(tx kv.Tx) error {
		if got := seqs(tx.Bucket([]byte("a")), 2); !slices.Equal(got, []uint64{4, 5}) {
			t.Errorf("a in a new tx: %v, want 4 5", got)
		}
		if got := seqs(tx.Bucket([]byte("a")).Bucket([]byte("n")), 1); !slices.Equal(got, []uint64{3}) {
			t.Errorf("a/n in a new tx: %v, want 3", got)
		}
		return nil
	})
}

func testLargeValues(t *testing.T, db kv.DB) {
	r := rand.New(rand.NewSource(2))
	big := make([][]byte, 3)
	for i := range big {
		big[i] = make([]byte, 8<<20+i)
		r.Read(big[i])
	}
	mustUpdate(t, db, func(tx kv.Tx) error {
		b, err := tx.CreateBucket([]byte("b"))
		if err != nil {
			return err
		}
		for i, v := range big {
			if err := b.Put(numKey(i), v); err != nil {
				return err
			}
		}
		if got := b.Get(numKey(1)); !bytes.Equal(got, big[1]) {
			t.Errorf("Get of an 8 MiB value in its tx: %d bytes, not the value", len(got))
		}
		return nil
	})
	mustView(t, db, func(tx kv.Tx) error {
		b := tx.Bucket([]byte("b"))
		for i, v := range big {
			if got := b.Get(numKey(i)); !bytes.Equal(got, v) {
				t.Errorf("Get(%d): %d bytes, not the %d written", i, len(got), len(v))
			}
		}
		c := b.Cursor()
		i := 0
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if !bytes.Equal(v, big[i]) {
				t.Errorf("cursor at %x: %d bytes, not the value", k, len(v))
			}
			i++
		}
		if i != len(big) {
			t.Errorf("cursor met %d values, want %d", i, len(big))
		}
		return nil
	})
}

func testSerialization(t *testing.T, db kv.DB) { serialize(t, []kv.DB{db}, 20) }

// serialize runs n Updates at once, spread over dbs, each reading a
// counter and writing it plus one: serial transactions end at n.
func serialize(t *testing.T, dbs []kv.DB, n int) {
	mustUpdate(t, dbs[0], func(tx kv.Tx) error {
		b, err := tx.CreateBucket([]byte("c"))
		if err != nil {
			return err
		}
		return b.Put([]byte("n"), numKey(0))
	})
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- dbs[i%len(dbs)].Update(func(tx kv.Tx) error {
				b := tx.Bucket([]byte("c"))
				v := binary.BigEndian.Uint32(b.Get([]byte("n")))
				// Also a sequence: serial transactions hand out 1..n.
				if _, err := b.NextSequence(); err != nil {
					return err
				}
				return b.Put([]byte("n"), numKey(int(v)+1))
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Update: %v", err)
		}
	}
	mustUpdate(t, dbs[len(dbs)-1], func(tx kv.Tx) error {
		b := tx.Bucket([]byte("c"))
		if got := binary.BigEndian.Uint32(b.Get([]byte("n"))); got != uint32(n) {
			t.Errorf("counter after %d concurrent Updates = %d, want %d", n, got, n)
		}
		if s, err := b.NextSequence(); err != nil || s != uint64(n+1) {
			t.Errorf("NextSequence after %d concurrent Updates = %d, %v, want %d", n, s, err, n+1)
		}
		return nil
	})
}

// testKeyCursor: a KeyCursor meets the same keys as a Cursor, in both
// directions and after Seek, with every value empty (not nil) and nil
// for a nested bucket, in the writing transaction and after.
func testKeyCursor(t *testing.T, db kv.DB) {
	check := func(t *testing.T, b kv.Bucket) {
		t.Helper()
		var want, got []string
		c := b.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			want = append(want, string(k))
		}
		kc := b.KeyCursor()
		for k, v := kc.First(); k != nil; k, v = kc.Next() {
			got = append(got, string(k))
			switch {
			case string(k) == "sub" && v != nil:
				t.Errorf("KeyCursor: the nested bucket has the value %q, want nil", v)
			case string(k) != "sub" && (v == nil || len(v) != 0):
				t.Errorf("KeyCursor: key %q has the value %q (nil %v), want empty", k, v, v == nil)
			}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") || len(want) != 5 {
			t.Errorf("KeyCursor walked %q, Cursor %q (want 5 keys)", got, want)
		}
		if k, v := kc.Last(); string(k) != "sub" || v != nil {
			t.Errorf("KeyCursor.Last: %q %q, want the nested bucket", k, v)
		}
		if k, v := kc.Prev(); string(k) != "d" || v == nil || len(v) != 0 {
			t.Errorf("KeyCursor.Prev: %q %q, want d with an empty value", k, v)
		}
		if k, _ := kc.Seek([]byte("bb")); string(k) != "c" {
			t.Errorf("KeyCursor.Seek(bb): %q, want c", k)
		}
		if v := b.Get([]byte("c")); string(v) != strings.Repeat("c", 1000) {
			t.Errorf("Get after a KeyCursor: %d bytes, want the value", len(v))
		}
	}
	err := db.Update(func(tx kv.Tx) error {
		b, err := tx.CreateBucket([]byte("keys"))
		if err != nil {
			return err
		}
		for _, k := range []string{"a", "b", "c", "d"} {
			if err := b.Put([]byte(k), []byte(strings.Repeat(k, 1000))); err != nil {
				return err
			}
		}
		if _, err := b.CreateBucket([]byte("sub")); err != nil {
			return err
		}
		t.Run("InTheWriteTx", func(t *testing.T) { check(t, b) })
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.View(func(tx kv.Tx) error { check(t, tx.Bucket([]byte("keys"))); return nil }); err != nil {
		t.Fatal(err)
	}
}

// testGetAfterWrites: a key read, then written, then read again after
// the writes went to the engine (a cursor walked the bucket), reads as
// written: nothing read before a write is served after it.
func testGetAfterWrites(t *testing.T, db kv.DB) {
	put(t, db, "g", []byte("k"), []byte("v1"), []byte("gone"), []byte("x"))
	mustUpdate(t, db, func(tx kv.Tx) error {
		b := tx.Bucket([]byte("g"))
		for i, want := range []string{"v1", "v2", "v3"} {
			if got := b.Get([]byte("k")); string(got) != want {
				t.Errorf("Get(k), round %d = %q, want %q", i, got, want)
			}
			if got := b.Get([]byte("absent")); got != nil {
				t.Errorf("Get(absent), round %d = %q, want nil", i, got)
			}
			if err := b.Put([]byte("k"), []byte(fmt.Sprintf("v%d", i+2))); err != nil {
				return err
			}
			if err := b.Put([]byte("absent"), []byte("here")); err != nil {
				return err
			}
			if err := b.Delete([]byte("absent")); err != nil {
				return err
			}
			if got := b.Get([]byte("gone")); i == 0 && string(got) != "x" || i > 0 && got != nil {
				t.Errorf("Get(gone), round %d = %q", i, got)
			}
			if err := b.Delete([]byte("gone")); err != nil {
				return err
			}
			b.Cursor().First() // hands the writes to the engine
		}
		return nil
	})
	mustView(t, db, func(tx kv.Tx) error {
		b := tx.Bucket([]byte("g"))
		if got := b.Get([]byte("k")); string(got) != "v4" {
			t.Errorf("Get(k) after the commit = %q, want v4", got)
		}
		if got := b.Get([]byte("gone")); got != nil {
			t.Errorf("Get(gone) after the commit = %q, want nil", got)
		}
		return nil
	})
}
