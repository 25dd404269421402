package projections

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/sillok/sillok/events"
)

// Incremental writes of sources. A write that only archives new sources
// changes two things in the read model: each source's copy-detection
// record (pSketch: the source it says it translates, and its MinHash
// sketch) and, when the source is a translation or a copy of sources of
// one independence group, its group (pSourceGroup). No claim cites a new
// source yet, so no fact, conflict or count changes. The write finds the
// source's copies by comparing its sketch with every stored one, as the
// whole-state analysis does (copyPairs: a band in common and CopyThreshold
// similarity), and its translations both ways from the stored records.
//
// It falls back to the full analysis for a source that would join groups
// that were apart (their facts' independent counts change), a source
// archived again under its id, and a write of more than
// maxPartialSources sources (each one reads every stored sketch).

// maxPartialSources is the most sources one incremental write archives.
const maxPartialSources = 8

// sourceRecord is what the model's copy-detection record of a source
// holds.
type sourceRecord struct {
	rev           events.Revision // where the source was archived
	translationOf events.SourceID
	sketch        Sketch // IsEmpty when the text has no tokens
}

// encodeSourceRecord is the value of a source's pSketch key: the uvarint
// revision it was archived at, the uvarint length of what it translates,
// that id, and the sketch's slots (little-endian), or nothing for an
// empty sketch.
func encodeSourceRecord(rev events.Revision, translationOf events.SourceID, sk *Sketch) []byte {
	out := binary.AppendUvarint(make([]byte, 0, 2+8+len(translationOf)+4*SketchSize), uint64(rev))
	out = binary.AppendUvarint(out, uint64(len(translationOf)))
	out = append(out, translationOf...)
	if !sk.IsEmpty() {
		for _, v := range sk {
			out = binary.LittleEndian.AppendUint32(out, v)
		}
	}
	return out
}

func decodeSourceRecord(v []byte) (sourceRecord, error) {
	var r sourceRecord
	rev, w := binary.Uvarint(v)
	if w <= 0 {
		return r, fmt.Errorf("malformed")
	}
	r.rev, v = events.Revision(rev), v[w:]
	n, w := binary.Uvarint(v)
	if w <= 0 || uint64(len(v)-w) < n {
		return r, fmt.Errorf("malformed")
	}
	r.translationOf = events.SourceID(v[w : w+int(n)])
	rest := v[w+int(n):]
	switch len(rest) {
	case 0: // the sketch of a text without tokens (IsEmpty), not the zero Sketch
		for i := range r.sketch {
			r.sketch[i] = ^uint32(0)
		}
	case 4 * SketchSize:
		for i := range r.sketch {
			r.sketch[i] = binary.LittleEndian.Uint32(rest[4*i:])
		}
	default:
		return r, fmt.Errorf("a sketch of %d bytes", len(rest))
	}
	return r, nil
}

// bands returns the band hashes of a sketch, as copyPairs computes them.
func (s *Sketch) bands() [copyBands]uint64 {
	var out [copyBands]uint64
	for b := range copyBands {
		out[b] = bandHash(b, s[b*copyRows:(b+1)*copyRows])
	}
	return out
}

// shareBand reports whether two sketches' band hashes agree in a band.
func shareBand(x, y *[copyBands]uint64) bool {
	for b := range x {
		if x[b] == y[b] {
			return true
		}
	}
	return false
}

