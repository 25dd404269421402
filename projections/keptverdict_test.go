package projections

import (
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
)

// TestVerdictOnKeptValueConflict dismisses a value conflict kept from an
// earlier verdict after a split of names (a retraction of the claim whose
// "as" joined the names) left its one claim on another entity than the
// one whose fact links it by id (found by a review): the fact shows the
// dismissal's values, so the write analyses the whole state, and the
// stored model must equal a replay's.
func TestVerdictOnKeptValueConflict(t *testing.T) {
	m := newModelLog(t, 1000)
	a1 := dateClaim("a1", "wire", "X Corp", "opened", "2000")
	a1.As = "Pier"
	m.step("claims", eventstest.Predicate("founded", events.KindDate), eventstest.Predicate("opened", events.KindDate),
		m.source("wire", "some words"), m.source("daily", "other words"),
		dateClaim("x0", "wire", "X Corp", "founded", "1990"), a1, dateClaim("p1", "daily", "Pier", "opened", "2002"))
	var v *events.VerdictRecorded
	an := m.analysis()
	for _, cf := range an.Conflicts {
		if cf.Kind == KindValue && cf.Predicate == "opened" {
			var err error
			if v, err = an.Verdict(cf, events.DecisionReject, "p1", "", false); err != nil {
				t.Fatal(err)
			}
		}
	}
	if v == nil {
		t.Fatal("no value conflict on opened")
	}
	m.step("reject p1", v)
	m.step("retract a1", &events.ClaimRetracted{Claim: "a1", Reason: "test"})
	m.step("x2", dateClaim("x2", "wire", "X Corp", "opened", "2001"))
	an = m.analysis()
	if an.Entity("Pier") == an.Entity("X Corp") {
		t.Fatal("Pier and X Corp are one entity after the retraction")
	}
	cf, err := an.Conflict(v.Conflict)
	if err != nil {
		t.Fatal(err)
	}
	d, err := an.Verdict(cf, events.DecisionDismiss, "", "", true)
	if err != nil {
		t.Fatal(err)
	}
	before := m.st.PartialWrites
	m.step("dismiss", d)
	if m.st.PartialWrites != before {
		t.Error("the dismissal of a conflict another entity's fact links took the incremental path")
	}
}
