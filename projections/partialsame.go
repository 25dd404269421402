package projections

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/sillok/sillok/events"
)

// A reviewer's "same" on a name conflict between two entities is an
// incremental write too: the two entities become one, and the write
// re-derives that entity's neighbourhood as a claim's write does
// (derive), with the merged entity in place of both, and moves what the
// model keeps under the other entity's key. What nameGraph decides for
// the merged entity it decides from its names alone: the root (the name
// that appeared first, by revision then key: nameGraph.union), the shown
// name (the first in order of appearance used as a subject and not as an
// alias: canonicalKey) and the aliases. Each entity's record keeps, for
// each of its names, where it first appeared and how it was used
// (nameMeta), so the merge computes these from the two records and the
// verdict (whose second name becomes an alias, as in buildNames). That
// holds when:
//
//   - no name of either entity is named by a "distinct" declaration or
//     verdict, nor by an alias declaration between two of its forms
//     ("a"), nor told apart by its exact form ("p"), nor by an earlier
//     "same" verdict that also names a name of the other entity: those
//     would add links, or refuse this one, and the graph is then more
//     than the two entities;
//   - neither entity shows a name made an alias (its origin, which the
//     record does not keep, would be needed once it is listed as one);
//   - no NameKey has names of both entities: the name checks then ask
//     about the same pairs of names, in the same NameKey groups, with
//     the same claims, and a conflict of the later entity is only under
//     the merged one in the entities' queues ("s"), while two entities
//     of one NameKey group would become one of it and change the ids;
//   - the later entity's key is its root's NameKey, which no other
//     entity had to give way to ("\x00" + key), and it has no name
//     conflict for folding (another entity's name of its root's NameKey,
//     which, when a root, makes both keyed by their own keys): its key
//     then goes, and no other entity's key changes (nameGraph.entityKey);
//   - at most maxSameRefs claims name the later entity, or the earlier one
//     when the merged entity shows another name than it did, as their
//     value or relation's target (refs). Such a claim shows its entity's
//     name and compares by its key: the write re-derives its subject's
//     neighbourhood too (merge.touch), and shows its rows anew in every
//     name conflict that lists it (reshow), since derive rewrites no name
//     conflict.
//
// The verdict's own conflict, which has no verdict yet or a dismissal,
// is no longer found (its names are one entity): it stays, resolved,
// rebuilt from its verdict (fromVerdict).
// Anything else falls back.

// merge is what a "same" verdict's write moves from the later entity.
type merge struct {
	into, from string // entity keys: the merged entity, the one that goes
	// extra are the keys the merge writes besides derive's: the later
	// entity's records and indexes moved or gone, the verdict's conflict.
	extra []ModelKV
	// touch are the entities whose claims name one of the two as their
	// value or relation's target, and show or compare it differently now;
	// listed are those claims.
	touch  []string
	listed map[events.ClaimID]*Claim
}

// shows reports whether conflict cf lists a claim that shows one of the
// merged entities differently after the merge (false for a write that
// merges nothing).
func (mg *merge) shows(cf *Conflict) bool {
	if mg == nil {
		return false
	}
	for _, cc := range cf.Claims {
		if mg.listed[cc.ID] != nil {
			return true
		}
	}
	return false
}

// sameName is one name of an entity being merged.
type sameName struct {
	key, display string
	meta         nameMeta
	alias        *EntityName // its entry among the aliases; nil for the shown name
	side         int
}

// sameSide is one of the two entities being merged.
type sameSide struct {
	ek     string
	rec    *Entity
	names  []*sameName // the shown name first, then the aliases
	claims []*Claim    // its claims (by subject or "as")
	refs   []sameRef   // the claims whose value or relation's target it is
}

// sameRef is a claim that names an entity being merged as its value or
// its relation's target, and the index that says so.
type sameRef struct {
	c     *Claim
	index string // pValueOf or pRelationTo
}

// maxSameRefs is the most claims naming the two entities as a value or a
// relation's target that a merge re-derives the subjects of.
const maxSameRefs = 64

// before reports whether name a appeared before name b (nameGraph.order).
func (a *sameName) before(b *sameName) bool {
	if a.meta.Rev != b.meta.Rev {
		return a.meta.Rev < b.meta.Rev
	}
	return a.meta.Ord < b.meta.Ord
}

// rootOfNames returns the name of ns that is its entity's root: the first to
// appear, by revision then key (nameGraph.union).
func rootOfNames(ns []*sameName) *sameName {
	r := ns[0]
	for _, n := range ns[1:] {
		if n.meta.Rev < r.meta.Rev || (n.meta.Rev == r.meta.Rev && n.key < r.key) {
			r = n
		}
	}
	return r
}

