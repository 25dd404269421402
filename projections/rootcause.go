package projections

import (
	"fmt"
	"strings"

	"github.com/sillok/sillok/events"
)

// One root cause, one item of the queue: the temporal conflicts that one
// relation claim (or chain of relation claims) raises against the
// combinations of date claims for its two ends share a root, and the
// queue lists them as one item. Each combination keeps its own conflict
// id, so that a verdict that rejects one date claim resolves exactly the
// combinations that rested on it.

// rootKind is hashed into a root id, so that a root id is never the id of
// a conflict of its own.
const rootKind ConflictKind = "root"

// rootOf is the root id of a temporal conflict: a hash of its relation
// claims in chain order; "" for the other kinds.
func rootOf(cf *Conflict) ConflictID {
	if cf.Kind != KindTemporal {
		return ""
	}
	var rels []string
	for _, cc := range cf.Claims {
		if cc.Role == RoleRelation {
			rels = append(rels, string(cc.ID))
		}
	}
	if len(rels) == 0 {
		return ""
	}
	return conflictID(rootKind, rels...)
}

// SameRoot reports whether two conflicts are combinations of one root
// cause, and so one item of the queue.
func SameRoot(x, y *Conflict) bool { return x.Root != "" && x.Root == y.Root }

// RootSummary summarizes the combinations of one root cause, cs (in the
// queue's order): the relation once, then the date claims of each end,
// each once: "launched after Camp David summit held (harbor); yet
// launched 2023-04 (harbor) and held 2023-08 (toto-en), 2023-08-18
// (tidewater), 2023-08 (pacific-wire): 3 combinations".
func (a *Analysis) RootSummary(cs []*Conflict) string {
	return rootSummary(cs, func(id events.ClaimID) string {
		if c := a.State.Claims[id]; c != nil {
			return c.Predicate
		}
		return ""
	})
}

// rootSummary is RootSummary with the predicates of the claims from
// predicate ("" when unknown).
func rootSummary(cs []*Conflict, predicate func(events.ClaimID) string) string {
	if len(cs) == 0 {
		return ""
	}
	rel, _, _ := strings.Cut(cs[0].Summary, "; yet ")
	var ends [2][]string
	var preds [2]string
	seen := map[events.ClaimID]bool{}
	for _, cf := range cs {
		var dates []ConflictClaim
		for _, cc := range cf.Claims {
			if cc.Role == RoleDate {
				dates = append(dates, cc)
			}
		}
		if len(dates) != 2 {
			continue
		}
		for i, cc := range dates {
			if seen[cc.ID] {
				continue
			}
			seen[cc.ID] = true
			if preds[i] == "" {
				preds[i] = predicate(cc.ID)
			}
			ends[i] = append(ends[i], fmt.Sprintf("%s (%s)", cc.Value, cc.Source))
		}
	}
	return fmt.Sprintf("%s; yet %s %s and %s %s: %d combinations", rel,
		preds[0], strings.Join(ends[0], ", "), preds[1], strings.Join(ends[1], ", "), len(cs))
}
