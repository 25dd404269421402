package projections

import (
	"fmt"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
)

// TestNameUsersIncremental writes to entities a name conflict names:
// claims, verdicts and retractions that change the standing of a claim
// the conflict does not show (it shows the first nameUsersShown standing
// claims of each name) take the incremental path; those that change one
// it shows analyse the whole state (among them the fifth shown claim, one
// with later claims enough, and one after a rejected claim); the claims
// before a claim count whether it uses the name as its subject or as its
// value. After each write the stored model must
// equal a replay's, key for key.
func TestNameUsersIncremental(t *testing.T) {
	m := newModelLog(t, 1000)
	st, step := m.st, m.step
	claim := func(id, source, subject, predicate, year string) *events.ClaimAsserted {
		c := eventstest.Claim(id, source, subject, predicate, "", "some words")
		c.Value = events.Value{Kind: events.KindDate, Date: year}
		return c
	}
	const many, few = "Alliance for the Zahehadi", "Alliance of the Zahehadi"
	ps := []events.Payload{eventstest.Predicate("founded", events.KindDate), eventstest.Predicate("opened", events.KindDate),
		eventstest.Predicate("led by", events.KindEntity), m.source("wire", "some words"), m.source("daily", "other words")}
	// many: five claims that agree (the ones its name conflict shows),
	// then a value conflict; few: two claims.
	for i := range 5 {
		ps = append(ps, claim(fmt.Sprintf("m%d", i), "wire", many, "opened", "2019"))
	}
	ps = append(ps, claim("m5", "wire", many, "founded", "2019"), claim("m6", "wire", many, "founded", "2019"),
		claim("m7", "daily", many, "founded", "2020"),
		claim("f0", "wire", few, "founded", "2019"), claim("f2", "wire", few, "opened", "2019"))
	step("the claims", ps...)
	named := func() *Conflict {
		t.Helper()
		for _, cf := range m.analysis().Conflicts {
			if cf.Kind == KindName {
				return cf
			}
		}
		t.Fatalf("no name conflict between %q and %q", many, few)
		return nil
	}
	if n := len(named().Claims); n != nameUsersShown+2 {
		t.Fatalf("the name conflict shows %d claims, want %d", n, nameUsersShown+2)
	}
	verdict := func(subject string, d events.Decision, claim events.ClaimID) *events.VerdictRecorded {
		t.Helper()
		an := m.analysis()
		for _, cf := range an.Conflicts {
			if cf.Kind == KindValue && cf.Subject == subject {
				v, err := an.Verdict(cf, d, claim, "", true)
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
		}
		t.Fatalf("no value conflict on %q", subject)
		return nil
	}
	retract := func(id string) *events.ClaimRetracted {
		return &events.ClaimRetracted{Claim: events.ClaimID(id), Reason: "test"}
	}
	// write appends p in one write, which must take the incremental path
	// or not.
	write := func(incremental bool, what string, p events.Payload) {
		t.Helper()
		before := st.PartialWrites
		step(what, p)
		if got := st.PartialWrites > before; got != incremental {
			t.Errorf("%s: incremental %v, want %v", what, got, incremental)
		}
	}

	ledBy := eventstest.Claim("k0", "wire", "Kim", "led by", "", "some words")
	ledBy.Value = events.Value{Kind: events.KindEntity, Entity: "Kim"}
	step("a name with no name conflict", ledBy)
	ledMany := eventstest.Claim("k1", "daily", "Kim", "led by", "", "some words")
	ledMany.Value = events.Value{Kind: events.KindEntity, Entity: many}
	write(true, "a claim with the name as its value", ledMany)
	write(true, "a claim on the name with more claims", claim("m8", "daily", many, "founded", "2020"))
	write(true, "a dismissal of its value conflict", verdict(many, events.DecisionDismiss, ""))
	write(true, "a verdict that rejects claims the name conflict does not show", verdict(many, events.DecisionAccept, "m5"))

	shown := named().Claims
	f1 := claim("f1", "daily", few, "founded", "2020")
	write(false, "a claim on the name with fewer claims than shown", f1)
	if got := len(named().Claims); got != len(shown)+1 {
		t.Errorf("after a claim on %q the name conflict shows %d claims, want %d", few, got, len(shown)+1)
	}
	write(false, "a verdict that rejects a claim it shows", verdict(few, events.DecisionAccept, "f0"))
	write(false, "a retraction of a claim it shows", retract("f2"))
	write(false, "a retraction of the fifth claim it shows", retract("m4"))
	write(false, "a retraction of a claim it shows with later claims enough", retract("m1"))

	// few now has one standing claim and one rejected: a value user and
	// three claims join what it shows, and a sixth claim does not.
	ledFew := eventstest.Claim("k2", "daily", "Kim", "led by", "", "some words")
	ledFew.Value = events.Value{Kind: events.KindEntity, Entity: few}
	write(false, "a claim with the name as its value, which the conflict shows", ledFew)
	for i := 3; i <= 5; i++ {
		write(false, fmt.Sprintf("claim %d on the name with fewer", i), claim(fmt.Sprintf("f%d", i), "wire", few, "opened", "2019"))
	}
	write(true, "a claim on it after five standing ones, one of them its value", claim("f6", "wire", few, "opened", "2019"))
}

// TestNameUsersScanStops counts the claim records keepsNameUsers decodes
// for a new claim on a name that has nameUsersShown earlier subject
// users: the scan of the entity's claims ("g") finds them, and the scan
// of the claims whose value it is ("u", 2,000 of them) must not start.
func TestNameUsersScanStops(t *testing.T) {
	m := newModelLog(t, 100000)
	claim := func(id, subject, year string) *events.ClaimAsserted {
		c := eventstest.Claim(id, "wire", subject, "opened", "", "some words")
		c.Value = events.Value{Kind: events.KindDate, Date: year}
		return c
	}
	const many, few = "Alliance for the Zahehadi", "Alliance of the Zahehadi"
	ps := []events.Payload{eventstest.Predicate("opened", events.KindDate), eventstest.Predicate("led by", events.KindEntity),
		m.source("wire", "some words")}
	for i := range 6 {
		ps = append(ps, claim(fmt.Sprintf("a%d", i), many, "2019"))
	}
	ps = append(ps, claim("f0", few, "2019"))
	const values = 2000
	for i := range values {
		c := eventstest.Claim(fmt.Sprintf("v%05d", i), "wire", fmt.Sprintf("Person %d", i), "led by", "", "some words")
		c.Value = events.Value{Kind: events.KindEntity, Entity: many}
		ps = append(ps, c)
	}
	m.step("the claims", ps...)
	if err := m.log.View(func(tx *events.Tx) error {
		root := tx.KV().Bucket(bucketProjections)
		md := root.Bucket(bucketModel)
		cur := md.Bucket(bucketCur)
		rev, _ := modelRev(md)
		w := &partialWrite{md: &Model{rev: rev, head: true, cur: cur, hist: md.Bucket(bucketHist), m: md}, cur: cur,
			claims: map[events.ClaimID]*Claim{}, keys: map[string]string{}, entities: map[string]*Entity{}, split: map[string]bool{}}
		s := NewState()
		c := &Claim{ID: "new", Source: "wire", Subject: many, Predicate: "opened",
			Value: events.Value{Kind: events.KindDate, Date: "2020"}, Rev: rev + 1}
		s.Claims[c.ID] = c
		ek, err := w.entityKey(many)
		if err != nil {
			return err
		}
		if !w.hasNameConflict(ek) {
			t.Fatal("no name conflict")
		}
		if err := w.keepsNameUsers(map[events.ClaimID]*Claim{c.ID: c}, s); err != nil {
			t.Fatalf("keepsNameUsers: %v", err)
		}
		if len(w.claims) > 2*nameUsersShown {
			t.Errorf("keepsNameUsers read %d claim records to find %d users (%d claims have the entity as their value)", len(w.claims), nameUsersShown, values)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
