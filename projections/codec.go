package projections

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math/bits"
	"slices"
	"strings"
	"time"

	"github.com/sillok/sillok/events"
)

// The checkpoint codec: a compact binary encoding of a State, canonical
// (equal states encode to equal bytes, so Store.Check compares a replayed
// state's encoding with the stored one byte for byte) and fast to encode
// and decode. A stored checkpoint is
//
//	4 bytes   CRC-32C (Castagnoli) of the rest, little-endian
//	1 byte    codec version (1)
//	8 bytes   n, the length of the string section, little-endian
//	n bytes   the string section: the bytes of every string, in order
//	...       the record section, to the end
//
// The record section holds everything but the strings' bytes: counts,
// revisions, flags, sketches, and each string's length (uvarint). Reading
// it in order consumes the string section in order, so a decoder turns
// the string section into one Go string and slices every field out of it:
// one allocation for all the strings of the state.
//
// Record section:
//
//	uvarint rev
//	uvarint #predicates, then each (by name):
//	  str name, dstr kind, byte many (0/1), uvarint rev
//	uvarint #sources, then each (by revision, then id):
//	  str id, uvarint rev, str title, dstr publisher, dstr lang,
//	  str published, str translation_of, dstr translator,
//	  uvarint reanchored, SketchSize × 4 bytes sketch (little-endian)
//	uvarint #claims, then each (by revision, then id):
//	  uvarint rev minus the previous claim's rev (the first: minus 0)
//	  str id, dstr source, dstr subject, dstr predicate, dstr value kind,
//	  str quote, uvarint flags, then the fields whose flag is set, in flag
//	  order: dstr as, str note, -, str retract_reason, str rejected_by,
//	  uvarint rejected_at, str written, dstr date, str anchor,
//	  (dstr op, dstr subject, dstr predicate) relation, str quantity,
//	  dstr entity, str text
//	uvarint #aliases, then each (in order): str name, str entity, dstr
//	  kind, str note, str claim, uvarint rev, dstr author
//	uvarint #verdicts, then each (in order): str conflict, dstr kind,
//	  dstr decision, str claim, list rejected, list claims, list names,
//	  str note, uvarint seen, uvarint rev, dstr author, byte has-time
//	  (0/1), then if 1 varint Unix nanoseconds (UTC)
//
// str is a uvarint length (its bytes in the string section); dstr a
// dictionary string, for the values that repeat (sources, subjects,
// predicates, kinds, …): uvarint 0 and a str, which is appended to the
// dictionary, or uvarint i+1 for the dictionary's entry i; list a uvarint
// count and that many str. A flag is set exactly when its field is not
// empty (Retracted: true; relation: not nil).

const codecVersion = 1

// checkpointHeader is the length of the CRC, version and string length.
const checkpointHeader = 4 + 1 + 8

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Claim flags.
const (
	flagAs = 1 << iota
	flagNote
	flagRetracted
	flagRetractReason
	flagRejectedBy
	flagRejectedAt
	flagWritten
	flagDate
	flagAnchor
	flagRelation
	flagQuantity
	flagEntity
	flagText
	flagLast
)

// errChecksum reports a checkpoint whose bytes do not match its CRC.
var errChecksum = errors.New("checksum mismatch: the checkpoint was altered or damaged")

// checkSum verifies a stored checkpoint's CRC. release, if not nil, is
// called after each releaseBlock bytes read (see decodeState).
func checkSum(v []byte, release func()) error {
	if len(v) < checkpointHeader {
		return fmt.Errorf("truncated checkpoint (%d bytes)", len(v))
	}
	var crc uint32
	for b := v[4:]; len(b) > 0; {
		n := min(len(b), releaseBlock)
		crc = crc32.Update(crc, castagnoli, b[:n])
		if b = b[n:]; release != nil && len(b) > 0 {
			release()
		}
	}
	if binary.LittleEndian.Uint32(v) != crc {
		return errChecksum
	}
	return nil
}

// releaseBlock is how many bytes of a checkpoint decodeState and checkSum
// read between calls of their release function. (A variable for the
// tests.)
var releaseBlock = 8 << 20

