package projections

import (
	"github.com/sillok/sillok/events"
)

// maxFoldingPairs is the most entities of one NameKey that are all asked
// about in pairs; beyond it each is asked about against the first only, so
// that the questions stay linear in the names.
const maxFoldingPairs = 8

// foldGroup is the names (keys) of one NameKey, by entity. Most groups
// hold one name of one entity: slices, not maps (there is a group for
// every NameKey of the archive, a million at 1M claims).
type foldGroup struct {
	fold  string
	roots []string       // the entities' roots, in order of first appearance
	keys  [][]string     // keys[i]: root i's keys in the group
	index map[string]int // root → i, once the group has many roots
}

// foldIndexAt is how many roots a fold group holds before it indexes them.
const foldIndexAt = 8

// add adds the name key k of the entity whose root is r.
func (g *foldGroup) add(r, k string) {
	i := g.find(r)
	if i < 0 {
		i = len(g.roots)
		g.roots = append(g.roots, r)
		g.keys = append(g.keys, nil)
		if g.index != nil {
			g.index[r] = i
		} else if len(g.roots) > foldIndexAt {
			g.index = make(map[string]int, 2*len(g.roots))
			for j, r := range g.roots {
				g.index[r] = j
			}
		}
	}
	g.keys[i] = append(g.keys[i], k)
}

// find returns the position of root r in the group, or -1.
func (g *foldGroup) find(r string) int {
	if g.index != nil {
		if i, ok := g.index[r]; ok {
			return i
		}
		return -1
	}
	for i, x := range g.roots {
		if x == r {
			return i
		}
	}
	return -1
}

// nameConflicts finds pairs of names of different entities that look like
// the same thing and were not declared distinct. Candidates come from the
// blocking NameIndex, never from comparing every pair; the index holds one
// name per NameKey, and each such pair is asked about for every pair of
// entities that have names with those NameKeys. Different entities with one
// NameKey ("Disney" and "Disney+") are asked about with ReasonFolding.
//
// A conflict's id is made of the two NameKeys when each has names of only
// one entity (as before IdentityKey kept such names apart, so the verdicts
// recorded on it still apply), else of the two keys.
func (a *Analysis) nameConflicts() []*Conflict {
	g := a.names
	root := func(k string) string { return a.entityOf[k].key }
	distinct := map[[2]string]bool{}
	for p := range g.distinct {
		distinct[pairKey(root(p[0]), root(p[1]))] = true
	}
	ix := NewNameIndex()
	groups := map[string]*foldGroup{}
	var order []*foldGroup
	for _, k := range g.order {
		f := ix.add(g.info[k].display)
		if f == "" {
			continue
		}
		grp := groups[f]
		if grp == nil {
			grp = &foldGroup{fold: f}
			groups[f] = grp
			order = append(order, grp)
		}
		grp.add(root(k), k)
	}
	users := a.nameUsers()
	var found []*Conflict
	// ask asks about the entities of roots i of ga and j of gb.
	ask := func(ga, gb *foldGroup, i, j int, res Resemblance) {
		ra, rb := ga.roots[i], gb.roots[j]
		if ra == rb || distinct[pairKey(ra, rb)] {
			return
		}
		// Each entity is represented by its first name in the group; the
		// names are ordered by NameKey, then key.
		x, y := ga.keys[i][0], gb.keys[j][0]
		if gb.fold < ga.fold || (gb.fold == ga.fold && y < x) {
			x, y = y, x
			ga, gb, i, j = gb, ga, j, i
		}
		id := conflictID(KindName, x, y)
		if len(ga.roots) == 1 && len(gb.roots) == 1 {
			id = conflictID(KindName, ga.fold, gb.fold)
		} else if res.Reason != ReasonFolding {
			// The index compared one name of each NameKey; say why these two
			// look alike.
			if r, ok := LookAlike(g.info[x].display, g.info[y].display); ok {
				res = r
			}
		}
		cf := &Conflict{ID: id, Kind: KindName, Status: ConflictOpen,
			Subject: g.info[x].display, Names: []string{g.info[x].display, g.info[y].display},
			Resemblance: res.Reason + ": " + res.Detail, Claims: []ConflictClaim{}}
		seen := map[events.ClaimID]bool{}
		for _, ks := range [][]string{ga.keys[i], gb.keys[j]} {
			n := 0
			for _, k := range ks {
				for _, c := range users[k] {
					if n < nameUsersShown && !seen[c.ID] {
						cf.Claims = append(cf.Claims, a.conflictClaim(c, ""))
						seen[c.ID] = true
						n++
					}
				}
			}
		}
		a.finish(cf)
		found = append(found, cf)
	}
	for _, p := range ix.Pairs() {
		ga, gb := groups[g.foldKey(p.A)], groups[g.foldKey(p.B)]
		for i := range ga.roots {
			for j := range gb.roots {
				ask(ga, gb, i, j, p.Resemblance)
			}
		}
	}
	folding := Resemblance{Reason: ReasonFolding, Detail: foldingDetail}
	for _, grp := range order {
		for i := range grp.roots {
			for j := i + 1; j < len(grp.roots); j++ {
				ask(grp, grp, i, j, folding)
			}
			if len(grp.roots) > maxFoldingPairs {
				break // the first against each of the others only
			}
		}
	}
	return found
}

// nameUsersShown is the most claims a name conflict shows for each name.
const nameUsersShown = 5

// nameUsers maps a name key to the standing claims that use the name as
// their subject, their "as" or their entity value (at most a few each).
func (a *Analysis) nameUsers() map[string][]*Claim {
	m := map[string][]*Claim{}
	add := func(name string, c *Claim) {
		k := a.names.key(name)
		if len(m[k]) < nameUsersShown && (len(m[k]) == 0 || m[k][len(m[k])-1] != c) {
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