// deriveSources is derive for a write whose events all archive sources
// (see above); text reads a source's text (nil: no sketches, as a replay
// without a text function).
func (w *partialWrite) deriveSources(appended []events.Event, text TextFunc) ([]ModelKV, error) {
	if len(appended) > maxPartialSources {
		return nil, errFallBack
	}
	type added struct {
		id    events.SourceID
		rec   sourceRecord
		bands [copyBands]uint64
		group events.SourceID
	}
	var news []*added
	groupOf := func(id events.SourceID) (events.SourceID, error) {
		for _, n := range news {
			if n.id == id {
				return n.group, nil
			}
		}
		g, ok, err := w.md.get([]byte(pSourceGroup + string(id)))
		if err != nil || !ok {
			return id, err
		}
		return events.SourceID(g), nil
	}
	var out []ModelKV
	for _, e := range appended {
		if e.Type != events.TypeSourceArchived {
			return nil, errFallBack
		}
		p, err := e.Decode()
		if err != nil {
			return nil, err
		}
		src := p.(*events.SourceArchived)
		n := &added{id: src.ID, group: src.ID, rec: sourceRecord{rev: e.Revision, translationOf: src.TranslationOf}}
		if text != nil {
			t, err := text(src)
			if err != nil {
				return nil, errFallBack // the full path reports it
			}
			n.rec.sketch = SketchText(t)
		}
		n.bands = n.rec.sketch.bands()
		if _, ok, err := w.md.get([]byte(pSketch + string(src.ID))); err != nil {
			return nil, err
		} else if ok {
			return nil, errFallBack // archived again
		}
		// The groups it links: what it translates, what translates it,
		// and its copies.
		linked := map[events.SourceID]bool{}
		link := func(id events.SourceID) error {
			g, err := groupOf(id)
			linked[g] = true
			return err
		}
		related := func(id events.SourceID, r *sourceRecord, bands *[copyBands]uint64) error {
			if id == src.ID {
				return errFallBack // archived twice in the write
			}
			if id == src.TranslationOf || r.translationOf == src.ID ||
				(!n.rec.sketch.IsEmpty() && !r.sketch.IsEmpty() && shareBand(&n.bands, bands) && n.rec.sketch.isCopy(r.sketch)) {
				return link(id)
			}
			return nil
		}
		c := w.cur.Cursor()
		prefix := []byte(pSketch)
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			val, err := unseal(k, v)
			if err != nil {
				return nil, err
			}
			r, err := decodeSourceRecord(val)
			if err != nil {
				return nil, &StoredError{What: fmt.Sprintf("the read model's source record %q: %v", k, err)}
			}
			bands := r.sketch.bands()
			if err := related(events.SourceID(k[len(prefix):]), &r, &bands); err != nil {
				return nil, err
			}
		}
		for _, o := range news {
			if err := related(o.id, &o.rec, &o.bands); err != nil {
				return nil, err
			}
		}
		switch len(linked) {
		case 0:
		case 1:
			for g := range linked {
				n.group = g // the earliest source of the group stays its representative
			}
		default:
			return nil, errFallBack // groups that were apart join
		}
		news = append(news, n)
		k := []byte(pSketch + string(src.ID))
		out = append(out, ModelKV{k, seal(k, encodeSourceRecord(n.rec.rev, n.rec.translationOf, &n.rec.sketch))})
		if n.group != n.id {
			k := []byte(pSourceGroup + string(src.ID))
			out = append(out, ModelKV{k, seal(k, []byte(n.group))})
		}
	}
	return out, nil
}

// storedSketches returns a function that finds the sketch of the source
// archived at a revision in the read model's copy-detection records, so
// that a replay need not read and sketch the source's text again; nil
// when there is no model. A record that fails its checksum or is of
// another archiving of the id is not used (the replay sketches the text).
// Replays that check the stored projection (rebuild, verify --replay)
// do not use it.
func storedSketches(tx *events.Tx) func(id events.SourceID, rev events.Revision) (*Sketch, bool) {
	m := model(tx.KV())
	if m == nil {
		return nil
	}
	cur := m.Bucket(bucketCur)
	if cur == nil {
		return nil
	}
	return func(id events.SourceID, rev events.Revision) (*Sketch, bool) {
		k := []byte(pSketch + string(id))
		v := cur.Get(k)
		if v == nil {
			return nil, false
		}
		val, err := unseal(k, v)
		if err != nil {
			return nil, false
		}
		r, err := decodeSourceRecord(val)
		if err != nil || r.rev != rev {
			return nil, false
		}
		return &r.sketch, true
	}
}
