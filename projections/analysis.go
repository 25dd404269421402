package projections

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/sillok/sillok/events"
)

// Analysis is the reconciled view and the conflict list of a State: a
// pure function of it, computed in time about linear in the claims.
type Analysis struct {
	Rev       events.Revision
	State     *State
	Entities  []*Entity
	Conflicts []*Conflict

	entityOf  map[string]*Entity // name key → entity
	sorted    []*Claim           // the state's claims in revision order
	conflicts map[ConflictID]*Conflict
	names     *nameGraph
	srcGroup  map[events.SourceID]events.SourceID
}

// Entity is a canonical entity: its name, its aliases and its facts.
type Entity struct {
	Name    string       `json:"name"`
	Aliases []EntityName `json:"-"`
	Facts   []*Fact      `json:"facts"`
	key     string
	names   []nameMeta // the name's, then each alias's (nameGraph.metaOf)
}

// EntityName is one alias of an entity and where it comes from.
type EntityName struct {
	Name  string           `json:"name"`
	Kind  events.AliasKind `json:"kind"`
	Claim events.ClaimID   `json:"claim,omitempty"`
	Rev   events.Revision  `json:"revision"`
	Note  string           `json:"note,omitempty"`
}

// Fact is one entity's value for one predicate, with its support.
type Fact struct {
	Predicate string `json:"predicate"`
	// Value is the reconciled value in canonical written form; nil while
	// in conflict.
	Value    *string           `json:"value"`
	Status   FactStatus        `json:"status"`
	Claims   []events.ClaimID  `json:"claims"`
	Sources  []events.SourceID `json:"sources"`
	Rejected []events.ClaimID  `json:"rejected,omitempty"`
	Conflict ConflictID        `json:"conflict,omitempty"`
	// Independent counts the sources that are not translations or copies
	// of each other.
	Independent int `json:"independent_sources"`
	// Values lists the competing values while in conflict (or after a
	// dismissal).
	Values []string `json:"values,omitempty"`
	// Relation is set for a fact that relates to another fact ("after
	// Camp David summit / held") rather than giving a date.
	Relation bool `json:"relation,omitempty"`
}

// Conflict is a flagged contradiction.
type Conflict struct {
	ID           ConflictID      `json:"id"`
	Kind         ConflictKind    `json:"kind"`
	Status       ConflictStatus  `json:"status"`
	Subject      string          `json:"subject"`
	Predicate    string          `json:"predicate"`
	WithinSource bool            `json:"within_source"`
	Claims       []ConflictClaim `json:"claims"`
	Names        []string        `json:"names,omitempty"`
	Summary      string          `json:"summary"`
	// Resemblance says why two names look alike (name conflicts).
	Resemblance string `json:"resemblance,omitempty"`
	// Verdict is the latest verdict recorded on the conflict.
	Verdict *Verdict `json:"verdict,omitempty"`
	// Reopened is set when a claim joined the conflict after its verdict.
	Reopened bool `json:"reopened,omitempty"`
	// Joined lists the claims that arrived after the verdict.
	Joined []events.ClaimID `json:"joined,omitempty"`
	// Root is the id of the conflict's root cause, for a temporal
	// conflict: its relation claim(s), which the other combinations of
	// date claims against the same relation share (rootcause.go).
	Root ConflictID `json:"root,omitempty"`
}

// ConflictClaim is one claim of a conflict.
type ConflictClaim struct {
	ID     events.ClaimID  `json:"id"`
	Source events.SourceID `json:"source"`
	Value  string          `json:"value"`
	Quote  string          `json:"quote"`
	// Role is RoleRelation or RoleDate in a temporal conflict, else "".
	Role     ClaimRole `json:"role,omitempty"`
	Rejected bool      `json:"rejected,omitempty"`
	Subject  string    `json:"subject"`
}

// Entity returns the entity a name resolves to, or nil.
func (a *Analysis) Entity(name string) *Entity { return a.entityOf[a.names.key(name)] }

