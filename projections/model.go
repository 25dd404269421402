package projections

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"slices"
	"sort"
	"strings"

	"github.com/sillok/sillok/events/kv"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/sources"
)

// The read model: the analysis of the head state, stored per key in the
// archive (bucket "model" in the projections bucket; layout in doc.go),
// written in the same transaction as the events that change it, with the
// versions of every key since the model's base revision. Reads at the
// head read the keys they show (an entity, a page of the queue, a
// conflict, a source's count); reads at an older revision read the
// versions valid then; a diff reads the keys changed between its two
// revisions.
//
// The keys are a function of an Analysis (modelKeys), and the Analysis a
// function of the State: the rules live in Analyze alone, so a model
// written by a write and one built from a replay cannot drift.

var (
	bucketModel   = []byte("model")
	bucketCur     = []byte("cur")
	bucketHist    = []byte("hist")
	bucketChanges = []byte("changes")
	bucketRevs    = []byte("revs")
	keyModelRev   = []byte("rev")
	keyModelBase  = []byte("base")
)

// Key prefixes in the cur bucket. Each is one letter and a zero byte.
const (
	pEntity    = "e\x00" // entity key → entity record (JSON)
	pOrder     = "o\x00" // name \x00 entity key → nil: entities in the view's order
	pName      = "n\x00" // name key (Analysis.names.key) → entity key
	pSplit     = "p\x00" // IdentityKey whose names distinct declarations tell apart → nil
	pDeclared  = "a\x00" // uvarint len + name key + name key → nil: names a distinct declaration or verdict, or an alias of one form by another, names
	pConflict  = "c\x00" // conflict id → conflict record (JSON)
	pQueue     = "q\x00" // queue key (QueueKey) → status byte
	pRoot      = "t\x00" // root id \x00 conflict id → nil: a root cause's combinations
	pBySubject = "s\x00" // uvarint len + entity key + queue key → nil
	pSource    = "k\x00" // source id → uvarint count of claims citing it
	pPredicate = "d\x00" // predicate name → predicate record (JSON)

	// The inputs an incremental write reads (partial.go).
	pClaim       = "l\x00" // claim id → claim record (JSON), claims not retracted
	pEntityClaim = "g\x00" // uvarint len + entity key + claim id → "": an entity's claims
	pRelationTo  = "r\x00" // uvarint len + entity key + claim id → "": relations to an entity
	pValueOf     = "u\x00" // uvarint len + entity key + claim id → "": claims whose value is the entity
	pVerdict     = "v\x00" // 8-byte BE revision → verdict record (JSON)
	pSourceGroup = "i\x00" // source id → the original it translates or copies (when not itself)
	pSketch      = "x\x00" // source id → what it translates and its MinHash sketch (encodeSourceRecord)
)

// entityRecord is what the model stores of an entity.
type entityRecord struct {
	Name    string       `json:"name"`
	Aliases []EntityName `json:"aliases,omitempty"`
	Facts   []*Fact      `json:"facts"`
	// Names holds, for the name then each alias, where it first appeared
	// and how it was used (nameMeta).
	Names []nameMeta `json:"m"`
}

// conflictRecord is what the model stores of a conflict: the conflict and,
// for each of its claims, what a reviewer's detail shows besides.
type conflictRecord struct {
	Conflict *Conflict    `json:"c"`
	Claims   []claimExtra `json:"x"`
}

// recordOf returns the record of conflict cf, with what it keeps of each
// of its claims found in claims.
func recordOf(cf *Conflict, claims map[events.ClaimID]*Claim) conflictRecord {
	rec := conflictRecord{Conflict: cf, Claims: make([]claimExtra, len(cf.Claims))}
	for i, cc := range cf.Claims {
		if c := claims[cc.ID]; c != nil {
			rec.Claims[i] = claimExtra{Predicate: c.Predicate, Value: c.Value, Rev: c.Rev, Known: true}
		}
	}
	return rec
}

// claimExtra is what ConflictDetail shows of a conflict's claim besides
// the conflict's own record of it.
type claimExtra struct {
	Predicate string          `json:"p"`
	Value     events.Value    `json:"v"`
	Rev       events.Revision `json:"r"`
	Known     bool            `json:"k,omitempty"`
}

// ModelKV is one key of the read model and its value.
type ModelKV struct {
	Key, Value []byte
}

// statusByte is a conflict's status in the queue index.
func statusByte(s ConflictStatus) byte {
	if s == ConflictOpen {
		return 'o'
	}
	return 'r'
}

// QueueKey is the key of a conflict in the queue's order: kind, subject,
// predicate, root (the root cause's id, "" but for temporal conflicts) and
// id, so that one root cause's combinations are together. It is the one
// place that order is built (a new sort field goes here, and in the
// Analyze sort it mirrors).
func QueueKey(kind ConflictKind, subject, predicate string, root, id ConflictID) []byte {
	k := make([]byte, 0, 5+len(subject)+len(predicate)+len(root)+len(id))
	k = append(k, byte('0'+kind.order()))
	k = append(k, subject...)
	k = append(k, 0)
	k = append(k, predicate...)
	k = append(k, 0)
	k = append(k, root...)
	k = append(k, 0)
	return append(k, id...)
}

// queueKeyOf is cf's QueueKey.
func queueKeyOf(cf *Conflict) []byte {
	return QueueKey(cf.Kind, cf.Subject, cf.Predicate, cf.Root, cf.ID)
}

// rootKey is the key of a combination in its root cause's index.
func rootKey(cf *Conflict) []byte {
	return []byte(pRoot + string(cf.Root) + "\x00" + string(cf.ID))
}

// declaredKey is the key of a "distinct" declaration or verdict that
// names the names of keys a and b, or of an alias declaration between two
// forms of one name (a == b), under a ("a").
func declaredKey(a, b string) []byte {
	return append(lenPrefixed(pDeclared, a), b...)
}

