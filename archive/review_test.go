package archive

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance"
)

// Each subtest works on an archive of its own.
func TestReview(t *testing.T) {
	t.Run("Accept", func(t *testing.T) {
		a := openFixture(t)
		cf := conflictOf(t, a, projections.KindValue, "Tidal Network", "launched")
		res, err := a.Review("kim", ReviewRequest{Conflict: string(cf.ID), Decision: events.DecisionAccept, Claim: "b-launched", Note: "the summit was in August"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Event.Revision != fixtureHead+1 || res.Event.Author != "kim" || res.Conflict.ID != cf.ID ||
			res.Verdict.Seen != fixtureHead || !slices.Equal(res.Verdict.Rejected, []events.ClaimID{"a-launched"}) {
			t.Errorf("got revision %d by %s on %s, seen %d, rejected %v; want %d by kim on %s, seen %d, rejected [a-launched]",
				res.Event.Revision, res.Event.Author, res.Conflict.ID, res.Verdict.Seen, res.Verdict.Rejected, fixtureHead+1, cf.ID, fixtureHead)
		}
		after := conflictOf(t, a, projections.KindValue, "Tidal Network", "launched")
		if after.Status != projections.ConflictResolved || after.Verdict == nil || after.Verdict.Claim != "b-launched" || after.Verdict.Note != "the summit was in August" {
			t.Errorf("after the review: got status %s, verdict %+v, want resolved accepting b-launched", after.Status, after.Verdict)
		}
	})
	t.Run("AgainRefused", func(t *testing.T) {
		a := openFixture(t)
		cf := conflictOf(t, a, projections.KindValue, "Tidal Network", "launched")
		if _, err := a.Review("kim", ReviewRequest{Conflict: string(cf.ID), Decision: events.DecisionAccept, Claim: "b-launched"}); err != nil {
			t.Fatal(err)
		}
		_, err := a.Review("lee", ReviewRequest{Conflict: string(cf.ID), Decision: events.DecisionAccept, Claim: "a-launched"})
		wantCode(t, "a second verdict", err, Conflict)
		var ve *VerdictError
		if !errors.Is(err, projections.ErrAlreadyResolved) || !errors.As(err, &ve) || ve.Conflict.ID != cf.ID {
			t.Errorf("a second verdict: got %v, want a *VerdictError on %s wrapping ErrAlreadyResolved", err, cf.ID)
		}
		if strings.Contains(err.Error(), "--") {
			t.Errorf("the API's error speaks in flags: %v", err)
		}
		wantUnchanged(t, a, fixtureHead+1)
		res, err := a.Review("lee", ReviewRequest{Conflict: string(cf.ID), Decision: events.DecisionAccept, Claim: "a-launched", Override: true})
		if err != nil {
			t.Fatalf("with Override: %v", err)
		}
		if !slices.Equal(res.Verdict.Rejected, []events.ClaimID{"b-launched"}) {
			t.Errorf("with Override: rejected %v, want [b-launched]", res.Verdict.Rejected)
		}
	})
	t.Run("Reject", func(t *testing.T) {
		a := openFixture(t)
		cf := conflictOf(t, a, projections.KindValue, "Tidal Network", "budget")
		res, err := a.Review("kim", ReviewRequest{Conflict: string(cf.ID), Decision: events.DecisionReject, Claim: "a-budget"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.Verdict.Rejected, []events.ClaimID{"a-budget"}) {
			t.Errorf("rejected %v, want [a-budget]", res.Verdict.Rejected)
		}
	})
	t.Run("DismissAndSame", func(t *testing.T) {
		a := openFixture(t)
		venue := conflictOf(t, a, projections.KindValue, "Lisbon summit", "venue")
		if res, err := a.Review("kim", ReviewRequest{Conflict: string(venue.ID), Decision: events.DecisionDismiss}); err != nil || len(res.Verdict.Rejected) != 0 {
			t.Fatalf("dismiss: got %+v, %v, want a verdict rejecting nothing", res.Verdict, err)
		}
		names := conflictOf(t, a, projections.KindName, "Online Freedom Coalition", "Freedom Online Coalition")
		if _, err := a.Review("kim", ReviewRequest{Conflict: string(names.ID), Decision: events.DecisionSame}); err != nil {
			t.Fatalf("same: %v", err)
		}
	})
	t.Run("DoesNotFit", func(t *testing.T) {
		a := openFixture(t)
		names := conflictOf(t, a, projections.KindName, "Harbour Authority", "Harbor Authority")
		value := conflictOf(t, a, projections.KindValue, "Tidal Network", "launched")
		for _, tt := range []struct {
			name string
			req  ReviewRequest
		}{
			{"accept on a name conflict", ReviewRequest{Conflict: string(names.ID), Decision: events.DecisionAccept, Claim: "a-office"}},
			{"same on a value conflict", ReviewRequest{Conflict: string(value.ID), Decision: events.DecisionSame}},
			{"a claim not in the conflict", ReviewRequest{Conflict: string(value.ID), Decision: events.DecisionAccept, Claim: "b-budget"}},
			{"an unknown decision", ReviewRequest{Conflict: string(value.ID), Decision: "maybe"}},
			{"a note with a control character", ReviewRequest{Conflict: string(value.ID), Decision: events.DecisionDismiss, Note: "a\x07b"}},
		} {
			_, err := a.Review("kim", tt.req)
			wantCode(t, tt.name, err, Invalid)
		}
		_, err := a.Review("kim", ReviewRequest{Conflict: string(value.ID), Decision: events.DecisionAccept, Claim: "b-budget"})
		var ve *VerdictError
		if !errors.As(err, &ve) || ve.Conflict.Kind != projections.KindValue || !strings.HasPrefix(err.Error(), "conflict "+string(value.ID)+": ") {
			t.Errorf("a claim not in the conflict: got %v, want a *VerdictError naming conflict %s", err, value.ID)
		}
		wantUnchanged(t, a, fixtureHead)
	})
	t.Run("ConflictID", func(t *testing.T) {
		a := openFixture(t)
		cf := conflictOf(t, a, projections.KindValue, "Tidal Network", "launched")
		for _, tt := range []struct {
			id      string
			code    Code
			problem ConflictIDProblem
		}{
			{"", Invalid, IDEmpty},
			{"  ", Invalid, IDEmpty},
			{"xyz1", Invalid, IDNotHex},
			{string(cf.ID[:3]), Invalid, IDTooShort},
			{strings.Repeat("0", 10) + "ffff", NotFound, IDNoMatch},
		} {
			_, err := a.Review("kim", ReviewRequest{Conflict: tt.id, Decision: events.DecisionDismiss})
			wantCode(t, "conflict id "+tt.id, err, tt.code)
			var ce *ConflictIDError
			if !errors.As(err, &ce) || ce.Problem != tt.problem {
				t.Errorf("conflict id %q: got %v, want a *ConflictIDError with problem %d", tt.id, err, tt.problem)
			}
		}
		wantUnchanged(t, a, fixtureHead)
		res, err := a.Review("kim", ReviewRequest{Conflict: strings.ToUpper(string(cf.ID[:MinConflictPrefix+2])), Decision: events.DecisionDismiss})
		if err != nil || res.Conflict.ID != cf.ID {
			t.Errorf("a unique prefix in capitals: got %v, want the conflict %s", err, cf.ID)
		}
	})
	t.Run("SeenClaimJoined", func(t *testing.T) {
		a := openFixture(t)
		cf := conflictOf(t, a, projections.KindValue, "Tidal Network", "launched")
		if _, err := a.AddClaim("lee", provenance.ClaimInput{ID: "c-launched", Source: "gamma", Subject: "Tidal Network", Predicate: "launched",
			Value: "February 2023", Quote: "dates from February 2023"}); err != nil {
			t.Fatal(err)
		}
		_, err := a.Review("kim", ReviewRequest{Conflict: string(cf.ID), Decision: events.DecisionAccept, Claim: "b-launched", Seen: fixtureHead})
		wantCode(t, "a review of a conflict a claim joined since", err, Conflict)
		if !strings.Contains(err.Error(), "c-launched") || !strings.Contains(err.Error(), "joined") {
			t.Errorf("got %v, want it to say that c-launched joined the conflict", err)
		}
		wantUnchanged(t, a, fixtureHead+1)
		if _, err := a.Review("kim", ReviewRequest{Conflict: string(cf.ID), Decision: events.DecisionAccept, Claim: "b-launched", Seen: fixtureHead + 1}); err != nil {
			t.Errorf("a review of what is there: %v", err)
		}
	})
	t.Run("SeenVerdictRecorded", func(t *testing.T) {
		a := openFixture(t)
		cf := conflictOf(t, a, projections.KindValue, "Tidal Network", "launched")
		if _, err := a.Review("lee", ReviewRequest{Conflict: string(cf.ID), Decision: events.DecisionDismiss}); err != nil {
			t.Fatal(err)
		}
		_, err := a.Review("kim", ReviewRequest{Conflict: string(cf.ID), Decision: events.DecisionAccept, Claim: "b-launched", Override: true, Seen: fixtureHead})
		wantCode(t, "a review of a conflict with a verdict since", err, Conflict)
		if !strings.Contains(err.Error(), "verdict was recorded") || !strings.Contains(err.Error(), "lee") {
			t.Errorf("got %v, want it to say that lee recorded a verdict", err)
		}
		wantUnchanged(t, a, fixtureHead+1)
	})
	t.Run("SeenOtherConflictChanged", func(t *testing.T) {
		a := openFixture(t)
		budget := conflictOf(t, a, projections.KindValue, "Tidal Network", "budget")
		launched := conflictOf(t, a, projections.KindValue, "Tidal Network", "launched")
		if _, err := a.Review("lee", ReviewRequest{Conflict: string(budget.ID), Decision: events.DecisionDismiss}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Review("kim", ReviewRequest{Conflict: string(launched.ID), Decision: events.DecisionDismiss, Seen: fixtureHead}); err != nil {
			t.Errorf("a verdict on another conflict since Seen: %v, want the review recorded", err)
		}
	})
	t.Run("SeenBeyondHead", func(t *testing.T) {
		a := openFixture(t)
		cf := conflictOf(t, a, projections.KindValue, "Tidal Network", "launched")
		_, err := a.Review("kim", ReviewRequest{Conflict: string(cf.ID), Decision: events.DecisionDismiss, Seen: fixtureHead + 5})
		wantCode(t, "Seen beyond the head", err, Invalid)
	})
	t.Run("BadAuthor", func(t *testing.T) {
		a := openFixture(t)
		cf := conflictOf(t, a, projections.KindValue, "Tidal Network", "launched")
		_, err := a.Review("kim\nlee", ReviewRequest{Conflict: string(cf.ID), Decision: events.DecisionDismiss})
		wantCode(t, "an author with a line feed", err, Invalid)
		wantUnchanged(t, a, fixtureHead)
	})
	t.Run("ReadOnly", func(t *testing.T) {
		a := openFixture(t)
		cf := conflictOf(t, a, projections.KindValue, "Tidal Network", "launched")
		path := a.Path()
		a.Close()
		ro, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer ro.Close()
		_, err = ro.Review("kim", ReviewRequest{Conflict: string(cf.ID), Decision: events.DecisionDismiss})
		wantCode(t, "a review on a read-only archive", err, Forbidden)
	})
}
