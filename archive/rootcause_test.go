package archive

import (
	"slices"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/sources"
)

const rootText = "The Kelp Council was founded in March 2023, after the Reef summit. " +
	"The Reef summit was held in June 2023. Others date the summit to July 2023. " +
	"A third account puts the summit on 2023-08-02. The Kelp Council budget is 3 million dollars. " +
	"Its budget is 5 million dollars.\n"

const rootClaims = `source: kelp
predicates:
  - {name: founded, kind: date}
  - {name: held, kind: date}
  - {name: budget, kind: quantity}
claims:
  - {id: founded, subject: Kelp Council, predicate: founded, value: March 2023, quote: founded in March 2023}
  - {id: after-summit, subject: Kelp Council, predicate: founded, value: {after: {subject: Reef summit, predicate: held}}, quote: after the Reef summit}
  - {id: held-june, subject: Reef summit, predicate: held, value: June 2023, quote: held in June 2023}
  - {id: held-july, subject: Reef summit, predicate: held, value: July 2023, quote: summit to July 2023}
  - {id: held-aug, subject: Reef summit, predicate: held, value: 2023-08-02, quote: summit on 2023-08-02}
  - {id: budget-3, subject: Kelp Council, predicate: budget, value: 3 million dollars, quote: budget is 3 million dollars}
  - {id: budget-5, subject: Kelp Council, predicate: budget, value: 5 million dollars, quote: budget is 5 million dollars}
`