func lenPrefixed(p string, k string) []byte {
	out := append([]byte(p), binary.AppendUvarint(nil, uint64(len(k)))...)
	return append(out, k...)
}

// modelKeys returns every key of the read model of an analysis, sorted.
func modelKeys(a *Analysis) ([]ModelKV, error) {
	var out []ModelKV
	err := emitModel(a, false, func(k, v []byte) error {
		out = append(out, ModelKV{k, v})
		return nil
	})
	return out, err
}

// emitModel calls emit with every key of the read model of an analysis
// and its sealed value, in key order (a key is never emitted twice). It
// makes the keys one prefix at a time, in the prefixes' order, and the
// records (JSON) one at a time as they are emitted: what it holds besides
// the analysis is one prefix's keys, never the model. emit owns the
// slices it is given. With consume, it lets go of what of the analysis
// the later prefixes no longer need as it goes (the name graph's
// union-find and details, the conflicts' claims and summaries, the
// entities' facts): the analysis is of no further use after.
func emitModel(a *Analysis, consume bool, emit func(k, v []byte) error) error {
	// group sorts one prefix's keys (values may be nil) and emits them
	// sealed; a repeated key keeps its last value.
	group := func(kvs []ModelKV) error {
		sort.SliceStable(kvs, func(i, j int) bool { return bytes.Compare(kvs[i].Key, kvs[j].Key) < 0 })
		for i, kv := range kvs {
			if i+1 < len(kvs) && bytes.Equal(kv.Key, kvs[i+1].Key) {
				continue
			}
			if err := emit(kv.Key, seal(kv.Key, kv.Value)); err != nil {
				return err
			}
		}
		return nil
	}
	// record marshals one record and emits it.
	record := func(k []byte, rec any) error {
		v, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		return emit(k, seal(k, v))
	}

	// "a": the pairs of names a "distinct" declaration or verdict names,
	// and the names an alias declaration names in two of their forms.
	var declared keyArena
	pair := func(x, y string) {
		declared.add(pDeclared, x, y) // declaredKey(x, y)
		declared.add(pDeclared, y, x)
	}
	for p := range a.names.distinct {
		pair(p[0], p[1])
	}
	for _, al := range a.names.aliases {
		// An alias between two names joins them (their entity then has
		// aliases); one between two forms of one name joins nothing, and
		// only this index says the declaration names it.
		if k := a.names.key(al.Entity); k == a.names.key(al.Name) {
			declared.add(pDeclared, k, k)
		}
	}
	if err := declared.emitSorted(emit); err != nil {
		return err
	}
	if consume && a.names.frozen {
		// From here on names are only resolved to entities.
		a.names.shed()
	}
	// "c": conflicts, by id.
	cfs := append([]*Conflict(nil), a.Conflicts...)
	sort.SliceStable(cfs, func(i, j int) bool { return cfs[i].ID < cfs[j].ID })
	for i, cf := range cfs {
		if i+1 < len(cfs) && cfs[i+1].ID == cf.ID {
			continue
		}
		if err := record([]byte(pConflict+string(cf.ID)), recordOf(cf, a.State.Claims)); err != nil {
			return err
		}
	}
	cfs = nil
	if consume {
		// The later prefixes read a conflict's id, kind, status, subject,
		// predicate, names and root.
		for _, cf := range a.Conflicts {
			cf.Claims, cf.Summary, cf.Resemblance, cf.Verdict, cf.Joined = nil, "", "", nil, nil
		}
	}
	// "d": predicates, by name.
	preds := make([]string, 0, len(a.State.Predicates))
	for name := range a.State.Predicates {
		preds = append(preds, name)
	}
	sort.Strings(preds)
	for _, name := range preds {
		if err := record([]byte(pPredicate+name), a.State.Predicates[name]); err != nil {
			return err
		}
	}
	// "e": entities, by key.
	ents := append([]*Entity(nil), a.Entities...)
	sort.SliceStable(ents, func(i, j int) bool { return ents[i].key < ents[j].key })
	for i, e := range ents {
		if i+1 < len(ents) && ents[i+1].key == e.key {
			continue
		}
		if err := record([]byte(pEntity+e.key), entityRecord{Name: e.Name, Aliases: e.Aliases, Facts: e.Facts, Names: e.names}); err != nil {
			return err
		}
		if consume {
			e.Facts, e.Aliases = nil, nil // the later prefixes read its name and key
		}
	}
	ents = nil
	// "g": each entity's claims (one claim each: the keys are kept in
	// one buffer, not a slice each).
	var ar keyArena
	for _, c := range a.sorted {
		if c.Retracted {
			continue
		}
		if e := a.Entity(c.Subject); e != nil {
			ar.add(pEntityClaim, e.key, string(c.ID))
		}
	}
	if err := ar.emitSorted(emit); err != nil {
		return err
	}
	// "i": sources' originals.
	var kvs []ModelKV
	for id, g := range a.srcGroup {
		if g != id {
			kvs = append(kvs, ModelKV{[]byte(pSourceGroup + string(id)), []byte(g)})
		}
	}
	if err := group(kvs); err != nil {
		return err
	}
	// "k": claims citing each source.
	kvs = nil
	for src, n := range a.State.ClaimsCiting() {
		kvs = append(kvs, ModelKV{[]byte(pSource + string(src)), binary.AppendUvarint(nil, uint64(n))})
	}
	if err := group(kvs); err != nil {
		return err
	}
	// "l": claims not retracted, by id.
	kvs = nil
	claims := make([]*Claim, 0, len(a.sorted))
	for _, c := range a.sorted {
		if !c.Retracted {
			claims = append(claims, c)
		}
	}
	sort.SliceStable(claims, func(i, j int) bool { return claims[i].ID < claims[j].ID })
	for i, c := range claims {
		if i+1 < len(claims) && claims[i+1].ID == c.ID {
			continue
		}
		if err := record([]byte(pClaim+string(c.ID)), c); err != nil {
			return err
		}
	}
	claims = nil
	// "n": the name index.
	for k, e := range a.entityOf {
		kvs = append(kvs, ModelKV{[]byte(pName + k), []byte(e.key)})
	}
	if err := group(kvs); err != nil {
		return err
	}
	// "o": entities in the view's order.
	kvs = nil
	for _, e := range a.Entities {
		kvs = append(kvs, ModelKV{Key: []byte(pOrder + e.Name + "\x00" + e.key)})
	}
	if err := group(kvs); err != nil {
		return err
	}
	// "p": names told apart by their exact form.
	kvs = nil
	for k := range a.names.split {
		kvs = append(kvs, ModelKV{Key: []byte(pSplit + k)})
	}
	if err := group(kvs); err != nil {
		return err
	}
	// "q": the queue.
	kvs = nil
	for _, cf := range a.Conflicts {
		kvs = append(kvs, ModelKV{append([]byte(pQueue), queueKeyOf(cf)...), []byte{statusByte(cf.Status)}})
	}
	if err := group(kvs); err != nil {
		return err
	}
	// "r": relation claims by their target.
	kvs = nil
	ar = keyArena{}
	for _, c := range a.sorted {
		if c.Retracted {
			continue
		}
		if r := c.Value.Relation; r != nil {
			if e := a.Entity(r.To.Subject); e != nil {
				ar.add(pRelationTo, e.key, string(c.ID))
			}
		}
	}
	if err := ar.emitSorted(emit); err != nil {
		return err
	}
	// "s": each entity's queue.
	kvs = nil
	for _, cf := range a.Conflicts {
		subjects := map[string]bool{}
		if cf.Kind == KindName {
			for _, n := range cf.Names {
				if e := a.Entity(n); e != nil {
					subjects[e.key] = true
				}
			}
		} else if e := a.Entity(cf.Subject); e != nil {
			subjects[e.key] = true
		}
		q := queueKeyOf(cf)
		for ek := range subjects {
			kvs = append(kvs, ModelKV{Key: append(lenPrefixed(pBySubject, ek), q...)})
		}
	}
	if err := group(kvs); err != nil {
		return err
	}
	// "t": root causes' combinations.
	kvs = nil
	for _, cf := range a.Conflicts {
		if cf.Root != "" {
			kvs = append(kvs, ModelKV{Key: rootKey(cf)})
		}
	}
	if err := group(kvs); err != nil {
		return err
	}
	// "u": claims whose value is an entity, by that entity.
	ar = keyArena{}
	for _, c := range a.sorted {
		if c.Retracted {
			continue
		}
		if c.Value.Kind == events.KindEntity && c.Value.Entity != "" {
			if e := a.Entity(c.Value.Entity); e != nil {
				ar.add(pValueOf, e.key, string(c.ID))
			}
		}
	}
	if err := ar.emitSorted(emit); err != nil {
		return err
	}
	// "v": verdicts, by revision.
	kvs = nil
	for i := range a.State.Verdicts {
		v := &a.State.Verdicts[i]
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		kvs = append(kvs, ModelKV{append([]byte(pVerdict), checkpointKey(v.Rev)...), b})
	}
	if err := group(kvs); err != nil {
		return err
	}
	// "x": each source's copy-detection record.
	ids := make([]string, 0, len(a.State.Sources))
	for id := range a.State.Sources {
		ids = append(ids, string(id))
	}
	sort.Strings(ids)
	for _, id := range ids {
		src := a.State.Sources[events.SourceID(id)]
		k := []byte(pSketch + id)
		if err := emit(k, seal(k, encodeSourceRecord(src.Rev, src.TranslationOf, &src.Sketch))); err != nil {
			return err
		}
	}
	return nil
}

