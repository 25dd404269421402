package events

import (
	"encoding/hex"
	"strconv"
	"unicode/utf8"
)

// A hand-written JSON encoder for the payload types, for the append path.
//
// It produces byte for byte what marshalPayload's encoding/json produces
// (compact, fields in declaration order, omitempty as tagged, no HTML
// escaping, invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped), without
// reflection or allocation. The payload bytes are hashed into the chain, so
// any difference would be a format change: TestPayloadJSONMatchesEncodingJSON
// and FuzzPayloadJSON compare the two on every field of every payload type,
// and fail when a field is added here or there but not in both.

// appendPayloadJSON appends the JSON encoding of p to b. ok is false for a
// payload type it does not know (and for nil pointers); the caller then uses
// encoding/json.
func appendPayloadJSON(b []byte, p Payload) (_ []byte, ok bool) {
	switch p := p.(type) {
	case *ClaimAsserted:
		if p == nil {
			return b, false
		}
		return p.appendJSON(b), true
	case *SourceArchived:
		if p == nil {
			return b, false
		}
		return p.appendJSON(b), true
	case *PredicateDefined:
		if p == nil {
			return b, false
		}
		return p.appendJSON(b), true
	case *ClaimRetracted:
		if p == nil {
			return b, false
		}
		return p.appendJSON(b), true
	case *AliasDeclared:
		if p == nil {
			return b, false
		}
		return p.appendJSON(b), true
	case *VerdictRecorded:
		if p == nil {
			return b, false
		}
		return p.appendJSON(b), true
	case *SourceEdited:
		if p == nil {
			return b, false
		}
		return p.appendJSON(b), true
	}
	return b, false
}

func (p *SourceArchived) appendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, string(p.ID))
	b = append(b, `,"digest":`...)
	b = appendJSONDigest(b, p.Digest)
	b = append(b, `,"size":`...)
	b = strconv.AppendInt(b, p.Size, 10)
	b = append(b, `,"media_type":`...)
	b = appendJSONString(b, p.MediaType)
	b = appendOmitEmpty(b, `,"title":`, p.Title)
	b = appendOmitEmpty(b, `,"url":`, p.URL)
	b = appendOmitEmpty(b, `,"publisher":`, p.Publisher)
	b = appendOmitEmpty(b, `,"lang":`, p.Lang)
	b = appendOmitEmpty(b, `,"published":`, p.Published)
	b = appendOmitEmpty(b, `,"retrieved":`, p.Retrieved)
	b = appendOmitEmpty(b, `,"translation_of":`, string(p.TranslationOf))
	b = appendOmitEmpty(b, `,"translator":`, p.Translator)
	return append(b, '}')
}

func (p *PredicateDefined) appendJSON(b []byte) []byte {
	b = append(b, `{"name":`...)
	b = appendJSONString(b, p.Name)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, string(p.Kind))
	if p.Many {
		b = append(b, `,"many":true`...)
	}
	return append(b, '}')
}

func (p *ClaimAsserted) appendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, string(p.ID))
	b = append(b, `,"source":`...)
	b = appendJSONString(b, string(p.Source))
	b = append(b, `,"subject":`...)
	b = appendJSONString(b, p.Subject)
	b = appendOmitEmpty(b, `,"as":`, p.As)
	b = append(b, `,"predicate":`...)
	b = appendJSONString(b, p.Predicate)
	b = append(b, `,"value":`...)
	b = p.Value.appendJSON(b)
	b = append(b, `,"quote":`...)
	b = p.Quote.appendJSON(b)
	b = appendOmitEmpty(b, `,"note":`, p.Note)
	return append(b, '}')
}

func (v *Value) appendJSON(b []byte) []byte {
	b = append(b, `{"kind":`...)
	b = appendJSONString(b, string(v.Kind))
	b = appendOmitEmpty(b, `,"written":`, v.Written)
	b = appendOmitEmpty(b, `,"date":`, v.Date)
	b = appendOmitEmpty(b, `,"anchor":`, v.Anchor)
	b = appendOmitEmpty(b, `,"rule":`, v.Rule)
	if r := v.Relation; r != nil {
		b = append(b, `,"relation":{"op":`...)
		b = appendJSONString(b, string(r.Op))
		b = append(b, `,"to":{"subject":`...)
		b = appendJSONString(b, r.To.Subject)
		b = append(b, `,"predicate":`...)
		b = appendJSONString(b, r.To.Predicate)
		b = append(b, `}}`...)
	}
	b = appendOmitEmpty(b, `,"quantity":`, v.Quantity)
	b = appendOmitEmpty(b, `,"entity":`, v.Entity)
	b = appendOmitEmpty(b, `,"text":`, v.Text)
	return append(b, '}')
}

