package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance"
)

func (a *app) diffCommand() *cli.Command {
	return &cli.Command{
		Name:      "diff",
		Usage:     "what changed in the view and the conflicts between two revisions",
		ArgsUsage: "REV [REV2] [--text]",
		Flags:     []cli.Flag{&cli.BoolFlag{Name: "text", Usage: "a unified line diff of the two rendered views"}},
		Action: func(c *cli.Context) error {
			if err := wantArgs(c, 1, 2); err != nil {
				return err
			}
			revs := make([]events.Revision, c.NArg())
			for i, s := range c.Args().Slice() {
				n, err := strconv.ParseUint(s, 10, 64)
				if err != nil {
					return usagef(c, "revision %q is not a number", s)
				}
				revs[i] = events.Revision(n)
			}
			ar, err := a.open(c, false)
			if err != nil {
				return err
			}
			defer ar.Close()
			from, to := revs[0], archive.Head
			if len(revs) == 2 {
				to = revs[1]
			}
			if c.Bool("text") {
				return a.diffText(ar, from, to)
			}
			ch, err := ar.Diff(from, to)
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return a.printJSON(ch)
			}
			a.printf("%s", renderChanges(ch))
			return nil
		},
	}
}

// diffText prints a unified line diff of the rendered views at from and
// to (archive.Head: the newest).
func (a *app) diffText(ar backend, from, to events.Revision) error {
	head, _, err := ar.Head()
	if err != nil {
		return err
	}
	if to == archive.Head {
		to = head
	}
	if from > head || to > head {
		return archive.Errorf(archive.NotFound, "revision %d is beyond the head revision %d", max(from, to), head)
	}
	if from > to {
		return archive.Errorf(archive.Invalid, "the first revision (%d) is after the second (%d); write the older one first", from, to)
	}
	va, err := ar.View("", from)
	if err != nil {
		return err
	}
	vb, err := ar.View("", to)
	if err != nil {
		return err
	}
	d := provenance.UnifiedDiff(fmt.Sprintf("view at %d", from), fmt.Sprintf("view at %d", to), renderView(va.Entities, layout{}), renderView(vb.Entities, layout{}))
	if d == "" {
		d = "the views are the same\n"
	}
	a.printf("%s", d)
	return nil
}

func renderChanges(ch *projections.Changes) string {
	var b strings.Builder
	fmt.Fprintf(&b, "changes from revision %d to %d\n", ch.From, ch.To)
	if len(ch.Facts) == 0 && len(ch.Conflicts) == 0 {
		b.WriteString("  nothing changed in the view or the conflicts\n")
		return b.String()
	}
	str := func(s *string, status projections.FactStatus) string {
		if s == nil {
			return "(none)"
		}
		if status != "" {
			return *s + " [" + string(status) + "]"
		}
		return *s
	}
	if len(ch.Facts) > 0 {
		b.WriteString("facts:\n")
	}
	for _, f := range ch.Facts {
		switch f.Op {
		case projections.OpAdded:
			fmt.Fprintf(&b, "  + %s / %s = %s\n", termArgs(f.Subject, f.Predicate, str(f.After, f.AfterStatus))...)
		case projections.OpRemoved:
			fmt.Fprintf(&b, "  - %s / %s = %s\n", termArgs(f.Subject, f.Predicate, str(f.Before, f.BeforeStatus))...)
		default:
			fmt.Fprintf(&b, "  ~ %s / %s: %s → %s\n", termArgs(f.Subject, f.Predicate, str(f.Before, f.BeforeStatus), str(f.After, f.AfterStatus))...)
			if f.Text && f.Before != nil && f.After != nil && *f.Before != *f.After {
				fmt.Fprintf(&b, "      %s\n", term(provenance.CharDiff(*f.Before, *f.After)))
			}
		}
	}
	if len(ch.Conflicts) > 0 {
		b.WriteString("conflicts:\n")
	}
	for _, c := range ch.Conflicts {
		fmt.Fprintf(&b, "  %-8s %s  %-8s %s\n", c.Op, c.ID, c.Kind, term(c.Summary))
	}
	return b.String()
}
