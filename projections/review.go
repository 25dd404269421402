package projections

import (
	"errors"
	"fmt"

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
	v := &events.VerdictRecorded{Conflict: cf.ID, Kind: cf.Kind, Decision: d, Claim: claim, Note: note, Seen: a.Rev}
	for _, cc := range cf.Claims {
		v.Claims = append(v.Claims, cc.ID)
	}
	switch d {
	case events.DecisionSame, events.DecisionDistinct:
		if cf.Kind != KindName {
			return nil, fmt.Errorf("%w: --%s settles a name conflict, and %s is a %s conflict; use --accept CLAIM, --reject CLAIM or --dismiss", ErrVerdict, d, cf.ID, cf.Kind)
		}
		v.Names = append([]string(nil), cf.Names...)
	case events.DecisionAccept, events.DecisionReject:
		if cf.Kind == KindName {
			return nil, fmt.Errorf("%w: %s is a name conflict; settle it with --same, --distinct or --dismiss", ErrVerdict, cf.ID)
		}
		var chosen *Claim
		for _, cc := range cf.Claims {
			if cc.ID == claim {
				chosen = a.State.Claims[claim]
			}
		}
		if chosen == nil {
			ids := ""
			for i, cc := range cf.Claims {
				if i > 0 {
					ids += ", "
				}
				ids += string(cc.ID)
			}
			return nil, fmt.Errorf("%w: claim %q is not part of conflict %s (its claims: %s)", ErrVerdict, claim, cf.ID, ids)
		}
		if d == events.DecisionReject {
			v.Rejected = []events.ClaimID{claim}
			break
		}
		for _, cc := range cf.Claims {
			c := a.State.Claims[cc.ID]
			if c == nil || c.ID == claim {
				continue
			}
			if cf.Kind == KindTemporal || c.Value.Relation != nil || chosen.Value.Relation != nil || !a.compatible(chosen.Value, c.Value) {
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
		return nil, fmt.Errorf("%w: %s, and no claim has joined it since. This review would replace it with: %s. Run it again with --override to do that",
			ErrAlreadyResolved, prev, describeDecision(d, claim))
	}
	return v, nil
}

func describeDecision(d events.Decision, claim events.ClaimID) string {
	switch d {
	case events.DecisionAccept:
		return "accept " + string(claim)
	case events.DecisionReject:
		return "reject " + string(claim)
	case events.DecisionDismiss:
		return "dismiss"
	case events.DecisionSame:
		return "same entity"
	case events.DecisionDistinct:
		return "different things"
	}
	return string(d)
}