// Conflict returns the conflict with the given id or unique id prefix.
func (a *Analysis) Conflict(id string) (*Conflict, error) {
	if c, ok := a.conflicts[ConflictID(id)]; ok {
		return c, nil
	}
	var found *Conflict
	for _, c := range a.Conflicts {
		if len(id) >= 4 && strings.HasPrefix(string(c.ID), id) {
			if found != nil {
				return nil, fmt.Errorf("conflict id %q is ambiguous: %s and %s", id, found.ID, c.ID)
			}
			found = c
		}
	}
	if found == nil {
		return nil, fmt.Errorf("%w: no conflict %q at revision %d", ErrUnknownConflict, id, a.Rev)
	}
	return found, nil
}

// ErrUnknownConflict reports a conflict id that matches no conflict.
var ErrUnknownConflict = fmt.Errorf("unknown conflict")

// Canonical returns the canonical name a name resolves to (the name
// itself when it is unknown).
func (a *Analysis) Canonical(name string) string {
	if e := a.entityOf[a.names.key(name)]; e != nil {
		return e.Name
	}
	return name
}

// Independent returns the representative of a source's independence
// group: the source itself, or the original it translates or copies.
func (a *Analysis) Independent(id events.SourceID) events.SourceID {
	if g, ok := a.srcGroup[id]; ok {
		return g
	}
	return id
}

// conflictID is a short stable hash of what a conflict concerns.
func conflictID(kind ConflictKind, parts ...string) ConflictID {
	h := sha256.New()
	h.Write([]byte(kind))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	var sum [sha256.Size]byte
	return ConflictID(hex.EncodeToString(h.Sum(sum[:0])[:5]))
}

// Analyze computes the reconciled view and the conflicts of s.
func Analyze(s *State) *Analysis { return analyze(s, nil, false) }

// analyzeLean is Analyze with the name checks run before the value and
// temporal checks instead of beside them: the name index (about 110 MB at
// 1M claims) is garbage before the claims are grouped, which lowers a
// rebuild's peak memory (WriteModel) for a second or two more at 1M.
func analyzeLean(s *State) *Analysis { return analyze(s, nil, true) }

// partialNames is what an analysis of part of a state (the neighbourhood
// of a write, partial.go) takes from the stored model instead of deriving
// it from the whole state: the entity of every name its claims use, the
// identity keys told apart by exact form, and the sources' independence
// groups. The name checks, which need every name, are not run.
type partialNames struct {
	entityOf map[string]*Entity // name key → entity (name, aliases, key)
	split    map[string]bool
	srcGroup map[events.SourceID]events.SourceID
}