// keyArena holds many keys of one prefix of the model, each made of a
// prefix, a length-prefixed entity key and a claim id, in one buffer.
type keyArena struct {
	buf  []byte
	ends []uint32 // where each key ends in buf
}

func (ar *keyArena) add(p, ek, id string) {
	ar.buf = append(ar.buf, p...)
	ar.buf = binary.AppendUvarint(ar.buf, uint64(len(ek)))
	ar.buf = append(ar.buf, ek...)
	ar.buf = append(ar.buf, id...)
	ar.ends = append(ar.ends, uint32(len(ar.buf)))
}

// emitSorted emits the keys, with empty values sealed, in key order, each
// once (as emitModel's group does).
func (ar *keyArena) emitSorted(emit func(k, v []byte) error) error {
	key := func(i uint32) []byte {
		start := uint32(0)
		if i > 0 {
			start = ar.ends[i-1]
		}
		return ar.buf[start:ar.ends[i]:ar.ends[i]]
	}
	order := make([]uint32, len(ar.ends))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(x, y uint32) int { return bytes.Compare(key(x), key(y)) })
	for i, o := range order {
		k := key(o)
		if i+1 < len(order) && bytes.Equal(k, key(order[i+1])) {
			continue
		}
		if err := emit(k, seal(k, nil)); err != nil {
			return err
		}
	}
	return nil
}

// seal appends to a record's value a CRC-32C (Castagnoli, 4 bytes
// little-endian) of its key and value, so that a damaged or edited record
// is told from a good one without a replay.
func seal(k, v []byte) []byte {
	sum := crc32.Update(crc32.Checksum(k, castagnoli), castagnoli, v)
	return binary.LittleEndian.AppendUint32(append(make([]byte, 0, len(v)+4), v...), sum)
}

// unseal checks a stored record's checksum and returns its value.
func unseal(k, stored []byte) ([]byte, error) {
	if len(stored) < 4 {
		return nil, &StoredError{What: fmt.Sprintf("the read model's record %q is %d bytes, too short for its checksum", k, len(stored))}
	}
	v := stored[:len(stored)-4]
	sum := crc32.Update(crc32.Checksum(k, castagnoli), castagnoli, v)
	if sum != binary.LittleEndian.Uint32(stored[len(stored)-4:]) {
		return nil, &StoredError{What: fmt.Sprintf("the read model's record %q is damaged (its checksum does not match)", k)}
	}
	return v, nil
}

