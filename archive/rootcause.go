package archive

import (
	"errors"
	"fmt"
	"strings"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
)

// QueueItem is one item of the conflict queue: a conflict, or the temporal
// conflicts one relation claim raises against combinations of date claims
// (one root cause, projections.Conflict.Root), which each keep their own
// id inside it.
type QueueItem struct {
	// ID is the root id when the item holds several combinations, else the
	// id of its one conflict. Both kinds of id are accepted wherever a
	// conflict id is: ConflictDetail and Review of a root id act on the
	// whole item.
	ID        projections.ConflictID     `json:"id"`
	Kind      projections.ConflictKind   `json:"kind"`
	Status    projections.ConflictStatus `json:"status"` // open when any of its conflicts is
	Reopened  bool                       `json:"reopened,omitempty"`
	Subject   string                     `json:"subject"`
	Predicate string                     `json:"predicate"`
	// WithinSource: every conflict of the item is within one source.
	WithinSource bool   `json:"within_source"`
	Summary      string `json:"summary"`
	// Conflicts are the ids of the item's conflicts (the combinations of
	// a root cause), in the queue's order.
	Conflicts []projections.ConflictID `json:"conflicts"`
}

// summarizer summarizes the combinations of one root cause
// (projections.Analysis.RootSummary, or the model's).
type summarizer func([]*projections.Conflict) (string, error)

// analysisSummary is the summarizer of an analysis.
func analysisSummary(an *projections.Analysis) summarizer {
	return func(cs []*projections.Conflict) (string, error) { return an.RootSummary(cs), nil }
}

// summarizer is the reader's: the model's at the head, else the analysis'.
func (r *reader) summarizer() (summarizer, error) {
	if r.model != nil && r.at == r.head {
		return r.model.RootSummary, nil
	}
	an, err := r.analyze()
	if err != nil {
		return nil, err
	}
	return analysisSummary(an), nil
}

// queueItems groups list, conflicts in the queue's order, into items.
func queueItems(summary summarizer, list []*projections.Conflict) ([]QueueItem, error) {
	items := []QueueItem{}
	for i := 0; i < len(list); {
		j := i + 1
		for j < len(list) && projections.SameRoot(list[i], list[j]) {
			j++
		}
		it, err := queueItem(summary, list[i:j])
		if err != nil {
			return nil, err
		}
		items = append(items, it)
		i = j
	}
	return items, nil
}

// queueItem is the item of cs, the conflicts of one root cause (or one
// conflict).
func queueItem(summary summarizer, cs []*projections.Conflict) (QueueItem, error) {
	first := cs[0]
	it := QueueItem{ID: first.ID, Kind: first.Kind, Status: first.Status, Reopened: first.Reopened,
		Subject: first.Subject, Predicate: first.Predicate, WithinSource: first.WithinSource, Summary: first.Summary}
	for _, cf := range cs {
		it.Conflicts = append(it.Conflicts, cf.ID)
		if cf.Status == projections.ConflictOpen {
			it.Status = projections.ConflictOpen
		}
		it.Reopened = it.Reopened || cf.Reopened
		it.WithinSource = it.WithinSource && cf.WithinSource
	}
	if len(cs) > 1 {
		s, err := summary(cs)
		if err != nil {
			return QueueItem{}, err
		}
		it.ID, it.Summary = first.Root, s
	}
	return it, nil
}

// rootConflicts returns the conflicts whose root id is id (or starts with
// it, MinConflictPrefix digits or more), in the queue's order; nil when
// none is, or when the prefix names several roots.
func rootConflicts(an *projections.Analysis, id string) []*projections.Conflict {
	want := strings.ToLower(strings.TrimSpace(id))
	if len(want) < MinConflictPrefix {
		return nil
	}
	var root projections.ConflictID
	var out []*projections.Conflict
	for _, cf := range an.Conflicts {
		if cf.Root == "" || !strings.HasPrefix(string(cf.Root), want) {
			continue
		}
		if root != "" && cf.Root != root {
			return nil
		}
		root = cf.Root
		out = append(out, cf)
	}
	return out
}

// findItem finds a conflict by its id, or else the combinations of a root
// cause by the root's id: one of the two is not nil when err is.
func (r *reader) findItem(id string) (*projections.Conflict, []*projections.Conflict, error) {
	cf, err := r.findConflict(id)
	var ce *ConflictIDError
	if err != nil && errors.As(err, &ce) && ce.Problem == IDNoMatch {
		group, gerr := r.rootConflicts(id)
		if gerr != nil {
			return nil, nil, gerr
		}
		if group != nil {
			return nil, group, nil
		}
	}
	return cf, nil, err
}

