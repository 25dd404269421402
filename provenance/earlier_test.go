package provenance_test

import (
	"errors"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/provenance"
)

// TestAssertEarlierReading: a claim recorded before dates were read in
// their quotes holds the date the earlier rule gave ("the 26th" in a story
// of 2023-04-17: 2023-03-26). Its file imported again adds nothing, by a
// derived id or by its own, though the claim now reads 2023-04-26.
func TestAssertEarlierReading(t *testing.T) {
	body := "The Korea-US summit to be held in Washington on the 26th was announced."
	log := eventstest.MustOpenLog(t)
	defer log.Close()
	src := eventstest.Source("yonhap", body)
	src.Published = "2023-04-17"
	if err := log.Update(func(tx *events.Tx) error {
		if _, err := tx.PutBlob([]byte(body)); err != nil {
			return err
		}
		for _, p := range []events.Payload{src, eventstest.Predicate("held", events.KindDate)} {
			if _, err := tx.Append("archivist", p); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	errRollback := errors.New("roll back")
	for _, id := range []string{"", "summit-held"} {
		in := provenance.ClaimInput{ID: id, Source: "yonhap", Subject: "Korea-US summit", Predicate: "held", Value: "the 26th",
			Quote: "to be held in Washington on the 26th"}
		// What an earlier Sillok recorded: this claim with the earlier date.
		var now *events.ClaimAsserted
		err := log.Update(func(tx *events.Tx) error {
			rec, err := provenance.NewRecorder(tx, "kim").Assert(in)
			if err != nil {
				return err
			}
			now = rec.Claim
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatal(err)
		}
		if now.Value.Date != "2023-04-26" || now.Value.Rule != string(events.RuleFuture) {
			t.Fatalf("the 26th now: %s by %q, want 2023-04-26 by future-tense", now.Value.Date, now.Value.Rule)
		}
		old := *now
		old.Value.Date, old.Value.Rule = "2023-03-26", ""
		if id == "" {
			old.ID = provenance.DeriveClaimID(&old)
		}
		if err := log.Update(func(tx *events.Tx) error { _, err := tx.Append("kim", &old); return err }); err != nil {
			t.Fatal(err)
		}
		head, _, _ := log.Head()
		var again provenance.Recorded
		if err := log.Update(func(tx *events.Tx) error {
			var err error
			again, err = provenance.NewRecorder(tx, "kim").Assert(in)
			return err
		}); err != nil {
			t.Fatalf("id %q: the same claim again: %v", id, err)
		}
		if after, _, _ := log.Head(); after != head || again.Created || again.Claim.ID != old.ID || again.Claim.Value.Date != "2023-03-26" {
			t.Errorf("id %q: imported again: created %v, claim %s = %s, head %d → %d; want nothing added, the earlier claim %s", id,
				again.Created, again.Claim.ID, again.Claim.Value.Date, head, after, old.ID)
		}
	}
}
