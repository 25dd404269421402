package archive

import (
	"fmt"
	"strings"

	"github.com/sillok/sillok/projections"
)

// MinConflictPrefix is the fewest hex digits of a conflict id that name
// it: a shorter prefix is refused even when it is unique today, since a
// later conflict could share it.
const MinConflictPrefix = 4

// ConflictIDProblem says why a conflict id names no one conflict.
type ConflictIDProblem int

// The problems of a conflict id.
const (
	IDEmpty     ConflictIDProblem = iota + 1 // no id given
	IDNotHex                                 // not hex digits
	IDTooShort                               // fewer than MinConflictPrefix digits
	IDNoMatch                                // no conflict has it (NotFound)
	IDAmbiguous                              // a prefix of several conflicts
)

// ConflictIDError reports a conflict id, or id prefix, that names no one
// conflict. Its code is NotFound for IDNoMatch, else Invalid.
type ConflictIDError struct {
	ID      string
	Problem ConflictIDProblem
	// Rev is the revision the conflicts were looked up at.
	Rev Revision
	// Matches are the conflicts an ambiguous prefix matches.
	Matches []*projections.Conflict
}

func (e *ConflictIDError) Error() string {
	switch e.Problem {
	case IDEmpty:
		return fmt.Sprintf("no conflict id given: give at least %d hex digits of one", MinConflictPrefix)
	case IDNotHex:
		return fmt.Sprintf("%q is not a conflict id: conflict ids are hex digits (0-9, a-f), like abf91dbbdf", e.ID)
	case IDTooShort:
		return fmt.Sprintf("conflict id %q is too short: give at least %d of its hex digits", e.ID, MinConflictPrefix)
	case IDNoMatch:
		return fmt.Sprintf("no conflict %q at revision %d", e.ID, e.Rev)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "conflict id %s matches %d conflicts; give more digits:", strings.ToLower(strings.TrimSpace(e.ID)), len(e.Matches))
	for _, cf := range e.Matches {
		fmt.Fprintf(&b, "\n  %s  %s  %s", cf.ID, cf.Kind, cf.Summary)
	}
	return b.String()
}

// Unwrap makes an id that no conflict has projections.ErrUnknownConflict.
func (e *ConflictIDError) Unwrap() error {
	if e.Problem == IDNoMatch {
		return projections.ErrUnknownConflict
	}
	return nil
}

// findConflict returns the conflict of r's analysis whose id is id or
// starts with it. A prefix shorter than MinConflictPrefix, or one that is
// not hex, is refused: the error is a coded *ConflictIDError.
func (r *reader) findConflict(id string) (*projections.Conflict, error) {
	return findConflict(r.analyze(), id)
}

// findConflict is (*reader).findConflict on an analysis.
func findConflict(an *projections.Analysis, id string) (*projections.Conflict, error) {
	fail := func(p ConflictIDProblem, matches []*projections.Conflict) error {
		code := Invalid
		if p == IDNoMatch {
			code = NotFound
		}
		return &Error{Code: code, Err: &ConflictIDError{ID: id, Problem: p, Rev: an.Rev, Matches: matches}}
	}
	want := strings.ToLower(strings.TrimSpace(id))
	if want == "" {
		return nil, fail(IDEmpty, nil)
	}
	if strings.Trim(want, "0123456789abcdef") != "" {
		return nil, fail(IDNotHex, nil)
	}
	var matches []*projections.Conflict
	for _, cf := range an.Conflicts {
		if string(cf.ID) == want {
			return cf, nil
		}
		if strings.HasPrefix(string(cf.ID), want) {
			matches = append(matches, cf)
		}
	}
	if len(want) < MinConflictPrefix {
		return nil, fail(IDTooShort, nil)
	}
	switch len(matches) {
	case 0:
		return nil, fail(IDNoMatch, nil)
	case 1:
		return matches[0], nil
	}
	return nil, fail(IDAmbiguous, matches)
}