// analyze is Analyze, of the whole state (pn nil) or of part of it; lean
// is analyzeLean's.
func analyze(s *State, pn *partialNames, lean bool) *Analysis {
	a := &Analysis{Rev: s.Rev, State: s, entityOf: map[string]*Entity{}, conflicts: map[ConflictID]*Conflict{}}
	// Two parts run beside the rest, on their own data: the independence
	// groups of the sources from the start, and the name checks once the
	// entities are known. From then on the name graph is only read (its
	// keys memo is frozen and nothing calls find), so sharing it is safe.
	var wg sync.WaitGroup
	var srcGroup map[events.SourceID]events.SourceID
	a.sorted = s.SortedClaims()
	verdicts := latestVerdicts(s)
	var nameFound []*Conflict
	if pn == nil {
		wg.Go(func() { srcGroup = independenceGroups(s) })
		a.entities(buildNames(s))
		if lean {
			nameFound = a.nameConflicts()
		} else {
			wg.Go(func() { nameFound = a.nameConflicts() })
		}
	} else {
		srcGroup = pn.srcGroup
		a.names = &nameGraph{keys: map[string]string{}, folds: map[string]string{}, split: pn.split}
		seen := map[*Entity]bool{}
		for k, e := range pn.entityOf {
			a.entityOf[k] = e
			if !seen[e] {
				seen[e] = true
				a.Entities = append(a.Entities, e)
			}
		}
	}
	found := map[ConflictID]*Conflict{}
	groups := a.groupClaims()
	dated := map[factKey][]datedClaim{}
	var relations []*Claim
	for _, g := range groups {
		for _, c := range g.claims {
			if !c.Standing() {
				continue
			}
			if c.Value.Relation != nil {
				relations = append(relations, c)
			} else if d, ok := c.Date(); ok {
				dated[g.key] = append(dated[g.key], datedClaim{c, d})
			}
		}
		if cf := a.valueConflict(g); cf != nil {
			found[cf.ID] = cf
		}
	}
	for _, cf := range a.temporalConflicts(dated, relations) {
		found[cf.ID] = cf
	}
	wg.Wait()
	a.srcGroup = srcGroup
	for _, cf := range nameFound {
		found[cf.ID] = cf
	}
	for id, v := range verdicts {
		a.settle(found, id, v)
	}
	for _, cf := range found {
		cf.Root = rootOf(cf)
		a.Conflicts = append(a.Conflicts, cf)
		a.conflicts[cf.ID] = cf
	}
	sort.Slice(a.Conflicts, func(i, j int) bool {
		x, y := a.Conflicts[i], a.Conflicts[j]
		if x.Kind != y.Kind {
			return x.Kind.order() < y.Kind.order()
		}
		if x.Subject != y.Subject {
			return x.Subject < y.Subject
		}
		if x.Predicate != y.Predicate {
			return x.Predicate < y.Predicate
		}
		if x.Root != y.Root {
			return x.Root < y.Root // one root cause's combinations together
		}
		return x.ID < y.ID
	})
	for _, g := range groups {
		a.addFacts(g)
	}
	sort.Slice(a.Entities, func(i, j int) bool { return a.Entities[i].Name < a.Entities[j].Name })
	for _, e := range a.Entities {
		sortFacts(e)
	}
	return a
}

// entities makes the entities of the name graph g, one for each of its
// roots, and freezes g.
func (a *Analysis) entities(g *nameGraph) {
	a.names = g
	for _, root := range g.roots() {
		e := &Entity{Name: g.display(root), key: g.entityKey(root)}
		for _, k := range g.members(root) {
			a.entityOf[k] = e
		}
		e.Aliases = g.aliasesOf(root)
		e.names = g.metaOf(root)
		a.Entities = append(a.Entities, e)
	}
	g.frozen = true
}

// settle applies the latest verdict v on conflict id to the conflicts
// found by the checks: it resolves a conflict, reopens it, or brings back
// a resolved one whose claims the verdict rejected.
func (a *Analysis) settle(found map[ConflictID]*Conflict, id ConflictID, v *Verdict) {
	cf, computed := found[id]
	if !computed {
		if cf = a.fromVerdict(v); cf == nil {
			return
		}
		found[id] = cf
	}
	cf.Verdict = v
	cf.Status = ConflictResolved
	if !computed {
		return
	}
	// The checks still find it: claims that joined after the verdict
	// reopen it; without those, a dismissal (or a name verdict) stands,
	// while an accept or reject that left contradicting claims standing
	// did not settle it.
	for _, cc := range cf.Claims {
		if c := a.State.Claims[cc.ID]; c != nil && c.Rev > v.Seen {
			cf.Joined = append(cf.Joined, cc.ID)
		}
	}
	switch {
	case len(cf.Joined) > 0:
		cf.Status, cf.Reopened = ConflictOpen, true
	case v.Decision == events.DecisionAccept, v.Decision == events.DecisionReject:
		cf.Status = ConflictOpen
	}
}

// sortFacts puts an entity's facts in the view's order: by predicate, a
// predicate's relations first.
func sortFacts(e *Entity) {
	sort.SliceStable(e.Facts, func(i, j int) bool {
		if e.Facts[i].Predicate != e.Facts[j].Predicate {
			return e.Facts[i].Predicate < e.Facts[j].Predicate
		}
		return e.Facts[i].Relation && !e.Facts[j].Relation
	})
}

