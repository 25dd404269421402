package projections

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"

	"github.com/sillok/sillok/events/kv"

	"github.com/sillok/sillok/events"
)

// Incremental writes: a write whose events are claims on names the
// archive already has, or verdicts on value and temporal conflicts,
// re-derives only the part of the read model they touch. It builds a
// partial State of the neighbourhood from the model's stored inputs (the
// claims of the touched entities and of those within 2×maxChain relations
// of them, every verdict, the predicates), applies the new events to it,
// and runs the same analysis as Analyze on it, with the names and the
// sources' independence groups read from the model instead of derived
// (analyze with partialNames). It then replaces what it owns: the
// records of the entities it loaded, the value and temporal conflicts
// whose subject is within maxChain relations of a touched entity (every
// conflict a touched claim can take part in or change: a temporal check
// follows at most maxChain relations, so it reads no further than
// 2×maxChain), the claims' records, and the counts of the sources cited.
//
// A write that only archives new sources has its own incremental path
// (partialsource.go).
//
// A new predicate adds its record (no claim used it before).
//
// A retraction is a change of its subject's neighbourhood too, when it
// changes no name (retractedClaim).
//
// A declaration that two names are different things (alias --distinct)
// removes the name conflicts between their entities (partialname.go).
//
// Anything else falls back to the full analysis (Store.CatchUp): sources
// that join independence groups or are archived again, other aliases,
// retractions that may change the names, name verdicts other than
// partialname.go's and partialsame.go's, a claim with "as" or with a name that is new, a
// change of a claim's standing that may change the claims a name
// conflict shows (keepsNameUsers), and a model that is not of the
// revision before the write. The property tests compare both paths with
// a replay after every write.

// neighbourhood is how many relations away from a touched entity the
// partial state reaches.
const neighbourhood = 2 * maxChain

// errFallBack says the write needs the full analysis.
var errFallBack = fmt.Errorf("projections: the write needs the full analysis")

// partialWrite is one incremental write in progress.
type partialWrite struct {
	md  *Model
	cur kv.Bucket
	// claims read, by id (nil: read and absent).
	claims map[events.ClaimID]*Claim
	// entity keys by name key, and entities by key.
	keys     map[string]string
	entities map[string]*Entity
	split    map[string]bool
	// merge is set by a "same" verdict's write (partialsame.go).
	merge *merge
	// allVerdicts caches verdicts.
	allVerdicts []Verdict
}

// updatePartial brings the model to the head for a write whose events
// are appended, re-deriving only what they touch. ok is false when the
// write needs the full analysis (nothing was written then).
func (st *Store) updatePartial(tx *events.Tx, root kv.Bucket, appended []events.Event) (ok bool, err error) {
	m := root.Bucket(bucketModel)
	prev, have := modelRev(m)
	if len(appended) == 0 || !have || prev+1 != appended[0].Revision {
		return false, nil
	}
	cur, hist, changes, revs := m.Bucket(bucketCur), m.Bucket(bucketHist), m.Bucket(bucketChanges), m.Bucket(bucketRevs)
	if cur == nil || hist == nil || changes == nil || revs == nil {
		return false, nil
	}
	w := &partialWrite{md: &Model{rev: prev, head: true, cur: cur, hist: hist, m: m}, cur: cur,
		claims: map[events.ClaimID]*Claim{}, keys: map[string]string{}, entities: map[string]*Entity{}, split: map[string]bool{}}
	var kvs []ModelKV
	if appended[0].Type == events.TypeSourceArchived {
		kvs, err = w.deriveSources(appended, st.textFunc(tx))
	} else {
		kvs, err = w.derive(appended)
	}
	if err == errFallBack {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	head := appended[len(appended)-1].Revision
	revKey := checkpointKey(head)
	last := map[string]int{} // a key written twice keeps its last value
	for i, kv := range kvs {
		last[string(kv.Key)] = i
	}
	for i, kv := range kvs {
		if last[string(kv.Key)] != i {
			continue
		}
		k := kv.Key
		old := cur.Get(k)
		switch {
		case kv.Value == nil && old == nil:
			continue
		case kv.Value != nil && bytes.Equal(old, kv.Value):
			continue
		}
		prevVal := []byte{0}
		if old != nil {
			prevVal = append([]byte{1}, old...)
		}
		if kv.Value == nil {
			if err := cur.Delete(k); err != nil {
				return false, err
			}
		} else if err := cur.Put(k, kv.Value); err != nil {
			return false, err
		}
		if err := hist.Put(histKey(k, head), prevVal); err != nil {
			return false, err
		}
		if err := changes.Put(append(bytes.Clone(revKey), k...), []byte{}); err != nil {
			return false, err
		}
	}
	if err := revs.Put(revKey, []byte{}); err != nil {
		return false, err
	}
	return true, m.Put(keyModelRev, revKey)
}

// entityKey returns the key of the entity a name resolves to, or
// errFallBack for a name the model does not know.
func (w *partialWrite) entityKey(name string) (string, error) {
	nk, err := w.md.keyOf(name)
	if err != nil {
		return "", err
	}
	if nk != IdentityKey(name) {
		w.split[IdentityKey(name)] = true
	}
	if ek, ok := w.keys[nk]; ok {
		return ek, nil
	}
	ek, ok, err := w.md.get([]byte(pName + nk))
	if err != nil {
		return "", err
	}
	if !ok {
		return "", errFallBack
	}
	w.keys[nk] = string(ek)
	return string(ek), nil
}

// claim returns the stored record of a claim that is not retracted, or
// nil.
func (w *partialWrite) claim(id events.ClaimID) (*Claim, error) {
	if c, ok := w.claims[id]; ok {
		return c, nil
	}
	v, ok, err := w.md.get([]byte(pClaim + string(id)))
	if err != nil || !ok {
		w.claims[id] = nil
		return nil, err
	}
	c := new(Claim)
	if err := json.Unmarshal(v, c); err != nil {
		return nil, &StoredError{What: fmt.Sprintf("the read model's claim %s does not decode", id), Err: err}
	}
	c.parseValue()
	w.claims[id] = c
	return c, nil
}

// scanIDs calls fn with the claim ids indexed under prefix p for entity
// key ek.
func (w *partialWrite) scanIDs(p, ek string, fn func(events.ClaimID) error) error {
	prefix := lenPrefixed(p, ek)
	c := w.cur.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if err := fn(events.ClaimID(k[len(prefix):])); err != nil {
			return err
		}
	}
	return nil
}

