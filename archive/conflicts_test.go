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

func conflictIDs(list []*projections.Conflict) []string {
	ids := make([]string, len(list))
	for i, cf := range list {
		ids[i] = string(cf.ID)
	}
	return ids
}

// allPages reads the queue page by page and returns the pages' ids.
func allPages(t *testing.T, a *Archive, f ConflictFilter) [][]string {
	t.Helper()
	var pages [][]string
	for {
		p, err := a.Conflicts(f)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, conflictIDs(p.Conflicts))
		if p.Next == "" {
			return pages
		}
		if len(pages) > 100 {
			t.Fatalf("more than 100 pages: the cursor does not advance")
		}
		f.After = p.Next
	}
}

func TestConflictsPaging(t *testing.T) {
	a := newFixture(t)
	whole, err := a.Conflicts(ConflictFilter{At: Head})
	if err != nil {
		t.Fatal(err)
	}
	all := conflictIDs(whole.Conflicts)
	// Five operator conflicts and the launch date's; one dismissed.
	if len(all) != fixtureProbes+1 || whole.Next != "" {
		t.Fatalf("the whole queue is %v (next %q), want %d conflicts and no next page", all, whole.Next, fixtureProbes+1)
	}
	for limit := 1; limit <= len(all)+1; limit++ {
		pages := allPages(t, a, ConflictFilter{At: Head, Limit: limit})
		var got []string
		for i, p := range pages {
			if len(p) > limit || (len(p) < limit && i < len(pages)-1) {
				t.Errorf("limit %d: page %d holds %d conflicts", limit, i, len(p))
			}
			got = append(got, p...)
		}
		if !slices.Equal(got, all) {
			t.Errorf("limit %d: the pages concatenate to %v, want the queue %v", limit, got, all)
		}
		if want := (len(all) + limit - 1) / limit; len(pages) != want && !(len(all)%limit == 0 && len(pages) == want+1) {
			t.Errorf("limit %d: %d pages, want %d", limit, len(pages), want)
		}
	}
}

func TestConflictsFilters(t *testing.T) {
	a := newFixture(t)
	whole, err := a.Conflicts(ConflictFilter{At: Head, Status: StatusAll})
	if err != nil {
		t.Fatal(err)
	}
	keep := func(fn func(*projections.Conflict) bool) []string {
		var out []string
		for _, cf := range whole.Conflicts {
			if fn(cf) {
				out = append(out, string(cf.ID))
			}
		}
		return out
	}
	for _, c := range []struct {
		name string
		f    ConflictFilter
		want []string
		n    int
	}{
		{"open", ConflictFilter{Status: projections.ConflictOpen}, keep(func(cf *projections.Conflict) bool { return cf.Status == projections.ConflictOpen }), fixtureProbes},
		{"resolved", ConflictFilter{Status: projections.ConflictResolved}, keep(func(cf *projections.Conflict) bool { return cf.Status == projections.ConflictResolved }), 1},
		{"value", ConflictFilter{Kind: projections.KindValue}, keep(func(cf *projections.Conflict) bool { return cf.Kind == projections.KindValue }), fixtureProbes + 1},
		{"name", ConflictFilter{Kind: projections.KindName}, nil, 0},
		{"subject by alias", ConflictFilter{Subject: "alpha one"}, keep(func(cf *projections.Conflict) bool { return cf.Subject == "Probe Alpha-1" }), 2},
		{"subject and status", ConflictFilter{Subject: "Probe Alpha-5", Status: projections.ConflictOpen}, nil, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.f.At = Head
			var got []string
			for _, p := range allPages(t, a, c.f) {
				got = append(got, p...)
			}
			if len(got) != c.n || !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v (%d conflicts)", got, c.want, c.n)
			}
			c.f.Limit = 1
			var paged []string
			for _, p := range allPages(t, a, c.f) {
				paged = append(paged, p...)
			}
			if !slices.Equal(paged, got) {
				t.Errorf("paged one by one: %v, want %v", paged, got)
			}
		})
	}
	for _, c := range []struct {
		name string
		f    ConflictFilter
		code Code
	}{
		{"unknown subject", ConflictFilter{Subject: "Probe Omega"}, NotFound},
		{"bad status", ConflictFilter{Status: "closed"}, Invalid},
		{"bad kind", ConflictFilter{Kind: "spelling"}, Invalid},
		{"bad cursor", ConflictFilter{After: "not a cursor!"}, Invalid},
		{"beyond the head", ConflictFilter{At: 1000}, NotFound},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.f.At == 0 {
				c.f.At = Head
			}
			_, err := a.Conflicts(c.f)
			if ErrorCode(err) != c.code {
				t.Errorf("got %v (code %q), want code %q", err, ErrorCode(err), c.code)
			}
		})
	}
}