func (a *Anchor) appendJSON(b []byte) []byte {
	b = append(b, `{"digest":`...)
	b = appendJSONDigest(b, a.Digest)
	b = append(b, `,"normalization":`...)
	b = strconv.AppendInt(b, int64(a.Normalization), 10)
	b = append(b, `,"quote":{"exact":`...)
	b = appendJSONString(b, a.Quote.Exact)
	b = appendOmitEmpty(b, `,"prefix":`, a.Quote.Prefix)
	b = appendOmitEmpty(b, `,"suffix":`, a.Quote.Suffix)
	b = append(b, `},"position":{"start":`...)
	b = strconv.AppendInt(b, int64(a.Position.Start), 10)
	b = append(b, `,"end":`...)
	b = strconv.AppendInt(b, int64(a.Position.End), 10)
	b = append(b, `},"occurrences":`...)
	b = strconv.AppendInt(b, int64(a.Occurrences), 10)
	return append(b, '}')
}

func (p *ClaimRetracted) appendJSON(b []byte) []byte {
	b = append(b, `{"claim":`...)
	b = appendJSONString(b, string(p.Claim))
	b = append(b, `,"reason":`...)
	b = appendJSONString(b, p.Reason)
	return append(b, '}')
}

func (p *AliasDeclared) appendJSON(b []byte) []byte {
	b = append(b, `{"name":`...)
	b = appendJSONString(b, p.Name)
	b = append(b, `,"entity":`...)
	b = appendJSONString(b, p.Entity)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, string(p.Kind))
	b = appendOmitEmpty(b, `,"note":`, p.Note)
	b = appendOmitEmpty(b, `,"claim":`, string(p.Claim))
	return append(b, '}')
}

func (p *VerdictRecorded) appendJSON(b []byte) []byte {
	b = append(b, `{"conflict":`...)
	b = appendJSONString(b, p.Conflict)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, p.Kind)
	b = append(b, `,"decision":`...)
	b = appendJSONString(b, string(p.Decision))
	b = appendOmitEmpty(b, `,"claim":`, string(p.Claim))
	if len(p.Rejected) > 0 {
		b = append(b, `,"rejected":`...)
		b = appendJSONStrings(b, p.Rejected)
	}
	if len(p.Claims) > 0 {
		b = append(b, `,"claims":`...)
		b = appendJSONStrings(b, p.Claims)
	}
	if len(p.Names) > 0 {
		b = append(b, `,"names":`...)
		b = appendJSONStrings(b, p.Names)
	}
	b = appendOmitEmpty(b, `,"note":`, p.Note)
	b = append(b, `,"seen":`...)
	b = strconv.AppendUint(b, uint64(p.Seen), 10)
	return append(b, '}')
}

func (p *SourceEdited) appendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, string(p.ID))
	b = append(b, `,"edit":`...)
	b = strconv.AppendInt(b, int64(p.Edit), 10)
	b = appendOmitEmpty(b, `,"title":`, p.Title)
	b = appendOmitEmpty(b, `,"url":`, p.URL)
	b = appendOmitEmpty(b, `,"publisher":`, p.Publisher)
	b = appendOmitEmpty(b, `,"lang":`, p.Lang)
	b = appendOmitEmpty(b, `,"published":`, p.Published)
	b = appendOmitEmpty(b, `,"retrieved":`, p.Retrieved)
	b = appendOmitEmpty(b, `,"translation_of":`, string(p.TranslationOf))
	b = appendOmitEmpty(b, `,"translator":`, p.Translator)
	if len(p.Cleared) > 0 {
		b = append(b, `,"cleared":`...)
		b = appendJSONStrings(b, p.Cleared)
	}
	b = appendOmitEmpty(b, `,"note":`, p.Note)
	return append(b, '}')
}

// appendOmitEmpty appends name (`,"field":`) and s, unless s is empty.
func appendOmitEmpty(b []byte, name, s string) []byte {
	if s == "" {
		return b
	}
	b = append(b, name...)
	return appendJSONString(b, s)
}

func appendJSONStrings[S ~string](b []byte, list []S) []byte {
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, string(s))
	}
	return append(b, ']')
}

// appendJSONDigest appends a Digest as encoding/json writes it (through its
// MarshalText): "sha256:" and 64 lower-case hex digits, quoted.
func appendJSONDigest(b []byte, d Digest) []byte {
	b = append(b, `"sha256:`...)
	b = hex.AppendEncode(b, d[:])
	return append(b, '"')
}

// appendJSONString appends s as a JSON string exactly as encoding/json does
// with HTML escaping off: '"' and '\\' backslash-escaped; \b, \f, \n, \r and
// \t as such; other bytes below 0x20 as \u00XX; each byte of invalid UTF-8
// as \ufffd; U+2028 and U+2029 as \u2028 and \u2029; everything else as is.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) && plainJSON8(s[i:i+8]) {
			i += 8
			continue
		}
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// plainJSON8 reports whether the 8 bytes of s are all ASCII that a JSON
// string holds as is: none is below 0x20, '"', '\\' or above 0x7F.
func plainJSON8(s string) bool {
	_ = s[7]
	x := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	// (v - ones) & ^v & highs is not zero exactly when a byte of v is
	// zero, and (v - n*ones) & ^v & highs exactly when a byte is below n
	// (n <= 0x80).
	below := (x - 0x20*ones) & ^x
	quote := x ^ '"'*ones
	quote = (quote - ones) & ^quote
	bslash := x ^ '\\'*ones
	bslash = (bslash - ones) & ^bslash
	return (below|quote|bslash|x)&highs == 0
}
