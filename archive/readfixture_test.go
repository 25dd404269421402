package archive

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

// The fixture: two sources that disagree about who operates five probes
// and when the first launched, a third that agrees with the first, an
// alias of the first probe, and a dismissed conflict.
const fixtureProbes = 5

func fixtureText(who, agency, launch string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "A survey of the probes now flying, by the %s desk.\n\n", who)
	for i := 1; i <= fixtureProbes; i++ {
		fmt.Fprintf(&b, "Probe Alpha-%d is operated by Agency %s, the survey says.\n", i, agency)
	}
	fmt.Fprintf(&b, "Probe Alpha-1 was launched on %s from the northern range.\n", launch)
	return b.String()
}

// testClock steps one second per call.
func testClock() func() time.Time {
	t := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return func() time.Time { t = t.Add(time.Second); return t }
}

// newFixture creates the fixture archive in a temporary directory and
// returns it open for writing.
func newFixture(t *testing.T) *Archive {
	t.Helper()
	a, err := Create(eventstest.ArchivePath(t, "fixture.db"), Options{Now: testClock(), CheckpointInterval: 8})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	srcs := []struct {
		id, agency, launch, publisher, published, lang string
	}{
		{"north-gazette", "North", "12 March 2021", "North Gazette", "2021-03-20", "en"},
		{"south-courier", "South", "14 March 2021", "South Courier", "2021-03-21", "en"},
		{"east-herald", "North", "12 March 2021", "", "", ""},
	}
	mustUpdate(t, a, func(tx *events.Tx) error {
		for _, s := range srcs {
			_, err := sources.Add(tx, "tester", []byte(fixtureText(s.id, s.agency, s.launch)), sources.Meta{
				ID: events.SourceID(s.id), Title: "Probes of " + s.id, Publisher: s.publisher, Published: s.published, Lang: s.lang})
			if err != nil {
				return err
			}
		}
		r := provenance.NewRecorder(tx, "tester")
		for _, p := range []events.PredicateDefined{{Name: "operator", Kind: events.KindText}, {Name: "launched", Kind: events.KindDate}} {
			if _, err := r.DefinePredicate(p); err != nil {
				return err
			}
		}
		if _, err := r.DeclareAlias(events.AliasDeclared{Name: "Alpha One", Entity: "Probe Alpha-1", Kind: events.AliasTranslation}); err != nil {
			return err
		}
		for _, s := range srcs[:2] {
			for i := 1; i <= fixtureProbes; i++ {
				if _, err := r.Assert(provenance.ClaimInput{
					ID: fmt.Sprintf("%s-op%d", s.id, i), Source: s.id, Subject: fmt.Sprintf("Probe Alpha-%d", i), Predicate: "operator",
					Value: "Agency " + s.agency, Quote: fmt.Sprintf("Probe Alpha-%d is operated by Agency %s", i, s.agency),
				}); err != nil {
					return err
				}
			}
		}
		for _, s := range srcs {
			if _, err := r.Assert(provenance.ClaimInput{
				ID: s.id + "-launch", Source: s.id, Subject: "Probe Alpha-1", Predicate: "launched",
				Value: s.launch, Quote: "Probe Alpha-1 was launched on " + s.launch,
			}); err != nil {
				return err
			}
		}
		return nil
	})
	// Dismiss the conflict over the fifth probe.
	mustVerdict(t, a, "Probe Alpha-5", "operator", events.DecisionDismiss, "")
	return a
}

func mustUpdate(t *testing.T, a *Archive, fn func(tx *events.Tx) error) {
	t.Helper()
	if err := a.update(fn); err != nil {
		t.Fatal(err)
	}
}

// mustVerdict records a verdict on the conflict over subject/predicate.
func mustVerdict(t *testing.T, a *Archive, subject, predicate string, d events.Decision, claim events.ClaimID) {
	t.Helper()
	mustUpdate(t, a, func(tx *events.Tx) error {
		st, _, err := a.store.Head(tx)
		if err != nil {
			return err
		}
		an := projections.Analyze(st)
		for _, cf := range an.Conflicts {
			if cf.Subject == subject && cf.Predicate == predicate {
				v, err := an.Verdict(cf, d, claim, "", false)
				if err != nil {
					return err
				}
				_, err = tx.Append("reviewer", v)
				return err
			}
		}
		return fmt.Errorf("no conflict over %s / %s", subject, predicate)
	})
}
