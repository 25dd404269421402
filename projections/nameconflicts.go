package projections

import (
	"github.com/sillok/sillok/events"
)

// nameConflicts finds pairs of names of different entities that look like
// the same thing and were not declared distinct. Candidates come from the
// blocking NameIndex, never from comparing every pair.
func (a *Analysis) nameConflicts() []*Conflict {
	g := a.names
	root := func(k string) string { return a.entityOf[k].key }
	distinct := map[[2]string]bool{}
	for p := range g.distinct {
		distinct[pairKey(root(p[0]), root(p[1]))] = true
	}
	ix := NewNameIndex()
	for _, k := range g.order {
		ix.Add(g.info[k].display)
	}
	users := a.nameUsers()
	var found []*Conflict
	for _, p := range ix.Pairs() {
		ka, kb := g.key(p.A), g.key(p.B)
		ra, rb := root(ka), root(kb)
		if ra == rb || distinct[pairKey(ra, rb)] {
			continue
		}
		x, y := ka, kb
		if y < x {
			x, y = y, x
		}
		cf := &Conflict{ID: conflictID(KindName, x, y), Kind: KindName, Status: ConflictOpen,
			Subject: g.info[x].display, Names: []string{g.info[x].display, g.info[y].display},
			Resemblance: p.Reason + ": " + p.Detail, Claims: []ConflictClaim{}}
		for _, k := range []string{x, y} {
			for _, c := range users[k] {
				cf.Claims = append(cf.Claims, a.conflictClaim(c, ""))
			}
		}
		a.finish(cf)
		found = append(found, cf)
	}
	return found
}

// nameUsers maps a name key to the standing claims that use the name as
// their subject, their "as" or their entity value (at most a few each).
func (a *Analysis) nameUsers() map[string][]*Claim {
	const perName = 5
	m := map[string][]*Claim{}
	add := func(name string, c *Claim) {
		k := a.names.key(name)
		if len(m[k]) < perName && (len(m[k]) == 0 || m[k][len(m[k])-1] != c) {
			m[k] = append(m[k], c)
		}
	}
	for _, c := range a.sorted {
		if !c.Standing() {
			continue
		}
		add(c.Subject, c)
		if c.As != "" {
			add(c.As, c)
		}
		if c.Value.Kind == events.KindEntity && c.Value.Entity != "" {
			add(c.Value.Entity, c)
		}
	}
	return m
}
