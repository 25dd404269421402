package archive

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/provenance/claimsfile"
)

// TestImportClaimsBulkCheckpoint imports several files in one call, the
// last of them one already imported (it appends nothing), and checks that
// the import still leaves a checkpoint at the head, as the usual spacing
// asks, and that verify with replay finds the checkpoints equal to the
// log.
func TestImportClaimsBulkCheckpoint(t *testing.T) {
	eventstest.FileOnly(t, "reads the checkpoints through bbolt")
	a := openFixture(t)
	file := func(name string, n int) ClaimsFile {
		var b strings.Builder
		b.WriteString("source: gamma\nclaims:\n")
		for i := range n {
			fmt.Fprintf(&b, "  - {id: %s-%d, subject: Thing %s %d, predicate: venue, value: Porto, quote: The summit took place in Porto}\n", name, i, name, i)
		}
		return ClaimsFile{Name: name + ".yaml", Data: []byte(b.String())}
	}
	f1, f2, f3 := file("one", 1200), file("two", 1200), file("three", 1200)
	res, err := a.ImportClaims("archivist", []ClaimsFile{f1, f2, f3, f1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	head := head(t, a)
	if want := Revision(fixtureHead + 3*1200); head != want || len(res) != 4 || res[3].Revision != head {
		t.Fatalf("got head %d and results %+v, want head %d and the last file (already imported) at the head", head, res, want)
	}
	path := a.Path()
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o644, &bolt.Options{ReadOnly: true, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var newest Revision
	err = db.View(func(tx *bolt.Tx) error {
		k, _ := tx.Bucket([]byte("projections")).Bucket([]byte("checkpoints")).Cursor().Last()
		newest = Revision(binary.BigEndian.Uint64(k))
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if newest != head {
		t.Errorf("the newest checkpoint is at %d, want one at the head %d", newest, head)
	}
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	rep, err := ro.Verify(VerifyOptions{Replay: true})
	if err != nil || !rep.OK {
		t.Errorf("verify with replay: %+v, %v; want ok", rep, err)
	}
}

// TestSelfRelationRefused: a relation claim whose related fact is its own
// subject and predicate is refused as invalid, whether imported (placed at
// its file, line and claim) or added alone, and nothing is appended.
func TestSelfRelationRefused(t *testing.T) {
	t.Run("Import", func(t *testing.T) {
		a := openFixture(t)
		file := "source: gamma\nclaims:\n  - id: loop-self\n    subject: Tidal Network\n    predicate: launched\n" +
			"    value: {after: {subject: tidal network, predicate: launched}}\n    quote: began work in August 2023\n"
		_, err := a.ImportClaims("archivist", []ClaimsFile{{Name: "loop.yaml", Data: []byte(file)}}, nil)
		wantCode(t, "a claim related to its own fact", err, Invalid)
		var fe *claimsfile.Error
		if !errors.As(err, &fe) || fe.Claim != "loop-self" || fe.Pos.Line != 3 || !strings.Contains(err.Error(), "cannot relate a fact to itself") {
			t.Errorf("got %v, want it placed at loop.yaml line 3, claim loop-self, saying it cannot relate a fact to itself", err)
		}
		wantUnchanged(t, a, fixtureHead)
	})
	t.Run("Add", func(t *testing.T) {
		a := openFixture(t)
		_, err := a.AddClaim("archivist", provenance.ClaimInput{ID: "loop-add", Source: "gamma", Subject: "Tidal Network", Predicate: "launched",
			Relation: &events.Relation{Op: events.RelAfter, To: events.FactRef{Subject: "Tidal Network", Predicate: "launched"}}, Quote: "began work in August 2023"})
		wantCode(t, "a claim related to its own fact", err, Invalid)
		if err == nil || !strings.Contains(err.Error(), "cannot relate a fact to itself") {
			t.Errorf("got %v, want it to say it cannot relate a fact to itself", err)
		}
		wantUnchanged(t, a, fixtureHead)
	})
}
