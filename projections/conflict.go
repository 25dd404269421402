package projections

import (
	"fmt"
	"strings"
)

// ConflictID identifies a conflict: a short stable hash (ten hex digits)
// of what the conflict concerns, so that the same contradiction has the
// same id at every revision. Front ends that take an id from a user may
// take a unique prefix of it (Analysis.Conflict).
type ConflictID string

// String returns the id as written.
func (id ConflictID) String() string { return string(id) }

// ConflictKind is the check that found a conflict.
type ConflictKind string

// The conflict kinds, in the order the conflict list shows them.
const (
	// KindValue: claims give values of one fact that cannot both be true.
	KindValue ConflictKind = "value"
	// KindTemporal: a relation between two facts ("after the summit")
	// contradicts their dates.
	KindTemporal ConflictKind = "temporal"
	// KindName: two names look like one.
	KindName ConflictKind = "name"
)

// ConflictKinds lists the conflict kinds in the order the conflict list
// shows them.
var ConflictKinds = []ConflictKind{KindValue, KindTemporal, KindName}

// ParseConflictKind returns the kind named s (value, temporal or name).
func ParseConflictKind(s string) (ConflictKind, error) {
	for _, k := range ConflictKinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("conflict kind %q is not one of %s", s, joinNames(ConflictKinds))
}

// String returns the kind as written.
func (k ConflictKind) String() string { return string(k) }

// order is the kind's place in the conflict list.
func (k ConflictKind) order() int {
	switch k {
	case KindValue:
		return 0
	case KindTemporal:
		return 1
	}
	return 2
}

// ConflictStatus says whether a conflict awaits a verdict.
type ConflictStatus string

// The conflict statuses.
const (
	// ConflictOpen: no verdict, or one that claims arriving after it,
	// or claims it left standing, call into question.
	ConflictOpen ConflictStatus = "open"
	// ConflictResolved: a verdict settles it.
	ConflictResolved ConflictStatus = "resolved"
)

// ConflictStatuses lists the conflict statuses.
var ConflictStatuses = []ConflictStatus{ConflictOpen, ConflictResolved}

// ParseConflictStatus returns the status named s (open or resolved).
func ParseConflictStatus(s string) (ConflictStatus, error) {
	for _, st := range ConflictStatuses {
		if string(st) == s {
			return st, nil
		}
	}
	return "", fmt.Errorf("conflict status %q is not one of %s", s, joinNames(ConflictStatuses))
}

// String returns the status as written.
func (s ConflictStatus) String() string { return string(s) }

// FactStatus is how a fact of the reconciled view stands.
type FactStatus string

// The fact statuses.
const (
	// StatusSingleSource: the fact's claims come from one independent
	// source (or its translations and copies).
	StatusSingleSource FactStatus = "single-source"
	// StatusAgreed: independent sources agree.
	StatusAgreed FactStatus = "agreed"
	// StatusConflict: the fact's claims are in an open conflict.
	StatusConflict FactStatus = "conflict"
	// StatusResolved: a verdict settled the fact's conflict.
	StatusResolved FactStatus = "resolved"
)

// FactStatuses lists the fact statuses.
var FactStatuses = []FactStatus{StatusSingleSource, StatusAgreed, StatusConflict, StatusResolved}

// ParseFactStatus returns the fact status named s.
func ParseFactStatus(s string) (FactStatus, error) {
	for _, st := range FactStatuses {
		if string(st) == s {
			return st, nil
		}
	}
	return "", fmt.Errorf("fact status %q is not one of %s", s, joinNames(FactStatuses))
}

// String returns the status as written.
func (s FactStatus) String() string { return string(s) }

// ClaimRole is the part a claim plays in a temporal conflict.
type ClaimRole string

// The claim roles of a temporal conflict; the claims of other conflicts
// have none ("").
const (
	RoleRelation ClaimRole = "relation"
	RoleDate     ClaimRole = "date"
)

func joinNames[S ~string](list []S) string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = string(s)
	}
	return strings.Join(out[:len(out)-1], ", ") + " or " + out[len(out)-1]
}
