package projections

import (
	"strings"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
)

// TestSameIncremental records "same" on a name conflict between two
// entities with facts and conflicts of their own, a value conflict of the
// later one dismissed before, a relation from a third entity to a fact
// both have, a temporal conflict of it, and a name conflict of the later
// one with a third entity:
// the write takes the incremental path (partialsame.go), and the stored
// model must equal a replay's, key for key. A merge the path does not
// take (the later name used as a value, a name declared distinct from
// another, an entity with an alias) analyses the whole state.
func TestSameIncremental(t *testing.T) {
	early, late := "Agency for the Nudepasa", "Agency of the Nudepasa"
	date := func(id, source, subject, predicate, d string) *events.ClaimAsserted {
		c := eventstest.Claim(id, source, subject, predicate, "", "some words")
		c.Value = events.Value{Kind: events.KindDate, Date: d}
		return c
	}
	// setup returns a log with the two entities, and the name conflict
	// between them.
	setup := func(t *testing.T, relTo string, more ...events.Payload) (*modelLog, *Conflict) {
		t.Helper()
		m := newModelLog(t, 1000)
		after := eventstest.Claim("loop-after", "wire", "Loop", "opened", "", "some words")
		after.Value = events.Value{Kind: events.KindDate, Relation: &events.Relation{Op: events.RelAfter,
			To: events.FactRef{Subject: relTo, Predicate: "opened"}}}
		ps := []events.Payload{eventstest.Predicate("founded", events.KindDate), eventstest.Predicate("opened", events.KindDate),
			eventstest.Predicate("led by", events.KindEntity),
			m.source("wire", "some words"), m.source("daily", "other words"),
			date("e1", "wire", early, "founded", "2019"), date("e2", "daily", early, "founded", "2020"),
			date("l1", "wire", late, "founded", "2018"), date("l2", "daily", late, "founded", "2019"),
			date("l3", "wire", late, "opened", "2021"), date("e4", "wire", early, "opened", "2021"),
			date("loop", "wire", "Loop", "opened", "2020"), after,
			date("n1", "wire", strings.Replace(late, "Nudepasa", "Nudepaza", 1), "founded", "2017"),
		}
		m.step("the claims", append(ps, more...)...)
		an := m.analysis()
		// The later entity's value conflict, dismissed.
		for _, cf := range an.Conflicts {
			if cf.Kind == KindValue && cf.Subject == late {
				v, err := an.Verdict(cf, events.DecisionDismiss, "", "", false)
				if err != nil {
					t.Fatal(err)
				}
				m.step("a dismissal of the later entity's value conflict", v)
			}
		}
		an = m.analysis()
		for _, cf := range an.Conflicts {
			if cf.Kind == KindName && an.Entity(cf.Names[0]) != an.Entity(cf.Names[1]) &&
				((cf.Names[0] == early && cf.Names[1] == late) || (cf.Names[0] == late && cf.Names[1] == early)) {
				return m, cf
			}
		}
		t.Fatalf("no name conflict between %q and %q", early, late)
		return nil, nil
	}
	same := func(t *testing.T, m *modelLog, cf *Conflict, incremental bool) {
		t.Helper()
		an := m.analysis()
		v, err := an.Verdict(cf, events.DecisionSame, "", "one agency", false)
		if err != nil {
			t.Fatal(err)
		}
		before := m.st.PartialWrites
		m.step("same", v)
		if got := m.st.PartialWrites > before; got != incremental {
			t.Errorf("same: incremental %v, want %v", got, incremental)
		}
		an = m.analysis()
		if an.Entity(early) == nil || an.Entity(early) != an.Entity(late) {
			t.Errorf("after same, %q and %q are not one entity", early, late)
		}
	}

	t.Run("Incremental", func(t *testing.T) {
		m, cf := setup(t, early)
		names := 0
		for _, c := range m.analysis().Conflicts {
			if c.Kind == KindName {
				names++
			}
		}
		kinds := map[ConflictKind]int{}
		for _, c := range m.analysis().Conflicts {
			kinds[c.Kind]++
		}
		if names < 2 || kinds[KindTemporal] == 0 || kinds[KindValue] < 2 {
			t.Fatalf("conflicts %v; want the later entity's name conflict with a third one, a temporal one, and each entity's value conflict", kinds)
		}
		same(t, m, cf, true)
		// The merged entity takes more writes.
		m.step("a claim on the merged entity", date("e3", "wire", late, "founded", "2021"))
	})
	t.Run("LaterNameFirstInTheVerdict", func(t *testing.T) {
		// The verdict makes its second name, the earlier, the alias: the
		// merged entity shows the later name, which the facts citing the
		// earlier one as their relation's target show too.
		early, late = late, early
		defer func() { early, late = late, early }()
		m, cf := setup(t, early)
		if cf.Names[0] != late {
			t.Fatalf("the verdict names %q first; want the later name, %q", cf.Names[0], late)
		}
		same(t, m, cf, false)
	})
	t.Run("LaterNameShown", func(t *testing.T) {
		// The same, with the earlier name no relation's target: the merged
		// entity shows the later name, in its record and the view's order.
		early, late = late, early
		defer func() { early, late = late, early }()
		m, cf := setup(t, "Hub")
		if cf.Names[0] != late {
			t.Fatalf("the verdict names %q first; want the later name, %q", cf.Names[0], late)
		}
		same(t, m, cf, true)
		if got := m.analysis().Entity(early).Name; got != late {
			t.Errorf("the merged entity shows %q, want %q", got, late)
		}
	})
	t.Run("LaterNameAsRelationTarget", func(t *testing.T) {
		c := eventstest.Claim("pier-after", "wire", "Pier", "opened", "", "some words")
		c.Value = events.Value{Kind: events.KindDate, Relation: &events.Relation{Op: events.RelAfter,
			To: events.FactRef{Subject: late, Predicate: "opened"}}}
		m, cf := setup(t, early, c)
		same(t, m, cf, false)
	})
	t.Run("LaterNameAsValue", func(t *testing.T) {
		led := eventstest.Claim("led", "wire", "Loop", "led by", "", "some words")
		led.Value = events.Value{Kind: events.KindEntity, Entity: late}
		m, cf := setup(t, early, led)
		same(t, m, cf, false)
	})
	t.Run("DeclaredDistinct", func(t *testing.T) {
		m, cf := setup(t, early, &events.AliasDeclared{Name: "Loop", Entity: early, Kind: events.AliasDistinct})
		same(t, m, cf, false)
	})
	t.Run("Alias", func(t *testing.T) {
		c := date("as", "wire", early, "founded", "2019")
		c.As = "the Agency"
		m, cf := setup(t, early, c)
		same(t, m, cf, false)
	})
}