// storedRev returns the revision a stored checkpoint says it holds the
// state at, without decoding the rest; ^0 when it cannot be read.
func storedRev(v []byte) events.Revision {
	if len(v) < checkpointHeader {
		return ^events.Revision(0)
	}
	n := binary.LittleEndian.Uint64(v[5:])
	if n > uint64(len(v)-checkpointHeader) {
		return ^events.Revision(0)
	}
	r, k := binary.Uvarint(v[checkpointHeader+n:])
	if k <= 0 {
		return ^events.Revision(0)
	}
	return events.Revision(r)
}

// encoder builds a checkpoint in two passes over the state: the first
// (measure) only counts the bytes of the two sections and assigns the
// dictionary, the second writes into one buffer of exactly the size, so
// that a checkpoint (as large as the state's strings) is never copied or
// grown.
type encoder struct {
	measure bool
	strLen  int // first pass: the string section's length
	recLen  int // first pass: the record section's length
	dict    map[string]uint32
	refs    []uint32 // the dstr results of the first pass, in order
	nref    int      // second pass: the next of refs
	buf     []byte
	sp, rp  int // second pass: where the next string and record bytes go
	scratch [binary.MaxVarintLen64]byte
}

func (e *encoder) uvarint(v uint64) {
	if e.measure {
		e.recLen += uvarintLen(v)
		return
	}
	e.rp += binary.PutUvarint(e.buf[e.rp:], v)
}

func (e *encoder) varint(v int64) {
	if e.measure {
		e.recLen += binary.PutVarint(e.scratch[:], v)
		return
	}
	e.rp += binary.PutVarint(e.buf[e.rp:], v)
}

func (e *encoder) str(s string) {
	e.uvarint(uint64(len(s)))
	if e.measure {
		e.strLen += len(s)
		return
	}
	e.sp += copy(e.buf[e.sp:], s)
}

func (e *encoder) dstr(s string) {
	var ref uint32
	if e.measure {
		if i, ok := e.dict[s]; ok {
			ref = i
		} else {
			e.dict[s] = uint32(len(e.dict)) + 1
		}
		e.refs = append(e.refs, ref)
	} else {
		ref = e.refs[e.nref]
		e.nref++
	}
	e.uvarint(uint64(ref))
	if ref == 0 {
		e.str(s)
	}
}

func (e *encoder) byte(b byte) {
	if e.measure {
		e.recLen++
		return
	}
	e.buf[e.rp] = b
	e.rp++
}

func (e *encoder) bool(b bool) {
	if b {
		e.byte(1)
	} else {
		e.byte(0)
	}
}

func (e *encoder) sketch(sk *Sketch) {
	if e.measure {
		e.recLen += 4 * SketchSize
		return
	}
	for i, v := range sk {
		binary.LittleEndian.PutUint32(e.buf[e.rp+4*i:], v)
	}
	e.rp += 4 * SketchSize
}

func uvarintLen(v uint64) int { return (bits.Len64(v|1) + 6) / 7 }

// encodeState returns the stored form of s: the canonical encoding with
// its CRC.
func encodeState(s *State) []byte {
	preds := make([]*Predicate, 0, len(s.Predicates))
	for _, p := range s.Predicates {
		preds = append(preds, p)
	}
	slices.SortFunc(preds, func(a, b *Predicate) int { return strings.Compare(a.Name, b.Name) })
	srcs := make([]*Source, 0, len(s.Sources))
	for _, src := range s.Sources {
		srcs = append(srcs, src)
	}
	slices.SortFunc(srcs, func(a, b *Source) int {
		if a.Rev != b.Rev {
			return cmpRev(a.Rev, b.Rev)
		}
		return strings.Compare(string(a.ID), string(b.ID))
	})
	claims := claimsByRev(s)

	e := &encoder{measure: true, dict: make(map[string]uint32, 1024), refs: make([]uint32, 0, 5*len(claims)+4*len(srcs)+64)}
	e.state(s, preds, srcs, claims)
	e.measure, e.dict = false, nil
	e.buf = make([]byte, checkpointHeader+e.strLen+e.recLen)
	e.sp, e.rp = checkpointHeader, checkpointHeader+e.strLen
	e.state(s, preds, srcs, claims)
	if e.sp != checkpointHeader+e.strLen || e.rp != len(e.buf) || e.nref != len(e.refs) {
		panic("projections: checkpoint encoder passes disagree")
	}
	out := e.buf
	out[4] = codecVersion
	binary.LittleEndian.PutUint64(out[5:], uint64(e.strLen))
	binary.LittleEndian.PutUint32(out, crc32.Checksum(out[4:], castagnoli))
	return out
}

