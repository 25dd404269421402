package projections

import (
	"cmp"
	"slices"
	"sort"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/sources"
)

// nameGraph resolves names to canonical entities: a union-find over name
// keys (IdentityKey), joined by aliases, claims' "as" and "same" verdicts,
// and kept apart by distinct declarations and verdicts.
//
// Names with one IdentityKey are one name. Two names declared distinct are
// never one entity: when their IdentityKeys are equal ("ASEAN" and "Asean"
// declared distinct) the names of that key are told apart by their exact
// (normalized, not case-folded) form instead; and a link (alias, "as",
// "same") that would put two names declared distinct in one entity is not
// followed. Links are followed in the order of the events that made them,
// so the earlier links win.
type nameGraph struct {
	keys     map[string]string   // name → IdentityKey(name), memoized while Analyze runs
	folds    map[string]string   // name → NameKey(name), likewise
	frozen   bool                // set when Analyze returns: keys is only read
	comps    map[string][]string // root → member keys, once unions are done
	parent   map[string]string
	info     map[string]*nameInfo
	distinct map[[2]string]bool  // pairs of name keys declared different
	split    map[string]bool     // IdentityKeys told apart by exact form
	apart    map[string][]string // root → keys declared distinct from a member
	aliases  []Alias
	order    []string          // keys in order of first appearance
	ekeys    map[string]string // root → entityKey(root), once unions are done
	// addRev and addBase number the names first seen in one event
	// (nameInfo.ord): the revision of the step being applied, and the
	// length of order when it began.
	addRev  events.Revision
	addBase int
}

type nameInfo struct {
	display  string // the first surface form seen
	rev      events.Revision
	ord      int  // among the names first seen in the event of rev, in the order seen
	asAlias  bool // appears as the alias side of a declaration
	asTarget bool // appears as a claim subject or an alias's entity
	kind     events.AliasKind
	claim    events.ClaimID
	note     string
	// origin is the revision of the event that made the name an alias
	// (the claim's "as", the declaration, the "same" verdict): kind,
	// claim, note and origin are set together.
	origin events.Revision
}

// shed lets go of what only the analysis needed (the union-find, the
// names' details, the fold keys): afterwards the graph only resolves
// names to keys (key), which is all a model's writer asks of it. It must
// be frozen.
func (g *nameGraph) shed() {
	g.folds, g.comps, g.parent, g.info, g.distinct, g.apart = nil, nil, nil, nil, nil, nil
	g.aliases, g.order, g.ekeys = nil, nil, nil
}

// key returns the name's key, IdentityKey(name) (refined by the exact form
// for a split key), computed once per name.
func (g *nameGraph) key(name string) string {
	k, ok := g.keys[name]
	if !ok {
		k = IdentityKey(name)
		if g.split[k] {
			k += "\x00" + sources.Normalize(name)
		}
		if !g.frozen {
			g.keys[name] = k
		}
	}
	return k
}

// foldKey returns NameKey(name), the looser key names and text values
// compare by, computed once per name.
func (g *nameGraph) foldKey(name string) string {
	k, ok := g.folds[name]
	if !ok {
		k = NameKey(name)
		if !g.frozen {
			g.folds[name] = k
		}
	}
	return k
}

func (g *nameGraph) add(name string, rev events.Revision) string {
	k := g.key(name)
	if _, ok := g.info[k]; !ok {
		if rev != g.addRev || len(g.order) == 0 {
			g.addRev, g.addBase = rev, len(g.order)
		}
		g.info[k] = &nameInfo{display: name, rev: rev, ord: len(g.order) - g.addBase}
		g.parent[k] = k
		g.order = append(g.order, k)
	}
	return k
}

func (g *nameGraph) find(k string) string {
	for g.parent[k] != k {
		g.parent[k] = g.parent[g.parent[k]]
		k = g.parent[k]
	}
	return k
}

// union joins the entities of a and b, unless some name of one was
// declared distinct from some name of the other; it reports whether they
// are one entity now.
func (g *nameGraph) union(a, b string) bool {
	ra, rb := g.find(a), g.find(b)
	if ra == rb {
		return true
	}
	// g.apart is symmetric, so looking through one side's list suffices.
	short, other := ra, rb
	if len(g.apart[rb]) < len(g.apart[ra]) {
		short, other = rb, ra
	}
	for _, k := range g.apart[short] {
		if g.find(k) == other {
			return false
		}
	}
	// Keep the root that appeared first, so roots do not depend on map
	// order.
	if g.info[rb].rev < g.info[ra].rev || (g.info[rb].rev == g.info[ra].rev && rb < ra) {
		ra, rb = rb, ra
	}
	g.parent[rb] = ra
	if len(g.apart[rb]) > 0 {
		g.apart[ra] = append(g.apart[ra], g.apart[rb]...)
		delete(g.apart, rb)
	}
	return true
}

