package events

import (
	"encoding/hex"
	"math"
	"unicode/utf16"
	"unicode/utf8"
)

// The reading of payloads: claim.asserted payloads are nine events in ten
// of a log and most of the time of a replay when decoded with
// encoding/json, and source.archived payloads are what verification reads
// on their own.
//
// It reads only the form the log writes (encoding/json's compact output
// of the payload: fields in declaration order, omitempty fields
// left out when empty, no HTML escaping): strings of valid UTF-8 (escapes
// are unescaped as encoding/json does; the encoder never writes a
// surrogate escape), digests as "sha256:" and 64 hex digits, and plain
// integers. For those, encoding/json's result is fully determined.
// Anything else, even valid JSON (another field order, unknown fields,
// spaces, null, a surrogate escape), was not written by Append, and
// Event.Decode refuses it as a corrupt record. What it takes, it returns
// exactly as encoding/json would (TestDecodeWritten, TestFastClaimMatchesJSON,
// FuzzFastClaim and TestDecodeSourceDigest compare the two, encoding/json
// being the reference in tests only).

// The grammars below are the one reading of each payload type's written
// form, the pair of its appendJSON (jsonenc.go): Event.Decode (fastClaim,
// fastSource) and verification (DecodeClaimQuote, DecodeSourceDigest in
// verifydecode.go) read through them, so that what verification checks of
// a payload is what every other reader sees.

// decodeWritten decodes a payload of type t in the form the log writes;
// ok is false for anything else, and for a type it does not know.
func decodeWritten(t Type, b []byte) (_ Payload, ok bool) {
	// One string for all the payload's strings.
	r := jsonReader{s: string(b), ok: true}
	var p Payload
	switch t {
	case TypeClaimAsserted:
		c := new(ClaimAsserted)
		r.claim(c)
		p = c
	case TypeSourceArchived:
		src := new(SourceArchived)
		r.source(src)
		p = src
	case TypePredicateDefined:
		pd := new(PredicateDefined)
		r.predicate(pd)
		p = pd
	case TypeClaimRetracted:
		cr := new(ClaimRetracted)
		r.retraction(cr)
		p = cr
	case TypeAliasDeclared:
		al := new(AliasDeclared)
		r.alias(al)
		p = al
	case TypeVerdictRecorded:
		v := new(VerdictRecorded)
		r.verdict(v)
		p = v
	case TypeSourceEdited:
		ed := new(SourceEdited)
		r.sourceEdit(ed)
		p = ed
	default:
		return nil, false
	}
	if !r.end() {
		return nil, false
	}
	return p, true
}

// fastClaim decodes a claim.asserted payload in the form the log writes;
// ok is false for anything else.
func fastClaim(b []byte) (_ *ClaimAsserted, ok bool) {
	r := jsonReader{s: string(b), ok: true}
	p := new(ClaimAsserted)
	r.claim(p)
	if !r.end() {
		return nil, false
	}
	return p, true
}

// fastSource decodes a source.archived payload in the form the log
// writes; ok is false for anything else.
func fastSource(b []byte) (_ *SourceArchived, ok bool) {
	p, ok := decodeWritten(TypeSourceArchived, b)
	if !ok {
		return nil, false
	}
	return p.(*SourceArchived), true
}