// state encodes (or measures) the state, its maps in the given orders.
func (e *encoder) state(s *State, preds []*Predicate, srcs []*Source, claims []*Claim) {
	e.uvarint(uint64(s.Rev))
	e.uvarint(uint64(len(preds)))
	for _, p := range preds {
		e.str(p.Name)
		e.dstr(string(p.Kind))
		e.bool(p.Many)
		e.uvarint(uint64(p.Rev))
	}
	e.uvarint(uint64(len(srcs)))
	for _, src := range srcs {
		e.str(string(src.ID))
		e.uvarint(uint64(src.Rev))
		e.str(src.Title)
		e.dstr(src.Publisher)
		e.dstr(src.Lang)
		e.str(src.Published)
		e.str(string(src.TranslationOf))
		e.dstr(src.Translator)
		e.uvarint(uint64(src.Reanchored))
		e.sketch(&src.Sketch)
	}
	e.uvarint(uint64(len(claims)))
	var prev events.Revision
	for _, c := range claims {
		e.uvarint(uint64(c.Rev - prev))
		prev = c.Rev
		e.str(string(c.ID))
		e.dstr(string(c.Source))
		e.dstr(c.Subject)
		e.dstr(c.Predicate)
		e.dstr(string(c.Value.Kind))
		e.str(c.Quote)
		v := &c.Value
		var flags uint64
		for i, set := range [...]bool{c.As != "", c.Note != "", c.Retracted, c.RetractReason != "", c.RejectedBy != "",
			c.RejectedAt != 0, v.Written != "", v.Date != "", v.Anchor != "", v.Relation != nil, v.Quantity != "",
			v.Entity != "", v.Text != ""} {
			if set {
				flags |= 1 << i
			}
		}
		e.uvarint(flags)
		if flags == 0 {
			continue
		}
		if flags&flagAs != 0 {
			e.dstr(c.As)
		}
		if flags&flagNote != 0 {
			e.str(c.Note)
		}
		if flags&flagRetractReason != 0 {
			e.str(c.RetractReason)
		}
		if flags&flagRejectedBy != 0 {
			e.str(string(c.RejectedBy))
		}
		if flags&flagRejectedAt != 0 {
			e.uvarint(uint64(c.RejectedAt))
		}
		if flags&flagWritten != 0 {
			e.str(v.Written)
		}
		if flags&flagDate != 0 {
			e.dstr(v.Date)
		}
		if flags&flagAnchor != 0 {
			e.str(v.Anchor)
		}
		if flags&flagRelation != 0 {
			e.dstr(string(v.Relation.Op))
			e.dstr(v.Relation.To.Subject)
			e.dstr(v.Relation.To.Predicate)
		}
		if flags&flagQuantity != 0 {
			e.str(v.Quantity)
		}
		if flags&flagEntity != 0 {
			e.dstr(v.Entity)
		}
		if flags&flagText != 0 {
			e.str(v.Text)
		}
	}
	e.uvarint(uint64(len(s.Aliases)))
	for i := range s.Aliases {
		a := &s.Aliases[i]
		e.str(a.Name)
		e.str(a.Entity)
		e.dstr(string(a.Kind))
		e.str(a.Note)
		e.str(string(a.Claim))
		e.uvarint(uint64(a.Rev))
		e.dstr(a.Author)
	}
	e.uvarint(uint64(len(s.Verdicts)))
	for i := range s.Verdicts {
		v := &s.Verdicts[i]
		e.str(v.Conflict)
		e.dstr(v.Kind)
		e.dstr(string(v.Decision))
		e.str(string(v.Claim))
		e.uvarint(uint64(len(v.Rejected)))
		for _, id := range v.Rejected {
			e.str(string(id))
		}
		e.uvarint(uint64(len(v.Claims)))
		for _, id := range v.Claims {
			e.str(string(id))
		}
		e.uvarint(uint64(len(v.Names)))
		for _, n := range v.Names {
			e.str(n)
		}
		e.str(v.Note)
		e.uvarint(uint64(v.Seen))
		e.uvarint(uint64(v.Rev))
		e.dstr(v.Author)
		if v.At.IsZero() {
			e.bool(false)
		} else {
			e.bool(true)
			e.varint(v.At.UnixNano())
		}
	}
}

