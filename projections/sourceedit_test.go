package projections_test

import (
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

// A correction of the publication date re-resolves the source's anchored
// dates in the state (the claim event keeps the old ones) and lists the
// claims as needing a look; a claim with an absolute date is not listed.
func TestSourceEditNeedsLook(t *testing.T) {
	a := newArchive(t)
	var s *projections.State
	err := a.log.Update(func(tx *events.Tx) error {
		if _, err := sources.Add(tx, "t", []byte("The pact was signed in August last year. The port opened in May 2021."),
			sources.Meta{ID: "gazette", Published: "2025-01-10"}); err != nil {
			return err
		}
		r := provenance.NewRecorder(tx, "t")
		if _, err := r.DefinePredicate(events.PredicateDefined{Name: "signed", Kind: events.KindDate}); err != nil {
			return err
		}
		for _, c := range []provenance.ClaimInput{
			{ID: "rel", Source: "gazette", Subject: "Pact", Predicate: "signed", Value: "August last year", Quote: "signed in August last year"},
			{ID: "abs", Source: "gazette", Subject: "Port", Predicate: "signed", Value: "May 2021", Quote: "opened in May 2021"},
		} {
			if _, err := r.Assert(c); err != nil {
				return err
			}
		}
		if _, err := sources.EditSource(tx, "t", "gazette", sources.Meta{Published: "2024-04-26"}, nil, ""); err != nil {
			return err
		}
		var err error
		s, _, err = a.store.Head(tx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Claims["rel"].Value; got.Date != "2023-08" || got.Anchor != "2024-04-26" || got.Written != "August last year" {
		t.Errorf("re-resolved value = %+v, want 2023-08 anchored on 2024-04-26", got)
	}
	if d, ok := s.Claims["rel"].Date(); !ok || d.String() != "2023-08" {
		t.Errorf("parsed date of the re-resolved claim = %v, %v; want 2023-08, parsed again with the new value", d, ok)
	}
	if d, ok := s.Claims["abs"].Date(); !ok || d.String() != "2021-05" {
		t.Errorf("parsed date of the absolute claim = %v, %v; want 2021-05", d, ok)
	}
	if got := s.Sources["gazette"].Published; got != "2024-04-26" {
		t.Errorf("published = %q, want the corrected 2024-04-26", got)
	}
	look := s.NeedsLook("gazette")
	if len(look) != 1 || look[0].ID != "rel" {
		t.Errorf("NeedsLook = %v, want [rel]", look)
	}
}