// AnalyzeNames returns the entities of s, each with its name and aliases
// but not its facts, and no conflicts: what resolving a name to its entity
// (Analysis.Entity) needs, as Analyze resolves it, without the checks.
func AnalyzeNames(s *State) *Analysis {
	a := &Analysis{Rev: s.Rev, State: s, entityOf: map[string]*Entity{}, conflicts: map[ConflictID]*Conflict{}}
	a.entities(buildNames(s))
	sort.Slice(a.Entities, func(i, j int) bool { return a.Entities[i].Name < a.Entities[j].Name })
	return a
}

// AnalyzeEntity returns the entity name resolves to in s, with its facts
// as Analyze(s).Entity(name) has them, or nil when no entity has the
// name. It runs only what those facts depend on: the names (which entity
// each name is), the sources' independence groups, and the value checks
// and verdicts of the entity's own predicates; not the name and temporal
// checks, nor the other entities' facts. A read of one entity at a
// revision the read model cannot answer for uses it.
func AnalyzeEntity(s *State, name string) *Entity {
	a := &Analysis{Rev: s.Rev, State: s, entityOf: map[string]*Entity{}, conflicts: map[ConflictID]*Conflict{}}
	var wg sync.WaitGroup
	var srcGroup map[events.SourceID]events.SourceID
	wg.Go(func() { srcGroup = independenceGroups(s) })
	a.sorted = s.SortedClaims()
	a.entities(buildNames(s))
	e := a.Entity(name)
	if e == nil {
		wg.Wait()
		return nil
	}
	var groups []*group
	for _, g := range a.groupClaims() {
		if g.entity == e {
			groups = append(groups, g)
		}
	}
	found := map[ConflictID]*Conflict{}
	for _, g := range groups {
		if cf := a.valueConflict(g); cf != nil {
			found[cf.ID] = cf
		}
	}
	wg.Wait()
	a.srcGroup = srcGroup
	verdicts := latestVerdicts(s)
	for _, g := range groups {
		id := valueConflictID(g)
		if v := verdicts[id]; v != nil {
			a.settle(found, id, v)
		}
	}
	a.conflicts = found
	for _, g := range groups {
		a.addFacts(g)
	}
	sortFacts(e)
	return e
}

// latestVerdicts returns the latest verdict on each conflict.
func latestVerdicts(s *State) map[ConflictID]*Verdict {
	m := map[ConflictID]*Verdict{}
	for i := range s.Verdicts {
		v := &s.Verdicts[i]
		m[ConflictID(v.Conflict)] = v
	}
	return m
}

// factKey is a canonical entity and a predicate.
type factKey struct{ entity, predicate string }

type group struct {
	key    factKey
	entity *Entity
	pred   *Predicate
	claims []*Claim // not retracted, in revision order
}

type datedClaim struct {
	c *Claim
	d events.Date
}

// groupClaims groups the claims that are not retracted by canonical
// entity and predicate, in a deterministic order.
func (a *Analysis) groupClaims() []*group {
	m := map[factKey]*group{}
	var out []*group
	for _, c := range a.sorted {
		if c.Retracted {
			continue
		}
		e := a.entityOf[a.names.key(c.Subject)]
		k := factKey{e.key, c.Predicate}
		g := m[k]
		if g == nil {
			g = &group{key: k, entity: e, pred: a.State.Predicates[c.Predicate]}
			if g.pred == nil {
				g.pred = &Predicate{Name: c.Predicate, Kind: c.Value.Kind}
			}
			m[k] = g
			out = append(out, g)
		}
		g.claims = append(g.claims, c)
	}
	return out
}

// valueKey is the form under which two values of one kind are equal.
func (a *Analysis) valueKey(v events.Value) string {
	switch {
	case v.Relation != nil:
		return "rel\x00" + string(v.Relation.Op) + "\x00" + a.entityKey(v.Relation.To.Subject) + "\x00" + v.Relation.To.Predicate
	case v.Kind == events.KindEntity:
		return a.entityKey(v.Entity)
	case v.Kind == events.KindText:
		return a.names.foldKey(v.Text)
	}
	return v.String()
}

