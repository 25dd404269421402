// Package eventstest has helpers for tests of the event log and of the
// packages built on it: a fresh archive in a temporary directory with a
// deterministic clock, checked by bbolt when the test ends, and builders
// for small valid payloads.
package eventstest

import (
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/sillok/sillok/events"
)

// Epoch is the first time StepClock returns in MustOpenLog's clock.
var Epoch = time.Date(2024, 6, 7, 9, 0, 0, 0, time.UTC)

// StepClock returns a clock that returns start, then start plus one second,
// and so on, one second later per call. It is safe for concurrent use.
func StepClock(start time.Time) func() time.Time {
	var mu sync.Mutex
	next := start
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t := next
		next = next.Add(time.Second)
		return t
	}
}

// MustOpenLog creates a new archive in tb.TempDir() and returns it open.
// Without options it uses StepClock(Epoch) and skips fsync; given options
// are used as they are, except that a nil Now becomes StepClock(Epoch).
// When the test ends the log is closed and bbolt's consistency check runs
// on the file; any inconsistency fails the test.
func MustOpenLog(tb testing.TB, opts ...events.Options) *events.Log {
	tb.Helper()
	o := events.Options{NoSync: true}
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Now == nil {
		o.Now = StepClock(Epoch)
	}
	path := filepath.Join(tb.TempDir(), "sillok.db")
	log, err := events.Create(path, o)
	if err != nil {
		tb.Fatalf("events.Create(%q): %v", path, err)
	}
	tb.Cleanup(func() {
		// Close is idempotent in bbolt: a test may close the log itself.
		if err := log.Close(); err != nil {
			tb.Errorf("close %s: %v", path, err)
		}
		MustCheck(tb, path)
	})
	return log
}

// MustCheck runs bbolt's consistency check on the closed bbolt file at path
// and fails the test for every inconsistency it reports.
func MustCheck(tb testing.TB, path string) {
	tb.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		tb.Errorf("bbolt check: open %s: %v", path, err)
		return
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		return errors.Join(errs...)
	})
	if err != nil {
		tb.Errorf("bbolt check of %s: %v", path, err)
	}
}

// Source returns a valid SourceArchived for the bytes body, with the given
// slug, the digest and size of body, and a little metadata.
func Source(id string, body string) *events.SourceArchived {
	return &events.SourceArchived{
		ID:        events.SourceID(id),
		Digest:    events.DigestOf([]byte(body)),
		Size:      int64(len(body)),
		MediaType: "text/plain; charset=utf-8",
		Title:     "Source " + id,
		Lang:      "en",
		Published: "2024-04-26",
	}
}

// Predicate returns a PredicateDefined with cardinality one.
func Predicate(name string, kind events.ValueKind) *events.PredicateDefined {
	return &events.PredicateDefined{Name: name, Kind: kind}
}

// Claim returns a valid ClaimAsserted: in source, subject has predicate
// with the text value, quoted as quote.
func Claim(id, source, subject, predicate, value, quote string) *events.ClaimAsserted {
	return &events.ClaimAsserted{
		ID:        events.ClaimID(id),
		Source:    events.SourceID(source),
		Subject:   subject,
		Predicate: predicate,
		Value:     events.Value{Kind: events.KindText, Text: value},
		Quote: events.Anchor{
			Normalization: 1,
			Quote:         events.TextQuoteSelector{Exact: quote},
			Position:      events.TextPositionSelector{Start: 0, End: len([]rune(quote))},
			Occurrences:   1,
		},
	}
}
