package projections

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/sillok/sillok/events"
)

// ErrAlreadyResolved reports a verdict on a conflict that is resolved and
// has no new claims since its verdict.
var ErrAlreadyResolved = errors.New("conflict is already resolved")

// ErrVerdict reports a verdict that does not fit the conflict.
var ErrVerdict = errors.New("verdict does not fit the conflict")

// Verdict builds the verdict event for a decision on conflict cf, as a
// reviewer who saw this analysis. claim is the accepted (or rejected)
// claim for DecisionAccept and DecisionReject. An accept rejects the
// claims of the conflict that cannot be true together with the accepted
// one (in a value conflict, those of another value; in a temporal
// conflict, all the others).
func (a *Analysis) Verdict(cf *Conflict, d events.Decision, claim events.ClaimID, note string, override bool) (*events.VerdictRecorded, error) {
	v := &events.VerdictRecorded{Conflict: string(cf.ID), Kind: string(cf.Kind), Decision: d, Claim: claim, Note: note, Seen: a.Rev}
	// The verdict replaces the conflict's earlier verdict whole, so it
	// settles the claims that one did too, though they no longer take
	// part in the checks (rejected by it).
	ids := a.verdictClaims(cf)
	v.Claims = append(v.Claims, ids...)
	switch d {
	case events.DecisionSame, events.DecisionDistinct:
		if cf.Kind != KindName {
			return nil, fmt.Errorf("%w: %q settles a name conflict, and %s is a %s conflict; accept or reject one of its claims, or dismiss it", ErrVerdict, d, cf.ID, cf.Kind)
		}
		v.Names = append([]string(nil), cf.Names...)
	case events.DecisionAccept, events.DecisionReject:
		if cf.Kind == KindName {
			return nil, fmt.Errorf("%w: %s is a name conflict; settle it as the same entity, as different things, or dismiss it", ErrVerdict, cf.ID)
		}
		var chosen *Claim
		for _, id := range ids {
			if id == claim {
				chosen = a.State.Claims[claim]
			}
		}
		if chosen == nil {
			list := make([]string, len(ids))
			for i, id := range ids {
				list[i] = string(id)
			}
			return nil, fmt.Errorf("%w: claim %q is not part of conflict %s (its claims: %s)", ErrVerdict, claim, cf.ID, strings.Join(list, ", "))
		}
		if d == events.DecisionReject {
			v.Rejected = []events.ClaimID{claim}
			break
		}
		for _, id := range ids {
			c := a.State.Claims[id]
			if c == nil || c.ID == claim {
				continue
			}
			if cf.Kind == KindTemporal || c.Value.Relation != nil || chosen.Value.Relation != nil || !a.compatible(chosen, c) {
				v.Rejected = append(v.Rejected, c.ID)
			}
		}
	case events.DecisionDismiss:
	default:
		return nil, fmt.Errorf("%w: unknown decision %q", ErrVerdict, d)
	}
	if cf.Status == ConflictResolved && !override {
		prev := "a verdict"
		if pv := cf.Verdict; pv != nil {
			prev = fmt.Sprintf("%s by %s at revision %d", describeDecision(pv.Decision, pv.Claim), pv.Author, pv.Rev)
		}
		var change string
		if pv := cf.Verdict; pv != nil {
			change = describeChange(pv.Rejected, v.Rejected)
		}
		return nil, fmt.Errorf("%w: %s, and no claim has joined it since. This review would replace it with: %s%s",
			ErrAlreadyResolved, prev, describeDecision(d, claim), change)
	}
	return v, nil
}

// describeChange says which claims a verdict that rejects now instead of
// was would lift and reject: "" when the same.
func describeChange(was, now []events.ClaimID) string {
	var lifted, rejected []string
	for _, id := range was {
		if !slices.Contains(now, id) {
			lifted = append(lifted, string(id))
		}
	}
	for _, id := range now {
		if !slices.Contains(was, id) {
			rejected = append(rejected, string(id))
		}
	}
	var parts []string
	if len(lifted) > 0 {
		parts = append(parts, strings.Join(lifted, ", ")+" would stand again")
	}
	if len(rejected) > 0 {
		parts = append(parts, strings.Join(rejected, ", ")+" would stand rejected")
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

// verdictClaims lists the claims a verdict on cf decides on: the
// conflict's, then those of its latest verdict that are not retracted.
func (a *Analysis) verdictClaims(cf *Conflict) []events.ClaimID {
	var out []events.ClaimID
	seen := map[events.ClaimID]bool{}
	for _, cc := range cf.Claims {
		if !seen[cc.ID] {
			seen[cc.ID] = true
			out = append(out, cc.ID)
		}
	}
	if pv := cf.Verdict; pv != nil {
		for _, id := range pv.Claims {
			if c := a.State.Claims[id]; c != nil && !c.Retracted && !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

func describeDecision(d events.Decision, claim events.ClaimID) string {
	return events.DescribeVerdict(d, claim, nil, events.WordsAsked)
}
