package events

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// marshalPayload encodes a payload as compact JSON without HTML escaping.
// encoding/json writes struct fields in declaration order, so the encoding
// of a payload value is deterministic.
func marshalPayload(p Payload) (json.RawMessage, error) {
	if b, ok := appendPayloadJSON(nil, p); ok {
		return b, nil
	}
	return marshalPayloadReflect(p)
}

// marshalPayloadReflect is marshalPayload with encoding/json, the reference
// the hand-written encoder (appendPayloadJSON) must match byte for byte.
func marshalPayloadReflect(p Payload) (json.RawMessage, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return nil, fmt.Errorf("events: encode %s: %w", p.EventType(), err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