// rootArchive is an archive where one relation claim ("founded after the
// summit") contradicts three summit dates: one root cause, three temporal
// conflicts; and the summit's dates disagree with each other (one value
// conflict), and so do the budgets.
func rootArchive(t *testing.T) *Archive {
	t.Helper()
	a, err := Create(eventstest.ArchivePath(t, "root.db"), Options{Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if _, err := a.AddSource("archivist", []byte(rootText), sources.Meta{ID: "kelp", Published: "2024-01-10"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ImportClaims("archivist", []ClaimsFile{{Name: "claims.yaml", Data: []byte(rootClaims)}}, nil); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestQueueItems(t *testing.T) {
	a := rootArchive(t)
	page, err := a.Conflicts(ConflictFilter{At: Head})
	if err != nil {
		t.Fatal(err)
	}
	var temporal []*projections.Conflict
	for _, cf := range page.Conflicts {
		if cf.Kind == projections.KindTemporal {
			temporal = append(temporal, cf)
		}
	}
	if len(temporal) != 3 {
		t.Fatalf("got %d temporal conflicts, want 3 (one per summit date): %v", len(temporal), conflictIDs(page.Conflicts))
	}
	root := temporal[0].Root
	for _, cf := range temporal {
		if cf.Root != root || root == "" {
			t.Errorf("conflict %s: root %q, want %q shared by the three", cf.ID, cf.Root, root)
		}
	}
	var kinds []string
	for _, it := range page.Items {
		kinds = append(kinds, string(it.Kind))
	}
	if want := []string{"value", "value", "temporal"}; !slices.Equal(kinds, want) {
		t.Fatalf("items %v, want kinds %v", page.Items, want)
	}
	item := page.Items[2]
	if item.ID != root || len(item.Conflicts) != 3 {
		t.Errorf("the temporal item: got id %s with %v, want id %s with the 3 combinations", item.ID, item.Conflicts, root)
	}

	t.Run("PagingCountsItems", func(t *testing.T) {
		for limit := 1; limit <= 4; limit++ {
			f := ConflictFilter{At: Head, Limit: limit}
			var items []projections.ConflictID
			for pages := 0; ; pages++ {
				p, err := a.Conflicts(f)
				if err != nil {
					t.Fatal(err)
				}
				if len(p.Items) > limit {
					t.Errorf("limit %d: a page of %d items", limit, len(p.Items))
				}
				for _, it := range p.Items {
					items = append(items, it.ID)
					if it.ID == root && len(it.Conflicts) != 3 {
						t.Errorf("limit %d: the root's item split: %v on one page", limit, it.Conflicts)
					}
				}
				if p.Next == "" || pages > 10 {
					break
				}
				f.After = p.Next
			}
			if want := []projections.ConflictID{page.Items[0].ID, page.Items[1].ID, root}; !slices.Equal(items, want) {
				t.Errorf("limit %d: items %v, want %v", limit, items, want)
			}
		}
	})

	t.Run("ShowRoot", func(t *testing.T) {
		d, err := a.ConflictDetail(string(root), Head)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Combinations) != 3 || d.ID != root {
			t.Errorf("ConflictDetail(root): id %s, %d combinations, want %s and 3", d.ID, len(d.Combinations), root)
		}
		var ids []events.ClaimID
		for _, cd := range d.Details {
			ids = append(ids, cd.ID)
		}
		if want := []events.ClaimID{"after-summit", "founded", "held-aug", "held-july", "held-june"}; !sameClaims(ids, want) {
			t.Errorf("ConflictDetail(root) claims %v, want each of %v once", ids, want)
		}
		one, err := a.ConflictDetail(string(temporal[0].ID), Head)
		if err != nil || len(one.Combinations) != 0 || one.Item == nil || one.Item.ID != root || len(one.Item.Conflicts) != 3 {
			t.Errorf("ConflictDetail(one combination): %v, %d combinations, item %+v, want the conflict alone, in the root's item of 3", err, len(one.Combinations), one.Item)
		}
	})

	t.Run("ReviewOneCombination", func(t *testing.T) {
		a := rootArchive(t)
		res, err := a.Review("checker", ReviewRequest{Conflict: string(temporal[0].ID), Decision: events.DecisionDismiss})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Also) != 0 || res.Conflict.ID != temporal[0].ID {
			t.Errorf("a review of one combination recorded %d more verdicts on %s", len(res.Also), res.Conflict.ID)
		}
		p, err := a.Conflicts(ConflictFilter{At: Head, Status: projections.ConflictOpen, Kind: projections.KindTemporal})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 1 || p.Items[0].ID != root || len(p.Items[0].Conflicts) != 2 {
			t.Errorf("open temporal items after one dismissal: %+v, want the root's item with the 2 others", p.Items)
		}
	})

	t.Run("ReviewRoot", func(t *testing.T) {
		a := rootArchive(t)
		before := head(t, a)
		res, err := a.Review("checker", ReviewRequest{Conflict: string(root)[:6], Decision: events.DecisionReject, Claim: "founded"})
		if err != nil {
			t.Fatal(err)
		}
		if got := 1 + len(res.Also); got != 3 || head(t, a) != before+3 {
			t.Errorf("a review of the root recorded %d verdicts (head %d from %d), want one per combination", got, head(t, a), before)
		}
		p, err := a.Conflicts(ConflictFilter{At: Head, Kind: projections.KindTemporal})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Conflicts) != 3 || len(p.Items) != 1 || p.Items[0].ID != root {
			t.Errorf("temporal conflicts after the review: %v in items %+v, want the 3 combinations, resolved, in the root's item", conflictIDs(p.Conflicts), p.Items)
		}
		for _, cf := range p.Conflicts {
			if cf.Status != projections.ConflictResolved || cf.Root != root {
				t.Errorf("conflict %s is %s (root %q) after rejecting the launch date on its root, want resolved (root %s)", cf.ID, cf.Status, cf.Root, root)
			}
		}
		// Again: every combination is resolved, so it is refused.
		_, err = a.Review("checker", ReviewRequest{Conflict: string(root), Decision: events.DecisionReject, Claim: "founded"})
		wantCode(t, "reviewing the resolved root again", err, Conflict)
		// A claim none of the combinations holds.
		_, err = a.Review("checker", ReviewRequest{Conflict: string(root), Decision: events.DecisionReject, Claim: "budget-3", Override: true})
		wantCode(t, "rejecting a claim of no combination", err, Invalid)
	})
}

func sameClaims(got, want []events.ClaimID) bool {
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	return slices.Equal(g, w)
}