func cmpRev(a, b events.Revision) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// claimsByRev returns the claims of s ordered by revision, then id. A
// state built by Apply has one claim per revision at most, so they are
// placed by revision without sorting; anything else is sorted.
func claimsByRev(s *State) []*Claim {
	out := make([]*Claim, 0, len(s.Claims))
	if uint64(s.Rev) <= 4*uint64(len(s.Claims))+1024 {
		byRev := make([]*Claim, s.Rev+1)
		ok := true
		for _, c := range s.Claims {
			if c.Rev > s.Rev || byRev[c.Rev] != nil {
				ok = false
				break
			}
			byRev[c.Rev] = c
		}
		if ok {
			for _, c := range byRev {
				if c != nil {
					out = append(out, c)
				}
			}
			return out
		}
	}
	for _, c := range s.Claims {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *Claim) int {
		if a.Rev != b.Rev {
			return cmpRev(a.Rev, b.Rev)
		}
		return strings.Compare(string(a.ID), string(b.ID))
	})
	return out
}

// decoder reads a checkpoint. Errors stick: after the first, every read
// returns zero values and err says what went wrong.
type decoder struct {
	rec  []byte
	strs string // the string section, not yet consumed
	dict []string
	err  error

	release  func() // see decodeState
	released int    // len(rec) at the last release
}

// maybeRelease calls release when a block of records was read since the
// last call.
func (d *decoder) maybeRelease() {
	if d.release != nil && d.released-len(d.rec) >= releaseBlock {
		d.release()
		d.released = len(d.rec)
	}
}

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("bad checkpoint: %s", what)
	}
	d.rec, d.strs = nil, ""
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.rec)
	if n <= 0 {
		d.fail("truncated record")
		return 0
	}
	d.rec = d.rec[n:]
	return v
}

// count reads a count of items that take at least min bytes each.
func (d *decoder) count(min int) int {
	n := d.uvarint()
	if n > uint64(len(d.rec)/min) {
		d.fail("count beyond the end")
		return 0
	}
	return int(n)
}

func (d *decoder) rev() events.Revision { return events.Revision(d.uvarint()) }

func (d *decoder) str() string {
	n := d.uvarint()
	if n > uint64(len(d.strs)) {
		d.fail("string beyond the end")
		return ""
	}
	s := d.strs[:n]
	d.strs = d.strs[n:]
	return s
}

func (d *decoder) dstr() string {
	s, _ := d.dstrRef()
	return s
}

// dstrRef is dstr, with the string's position in the dictionary (-1 on
// an error).
func (d *decoder) dstrRef() (string, int) {
	i := d.uvarint()
	if i == 0 {
		s := d.str()
		if d.err != nil {
			return "", -1
		}
		d.dict = append(d.dict, s)
		return s, len(d.dict) - 1
	}
	if i > uint64(len(d.dict)) {
		d.fail("dictionary reference beyond the dictionary")
		return "", -1
	}
	return d.dict[i-1], int(i - 1)
}

// parsedValues parses the dates and quantities of the claims of one
// checkpoint, each distinct one once: claims share their values. The
// dictionary of the checkpoint's strings numbers the dates; a map finds
// the quantities.
type parsedValues struct {
	dates      []*Claim // dictionary position → a claim with that date, parsed
	quantities map[string]*Claim
}