// ModelKeys returns every key of the read model of the analysis of s, in
// key order: what a model built from a replay holds (verify --replay and
// the tests compare stored models with it).
func ModelKeys(s *State) ([]ModelKV, error) { return modelKeys(Analyze(s)) }

// model returns the model bucket, or nil (none, or of another schema).
func model(btx kv.Tx) kv.Bucket {
	if checkpoints(btx) == nil {
		return nil
	}
	return btx.Bucket(bucketProjections).Bucket(bucketModel)
}

// modelRev returns the revision the stored model is of; ok is false when
// there is none.
func modelRev(m kv.Bucket) (events.Revision, bool) {
	if m == nil {
		return 0, false
	}
	v := m.Get(keyModelRev)
	if len(v) != 8 {
		return 0, false
	}
	return events.Revision(binary.BigEndian.Uint64(v)), true
}

// writeModel brings the stored model to the analysis an of the head
// state: it writes the keys that differ from the stored ones, and records
// for each the value it replaces (valid up to the revision before) and the
// key as changed at this revision. A model that is missing (or whose
// revision is not a revision before an's) is written whole and starts its
// versions at an's revision.
func writeModel(root kv.Bucket, an *Analysis) error {
	rev := an.Rev
	m := root.Bucket(bucketModel)
	prev, ok := modelRev(m)
	if m == nil || !ok || prev > rev {
		if m != nil {
			if err := root.DeleteBucket(bucketModel); err != nil {
				return err
			}
		}
		return createModel(root, rev, an)
	}
	if prev == rev {
		return nil
	}
	cur, hist, changes, revs := m.Bucket(bucketCur), m.Bucket(bucketHist), m.Bucket(bucketChanges), m.Bucket(bucketRevs)
	if cur == nil || hist == nil || changes == nil || revs == nil {
		if err := root.DeleteBucket(bucketModel); err != nil {
			return err
		}
		return createModel(root, rev, an)
	}
	revKey := checkpointKey(rev)
	type change struct {
		key, old, now []byte
		had, has      bool
	}
	// The analysis' keys, as emitModel makes them in key order, against
	// the stored ones in one pass: what is held is the changes, not the
	// whole model (about a gigabyte at 1M claims). The bucket is written
	// after the pass, since a write would move the cursor.
	var diffs []change
	n := 0
	c := cur.Cursor()
	k, v := c.First()
	err := emitModel(an, false, func(key, val []byte) error {
		n++
		for k != nil && bytes.Compare(k, key) < 0 { // stored, gone now
			diffs = append(diffs, change{key: bytes.Clone(k), old: bytes.Clone(v), had: true})
			k, v = c.Next()
		}
		if k != nil && bytes.Equal(k, key) {
			if !bytes.Equal(v, val) {
				diffs = append(diffs, change{key: key, old: bytes.Clone(v), now: val, had: true, has: true})
			}
			k, v = c.Next()
			return nil
		}
		diffs = append(diffs, change{key: key, now: val, has: true}) // new
		return nil
	})
	if err != nil {
		return err
	}
	for ; k != nil; k, v = c.Next() {
		diffs = append(diffs, change{key: bytes.Clone(k), old: bytes.Clone(v), had: true})
	}
	if len(diffs) > n/2 && len(diffs) > 1024 {
		// Most of the model changed (a bulk load's last write): keeping
		// the version each key replaced would double it for revisions
		// the model mostly cannot answer for (those of the load). The
		// model is written anew, its versions starting here.
		diffs = nil
		if err := root.DeleteBucket(bucketModel); err != nil {
			return err
		}
		return createModel(root, rev, an)
	}
	for _, d := range diffs {
		if d.has {
			if err := cur.Put(d.key, nonNil(d.now)); err != nil {
				return err
			}
		} else if err := cur.Delete(d.key); err != nil {
			return err
		}
		old := []byte{0}
		if d.had {
			old = append([]byte{1}, d.old...)
		}
		if err := hist.Put(histKey(d.key, rev), old); err != nil {
			return err
		}
		if err := changes.Put(append(bytes.Clone(revKey), d.key...), []byte{}); err != nil {
			return err
		}
	}
	if err := revs.Put(revKey, []byte{}); err != nil {
		return err
	}
	return m.Put(keyModelRev, revKey)
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// createModel writes a new model of revision rev, the model of the
// analysis an, its versions starting at rev. It does not consume an.
func createModel(root kv.Bucket, rev events.Revision, an *Analysis) error {
	m, cur, err := newModelBucket(root)
	if err != nil {
		return err
	}
	if err := emitModel(an, false, func(k, v []byte) error { return cur.Put(k, nonNil(v)) }); err != nil {
		return err
	}
	return finishModel(m, rev)
}

// histKey is the key of the version of key k that a change at rev
// replaced: the key's length, the key, and the revision.
func histKey(k []byte, rev events.Revision) []byte {
	out := binary.AppendUvarint(make([]byte, 0, len(k)+12), uint64(len(k)))
	out = append(out, k...)
	return binary.BigEndian.AppendUint64(out, uint64(rev))
}

// Model reads the stored read model at one revision.
type Model struct {
	rev  events.Revision
	head bool
	cur  kv.Bucket
	hist kv.Bucket
	m    kv.Bucket
}

// OpenModel returns the stored read model at revision at, and false when
// the model cannot answer for that revision: there is none (an archive
// written by an older version, or a bulk import that has not finished),
// it is behind the head, or at is not a revision it was written at (a
// revision inside a transaction of many events, or before its base). The
// caller then reads the state (Store.At) and analyses it.
func (st *Store) OpenModel(tx *events.Tx, at events.Revision) (*Model, bool) {
	m := model(tx.KV())
	rev, ok := modelRev(m)
	head, _ := tx.Head()
	if !ok || rev != head || at > head {
		return nil, false
	}
	if st.CheckHead(tx) != nil {
		return nil, false
	}
	cur, hist, revs := m.Bucket(bucketCur), m.Bucket(bucketHist), m.Bucket(bucketRevs)
	if cur == nil || hist == nil || revs == nil {
		return nil, false
	}
	if at != head {
		base := m.Get(keyModelBase)
		if len(base) != 8 || events.Revision(binary.BigEndian.Uint64(base)) > at || revs.Get(checkpointKey(at)) == nil {
			return nil, false
		}
	}
	return &Model{rev: at, head: at == head, cur: cur, hist: hist, m: m}, true
}

// Rev is the revision the model reads.
func (md *Model) Rev() events.Revision { return md.rev }

// get returns the value of key k at the model's revision. A record whose
// checksum fails reads as a *StoredError.
func (md *Model) get(k []byte) ([]byte, bool, error) {
	v, ok := md.raw(k)
	if !ok {
		return nil, false, nil
	}
	v, err := unseal(k, v)
	return v, err == nil, err
}

// raw returns the stored bytes of key k at the model's revision.
func (md *Model) raw(k []byte) ([]byte, bool) {
	if !md.head {
		c := md.hist.Cursor()
		want := histKey(k, md.rev+1)
		if hk, hv := c.Seek(want); hk != nil && bytes.Equal(hk[:len(hk)-8], want[:len(want)-8]) {
			if len(hv) == 0 || hv[0] == 0 {
				return nil, false
			}
			return hv[1:], true
		}
	}
	v := md.cur.Get(k)
	return v, v != nil
}

// keyOf returns the name key a name resolves by (nameGraph.key).
func (md *Model) keyOf(name string) (string, error) {
	k := IdentityKey(name)
	_, split, err := md.get([]byte(pSplit + k))
	if split {
		k += "\x00" + sources.Normalize(name)
	}
	return k, err
}

// EntityKey returns the key of the entity a name resolves to; ok is false
// for a name no entity has.
func (md *Model) EntityKey(name string) (string, bool, error) {
	k, err := md.keyOf(name)
	if err != nil {
		return "", false, err
	}
	v, ok, err := md.get([]byte(pName + k))
	return string(v), ok, err
}

// Entity returns the entity a name resolves to, or nil.
func (md *Model) Entity(name string) (*Entity, error) {
	k, ok, err := md.EntityKey(name)
	if !ok || err != nil {
		return nil, err
	}
	return md.entity(k)
}

func (md *Model) entity(key string) (*Entity, error) {
	v, ok, err := md.get([]byte(pEntity + key))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &StoredError{What: fmt.Sprintf("the read model names entity %q, which it does not hold", key)}
	}
	var r entityRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, &StoredError{What: fmt.Sprintf("the read model's entity %q: %v", key, err), Err: err}
	}
	return &Entity{Name: r.Name, Aliases: r.Aliases, Facts: r.Facts, key: key, names: r.Names}, nil
}

