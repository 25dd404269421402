package projections

import (
	"bytes"
	"encoding/json"

	"github.com/sillok/sillok/events"
)

// A reviewer's verdict that dismisses a name conflict, or says its two
// names are different things, is an incremental write too, and so is a
// declaration that two names are different things (keepApart): neither
// changes which names are one entity, so it rewrites only the name
// conflicts it settles.
//
//   - A dismissal resolves the conflict, which the checks still find: its
//     record gains the verdict (and is open again when a claim joined it
//     after the revision the reviewer saw), as settle does.
//   - "distinct" keeps the two entities apart: the name checks no longer
//     ask about any pair of their names, so every name conflict between
//     them goes, except the one the verdict is on, which stays as
//     resolved, rebuilt from its verdict (fromVerdict); one dismissed
//     before goes too, since a dismissal names no names to rebuild it
//     from. A declaration does the same, with no conflict to keep. The
//     distinct pair blocks no link the name graph followed: the two names
//     are of different entities, so no union ever joined a part holding
//     one with a part holding the other, and the unions come out as
//     before.
//
// A "same" has its own path (partialsame.go). Anything else about a name
// verdict needs the full analysis: a verdict on a conflict that has one already
// (it may replace a "same" or "distinct", and the names change back; or
// the conflict may be one the checks no longer find, kept from its
// verdict), and a "distinct" between two names of one IdentityKey (their
// key is split, and every name of it re-keyed).

// deriveNameVerdict is derive for a write of one verdict on a name
// conflict.
func (w *partialWrite) deriveNameVerdict(e events.Event, p *events.VerdictRecorded) ([]ModelKV, error) {
	if p.Decision != events.DecisionDismiss && p.Decision != events.DecisionDistinct {
		return nil, errFallBack
	}
	if len(p.Rejected) > 0 {
		return nil, errFallBack
	}
	rec, err := w.md.conflictRecord(ConflictID(p.Conflict))
	if err != nil {
		return nil, err
	}
	if rec == nil || rec.Conflict.Kind != KindName || len(rec.Conflict.Names) != 2 {
		return nil, errFallBack
	}
	if rec.Conflict.Verdict != nil {
		// Only a conflict without a verdict is surely one the checks find
		// (a resolved one may be rebuilt from its verdict, fromVerdict).
		return nil, errFallBack
	}
	v := &Verdict{VerdictRecorded: *p, Rev: e.Revision, Author: e.Author, At: e.RecordedAt}
	var out []ModelKV
	vb, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	k := append([]byte(pVerdict), checkpointKey(v.Rev)...)
	out = append(out, ModelKV{k, seal(k, vb)})

	if p.Decision == events.DecisionDismiss {
		cf := *rec.Conflict
		cf.Verdict, cf.Status, cf.Joined, cf.Reopened = v, ConflictResolved, nil, false
		for _, cc := range cf.Claims {
			c, err := w.claim(cc.ID)
			if err != nil {
				return nil, err
			}
			if c != nil && c.Rev > v.Seen {
				cf.Joined = append(cf.Joined, cc.ID)
			}
		}
		if len(cf.Joined) > 0 {
			cf.Status, cf.Reopened = ConflictOpen, true
		}
		b, err := json.Marshal(conflictRecord{Conflict: &cf, Claims: rec.Claims})
		if err != nil {
			return nil, err
		}
		k := []byte(pConflict + string(cf.ID))
		out = append(out, ModelKV{k, seal(k, b)})
		k = append([]byte(pQueue), queueKeyOf(&cf)...)
		return append(out, ModelKV{k, seal(k, []byte{statusByte(cf.Status)})}), nil
	}

	// "distinct".
	if len(p.Names) != 2 {
		return nil, errFallBack
	}
	kvs, err := w.keepApart(p.Names[0], p.Names[1], v)
	if err != nil {
		return nil, err
	}
	return append(out, kvs...), nil
}