// claim reads a ClaimAsserted in the form (*ClaimAsserted).appendJSON
// writes into p.
func (r *jsonReader) claim(p *ClaimAsserted) {
	r.lit(`{"id":`)
	p.ID = ClaimID(r.str())
	r.lit(`,"source":`)
	p.Source = SourceID(r.str())
	r.lit(`,"subject":`)
	p.Subject = r.str()
	if r.key(`,"as":`) {
		p.As = r.nonEmpty()
	}
	r.lit(`,"predicate":`)
	p.Predicate = r.str()
	r.lit(`,"value":{"kind":`)
	v := &p.Value
	v.Kind = ValueKind(r.str())
	if r.key(`,"written":`) {
		v.Written = r.nonEmpty()
	}
	if r.key(`,"date":`) {
		v.Date = r.nonEmpty()
	}
	if r.key(`,"anchor":`) {
		v.Anchor = r.nonEmpty()
	}
	if r.key(`,"rule":`) {
		v.Rule = r.nonEmpty()
	}
	if r.key(`,"relation":`) {
		v.Relation = new(Relation)
		r.lit(`{"op":`)
		v.Relation.Op = RelationOp(r.str())
		r.lit(`,"to":{"subject":`)
		v.Relation.To.Subject = r.str()
		r.lit(`,"predicate":`)
		v.Relation.To.Predicate = r.str()
		r.lit(`}}`)
	}
	if r.key(`,"quantity":`) {
		v.Quantity = r.nonEmpty()
	}
	if r.key(`,"entity":`) {
		v.Entity = r.nonEmpty()
	}
	if r.key(`,"text":`) {
		v.Text = r.nonEmpty()
	}
	r.lit(`},"quote":`)
	r.anchor(&p.Quote)
	if r.key(`,"note":`) {
		p.Note = r.nonEmpty()
	}
	r.lit(`}`)
}

// source reads a SourceArchived in the form (*SourceArchived).appendJSON
// writes into p.
func (r *jsonReader) source(p *SourceArchived) {
	r.lit(`{"id":`)
	p.ID = SourceID(r.str())
	r.lit(`,"digest":`)
	p.Digest = r.digest()
	r.lit(`,"size":`)
	p.Size = int64(r.int())
	r.lit(`,"media_type":`)
	p.MediaType = r.str()
	r.omitEmpty(`,"title":`, &p.Title)
	r.omitEmpty(`,"url":`, &p.URL)
	r.omitEmpty(`,"publisher":`, &p.Publisher)
	r.omitEmpty(`,"lang":`, &p.Lang)
	r.omitEmpty(`,"published":`, &p.Published)
	r.omitEmpty(`,"retrieved":`, &p.Retrieved)
	if r.key(`,"translation_of":`) {
		p.TranslationOf = SourceID(r.nonEmpty())
	}
	r.omitEmpty(`,"translator":`, &p.Translator)
	r.lit(`}`)
}

// predicate reads a PredicateDefined in the form
// (*PredicateDefined).appendJSON writes into p.
func (r *jsonReader) predicate(p *PredicateDefined) {
	r.lit(`{"name":`)
	p.Name = r.str()
	r.lit(`,"kind":`)
	p.Kind = ValueKind(r.str())
	if r.key(`,"many":`) {
		r.lit(`true`) // omitempty: false is left out
		p.Many = true
	}
	r.lit(`}`)
}

// retraction reads a ClaimRetracted in the form
// (*ClaimRetracted).appendJSON writes into p.
func (r *jsonReader) retraction(p *ClaimRetracted) {
	r.lit(`{"claim":`)
	p.Claim = ClaimID(r.str())
	r.lit(`,"reason":`)
	p.Reason = r.str()
	r.lit(`}`)
}

// alias reads an AliasDeclared in the form (*AliasDeclared).appendJSON
// writes into p.
func (r *jsonReader) alias(p *AliasDeclared) {
	r.lit(`{"name":`)
	p.Name = r.str()
	r.lit(`,"entity":`)
	p.Entity = r.str()
	r.lit(`,"kind":`)
	p.Kind = AliasKind(r.str())
	r.omitEmpty(`,"note":`, &p.Note)
	if r.key(`,"claim":`) {
		p.Claim = ClaimID(r.nonEmpty())
	}
	r.lit(`}`)
}

