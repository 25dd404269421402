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

// Decode unmarshals the payload of e into the payload type of its Type.
// A payload in the form the log writes (every payload this program
// appends) is read by the grammar of its type (jsondec.go), the pair of
// its encoder; anything else, such as JSON written by hand in another
// field order or with spaces, by encoding/json, with the same result for
// every input (the tests hold the two to each other).
func (e Event) Decode() (Payload, error) {
	if p, ok := decodeWritten(e.Type, e.Payload); ok {
		return p, nil
	}
	return e.decodeJSON()
}

// decodeJSON is Decode with encoding/json alone.
func (e Event) decodeJSON() (Payload, error) {
	var p Payload
	switch e.Type {
	case TypeSourceArchived:
		p = new(SourceArchived)
	case TypePredicateDefined:
		p = new(PredicateDefined)
	case TypeClaimAsserted:
		p = new(ClaimAsserted)
	case TypeClaimRetracted:
		p = new(ClaimRetracted)
	case TypeAliasDeclared:
		p = new(AliasDeclared)
	case TypeVerdictRecorded:
		p = new(VerdictRecorded)
	case TypeSourceEdited:
		p = new(SourceEdited)
	default:
		return nil, fmt.Errorf("events: revision %d: unknown event type %q", e.Revision, e.Type)
	}
	if err := json.Unmarshal(e.Payload, p); err != nil {
		return nil, fmt.Errorf("events: revision %d: decode %s payload: %w", e.Revision, e.Type, err)
	}
	return p, nil
}