func (a *Analysis) entityKey(name string) string {
	if e := a.entityOf[a.names.key(name)]; e != nil {
		return e.key
	}
	return a.names.key(name)
}

// display is a value as the view shows it: entities by canonical name.
func (a *Analysis) display(v events.Value) string {
	switch {
	case v.Relation != nil:
		return fmt.Sprintf("%s %s / %s", v.Relation.Op, a.Canonical(v.Relation.To.Subject), v.Relation.To.Predicate)
	case v.Kind == events.KindEntity:
		return a.Canonical(v.Entity)
	}
	return v.String()
}

// compatible reports whether the direct values of two claims of one kind
// can both be true. A value that does not parse (Claim.ValueProblem) is
// compatible only with the same written value.
func (a *Analysis) compatible(x, y *Claim) bool {
	switch x.Value.Kind {
	case events.KindDate:
		dx, ok1 := x.Date()
		dy, ok2 := y.Date()
		if !ok1 || !ok2 {
			return x.Value.Date == y.Value.Date
		}
		return dx.Overlaps(dy)
	case events.KindQuantity:
		qx, ok1 := x.Quantity()
		qy, ok2 := y.Quantity()
		if !ok1 || !ok2 {
			return x.Value.Quantity == y.Value.Quantity
		}
		return qx.Compatible(qy)
	}
	return a.valueKey(x.Value) == a.valueKey(y.Value)
}

// incompatible reports whether some two of the claims cannot both be true.
// Dates are intervals, and intervals pairwise overlap exactly when the
// latest start is not after the earliest end, so dates take one pass
// (unless one does not parse: then they are compared pairwise, as
// compatible does).
func (a *Analysis) incompatible(cs []*Claim) bool {
	if len(cs) < 2 {
		return false
	}
	if cs[0].Value.Kind == events.KindDate && a.allDated(cs) {
		var lo, hi events.Day
		for i, c := range cs {
			d, _ := c.Date()
			f, l := d.Bounds()
			if i == 0 || f > lo {
				lo = f
			}
			if i == 0 || l < hi {
				hi = l
			}
		}
		return lo > hi
	}
	if k := cs[0].Value.Kind; k != events.KindQuantity && k != events.KindDate {
		k := a.valueKey(cs[0].Value)
		for _, c := range cs[1:] {
			if a.valueKey(c.Value) != k {
				return true
			}
		}
		return false
	}
	for i := range cs {
		for j := i + 1; j < len(cs); j++ {
			if !a.compatible(cs[i], cs[j]) {
				return true
			}
		}
	}
	return false
}

// allDated reports whether every claim has a parsed date.
func (a *Analysis) allDated(cs []*Claim) bool {
	for _, c := range cs {
		if _, ok := c.Date(); !ok {
			return false
		}
	}
	return true
}

// directClaims are a group's standing claims that give a value rather
// than a relation.
func directClaims(g *group) []*Claim {
	var out []*Claim
	for _, c := range g.claims {
		if c.Standing() && c.Value.Relation == nil {
			out = append(out, c)
		}
	}
	return out
}

func valueConflictID(g *group) ConflictID {
	return conflictID(KindValue, g.key.entity, g.key.predicate)
}

func (a *Analysis) valueConflict(g *group) *Conflict {
	if g.pred.Many {
		return nil
	}
	cs := directClaims(g)
	if !a.incompatible(cs) {
		return nil
	}
	cf := &Conflict{ID: valueConflictID(g), Kind: KindValue, Status: ConflictOpen,
		Subject: g.entity.Name, Predicate: g.key.predicate}
	for _, c := range cs {
		cf.Claims = append(cf.Claims, a.conflictClaim(c, ""))
	}
	a.finish(cf)
	return cf
}

func (a *Analysis) conflictClaim(c *Claim, role ClaimRole) ConflictClaim {
	return ConflictClaim{ID: c.ID, Source: c.Source, Value: a.display(c.Value), Quote: c.Quote,
		Role: role, Rejected: c.RejectedBy != "", Subject: c.Subject}
}

