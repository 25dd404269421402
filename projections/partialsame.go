package projections

import (
	"bytes"
	"strings"

	"github.com/sillok/sillok/events"
)

// A reviewer's "same" on a name conflict between two entities of one name
// each is an incremental write too: the two entities become one, and the
// write re-derives that entity's neighbourhood as a claim's write does
// (derive), with the merged entity in place of both, and moves what the
// model keeps under the other entity's key. The merged entity's root, and
// so its key, is the name that appeared first (nameGraph.union); its
// shown name and aliases come from a name graph of the two names' claims
// and the verdict, which is the whole graph's part for them when:
//
//   - each entity has one name, named by the verdict, and no alias (no
//     other name joined it through a declaration, an "as" or a "same");
//   - neither name is named by a "distinct" declaration or verdict, nor
//     by an alias declaration between two of its forms ("a": it joins
//     nothing, yet may be where the name first appears; an alias between
//     two names gives their entity an alias), nor by an earlier "same",
//     nor told apart by its exact form ("p"): those would add links, or
//     steps, this graph does not see;
//   - the names' NameKeys differ (one NameKey would make the merged
//     entity's key that NameKey, a new key);
//   - the later entity's key is its name's NameKey, which no other entity
//     had to give way to ("\x00" + key), and it has no name conflict for
//     folding (another entity's name of its NameKey, which, when a root,
//     makes both keyed by their own keys): its key then goes, and no other
//     entity's key changes (nameGraph.entityKey);
//   - the later name is no claim's value and no relation's target: the
//     form such a claim shows is its entity's name, which would change
//     in the records of entities outside the write; nor is the earlier
//     name, when the merged entity shows the later one (a verdict that
//     names the later name first makes the earlier one the alias).
//
// The name conflicts do not change but for their entities: the checks ask
// about the same pairs of names, in the same NameKey groups, with the
// same claims; a conflict of the later entity is then under the merged
// one in the entities' queues ("s"). The verdict's own conflict is no
// longer found (its names are one entity): it stays, resolved, rebuilt
// from its verdict (fromVerdict). Anything else falls back.

// merge is what a "same" verdict's write moves from the later entity.
type merge struct {
	into, from string // entity keys: the merged entity, the one that goes
	// extra are the keys the merge writes besides derive's: the later
	// entity's records and indexes moved or gone, the verdict's conflict.
	extra []ModelKV
}