// splitKeys returns the IdentityKeys that two names declared distinct
// share, and so must be told apart by their exact form.
func splitKeys(s *State, verdicts map[ConflictID]*Verdict) map[string]bool {
	split := map[string]bool{}
	check := func(a, b string) {
		if k := IdentityKey(a); k == IdentityKey(b) && sources.Normalize(a) != sources.Normalize(b) {
			split[k] = true
		}
	}
	for _, al := range s.Aliases {
		if al.Kind == events.AliasDistinct {
			check(al.Entity, al.Name)
		}
	}
	for _, v := range verdicts {
		if len(v.Names) == 2 && v.Decision == events.DecisionDistinct {
			check(v.Names[0], v.Names[1])
		}
	}
	return split
}

// buildNames collects every name the state mentions and joins aliases.
func buildNames(s *State) *nameGraph {
	verdicts := latestVerdicts(s)
	g := &nameGraph{keys: map[string]string{}, folds: map[string]string{}, parent: map[string]string{},
		info: map[string]*nameInfo{}, distinct: map[[2]string]bool{}, split: splitKeys(s, verdicts),
		apart: map[string][]string{}}
	type link struct{ a, b string }
	var links []link
	// Names in the order of the events that introduced them.
	type named struct {
		rev events.Revision
		f   func()
	}
	var steps []named
	for _, c := range s.Claims {
		if c.Retracted {
			continue
		}
		c := c
		steps = append(steps, named{c.Rev, func() {
			k := g.add(c.Subject, c.Rev)
			g.info[k].asTarget = true
			if c.As != "" {
				ak := g.add(c.As, c.Rev)
				if ak != k {
					g.info[ak].asAlias = true
					if g.info[ak].kind == "" {
						g.info[ak].kind, g.info[ak].claim, g.info[ak].origin = events.AliasVariant, c.ID, c.Rev
					}
					links = append(links, link{k, ak})
				}
			}
			if c.Value.Kind == events.KindEntity && c.Value.Entity != "" {
				g.add(c.Value.Entity, c.Rev)
			}
			if r := c.Value.Relation; r != nil {
				g.add(r.To.Subject, c.Rev)
			}
		}})
	}
	for i := range s.Aliases {
		al := s.Aliases[i]
		steps = append(steps, named{al.Rev, func() {
			ek := g.add(al.Entity, al.Rev)
			nk := g.add(al.Name, al.Rev)
			if al.Kind == events.AliasDistinct {
				g.distinct[pairKey(ek, nk)] = true
				return
			}
			g.aliases = append(g.aliases, al)
			g.info[ek].asTarget = true
			if nk != ek {
				g.info[nk].asAlias = true
				g.info[nk].kind, g.info[nk].claim, g.info[nk].note, g.info[nk].origin = al.Kind, al.Claim, al.Note, al.Rev
				links = append(links, link{ek, nk})
			}
		}})
	}
	for _, v := range verdicts {
		if len(v.Names) != 2 || (v.Decision != events.DecisionSame && v.Decision != events.DecisionDistinct) {
			continue
		}
		v := v
		steps = append(steps, named{v.Rev, func() {
			a, b := g.add(v.Names[0], v.Rev), g.add(v.Names[1], v.Rev)
			if v.Decision == events.DecisionDistinct {
				g.distinct[pairKey(a, b)] = true
				return
			}
			// The verdict makes the second name an alias of the first,
			// or the first of the second when only the second is already
			// an alias (of another entity, through a claim's "as" or a
			// declaration): that origin stays. The new alias shows as
			// made by the verdict, at its revision.
			alias := b
			if g.info[b].asAlias && !g.info[a].asAlias {
				alias = a
			}
			if in := g.info[alias]; !in.asAlias {
				in.asAlias = true
				in.kind, in.claim, in.note, in.origin = events.AliasSame, "", v.Note, v.Rev
			}
			links = append(links, link{a, b})
		}})
	}
	// Each step is one event's, so the revisions are distinct.
	slices.SortFunc(steps, func(a, b named) int { return cmp.Compare(a.rev, b.rev) })
	for _, st := range steps {
		st.f()
	}
	for p := range g.distinct {
		if p[0] != p[1] {
			g.apart[p[0]] = append(g.apart[p[0]], p[1])
			g.apart[p[1]] = append(g.apart[p[1]], p[0])
		}
	}
	for _, l := range links {
		g.union(l.a, l.b)
	}
	// The keys of text values, which the checks compare as names: memoized
	// here, since the memo is frozen once the entities are known.
	for _, c := range s.Claims {
		if !c.Retracted && c.Value.Kind == events.KindText {
			g.foldKey(c.Value.Text)
		}
	}
	return g
}

func pairKey(a, b string) [2]string {
	if b < a {
		a, b = b, a
	}
	return [2]string{a, b}
}

// roots returns one key per entity, in order of first appearance.
func (g *nameGraph) roots() []string {
	var out []string
	for _, k := range g.order {
		if g.find(k) == k {
			out = append(out, k)
		}
	}
	return out
}

// members returns the keys of an entity, in order of first appearance.
// The components are computed once, in one pass over the names.
func (g *nameGraph) members(root string) []string {
	if g.comps == nil {
		g.comps = make(map[string][]string, len(g.order))
		for _, k := range g.order {
			r := g.find(k)
			g.comps[r] = append(g.comps[r], k)
		}
	}
	return g.comps[root]
}

