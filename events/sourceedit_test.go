package events_test

import (
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
)

// An archive made before the source-edit index existed has no bucket for
// it: reads find no edits, and the first write creates it.
func TestSourceEditIndexOnOlderArchive(t *testing.T) {
	log := eventstest.MustOpenLog(t)
	path := log.Path()
	if err := log.Update(func(tx *events.Tx) error {
		_, err := tx.Append("a", eventstest.Source("alpha", "alpha bytes"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	log.Close()
	db, err := bolt.Open(path, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("index")).DeleteBucket([]byte(events.IndexSourceEdit))
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	log, err = events.Open(path, events.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	count := func(tx *events.Tx) int {
		n := 0
		if err := tx.IndexPrefix(events.IndexSourceEdit, "alpha\x00", func(string, events.Revision) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if err := log.View(func(tx *events.Tx) error {
		if n := count(tx); n != 0 {
			t.Errorf("edits before any = %d", n)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	ed := &events.SourceEdited{ID: "alpha", Edit: 1, Title: "Alpha"}
	if err := log.Update(func(tx *events.Tx) error {
		_, err := tx.Append("a", ed)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := log.View(func(tx *events.Tx) error {
		if n := count(tx); n != 1 {
			t.Errorf("edits = %d, want 1", n)
		}
		if rev, ok := tx.Lookup(events.IndexSourceEdit, events.SourceEditKey("alpha", 1)); !ok || rev != 2 {
			t.Errorf("Lookup = %d, %v; want revision 2", rev, ok)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// The same edit number again is a duplicate.
	err = log.Update(func(tx *events.Tx) error {
		_, err := tx.Append("a", ed)
		return err
	})
	if err == nil {
		t.Error("the same edit number twice was appended")
	}
}

func TestSourceEditedValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    events.SourceEdited
		ok   bool
	}{
		{"Title", events.SourceEdited{ID: "a", Edit: 1, Title: "T"}, true},
		{"Clear", events.SourceEdited{ID: "a", Edit: 2, Cleared: []string{"translation_of", "translator"}}, true},
		{"Nothing", events.SourceEdited{ID: "a", Edit: 1, Note: "why"}, false},
		{"NoNumber", events.SourceEdited{ID: "a", Title: "T"}, false},
		{"BadID", events.SourceEdited{ID: "A b", Edit: 1, Title: "T"}, false},
		{"Self", events.SourceEdited{ID: "a", Edit: 1, TranslationOf: "a"}, false},
		{"SetAndCleared", events.SourceEdited{ID: "a", Edit: 1, Title: "T", Cleared: []string{"title"}}, false},
		{"ClearUnknown", events.SourceEdited{ID: "a", Edit: 1, Cleared: []string{"digest"}}, false},
		{"ClearTwice", events.SourceEdited{ID: "a", Edit: 1, Cleared: []string{"url", "url"}}, false},
		{"ControlChar", events.SourceEdited{ID: "a", Edit: 1, Title: "a\x00b"}, false},
	} {
		if err := tc.p.Validate(); (err == nil) != tc.ok {
			t.Errorf("%s: Validate = %v, want ok %v", tc.name, err, tc.ok)
		}
	}
}
