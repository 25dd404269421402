package projections

import (
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
)

// TestNameVerdictIncremental records dismissals and "distinct" verdicts on
// name conflicts, which take the incremental path (partialname.go), and
// after each compares the stored model with a replay's, key for key: a
// dismissal, a stale dismissal a claim joined after (reopened), and a
// "distinct" between two entities with several name conflicts between
// them, one of them dismissed before (it goes: a dismissal names no names
// to rebuild it from). A second verdict on a conflict falls back to the
// full analysis; a "same" between entities of one name each does not. A declaration that two
// names are different things (alias --distinct) takes the path too.
func TestNameVerdictIncremental(t *testing.T) {
	m := newModelLog(t, 1000)
	st, step, analysis := m.st, m.step, m.analysis
	// between returns the open name conflicts between the entities of two
	// names.
	between := func(an *Analysis, x, y string) []*Conflict {
		ex, ey := an.Entity(x), an.Entity(y)
		var out []*Conflict
		for _, cf := range an.Conflicts {
			if cf.Kind != KindName {
				continue
			}
			a, b := an.Entity(cf.Names[0]), an.Entity(cf.Names[1])
			if (a == ex && b == ey) || (a == ey && b == ex) {
				out = append(out, cf)
			}
		}
		return out
	}
	verdict := func(an *Analysis, cf *Conflict, d events.Decision) *events.VerdictRecorded {
		t.Helper()
		v, err := an.Verdict(cf, d, "", "", false)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// Two entities, each with two names that look like the other's two:
	// Hyundai Motor (also "Hyundai Motor Company") and Hyundai Motors
	// (also "Hyundai Motors Company"); and Hyundai Motar, which looks like
	// the first; and Samsung Electronics and Samsung Electronic.
	claim := func(id, subject, as, value string) *events.ClaimAsserted {
		c := eventstest.Claim(id, "wire", subject, "born", value, "born in "+value)
		c.As = as
		return c
	}
	step("the sources and names",
		eventstest.Predicate("born", events.KindDate),
		m.source("wire", "born in 1952 born in 1953 born in 1954 born in 1955 born in 1969"),
		claim("hye", "Hyundai Motor", "", "1952"),
		claim("hye-pak", "Hyundai Motor", "Hyundai Motor Company", "1952"),
		claim("hae", "Hyundai Motors", "", "1953"),
		claim("hae-pak", "Hyundai Motors", "Hyundai Motors Company", "1953"),
		claim("ho", "Hyundai Motar", "", "1954"),
		claim("sam", "Samsung Electronics", "", "1969"),
		claim("sam-2", "Samsung Electronic", "", "1969"),
	)
	an := analysis()
	pair := between(an, "Hyundai Motor", "Hyundai Motors")
	if len(pair) < 2 {
		t.Fatalf("%d name conflicts between Hyundai Motor and Hyundai Motors, want 2 or more for this test", len(pair))
	}
	if len(between(an, "Hyundai Motor", "Hyundai Motar")) == 0 {
		t.Fatal("no name conflict between Hyundai Motor and Hyundai Motar")
	}

	partial := st.PartialWrites
	step("a dismissal", verdict(an, pair[0], events.DecisionDismiss))
	if st.PartialWrites != partial+1 {
		t.Errorf("the dismissal took the incremental path %d times, want 1", st.PartialWrites-partial)
	}

	// A stale dismissal: a claim on Hyundai Motar joins its conflict after
	// the revision the reviewer saw.
	stale := analysis()
	ho := between(stale, "Hyundai Motor", "Hyundai Motar")[0]
	step("a claim that joins a conflict", claim("ho-2", "Hyundai Motar", "", "1955"))
	partial = st.PartialWrites
	step("a stale dismissal", verdict(stale, ho, events.DecisionDismiss))
	if st.PartialWrites != partial+1 {
		t.Errorf("the stale dismissal took the incremental path %d times, want 1", st.PartialWrites-partial)
	}

	an = analysis()
	pair = between(an, "Hyundai Motor", "Hyundai Motors")
	var open *Conflict
	for _, cf := range pair {
		if cf.Verdict == nil {
			open = cf
		}
	}
	if open == nil {
		t.Fatal("no name conflict without a verdict left between Hyundai Motor and Hyundai Motors")
	}
	partial = st.PartialWrites
	step("distinct", verdict(an, open, events.DecisionDistinct))
	if st.PartialWrites != partial+1 {
		t.Errorf("the distinct verdict took the incremental path %d times, want 1", st.PartialWrites-partial)
	}
	an = analysis()
	var kept, gone int
	for _, cf := range pair {
		switch got := an.conflicts[cf.ID]; {
		case got == nil:
			gone++
		case got.Status != ConflictResolved:
			t.Errorf("conflict %s between the two entities is %s after distinct, want resolved", cf.ID, got.Status)
		default:
			kept++
		}
	}
	if kept != 1 || gone != len(pair)-1 {
		t.Errorf("%d conflicts between the two entities stay after distinct and %d go, want 1 (the distinct one) and %d", kept, gone, len(pair)-1)
	}

	// A declaration that Hyundai Motor and Hyundai Motar are different
	// things ends their conflict, dismissed before (a dismissal names no
	// names to rebuild it from).
	partial = st.PartialWrites
	step("alias distinct", &events.AliasDeclared{Name: "Hyundai Motar", Entity: "Hyundai Motor", Kind: events.AliasDistinct})
	if st.PartialWrites != partial+1 {
		t.Errorf("the distinct declaration took the incremental path %d times, want 1", st.PartialWrites-partial)
	}
	if got := m.analysis().conflicts[ho.ID]; got != nil {
		t.Errorf("conflict %s between Hyundai Motor and Hyundai Motar is %s after they were declared distinct, want gone", ho.ID, got.Status)
	}

	// A second verdict on a conflict analyses the whole state; a "same"
	// between two entities of one name each does not (partialsame.go).
	an = analysis()
	full := st.FullWrites
	step("a verdict over a verdict", func() *events.VerdictRecorded {
		v, err := an.Verdict(an.conflicts[open.ID], events.DecisionDismiss, "", "", true)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}())
	if st.FullWrites != full+1 {
		t.Errorf("a second verdict on a conflict was written by the full analysis %d times, want 1", st.FullWrites-full)
	}
	an = analysis()
	partial = st.PartialWrites
	step("same", verdict(an, between(an, "Samsung Electronics", "Samsung Electronic")[0], events.DecisionSame))
	if st.PartialWrites != partial+1 {
		t.Errorf("a same verdict between two entities of one name each took the incremental path %d times, want 1", st.PartialWrites-partial)
	}
}