// verdict reads a VerdictRecorded in the form
// (*VerdictRecorded).appendJSON writes into p.
func (r *jsonReader) verdict(p *VerdictRecorded) {
	r.lit(`{"conflict":`)
	p.Conflict = r.str()
	r.lit(`,"kind":`)
	p.Kind = r.str()
	r.lit(`,"decision":`)
	p.Decision = Decision(r.str())
	if r.key(`,"claim":`) {
		p.Claim = ClaimID(r.nonEmpty())
	}
	if r.key(`,"rejected":`) {
		p.Rejected = readStrings[ClaimID](r)
	}
	if r.key(`,"claims":`) {
		p.Claims = readStrings[ClaimID](r)
	}
	if r.key(`,"names":`) {
		p.Names = readStrings[string](r)
	}
	r.omitEmpty(`,"note":`, &p.Note)
	r.lit(`,"seen":`)
	p.Seen = Revision(r.int())
	r.lit(`}`)
}

// sourceEdit reads a SourceEdited in the form (*SourceEdited).appendJSON
// writes into p.
func (r *jsonReader) sourceEdit(p *SourceEdited) {
	r.lit(`{"id":`)
	p.ID = SourceID(r.str())
	r.lit(`,"edit":`)
	p.Edit = r.int()
	r.omitEmpty(`,"title":`, &p.Title)
	r.omitEmpty(`,"url":`, &p.URL)
	r.omitEmpty(`,"publisher":`, &p.Publisher)
	r.omitEmpty(`,"lang":`, &p.Lang)
	r.omitEmpty(`,"published":`, &p.Published)
	r.omitEmpty(`,"retrieved":`, &p.Retrieved)
	if r.key(`,"translation_of":`) {
		p.TranslationOf = SourceID(r.nonEmpty())
	}
	r.omitEmpty(`,"translator":`, &p.Translator)
	if r.key(`,"cleared":`) {
		p.Cleared = readStrings[string](r)
	}
	r.omitEmpty(`,"note":`, &p.Note)
	r.lit(`}`)
}

// readStrings reads a list of strings that is not empty (omitempty leaves
// out an empty one).
func readStrings[S ~string](r *jsonReader) []S {
	r.lit(`[`)
	var out []S
	for r.ok {
		out = append(out, S(r.str()))
		if !r.key(`,`) {
			break
		}
	}
	r.lit(`]`)
	if !r.ok {
		return nil
	}
	return out
}

// omitEmpty reads the optional string field key into *s, when it comes
// next.
func (r *jsonReader) omitEmpty(key string, s *string) {
	if r.key(key) {
		*s = r.nonEmpty()
	}
}

// end reports whether everything read was in the form and nothing is left.
func (r *jsonReader) end() bool { return r.ok && r.i == len(r.s) }

// anchor reads an Anchor in the form the log writes.
func (r *jsonReader) anchor(a *Anchor) {
	r.lit(`{"digest":`)
	a.Digest = r.digest()
	r.lit(`,"normalization":`)
	a.Normalization = r.int()
	r.lit(`,"quote":{"exact":`)
	a.Quote.Exact = r.str()
	if r.key(`,"prefix":`) {
		a.Quote.Prefix = r.nonEmpty()
	}
	if r.key(`,"suffix":`) {
		a.Quote.Suffix = r.nonEmpty()
	}
	r.lit(`},"position":{"start":`)
	a.Position.Start = r.int()
	r.lit(`,"end":`)
	a.Position.End = r.int()
	r.lit(`},"occurrences":`)
	a.Occurrences = r.int()
	r.lit(`}`)
}

// jsonReader reads the expected tokens from s; ok turns false at the first
// unexpected byte, after which the reads return zero values.
type jsonReader struct {
	s  string
	i  int
	ok bool
}

func (r *jsonReader) lit(lit string) {
	if r.ok && len(r.s)-r.i >= len(lit) && r.s[r.i:r.i+len(lit)] == lit {
		r.i += len(lit)
		return
	}
	r.ok = false
}

// key reports whether the optional field key comes next, and skips it.
func (r *jsonReader) key(key string) bool {
	if r.ok && len(r.s)-r.i >= len(key) && r.s[r.i:r.i+len(key)] == key {
		r.i += len(key)
		return true
	}
	return false
}

