package events

import (
	"encoding/json"
	"fmt"
	"time"
)

// Revision is an event's position in the log: 1-based, gap-free, global.
// Revision 0 is the empty archive.
type Revision uint64

// Type names the kind of fact an event records.
type Type string

// The event types. The strings are stored in the log and must never change.
const (
	TypeSourceArchived   Type = "source.archived"
	TypePredicateDefined Type = "predicate.defined"
	TypeClaimAsserted    Type = "claim.asserted"
	TypeClaimRetracted   Type = "claim.retracted"
	TypeAliasDeclared    Type = "alias.declared"
	TypeVerdictRecorded  Type = "verdict.recorded"
	TypeSourceEdited     Type = "source.edited"
)

// Known reports whether t is one of the event types this program knows.
func (t Type) Known() bool {
	switch t {
	case TypeSourceArchived, TypePredicateDefined, TypeClaimAsserted,
		TypeClaimRetracted, TypeAliasDeclared, TypeVerdictRecorded,
		TypeSourceEdited:
		return true
	}
	return false
}

// Event is one entry of the log: the envelope and its JSON payload.
type Event struct {
	Revision   Revision        `json:"revision"`
	Type       Type            `json:"type"`
	RecordedAt time.Time       `json:"recorded_at"`
	Author     string          `json:"author"`
	Payload    json.RawMessage `json:"payload"`
	Prev       Digest          `json:"prev"`
	Hash       Digest          `json:"hash"`
}

// Payload is implemented by every event payload type.
type Payload interface {
	// EventType is the type of the event that carries the payload.
	EventType() Type
	// Validate reports a payload that must never be appended.
	Validate() error
}

// Decode unmarshals the payload of e into the payload type of its Type,
// with the grammar of that type (jsondec.go), the pair of its encoder
// (jsonenc.go). Every payload in a log was written by that encoder (held
// byte for byte to encoding/json since the first version), and the hash
// chain covers the stored bytes, so a payload in any other form, even
// valid JSON, is a forged or foreign record: Decode refuses it with an
// error that wraps ErrCorruptRecord and names the revision.
func (e Event) Decode() (Payload, error) {
	if p, ok := decodeWritten(e.Type, e.Payload); ok {
		return p, nil
	}
	if !e.Type.Known() {
		return nil, fmt.Errorf("events: revision %d: unknown event type %q", e.Revision, e.Type)
	}
	return nil, fmt.Errorf("%w: revision %d: the %s payload is not in the form the log writes", ErrCorruptRecord, e.Revision, e.Type)
}
