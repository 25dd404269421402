package projections

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
)

// foldLog returns a log of every kind of event and value (n claims), the
// texts of its sources by digest, and a text function reading them.
func foldLog(t testing.TB, n int) (*events.Log, func(*events.SourceArchived) (string, error)) {
	t.Helper()
	log := eventstest.MustOpenLog(t)
	texts := map[events.Digest]string{}
	rng := rand.New(rand.NewPCG(5, 6))
	words := []string{"harbour", "Velmora", "ports", "register", "協会", "シハチク", "は", "设立", "Москва", "1,736", "ship", "inspection", "records", "provinces"}
	text := func() string {
		var b strings.Builder
		for range 20 + rng.IntN(200) {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteByte(" .,"[rng.IntN(3)])
		}
		return b.String()
	}
	var batch []events.Payload
	flush := func() {
		if len(batch) == 0 {
			return
		}
		if _, err := log.Append(fmt.Sprintf("author-%d", rng.IntN(3)), batch...); err != nil {
			t.Fatal(err)
		}
		batch = batch[:0]
	}
	batch = append(batch,
		eventstest.Predicate("founded", events.KindDate),
		eventstest.Predicate("staff", events.KindQuantity),
		&events.PredicateDefined{Name: "member of", Kind: events.KindEntity, Many: true},
		eventstest.Predicate("motto", events.KindText),
	)
	var srcs, bodies []string
	var claims []events.ClaimID
	addSource := func() {
		id := fmt.Sprintf("outlet-%d", len(srcs))
		body := fmt.Sprintf("%d %s", len(srcs), text())
		if len(srcs) > 2 && rng.IntN(4) == 0 {
			body = bodies[rng.IntN(len(bodies))] + " copy " + id // mostly a copy
		}
		bodies = append(bodies, body)
		src := eventstest.Source(id, body)
		texts[src.Digest] = body
		switch rng.IntN(4) {
		case 0:
			src.Publisher, src.Lang, src.Title = "Northgate Times", "ja", "見出し "+id
		case 1:
			if len(srcs) > 0 {
				src.TranslationOf, src.Translator = events.SourceID(srcs[0]), "DeepL"
			}
		case 2:
			src.Title, src.Lang, src.Published = "", "", ""
		}
		srcs = append(srcs, id)
		batch = append(batch, src)
	}
	for i := range n {
		if i%7 == 0 {
			addSource()
		}
		src := srcs[len(srcs)-1-rng.IntN(min(3, len(srcs)))]
		subject := fmt.Sprintf("Kotaren Misuko%03d Council", rng.IntN(n/4+1))
		c := eventstest.Claim(fmt.Sprintf("c%05d", i), src, subject, "motto", "keep record", subject+" says keep record")
		switch i % 6 {
		case 0:
			c.Predicate = "founded"
			c.Value = events.Value{Kind: events.KindDate, Written: "March 2021", Date: fmt.Sprintf("2021-03-%02d", 1+i%28)}
		case 1:
			c.Predicate = "founded"
			c.Value = events.Value{Kind: events.KindDate, Relation: &events.Relation{Op: events.RelAfter, To: events.FactRef{Subject: "Other Council", Predicate: "founded"}}}
		case 2:
			c.Predicate = "staff"
			c.Value = events.Value{Kind: events.KindQuantity, Written: "約60人", Quantity: "~60 staff"}
		case 3:
			c.Predicate = "member of"
			c.Value = events.Value{Kind: events.KindEntity, Entity: "Harbour League"}
			c.As = "the council"
		case 4:
			c.Value.Anchor = "2024-04-26"
			c.Value = events.Value{Kind: events.KindDate, Date: "2023-08", Anchor: "2024-04-26", Written: "last August"}
			c.Predicate = "founded"
			c.Note = "relative date"
		}
		batch = append(batch, c)
		claims = append(claims, c.ID)
		switch rng.IntN(40) {
		case 0:
			batch = append(batch, &events.ClaimRetracted{Claim: claims[rng.IntN(len(claims))], Reason: "misread"})
		case 1:
			batch = append(batch, &events.AliasDeclared{Name: subject, Entity: "Council " + string(c.ID), Kind: events.AliasTranslation, Note: "n"})
		case 2:
			batch = append(batch, &events.AliasDeclared{Name: subject, Entity: "Other " + string(c.ID), Kind: events.AliasDistinct, Claim: c.ID})
		case 3:
			rej := []events.ClaimID{claims[rng.IntN(len(claims))], claims[rng.IntN(len(claims))]}
			batch = append(batch, &events.VerdictRecorded{Conflict: fmt.Sprintf("v-%d", i), Kind: "value", Decision: events.DecisionReject,
				Claim: rej[0], Rejected: rej, Claims: claims[len(claims)-1:], Seen: events.Revision(i)})
		case 4:
			batch = append(batch, &events.VerdictRecorded{Conflict: fmt.Sprintf("v-%d", i-40), Kind: "value", Decision: events.DecisionAccept,
				Claim: claims[rng.IntN(len(claims))], Note: "checked"})
		case 5:
			batch = append(batch, &events.VerdictRecorded{Conflict: fmt.Sprintf("n-%d", i), Kind: "name", Decision: events.DecisionSame,
				Names: []string{subject, "Council"}})
		}
		if len(batch) > 40+rng.IntN(40) {
			flush()
		}
	}
	flush()
	return log, func(src *events.SourceArchived) (string, error) {
		t, ok := texts[src.Digest]
		if !ok {
			return "", fmt.Errorf("no text for %s", src.ID)
		}
		return t, nil
	}
}

