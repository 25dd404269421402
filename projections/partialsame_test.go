package projections

import (
	"fmt"
	"slices"
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
// model must equal a replay's, key for key; so does it with aliases on
// either entity (an "as", translations declared, one before the later
// entity's first claim), and for a second "same" that joins a third
// entity to the merged one. A merge the path does not take (the later
// name used as a value, a name declared distinct from another, an alias
// of one entity of the other's NameKey) analyses the whole state.
func TestSameIncremental(t *testing.T) {
	early, late := "Agency for the Nudepasa", "Agency of the Nudepasa"
	date := dateClaim
	// setup returns a log with the two entities, and the name conflict
	// between them; first, when set, comes before the claims.
	var first []events.Payload
	setup := func(t *testing.T, relTo string, more ...events.Payload) (*modelLog, *Conflict) {
		t.Helper()
		m := newModelLog(t, 1000)
		if first != nil {
			m.step("first", first...)
		}
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
		// earlier one as their relation's target show too (the relation's
		// subject is re-derived).
		early, late = late, early
		defer func() { early, late = late, early }()
		m, cf := setup(t, early)
		if cf.Names[0] != late {
			t.Fatalf("the verdict names %q first; want the later name, %q", cf.Names[0], late)
		}
		same(t, m, cf, true)
		if got := factValue(m.analysis().Entity("Loop"), "opened"); !strings.Contains(got, late) {
			t.Errorf("Loop's opened shows %q, want the merged entity's name %q in it", got, late)
		}
	})
	t.Run("LaterNameShownByAValue", func(t *testing.T) {
		// The merged entity shows the later name, and Loop's "led by",
		// which names the earlier one, shows it too.
		early, late = late, early
		defer func() { early, late = late, early }()
		led := eventstest.Claim("led", "wire", "Loop", "led by", "", "some words")
		led.Value = events.Value{Kind: events.KindEntity, Entity: early}
		m, cf := setup(t, "Hub", led)
		same(t, m, cf, true)
		if got := factValue(m.analysis().Entity("Loop"), "led by"); got != late {
			t.Errorf("Loop is led by %q, want %q", got, late)
		}
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
		same(t, m, cf, true)
	})
	t.Run("LaterNameAsValue", func(t *testing.T) {
		// Loop's "led by" names the later entity, and shows the merged
		// one's name after; so does the later name's conflict with a
		// third entity, which shows the claim as one that uses the name.
		led := eventstest.Claim("led", "wire", "Loop", "led by", "", "some words")
		led.Value = events.Value{Kind: events.KindEntity, Entity: late}
		m, cf := setup(t, early, led)
		same(t, m, cf, true)
		an := m.analysis()
		if got := factValue(an.Entity("Loop"), "led by"); got != early {
			t.Errorf("Loop is led by %q, want %q", got, early)
		}
		shown := false
		for _, c := range an.Conflicts {
			for _, cc := range c.Claims {
				if c.Kind == KindName && cc.ID == "led" {
					shown = true
					if cc.Value != early {
						t.Errorf("name conflict %s shows claim led's value as %q, want %q", c.ID, cc.Value, early)
					}
				}
			}
		}
		if !shown {
			t.Error("no name conflict shows claim led")
		}
	})
	t.Run("DeclaredDistinct", func(t *testing.T) {
		m, cf := setup(t, early, &events.AliasDeclared{Name: "Loop", Entity: early, Kind: events.AliasDistinct})
		same(t, m, cf, false)
	})
	t.Run("Alias", func(t *testing.T) {
		c := date("as", "wire", early, "founded", "2019")
		c.As = "the Agency"
		m, cf := setup(t, early, c)
		same(t, m, cf, true)
		var got []string
		for _, al := range m.analysis().Entity(early).Aliases {
			got = append(got, al.Name+" ("+string(al.Kind)+")")
		}
		if want := []string{late + " (same)", "the Agency (variant)"}; !slices.Equal(got, want) {
			t.Errorf("the merged entity's aliases are %q, want %q", got, want)
		}
	})
	t.Run("TranslatedAliases", func(t *testing.T) {
		// Both entities have translations declared, the later entity's
		// before its first claim: its root is the declaration's name.
		first = []events.Payload{&events.AliasDeclared{Name: "ヌデパサ庁", Entity: late, Kind: events.AliasTranslation}}
		defer func() { first = nil }()
		m, cf := setup(t, "Hub", &events.AliasDeclared{Name: "누데파사 청", Entity: early, Kind: events.AliasTranslation})
		same(t, m, cf, true)
		if got := m.analysis().Entity("ヌデパサ庁"); got == nil || got.Name != early || len(got.Aliases) != 3 {
			t.Errorf("the merged entity is %+v; want %q with three aliases", got, early)
		}
	})
	t.Run("EarlierSame", func(t *testing.T) {
		// A second "same" joins a third entity to one made by the first.
		m, cf := setup(t, early)
		same(t, m, cf, true)
		third := strings.Replace(late, "Nudepasa", "Nudepaza", 1)
		for _, c := range m.analysis().Conflicts {
			if c.Kind == KindName && c.Verdict == nil && slices.Contains(c.Names, third) {
				cf = c
			}
		}
		if !slices.Contains(cf.Names, third) {
			t.Fatalf("no open name conflict with %q", third)
		}
		same(t, m, cf, true)
		if an := m.analysis(); an.Entity(third) != an.Entity(early) {
			t.Errorf("%q is not the merged entity's: %+v, %+v", third, an.Entity(third), an.Entity(early))
		}
	})
	t.Run("AfterDismissal", func(t *testing.T) {
		// A reviewer dismissed the conflict, then merges its names.
		m, cf := setup(t, early)
		an := m.analysis()
		v, err := an.Verdict(cf, events.DecisionDismiss, "", "", false)
		if err != nil {
			t.Fatal(err)
		}
		m.step("a dismissal", v)
		an = m.analysis()
		if cf, err = an.Conflict(string(cf.ID)); err != nil || cf.Verdict == nil {
			t.Fatalf("the dismissed conflict: %v, %v", cf, err)
		}
		v, err = an.Verdict(cf, events.DecisionSame, "", "one agency after all", true)
		if err != nil {
			t.Fatal(err)
		}
		before := m.st.PartialWrites
		m.step("same", v)
		if m.st.PartialWrites == before {
			t.Error("same after a dismissal analysed the whole state")
		}
		if an := m.analysis(); an.Entity(early) != an.Entity(late) {
			t.Errorf("after same, %q and %q are not one entity", early, late)
		}
	})
	t.Run("NameKeyOfBoth", func(t *testing.T) {
		// The earlier entity has an alias of the later name's NameKey.
		c := date("as", "wire", early, "founded", "2019")
		c.As = late + "!"
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
// "Disney+"), whose keys change when one of them goes. And merges the
// path takes, with what they show checked: a verdict between two aliases,
// and ties of names first seen in one claim. After each write the stored
// model must equal a replay's.
func TestSameFallsBack(t *testing.T) {
	date := dateClaim
	base := func(m *modelLog) []events.Payload {
		return []events.Payload{eventstest.Predicate("founded", events.KindDate), eventstest.Predicate("led by", events.KindEntity),
			m.source("wire", "some words"), m.source("daily", "other words")}
	}
	same := recordSame
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
	t.Run("BothNamesAliases", func(t *testing.T) {
		// The verdict is between two aliases: both entities' shown names
		// stay names nothing made an alias, and the later one becomes an
		// alias as a name joined through another.
		m := newModelLog(t, 1000)
		hub, loop := date("h1", "wire", "Hub", "founded", "2019"), date("p1", "daily", "Loop", "founded", "2018")
		hub.As, loop.As = w, l
		m.step("claims", append(base(m), hub, date("p0", "wire", "Loop", "founded", "2017"), loop)...)
		if !same(t, m, w, l) {
			t.Error("same between two aliases analysed the whole state")
		}
		e := m.analysis().Entity("Loop")
		var got []string
		for _, al := range e.Aliases {
			got = append(got, fmt.Sprintf("%s (%s, %d)", al.Name, al.Kind, al.Rev))
		}
		if want := []string{w + " (variant, 5)", "Loop (variant, 6)", l + " (variant, 7)"}; e.Name != "Hub" || !slices.Equal(got, want) {
			t.Errorf("the merged entity is %q with aliases %q, want %q with %q", e.Name, got, "Hub", want)
		}
	})
	for _, n := range []int{maxSameRefs, maxSameRefs + 1} {
		// Claims naming the later entity as their value: a merge
		// re-derives the subjects of at most maxSameRefs.
		t.Run(fmt.Sprintf("Values%d", n), func(t *testing.T) {
			m := newModelLog(t, 1000)
			ps := append(base(m), date("w1", "wire", w, "founded", "2019"), date("l1", "daily", l, "founded", "2018"))
			for i := range n {
				c := eventstest.Claim(fmt.Sprintf("v%d", i), "wire", "Loop", "led by", "", "some words")
				c.Value = events.Value{Kind: events.KindEntity, Entity: l}
				ps = append(ps, c)
			}
			m.step("claims", ps...)
			if got, want := same(t, m, w, l), n <= maxSameRefs; got != want {
				t.Errorf("same with %d values: incremental %v, want %v", n, got, want)
			}
		})
	}
	t.Run("TieOfAliases", func(t *testing.T) {
		// A name of each entity first seen in one claim, the later
		// entity's first: the merged entity lists it first among its
		// aliases (nameGraph.order), though the verdict names the other
		// entity first.
		m := newModelLog(t, 1000)
		hub := date("h1", "wire", "Hub", "founded", "2019")
		hub.As = w
		led := eventstest.Claim("led", "wire", l, "led by", "", "some words")
		led.Value = events.Value{Kind: events.KindEntity, Entity: "Hub Agency"}
		joins := date("h2", "daily", "Hub", "founded", "2019")
		joins.As = "Hub Agency"
		m.step("claims", append(base(m), hub, led, joins, date("l1", "daily", l, "founded", "2018"))...)
		if !same(t, m, w, l) {
			t.Error("same analysed the whole state")
		}
		var got []string
		for _, al := range m.analysis().Entity("Hub").Aliases {
			got = append(got, al.Name)
		}
		if want := []string{w, l, "Hub Agency"}; !slices.Equal(got, want) {
			t.Errorf("the merged entity's aliases are %q, want %q", got, want)
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

// factValue returns the value e's fact of the predicate shows, or "".
func factValue(e *Entity, predicate string) string {
	if e == nil {
		return ""
	}
	for _, f := range e.Facts {
		if f.Predicate == predicate && f.Value != nil {
			return *f.Value
		}
	}
	return ""
}

// TestSameReshow merges an entity that a claim names as its value, where
// a name conflict that lists the claim is under neither the two entities
// nor the claim's subject, each found by a review: the claim's "as" kept
// apart from its subject (its own entity, whose name conflict lists the
// claim), and a name conflict kept from a verdict that lists the claim
// after its subject split off (by a distinct declaration, or by
// retracting the claim whose "as" joined it). The merge takes the path,
// and those conflicts must show the claim's value as a replay does.
func TestSameReshow(t *testing.T) {
	date := dateClaim
	led := func(id, source, subject, value string) *events.ClaimAsserted {
		c := eventstest.Claim(id, source, subject, "led by", "", "some words")
		c.Value = events.Value{Kind: events.KindEntity, Entity: value}
		return c
	}
	base := func(m *modelLog) []events.Payload {
		return []events.Payload{eventstest.Predicate("founded", events.KindDate), eventstest.Predicate("opened", events.KindDate),
			eventstest.Predicate("led by", events.KindEntity), m.source("wire", "some words"), m.source("daily", "other words")}
	}
	same := recordSame
	// shows checks that some name conflict other than the verdict's lists
	// claim "c", showing the merged entity's name.
	shows := func(t *testing.T, m *modelLog, want string) {
		t.Helper()
		n := 0
		for _, cf := range m.analysis().Conflicts {
			for _, cc := range cf.Claims {
				if cf.Kind == KindName && cc.ID == "c" && !slices.Contains(cf.Names, want) {
					n++
					if cc.Value != want {
						t.Errorf("name conflict %s shows claim c's value as %q, want %q", cf.ID, cc.Value, want)
					}
				}
			}
		}
		if n == 0 {
			t.Error("no other name conflict lists claim c")
		}
	}
	const w, l = "Agency for the Nudepasa", "Agency of the Nudepasa"
	const x, x2, y = "Bureau of the Kalimantra", "Bureau of the Kalimantra!", "Bureau of the Kalimantro"
	t.Run("AsKeptApart", func(t *testing.T) {
		m := newModelLog(t, 1000)
		c := led("c", "wire", "Hub", l)
		c.As = x
		m.step("claims", append(base(m), date("w1", "wire", w, "founded", "2019"), date("l1", "daily", l, "founded", "2018"),
			&events.AliasDeclared{Name: x, Entity: "Hub", Kind: events.AliasDistinct},
			date("h1", "wire", "Hub", "founded", "2017"), c, date("t1", "wire", y, "founded", "2017"))...)
		if !same(t, m, w, l) {
			t.Error("same analysed the whole state")
		}
		shows(t, m, w)
	})
	// kept sets up a name conflict between x and y kept from a "same"
	// that lists claim c, whose value is l; split then splits x! (c's
	// subject) off x.
	kept := func(t *testing.T, split events.Payload) {
		m := newModelLog(t, 1000)
		asx := date("asx", "wire", x, "founded", "2019")
		asx.As = x2
		rel := eventstest.Claim("rel", "wire", x2, "opened", "", "some words")
		rel.Value = events.Value{Kind: events.KindDate, Relation: &events.Relation{Op: events.RelAfter,
			To: events.FactRef{Subject: x, Predicate: "opened"}}}
		m.step("claims", append(base(m), date("w1", "wire", w, "founded", "2019"), date("l1", "daily", l, "founded", "2018"),
			date("hx", "wire", x, "opened", "2017"), asx, led("c", "wire", x2, l), rel, date("y1", "daily", y, "founded", "2016"))...)
		same(t, m, x, y)
		m.step("the split", split)
		if an := m.analysis(); an.Entity(x) == an.Entity(x2) {
			t.Fatalf("%q and %q are one entity after the split", x, x2)
		}
		if !same(t, m, w, l) {
			t.Error("same analysed the whole state")
		}
		shows(t, m, w)
	}
	t.Run("KeptConflictOfSplitName", func(t *testing.T) {
		kept(t, &events.AliasDeclared{Name: x2, Entity: x, Kind: events.AliasDistinct})
	})
	t.Run("KeptConflictOfRetractedAs", func(t *testing.T) {
		kept(t, &events.ClaimRetracted{Claim: "asx", Reason: "test"})
	})
	// A value conflict kept from a verdict lists claim c2, whose value is
	// l, after c2's subject split off to an entity n relations away (a
	// second review's case): within maxChain the write owns the conflict
	// and shows it anew; beyond, it falls back.
	for _, n := range []int{maxChain, maxChain + 1} {
		t.Run(fmt.Sprintf("KeptValueConflict%dRelationsAway", n), func(t *testing.T) {
			const q, q2 = "Quebec", "Quebec Harbour"
			m := newModelLog(t, 1000)
			asq := date("asq", "wire", q, "founded", "2019")
			asq.As = q2
			ps := append(base(m), date("w1", "wire", w, "founded", "2019"), date("l1", "daily", l, "founded", "2018"),
				led("c1", "wire", q, "Hub"), asq, led("c2", "daily", q2, l), date("h1", "wire", "Hub", "founded", "2017"))
			chain := []string{q2}
			for i := 1; i < n; i++ {
				chain = append(chain, fmt.Sprintf("Stop %d", i))
			}
			chain = append(chain, q)
			for i := 0; i+1 < len(chain); i++ {
				r := eventstest.Claim(fmt.Sprintf("r%d", i), "wire", chain[i], "opened", "", "some words")
				r.Value = events.Value{Kind: events.KindDate, Relation: &events.Relation{Op: events.RelAfter,
					To: events.FactRef{Subject: chain[i+1], Predicate: "opened"}}}
				ps = append(ps, r)
			}
			m.step("claims", ps...)
			an := m.analysis()
			for _, cf := range an.Conflicts {
				if cf.Kind == KindValue && cf.Subject == q && cf.Predicate == "led by" {
					v, err := an.Verdict(cf, events.DecisionReject, "c1", "", false)
					if err != nil {
						t.Fatal(err)
					}
					m.step("reject c1", v)
				}
			}
			m.step("the split", &events.AliasDeclared{Name: q2, Entity: q, Kind: events.AliasDistinct})
			if an := m.analysis(); an.Entity(q) == an.Entity(q2) {
				t.Fatalf("%q and %q are one entity after the split", q, q2)
			}
			if got, want := same(t, m, w, l), n <= maxChain; got != want {
				t.Errorf("same: incremental %v, want %v", got, want)
			}
			for _, cf := range m.analysis().Conflicts {
				for _, cc := range cf.Claims {
					if cc.ID == "c2" && cc.Value != w {
						t.Errorf("conflict %s shows claim c2's value as %q, want %q", cf.ID, cc.Value, w)
					}
				}
			}
		})
	}
}

// dateClaim is a claim of a date.
func dateClaim(id, source, subject, predicate, d string) *events.ClaimAsserted {
	c := eventstest.Claim(id, source, subject, predicate, "", "some words")
	c.Value = events.Value{Kind: events.KindDate, Date: d}
	return c
}

// recordSame records "same" on the name conflict between names a and b
// that has no verdict yet, and reports whether the write was incremental.
func recordSame(t *testing.T, m *modelLog, a, b string) bool {
	t.Helper()
	an := m.analysis()
	for _, cf := range an.Conflicts {
		if cf.Kind == KindName && cf.Verdict == nil && slices.Contains(cf.Names, a) && slices.Contains(cf.Names, b) {
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
