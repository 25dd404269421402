package projections

import (
	"fmt"
	"testing"
	"unsafe"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
)

// TestRetractionIncremental retracts claims that change no name, which
// takes the incremental path (retractedClaim): one of a value conflict's
// claims, the relation in the middle of a chain whose temporal conflict
// it made, and a later use of an entity value's name; and claims that
// would change the names, which analyse the whole state: the only claim on
// a name (as a subject, and as an entity value), a claim with "as",
// and the claim that first used a name (whose form, "Hub", the entity
// shows until then; "HUB" after). After each retraction the stored model
// must equal a replay's, key for key.
func TestRetractionIncremental(t *testing.T) {
	m := newModelLog(t, 1000)
	st, step := m.st, m.step
	conflicts := func() map[ConflictKind]int {
		n := map[ConflictKind]int{}
		for _, cf := range m.analysis().Conflicts {
			if cf.Status == ConflictOpen {
				n[cf.Kind]++
			}
		}
		return n
	}
	date := func(id, source, subject, predicate, d string) *events.ClaimAsserted {
		c := eventstest.Claim(id, source, subject, predicate, "", "in "+d)
		c.Value = events.Value{Kind: events.KindDate, Date: d}
		return c
	}
	after := func(id, source, subject, predicate, toSubject, toPredicate string) *events.ClaimAsserted {
		c := eventstest.Claim(id, source, subject, predicate, "", "after that")
		c.Value = events.Value{Kind: events.KindDate, Relation: &events.Relation{Op: events.RelAfter, To: events.FactRef{Subject: toSubject, Predicate: toPredicate}}}
		return c
	}
	led := func(id, source, subject, leader string) *events.ClaimAsserted {
		c := eventstest.Claim(id, source, subject, "led by", "", "after that")
		c.Value = events.Value{Kind: events.KindEntity, Entity: leader}
		return c
	}
	retract := func(id string) *events.ClaimRetracted {
		return &events.ClaimRetracted{Claim: events.ClaimID(id), Reason: "test"}
	}
	step("the claims",
		eventstest.Predicate("launched", events.KindDate), eventstest.Predicate("opened", events.KindDate),
		m.source("wire", "in 2023-04 in 2023-05 in 2023-06 after that"), m.source("daily", "in 2023-05 in 2023-06 after that"),
		date("loop-wire", "wire", "Loop", "launched", "2023-04"),
		date("loop-daily", "daily", "Loop", "launched", "2023-05"),
		date("loop-later", "daily", "Loop", "launched", "2023-05"),
		date("hub-wire", "wire", "Hub", "opened", "2023-06"),
		date("hub-daily", "daily", "HUB", "opened", "2023-06"), // the same name in another form
		after("loop-after-hub", "wire", "Loop", "launched", "Hub", "opened"),
		date("pier", "wire", "Pier", "opened", "2023-06"),
		func() *events.ClaimAsserted {
			c := date("hub-as", "daily", "Hub", "opened", "2023-06")
			c.As = "the Hub"
			return c
		}(),
		eventstest.Predicate("led by", events.KindEntity),
		led("loop-led", "wire", "Loop", "Kim"),
		led("hub-led", "daily", "Hub", "KIM"), // a later use of the value's name, in another form
	)
	before := conflicts()
	if before[KindValue] == 0 || before[KindTemporal] == 0 {
		t.Fatalf("open conflicts %v: want value and temporal ones for this test", before)
	}

	partial := st.PartialWrites
	step("the relation in the middle of the chain", retract("loop-after-hub"))
	step("a claim of a value conflict", retract("loop-daily"))
	step("another", retract("loop-later"))
	step("a later use of an entity value's name", retract("hub-led"))
	if got := st.PartialWrites - partial; got != 4 {
		t.Errorf("%d of the four retractions that change no name took the incremental path, want 4", got)
	}
	if now := conflicts(); now[KindTemporal] != 0 || now[KindValue] != 0 {
		t.Errorf("open conflicts after the retractions: %v, want none", now)
	}

	full := st.FullWrites
	step("the only claim on a name", retract("pier"))
	step("the claim that first used a name", retract("hub-wire"))
	step("a claim with as", retract("hub-as"))
	step("the only use of an entity value's name", retract("loop-led"))
	if got := st.FullWrites - full; got != 4 {
		t.Errorf("%d of the four retractions that may change the names analysed the whole state, want 4", got)
	}
}