// loadSide reads the entity that name n resolves to, for side i of a
// merge, or returns errFallBack when the merge cannot be incremental.
func (w *partialWrite) loadSide(n string, i int) (*sameSide, error) {
	ek, err := w.entityKey(n)
	if err != nil {
		return nil, err
	}
	r, err := w.md.entity(ek)
	if err != nil {
		return nil, err
	}
	if len(r.names) != 1+len(r.Aliases) {
		return nil, &StoredError{What: fmt.Sprintf("the read model's entity %q has %d names and %d records of them", ek, 1+len(r.Aliases), len(r.names))}
	}
	sd := &sameSide{ek: ek, rec: r}
	for j := range r.names {
		nm := &sameName{display: r.Name, meta: r.names[j], side: i}
		if j > 0 {
			nm.alias = &r.Aliases[j-1]
			nm.display = nm.alias.Name
		}
		k, err := w.md.keyOf(nm.display)
		if err != nil {
			return nil, err
		}
		if k != IdentityKey(nm.display) {
			return nil, errFallBack // told apart by its exact form
		}
		nm.key = k
		if mk, err := w.entityKey(nm.display); err != nil {
			return nil, err
		} else if mk != ek {
			return nil, &StoredError{What: fmt.Sprintf("the read model's entity %q lists the name %q, which resolves to %q", ek, nm.display, mk)}
		}
		prefix := lenPrefixed(pDeclared, k)
		if dk, _ := w.cur.Cursor().Seek(prefix); dk != nil && bytes.HasPrefix(dk, prefix) {
			return nil, errFallBack // named by a declaration
		}
		sd.names = append(sd.names, nm)
	}
	if sd.names[0].meta.Alias {
		return nil, errFallBack // shows an alias, whose origin the record does not keep
	}
	for _, ix := range []string{pEntityClaim, pValueOf, pRelationTo} {
		if err := w.scanIDs(ix, ek, func(id events.ClaimID) error {
			c, err := w.claim(id)
			if err != nil || c == nil {
				return err
			}
			if ix == pEntityClaim {
				sd.claims = append(sd.claims, c)
				return nil
			}
			sd.refs = append(sd.refs, sameRef{c, ix})
			if len(sd.refs) > maxSameRefs {
				return errStopScan // more than a merge re-derives (prepareSame)
			}
			return nil
		}); err == errStopScan {
			break
		} else if err != nil {
			return nil, err
		}
	}
	if len(sd.claims) == 0 && len(sd.refs) == 0 {
		return nil, errFallBack // named only by declarations or verdicts
	}
	return sd, nil
}