// entityKey returns the key of the entity with root root, which its facts
// are grouped by and its value conflicts' ids are made of: the NameKey of
// the root's name when no other entity's root has that NameKey (as when
// entities were keyed by NameKey, so that those ids, and the verdicts
// recorded on them, stay as they were), else the root itself. Keys are
// unique among entities.
func (g *nameGraph) entityKey(root string) string {
	if g.ekeys == nil {
		g.ekeys = map[string]string{}
		roots := g.roots()
		folds := make([]string, len(roots))
		n := map[string]int{}
		for i, r := range roots {
			folds[i] = g.foldKey(g.info[r].display)
			n[folds[i]]++
		}
		used := map[string]bool{}
		for i, r := range roots {
			k := r
			if n[folds[i]] == 1 && folds[i] != "" {
				k = folds[i]
			}
			for used[k] {
				k = "\x00" + k // another entity's root is this NameKey
			}
			used[k] = true
			g.ekeys[r] = k
		}
	}
	return g.ekeys[root]
}

// canonicalKey is the entity's canonical name: the earliest name used as
// a subject or an alias's entity and never declared an alias of something
// else; failing that, the earliest name.
func (g *nameGraph) canonicalKey(root string) string {
	best := ""
	for _, k := range g.members(root) {
		in := g.info[k]
		if in.asTarget && !in.asAlias {
			return k
		}
		if best == "" {
			best = k
		}
	}
	return best
}

func (g *nameGraph) display(root string) string { return g.info[g.canonicalKey(root)].display }

// aliasesOf lists the other names of an entity.
func (g *nameGraph) aliasesOf(root string) []EntityName {
	canon := g.canonicalKey(root)
	var out []EntityName
	for _, k := range g.members(root) {
		if k == canon {
			continue
		}
		in := g.info[k]
		kind := in.kind
		if kind == "" {
			kind = events.AliasVariant
		}
		rev := in.origin
		if rev == 0 {
			rev = in.rev // a name joined through another: where it first appeared
		}
		out = append(out, EntityName{Name: in.display, Kind: kind, Claim: in.claim, Rev: rev, Note: in.note})
	}
	return out
}

// nameMeta is what the read model keeps of each name of an entity, in
// its record, besides the name itself: where the name first appeared and
// how the events used it, which decide the root, the shown name and the
// aliases when two entities become one (partialsame.go).
type nameMeta struct {
	Rev    events.Revision `json:"r"`           // nameInfo.rev
	Ord    int             `json:"o,omitempty"` // nameInfo.ord
	Target bool            `json:"t,omitempty"` // nameInfo.asTarget
	Alias  bool            `json:"a,omitempty"` // nameInfo.asAlias
}

// metaOf returns the nameMeta of the entity's names: its canonical name
// first, then its aliases in aliasesOf's order.
func (g *nameGraph) metaOf(root string) []nameMeta {
	canon := g.canonicalKey(root)
	meta := func(k string) nameMeta {
		in := g.info[k]
		return nameMeta{Rev: in.rev, Ord: in.ord, Target: in.asTarget, Alias: in.asAlias}
	}
	out := []nameMeta{meta(canon)}
	for _, k := range g.members(root) {
		if k != canon {
			out = append(out, meta(k))
		}
	}
	return out
}

// independenceGroups maps each source to the representative of its group
// of dependent sources: translations join their original, and copies
// (MinHash similarity at or above CopyThreshold) join the earlier source.
func independenceGroups(s *State) map[events.SourceID]events.SourceID {
	parent := map[events.SourceID]events.SourceID{}
	var find func(events.SourceID) events.SourceID
	find = func(x events.SourceID) events.SourceID {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	srcs := make([]*Source, 0, len(s.Sources))
	for _, src := range s.Sources {
		srcs = append(srcs, src)
		parent[src.ID] = src.ID
	}
	sort.Slice(srcs, func(i, j int) bool { return srcs[i].Rev < srcs[j].Rev })
	union := func(a, b events.SourceID) {
		ra, rb := find(a), find(b)
		if ra == rb {
			return
		}
		if s.Sources[rb].Rev < s.Sources[ra].Rev {
			ra, rb = rb, ra
		}
		parent[rb] = ra
	}
	// The groups are the connected parts of the translation and copy
	// links, each represented by its earliest source, so the order of the
	// unions does not matter.
	sks := make([]*Sketch, len(srcs))
	for i, src := range srcs {
		if _, ok := parent[src.TranslationOf]; ok && src.TranslationOf != "" {
			union(src.TranslationOf, src.ID)
		}
		sks[i] = &src.Sketch
	}
	for _, p := range copyPairs(sks) {
		union(srcs[p[0]].ID, srcs[p[1]].ID)
	}
	out := make(map[events.SourceID]events.SourceID, len(parent))
	for id := range parent {
		out[id] = find(id)
	}
	return out
}