// hasNameConflict reports whether an entity is named by a name conflict.
func (w *partialWrite) hasNameConflict(ek string) bool {
	prefix := append(lenPrefixed(pBySubject, ek), byte('0'+KindName.order()))
	k, _ := w.cur.Cursor().Seek(prefix)
	return k != nil && bytes.HasPrefix(k, prefix)
}

// derive computes the keys the write changes (a nil value deletes).
func (w *partialWrite) derive(appended []events.Event) ([]ModelKV, error) {
	// What the events touch.
	touched := map[string]bool{} // entity keys
	var settled []events.ClaimID // claims whose standing a verdict may change
	var verdictsOn []string      // conflicts the write's verdicts are on
	var newClaims []*events.ClaimAsserted
	var newPredicates []string
	var retracted []*Claim
	for _, e := range appended {
		p, err := e.Decode()
		if err != nil {
			return nil, err
		}
		switch p := p.(type) {
		case *events.ClaimAsserted:
			if p.As != "" {
				return nil, errFallBack
			}
			names := []string{p.Subject}
			if p.Value.Kind == events.KindEntity && p.Value.Entity != "" {
				names = append(names, p.Value.Entity)
			}
			if r := p.Value.Relation; r != nil {
				names = append(names, r.To.Subject)
			}
			for i, n := range names {
				ek, err := w.entityKey(n)
				if err != nil {
					return nil, err
				}
				if i == 0 {
					touched[ek] = true
				}
			}
			newClaims = append(newClaims, p)
		case *events.ClaimRetracted:
			// A retraction changes no name (retractedClaim), so it is a
			// change of its subject's facts and conflicts, like a claim.
			c, err := w.retractedClaim(p.Claim)
			if err != nil {
				return nil, err
			}
			ek, err := w.entityKey(c.Subject)
			if err != nil {
				return nil, err
			}
			touched[ek] = true
			retracted = append(retracted, c)
		case *events.PredicateDefined:
			// A new predicate: no claim uses it before its definition
			// (the recorder refuses an undefined one), so only its record
			// is new, and the write's claims that use it are folded after
			// it.
			newPredicates = append(newPredicates, p.Name)
		case *events.AliasDeclared:
			if p.Kind != events.AliasDistinct || len(appended) != 1 {
				return nil, errFallBack
			}
			return w.keepApart(p.Entity, p.Name, nil)
		case *events.VerdictRecorded:
			if p.Kind == string(KindName) && len(appended) == 1 {
				if p.Decision != events.DecisionSame {
					return w.deriveNameVerdict(e, p)
				}
				// The merged entity is touched (partialsame.go).
				ek, err := w.prepareSame(e, p)
				if err != nil {
					return nil, err
				}
				touched[ek] = true
				for _, ek := range w.merge.touch {
					touched[ek] = true
				}
				continue
			}
			if p.Kind != string(KindValue) && p.Kind != string(KindTemporal) {
				return nil, errFallBack
			}
			switch p.Decision {
			case events.DecisionAccept, events.DecisionReject, events.DecisionDismiss:
			default:
				return nil, errFallBack
			}
			settled = append(settled, p.Claims...)
			settled = append(settled, verdictClaims(p)...)
			verdictsOn = append(verdictsOn, p.Conflict)
		default:
			return nil, errFallBack
		}
	}
	// Every verdict: the partial state's, and the claims an earlier
	// verdict on the same conflicts settled.
	verdicts, err := w.verdicts()
	if err != nil {
		return nil, err
	}
	for _, vd := range verdicts {
		for _, on := range verdictsOn {
			if vd.Conflict == on {
				settled = append(settled, vd.Claims...)
				settled = append(settled, verdictClaims(&vd.VerdictRecorded)...)
			}
		}
	}
	// A conflict the checks no longer find is rebuilt from its verdict's
	// claims (fromVerdict), under the subject of its first standing one,
	// or, for a name conflict, under its names' entities, wherever those
	// are now: a verdict that lists a claim the write retracts, or a name
	// verdict that lists a claim whose standing a verdict of the write
	// changes, may change such a conflict outside what the write owns.
	changing := map[events.ClaimID]bool{}
	for _, c := range retracted {
		changing[c.ID] = true
	}
	for _, vd := range verdicts {
		for _, id := range vd.Claims {
			if changing[id] {
				return nil, errFallBack
			}
		}
	}
	for _, id := range settled {
		changing[id] = true
	}
	for _, vd := range verdicts {
		if vd.Kind != string(KindName) {
			continue
		}
		for _, id := range vd.Claims {
			if changing[id] {
				return nil, errFallBack
			}
		}
	}
	for _, id := range settled {
		c, err := w.claim(id)
		if err != nil {
			return nil, err
		}
		if c == nil {
			continue // retracted (or unknown): takes no part
		}
		for _, n := range claimNames(c) {
			if _, err := w.entityKey(n); err != nil {
				return nil, err
			}
		}
		ek, err := w.entityKey(c.Subject)
		if err != nil {
			return nil, err
		}
		touched[ek] = true
	}

	// The neighbourhood: entities within `neighbourhood` relations of a
	// touched one, either way, and their claims.
	dist := map[string]int{}
	var frontier []string
	for ek := range touched {
		dist[ek] = 0
		frontier = append(frontier, ek)
	}
	byEntity := map[string][]*Claim{}
	for d := 0; len(frontier) > 0; d++ {
		var next []string
		reach := func(name string) error {
			ek, err := w.entityKey(name)
			if err != nil {
				return err
			}
			if _, ok := dist[ek]; !ok {
				dist[ek] = d + 1
				next = append(next, ek)
			}
			return nil
		}
		for _, ek := range frontier {
			keys := []string{ek}
			if w.merge != nil && ek == w.merge.into {
				keys = append(keys, w.merge.from) // its claims are the merged entity's
			}
			for _, k := range keys {
				if err := w.scanIDs(pEntityClaim, k, func(id events.ClaimID) error {
					c, err := w.claim(id)
					if err != nil || c == nil {
						return err
					}
					byEntity[ek] = append(byEntity[ek], c)
					return nil
				}); err != nil {
					return nil, err
				}
			}
			if d == neighbourhood {
				continue
			}
			for _, c := range byEntity[ek] {
				if r := c.Value.Relation; r != nil {
					if err := reach(r.To.Subject); err != nil {
						return nil, err
					}
				}
			}
			for _, p := range newClaims {
				if r := p.Value.Relation; r != nil {
					if sk, _ := w.entityKey(p.Subject); sk == ek {
						if err := reach(r.To.Subject); err != nil {
							return nil, err
						}
					}
				}
			}
			if err := w.scanIDs(pRelationTo, ek, func(id events.ClaimID) error {
				c, err := w.claim(id)
				if err != nil || c == nil {
					return err
				}
				return reach(c.Subject)
			}); err != nil {
				return nil, err
			}
			for _, p := range newClaims {
				if r := p.Value.Relation; r != nil {
					if tk, _ := w.entityKey(r.To.Subject); tk == ek {
						if err := reach(p.Subject); err != nil {
							return nil, err
						}
					}
				}
			}
		}
		frontier = next
	}

	// The partial state, at the revision before the write.
	s := NewState()
	s.Rev = appended[0].Revision - 1
	for ek := range dist {
		for _, c := range byEntity[ek] {
			s.Claims[c.ID] = c
		}
	}
	// A new claim's subject must already be one: a first claim on a name
	// changes which form the entity shows (nameGraph's display).
	subjects := map[string]bool{}
	for _, c := range s.Claims {
		nk, err := w.md.keyOf(c.Subject)
		if err != nil {
			return nil, err
		}
		subjects[nk] = true
	}
	for _, p := range newClaims {
		nk, err := w.md.keyOf(p.Subject)
		if err != nil {
			return nil, err
		}
		if !subjects[nk] {
			return nil, errFallBack
		}
	}
	s.Verdicts = verdicts
	{
		c := w.cur.Cursor()
		for k, v := c.Seek([]byte(pPredicate)); k != nil && bytes.HasPrefix(k, []byte(pPredicate)); k, v = c.Next() {
			val, err := unseal(k, v)
			if err != nil {
				return nil, err
			}
			p := new(Predicate)
			if err := json.Unmarshal(val, p); err != nil {
				return nil, &StoredError{What: fmt.Sprintf("the read model's predicate %q does not decode", k), Err: err}
			}
			s.Predicates[p.Name] = p
		}
	}
	before := map[events.ClaimID][]byte{}
	stood := map[events.ClaimID]bool{}
	for id, c := range s.Claims {
		b, err := json.Marshal(c)
		if err != nil {
			return nil, err
		}
		before[id] = b
		stood[id] = c.Standing()
	}
	for _, e := range appended {
		if err := s.Apply(e, nil); err != nil {
			return nil, err
		}
	}
	// The claims whose standing the write changes: new, retracted,
	// accepted or rejected.
	changed := map[events.ClaimID]*Claim{}
	for id, c := range s.Claims {
		if c.Standing() != stood[id] {
			changed[id] = c
		}
	}
	if err := w.keepsNameUsers(changed, s); err != nil {
		return nil, err
	}
	// A verdict that settles a claim outside the neighbourhood, or a
	// resolved conflict rebuilt from a verdict with claims outside it,
	// needs the whole state: one that lists a claim of the partial state,
	// or whose conflict has the id of the value conflict of a fact the
	// partial state holds (a fact links to that conflict, which a split of
	// names may have left with claims of another entity).
	var groups map[ConflictID]bool
	for i := range s.Verdicts {
		for _, id := range s.Verdicts[i].Claims {
			if s.Claims[id] != nil {
				continue
			}
			c, err := w.claim(id)
			if err != nil {
				return nil, err
			}
			if c == nil {
				continue
			}
			if w.involves(&s.Verdicts[i], s) {
				return nil, errFallBack
			}
			if groups == nil {
				if groups, err = w.valueConflictIDs(s); err != nil {
					return nil, err
				}
			}
			if groups[ConflictID(s.Verdicts[i].Conflict)] {
				return nil, errFallBack
			}
		}
	}

	// The names and groups, from the model.
	pn := &partialNames{entityOf: map[string]*Entity{}, split: w.split, srcGroup: map[events.SourceID]events.SourceID{}}
	for _, c := range s.Claims {
		if err := w.resolve(c, pn.entityOf); err != nil {
			return nil, err
		}
		if _, ok := pn.srcGroup[c.Source]; !ok {
			g, ok, err := w.md.get([]byte(pSourceGroup + string(c.Source)))
			if err != nil {
				return nil, err
			}
			if ok {
				pn.srcGroup[c.Source] = events.SourceID(g)
			}
		}
	}
	an := analyze(s, pn, false)
	// A fact links the value conflict of its entity and predicate by id,
	// and shows what a verdict on it says (a dismissal's values). A value
	// conflict whose subject is now another entity's (kept from its
	// verdict after a split of names) is linked by a fact the write may
	// not hold: a verdict on it needs the whole state.
	for _, on := range verdictsOn {
		cf := an.conflicts[ConflictID(on)]
		if cf == nil {
			if cf, err = w.md.Conflict(ConflictID(on)); err != nil {
				return nil, err
			}
		}
		if cf == nil || cf.Kind != KindValue {
			continue
		}
		ek, err := w.entityKey(cf.Subject)
		if err != nil {
			return nil, err
		}
		if conflictID(KindValue, ek, cf.Predicate) != cf.ID {
			return nil, errFallBack
		}
	}

	// What the write owns, and its new values.
	var out []ModelKV
	put := func(k []byte, v []byte) { out = append(out, ModelKV{k, seal(k, v)}) }
	del := func(k []byte) { out = append(out, ModelKV{k, nil}) }
	for ek := range dist {
		e := w.entities[ek]
		if e == nil {
			continue // an entity with no claims of its own in reach
		}
		v, err := json.Marshal(entityRecord{Name: e.Name, Aliases: e.Aliases, Facts: e.Facts, Names: e.names})
		if err != nil {
			return nil, err
		}
		put([]byte(pEntity+ek), v)
	}
	owned := func(ek string) bool {
		if w.merge != nil && ek == w.merge.from {
			return true // what it had is the merged entity's
		}
		d, ok := dist[ek]
		return ok && d <= maxChain
	}
	ownedKeys := make([]string, 0, len(dist)+1)
	for ek := range dist {
		ownedKeys = append(ownedKeys, ek)
	}
	if w.merge != nil {
		ownedKeys = append(ownedKeys, w.merge.from)
	}
	oldConflicts := map[ConflictID]bool{}
	for _, ek := range ownedKeys {
		if !owned(ek) {
			continue
		}
		prefix := lenPrefixed(pBySubject, ek)
		c := w.cur.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			q := k[len(prefix):]
			if len(q) == 0 || q[0] == byte('0'+KindName.order()) {
				continue
			}
			if i := bytes.LastIndexByte(q, 0); i >= 0 {
				oldConflicts[ConflictID(q[i+1:])] = true
			}
		}
	}
	newConflicts := map[ConflictID]bool{}
	for _, cf := range an.Conflicts {
		if cf.Kind == KindName {
			continue
		}
		ek, err := w.entityKey(cf.Subject)
		if err == errFallBack || !owned(ek) {
			if w.merge.shows(cf) {
				// A conflict kept from a verdict, beyond what the write
				// owns, that shows a claim naming the merged entities.
				return nil, errFallBack
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		// A conflict stored under an entity the write does not own is
		// one the checks find there (a value conflict's id is its
		// entity's and predicate's, which a split of names may have
		// given to another entity since its verdict): this write's, kept
		// from the verdict, would replace it.
		if old, err := w.md.Conflict(cf.ID); err != nil {
			return nil, err
		} else if old != nil {
			if ok, err := w.ownsSubject(old, owned); err != nil {
				return nil, err
			} else if !ok {
				return nil, errFallBack
			}
		}
		newConflicts[cf.ID] = true
		v, err := json.Marshal(recordOf(cf, s.Claims))
		if err != nil {
			return nil, err
		}
		put([]byte(pConflict+string(cf.ID)), v)
		q := queueKeyOf(cf)
		put(append([]byte(pQueue), q...), []byte{statusByte(cf.Status)})
		if cf.Root != "" {
			put(rootKey(cf), nil)
		}
		put(append(lenPrefixed(pBySubject, ek), q...), nil)
	}
	for id := range oldConflicts {
		cf, err := w.md.Conflict(id)
		if err != nil {
			return nil, err
		}
		if cf == nil {
			continue
		}
		q := queueKeyOf(cf)
		if ek, ok, err := w.md.EntityKey(cf.Subject); err != nil {
			return nil, err
		} else if ok {
			del(append(lenPrefixed(pBySubject, ek), q...))
		}
		if !newConflicts[id] {
			del([]byte(pConflict + string(id)))
		}
		del(append([]byte(pQueue), q...))
		if cf.Root != "" {
			del(rootKey(cf))
		}
	}
	// A key both deleted (its old place) and put (its new) is put: puts
	// come last.
	var dels, puts []ModelKV
	for _, kv := range out {
		if kv.Value == nil {
			dels = append(dels, kv)
		} else {
			puts = append(puts, kv)
		}
	}
	out = append(dels, puts...)

	counts := map[events.SourceID]int{}
	for _, p := range newClaims {
		counts[p.Source]++
	}
	for src, n := range counts {
		v, _, err := w.md.get([]byte(pSource + string(src)))
		if err != nil {
			return nil, err
		}
		had, _ := binary.Uvarint(v)
		k := []byte(pSource + string(src))
		out = append(out, ModelKV{k, seal(k, binary.AppendUvarint(nil, had+uint64(n)))})
	}
	for id, c := range s.Claims {
		if c.Retracted {
			continue
		}
		b, err := json.Marshal(c)
		if err != nil {
			return nil, err
		}
		if old, ok := before[id]; ok && bytes.Equal(old, b) {
			continue
		}
		k := []byte(pClaim + string(id))
		out = append(out, ModelKV{k, seal(k, b)})
		if _, ok := before[id]; ok {
			continue
		}
		// A new claim: its indexes.
		ek, err := w.entityKey(c.Subject)
		if err != nil {
			return nil, err
		}
		k = append(lenPrefixed(pEntityClaim, ek), c.ID...)
		out = append(out, ModelKV{k, seal(k, nil)})
		if r := c.Value.Relation; r != nil {
			tk, err := w.entityKey(r.To.Subject)
			if err != nil {
				return nil, err
			}
			k = append(lenPrefixed(pRelationTo, tk), c.ID...)
			out = append(out, ModelKV{k, seal(k, nil)})
		}
		if c.Value.Kind == events.KindEntity && c.Value.Entity != "" {
			vk, err := w.entityKey(c.Value.Entity)
			if err != nil {
				return nil, err
			}
			k = append(lenPrefixed(pValueOf, vk), c.ID...)
			out = append(out, ModelKV{k, seal(k, nil)})
		}
	}
	for i := range s.Verdicts {
		v := &s.Verdicts[i]
		if v.Rev < appended[0].Revision {
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		k := append([]byte(pVerdict), checkpointKey(v.Rev)...)
		out = append(out, ModelKV{k, seal(k, b)})
	}
	// A retracted claim leaves the model's claims and their indexes.
	for _, c := range retracted {
		out = append(out, ModelKV{[]byte(pClaim + string(c.ID)), nil})
		ek, err := w.entityKey(c.Subject)
		if err != nil {
			return nil, err
		}
		out = append(out, ModelKV{append(lenPrefixed(pEntityClaim, ek), c.ID...), nil})
		if r := c.Value.Relation; r != nil {
			tk, err := w.entityKey(r.To.Subject)
			if err != nil {
				return nil, err
			}
			out = append(out, ModelKV{append(lenPrefixed(pRelationTo, tk), c.ID...), nil})
		}
		if c.Value.Kind == events.KindEntity && c.Value.Entity != "" {
			vk, err := w.entityKey(c.Value.Entity)
			if err != nil {
				return nil, err
			}
			out = append(out, ModelKV{append(lenPrefixed(pValueOf, vk), c.ID...), nil})
		}
	}
	for _, name := range newPredicates {
		b, err := json.Marshal(s.Predicates[name])
		if err != nil {
			return nil, err
		}
		k := []byte(pPredicate + name)
		out = append(out, ModelKV{k, seal(k, b)})
	}
	if w.merge != nil {
		out = append(out, w.merge.extra...)
	}
	return out, nil
}

// retractedClaim returns the stored record of a claim a write retracts,
// or errFallBack when the retraction may change the names: when the claim
// is not in the model (retracted already, or added by the same write), has
// an "as" (a link of the name graph), or uses a name that no earlier
// claim uses: as its subject, for the claim's subject; in any way, for its
// value's entity or its relation's target. Such a name stays in the name
// graph after the retraction, with the form it shows (the form first
// seen), its first revision and, for a subject, its standing as one: the
// name graph comes out as before.
func (w *partialWrite) retractedClaim(id events.ClaimID) (*Claim, error) {
	c, err := w.claim(id)
	if err != nil {
		return nil, err
	}
	if c == nil || c.As != "" {
		return nil, errFallBack
	}
	for i, n := range claimNames(c) {
		ek, err := w.entityKey(n)
		if err != nil {
			return nil, err
		}
		nk, err := w.md.keyOf(n)
		if err != nil {
			return nil, err
		}
		indexes := []string{pEntityClaim}
		if i > 0 {
			indexes = append(indexes, pValueOf, pRelationTo)
		}
		found, err := w.usedBefore(c, nk, ek, indexes, i == 0)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, errFallBack
		}
	}
	return c, nil
}

// keepsNameUsers returns errFallBack unless the claims whose standing a
// write changes (changed, as they are after it; s is the partial state
// after it) leave every name conflict's claims as they were. A name
// conflict shows, for each key of its names, the first nameUsersShown
// standing claims that use the key as their subject, their "as" or their
// entity value, in SortedClaims' order (nameUsers), and nothing else
// about claims that a change of standing moves (the conflicts kept from
// a verdict's claims are derive's concern). A claim that changes is not
// among those shown, before the write or after, when nameUsersShown
// claims that do not change, stand, and use the key sort before it: the
// count looks only at the claims indexed under the key's entity, as a
// subject ("g", which holds the "as" users too unless a distinct
// declaration kept the "as" apart) or as a value ("u"), so it can only
// fall short of the truth, and falling short falls back. Only the keys
// of entities some name conflict names are counted.
func (w *partialWrite) keepsNameUsers(changed map[events.ClaimID]*Claim, s *State) error {
	type use struct {
		ek    string
		first *Claim // the earliest changed claim using the key
	}
	uses := map[string]*use{} // name key → its use
	for _, c := range changed {
		for _, n := range userNames(c) {
			nk, err := w.md.keyOf(n)
			if err != nil {
				return err
			}
			ek, err := w.entityKey(n)
			if err != nil {
				return err
			}
			if !w.hasNameConflict(ek) {
				continue
			}
			if u := uses[nk]; u == nil {
				uses[nk] = &use{ek: ek, first: c}
			} else if sortsBefore(c, u.first) {
				u.first = c
			}
		}
	}
	for nk, u := range uses {
		seen := map[events.ClaimID]bool{}
		n := 0
		for _, p := range []string{pEntityClaim, pValueOf} {
			if n >= nameUsersShown {
				break
			}
			err := w.scanIDs(p, u.ek, func(id events.ClaimID) error {
				if changed[id] != nil || seen[id] {
					return nil
				}
				seen[id] = true
				o := s.Claims[id]
				if o == nil {
					var err error
					if o, err = w.claim(id); err != nil || o == nil {
						return err
					}
				}
				if !o.Standing() || !sortsBefore(o, u.first) {
					return nil
				}
				for _, name := range userNames(o) {
					if k, err := w.md.keyOf(name); err != nil {
						return err
					} else if k == nk {
						if n++; n == nameUsersShown {
							return errStopScan
						}
						return nil
					}
				}
				return nil
			})
			if err != nil && err != errStopScan {
				return err
			}
		}
		if n < nameUsersShown {
			return errFallBack
		}
	}
	return nil
}

// userNames lists the names nameUsers counts a claim as a user of: its
// subject, its "as" and its entity value.
func userNames(c *Claim) []string {
	out := []string{c.Subject}
	if c.As != "" {
		out = append(out, c.As)
	}
	if c.Value.Kind == events.KindEntity && c.Value.Entity != "" {
		out = append(out, c.Value.Entity)
	}
	return out
}

// sortsBefore reports whether claim a comes before b in SortedClaims'
// order.
func sortsBefore(a, b *Claim) bool {
	if a.Rev != b.Rev {
		return a.Rev < b.Rev
	}
	return a.ID < b.ID
}

// usedBefore reports whether a claim other than c, recorded before it and
// found under entity key ek in one of the indexes, uses the name key nk:
// as its subject (asSubject), or as any of its names.
func (w *partialWrite) usedBefore(c *Claim, nk, ek string, indexes []string, asSubject bool) (bool, error) {
	found := false
	for _, p := range indexes {
		err := w.scanIDs(p, ek, func(other events.ClaimID) error {
			if other == c.ID {
				return nil
			}
			o, err := w.claim(other)
			if err != nil || o == nil || o.Rev >= c.Rev {
				return err
			}
			names := claimNames(o)
			if asSubject {
				names = names[:1]
			}
			for _, n := range names {
				if k, err := w.md.keyOf(n); err != nil {
					return err
				} else if k == nk {
					found = true
					return errStopScan
				}
			}
			return nil
		})
		if err != nil && err != errStopScan {
			return false, err
		}
		if found {
			return true, nil
		}
	}
	return false, nil
}

// errStopScan ends a scanIDs early.
var errStopScan = fmt.Errorf("projections: scan stopped")

// resolve sets, in entityOf, the entity of each name claim c uses, read
// from the model (without its facts) under the name's key.
func (w *partialWrite) resolve(c *Claim, entityOf map[string]*Entity) error {
	for _, n := range claimNames(c) {
		ek, err := w.entityKey(n)
		if err != nil {
			return err
		}
		e, ok := w.entities[ek]
		if !ok {
			if e, err = w.md.entity(ek); err != nil {
				return err
			}
			e.Facts = nil
			w.entities[ek] = e
		}
		nk, err := w.md.keyOf(n)
		if err != nil {
			return err
		}
		entityOf[nk] = e
	}
	return nil
}

// ownsSubject reports whether the entity of a stored value or temporal
// conflict's subject is one the write owns.
func (w *partialWrite) ownsSubject(cf *Conflict, owned func(string) bool) (bool, error) {
	ek, ok, err := w.md.EntityKey(cf.Subject)
	if err != nil || !ok {
		return false, err
	}
	return owned(ek), nil
}

// verdicts returns every verdict the model holds, in revision order,
// read once per write.
func (w *partialWrite) verdicts() ([]Verdict, error) {
	if w.allVerdicts != nil {
		return w.allVerdicts, nil
	}
	out := []Verdict{}
	c := w.cur.Cursor()
	for k, v := c.Seek([]byte(pVerdict)); k != nil && bytes.HasPrefix(k, []byte(pVerdict)); k, v = c.Next() {
		val, err := unseal(k, v)
		if err != nil {
			return nil, err
		}
		var vd Verdict
		if err := json.Unmarshal(val, &vd); err != nil {
			return nil, &StoredError{What: fmt.Sprintf("the read model's verdict %x does not decode", k), Err: err}
		}
		out = append(out, vd)
	}
	w.allVerdicts = out
	return out, nil
}

// valueConflictIDs returns the ids of the value conflicts of the facts
// of the partial state's claims (valueConflictID), whether or not the
// checks find them.
func (w *partialWrite) valueConflictIDs(s *State) (map[ConflictID]bool, error) {
	ids := map[ConflictID]bool{}
	for _, c := range s.Claims {
		ek, err := w.entityKey(c.Subject)
		if err != nil {
			return nil, err
		}
		ids[conflictID(KindValue, ek, c.Predicate)] = true
	}
	return ids, nil
}

// involves reports whether a verdict is on a conflict the partial state
// holds claims of.
func (w *partialWrite) involves(v *Verdict, s *State) bool {
	for _, id := range v.Claims {
		if s.Claims[id] != nil {
			return true
		}
	}
	return false
}

// claimNames lists the names a claim uses: its subject, its "as", its
// entity value, its relation's target.
func claimNames(c *Claim) []string {
	out := []string{c.Subject}
	if c.As != "" {
		out = append(out, c.As)
	}
	if c.Value.Kind == events.KindEntity && c.Value.Entity != "" {
		out = append(out, c.Value.Entity)
	}
	if r := c.Value.Relation; r != nil {
		out = append(out, r.To.Subject)
	}
	return out
}

// Verdict builds the verdict a reviewer's decision on cf (a conflict read
// from this model, at the head) records: what Analysis.Verdict builds from
// an analysis of the whole state, from the conflict's claims and those of
// its verdict read from the model, with their names resolved by it. ok is
// false when the model cannot answer (a name it does not know); the
// caller then analyses the state.
func (md *Model) Verdict(cf *Conflict, d events.Decision, claim events.ClaimID, note string, override bool) (v *events.VerdictRecorded, ok bool, err error) {
	if !md.head {
		return nil, false, nil
	}
	w := &partialWrite{md: md, cur: md.cur, claims: map[events.ClaimID]*Claim{}, keys: map[string]string{},
		entities: map[string]*Entity{}, split: map[string]bool{}}
	s := NewState()
	s.Rev = md.rev
	ids := make([]events.ClaimID, 0, len(cf.Claims))
	for _, cc := range cf.Claims {
		ids = append(ids, cc.ID)
	}
	if cf.Verdict != nil {
		ids = append(ids, cf.Verdict.Claims...)
	}
	a := &Analysis{Rev: md.rev, State: s, entityOf: map[string]*Entity{}, conflicts: map[ConflictID]*Conflict{},
		names: &nameGraph{keys: map[string]string{}, folds: map[string]string{}, split: w.split}}
	for _, id := range ids {
		c, err := w.claim(id)
		if err != nil {
			return nil, false, err
		}
		if c == nil {
			continue // retracted: takes no part
		}
		s.Claims[id] = c
		for _, n := range claimNames(c) {
			ek, err := w.entityKey(n)
			if err == errFallBack {
				return nil, false, nil
			}
			if err != nil {
				return nil, false, err
			}
			nk, err := md.keyOf(n)
			if err != nil {
				return nil, false, err
			}
			a.entityOf[nk] = &Entity{key: ek}
		}
	}
	v, err = a.Verdict(cf, d, claim, note, override)
	return v, true, err
}
