package main

import (
	"errors"
	"fmt"
	"slices"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
)

func (a *app) reviewCommand() *cli.Command {
	return &cli.Command{
		Name:      "review",
		Usage:     "record a verdict on a conflict",
		ArgsUsage: "ID (--accept CLAIM | --reject CLAIM | --dismiss | --same | --distinct) [--note N] [--override]",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "accept", Usage: "accept this claim; the claims that contradict it stand rejected"},
			&cli.StringFlag{Name: "reject", Usage: "reject this one claim; the others stand"},
			&cli.BoolFlag{Name: "dismiss", Usage: "not a contradiction"},
			&cli.BoolFlag{Name: "same", Usage: "name conflict: the two names are one entity"},
			&cli.BoolFlag{Name: "distinct", Usage: "name conflict: the two names are different things"},
			&cli.StringFlag{Name: "note", Usage: "why"},
			&cli.BoolFlag{Name: "override", Usage: "replace the verdict of a conflict that is already resolved"},
		},
		Action: func(c *cli.Context) error {
			if err := wantArgs(c, 1, 1); err != nil {
				return err
			}
			var decisions []events.Decision
			var claim events.ClaimID
			if s := c.String("accept"); s != "" {
				decisions, claim = append(decisions, events.DecisionAccept), events.ClaimID(s)
			}
			if s := c.String("reject"); s != "" {
				decisions, claim = append(decisions, events.DecisionReject), events.ClaimID(s)
			}
			for _, d := range []events.Decision{events.DecisionDismiss, events.DecisionSame, events.DecisionDistinct} {
				if c.Bool(string(d)) {
					decisions = append(decisions, d)
				}
			}
			if len(decisions) != 1 {
				return usagef(c, "give exactly one of --accept CLAIM, --reject CLAIM, --dismiss, --same, --distinct")
			}
			if err := events.ValidNote("--note", c.String("note")); err != nil {
				return err
			}
			ar, err := a.open(c, true)
			if err != nil {
				return err
			}
			defer ar.Close()
			res, err := ar.Review(author(c), archive.ReviewRequest{Conflict: c.Args().First(), Decision: decisions[0],
				Claim: claim, Note: c.String("note"), Override: c.Bool("override")})
			if err != nil {
				return reviewError(err)
			}
			v, e := res.Verdict, res.Event
			first, head := e.Revision, e.Revision
			if n := len(res.Also); n > 0 {
				head = res.Also[n-1].Event.Revision
			}
			if c.Bool("json") {
				return a.printJSON(res.Document())
			}
			a.printf("%s\n", term(summarize(e)))
			for _, r := range res.Also {
				a.printf("%s\n", term(summarize(r.Event)))
			}
			rejected := v.Rejected
			for _, r := range res.Also {
				for _, id := range r.Verdict.Rejected {
					if !slices.Contains(rejected, id) {
						rejected = append(rejected, id)
					}
				}
			}
			if len(rejected) > 0 {
				a.printf("rejected: %v\n", rejected)
			}
			a.printf("recorded at revision %d; see what it changed with: sillok diff %d\n", head, first-1)
			return nil
		},
	}
}

// reviewError adds to a refused review what to type instead.
func reviewError(err error) error {
	if ve := (*archive.VerdictError)(nil); errors.As(err, &ve) {
		if hint := verdictHint(ve.Conflict, ve.Decision, err); hint != "" {
			return fmt.Errorf("%w%s", err, hint)
		}
	}
	return conflictIDHint(err)
}

// conflictIDHint adds to an error for a conflict id that names no one
// conflict where to find the ids.
func conflictIDHint(err error) error {
	if ce := (*archive.ConflictIDError)(nil); errors.As(err, &ce) {
		switch ce.Problem {
		case archive.IDEmpty:
			return fmt.Errorf("%w (sillok conflicts --status all lists them)", err)
		case archive.IDNotHex, archive.IDNoMatch:
			return fmt.Errorf("%w; sillok conflicts --status all lists them", err)
		}
	}
	return err
}

// verdictHint is what to type instead, after a verdict was refused.
func verdictHint(cf *projections.Conflict, d events.Decision, err error) string {
	name := cf.Kind == projections.KindName
	nameDecision := d == events.DecisionSame || d == events.DecisionDistinct
	switch {
	case errors.Is(err, projections.ErrAlreadyResolved):
		return ". Run it again with --override to do that"
	case !errors.Is(err, projections.ErrVerdict):
	case name && !nameDecision && d != events.DecisionDismiss:
		return fmt.Sprintf(" (--%s is for value and temporal conflicts: use --same, --distinct or --dismiss)", d)
	case !name && nameDecision:
		return fmt.Sprintf(" (--%s is for name conflicts: use --accept CLAIM, --reject CLAIM or --dismiss)", d)
	}
	return ""
}