// TestSourceKeyInArena checks that a source's key in the state is the
// arena's copy of its id: the payload's strings are slices of one string
// of the whole payload, which a key made of one of them keeps alive.
func TestSourceKeyInArena(t *testing.T) {
	log := eventstest.MustOpenLog(t)
	if err := log.Update(func(tx *events.Tx) error {
		_, err := tx.Append("kim", eventstest.Source("wire", "some text"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	s := NewState()
	if err := log.View(func(tx *events.Tx) error {
		e, err := tx.Event(1)
		if err != nil {
			return err
		}
		return s.Apply(e, nil)
	}); err != nil {
		t.Fatal(err)
	}
	for k, src := range s.Sources {
		if unsafe.StringData(string(k)) != unsafe.StringData(string(src.ID)) {
			t.Errorf("the key of source %s is not the arena's copy of its id", k)
		}
	}
}

// TestRetractionOfAVerdictsClaim retracts a claim that a name verdict
// lists, after the names were split so that no name conflict names its
// entity any more: the conflict rebuilt from the verdict lists the claim,
// so the retraction needs the whole state (found by review: the
// incremental path left the claim in the conflict's record).
func TestRetractionOfAVerdictsClaim(t *testing.T) {
	m := keptNameConflict(t, "2001", "2001")
	m.step("retract c2", &events.ClaimRetracted{Claim: "c2", Reason: "test"})
}

// keptNameConflict returns a log where claims c1 and c2 (founded on the
// dates given) are of "Hyundai Motor+", whose name conflict with "Hyundai
// Motar" was settled as distinct, listing both claims, before
// "Hyundai Motor+" was split from "Hyundai Motor", so that the conflict
// is kept from its verdict and no name conflict names the claims' entity.
func keptNameConflict(t *testing.T, d1, d2 string) *modelLog {
	m := newModelLog(t, 1000)
	step := m.step
	step("vocab", eventstest.Predicate("founded", events.KindDate), m.source("wire", "some words"))
	step("alias", &events.AliasDeclared{Name: "Hyundai Motor+", Entity: "Hyundai Motor", Kind: events.AliasVariant})
	step("other", &events.AliasDeclared{Name: "Hyundai Motar", Entity: "Hyundai Motar", Kind: events.AliasVariant})
	for _, x := range [][2]string{{"c1", d1}, {"c2", d2}} {
		c := eventstest.Claim(x[0], "wire", "Hyundai Motor+", "founded", "", "some words")
		c.Value = events.Value{Kind: events.KindDate, Date: x[1]}
		step("claim "+x[0], c)
	}
	an := m.analysis()
	var ncs []*Conflict
	for _, cf := range an.Conflicts {
		if cf.Kind == KindName {
			ncs = append(ncs, cf)
		}
	}
	if len(ncs) != 1 {
		t.Fatalf("want one name conflict, got %d", len(ncs))
	}
	v, err := an.Verdict(ncs[0], events.DecisionDistinct, "", "", false)
	if err != nil {
		t.Fatal(err)
	}
	step("name verdict", v) // lists c1, c2
	step("distinct 1", &events.AliasDeclared{Name: "Hyundai Motor+", Entity: "Hyundai Motar", Kind: events.AliasDistinct})
	step("split", &events.AliasDeclared{Name: "Hyundai Motor+", Entity: "Hyundai Motor", Kind: events.AliasDistinct})
	return m
}

// TestRetractionMovesAConflict retracts the first claim of a value
// conflict that is rebuilt from its verdict after its entity was split:
// the conflict moves to the subject of its next claim, nine relations
// away, beyond what the write owns, so the retraction needs the whole
// state (found by review: the incremental path deleted the conflict's
// keys without writing them anew).
func TestRetractionMovesAConflict(t *testing.T) {
	m := newModelLog(t, 1000)
	step := m.step
	step("vocab", eventstest.Predicate("founded", events.KindDate), eventstest.Predicate("opened", events.KindDate),
		m.source("wire", "some words"))
	step("alias", &events.AliasDeclared{Name: "Hyundai Motor+", Entity: "Hyundai Motor", Kind: events.AliasVariant})
	chain := []string{"Hyundai Motor+", "Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "Hyundai Motor"}
	for i := 0; i+1 < len(chain); i++ {
		c := eventstest.Claim(fmt.Sprintf("rel-%d", i), "wire", chain[i], "opened", "", "some words")
		c.Value = events.Value{Kind: events.KindDate, Relation: &events.Relation{Op: events.RelAfter, To: events.FactRef{Subject: chain[i+1], Predicate: "opened"}}}
		step("relation "+chain[i], c)
	}
	for _, x := range []struct{ id, subject, date string }{{"c", "Hyundai Motor+", "2001"}, {"d", "Hyundai Motor", "2002"}} {
		c := eventstest.Claim(x.id, "wire", x.subject, "founded", "", "some words")
		c.Value = events.Value{Kind: events.KindDate, Date: x.date}
		step("claim "+x.id, c)
	}
	an := m.analysis()
	var value *Conflict
	for _, cf := range an.Conflicts {
		if cf.Kind == KindValue {
			value = cf
		}
	}
	if value == nil {
		t.Fatal("no value conflict between the claims of the joined entity")
	}
	v, err := an.Verdict(value, events.DecisionDismiss, "", "", false)
	if err != nil {
		t.Fatal(err)
	}
	step("dismiss", v)
	step("split", &events.AliasDeclared{Name: "Hyundai Motor+", Entity: "Hyundai Motor", Kind: events.AliasDistinct})
	step("retract c", &events.ClaimRetracted{Claim: "c", Reason: "test"})
}

// TestRejectionOfANameVerdictsClaim rejects, by a value verdict, a claim
// that a name verdict lists, after the names were split: the name conflict
// rebuilt from that verdict shows the claim rejected, so the write needs
// the whole state (found by review; this predates the incremental
// retractions).
func TestRejectionOfANameVerdictsClaim(t *testing.T) {
	m := keptNameConflict(t, "2001", "2002")
	step := m.step
	an := m.analysis()
	var value *Conflict
	for _, cf := range an.Conflicts {
		if cf.Kind == KindValue && cf.Status == ConflictOpen {
			value = cf
		}
	}
	if value == nil {
		t.Fatal("no open value conflict between c1 and c2")
	}
	rv, err := an.Verdict(value, events.DecisionReject, "c2", "", false)
	if err != nil {
		t.Fatal(err)
	}
	step("reject c2", rv)
}
