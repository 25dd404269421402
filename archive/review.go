package archive

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
)

// ReviewRequest is a reviewer's verdict on a conflict.
type ReviewRequest struct {
	// Conflict is the conflict's id, or a unique prefix of at least
	// MinConflictPrefix hex digits.
	Conflict string
	// Decision is the verdict; Claim is the claim accepted or rejected
	// (events.DecisionAccept, events.DecisionReject).
	Decision events.Decision
	Claim    events.ClaimID
	Note     string
	// Override replaces the verdict of a conflict that is resolved and
	// that no claim has joined since; without it such a review is
	// refused (Conflict, wrapping projections.ErrAlreadyResolved).
	Override bool
	// Seen is the revision the reviewer looked at: if the conflict
	// changed after it (a claim joined or left it, a verdict was
	// recorded on it, it arose) the review is refused with a Conflict
	// error that says what changed. 0 does not check (revision 0,
	// the empty archive, has no conflict to have seen).
	Seen Revision
}

// Reviewed is the outcome of Review.
type Reviewed struct {
	// Conflict is the conflict as the reviewer judged it, before the
	// verdict.
	Conflict *projections.Conflict
	// Verdict is what was recorded: with the claims it rejects.
	Verdict *events.VerdictRecorded
	// Event is the verdict's event; its Revision is the new head.
	Event events.Event
	// Also are the verdicts recorded with it on the other combinations of
	// a root cause, when Review was given a root id.
	Also []Reviewed
}

// VerdictError is a verdict refused for the conflict it was given on (a
// verdict that does not fit the conflict's kind, a claim not in it, a
// conflict already resolved). Its message names the conflict.
type VerdictError struct {
	Conflict *projections.Conflict
	Decision events.Decision
	Err      error
}

func (e *VerdictError) Error() string { return fmt.Sprintf("conflict %s: %v", e.Conflict.ID, e.Err) }
func (e *VerdictError) Unwrap() error { return e.Err }

// Review records a verdict on a conflict: in one write transaction it
// finds the conflict at the head, checks that it has not changed since
// req.Seen, builds the verdict (an accept rejects the claims that cannot
// be true with the accepted one) and appends it.
func (a *Archive) Review(author string, req ReviewRequest) (Reviewed, error) {
	if err := checkAuthor(author); err != nil {
		return Reviewed{}, err
	}
	if err := events.ValidNote("note", req.Note); err != nil {
		return Reviewed{}, &Error{Code: Invalid, Err: err}
	}
	var out Reviewed
	err := a.update(func(tx *events.Tx) error {
		head, _ := tx.Head()
		// The full analysis, made only when the read model cannot answer.
		var an *projections.Analysis
		analysis := func() (*projections.Analysis, error) {
			if an == nil {
				st, _, err := a.store.Head(tx)
				if err != nil {
					return nil, err
				}
				an = projections.Analyze(st)
			}
			return an, nil
		}
		// From the read model when it answers: the conflict's record and
		// its claims, not an analysis of the whole state.
		var v *events.VerdictRecorded
		var cf *projections.Conflict
		if md, ok := a.store.OpenModel(tx, head); ok {
			r := &reader{tx: tx, store: a.store, model: md, at: head, head: head}
			var group []*projections.Conflict
			var err error
			if cf, group, err = r.findItem(req.Conflict); err != nil {
				return err
			}
			if group != nil {
				// A root id: a verdict on each combination.
				verdict := func(cf *projections.Conflict, d events.Decision, claim events.ClaimID, note string, override bool) (*events.VerdictRecorded, error) {
					v, answered, err := md.Verdict(cf, d, claim, note, override)
					if err != nil || answered {
						return v, err
					}
					an, err := analysis()
					if err != nil {
						return nil, err
					}
					full, err := findConflict(an, string(cf.ID))
					if err != nil {
						return nil, err
					}
					return an.Verdict(full, d, claim, note, override)
				}
				out, err = a.reviewRoot(tx, head, verdict, author, req, group)
				return err
			}
			if req.Seen != 0 {
				if err := a.unchangedSince(tx, head, cf, req.Seen); err != nil {
					return err
				}
			}
			var answered bool
			v, answered, err = md.Verdict(cf, req.Decision, req.Claim, req.Note, req.Override)
			if err != nil {
				return &Error{Code: classify(err), Err: &VerdictError{Conflict: cf, Decision: req.Decision, Err: err}}
			}
			if !answered {
				v, cf = nil, nil
			}
		}
		if v == nil {
			an, err := analysis()
			if err != nil {
				return err
			}
			var group []*projections.Conflict
			if cf, err = findConflict(an, req.Conflict); err != nil {
				var ce *ConflictIDError
				if !errors.As(err, &ce) || ce.Problem != IDNoMatch {
					return err
				}
				if group = rootConflicts(an, req.Conflict); group == nil {
					return err
				}
			}
			if group != nil {
				out, err = a.reviewRoot(tx, an.Rev, func(cf *projections.Conflict, d events.Decision, claim events.ClaimID, note string, override bool) (*events.VerdictRecorded, error) {
					return an.Verdict(cf, d, claim, note, override)
				}, author, req, group)
				return err
			}
			if req.Seen != 0 {
				if err := a.unchangedSince(tx, an.Rev, cf, req.Seen); err != nil {
					return err
				}
			}
			if v, err = an.Verdict(cf, req.Decision, req.Claim, req.Note, req.Override); err != nil {
				return &Error{Code: classify(err), Err: &VerdictError{Conflict: cf, Decision: req.Decision, Err: err}}
			}
		}
		e, err := tx.Append(author, v)
		if err != nil {
			return err
		}
		out = Reviewed{Conflict: cf, Verdict: v, Event: e}
		return nil
	})
	if err != nil {
		return Reviewed{}, err
	}
	return out, nil
}