// prepareSame checks that a "same" verdict p, event e, can be an
// incremental write, and sets w up to write it: the later entity's names
// resolve to the merged entity, which derive then re-derives like a
// touched entity. It returns the merged entity's key.
func (w *partialWrite) prepareSame(e events.Event, p *events.VerdictRecorded) (string, error) {
	if len(p.Rejected) > 0 || len(p.Names) != 2 {
		return "", errFallBack
	}
	rec, err := w.md.conflictRecord(ConflictID(p.Conflict))
	if err != nil {
		return "", err
	}
	if rec == nil || rec.Conflict.Kind != KindName || len(rec.Conflict.Names) != 2 {
		return "", errFallBack
	}
	if v := rec.Conflict.Verdict; v != nil && v.Decision != events.DecisionDismiss {
		// A dismissal joined nothing, and the verdict replaces it; an
		// earlier "same" or "distinct" did.
		return "", errFallBack
	}
	x, y := p.Names[0], p.Names[1]
	if n := rec.Conflict.Names; !(n[0] == x && n[1] == y) && !(n[0] == y && n[1] == x) {
		return "", errFallBack // a verdict on other names than its conflict's
	}
	var sides [2]*sameSide
	for i, n := range []string{x, y} {
		if sides[i], err = w.loadSide(n, i); err != nil {
			return "", err
		}
	}
	if sides[0].ek == sides[1].ek {
		return "", errFallBack
	}
	byKey := map[string]*sameName{}
	folds := map[string]int{}
	for i, sd := range sides {
		for _, nm := range sd.names {
			if _, ok := byKey[nm.key]; ok {
				return "", errFallBack
			}
			byKey[nm.key] = nm
			f := NameKey(nm.display)
			if j, ok := folds[f]; ok && j != i {
				return "", errFallBack // a NameKey with names of both
			}
			folds[f] = i
		}
	}
	// Earlier "same" or "distinct" verdicts on their names: a "same"
	// within one entity is already in its names' records.
	verdicts, err := w.verdicts()
	if err != nil {
		return "", err
	}
	for _, vd := range verdicts {
		if vd.Decision != events.DecisionSame && vd.Decision != events.DecisionDistinct {
			continue
		}
		in := -1
		for _, n := range vd.Names {
			nm := byKey[IdentityKey(n)]
			switch {
			case nm == nil:
			case vd.Decision == events.DecisionDistinct || len(vd.Names) != 2 || (in >= 0 && in != nm.side):
				return "", errFallBack
			default:
				in = nm.side
			}
		}
		if in >= 0 && (byKey[IdentityKey(vd.Names[0])] == nil || byKey[IdentityKey(vd.Names[1])] == nil) {
			return "", errFallBack // joins a name of one with a third entity's
		}
	}
	// The verdict makes its second name an alias, or its first when only
	// that is not one already (buildNames).
	a, b := byKey[IdentityKey(x)], byKey[IdentityKey(y)]
	if a == nil || b == nil || a.side == b.side {
		return "", errFallBack
	}
	alias := b
	if b.meta.Alias && !a.meta.Alias {
		alias = a
	}
	made := !alias.meta.Alias // the verdict makes alias an alias
	alias.meta.Alias = true
	// The root is the name that appeared first.
	var all []*sameName
	for _, sd := range sides {
		all = append(all, sd.names...)
	}
	root := rootOfNames(all)
	win, lose := sides[root.side], sides[1-root.side]
	if lr := rootOfNames(lose.names); lose.ek != NameKey(lr.display) {
		return "", errFallBack
	}
	if _, ok, err := w.md.get([]byte(pEntity + "\x00" + lose.ek)); err != nil {
		return "", err
	} else if ok {
		return "", errFallBack // an entity gave way to its key
	}

	// The merged entity's names, in order of first appearance: it shows
	// the first used as a subject and not as an alias (canonicalKey).
	slices.SortStableFunc(all, func(m, n *sameName) int {
		if m.before(n) {
			return -1
		}
		if n.before(m) {
			return 1
		}
		return 0
	})
	canon := all[0] // when none is used as a subject and not as an alias
	for _, nm := range all {
		if nm.meta.Target && !nm.meta.Alias {
			canon = nm
			break
		}
	}
	merged := &Entity{Name: canon.display, key: win.ek, names: []nameMeta{canon.meta}}
	for _, nm := range all {
		if nm == canon {
			continue
		}
		var en EntityName
		switch {
		case nm == alias && made:
			en = EntityName{Name: nm.display, Kind: events.AliasSame, Rev: e.Revision, Note: p.Note}
		case nm.alias != nil:
			en = *nm.alias
		default: // the shown name of the other entity, an alias now
			en = EntityName{Name: nm.display, Kind: events.AliasVariant, Rev: nm.meta.Rev}
		}
		merged.Aliases = append(merged.Aliases, en)
		merged.names = append(merged.names, nm.meta)
	}
	// The claims that name the later entity as their value or relation's
	// target now name the merged one; those that name the earlier one
	// show another name when the merged entity does. Their subjects'
	// facts and conflicts are re-derived (merge.touch).
	refs := lose.refs
	if merged.Name != win.rec.Name {
		refs = append(refs, win.refs...)
	}
	if len(refs) > maxSameRefs {
		return "", errFallBack
	}
	listed := map[events.ClaimID]*Claim{}
	for _, r := range refs {
		listed[r.c.ID] = r.c
	}

	// What moves from the later entity, read before its name resolves to
	// the merged one.
	mg := &merge{into: win.ek, from: lose.ek, listed: listed}
	put := func(k, v []byte) { mg.extra = append(mg.extra, ModelKV{k, seal(k, v)}) }
	del := func(k []byte) { mg.extra = append(mg.extra, ModelKV{k, nil}) }
	del([]byte(pEntity + lose.ek))
	del([]byte(pOrder + lose.rec.Name + "\x00" + lose.ek))
	if merged.Name != win.rec.Name {
		del([]byte(pOrder + win.rec.Name + "\x00" + win.ek))
		put([]byte(pOrder+merged.Name+"\x00"+win.ek), nil)
	}
	for _, nm := range lose.names {
		put([]byte(pName+nm.key), []byte(win.ek))
	}
	for _, c := range lose.claims {
		del(append(lenPrefixed(pEntityClaim, lose.ek), c.ID...))
		put(append(lenPrefixed(pEntityClaim, win.ek), c.ID...), nil)
	}
	for _, r := range lose.refs {
		del(append(lenPrefixed(r.index, lose.ek), r.c.ID...))
		put(append(lenPrefixed(r.index, win.ek), r.c.ID...), nil)
	}
	var old []*Conflict // the verdict's conflict as stored
	prefix := append(lenPrefixed(pBySubject, lose.ek), byte('0'+KindName.order()))
	c := w.cur.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		q := k[len(lenPrefixed(pBySubject, lose.ek)):]
		i := bytes.LastIndexByte(q, 0)
		if i < 0 {
			continue
		}
		cf, err := w.md.Conflict(ConflictID(q[i+1:]))
		if err != nil {
			return "", err
		}
		if cf == nil || len(cf.Names) != 2 {
			return "", errFallBack
		}
		if strings.HasPrefix(cf.Resemblance, ReasonFolding) {
			// Another entity's name has the later name's NameKey: when
			// that is a root, the later entity is keyed by its own key,
			// not the NameKey, and the other entity's key changes.
			return "", errFallBack
		}
		if cf.ID == ConflictID(p.Conflict) {
			old = append(old, cf)
			continue
		}
		// Another conflict between the two would be one the checks no
		// longer find.
		for _, n := range cf.Names {
			if ek, err := w.entityKey(n); err != nil {
				return "", err
			} else if ek == win.ek {
				return "", errFallBack
			}
		}
		del(bytes.Clone(k)) // the cursor's key is valid only until the bucket changes
		put(append(lenPrefixed(pBySubject, win.ek), q...), nil)
	}
	if len(old) != 1 {
		return "", errFallBack // the verdict's conflict is not under the later entity
	}
	q := queueKeyOf(old[0])
	del(append([]byte(pQueue), q...))
	del(append(lenPrefixed(pBySubject, lose.ek), q...))
	del(append(lenPrefixed(pBySubject, win.ek), q...))
	del([]byte(pConflict + p.Conflict))

	// From here on the later entity's names are the merged entity's.
	for _, nm := range lose.names {
		w.keys[nm.key] = win.ek
	}
	w.entities[win.ek] = merged
	v := &Verdict{VerdictRecorded: *p, Rev: e.Revision, Author: e.Author, At: e.RecordedAt}
	kvs, err := w.fromVerdict(v)
	if err != nil {
		return "", err
	}
	if len(kvs) == 0 {
		return "", errFallBack
	}
	mg.extra = append(mg.extra, kvs...)
	// The subjects of the claims that show the merged entity differently
	// now are re-derived (derive); the name conflicts that show those
	// claims are not, and have their rows shown anew (reshow).
	seen := map[string]bool{win.ek: true, lose.ek: true}
	for _, r := range refs {
		sk, err := w.entityKey(r.c.Subject)
		if err != nil {
			return "", err
		}
		if !seen[sk] {
			seen[sk] = true
			mg.touch = append(mg.touch, sk)
		}
	}
	if len(refs) > 0 {
		kvs, err := w.reshow(ConflictID(p.Conflict), listed)
		if err != nil {
			return "", err
		}
		mg.extra = append(mg.extra, kvs...)
	}
	w.merge = mg
	return win.ek, nil
}