// applyAll folds revisions from..to one event at a time.
func applyAll(tx *events.Tx, s *State, to events.Revision, text TextFunc) error {
	return tx.Scan(s.Rev+1, to, func(e events.Event) error { return s.Apply(e, text) })
}

func stateJSON(t testing.TB, s *State) []byte {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func withFold(min, batch int) func() {
	oldMin, oldBatch := foldMin, foldBatch
	foldMin, foldBatch = min, batch
	return func() { foldMin, foldBatch = oldMin, oldBatch }
}

func TestFoldMatchesApply(t *testing.T) {
	log, text := foldLog(t, 1500)
	err := log.View(func(tx *events.Tx) error {
		head, _ := tx.Head()
		want := NewState()
		if err := applyAll(tx, want, head, text); err != nil {
			return err
		}
		for _, batch := range []int{1, 2, 7, 256} {
			for _, from := range []events.Revision{0, 1, head / 3, head - 2} {
				defer withFold(1, batch)()
				got := NewState()
				if err := applyAll(tx, got, from, text); err != nil {
					return err
				}
				if err := fold(tx, got, head, text, nil); err != nil {
					return err
				}
				if !bytes.Equal(stateJSON(t, got), stateJSON(t, want)) || !bytes.Equal(encodeState(got), encodeState(want)) {
					t.Errorf("batch %d, from %d: fold differs from Apply", batch, from)
				}
			}
		}
		// after sees every revision in order.
		var seen []events.Revision
		s := NewState()
		if err := fold(tx, s, head, nil, func(s *State) error {
			seen = append(seen, s.Rev)
			return nil
		}); err != nil {
			return err
		}
		if len(seen) != int(head) || !slices.IsSorted(seen) || seen[0] != 1 {
			t.Errorf("after saw %d revisions, want 1..%d in order", len(seen), head)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestFoldErrors checks that the pipeline stops where Apply would, with
// the same error, leaving the state at the revision before.
func TestFoldErrors(t *testing.T) {
	log, text := foldLog(t, 800)
	defer withFold(1, 5)()
	err := log.View(func(tx *events.Tx) error {
		head, _ := tx.Head()
		var srcRevs []events.Revision
		tx.Scan(1, head, func(e events.Event) error {
			if e.Type == events.TypeSourceArchived {
				srcRevs = append(srcRevs, e.Revision)
			}
			return nil
		})
		for _, bad := range []events.Revision{srcRevs[0], srcRevs[len(srcRevs)/2], srcRevs[len(srcRevs)-1]} {
			e, err := tx.Event(bad)
			if err != nil {
				return err
			}
			p, err := e.Decode()
			if err != nil {
				return err
			}
			badID := p.(*events.SourceArchived).ID
			failing := func(src *events.SourceArchived) (string, error) {
				if src.ID == badID {
					return "", errors.New("blob missing")
				}
				return text(src)
			}
			want := NewState()
			wantErr := applyAll(tx, want, head, failing)
			got := NewState()
			gotErr := fold(tx, got, head, failing, nil)
			if wantErr == nil || gotErr == nil || wantErr.Error() != gotErr.Error() {
				t.Errorf("source at %d: fold error %v, want %v", bad, gotErr, wantErr)
			}
			if got.Rev != want.Rev || !bytes.Equal(encodeState(got), encodeState(want)) {
				t.Errorf("source at %d: fold stopped at %d, Apply at %d", bad, got.Rev, want.Rev)
			}
		}
		// An error from after stops the fold there.
		s := NewState()
		stop := errors.New("stop")
		if err := fold(tx, s, head, text, func(s *State) error {
			if s.Rev == 600 {
				return stop
			}
			return nil
		}); err != stop || s.Rev != 600 {
			t.Errorf("fold with after failing at 600: %v at %d", err, s.Rev)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCodecRoundTrip(t *testing.T) {
	log, text := foldLog(t, 600)
	err := log.View(func(tx *events.Tx) error {
		head, _ := tx.Head()
		s := NewState()
		check := func(s *State) error {
			enc := encodeState(s)
			d, err := decodeState(enc, nil)
			if err != nil {
				return fmt.Errorf("revision %d: %w", s.Rev, err)
			}
			// Reading in small blocks, released after each.
			old := releaseBlock
			releaseBlock = 97
			released := 0
			d2, err := decodeState(enc, func() { released++ })
			releaseBlock = old
			if err != nil || !bytes.Equal(encodeState(d2), enc) {
				return fmt.Errorf("revision %d, in blocks: %v", s.Rev, err)
			}
			if len(enc) > 10*97 && released < len(enc)/97 {
				return fmt.Errorf("revision %d: released %d times for %d bytes", s.Rev, released, len(enc))
			}
			if !bytes.Equal(stateJSON(t, d), stateJSON(t, s)) {
				return fmt.Errorf("revision %d: decoded state differs", s.Rev)
			}
			if !bytes.Equal(encodeState(d), enc) {
				return fmt.Errorf("revision %d: re-encoding differs", s.Rev)
			}
			if got := storedRev(enc); got != s.Rev {
				return fmt.Errorf("storedRev = %d, want %d", got, s.Rev)
			}
			return nil
		}
		if err := check(s); err != nil {
			return err
		}
		return fold(tx, s, head, text, func(s *State) error {
			if s.Rev%37 == 0 || s.Rev == head {
				return check(s)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCodecGarbage decodes damaged checkpoints: every truncation and, with
// the checksum made to match, random changes. None may panic; a bad
// checksum is always an error.
func TestCodecGarbage(t *testing.T) {
	log, text := foldLog(t, 200)
	var enc []byte
	err := log.View(func(tx *events.Tx) error {
		s := NewState()
		head, _ := tx.Head()
		if err := fold(tx, s, head, text, nil); err != nil {
			return err
		}
		enc = encodeState(s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for n := range len(enc) {
		if _, err := decodeState(enc[:n], nil); err == nil {
			t.Fatalf("truncated to %d bytes: no error", n)
		}
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for range 3000 {
		v := bytes.Clone(enc)
		for range 1 + rng.IntN(4) {
			v[4+rng.IntN(len(v)-4)] ^= byte(1 + rng.IntN(255))
		}
		if _, err := decodeState(v, nil); err == nil {
			t.Fatal("changed bytes with the old checksum: no error")
		}
		binary.LittleEndian.PutUint32(v, crc32.Checksum(v[4:], castagnoli))
		decodeState(v, func() {}) // must not panic
	}
}

// TestStoreChecksums damages stored checkpoints and checks that CheckSums
// and Check report them and that reads from them fail asking for a rebuild.
func TestStoreChecksums(t *testing.T) {
	log, _ := foldLog(t, 900)
	st := &Store{Interval: 50}
	var head events.Revision
	var revs []events.Revision
	err := log.Update(func(tx *events.Tx) error {
		head, _ = tx.Head()
		if _, err := st.Rebuild(tx); err != nil {
			return err
		}
		checkpoints(tx.KV()).ForEach(func(k, _ []byte) error {
			r, _ := checkpointRev(k)
			revs = append(revs, r)
			return nil
		})
		if bad, err := st.CheckSums(tx); len(bad) > 0 || err != nil {
			t.Errorf("CheckSums after Rebuild: %v, %v", bad, err)
		}
		if bad, err := st.Check(tx); len(bad) > 0 || err != nil {
			t.Errorf("Check after Rebuild: %v, %v", bad, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) < 2 || revs[len(revs)-1] != head {
		t.Fatalf("Rebuild stored checkpoints %v, want the head %d and older ones", revs, head)
	}
	// A checkpoint beyond the head is a log cut short: TestStoreCutShort.
	damaged := revs[len(revs)-1]
	err = log.Update(func(tx *events.Tx) error {
		b := checkpoints(tx.KV())
		v := bytes.Clone(b.Get(checkpointKey(damaged)))
		// A valid checkpoint under another revision's key.
		if err := b.Put(checkpointKey(revs[0]), bytes.Clone(b.Get(checkpointKey(revs[1])))); err != nil {
			return err
		}
		v[len(v)/2] ^= 1
		return b.Put(checkpointKey(damaged), v)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = log.View(func(tx *events.Tx) error {
		bad, err := st.CheckSums(tx)
		if want := []events.Revision{revs[0], damaged}; err != nil || !slices.Equal(bad, want) {
			t.Errorf("CheckSums: %v, %v, want %v", bad, err, want)
		}
		bad, err = st.Check(tx)
		if want := []events.Revision{revs[0], damaged}; err != nil || !slices.Equal(bad, want) {
			t.Errorf("Check: %v, %v, want %v", bad, err, want)
		}
		for _, r := range []events.Revision{damaged, revs[0]} {
			var stored *StoredError
			if _, _, err := st.At(tx, r); !errors.As(err, &stored) || strings.Contains(err.Error(), "sillok") {
				t.Errorf("At(%d) from a damaged checkpoint: %v, want a *StoredError that names no command", r, err)
			}
		}
		if _, _, err := st.Head(tx); err == nil || !strings.Contains(err.Error(), "checksum") {
			t.Errorf("Head from a damaged checkpoint: %v, want a checksum error", err)
		}
		if _, _, err := st.At(tx, revs[1]); err != nil {
			t.Errorf("At(%d) from an intact checkpoint: %v", revs[1], err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = log.Update(func(tx *events.Tx) error {
		s, bad, err := st.RebuildChecked(tx)
		if want := []events.Revision{revs[0], damaged}; err != nil || !slices.Equal(bad, want) {
			t.Errorf("RebuildChecked: %v, %v, want %v", bad, err, want)
		}
		if s == nil || s.Rev != head {
			t.Errorf("RebuildChecked: state %v, want the head's", s)
		}
		for _, check := range []func(*events.Tx) ([]events.Revision, error){st.CheckSums, st.Check} {
			if bad, err := check(tx); len(bad) > 0 || err != nil {
				t.Errorf("after RebuildChecked: %v, %v", bad, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