// TestSameFallsBack records "same" where a merge is not the two entities'
// part of the name graph alone, each found by a review: a name first seen
// in a declaration that joins nothing (one of a name distinct from itself,
// or an alias of it in another form), in another form or at another
// revision than its claims show;
// two names of one NameKey keyed by their own keys ("Disney" and
// "Disney+"), whose keys change when one of them goes; and the tie of two
// names first seen in one claim, which the path takes. After each write
// the stored model must equal a replay's.
func TestSameFallsBack(t *testing.T) {
	date := func(id, source, subject, predicate, d string) *events.ClaimAsserted {
		c := eventstest.Claim(id, source, subject, predicate, "", "some words")
		c.Value = events.Value{Kind: events.KindDate, Date: d}
		return c
	}
	base := func(m *modelLog) []events.Payload {
		return []events.Payload{eventstest.Predicate("founded", events.KindDate), eventstest.Predicate("led by", events.KindEntity),
			m.source("wire", "some words"), m.source("daily", "other words")}
	}
	same := func(t *testing.T, m *modelLog, a, b string) bool {
		t.Helper()
		an := m.analysis()
		for _, cf := range an.Conflicts {
			if cf.Kind == KindName && cf.Verdict == nil &&
				((cf.Names[0] == a && cf.Names[1] == b) || (cf.Names[0] == b && cf.Names[1] == a)) {
				v, err := an.Verdict(cf, events.DecisionSame, "", "one", false)
				if err != nil {
					t.Fatal(err)
				}
				before := m.st.PartialWrites
				m.step("same", v)
				return m.st.PartialWrites > before
			}
		}
		t.Fatalf("no name conflict between %q and %q", a, b)
		return false
	}
	const w, l = "Agency for the Nudepasa", "Agency of the Nudepasa"
	t.Run("FormFirstSeenInADeclaration", func(t *testing.T) {
		m := newModelLog(t, 1000)
		m.step("claims", append(base(m), &events.AliasDeclared{Name: w, Entity: w, Kind: events.AliasDistinct},
			date("w1", "wire", "AGENCY FOR THE NUDEPASA", "founded", "2019"), date("l1", "daily", l, "founded", "2018"))...)
		if same(t, m, w, l) {
			t.Error("same took the incremental path")
		}
	})
	t.Run("RevisionFirstSeenInADeclaration", func(t *testing.T) {
		m := newModelLog(t, 1000)
		m.step("the vocabulary", base(m)...)
		m.step("a declaration", &events.AliasDeclared{Name: l, Entity: l, Kind: events.AliasDistinct})
		m.step("claims", date("w1", "wire", w, "founded", "2019"), date("l1", "daily", l, "founded", "2018"))
		if same(t, m, w, l) {
			t.Error("same took the incremental path")
		}
	})
	t.Run("RevisionFirstSeenInAnAlias", func(t *testing.T) {
		// An alias of a name in another form of it joins nothing.
		m := newModelLog(t, 1000)
		m.step("the vocabulary", base(m)...)
		m.step("a declaration", &events.AliasDeclared{Name: strings.ToUpper(l), Entity: l, Kind: events.AliasVariant})
		m.step("claims", date("w1", "wire", w, "founded", "2019"), date("l1", "daily", l, "founded", "2018"))
		if same(t, m, w, l) {
			t.Error("same took the incremental path")
		}
	})
	t.Run("NameKeyOfAnotherRoot", func(t *testing.T) {
		m := newModelLog(t, 1000)
		m.step("claims", append(base(m), date("w1", "wire", "Disnay", "founded", "2019"), date("l1", "daily", "Disney", "founded", "2018"),
			date("c1", "daily", "Disney+", "founded", "2017"))...)
		if same(t, m, "Disnay", "Disney") {
			t.Error("same took the incremental path")
		}
	})
	t.Run("Tie", func(t *testing.T) {
		m := newModelLog(t, 1000)
		led := eventstest.Claim("led", "wire", l, "led by", "", "some words")
		led.Value = events.Value{Kind: events.KindEntity, Entity: w}
		m.step("claims", append(base(m), led, date("w1", "wire", w, "founded", "2019"), date("l1", "daily", l, "founded", "2018"))...)
		if !same(t, m, w, l) {
			t.Error("same between two names first seen in one claim analysed the whole state")
		}
	})
}