// parse sets the parsed value of c, a claim decoded from the checkpoint
// (zero but for what the checkpoint stores) whose date, if it has one, is
// at dictionary position ref.
func (pv *parsedValues) parse(c *Claim, ref int) {
	v := &c.Value
	switch {
	case v.Relation != nil:
	case v.Kind == events.KindDate && ref >= 0:
		if ref >= len(pv.dates) {
			pv.dates = append(pv.dates, make([]*Claim, ref+1-len(pv.dates)+len(pv.dates))...)
		}
		if o := pv.dates[ref]; o != nil {
			c.date, c.bad = o.date, o.bad
			return
		}
		pv.dates[ref] = c
	case v.Kind == events.KindQuantity:
		if o, ok := pv.quantities[v.Quantity]; ok {
			c.quantity, c.bad = o.quantity, o.bad // shared: a Quantity is never changed
			return
		}
		if pv.quantities == nil {
			pv.quantities = map[string]*Claim{}
		}
		pv.quantities[v.Quantity] = c
	}
	c.parseValue()
}

func (d *decoder) bool() bool {
	if len(d.rec) == 0 || d.rec[0] > 1 {
		d.fail("bad boolean")
		return false
	}
	b := d.rec[0] == 1
	d.rec = d.rec[1:]
	return b
}

