package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/sillok/sillok/events"
)

// relIntegrityArchive builds, in this process, an archive of more than
// projections.DefaultInterval events (so a projection checkpoint is
// stored): the corpus's sources, its vocabulary and claims. It returns the
// path and the head.
func relIntegrityArchive(t *testing.T) (string, events.Revision) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "integrity.db")
	g := relCorpus{ledgers: 4, perLedger: 100, entries: 400, planted: 8}
	if _, stderr, code := runInProcess(t, path, "init"); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	for _, args := range g.writeSources(t, dir) {
		if _, stderr, code := runInProcess(t, path, args...); code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
	}
	claims := filepath.Join(dir, "claims.json")
	relWriteClaims(t, claims, true, append(g.claims("i", 0, 1100), g.plantedClaims("i")...))
	if _, stderr, code := runInProcess(t, path, "claim", "import", claims); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	return path, relHead(t, path)
}

// relVerify runs verify --json in this process.
func relVerify(t *testing.T, path string, flags ...string) (relVerifyReport, int) {
	t.Helper()
	stdout, stderr, code := runInProcess(t, path, append([]string{"verify", "--json"}, flags...)...)
	var rep relVerifyReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("verify --json printed %q (stderr %q): %v", stdout, stderr, err)
	}
	if rep.OK != (code == 0) || rep.OK != (len(rep.Problems) == 0) {
		t.Errorf("verify --json: ok %v with exit status %d and %d problems", rep.OK, code, len(rep.Problems))
	}
	return rep, code
}

