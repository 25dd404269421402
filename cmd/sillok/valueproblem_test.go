package main

import (
	"strings"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

// TestVerifyValueProblems checks that a claim whose stored date no longer
// parses (appended here without its Validate, as an archive written under
// another parser might hold it) is listed by verify --replay with its
// revision and claim, and does not stop the other commands: the view
// shows it as written.
func TestVerifyValueProblems(t *testing.T) {
	archive := newArchive(t, func(tx *events.Tx) error {
		body := "The port opened in May 2021, or so they say."
		d, err := tx.PutBlob([]byte(body))
		if err != nil {
			return err
		}
		text, err := sources.Text([]byte(body))
		if err != nil {
			return err
		}
		claim := eventstest.Claim("c1", "alpha", "Port", "opened", "May 2021", "opened in May 2021")
		claim.Value = events.Value{Kind: events.KindDate, Date: "2021-05-32"}
		if claim.Quote, err = provenance.Anchor(d, text, "opened in May 2021", provenance.Context{}); err != nil {
			return err
		}
		for _, p := range []events.Payload{
			eventstest.Source("alpha", body),
			eventstest.Predicate("opened", events.KindDate),
			unchecked{claim},
		} {
			if _, err := tx.Append("archivist", p); err != nil {
				return err
			}
		}
		return nil
	})
	if out := mustRunInProcess(t, archive, "verify"); !strings.Contains(out, "ok") {
		t.Errorf("verify: %s", out)
	}
	stdout, stderr, code := runInProcess(t, archive, "verify", "--replay")
	want := `revision 3, claim c1: its date "2021-05-32" does not parse`
	if code != 1 || !strings.Contains(stdout+stderr, want) {
		t.Errorf("verify --replay: exit %d, stdout %q, stderr %q; want exit 1 and %q", code, stdout, stderr, want)
	}
	if out := mustRunInProcess(t, archive, "view", "Port"); !strings.Contains(out, "2021-05-32") {
		t.Errorf("view Port: %s", out)
	}
}
