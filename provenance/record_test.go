package provenance_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/provenance"
)

// TestAssertSameIDOtherContent: a claim id reused with other content is
// refused, and the message names a revision only when that revision is
// written: a claim recorded earlier in the same transaction has none yet.
func TestAssertSameIDOtherContent(t *testing.T) {
	body := "The network was launched in April 2023 and opened in May 2023."
	log := eventstest.MustOpenLog(t)
	defer log.Close()
	if err := log.Update(func(tx *events.Tx) error {
		if _, err := tx.PutBlob([]byte(body)); err != nil {
			return err
		}
		for _, p := range []events.Payload{eventstest.Source("alpha", body), eventstest.Predicate("launched", events.KindDate)} {
			if _, err := tx.Append("archivist", p); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	first := provenance.ClaimInput{ID: "x1", Source: "alpha", Subject: "Net", Predicate: "launched", Value: "April 2023", Quote: "launched in April 2023"}
	second := first
	second.Value, second.Quote = "May 2023", "opened in May 2023"

	// Both in one transaction: the first one's revision is never written.
	err := log.Update(func(tx *events.Tx) error {
		r := provenance.NewRecorder(tx, "kim")
		if _, err := r.Assert(first); err != nil {
			t.Fatalf("first claim: %v", err)
		}
		_, err := r.Assert(second)
		return err
	})
	if !errors.Is(err, provenance.ErrClaimChanged) {
		t.Fatalf("got %v, want ErrClaimChanged", err)
	}
	if msg := err.Error(); strings.Contains(msg, "revision") || !strings.Contains(msg, "same transaction") || !strings.Contains(msg, "Net / launched = 2023-04") {
		t.Errorf("got %q, want the earlier claim of the same transaction described, and no revision", msg)
	}
	if head, _, _ := log.Head(); head != 2 {
		t.Errorf("head after the refused transaction: got %d, want 2", head)
	}

	// The first one committed: its revision is named.
	if err := log.Update(func(tx *events.Tx) error {
		_, err := provenance.NewRecorder(tx, "kim").Assert(first)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	err = log.Update(func(tx *events.Tx) error {
		_, err := provenance.NewRecorder(tx, "kim").Assert(second)
		return err
	})
	if !errors.Is(err, provenance.ErrClaimChanged) || !strings.Contains(err.Error(), "revision 3 recorded it as Net / launched = 2023-04") {
		t.Errorf("got %v, want the committed revision 3 named", err)
	}
}

// TestAssertEmptyVocabulary: an undefined predicate in an archive with no
// vocabulary is ErrUnknownPredicate and ErrNoVocabulary, and the library
// names no command or flag (the program adds its own hint).
func TestAssertEmptyVocabulary(t *testing.T) {
	body := "The network was launched in April 2023."
	log := eventstest.MustOpenLog(t)
	defer log.Close()
	err := log.Update(func(tx *events.Tx) error {
		if _, err := tx.PutBlob([]byte(body)); err != nil {
			return err
		}
		if _, err := tx.Append("archivist", eventstest.Source("alpha", body)); err != nil {
			return err
		}
		_, err := provenance.NewRecorder(tx, "kim").Assert(provenance.ClaimInput{
			Source: "alpha", Subject: "Net", Predicate: "launched", Value: "April 2023", Quote: "launched in April 2023"})
		return err
	})
	if !errors.Is(err, provenance.ErrUnknownPredicate) || !errors.Is(err, provenance.ErrNoVocabulary) {
		t.Fatalf("got %v, want ErrUnknownPredicate and ErrNoVocabulary", err)
	}
	if msg := err.Error(); strings.Contains(msg, "sillok") || strings.Contains(msg, "--") {
		t.Errorf("got %q, want no command line in a library's message", msg)
	}
}

// TestAssertAnchored: an anchor made ahead (ClaimInput.Anchored) is taken
// when it is one of the source's bytes, and ignored, the quote anchored
// afresh, when its digest or normalization is another's.
func TestAssertAnchored(t *testing.T) {
	body := "The network was launched in April 2023 and opened in May 2023."
	log := eventstest.MustOpenLog(t)
	defer log.Close()
	src := eventstest.Source("alpha", body)
	if err := log.Update(func(tx *events.Tx) error {
		if _, err := tx.PutBlob([]byte(body)); err != nil {
			return err
		}
		for _, p := range []events.Payload{src, eventstest.Predicate("launched", events.KindDate)} {
			if _, err := tx.Append("archivist", p); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	ahead, err := provenance.Anchor(src.Digest, body, "opened in May 2023", provenance.Context{})
	if err != nil {
		t.Fatal(err)
	}
	other := ahead
	other.Digest = events.DigestOf([]byte("another text"))
	stale := ahead
	stale.Normalization++
	for _, c := range []struct {
		name     string
		anchored events.Anchor
		want     string // the quote recorded
	}{
		{"Taken", ahead, "opened in May 2023"},
		{"OtherDigest", other, "launched in April 2023"},
		{"OtherNormalization", stale, "launched in April 2023"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var rec provenance.Recorded
			err := log.Update(func(tx *events.Tx) error {
				a := c.anchored
				var err error
				rec, err = provenance.NewRecorder(tx, "kim").Assert(provenance.ClaimInput{Source: "alpha", Subject: "Net " + c.name,
					Predicate: "launched", Value: "April 2023", Quote: "launched in April 2023", Anchored: &a})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := rec.Claim.Quote.Quote.Exact; got != c.want {
				t.Errorf("recorded the quote %q, want %q", got, c.want)
			}
		})
	}
}

// TestAssertResolved: a value resolved ahead (ClaimInput.Resolved) is taken
// when it was resolved for the predicate's kind and the source's
// publication date, and ignored, the value resolved afresh, otherwise.
func TestAssertResolved(t *testing.T) {
	body := "The network was launched in April 2023 and opened in May 2023."
	log := eventstest.MustOpenLog(t)
	defer log.Close()
	src := eventstest.Source("alpha", body)
	if err := log.Update(func(tx *events.Tx) error {
		if _, err := tx.PutBlob([]byte(body)); err != nil {
			return err
		}
		for _, p := range []events.Payload{src, eventstest.Predicate("launched", events.KindDate)} {
			if _, err := tx.Append("archivist", p); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	may, ok := provenance.ResolveAhead(events.KindDate, "May 2023", "launched in April 2023", src.Published)
	if !ok || may.Value.Date != "2023-05" {
		t.Fatalf("ResolveAhead: got %+v, %v, want 2023-05", may, ok)
	}
	if _, ok := provenance.ResolveAhead(events.KindDate, "not a date", "", src.Published); ok {
		t.Errorf("ResolveAhead resolved %q", "not a date")
	}
	otherKind := *may
	otherKind.Kind = events.KindText
	otherDate := *may
	otherDate.Published = "1999-01-01"
	otherQuote := *may
	otherQuote.Quote = "to be launched in April 2023"
	for _, c := range []struct {
		name     string
		resolved provenance.Resolved
		want     string // the date recorded
	}{
		{"Taken", *may, "2023-05"},
		{"OtherKind", otherKind, "2023-04"},
		{"OtherPublished", otherDate, "2023-04"},
		{"OtherQuote", otherQuote, "2023-04"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var rec provenance.Recorded
			err := log.Update(func(tx *events.Tx) error {
				res := c.resolved
				var err error
				rec, err = provenance.NewRecorder(tx, "kim").Assert(provenance.ClaimInput{Source: "alpha", Subject: "Net " + c.name,
					Predicate: "launched", Value: "April 2023", Quote: "launched in April 2023", Resolved: &res})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := rec.Claim.Value.Date; got != c.want {
				t.Errorf("recorded the date %q, want %q", got, c.want)
			}
		})
	}
}
