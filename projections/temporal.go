package projections

import (
	"github.com/sillok/sillok/events"
)

// maxChain bounds how many relations a temporal check follows through
// facts that have no date of their own.
const maxChain = 8

// compose combines two relations in a chain: A op1 B and B op2 C give
// A (compose) C, or false when nothing follows (A after B, B before C).
func compose(op1, op2 events.RelationOp) (events.RelationOp, bool) {
	switch {
	case op1 == events.RelSame:
		return op2, true
	case op2 == events.RelSame, op1 == op2:
		return op1, true
	}
	return "", false
}

// violated reports whether "x op y" cannot be true for the two dates: an
// "after" whose subject lies wholly before its object, a "before" wholly
// after, a "same" on disjoint days. Approximate dates are widened first.
func violated(op events.RelationOp, x, y events.Date) bool {
	xf, xl := x.Bounds()
	yf, yl := y.Bounds()
	switch op {
	case events.RelAfter:
		return xl < yf
	case events.RelBefore:
		return xf > yl
	}
	return xl < yf || yl < xf
}

// temporalConflicts checks every standing relation claim against the
// standing date claims of its two ends, following relations through facts
// that have no date of their own. Each combination that cannot be true is
// a conflict naming the relation claim(s) and the two date claims.
func (a *Analysis) temporalConflicts(dated map[factKey][]datedClaim, relations []*Claim) []*Conflict {
	type edge struct {
		to  factKey
		op  events.RelationOp
		rel *Claim
	}
	out := map[factKey][]edge{}
	for _, r := range relations {
		from := factKey{a.entityKey(r.Subject), r.Predicate}
		to := factKey{a.entityKey(r.Value.Relation.To.Subject), r.Value.Relation.To.Predicate}
		out[from] = append(out[from], edge{to, r.Value.Relation.Op, r})
	}
	var found []*Conflict
	for _, r := range relations {
		from := factKey{a.entityKey(r.Subject), r.Predicate}
		xs := dated[from]
		if len(xs) == 0 {
			continue
		}
		type step struct {
			at    factKey
			op    events.RelationOp
			chain []*Claim
		}
		queue := []step{{factKey{a.entityKey(r.Value.Relation.To.Subject), r.Value.Relation.To.Predicate}, r.Value.Relation.Op, []*Claim{r}}}
		visited := map[factKey]bool{from: true}
		for len(queue) > 0 {
			st := queue[0]
			queue = queue[1:]
			if visited[st.at] {
				continue
			}
			visited[st.at] = true
			if ys := dated[st.at]; len(ys) > 0 {
				for _, x := range xs {
					for _, y := range ys {
						if violated(st.op, x.d, y.d) {
							found = append(found, a.temporalConflict(st.chain, x.c, y.c))
						}
					}
				}
				continue
			}
			if len(st.chain) >= maxChain {
				continue
			}
			for _, e := range out[st.at] {
				if op, ok := compose(st.op, e.op); ok {
					chain := append(append([]*Claim(nil), st.chain...), e.rel)
					queue = append(queue, step{e.to, op, chain})
				}
			}
		}
	}
	return found
}

func (a *Analysis) temporalConflict(chain []*Claim, x, y *Claim) *Conflict {
	var parts []string
	for _, r := range chain {
		parts = append(parts, string(r.ID))
	}
	parts = append(parts, string(x.ID), string(y.ID))
	cf := &Conflict{ID: conflictID(KindTemporal, parts...), Kind: KindTemporal, Status: ConflictOpen,
		Subject: a.Canonical(chain[0].Subject), Predicate: chain[0].Predicate}
	for _, r := range chain {
		cf.Claims = append(cf.Claims, a.conflictClaim(r, RoleRelation))
	}
	cf.Claims = append(cf.Claims, a.conflictClaim(x, RoleDate), a.conflictClaim(y, RoleDate))
	a.finish(cf)
	return cf
}
