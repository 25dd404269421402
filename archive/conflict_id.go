package archive

import (
	"bytes"
	"fmt"
	"sort"
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

// findConflict returns the conflict at r's revision whose id is id or
// starts with it. A prefix shorter than MinConflictPrefix, or one that is
// not hex, is refused: the error is a coded *ConflictIDError.
func (r *reader) findConflict(id string) (*projections.Conflict, error) {
	if m := r.model; m != nil && r.at == r.head {
		return matchConflict(m.Rev(), id, func(want string) (*projections.Conflict, []*projections.Conflict, error) {
			exact, err := m.Conflict(projections.ConflictID(want))
			if exact != nil || err != nil {
				return exact, nil, err
			}
			if len(want) < MinConflictPrefix {
				return nil, nil, nil
			}
			matches, err := m.ConflictsWithPrefix(want, 0)
			if err != nil {
				return nil, nil, err
			}
			// In the queue's order, as the analysis lists them.
			sort.SliceStable(matches, func(i, j int) bool {
				x, y := matches[i], matches[j]
				return bytes.Compare(projections.QueueKey(x.Kind, x.Subject, x.Predicate, x.Root, x.ID),
					projections.QueueKey(y.Kind, y.Subject, y.Predicate, y.Root, y.ID)) < 0
			})
			return nil, matches, nil
		})
	}
	an, err := r.analyze()
	if err != nil {
		return nil, err
	}
	return findConflict(an, id)
}

// findConflict is (*reader).findConflict on an analysis.
func findConflict(an *projections.Analysis, id string) (*projections.Conflict, error) {
	return matchConflict(an.Rev, id, func(want string) (*projections.Conflict, []*projections.Conflict, error) {
		var matches []*projections.Conflict
		for _, cf := range an.Conflicts {
			if string(cf.ID) == want {
				return cf, nil, nil
			}
			if strings.HasPrefix(string(cf.ID), want) {
				matches = append(matches, cf)
			}
		}
		return nil, matches, nil
	})
}

// matchConflict applies the rules of findConflict to what lookup finds
// for the id as folded: the conflict of that exact id, or those it
// prefixes, in the queue's order.
func matchConflict(rev Revision, id string, lookup func(want string) (*projections.Conflict, []*projections.Conflict, error)) (*projections.Conflict, error) {
	fail := func(p ConflictIDProblem, matches []*projections.Conflict) error {
		code := Invalid
		if p == IDNoMatch {
			code = NotFound
		}
		return &Error{Code: code, Err: &ConflictIDError{ID: id, Problem: p, Rev: rev, Matches: matches}}
	}
	want := strings.ToLower(strings.TrimSpace(id))
	if want == "" {
		return nil, fail(IDEmpty, nil)
	}
	if strings.Trim(want, "0123456789abcdef") != "" {
		return nil, fail(IDNotHex, nil)
	}
	exact, matches, err := lookup(want)
	if exact != nil || err != nil {
		return exact, err
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