// finish sets within_source and the summary.
func (a *Analysis) finish(cf *Conflict) {
	srcs := map[events.SourceID]bool{}
	for _, cc := range cf.Claims {
		srcs[cc.Source] = true
	}
	cf.WithinSource = len(srcs) == 1 && len(cf.Claims) > 1
	cf.Summary = a.summary(cf)
}

func (a *Analysis) summary(cf *Conflict) string {
	switch cf.Kind {
	case KindValue:
		var order []string
		bySrc := map[string][]string{}
		for _, cc := range cf.Claims {
			if _, ok := bySrc[cc.Value]; !ok {
				order = append(order, cc.Value)
			}
			if !contains(bySrc[cc.Value], string(cc.Source)) {
				bySrc[cc.Value] = append(bySrc[cc.Value], string(cc.Source))
			}
		}
		parts := make([]string, len(order))
		for i, v := range order {
			parts[i] = fmt.Sprintf("%s (%s)", v, strings.Join(bySrc[v], ", "))
		}
		return cf.Predicate + ": " + strings.Join(parts, " vs ")
	case KindTemporal:
		var rels, dates []string
		for _, cc := range cf.Claims {
			c := a.State.Claims[cc.ID]
			if c == nil {
				continue
			}
			if cc.Role == RoleRelation {
				r := c.Value.Relation
				target := r.To.Predicate
				if a.entityKey(r.To.Subject) != a.entityKey(c.Subject) {
					target = a.Canonical(r.To.Subject) + " " + target
				}
				rels = append(rels, fmt.Sprintf("%s %s %s (%s)", c.Predicate, relationWords[r.Op], target, cc.Source))
			} else {
				dates = append(dates, fmt.Sprintf("%s %s (%s)", c.Predicate, cc.Value, cc.Source))
			}
		}
		return strings.Join(rels, ", ") + "; yet " + strings.Join(dates, " and ")
	case KindName:
		return fmt.Sprintf("%q and %q look like one name (%s)", cf.Names[0], cf.Names[1], cf.Resemblance)
	}
	return ""
}

