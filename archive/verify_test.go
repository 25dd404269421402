package archive

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/events/kv"

	"github.com/sillok/sillok/events"
)

// tamperFile changes the closed archive at path through its store.
func tamperFile(t *testing.T, path string, fn func(tx kv.Tx) error) {
	t.Helper()
	db := eventstest.OpenKV(t, path)
	if err := db.Update(fn); err != nil {
		t.Fatalf("tamper: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// tamper closes a, changes its store behind its back, and opens it again.
func tamper(t *testing.T, a *Archive, fn func(tx kv.Tx) error) *Archive {
	t.Helper()
	path := a.Path()
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	tamperFile(t, path, fn)
	b, err := Open(path, Options{Now: testClock()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func revKey(r Revision) []byte { return binary.BigEndian.AppendUint64(nil, uint64(r)) }

// wantProblem checks that rep holds exactly one problem, at rev, with
// the remedy and a message containing msg and naming no command.
func wantProblem(t *testing.T, rep *VerifyReport, rev Revision, remedy Remedy, msg string) {
	t.Helper()
	if rep.OK || len(rep.Problems) != 1 {
		t.Fatalf("ok %v, problems %v; want one problem", rep.OK, rep.Problems)
	}
	p := rep.Problems[0]
	if p.Revision != rev || p.Remedy != remedy || !strings.Contains(p.Message, msg) || strings.Contains(p.Message, "sillok") {
		t.Errorf("problem %+v (remedy %d), want revision %d, remedy %d, a message with %q and no command", p, p.Remedy, rev, remedy, msg)
	}
}

func TestVerifyClean(t *testing.T) {
	a := newFixture(t)
	head, hash, err := a.Head()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := a.Verify(VerifyOptions{Replay: true, Expect: []Pin{{head, hash}, {1, mustEvent(t, a, 1).Hash}}})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK || len(rep.Problems) != 0 || rep.Head != head || rep.HeadHash != hash || rep.Sources != 3 || rep.Claims != 2*fixtureProbes+3 || rep.Events != int(head) {
		t.Errorf("verify of the fixture: %+v", rep)
	}
}

func mustEvent(t *testing.T, a *Archive, rev Revision) events.Event {
	t.Helper()
	list, err := a.Log(rev, rev)
	if err != nil || len(list) != 1 {
		t.Fatalf("Log(%d, %d): %v, %v", rev, rev, list, err)
	}
	return list[0]
}

func TestVerifyPins(t *testing.T) {
	a := newFixture(t)
	head, hash, _ := a.Head()
	other := mustEvent(t, a, 2).Hash
	for _, c := range []struct {
		pin Pin
		msg string
	}{
		{Pin{head + 3, hash}, "the log was cut short after revision"},
		{Pin{head, other}, "the log was rewritten"},
	} {
		rep, err := a.Verify(VerifyOptions{Expect: []Pin{c.pin}})
		if err != nil {
			t.Fatal(err)
		}
		wantProblem(t, rep, c.pin.Rev, RemedyNone, c.msg)
	}
	for _, c := range []struct {
		in   string
		want Pin
		ok   bool
	}{
		{Pin{head, hash}.String(), Pin{head, hash}, true},
		{"3:" + hash.Hex(), Pin{3, hash}, true},
		{"0:" + hash.Hex(), Pin{}, false},
		{"3", Pin{}, false},
		{"3:abc", Pin{}, false},
	} {
		p, err := ParsePin(c.in)
		if c.ok && (err != nil || p != c.want) || !c.ok && ErrorCode(err) != Invalid {
			t.Errorf("ParsePin(%q) = %v, %v", c.in, p, err)
		}
	}
}

func TestVerifyAndRebuildTampered(t *testing.T) {
	t.Run("EditedSourceByte", func(t *testing.T) {
		a := newFixture(t)
		src, err := a.Source("south-courier", false)
		if err != nil {
			t.Fatal(err)
		}
		a = tamper(t, a, func(tx kv.Tx) error {
			b := tx.Bucket([]byte("blobs"))
			raw := bytes.Clone(b.Get(src.Digest[:]))
			raw[bytes.Index(raw, []byte("survey"))] = 'S'
			return b.Put(src.Digest[:], raw)
		})
		rep, err := a.Verify(VerifyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		wantProblem(t, rep, src.Revision, RemedyNone, "altered")
		wantRefused(t, a, "stored bytes were altered")
	})
	t.Run("CutShort", func(t *testing.T) {
		a := newFixture(t)
		head, _, _ := a.Head()
		a = tamper(t, a, func(tx kv.Tx) error {
			return tx.Bucket([]byte("log")).Delete(revKey(head))
		})
		rep, err := a.Verify(VerifyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		wantProblem(t, rep, head, RemedyRestore, "the log was cut short")
		wantRefused(t, a, "which would erase the evidence")
	})
	t.Run("EditedEvent", func(t *testing.T) {
		a := newFixture(t)
		const edited = 8 // a claim
		if e := mustEvent(t, a, edited); e.Type != events.TypeClaimAsserted {
			t.Fatalf("revision %d is a %s, not a claim", edited, e.Type)
		}
		a = tamper(t, a, func(tx kv.Tx) error {
			b := tx.Bucket([]byte("log"))
			v := bytes.Clone(b.Get(revKey(edited)))
			i := bytes.Index(v, []byte("Agency"))
			v[i] = 'a'
			return b.Put(revKey(edited), v)
		})
		rep, err := a.Verify(VerifyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.OK || rep.Problems[0].Revision != edited {
			t.Errorf("verify of an edited event: %+v", rep.Problems)
		}
		wantRefused(t, a, "hash chain is broken")
	})
	t.Run("GarbledCheckpoint", func(t *testing.T) {
		a := newFixture(t)
		var checkpoint Revision
		a = tamper(t, a, func(tx kv.Tx) error {
			b := tx.Bucket([]byte("projections")).Bucket([]byte("checkpoints"))
			k, v := b.Cursor().Last()
			checkpoint = Revision(binary.BigEndian.Uint64(k))
			return b.Put(bytes.Clone(k), bytes.Clone(v[:len(v)/2]))
		})
		rep, err := a.Verify(VerifyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		wantProblem(t, rep, checkpoint, RemedyRebuild, "checksum does not match")
		reb, err := a.Rebuild()
		if err != nil {
			t.Fatal(err)
		}
		head, _, _ := a.Head()
		if reb.Revision != head || !slices.Equal(reb.Repaired, []Revision{checkpoint}) {
			t.Errorf("rebuild: %+v, want head %d, repaired [%d]", reb, head, checkpoint)
		}
		if rep, err := a.Verify(VerifyOptions{Replay: true}); err != nil || !rep.OK {
			t.Errorf("verify after the rebuild: %+v, %v", rep, err)
		}
	})
}

// wantRefused checks that Rebuild refuses the archive, in the API's terms,
// and leaves the file as it was.
func wantRefused(t *testing.T, a *Archive, msg string) {
	t.Helper()
	before := eventstest.Snapshot(t, a.Path())
	_, err := a.Rebuild()
	var refused *RefusedError
	if !errors.As(err, &refused) || ErrorCode(err) != Internal || !strings.Contains(err.Error(), msg) || strings.Contains(err.Error(), "sillok") {
		t.Errorf("rebuild: %v (code %q), want a RefusedError saying %q in the API's terms", err, ErrorCode(err), msg)
	}
	if after := eventstest.Snapshot(t, a.Path()); !bytes.Equal(after, before) {
		t.Errorf("a refused rebuild changed the archive")
	}
}

func TestRebuildReadOnly(t *testing.T) {
	a := newFixture(t)
	path := a.Path()
	a.Close()
	r, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Rebuild(); ErrorCode(err) != Forbidden {
		t.Errorf("rebuild of a read-only archive: %v, want Forbidden", err)
	}
	if rep, err := r.Verify(VerifyOptions{}); err != nil || !rep.OK {
		t.Errorf("verify of a read-only archive: %+v, %v", rep, err)
	}
}