// decodeState decodes a stored checkpoint after checking its CRC.
// release, if not nil, is called after every releaseBlock bytes or so of
// v read: v may be bbolt's mapping of the file, whose pages stay resident
// once read (see ReleaseMapped).
func decodeState(v []byte, release func()) (*State, error) {
	if err := checkSum(v, release); err != nil {
		return nil, err
	}
	if v[4] != codecVersion {
		return nil, fmt.Errorf("checkpoint codec version %d, want %d", v[4], codecVersion)
	}
	n := binary.LittleEndian.Uint64(v[5:])
	if n > uint64(len(v)-checkpointHeader) {
		return nil, fmt.Errorf("bad checkpoint: string section beyond the end")
	}
	// One string for all the strings, copied a block at a time.
	var sb strings.Builder
	sb.Grow(int(n))
	for b := v[checkpointHeader : checkpointHeader+n]; len(b) > 0; {
		k := min(len(b), releaseBlock)
		sb.Write(b[:k])
		if b = b[k:]; release != nil {
			release()
		}
	}
	d := &decoder{
		strs:     sb.String(),
		rec:      v[checkpointHeader+n:],
		dict:     make([]string, 0, 1024),
		release:  release,
		released: len(v) - checkpointHeader - int(n),
	}
	s := &State{Rev: d.rev()}

	np := d.count(3)
	s.Predicates = make(map[string]*Predicate, np)
	preds := make([]Predicate, np)
	for i := range preds {
		p := &preds[i]
		p.Name = d.str()
		p.Kind = events.ValueKind(d.dstr())
		p.Many = d.bool()
		p.Rev = d.rev()
		s.Predicates[p.Name] = p
	}

	ns := d.count(4*SketchSize + 8)
	s.Sources = make(map[events.SourceID]*Source, ns)
	srcs := make([]Source, ns)
	for i := range srcs {
		if i%1024 == 0 {
			d.maybeRelease()
		}
		src := &srcs[i]
		src.ID = events.SourceID(d.str())
		src.Rev = d.rev()
		src.Title = d.str()
		src.Publisher = d.dstr()
		src.Lang = d.dstr()
		src.Published = d.str()
		src.TranslationOf = events.SourceID(d.str())
		src.Translator = d.dstr()
		src.Reanchored = d.rev()
		if len(d.rec) < 4*SketchSize {
			d.fail("truncated sketch")
			break
		}
		for j := range src.Sketch {
			src.Sketch[j] = binary.LittleEndian.Uint32(d.rec[4*j:])
		}
		d.rec = d.rec[4*SketchSize:]
		s.Sources[src.ID] = src
	}

	nc := d.count(8)
	s.Claims = make(map[events.ClaimID]*Claim, nc)
	claims := make([]Claim, nc)
	var rev events.Revision
	var pv parsedValues
	for i := range claims {
		if i%4096 == 0 {
			d.maybeRelease()
		}
		c := &claims[i]
		rev += d.rev()
		c.Rev = rev
		c.ID = events.ClaimID(d.str())
		c.Source = events.SourceID(d.dstr())
		c.Subject = d.dstr()
		c.Predicate = d.dstr()
		c.Value.Kind = events.ValueKind(d.dstr())
		c.Quote = d.str()
		flags, dateRef := d.uvarint(), -1
		if flags >= flagLast {
			d.fail("unknown claim flags")
		}
		if flags != 0 {
			v := &c.Value
			if flags&flagAs != 0 {
				c.As = d.dstr()
			}
			if flags&flagNote != 0 {
				c.Note = d.str()
			}
			c.Retracted = flags&flagRetracted != 0
			if flags&flagRetractReason != 0 {
				c.RetractReason = d.str()
			}
			if flags&flagRejectedBy != 0 {
				c.RejectedBy = ConflictID(d.str())
			}
			if flags&flagRejectedAt != 0 {
				c.RejectedAt = d.rev()
			}
			if flags&flagWritten != 0 {
				v.Written = d.str()
			}
			if flags&flagDate != 0 {
				v.Date, dateRef = d.dstrRef()
			}
			if flags&flagAnchor != 0 {
				v.Anchor = d.str()
			}
			if flags&flagRelation != 0 {
				v.Relation = &events.Relation{Op: events.RelationOp(d.dstr())}
				v.Relation.To.Subject = d.dstr()
				v.Relation.To.Predicate = d.dstr()
			}
			if flags&flagQuantity != 0 {
				v.Quantity = d.str()
			}
			if flags&flagEntity != 0 {
				v.Entity = d.dstr()
			}
			if flags&flagText != 0 {
				v.Text = d.str()
			}
		}
		if d.err != nil {
			break
		}
		// The checkpoint keeps the value as written; it is parsed here,
		// once per load (and distinct value), as Apply parses it once per
		// event.
		pv.parse(c, dateRef)
		s.Claims[c.ID] = c
	}

	if na := d.count(7); na > 0 {
		s.Aliases = make([]Alias, na)
		for i := range s.Aliases {
			a := &s.Aliases[i]
			a.Name = d.str()
			a.Entity = d.str()
			a.Kind = events.AliasKind(d.dstr())
			a.Note = d.str()
			a.Claim = events.ClaimID(d.str())
			a.Rev = d.rev()
			a.Author = d.dstr()
		}
	}
	if nv := d.count(13); nv > 0 {
		s.Verdicts = make([]Verdict, nv)
		for i := range s.Verdicts {
			v := &s.Verdicts[i]
			v.Conflict = d.str()
			v.Kind = d.dstr()
			v.Decision = events.Decision(d.dstr())
			v.Claim = events.ClaimID(d.str())
			if n := d.count(1); n > 0 {
				v.Rejected = make([]events.ClaimID, n)
				for j := range v.Rejected {
					v.Rejected[j] = events.ClaimID(d.str())
				}
			}
			if n := d.count(1); n > 0 {
				v.Claims = make([]events.ClaimID, n)
				for j := range v.Claims {
					v.Claims[j] = events.ClaimID(d.str())
				}
			}
			if n := d.count(1); n > 0 {
				v.Names = make([]string, n)
				for j := range v.Names {
					v.Names[j] = d.str()
				}
			}
			v.Note = d.str()
			v.Seen = d.rev()
			v.Rev = d.rev()
			v.Author = d.dstr()
			if d.bool() {
				ns, n := binary.Varint(d.rec)
				if n <= 0 {
					d.fail("bad time")
					break
				}
				d.rec = d.rec[n:]
				v.At = time.Unix(0, ns).UTC()
			}
		}
	}
	switch {
	case d.err != nil:
		return nil, d.err
	case len(d.rec) != 0 || len(d.strs) != 0:
		return nil, fmt.Errorf("bad checkpoint: %d record and %d string bytes left over", len(d.rec), len(d.strs))
	}
	return s, nil
}