// Entities calls fn for every entity with facts, in the view's order (by
// name). It reads the head only.
func (md *Model) Entities(fn func(*Entity) error) error {
	if !md.head {
		return fmt.Errorf("projections: Model.Entities reads the head only")
	}
	c := md.cur.Cursor()
	for k, _ := c.Seek([]byte(pOrder)); k != nil && bytes.HasPrefix(k, []byte(pOrder)); k, _ = c.Next() {
		rest := string(k[len(pOrder):])
		i := strings.IndexByte(rest, 0)
		if i < 0 {
			return &StoredError{What: fmt.Sprintf("malformed read-model key %q", k)}
		}
		e, err := md.entity(rest[i+1:])
		if err != nil {
			return err
		}
		if len(e.Facts) == 0 {
			continue
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// HasClaim reports whether claim id is recorded and not retracted.
func (md *Model) HasClaim(id events.ClaimID) (bool, error) {
	_, ok, err := md.get([]byte(pClaim + string(id)))
	return ok, err
}

// Conflict returns the conflict with this exact id, or nil.
func (md *Model) Conflict(id ConflictID) (*Conflict, error) {
	rec, err := md.conflictRecord(id)
	if rec == nil || err != nil {
		return nil, err
	}
	return rec.Conflict, nil
}

func (md *Model) conflictRecord(id ConflictID) (*conflictRecord, error) {
	v, ok, err := md.get([]byte(pConflict + string(id)))
	if !ok || err != nil {
		return nil, err
	}
	var r conflictRecord
	if err := json.Unmarshal(v, &r); err != nil || r.Conflict == nil {
		return nil, &StoredError{What: fmt.Sprintf("the read model's conflict %s does not decode", id), Err: err}
	}
	return &r, nil
}

// ConflictClaimInfo is what the model keeps of a conflict's claim for a
// reviewer: its predicate, its value as resolved, its revision.
type ConflictClaimInfo struct {
	Predicate string
	Value     events.Value
	Rev       events.Revision
	// Known is false for a claim the state did not hold.
	Known bool
}

// ConflictClaims returns, for each claim of conflict id in its order, what
// ConflictClaimInfo says.
func (md *Model) ConflictClaims(id ConflictID) ([]ConflictClaimInfo, error) {
	rec, err := md.conflictRecord(id)
	if rec == nil || err != nil {
		return nil, err
	}
	out := make([]ConflictClaimInfo, len(rec.Claims))
	for i, x := range rec.Claims {
		out[i] = ConflictClaimInfo(x)
	}
	return out, nil
}

// ConflictsWithPrefix returns the conflicts whose ids start with prefix
// (head only), in id order, at most limit of them (0: all).
func (md *Model) ConflictsWithPrefix(prefix string, limit int) ([]*Conflict, error) {
	if !md.head {
		return nil, fmt.Errorf("projections: Model.ConflictsWithPrefix reads the head only")
	}
	var out []*Conflict
	p := []byte(pConflict + prefix)
	c := md.cur.Cursor()
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
		cf, err := md.Conflict(ConflictID(k[len(pConflict):]))
		if err != nil {
			return nil, err
		}
		out = append(out, cf)
		if limit > 0 && len(out) == limit {
			break
		}
	}
	return out, nil
}

// RootConflicts returns the combinations of the root cause whose id is
// prefix or starts with it (head only), in the queue's order; nil when no
// root's id does, or when the prefix names several roots.
func (md *Model) RootConflicts(prefix string) ([]*Conflict, error) {
	if !md.head {
		return nil, fmt.Errorf("projections: Model.RootConflicts reads the head only")
	}
	var root string
	var out []*Conflict
	p := []byte(pRoot + prefix)
	c := md.cur.Cursor()
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
		r, id, ok := strings.Cut(string(k[len(pRoot):]), "\x00")
		if !ok {
			return nil, &StoredError{What: fmt.Sprintf("the read model's root record %q has no conflict id", k)}
		}
		if root != "" && r != root {
			return nil, nil
		}
		root = r
		cf, err := md.Conflict(ConflictID(id))
		if err != nil {
			return nil, err
		}
		if cf != nil {
			out = append(out, cf)
		}
	}
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(queueKeyOf(out[i]), queueKeyOf(out[j])) < 0 })
	return out, nil
}