// keepApart returns the keys that declaring the names a and b different
// things changes: every name conflict between their entities goes, but
// the one verdict v is on (nil for a declaration, alias --distinct),
// which stays, rebuilt from v. It falls back when a and b are of one
// IdentityKey (the key is split) or one entity (it is split), when v's
// conflict is not one between them, and when one of those conflicts has a
// verdict that names names (a "same" or "distinct" the declaration meets).
func (w *partialWrite) keepApart(a, b string, v *Verdict) ([]ModelKV, error) {
	if IdentityKey(a) == IdentityKey(b) {
		return nil, errFallBack
	}
	ea, err := w.entityKey(a)
	if err != nil {
		return nil, err
	}
	eb, err := w.entityKey(b)
	if err != nil {
		return nil, err
	}
	if ea == eb {
		return nil, errFallBack
	}
	between := func(cf *Conflict) (bool, error) {
		x, err := w.entityKey(cf.Names[0])
		if err != nil {
			return false, err
		}
		y, err := w.entityKey(cf.Names[1])
		if err != nil {
			return false, err
		}
		return (x == ea && y == eb) || (x == eb && y == ea), nil
	}
	// Every name conflict between the two entities, from the first one's
	// queue.
	var affected []*Conflict
	prefix := append(lenPrefixed(pBySubject, ea), byte('0'+KindName.order()))
	c := w.cur.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		i := bytes.LastIndexByte(k, 0)
		if i < 0 {
			continue
		}
		cf, err := w.md.Conflict(ConflictID(k[i+1:]))
		if err != nil {
			return nil, err
		}
		if cf == nil || cf.Kind != KindName || len(cf.Names) != 2 {
			continue
		}
		if ok, err := between(cf); err != nil {
			return nil, err
		} else if ok {
			affected = append(affected, cf)
		}
	}
	var dels, puts []ModelKV
	found := v == nil
	for _, cf := range affected {
		ks, err := w.subjectKeys(cf)
		if err != nil {
			return nil, err
		}
		for _, k := range ks {
			dels = append(dels, ModelKV{k, nil})
		}
		dels = append(dels, ModelKV{append([]byte(pQueue), queueKeyOf(cf)...), nil}, ModelKV{[]byte(pConflict + string(cf.ID)), nil})
		verdict := cf.Verdict
		if v != nil && cf.ID == ConflictID(v.Conflict) {
			verdict, found = v, true
		}
		if verdict == nil {
			continue // no longer found, and never settled: it goes
		}
		if verdict != v && verdict.Decision != events.DecisionDismiss {
			return nil, errFallBack
		}
		kvs, err := w.fromVerdict(verdict)
		if err != nil {
			return nil, err
		}
		puts = append(puts, kvs...)
	}
	if !found {
		return nil, errFallBack // the conflict is not one the model lists between them
	}
	ka, err := w.md.keyOf(a)
	if err != nil {
		return nil, err
	}
	kb, err := w.md.keyOf(b)
	if err != nil {
		return nil, err
	}
	for _, k := range [][]byte{declaredKey(ka, kb), declaredKey(kb, ka)} {
		puts = append(puts, ModelKV{k, seal(k, nil)})
	}
	// A key both deleted (its old place) and put (its new) is put: puts
	// come last.
	return append(dels, puts...), nil
}

// fromVerdict returns the keys of a name conflict the checks no longer
// find, rebuilt from its latest verdict v (Analysis.fromVerdict) and
// resolved, with its claims and their names read from the model.
func (w *partialWrite) fromVerdict(v *Verdict) ([]ModelKV, error) {
	s := NewState()
	s.Rev = w.md.rev
	a := &Analysis{Rev: w.md.rev, State: s, entityOf: map[string]*Entity{}, conflicts: map[ConflictID]*Conflict{},
		names: &nameGraph{keys: map[string]string{}, folds: map[string]string{}, split: w.split}}
	for _, id := range v.Claims {
		c, err := w.claim(id)
		if err != nil {
			return nil, err
		}
		if c == nil {
			continue // retracted: takes no part
		}
		s.Claims[id] = c
		if err := w.resolve(c, a.entityOf); err != nil {
			return nil, err
		}
	}
	cf := a.fromVerdict(v)
	if cf == nil {
		return nil, nil // a dismissal names no names: the conflict goes
	}
	cf.Verdict, cf.Status = v, ConflictResolved
	cf.Root = rootOf(cf)
	b, err := json.Marshal(recordOf(cf, s.Claims))
	if err != nil {
		return nil, err
	}
	var out []ModelKV
	k := []byte(pConflict + string(cf.ID))
	out = append(out, ModelKV{k, seal(k, b)})
	k = append([]byte(pQueue), queueKeyOf(cf)...)
	out = append(out, ModelKV{k, seal(k, []byte{statusByte(cf.Status)})})
	ks, err := w.subjectKeys(cf)
	if err != nil {
		return nil, err
	}
	for _, k := range ks {
		out = append(out, ModelKV{k, seal(k, nil)})
	}
	return out, nil
}

// subjectKeys returns a name conflict's keys in its entities' queues
// ("s"): one under the entity of each of its names.
func (w *partialWrite) subjectKeys(cf *Conflict) ([][]byte, error) {
	q := queueKeyOf(cf)
	var ks [][]byte
	seen := map[string]bool{}
	for _, n := range cf.Names {
		ek, err := w.entityKey(n)
		if err != nil {
			return nil, err
		}
		if !seen[ek] {
			seen[ek] = true
			ks = append(ks, append(lenPrefixed(pBySubject, ek), q...))
		}
	}
	return ks, nil
}