// rootConflicts is rootConflicts of the model at the head, else of the
// analysis at the reader's revision.
func (r *reader) rootConflicts(id string) ([]*projections.Conflict, error) {
	if r.model != nil && r.at == r.head {
		want := strings.ToLower(strings.TrimSpace(id))
		if len(want) < MinConflictPrefix {
			return nil, nil
		}
		return r.model.RootConflicts(want)
	}
	an, err := r.analyze()
	if err != nil {
		return nil, err
	}
	return rootConflicts(an, id), nil
}

// rootDetail is the ConflictDetail of a root cause's combinations: its
// claims once each (the relation first), and each combination.
func rootDetail(r *reader, summary summarizer, group []*projections.Conflict) (*ConflictDetail, error) {
	it, err := queueItem(summary, group)
	if err != nil {
		return nil, err
	}
	merged := &projections.Conflict{ID: group[0].Root, Kind: it.Kind, Status: it.Status, Reopened: it.Reopened,
		Subject: it.Subject, Predicate: it.Predicate, WithinSource: it.WithinSource, Summary: it.Summary, Root: group[0].Root}
	seen := map[events.ClaimID]bool{}
	for _, cf := range group {
		for _, cc := range cf.Claims {
			if !seen[cc.ID] {
				seen[cc.ID] = true
				merged.Claims = append(merged.Claims, cc)
			}
		}
	}
	out, err := conflictDetail(r, merged)
	if err != nil {
		return nil, err
	}
	out.Combinations = group
	return out, nil
}

// verdictFunc builds the verdict a review records on one conflict.
type verdictFunc func(cf *projections.Conflict, d events.Decision, claim events.ClaimID, note string, override bool) (*events.VerdictRecorded, error)

// reviewRoot records req's verdict on every combination of a root cause it
// applies to, in one transaction: an accept or reject on the combinations
// that hold the claim, a dismissal on all; without req.Override only on
// those still open. It returns the first verdict, with the others in
// Reviewed.Also.
func (a *Archive) reviewRoot(tx *events.Tx, head Revision, verdict verdictFunc, author string, req ReviewRequest, group []*projections.Conflict) (Reviewed, error) {
	var out Reviewed
	var refused error
	for _, cf := range group {
		if req.Decision == events.DecisionAccept || req.Decision == events.DecisionReject {
			if !holds(cf, req.Claim) {
				continue
			}
		}
		if cf.Status == projections.ConflictResolved && !req.Override {
			refused = &Error{Code: Conflict, Err: &VerdictError{Conflict: cf, Decision: req.Decision, Err: projections.ErrAlreadyResolved}}
			continue
		}
		if req.Seen != 0 {
			if err := a.unchangedSince(tx, head, cf, req.Seen); err != nil {
				return Reviewed{}, err
			}
		}
		v, err := verdict(cf, req.Decision, req.Claim, req.Note, req.Override)
		if err != nil {
			return Reviewed{}, &Error{Code: classify(err), Err: &VerdictError{Conflict: cf, Decision: req.Decision, Err: err}}
		}
		e, err := tx.Append(author, v)
		if err != nil {
			return Reviewed{}, err
		}
		r := Reviewed{Conflict: cf, Verdict: v, Event: e}
		if out.Conflict == nil {
			out = r
		} else {
			out.Also = append(out.Also, r)
		}
	}
	if out.Conflict != nil {
		return out, nil
	}
	if refused != nil {
		return Reviewed{}, refused
	}
	return Reviewed{}, Errorf(Invalid, "conflict %s: claim %s is in none of its %d combinations", group[0].Root, req.Claim, len(group))
}

// holds reports whether claim id is one of cf's claims.
func holds(cf *projections.Conflict, id events.ClaimID) bool {
	for _, cc := range cf.Claims {
		if cc.ID == id {
			return true
		}
	}
	return false
}

// String names the item for messages: "abf91dbbdf (3 combinations)".
func (it QueueItem) String() string {
	if len(it.Conflicts) > 1 {
		return fmt.Sprintf("%s (%d combinations)", it.ID, len(it.Conflicts))
	}
	return string(it.ID)
}