// RootSummary is Analysis.RootSummary from the model: the predicates of
// the date claims come from the conflicts' records.
func (md *Model) RootSummary(cs []*Conflict) (string, error) {
	preds := map[events.ClaimID]string{}
	for _, cf := range cs {
		infos, err := md.ConflictClaims(cf.ID)
		if err != nil {
			return "", err
		}
		for i, in := range infos {
			if in.Known && i < len(cf.Claims) {
				preds[cf.Claims[i].ID] = in.Predicate
			}
		}
	}
	return rootSummary(cs, func(id events.ClaimID) string { return preds[id] }), nil
}

// QueueFilter says which conflicts Model.Queue visits.
type QueueFilter struct {
	Status ConflictStatus // "" for every status
	Kind   ConflictKind   // "" for every kind
	// EntityKey keeps the conflicts about one entity (Model.EntityKey).
	EntityKey *string
	// After is a queue key (QueueKey): the visit starts after it.
	After []byte
}

// Queue calls fn for the conflicts in the queue's order that the filter
// keeps, until fn returns false (head only).
func (md *Model) Queue(f QueueFilter, fn func(*Conflict) (bool, error)) error {
	if !md.head {
		return fmt.Errorf("projections: Model.Queue reads the head only")
	}
	prefix := []byte(pQueue)
	if f.EntityKey != nil {
		prefix = lenPrefixed(pBySubject, *f.EntityKey)
	}
	start := bytes.Clone(prefix)
	if f.Kind != "" {
		start = append(start, byte('0'+f.Kind.order()))
	}
	if f.After != nil {
		if a := append(bytes.Clone(prefix), f.After...); bytes.Compare(a, start) > 0 {
			start = append(a, 0) // the first key after it
		}
	}
	c := md.cur.Cursor()
	for k, v := c.Seek(start); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		q := k[len(prefix):]
		if f.Kind != "" && (len(q) == 0 || q[0] != byte('0'+f.Kind.order())) {
			break
		}
		if f.EntityKey == nil && f.Status != "" {
			st, err := unseal(k, v)
			if err != nil {
				return err
			}
			if len(st) != 1 || st[0] != statusByte(f.Status) {
				continue
			}
		}
		i := bytes.LastIndexByte(q, 0)
		if i < 0 {
			return &StoredError{What: fmt.Sprintf("malformed read-model queue key %q", k)}
		}
		cf, err := md.Conflict(ConflictID(q[i+1:]))
		if err != nil {
			return err
		}
		if cf == nil {
			return &StoredError{What: fmt.Sprintf("the read model's queue names conflict %s, which it does not hold", q[i+1:])}
		}
		if f.Status != "" && cf.Status != f.Status {
			continue
		}
		more, err := fn(cf)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// QueueKeyOf returns the queue key of the conflict with this exact id,
// or nil when there is none.
func (md *Model) QueueKeyOf(id ConflictID) ([]byte, error) {
	cf, err := md.Conflict(id)
	if cf == nil || err != nil {
		return nil, err
	}
	return queueKeyOf(cf), nil
}

// SourceClaims returns the number of claims (retracted ones too) citing
// a source.
func (md *Model) SourceClaims(id events.SourceID) (int, error) {
	v, ok, err := md.get([]byte(pSource + string(id)))
	if !ok || err != nil {
		return 0, err
	}
	n, _ := binary.Uvarint(v)
	return int(n), nil
}

// ModelDiff returns the changes between revisions from and to read from the
// versions of the keys changed between them, and false when the model
// cannot answer for both revisions (see OpenModel).
func (st *Store) ModelDiff(tx *events.Tx, from, to events.Revision) (*Changes, bool, error) {
	a, ok := st.OpenModel(tx, from)
	if !ok {
		return nil, false, nil
	}
	b, ok := st.OpenModel(tx, to)
	if !ok {
		return nil, false, nil
	}
	changes := a.m.Bucket(bucketChanges)
	if changes == nil {
		return nil, false, nil
	}
	keys := map[string]bool{}
	c := changes.Cursor()
	end := checkpointKey(to)
	for k, _ := c.Seek(checkpointKey(from + 1)); k != nil && len(k) >= 8 && bytes.Compare(k[:8], end) <= 0; k, _ = c.Next() {
		keys[string(k[8:])] = true
	}
	side := func(md *Model) (*Analysis, error) {
		an := &Analysis{Rev: md.rev, State: NewState(), conflicts: map[ConflictID]*Conflict{}}
		for k := range keys {
			switch {
			case strings.HasPrefix(k, pEntity):
				if _, ok := md.raw([]byte(k)); !ok {
					continue
				}
				e, err := md.entity(k[len(pEntity):])
				if err != nil {
					return nil, err
				}
				an.Entities = append(an.Entities, e)
			case strings.HasPrefix(k, pConflict):
				cf, err := md.Conflict(ConflictID(k[len(pConflict):]))
				if err != nil {
					return nil, err
				}
				if cf != nil {
					an.Conflicts = append(an.Conflicts, cf)
					an.conflicts[cf.ID] = cf
				}
			}
		}
		// The predicates of the facts, as the revision knows them.
		for _, e := range an.Entities {
			for _, f := range e.Facts {
				if _, done := an.State.Predicates[f.Predicate]; done {
					continue
				}
				if v, ok, err := md.get([]byte(pPredicate + f.Predicate)); err != nil {
					return nil, err
				} else if ok {
					var p Predicate
					if err := json.Unmarshal(v, &p); err != nil {
						return nil, &StoredError{What: fmt.Sprintf("the read model's predicate %q does not decode", f.Predicate), Err: err}
					}
					an.State.Predicates[f.Predicate] = &p
				}
			}
		}
		sort.Slice(an.Entities, func(i, j int) bool {
			if an.Entities[i].Name != an.Entities[j].Name {
				return an.Entities[i].Name < an.Entities[j].Name
			}
			return an.Entities[i].key < an.Entities[j].key
		})
		sort.Slice(an.Conflicts, func(i, j int) bool {
			x, y := an.Conflicts[i], an.Conflicts[j]
			return bytes.Compare(queueKeyOf(x), queueKeyOf(y)) < 0
		})
		return an, nil
	}
	x, err := side(a)
	if err != nil {
		return nil, true, err
	}
	y, err := side(b)
	if err != nil {
		return nil, true, err
	}
	// Predicates defined between the two are known to the later side.
	for name, p := range y.State.Predicates {
		if _, ok := x.State.Predicates[name]; !ok {
			x.State.Predicates[name] = p
		}
	}
	return Diff(x, y), true, nil
}

// ModelAt returns every key of the stored model with its value at
// revision rev (for tests and verification), and false when the model
// cannot answer for rev (OpenModel).
func (st *Store) ModelAt(tx *events.Tx, rev events.Revision) ([]ModelKV, bool, error) {
	md, ok := st.OpenModel(tx, rev)
	if !ok {
		return nil, false, nil
	}
	keys := map[string]bool{}
	md.cur.ForEach(func(k, _ []byte) error { keys[string(k)] = true; return nil })
	if !md.head {
		err := md.hist.ForEach(func(k, _ []byte) error {
			n, w := binary.Uvarint(k)
			if w <= 0 || uint64(len(k)-w-8) != n {
				return &StoredError{What: fmt.Sprintf("malformed read-model version key %x", k)}
			}
			keys[string(k[w:w+int(n)])] = true
			return nil
		})
		if err != nil {
			return nil, true, err
		}
	}
	var out []ModelKV
	for k := range keys {
		if v, ok := md.raw([]byte(k)); ok {
			out = append(out, ModelKV{[]byte(k), bytes.Clone(v)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i].Key, out[j].Key) < 0 })
	return out, true, nil
}

// CompareModel compares two models key for key and describes the first
// few differences ("" when equal).
func CompareModel(got, want []ModelKV) string {
	var diffs []string
	i, j := 0, 0
	note := func(s string) {
		if len(diffs) < 5 {
			diffs = append(diffs, s)
		} else if len(diffs) == 5 {
			diffs = append(diffs, "…")
		}
	}
	for i < len(got) || j < len(want) {
		var cmp int
		switch {
		case i == len(got):
			cmp = 1
		case j == len(want):
			cmp = -1
		default:
			cmp = bytes.Compare(got[i].Key, want[j].Key)
		}
		switch {
		case cmp < 0:
			note(fmt.Sprintf("key %q is stored, and a replay has no such key", got[i].Key))
			i++
		case cmp > 0:
			note(fmt.Sprintf("key %q is missing (a replay has it)", want[j].Key))
			j++
		default:
			if !bytes.Equal(got[i].Value, want[j].Value) {
				note(fmt.Sprintf("key %q holds %s, a replay %s", got[i].Key, clip(got[i].Value), clip(want[j].Value)))
			}
			i++
			j++
		}
	}
	return strings.Join(diffs, "; ")
}

// createModelOf writes the model of state s whole, its versions starting
// at s.Rev, in the caller's transaction (Store.Rebuild).
func createModelOf(root kv.Bucket, s *State) error {
	if root.Bucket(bucketModel) != nil {
		if err := root.DeleteBucket(bucketModel); err != nil {
			return err
		}
	}
	m, cur, err := newModelBucket(root)
	if err != nil {
		return err
	}
	if err := emitModel(Analyze(s), true, func(k, v []byte) error { return cur.Put(k, v) }); err != nil {
		return err
	}
	return finishModel(m, s.Rev)
}

// newModelBucket creates the model bucket and its cur bucket, which is
// filled in key order (so its pages are filled whole). The model has no
// "rev" until finishModel: reads do not use it, and the next write
// writes it anew.
func newModelBucket(root kv.Bucket) (m, cur kv.Bucket, err error) {
	if m, err = root.CreateBucket(bucketModel); err != nil {
		return nil, nil, err
	}
	if cur, err = m.CreateBucket(bucketCur); err != nil {
		return nil, nil, err
	}
	cur.FillHint(1.0)
	return m, cur, nil
}

// finishModel creates the version buckets of a model whose cur bucket is
// written, and records it as the model of rev, its versions starting at
// rev: the last write of a new model.
func finishModel(m kv.Bucket, rev events.Revision) error {
	for _, name := range [][]byte{bucketHist, bucketChanges} {
		if _, err := m.CreateBucket(name); err != nil {
			return err
		}
	}
	revs, err := m.CreateBucket(bucketRevs)
	if err != nil {
		return err
	}
	if err := revs.Put(checkpointKey(rev), []byte{}); err != nil {
		return err
	}
	if err := m.Put(keyModelBase, checkpointKey(rev)); err != nil {
		return err
	}
	return m.Put(keyModelRev, checkpointKey(rev))
}

// ModelChunk is how many bytes of keys and values WriteModel writes in
// one transaction. Each transaction holds them about three times until
// it commits (the records, bbolt's dirty pages, and its pool of page
// buffers); at 1M claims 16 MiB instead of 32 lowers a rebuild's peak by
// about 40 MB, for twice as many commits (about 60 instead of 30).
const ModelChunk = 16 << 20

// modelChunk is ModelChunk but in tests.
var modelChunk = ModelChunk

// WriteModel writes the read model of the state at head, the revision
// the projections were just rebuilt to (Store.RebuildWithoutModel),
// decoded from the head's checkpoint, whole, in
// transactions of about ModelChunk bytes each: bbolt holds a
// transaction's pages in memory until it commits, so one transaction
// would hold the whole model besides the state and its analysis. Until
// the last transaction commits the model has no "rev": reads do not use
// it (they analyse the state, as without a model), verify does not
// compare it, and if the process stops in between, the next write writes
// it anew. It refuses a log whose head is no longer head.
func (st *Store) WriteModel(log *events.Log, head events.Revision) error {
	var s *State
	if err := log.View(func(tx *events.Tx) (err error) {
		s, _, err = st.At(tx, head)
		return err
	}); err != nil {
		return err
	}
	a := analyzeLean(s)
	var pending []ModelKV
	size, first := 0, true
	flush := func(last bool) error {
		err := log.Update(func(tx *events.Tx) error {
			if head, _ := tx.Head(); head != s.Rev {
				return fmt.Errorf("projections: the log's head moved from revision %d to %d while the read model was written", s.Rev, head)
			}
			root := tx.KV().Bucket(bucketProjections)
			if root == nil {
				return fmt.Errorf("projections: the projections were removed while the read model was written")
			}
			var m, cur kv.Bucket
			if first {
				if root.Bucket(bucketModel) != nil {
					if err := root.DeleteBucket(bucketModel); err != nil {
						return err
					}
				}
				var err error
				if m, cur, err = newModelBucket(root); err != nil {
					return err
				}
			} else {
				if m = root.Bucket(bucketModel); m != nil {
					cur = m.Bucket(bucketCur)
				}
				if cur == nil {
					return fmt.Errorf("projections: the read model being written was removed")
				}
				cur.FillHint(1.0)
			}
			for _, kv := range pending {
				if err := cur.Put(kv.Key, kv.Value); err != nil {
					return err
				}
			}
			// The pages the puts read (and a deleted model's) through
			// the mapping are not kept in the process's memory.
			ReleaseMapped(tx)
			if last {
				return finishModel(m, s.Rev)
			}
			return nil
		})
		clear(pending)
		pending, size, first = pending[:0], 0, false
		return err
	}
	err := emitModel(a, true, func(k, v []byte) error {
		pending = append(pending, ModelKV{k, v})
		if size += len(k) + len(v) + 16; size >= modelChunk {
			return flush(false)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush(true)
}

// CheckModelSums verifies the checksum of every record of the stored read
// model (and of every older version of one) without a replay, and
// describes those that fail it.
func (st *Store) CheckModelSums(tx *events.Tx) ([]string, error) {
	m := model(tx.KV())
	if m == nil {
		return nil, nil
	}
	var bad []string
	if cur := m.Bucket(bucketCur); cur != nil {
		if err := cur.ForEach(func(k, v []byte) error {
			if _, err := unseal(k, v); err != nil {
				bad = append(bad, err.Error())
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	if hist := m.Bucket(bucketHist); hist != nil {
		if err := hist.ForEach(func(k, v []byte) error {
			n, w := binary.Uvarint(k)
			if w <= 0 || len(k) < w+8 || uint64(len(k)-w-8) != n {
				bad = append(bad, fmt.Sprintf("malformed read-model version key %x", k))
				return nil
			}
			if len(v) == 0 || v[0] == 0 {
				return nil
			}
			if _, err := unseal(k[w:w+int(n)], v[1:]); err != nil {
				bad = append(bad, fmt.Sprintf("an older version (before revision %d) of %v", binary.BigEndian.Uint64(k[len(k)-8:]), err))
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return bad, nil
}

// ModelUnfinished reports whether the stored read model was left
// unfinished: its keys were being written whole (WriteModel, after a
// rebuild) when the process stopped, so it has no revision. Reads do not
// use such a model (they analyse the state, as without one) until a
// rebuild or the next write writes it anew.
func (st *Store) ModelUnfinished(tx *events.Tx) bool {
	m := model(tx.KV())
	if m == nil {
		return false
	}
	_, ok := modelRev(m)
	return !ok
}

// CheckModel compares the stored read model with the model of a fresh
// replay of the whole log, key for key, and describes the differences
// (none when the model is not of the head: reads then do not use it).
func (st *Store) CheckModel(tx *events.Tx) (string, error) {
	m := model(tx.KV())
	rev, ok := modelRev(m)
	head, _ := tx.Head()
	if !ok || rev != head {
		return "", nil
	}
	got, ok, err := st.ModelAt(tx, head)
	if err != nil || !ok {
		return "", err
	}
	s := NewState()
	if err := fold(tx, s, head, st.textFunc(tx), nil); err != nil {
		return "", err
	}
	want, err := ModelKeys(s)
	if err != nil {
		return "", err
	}
	return CompareModel(got, want), nil
}

// clip quotes the start of a record's value for a message.
func clip(v []byte) string {
	const n = 80
	if len(v) <= n {
		return fmt.Sprintf("%q", v)
	}
	return fmt.Sprintf("%q… (%d bytes)", v[:n], len(v))
}