// prepareSame checks that a "same" verdict p, event e, can be an
// incremental write, and sets w up to write it: the later name resolves
// to the merged entity, which derive then re-derives like a touched
// entity. It returns the merged entity's key.
func (w *partialWrite) prepareSame(e events.Event, p *events.VerdictRecorded) (string, error) {
	if len(p.Rejected) > 0 || len(p.Names) != 2 {
		return "", errFallBack
	}
	rec, err := w.md.conflictRecord(ConflictID(p.Conflict))
	if err != nil {
		return "", err
	}
	if rec == nil || rec.Conflict.Kind != KindName || len(rec.Conflict.Names) != 2 || rec.Conflict.Verdict != nil {
		return "", errFallBack
	}
	x, y := p.Names[0], p.Names[1]
	if NameKey(x) == NameKey(y) {
		return "", errFallBack
	}
	if n := rec.Conflict.Names; !(n[0] == x && n[1] == y) && !(n[0] == y && n[1] == x) {
		return "", errFallBack // a verdict on other names than its conflict's
	}
	type side struct {
		name, key, ek string // the verdict's name, its name key, its entity's key
		rec           *Entity
		claims        []*Claim // the claims that name it, in any way
		first         events.Revision
		asValue       bool // a claim's value or a relation's target
	}
	var sides [2]*side
	for i, n := range []string{x, y} {
		k, err := w.md.keyOf(n)
		if err != nil {
			return "", err
		}
		if k != IdentityKey(n) {
			return "", errFallBack // told apart by its exact form
		}
		ek, err := w.entityKey(n)
		if err != nil {
			return "", err
		}
		r, err := w.md.entity(ek)
		if err != nil {
			return "", err
		}
		if len(r.Aliases) > 0 {
			return "", errFallBack
		}
		if nk, err := w.md.keyOf(r.Name); err != nil {
			return "", err
		} else if nk != k {
			return "", errFallBack
		}
		prefix := lenPrefixed(pDeclared, k)
		if dk, _ := w.cur.Cursor().Seek(prefix); dk != nil && bytes.HasPrefix(dk, prefix) {
			return "", errFallBack // named by a declaration
		}
		sd := &side{name: n, key: k, ek: ek, rec: r}
		for _, ix := range []string{pEntityClaim, pValueOf, pRelationTo} {
			if err := w.scanIDs(ix, ek, func(id events.ClaimID) error {
				c, err := w.claim(id)
				if err != nil || c == nil {
					return err
				}
				if ix != pEntityClaim {
					sd.asValue = true
				}
				if len(sd.claims) == 0 || c.Rev < sd.first {
					sd.first = c.Rev
				}
				sd.claims = append(sd.claims, c)
				return nil
			}); err != nil {
				return "", err
			}
		}
		if len(sd.claims) == 0 {
			return "", errFallBack
		}
		sides[i] = sd
	}
	if sides[0].ek == sides[1].ek {
		return "", errFallBack
	}
	// Earlier "same" or "distinct" verdicts on either name.
	verdicts, err := w.verdicts()
	if err != nil {
		return "", err
	}
	for _, vd := range verdicts {
		if vd.Decision != events.DecisionSame && vd.Decision != events.DecisionDistinct {
			continue
		}
		for _, n := range vd.Names {
			if k := IdentityKey(n); k == sides[0].key || k == sides[1].key {
				return "", errFallBack
			}
		}
	}
	// The root is the name that appeared first (nameGraph.union).
	win, lose := sides[0], sides[1]
	if lose.first < win.first || (lose.first == win.first && lose.key < win.key) {
		win, lose = lose, win
	}
	if lose.asValue || lose.ek != NameKey(lose.rec.Name) {
		return "", errFallBack
	}
	if _, ok, err := w.md.get([]byte(pEntity + "\x00" + lose.ek)); err != nil {
		return "", err
	} else if ok {
		return "", errFallBack // an entity gave way to its key
	}

	// The merged entity's names: the graph of the two names' claims and
	// the verdict.
	v := &Verdict{VerdictRecorded: *p, Rev: e.Revision, Author: e.Author, At: e.RecordedAt}
	s := NewState()
	s.Rev = e.Revision
	for _, sd := range sides {
		for _, c := range sd.claims {
			s.Claims[c.ID] = c
		}
	}
	s.Verdicts = []Verdict{*v}
	g := buildNames(s)
	root := g.find(win.key)
	if root != win.key || g.find(lose.key) != root || len(g.members(root)) != 2 {
		return "", errFallBack
	}
	// Each name shows, in this graph, the form the model shows it in: a
	// form first seen elsewhere would have been missed.
	if g.info[win.key].display != win.rec.Name || g.info[lose.key].display != lose.rec.Name {
		return "", errFallBack
	}
	merged := &Entity{Name: g.display(root), Aliases: g.aliasesOf(root), key: win.ek}
	if merged.Name != win.rec.Name && win.asValue {
		return "", errFallBack // the form its values show would change elsewhere
	}

	// What moves from the later entity, read before its name resolves to
	// the merged one.
	mg := &merge{into: win.ek, from: lose.ek}
	put := func(k, v []byte) { mg.extra = append(mg.extra, ModelKV{k, seal(k, v)}) }
	del := func(k []byte) { mg.extra = append(mg.extra, ModelKV{k, nil}) }
	del([]byte(pEntity + lose.ek))
	del([]byte(pOrder + lose.rec.Name + "\x00" + lose.ek))
	if merged.Name != win.rec.Name {
		del([]byte(pOrder + win.rec.Name + "\x00" + win.ek))
		put([]byte(pOrder+merged.Name+"\x00"+win.ek), nil)
	}
	put([]byte(pName+lose.key), []byte(win.ek))
	for _, c := range lose.claims {
		del(append(lenPrefixed(pEntityClaim, lose.ek), c.ID...))
		put(append(lenPrefixed(pEntityClaim, win.ek), c.ID...), nil)
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
		del(k)
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

	// From here on the later name is the merged entity's.
	w.keys[lose.key] = win.ek
	w.entities[win.ek] = merged
	kvs, err := w.fromVerdict(v)
	if err != nil {
		return "", err
	}
	if len(kvs) == 0 {
		return "", errFallBack
	}
	mg.extra = append(mg.extra, kvs...)
	w.merge = mg
	return win.ek, nil
}