// unchangedSince refuses, with a Conflict error that says what changed,
// a review of cf (as read at the head) by a reviewer who saw the archive
// at revision seen, when cf changed after seen.
func (a *Archive) unchangedSince(tx *events.Tx, head events.Revision, cf *projections.Conflict, seen events.Revision) error {
	if seen > head {
		return Errorf(Invalid, "conflict %s: the revision reviewed, %d, is beyond the head revision %d", cf.ID, seen, head)
	}
	if seen == head {
		return nil
	}
	var then *projections.Conflict
	if md, ok := a.store.OpenModel(tx, seen); ok {
		// The conflict's record as it was at seen (its version then).
		var err error
		if then, err = md.Conflict(cf.ID); err != nil {
			return err
		}
	} else {
		st, _, err := a.store.At(tx, seen)
		if err != nil {
			return err
		}
		for _, c := range projections.Analyze(st).Conflicts {
			if c.ID == cf.ID {
				then = c
			}
		}
	}
	if then == nil {
		return Errorf(Conflict, "conflict %s arose after revision %d, the one reviewed; look at it again", cf.ID, seen)
	}
	var changes []string
	claimIDs := func(c *projections.Conflict) []events.ClaimID {
		var ids []events.ClaimID
		for _, cl := range c.Claims {
			ids = append(ids, cl.ID)
		}
		return ids
	}
	was, now := claimIDs(then), claimIDs(cf)
	var joined, left []string
	for _, id := range now {
		if !slices.Contains(was, id) {
			joined = append(joined, string(id))
		}
	}
	for _, id := range was {
		if !slices.Contains(now, id) {
			left = append(left, string(id))
		}
	}
	if len(joined) > 0 {
		changes = append(changes, "claims joined it: "+strings.Join(joined, ", "))
	}
	if len(left) > 0 {
		changes = append(changes, "claims left it: "+strings.Join(left, ", "))
	}
	if pv := cf.Verdict; pv != nil && (then.Verdict == nil || then.Verdict.Rev != pv.Rev) {
		changes = append(changes, fmt.Sprintf("a verdict was recorded on it at revision %d (%s by %s)", pv.Rev, pv.Decision, pv.Author))
	}
	if len(changes) == 0 {
		return nil
	}
	return Errorf(Conflict, "conflict %s changed after revision %d, the one reviewed: %s; look at it again", cf.ID, seen, strings.Join(changes, "; "))
}