// reshow returns the records of the name conflicts, but conflict skip,
// that show one of the claims listed, with those claims' values shown as
// the names now resolve (Analysis.display). It reads every name
// conflict's record: a name conflict lists the claims that use its names
// (nameUsers), or those its verdict listed when it was kept from one
// (fromVerdict), and those may be under any entity since.
func (w *partialWrite) reshow(skip ConflictID, listed map[events.ClaimID]*Claim) ([]ModelKV, error) {
	a := &Analysis{Rev: w.md.rev, State: NewState(), entityOf: map[string]*Entity{}, conflicts: map[ConflictID]*Conflict{},
		names: &nameGraph{keys: map[string]string{}, folds: map[string]string{}, split: w.split}}
	// A record shows a claim as {"id":<its id>,...}: records that do not
	// hold one of those are not decoded.
	var marks [][]byte
	for id := range listed {
		b, err := json.Marshal(string(id))
		if err != nil {
			return nil, err
		}
		marks = append(marks, append([]byte(`"id":`), b...))
	}
	var out []ModelKV
	prefix := append([]byte(pQueue), byte('0'+KindName.order()))
	cur := w.cur.Cursor()
	for k, _ := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = cur.Next() {
		i := bytes.LastIndexByte(k, 0)
		if i < 0 || ConflictID(k[i+1:]) == skip {
			continue
		}
		id := ConflictID(k[i+1:])
		raw, ok, err := w.md.get([]byte(pConflict + string(id)))
		if err != nil {
			return nil, err
		}
		if !ok || !slices.ContainsFunc(marks, func(m []byte) bool { return bytes.Contains(raw, m) }) {
			continue
		}
		rec, err := w.md.conflictRecord(id)
		if err != nil {
			return nil, err
		}
		changed := false
		for j := range rec.Conflict.Claims {
			cc := &rec.Conflict.Claims[j]
			c := listed[cc.ID]
			if c == nil {
				continue
			}
			if err := w.resolve(c, a.entityOf); err != nil {
				return nil, err
			}
			if v := a.display(c.Value); v != cc.Value {
				cc.Value, changed = v, true
			}
		}
		if changed {
			b, err := json.Marshal(rec)
			if err != nil {
				return nil, err
			}
			key := []byte(pConflict + string(id))
			out = append(out, ModelKV{key, seal(key, b)})
		}
	}
	return out, nil
}