// str reads a string of valid UTF-8 without control characters. A string
// with escapes is unescaped as encoding/json does (but for \u escapes of
// surrogates, which are left to it); any other is a substring of s.
func (r *jsonReader) str() string {
	if !r.ok || r.i >= len(r.s) || r.s[r.i] != '"' {
		r.ok = false
		return ""
	}
	start := r.i + 1
	ascii := true
	for j := start; j < len(r.s); j++ {
		c := r.s[j]
		if c == '"' {
			v := r.s[start:j]
			if !ascii && !utf8.ValidString(v) {
				break
			}
			r.i = j + 1
			return v
		}
		if c == '\\' {
			return r.unescape(start, j)
		}
		if c < 0x20 {
			break
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	r.ok = false
	return ""
}

// unescape reads the rest of a string that starts at start and has its
// first escape at j.
func (r *jsonReader) unescape(start, j int) string {
	buf := make([]byte, 0, 2*(j-start)+16)
	buf = append(buf, r.s[start:j]...)
	for j < len(r.s) {
		c := r.s[j]
		switch {
		case c == '"':
			// The escapes add valid UTF-8 that starts with no
			// continuation byte, so buf is valid exactly when the
			// unescaped parts are.
			if !utf8.Valid(buf) {
				r.ok = false
				return ""
			}
			r.i = j + 1
			return string(buf)
		case c < 0x20:
			r.ok = false
			return ""
		case c != '\\':
			buf = append(buf, c)
			j++
			continue
		}
		if j+1 >= len(r.s) {
			break
		}
		switch e := r.s[j+1]; e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			if j+6 > len(r.s) {
				r.ok = false
				return ""
			}
			var v rune
			for _, h := range []byte(r.s[j+2 : j+6]) {
				switch {
				case '0' <= h && h <= '9':
					h -= '0'
				case 'a' <= h && h <= 'f':
					h -= 'a' - 10
				case 'A' <= h && h <= 'F':
					h -= 'A' - 10
				default:
					r.ok = false
					return ""
				}
				v = v<<4 | rune(h)
			}
			if utf16.IsSurrogate(v) {
				r.ok = false
				return ""
			}
			buf = utf8.AppendRune(buf, v)
			j += 6
			continue
		default:
			r.ok = false
			return ""
		}
		j += 2
	}
	r.ok = false
	return ""
}

// nonEmpty reads a string that is not empty: encoding/json leaves out an
// empty omitempty field, so an empty one is not the log's form.
func (r *jsonReader) nonEmpty() string {
	v := r.str()
	if v == "" {
		r.ok = false
	}
	return v
}

// int reads an integer without sign, fraction or exponent, of at most 18
// digits, that fits an int (on a 32-bit platform, encoding/json refuses a
// larger one).
func (r *jsonReader) int() int {
	if !r.ok {
		return 0
	}
	j, n := r.i, int64(0)
	for ; j < len(r.s) && j-r.i < 19 && '0' <= r.s[j] && r.s[j] <= '9'; j++ {
		n = n*10 + int64(r.s[j]-'0')
	}
	switch {
	case j == r.i, j-r.i > 18, j-r.i > 1 && r.s[r.i] == '0', n > math.MaxInt:
		r.ok = false
		return 0
	case j < len(r.s) && (r.s[j] == '.' || r.s[j] == 'e' || r.s[j] == 'E'):
		r.ok = false
		return 0
	}
	r.i = j
	return int(n)
}

// digest reads "sha256:" and 64 hex digits.
func (r *jsonReader) digest() Digest {
	var d Digest
	const prefix = `"sha256:`
	if !r.ok || len(r.s)-r.i < len(prefix)+64+1 || r.s[r.i:r.i+len(prefix)] != prefix || r.s[r.i+len(prefix)+64] != '"' {
		r.ok = false
		return d
	}
	if _, err := hex.Decode(d[:], []byte(r.s[r.i+len(prefix):r.i+len(prefix)+64])); err != nil {
		r.ok = false
		return d
	}
	r.i += len(prefix) + 64 + 1
	return d
}