// relTamper changes the closed archive at path through bbolt.
func relTamper(t *testing.T, path string, fn func(tx *bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(fn); err != nil {
		t.Fatalf("tamper: %v", err)
	}
}

func relRevKey(r events.Revision) []byte { return binary.BigEndian.AppendUint64(nil, uint64(r)) }

// relSourceDigest is the digest of the archived source id.
func relSourceDigest(t *testing.T, path string, id events.SourceID) (events.Digest, events.Revision) {
	t.Helper()
	log, err := events.Open(path, events.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	var d events.Digest
	var rev events.Revision
	err = log.View(func(tx *events.Tx) error {
		var ok bool
		if rev, ok = tx.Lookup(events.IndexSourceID, string(id)); !ok {
			return fmt.Errorf("no source %s", id)
		}
		e, err := tx.Event(rev)
		if err != nil {
			return err
		}
		p, err := e.Decode()
		if err != nil {
			return err
		}
		d = p.(*events.SourceArchived).Digest
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return d, rev
}

// TestIntegrity tampers with an archive behind sillok's back, one way per
// case, and checks that verify finds it and names the revision or source,
// and what rebuild does: it repairs a stored projection checkpoint that
// differs from the log, and nothing else (history is never rewritten, so
// the other problems are still reported after it).
func TestIntegrity(t *testing.T) {
	pristine, head := relIntegrityArchive(t)
	if rep, code := relVerify(t, pristine); code != 0 || !rep.OK || rep.Head != head {
		t.Fatalf("the untouched archive: got ok %v at head %d, problems %v, want ok at %d", rep.OK, rep.Head, rep.Problems, head)
	}
	const claimRev = 600 // a claim.asserted event
	ledger1, ledger1Rev := relSourceDigest(t, pristine, "ledger-1")
	var checkpoint events.Revision
	relTamper(t, pristine, func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("projections")).Bucket([]byte("checkpoints"))
		k, _ := b.Cursor().Last()
		checkpoint = events.Revision(binary.BigEndian.Uint64(k))
		return nil
	})
	if checkpoint < 1000 {
		t.Fatalf("newest checkpoint at revision %d, want one past 1000", checkpoint)
	}

	tests := []struct {
		name   string
		tamper func(tx *bolt.Tx) error
		// want are the problems verify must report (and only those),
		// each by revision and source, with a fragment of its message.
		want []events.Problem
		// repaired is what rebuild --json must say it repaired; after it
		// verify is ok when fixed, else it reports want again.
		repaired []events.Revision
		fixed    bool
		// replayOnly: the plain verify cannot see it (it passes), and
		// only verify --replay reports want.
		replayOnly bool
	}{
		{
			name: "ErrChain/EditedPayload",
			tamper: func(tx *bolt.Tx) error {
				b := tx.Bucket([]byte("log"))
				rec := bytes.Clone(b.Get(relRevKey(claimRev)))
				i := bytes.Index(rec, []byte(`"subject":"Bureau `))
				if i < 0 {
					return fmt.Errorf("no subject in %q", rec)
				}
				rec[i+len(`"subject":"B`)] = 'v' // Bureau → Bvreau
				return b.Put(relRevKey(claimRev), rec)
			},
			want: []events.Problem{{Revision: claimRev, Message: "the event was modified after it was written"}},
		},
		{
			name:   "ErrChain/RemovedEvent",
			tamper: func(tx *bolt.Tx) error { return tx.Bucket([]byte("log")).Delete(relRevKey(claimRev)) },
			want: []events.Problem{
				{Revision: claimRev, Message: fmt.Sprintf("revisions %d to %d are missing", claimRev, claimRev)},
				{Revision: claimRev + 1, Message: "previous-hash link is broken"},
			},
		},
		{
			name: "ErrChain/ReorderedPair",
			tamper: func(tx *bolt.Tx) error {
				b := tx.Bucket([]byte("log"))
				x, y := bytes.Clone(b.Get(relRevKey(claimRev))), bytes.Clone(b.Get(relRevKey(claimRev+1)))
				if err := b.Put(relRevKey(claimRev), y); err != nil {
					return err
				}
				return b.Put(relRevKey(claimRev+1), x)
			},
			want: []events.Problem{
				{Revision: claimRev, Message: fmt.Sprintf("says it is revision %d: events were moved or reordered", claimRev+1)},
				{Revision: claimRev, Message: "previous-hash link is broken"},
				{Revision: claimRev + 1, Message: fmt.Sprintf("says it is revision %d: events were moved or reordered", claimRev)},
				{Revision: claimRev + 1, Message: "previous-hash link is broken"},
				{Revision: claimRev + 2, Message: "previous-hash link is broken"},
			},
		},
		{
			name: "ErrChain/EditedHead",
			tamper: func(tx *bolt.Tx) error {
				b := tx.Bucket([]byte("log"))
				rec := bytes.Clone(b.Get(relRevKey(head)))
				rec[len(rec)-3] ^= 0x01 // inside the payload's last string
				return b.Put(relRevKey(head), rec)
			},
			want: []events.Problem{{Revision: head, Message: "the event was modified after it was written"}},
		},
		{
			name: "ErrCutShort/LastTwoEvents",
			tamper: func(tx *bolt.Tx) error {
				b := tx.Bucket([]byte("log"))
				if err := b.Delete(relRevKey(head)); err != nil {
					return err
				}
				return b.Delete(relRevKey(head - 1))
			},
			want: []events.Problem{{Revision: head - 1, Message: fmt.Sprintf("the log was cut short after revision %d", head-2)}},
		},
		{
			name: "ErrFixity/EditedSourceByte",
			tamper: func(tx *bolt.Tx) error {
				b := tx.Bucket([]byte("blobs"))
				raw := bytes.Clone(b.Get(ledger1[:]))
				i := bytes.Index(raw, []byte("was founded"))
				raw[i] = 'W'
				return b.Put(ledger1[:], raw)
			},
			want: []events.Problem{{Revision: ledger1Rev, Source: "ledger-1", Message: "they were altered"}},
		},
		{
			name: "ErrCheckpoint/EditedCheckpoint",
			tamper: func(tx *bolt.Tx) error {
				b := tx.Bucket([]byte("projections")).Bucket([]byte("checkpoints"))
				v := bytes.Clone(b.Get(relRevKey(checkpoint)))
				// Change a claim's value in the stored state: the
				// checkpoint's checksum no longer matches.
				i := bytes.Index(v, []byte("keep record "))
				if i < 0 {
					return fmt.Errorf("no text value in the checkpoint")
				}
				v[i] = 'K'
				return b.Put(relRevKey(checkpoint), v)
			},
			want:     []events.Problem{{Revision: checkpoint, Message: "sillok rebuild repairs it"}},
			repaired: []events.Revision{checkpoint},
			fixed:    true,
		},
		{
			name: "ErrCheckpoint/ForgedCheckpoint",
			tamper: func(tx *bolt.Tx) error {
				b := tx.Bucket([]byte("projections")).Bucket([]byte("checkpoints"))
				v := bytes.Clone(b.Get(relRevKey(checkpoint)))
				// The same edit with the checksum (CRC-32C of all
				// that follows it, in the first four bytes) recomputed:
				// only a comparison with a replay of the log finds it.
				i := bytes.Index(v, []byte("keep record "))
				if i < 0 {
					return fmt.Errorf("no text value in the checkpoint")
				}
				v[i] = 'K'
				binary.LittleEndian.PutUint32(v, crc32.Checksum(v[4:], crc32.MakeTable(crc32.Castagnoli)))
				return b.Put(relRevKey(checkpoint), v)
			},
			want:       []events.Problem{{Revision: checkpoint, Message: "differs from a replay of the log"}},
			repaired:   []events.Revision{checkpoint},
			fixed:      true,
			replayOnly: true,
		},
		{
			name: "ErrReadModel/EditedRecord",
			tamper: func(tx *bolt.Tx) error {
				// An entity's record in the stored read model, edited in
				// place: its checksum no longer matches.
				return relEditModel(tx, false)
			},
			want:  []events.Problem{{Message: "the stored read model: the read model's record"}},
			fixed: true,
		},
		{
			name: "ErrReadModel/ForgedRecord",
			tamper: func(tx *bolt.Tx) error {
				// The same edit with the record's checksum recomputed:
				// only a comparison with a replay finds it.
				return relEditModel(tx, true)
			},
			want:       []events.Problem{{Message: "the stored read model differs from a replay of the log"}},
			fixed:      true,
			replayOnly: true,
		},
		{
			name: "ErrReadModel/Unfinished",
			tamper: func(tx *bolt.Tx) error {
				// What a rebuild stopped while it wrote the model in
				// chunks leaves: the keys, and no "rev" (it is the last
				// write).
				return tx.Bucket([]byte("projections")).Bucket([]byte("model")).Delete([]byte("rev"))
			},
			want:  []events.Problem{{Message: "the stored read model is unfinished"}},
			fixed: true,
		},
		{
			name: "ErrCheckpoint/GarbledCheckpoint",
			tamper: func(tx *bolt.Tx) error {
				b := tx.Bucket([]byte("projections")).Bucket([]byte("checkpoints"))
				v := bytes.Clone(b.Get(relRevKey(checkpoint)))
				return b.Put(relRevKey(checkpoint), v[:len(v)/2])
			},
			want:     []events.Problem{{Revision: checkpoint, Message: "sillok rebuild repairs it"}},
			repaired: []events.Revision{checkpoint},
			fixed:    true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "tampered.db")
			relCopy(t, pristine, path)
			relTamper(t, path, tt.tamper)

			var flags []string
			if tt.replayOnly {
				if rep, code := relVerify(t, path); code != 0 || !rep.OK {
					t.Fatalf("verify without --replay: got exit status %d, problems %v, want it to pass", code, rep.Problems)
				}
				flags = []string{"--replay"}
			}
			rep, code := relVerify(t, path, flags...)
			if code != 1 || rep.OK {
				t.Fatalf("verify %v: got exit status %d, ok %v, want 1 and not ok", flags, code, rep.OK)
			}
			relWantProblems(t, "verify", rep.Problems, tt.want)
			stdout, stderr, code := runInProcess(t, path, append([]string{"verify"}, flags...)...)
			problem := "PROBLEM revision "
			if tt.want[0].Revision == 0 {
				problem = "PROBLEM the stored read model" // not of one revision
			}
			if code != 1 || !strings.Contains(stdout, problem) || !strings.Contains(stderr, "verify found") {
				t.Errorf("verify: got exit status %d, %q, %q, want 1, the problems and a summary", code, stdout, stderr)
			}

			// A read on a tampered log still answers or fails clearly.
			for _, args := range [][]string{{"view", "--json"}, {"conflicts", "--json"}, {"log", "--json"}} {
				stdout, stderr, code := runInProcess(t, path, args...)
				if code != 0 {
					assertCleanError(t, stdout, stderr, code, 1)
				}
			}

			before, _ := os.ReadFile(path)
			stdout, stderr, code = runInProcess(t, path, "rebuild", "--json")
			t.Logf("rebuild: exit status %d, %s%s", code, strings.Join(strings.Fields(stdout), " "), stderr)
			var reb struct {
				Revision events.Revision   `json:"revision"`
				Repaired []events.Revision `json:"repaired"`
			}
			switch {
			case tt.fixed && code == 0:
				if err := json.Unmarshal([]byte(stdout), &reb); err != nil {
					t.Fatalf("rebuild --json printed %q: %v", stdout, err)
				}
				if !slices.Equal(reb.Repaired, tt.repaired) {
					t.Errorf("rebuild --json: got repaired %v, want %v", reb.Repaired, tt.repaired)
				}
			case tt.fixed:
				t.Fatalf("rebuild: got exit status %d, %q, want it to repair the checkpoint", code, stderr)
			default:
				// History is never "repaired": rebuild refuses a log whose
				// events or sources were altered, clearly, and leaves the
				// file as it was.
				assertCleanError(t, stdout, stderr, code, 1, "rebuild refuses")
				if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
					t.Errorf("a refused rebuild changed the archive")
				}
			}

			rep, code = relVerify(t, path, flags...)
			if tt.fixed {
				if code != 0 || !rep.OK || rep.Head != head {
					t.Errorf("verify after rebuild: got exit status %d, ok %v at head %d, problems %v, want ok at %d", code, rep.OK, rep.Head, rep.Problems, head)
				}
				return
			}
			relWantProblems(t, "verify after rebuild", rep.Problems, tt.want)
		})
	}
}

