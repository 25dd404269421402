package archive

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/provenance/claimsfile"
	"github.com/sillok/sillok/sources"
)

func TestImportClaims(t *testing.T) {
	t.Run("Idempotent", func(t *testing.T) {
		a := openFixture(t)
		res, err := a.ImportClaims("archivist", []ClaimsFile{{Name: "again.yaml", Data: []byte(fixtureClaims)}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := Imported{File: "again.yaml", Revision: fixtureHead, Claims: 12}
		if len(res) != 1 || !reflect.DeepEqual(res[0], want) {
			t.Errorf("importing the fixture's claims again: got %+v, want [%+v]", res, want)
		}
		wantUnchanged(t, a, fixtureHead)
	})
	t.Run("AtomicFile", func(t *testing.T) {
		a := openFixture(t)
		bad := "source: gamma\npredicates:\n  - {name: founded, kind: date}\nclaims:\n" +
			"  - {id: c-ok, subject: Tidal Network, predicate: founded, value: February 2023, quote: dates from February 2023}\n" +
			"  - {id: c-bad, subject: Tidal Network, predicate: founded, value: March 2023, quote: not in the source at all}\n"
		res, err := a.ImportClaims("archivist", []ClaimsFile{{Name: "bad.yaml", Data: []byte(bad)}}, nil)
		wantCode(t, "a claim whose quote is not in its source", err, Invalid)
		var fe *claimsfile.Error
		if !errors.As(err, &fe) || fe.Claim != "c-bad" || fe.Pos.Line != 6 || !strings.HasPrefix(err.Error(), "bad.yaml:6:") {
			t.Errorf("got %v, want it placed at bad.yaml line 6, claim c-bad", err)
		}
		if len(res) != 0 {
			t.Errorf("got results %+v for a file that failed", res)
		}
		wantUnchanged(t, a, fixtureHead)
		list, err := a.Predicates()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range list {
			if p.Name == "founded" {
				t.Errorf("the predicate of a file that failed was defined")
			}
		}
	})
	t.Run("StopsAtBadFile", func(t *testing.T) {
		a := openFixture(t)
		good := "source: gamma\nclaims:\n  - {id: c-launched, subject: Tidal Network, predicate: launched, value: February 2023, quote: dates from February 2023}\n"
		var done []string
		res, err := a.ImportClaims("archivist", []ClaimsFile{
			{Name: "good.yaml", Data: []byte(good)},
			{Name: "broken.yaml", Data: []byte("claims: [")},
			{Name: "never.yaml", Open: func() (io.ReadCloser, error) { return nil, errors.New("never.yaml was opened") }},
		}, func(r Imported) { done = append(done, r.File) })
		if err == nil || !strings.Contains(err.Error(), "broken.yaml") {
			t.Fatalf("got %v, want the error of broken.yaml", err)
		}
		if len(res) != 1 || res[0].File != "good.yaml" || res[0].Created != 1 || res[0].Revision != fixtureHead+1 || !equal(done, []string{"good.yaml"}) {
			t.Errorf("got results %+v, done %v; want good.yaml imported (1 claim, revision %d), and nothing after it", res, done, fixtureHead+1)
		}
		wantUnchanged(t, a, fixtureHead+1)
	})
	t.Run("SameIDTwice", func(t *testing.T) {
		a := openFixture(t)
		f := "source: gamma\nclaims:\n" +
			"  - {id: twice, subject: Tidal Network, predicate: launched, value: February 2023, quote: dates from February 2023}\n" +
			"  - {id: twice, subject: Tidal Network, predicate: launched, value: August 2023, quote: began work in August 2023}\n"
		_, err := a.ImportClaims("archivist", []ClaimsFile{{Name: "twice.yaml", Data: []byte(f)}}, nil)
		if err == nil || !strings.Contains(err.Error(), "claim #1 (line 3) and claim #2 (line 4)") {
			t.Errorf("got %v, want both places of the id named", err)
		}
		wantUnchanged(t, a, fixtureHead)
	})
	t.Run("Reader", func(t *testing.T) {
		a := openFixture(t)
		f := "source: gamma\nclaims:\n  - {id: c-launched, subject: Tidal Network, predicate: launched, value: February 2023, quote: dates from February 2023}\n"
		res, err := a.ImportClaims("archivist", []ClaimsFile{{Name: "r.yaml", Open: func() (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader(f)), nil
		}}}, nil)
		if err != nil || len(res) != 1 || res[0].Created != 1 {
			t.Errorf("got %+v, %v, want 1 claim created", res, err)
		}
	})
	t.Run("TooLarge", func(t *testing.T) {
		a := openFixture(t)
		_, err := a.ImportClaims("archivist", []ClaimsFile{{Name: "big.yaml", Open: func() (io.ReadCloser, error) {
			return io.NopCloser(io.LimitReader(zeros{}, MaxClaimsFile+10)), nil
		}}}, nil)
		wantCode(t, "a claims file over the limit", err, Invalid)
		if !strings.Contains(err.Error(), "big.yaml") {
			t.Errorf("got %v, want it to name big.yaml", err)
		}
	})
	t.Run("BadAuthor", func(t *testing.T) {
		a := openFixture(t)
		_, err := a.ImportClaims("a\x00b", []ClaimsFile{{Name: "again.yaml", Data: []byte(fixtureClaims)}}, nil)
		wantCode(t, "an author with a NUL", err, Invalid)
	})
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

func equal(a, b []string) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

func TestAddClaim(t *testing.T) {
	a := openFixture(t)
	in := provenance.ClaimInput{ID: "c-launched", Source: "gamma", Subject: "Tidal Network", Predicate: "launched", Value: "February 2023", Quote: "dates from February 2023"}
	rec, err := a.AddClaim("lee", in)
	if err != nil || !rec.Created || rec.Revision != fixtureHead+1 || rec.Claim.Value.Date != "2023-02" {
		t.Fatalf("got %+v, %v, want created at %d with the date 2023-02", rec, err, fixtureHead+1)
	}
	if rec, err = a.AddClaim("lee", in); err != nil || rec.Created || rec.Revision != fixtureHead+1 {
		t.Errorf("the same claim again: got %+v, %v, want nothing created", rec, err)
	}
	in.Value = "March 2023"
	in.Quote = "began work in August 2023"
	_, err = a.AddClaim("lee", in)
	wantCode(t, "another claim with a recorded id", err, Conflict)
	if !strings.HasPrefix(err.Error(), "claim c-launched: ") {
		t.Errorf("got %v, want it to name the claim", err)
	}
	_, err = a.AddClaim("lee", provenance.ClaimInput{Source: "nosuch", Subject: "X", Predicate: "launched", Value: "2023", Quote: "whatever it is"})
	wantCode(t, "a claim of an unknown source", err, NotFound)
	wantUnchanged(t, a, fixtureHead+1)
}

func TestRetract(t *testing.T) {
	a := openFixture(t)
	rev, err := a.Retract("lee", "a-budget", "misread the figure")
	if err != nil || rev != fixtureHead+1 {
		t.Fatalf("got %d, %v, want revision %d", rev, err, fixtureHead+1)
	}
	_, err = a.Retract("kim", "a-budget", "again")
	wantCode(t, "retracting twice", err, Conflict)
	var re *AlreadyRetractedError
	if !errors.As(err, &re) || re.Claim != "a-budget" || re.Reason != "misread the figure" {
		t.Errorf("retracting twice: got %v, want an *AlreadyRetractedError with the first reason", err)
	}
	_, err = a.Retract("kim", "nosuch", "because")
	wantCode(t, "retracting an unknown claim", err, NotFound)
	_, err = a.Retract("kim", "b-budget", "")
	wantCode(t, "retracting without a reason", err, Invalid)
	_, err = a.Retract("kim", "b-budget", "bad\x1b[31m")
	wantCode(t, "a reason with an escape", err, Invalid)
	wantUnchanged(t, a, fixtureHead+1)
}

func TestVocabulary(t *testing.T) {
	a := openFixture(t)
	w, err := a.DefinePredicate("kim", events.PredicateDefined{Name: "founded", Kind: events.KindDate})
	if err != nil || !w.Created || w.Revision != fixtureHead+1 {
		t.Fatalf("got %+v, %v, want created at %d", w, err, fixtureHead+1)
	}
	if w, err = a.DefinePredicate("kim", events.PredicateDefined{Name: "founded", Kind: events.KindDate}); err != nil || w.Created {
		t.Errorf("the same definition again: got %+v, %v, want nothing created", w, err)
	}
	_, err = a.DefinePredicate("kim", events.PredicateDefined{Name: "founded", Kind: events.KindText})
	wantCode(t, "another kind", err, Conflict)
	list, err := a.Predicates()
	if err != nil || len(list) != 7 {
		t.Errorf("predicates: got %d, %v, want 7", len(list), err)
	}

	w, err = a.DeclareAlias("kim", events.AliasDeclared{Name: "TN", Entity: "Tidal Network", Kind: events.AliasAbbreviation})
	if err != nil || !w.Created {
		t.Fatalf("alias: got %+v, %v", w, err)
	}
	if w, err = a.DeclareAlias("kim", events.AliasDeclared{Name: "TN", Entity: "Tidal Network", Kind: events.AliasAbbreviation}); err != nil || w.Created {
		t.Errorf("the same alias again: got %+v, %v, want nothing created", w, err)
	}
	rev := head(t, a)
	_, err = a.DeclareAlias("kim", events.AliasDeclared{Name: "tidal  network", Entity: "Tidal Network", Kind: events.AliasVariant})
	wantCode(t, "a name an alias of itself", err, Invalid)
	_, err = a.DeclareAlias("kim", events.AliasDeclared{Name: "Tidal Network", Entity: "TN", Kind: events.AliasAbbreviation})
	wantCode(t, "a cycle of aliases", err, Invalid)
	wantUnchanged(t, a, rev)
}

func TestSources(t *testing.T) {
	a := openFixture(t)
	res, err := a.AddSource("kim", []byte(textAlpha), sources.Meta{ID: "alpha", Published: "2024-04-26"})
	if err != nil || res.Created || res.Source.ID != "alpha" || res.Revision != 1 {
		t.Errorf("the same bytes again: got %+v, %v, want alpha, not created", res, err)
	}
	_, err = a.AddSource("kim", []byte(textAlpha), sources.Meta{ID: "alpha", Published: "2024-04-27"})
	wantCode(t, "the same bytes with another date", err, Conflict)
	var mm *sources.MetaMismatch
	if !errors.As(err, &mm) {
		t.Errorf("got %v, want a *sources.MetaMismatch", err)
	}
	_, err = a.AddSource("kim", []byte("Other words entirely, and enough of them.\n"), sources.Meta{ID: "alpha"})
	wantCode(t, "an id taken", err, Conflict)
	if !errors.Is(err, sources.ErrIDTaken) || strings.Contains(err.Error(), "--") {
		t.Errorf("an id taken: got %v, want sources.ErrIDTaken without advice about flags", err)
	}
	wantUnchanged(t, a, fixtureHead)

	if _, err := a.AddSource("kim", []byte("The Lisbon summit, held in August last year, set up the network.\n"), sources.Meta{ID: "gazette", Published: "2025-01-10"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddClaim("kim", provenance.ClaimInput{ID: "g-held", Source: "gazette", Subject: "Lisbon summit", Predicate: "held",
		Value: "August last year", Quote: "held in August last year"}); err != nil {
		t.Fatal(err)
	}
	ed, err := a.EditSource("kim", "gazette", SourceEdit{Set: sources.Meta{Published: "2024-01-10"}, Note: "the print date"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ed.NeedsLook) != 1 {
		t.Fatalf("edit: got needs look %+v, want g-held", ed.NeedsLook)
	}
	want := Reanchored{Claim: "g-held", Subject: "Lisbon summit", Written: "August last year", Before: "2024-08", Date: "2023-08", Anchor: ed.NeedsLook[0].Anchor}
	if ed.Revision != fixtureHead+3 || ed.After.Published != "2024-01-10" || ed.Before.Published != "2025-01-10" || len(ed.NeedsLook) != 1 || ed.NeedsLook[0] != want {
		t.Errorf("edit: got revision %d, %s → %s, needs look %+v; want %d, 2025-01-10 → 2024-01-10 and %+v",
			ed.Revision, ed.Before.Published, ed.After.Published, ed.NeedsLook, fixtureHead+3, want)
	}
	_, err = a.EditSource("kim", "gazette", SourceEdit{Set: sources.Meta{Published: "2024-01-10"}})
	wantCode(t, "an edit that changes nothing", err, Invalid)
	_, err = a.EditSource("kim", "nosuch", SourceEdit{Set: sources.Meta{Title: "T"}})
	wantCode(t, "an edit of an unknown source", err, NotFound)
	wantUnchanged(t, a, fixtureHead+3)
}

// Writes from many goroutines are serialized, and each lands whole.
func TestConcurrentWrites(t *testing.T) {
	a := openFixture(t)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("p%d", i)
			if _, errs[i] = a.DefinePredicate("kim", events.PredicateDefined{Name: name, Kind: events.KindText}); errs[i] != nil {
				return
			}
			f := fmt.Sprintf("source: gamma\nclaims:\n  - {subject: S%d, predicate: %s, value: x, quote: a spokesperson said}\n", i, name)
			_, errs[i] = a.ImportClaims("kim", []ClaimsFile{{Name: name + ".yaml", Data: bytes.Clone([]byte(f))}}, nil)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
	if got := head(t, a); got != fixtureHead+2*n {
		t.Errorf("head: got %d, want %d", got, fixtureHead+2*n)
	}
}

// TestPrepareAhead: the anchors and values made ahead of the write
// transaction are those the recorder makes in it, and a claim whose quote,
// value or source fails ahead gets none (the recorder reports it where it
// always has).
func TestPrepareAhead(t *testing.T) {
	a := openFixture(t)
	defer a.Close()
	f, err := claimsfile.Parse("c.yaml", []byte(`source: alpha
predicates:
  - {name: founded, kind: quantity}
claims:
  - {id: x1, subject: Tidal Network, predicate: launched, value: April 2023, quote: set up in April 2023}
  - {id: x2, source: beta, subject: Tidal Network, predicate: launched, value: August 2023, quote: launched in August 2023}
  - {id: x3, subject: Tidal Network, predicate: launched, value: not a date, quote: not in the text at all}
  - {id: x4, source: nosuch, subject: Tidal Network, predicate: launched, value: May 2023, quote: set up in April 2023}
  - {id: x5, subject: Tidal Network, predicate: founded, value: 12 ships, quote: set up in April 2023}
  - {id: x6, subject: Tidal Network, predicate: nosuch, value: 12 ships, quote: set up in April 2023}
`))
	if err != nil {
		t.Fatal(err)
	}
	ahead := a.prepareAhead(f)
	if len(ahead) != 6 {
		t.Fatalf("got %d, want 6", len(ahead))
	}
	for i, want := range []struct{ anchor, resolved bool }{{true, true}, {true, true}, {false, false}, {false, false}, {true, true}, {true, false}} {
		if got := (ahead[i].anchor != nil); got != want.anchor {
			t.Errorf("claim %d: anchored ahead %v, want %v", i+1, got, want.anchor)
		}
		if got := (ahead[i].resolved != nil); got != want.resolved {
			t.Errorf("claim %d: resolved ahead %v, want %v", i+1, got, want.resolved)
		}
	}
	if r := ahead[4].resolved; r == nil || r.Kind != events.KindQuantity || r.Value.Quantity == "" {
		t.Errorf("claim 5: resolved %+v, want a quantity (the file defines the predicate)", r)
	}
	for i, id := range []string{"a-launched", "b-launched"} {
		var want *events.ClaimAsserted
		err := a.log.View(func(tx *events.Tx) error {
			rev, ok := tx.Lookup(events.IndexClaim, id)
			if !ok {
				return fmt.Errorf("no claim %s", id)
			}
			e, err := tx.Event(rev)
			if err != nil {
				return err
			}
			p, err := e.Decode()
			if err != nil {
				return err
			}
			want = p.(*events.ClaimAsserted)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := *ahead[i].anchor; !reflect.DeepEqual(got, want.Quote) {
			t.Errorf("claim %d: anchored ahead %+v, want what the recorder made for %s: %+v", i+1, got, id, want.Quote)
		}
		if got := ahead[i].resolved.Value; !reflect.DeepEqual(got, want.Value) {
			t.Errorf("claim %d: resolved ahead %+v, want what the recorder made for %s: %+v", i+1, got, id, want.Value)
		}
	}
}