var relationWords = map[events.RelationOp]string{
	events.RelAfter:  "after",
	events.RelBefore: "before",
	events.RelSame:   "on the same day as",
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// fromVerdict rebuilds a conflict that checks no longer find because its
// verdict rejected claims or merged names: it stays listed as resolved.
func (a *Analysis) fromVerdict(v *Verdict) *Conflict {
	cf := &Conflict{ID: ConflictID(v.Conflict), Kind: ConflictKind(v.Kind), Status: ConflictResolved}
	for i, id := range v.Claims {
		c := a.State.Claims[id]
		if c == nil || c.Retracted {
			continue
		}
		var role ClaimRole
		if cf.Kind == KindTemporal {
			role = RoleDate
			if c.Value.Relation != nil {
				role = RoleRelation
			}
		}
		if i == 0 || cf.Subject == "" {
			cf.Subject, cf.Predicate = a.Canonical(c.Subject), c.Predicate
		}
		cf.Claims = append(cf.Claims, a.conflictClaim(c, role))
	}
	if cf.Kind == KindName {
		if len(v.Names) != 2 {
			return nil
		}
		cf.Names = append([]string(nil), v.Names...)
		cf.Subject, cf.Predicate = v.Names[0], ""
		cf.Resemblance = "reviewed"
		if r, ok := LookAlike(v.Names[0], v.Names[1]); ok {
			cf.Resemblance = r.Reason + ": " + r.Detail
		}
	} else if len(cf.Claims) == 0 {
		return nil
	}
	a.finish(cf)
	return cf
}

// addFacts adds a group's facts to its entity.
func (a *Analysis) addFacts(g *group) {
	var direct, rels, rejected []*Claim
	for _, c := range g.claims {
		switch {
		case c.RejectedBy != "":
			rejected = append(rejected, c)
		case c.Value.Relation != nil:
			rels = append(rels, c)
		default:
			direct = append(direct, c)
		}
	}
	// Relation facts: one per distinct relation.
	for _, cl := range a.cluster(rels) {
		f := a.fact(g, cl)
		v := a.display(cl[0].Value)
		f.Value, f.Relation = &v, true
		g.entity.Facts = append(g.entity.Facts, f)
	}
	var rejIDs []events.ClaimID
	for _, c := range rejected {
		rejIDs = append(rejIDs, c.ID)
	}
	if len(direct) == 0 {
		if len(rejIDs) > 0 {
			g.entity.Facts = append(g.entity.Facts, &Fact{Predicate: g.key.predicate, Status: StatusResolved, Rejected: rejIDs,
				Claims: []events.ClaimID{}, Sources: []events.SourceID{}})
		}
		return
	}
	if g.pred.Many {
		for _, cl := range a.cluster(direct) {
			f := a.fact(g, cl)
			v := a.reconcile(cl)
			f.Value = &v
			g.entity.Facts = append(g.entity.Facts, f)
		}
		return
	}
	f := a.fact(g, direct)
	f.Rejected = rejIDs
	id := valueConflictID(g)
	cf := a.conflicts[id]
	switch {
	case cf != nil && cf.Status == ConflictOpen:
		f.Status, f.Conflict = StatusConflict, id
		f.Values = a.distinctValues(direct)
	case cf != nil && cf.Verdict != nil && cf.Verdict.Decision == events.DecisionDismiss:
		f.Status, f.Conflict = StatusResolved, id
		f.Values = a.distinctValues(direct)
		if len(f.Values) == 1 {
			v := a.reconcile(direct)
			f.Value = &v
		}
	default:
		v := a.reconcile(direct)
		f.Value = &v
		if cf != nil {
			f.Status, f.Conflict = StatusResolved, id
		}
	}
	g.entity.Facts = append(g.entity.Facts, f)
}

// fact makes a fact of claims with their support.
func (a *Analysis) fact(g *group, cs []*Claim) *Fact {
	f := &Fact{Predicate: g.key.predicate, Claims: []events.ClaimID{}, Sources: []events.SourceID{}}
	seen := map[events.SourceID]bool{}
	indep := map[events.SourceID]bool{}
	for _, c := range cs {
		f.Claims = append(f.Claims, c.ID)
		if !seen[c.Source] {
			seen[c.Source] = true
			f.Sources = append(f.Sources, c.Source)
		}
		indep[a.Independent(c.Source)] = true
	}
	f.Independent = len(indep)
	f.Status = StatusSingleSource
	if f.Independent > 1 {
		f.Status = StatusAgreed
	}
	return f
}

// cluster groups claims by equal value (after alias resolution), in
// order of first appearance.
func (a *Analysis) cluster(cs []*Claim) [][]*Claim {
	idx := map[string]int{}
	var out [][]*Claim
	for _, c := range cs {
		k := a.valueKey(c.Value)
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], c)
	}
	return out
}

func (a *Analysis) distinctValues(cs []*Claim) []string {
	var out []string
	for _, cl := range a.cluster(cs) {
		out = append(out, a.display(cl[0].Value))
	}
	return out
}

// reconcile picks the value of agreeing claims: the most precise one (the
// narrowest interval, an approximate date counted widened; on a tie the
// exact one, then the earliest claim).
func (a *Analysis) reconcile(cs []*Claim) string {
	best := cs[0]
	switch best.Value.Kind {
	case events.KindDate:
		var bw events.Day = -1
		bestExact := false
		for _, c := range cs {
			d, ok := c.Date()
			if !ok {
				continue
			}
			f, l := d.Bounds()
			w, exact := l-f, !d.Approximate() && !d.Uncertain()
			if bw < 0 || w < bw || (w == bw && exact && !bestExact) {
				best, bw, bestExact = c, w, exact
			}
		}
	case events.KindQuantity:
		var bq events.Quantity
		found := false
		for _, c := range cs {
			q, ok := c.Quantity()
			if !ok {
				continue
			}
			if !found || q.MorePrecise(bq) {
				best, bq, found = c, q, true
			}
		}
	}
	return a.display(best.Value)
}