// TestConflictsCursorAcrossRevisions takes a cursor, then changes the
// queue: a conflict before the cursor's goes away, and so does the
// cursor's own. The cursor still means "after its place in the order".
func TestConflictsCursorAcrossRevisions(t *testing.T) {
	a := newFixture(t)
	first, err := a.Conflicts(ConflictFilter{At: Head, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	before, err := a.Conflicts(ConflictFilter{At: Head})
	if err != nil {
		t.Fatal(err)
	}
	wantRest := conflictIDs(before.Conflicts)[2:]
	// Retract a claim of each conflict of the first page: both go.
	for _, cf := range first.Conflicts {
		mustUpdate(t, a, func(tx *events.Tx) error {
			_, err := provenance.NewRecorder(tx, "tester").Retract(cf.Claims[0].ID, "test")
			return err
		})
	}
	rest, err := a.Conflicts(ConflictFilter{At: Head, After: first.Next})
	if err != nil {
		t.Fatal(err)
	}
	if got := conflictIDs(rest.Conflicts); !slices.Equal(got, wantRest) {
		t.Errorf("after the cursor, at the new head: %v, want %v", got, wantRest)
	}
	// At the old revision the cursor still reads the same page.
	old, err := a.Conflicts(ConflictFilter{At: before.Revision, After: first.Next})
	if err != nil {
		t.Fatal(err)
	}
	if got := conflictIDs(old.Conflicts); !slices.Equal(got, wantRest) {
		t.Errorf("after the cursor, at revision %d: %v, want %v", before.Revision, got, wantRest)
	}
}

func TestConflictDetail(t *testing.T) {
	a := newFixture(t)
	page, err := a.Conflicts(ConflictFilter{At: Head, Subject: "Probe Alpha-1", Kind: projections.KindValue})
	if err != nil {
		t.Fatal(err)
	}
	var launch *projections.Conflict
	for _, cf := range page.Conflicts {
		if cf.Predicate == "launched" {
			launch = cf
		}
	}
	if launch == nil {
		t.Fatalf("no launch-date conflict in %v", conflictIDs(page.Conflicts))
	}
	d, err := a.ConflictDetail(string(launch.ID[:MinConflictPrefix]), Head)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != launch.ID || d.Revision != page.Revision || len(d.Details) != 3 {
		t.Fatalf("detail of %s at %d with %d claims, want %s at %d with 3", d.ID, d.Revision, len(d.Details), launch.ID, page.Revision)
	}
	byID := map[events.ClaimID]ClaimDetail{}
	for _, c := range d.Details {
		byID[c.ID] = c
	}
	north, south, east := byID["north-gazette-launch"], byID["south-courier-launch"], byID["east-herald-launch"]
	if north.Publisher != "North Gazette" || north.Published != "2021-03-20" || north.Lang != "en" || north.Predicate != "launched" {
		t.Errorf("north's source metadata: %+v", north)
	}
	if east.Publisher != "" || east.Published != "" {
		t.Errorf("east's source has no publisher or date, got %q, %q", east.Publisher, east.Published)
	}
	if north.Resolved.Date != "2021-03-12" || south.Resolved.Date != "2021-03-14" {
		t.Errorf("resolved dates %q and %q, want 2021-03-12 and 2021-03-14", north.Resolved.Date, south.Resolved.Date)
	}
	if north.Revision == 0 || north.Revision >= south.Revision {
		t.Errorf("claim revisions %d (north) and %d (south), want north's first", north.Revision, south.Revision)
	}
	if !strings.HasSuffix(south.Before, "Probe Alpha-5 is operated by Agency South, the survey says. ") || south.After != " from the northern range." {
		t.Errorf("south's quote in context: %q «%s» %q", south.Before, south.Quote, south.After)
	}
	if len(south.Before) > 4*detailContext || len(south.After) > 4*detailContext {
		t.Errorf("context of %d and %d bytes, want about %d characters", len(south.Before), len(south.After), detailContext)
	}
	for _, c := range []struct {
		id   string
		code Code
	}{
		{"ffffffff", NotFound}, {string(launch.ID[:3]), Invalid}, {"", Invalid}, {"xyz1", Invalid},
	} {
		_, err := a.ConflictDetail(c.id, Head)
		if ErrorCode(err) != c.code {
			t.Errorf("ConflictDetail(%q): %v (code %q), want code %q", c.id, err, ErrorCode(err), c.code)
		}
		if c.code == NotFound && !errors.Is(err, projections.ErrUnknownConflict) {
			t.Errorf("ConflictDetail(%q): %v, want it to wrap projections.ErrUnknownConflict", c.id, err)
		}
		if err != nil && strings.Contains(err.Error(), "sillok") {
			t.Errorf("ConflictDetail(%q): %q names a command", c.id, err)
		}
	}
	// At a revision before the claims, the conflict is not there.
	if _, err := a.ConflictDetail(string(launch.ID), 1); ErrorCode(err) != NotFound {
		t.Errorf("ConflictDetail at revision 1: %v, want NotFound", err)
	}
}

func TestClaims(t *testing.T) {
	a := newFixture(t)
	all, err := a.Claims(ClaimFilter{At: Head})
	if err != nil {
		t.Fatal(err)
	}
	if want := 2*fixtureProbes + 3; len(all) != want {
		t.Fatalf("%d claims, want %d", len(all), want)
	}
	bySource, err := a.Claims(ClaimFilter{At: Head, Source: "east-herald"})
	if err != nil || len(bySource) != 1 || bySource[0].ID != "east-herald-launch" {
		t.Errorf("claims of east-herald: %v, %v", bySource, err)
	}
	bySubject, err := a.Claims(ClaimFilter{At: Head, Subject: "Alpha One"})
	if err != nil || len(bySubject) != 5 {
		t.Errorf("claims about Alpha One (an alias of Probe Alpha-1): %d, %v; want 5", len(bySubject), err)
	}
	mustUpdate(t, a, func(tx *events.Tx) error {
		_, err := provenance.NewRecorder(tx, "tester").Retract("east-herald-launch", "a duplicate")
		return err
	})
	rows, err := a.Claims(ClaimFilter{At: Head, Source: "east-herald"})
	if err != nil || len(rows) != 1 || rows[0].Status != ClaimRetracted || rows[0].Reason != "a duplicate" {
		t.Errorf("the retracted claim: %+v, %v", rows, err)
	}
	for _, f := range []ClaimFilter{{At: Head, Source: "nowhere"}, {At: Head, Subject: "Probe Omega"}, {At: 1000}} {
		if _, err := a.Claims(f); ErrorCode(err) != NotFound {
			t.Errorf("Claims(%+v): %v, want NotFound", f, err)
		}
	}
}