// relEditModel edits the first entity record of the stored read model
// (bucket projections/model/cur, keys "e\x00" + entity key, values JSON
// and a CRC-32C of key and value; projections/doc.go), recomputing the
// checksum when forge is set.
func relEditModel(tx *bolt.Tx, forge bool) error {
	b := tx.Bucket([]byte("projections")).Bucket([]byte("model")).Bucket([]byte("cur"))
	c := b.Cursor()
	k, v := c.Seek([]byte("e\x00"))
	if k == nil || !bytes.HasPrefix(k, []byte("e\x00")) {
		return fmt.Errorf("no entity record in the read model")
	}
	k, v = bytes.Clone(k), bytes.Clone(v)
	i := bytes.Index(v, []byte(`"name":"`))
	if i < 0 {
		return fmt.Errorf("entity record %q has no name", v)
	}
	v[i+len(`"name":"`)] ^= 0x20 // the first letter's case
	if forge {
		tab := crc32.MakeTable(crc32.Castagnoli)
		sum := crc32.Update(crc32.Checksum(k, tab), tab, v[:len(v)-4])
		binary.LittleEndian.PutUint32(v[len(v)-4:], sum)
	}
	return b.Put(k, v)
}

// relWantProblems checks that got are exactly the problems want: the same
// revisions and sources, each message containing the wanted fragment.
func relWantProblems(t *testing.T, what string, got, want []events.Problem) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got %d problems %v, want %d: %v", what, len(got), got, len(want), want)
		return
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Revision != w.Revision || g.Source != w.Source || !strings.Contains(g.Message, w.Message) {
			t.Errorf("%s: problem %d: got %+v, want revision %d, source %q and a message with %q", what, i, g, w.Revision, w.Source, w.Message)
		}
	}
}
