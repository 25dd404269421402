package archive

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/sources"
)

func TestVerifyFile(t *testing.T) {
	eventstest.FileOnly(t, "VerifyFile of damaged files")
	path := filepath.Join(t.TempDir(), "a.db")
	a, err := Create(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddSource("kim", []byte("Some words of a source, enough of them.\n"), sources.Meta{ID: "s"}); err != nil {
		t.Fatal(err)
	}
	a.Close()

	rep, err := VerifyFile(path, Options{}, VerifyOptions{})
	if err != nil || !rep.OK || rep.Events != 1 || rep.Damaged {
		t.Fatalf("VerifyFile of a sound archive: %+v, %v", rep, err)
	}
	if _, err := VerifyFile(filepath.Join(t.TempDir(), "none.db"), Options{}, VerifyOptions{}); !errors.Is(err, events.ErrNoArchive) || ErrorCode(err) != NotFound {
		t.Errorf("VerifyFile of no archive: %v, want NotFound, events.ErrNoArchive", err)
	}

	// Lose a bucket: the file no longer opens, and that is the report.
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket([]byte("index")) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(path, Options{ReadOnly: true}); !errors.As(err, new(*events.DamagedError)) {
		t.Fatalf("Open of the damaged file: %v, want a DamagedError", err)
	}
	rep, err = VerifyFile(path, Options{}, VerifyOptions{})
	if err != nil || rep.OK || !rep.Damaged || len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0].Message, "the archive file is damaged: ") {
		t.Fatalf("VerifyFile of a damaged file: %+v, %v; want the damage as its one problem", rep, err)
	}
}
