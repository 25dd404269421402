package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
	"github.com/urfave/cli/v2"

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
			log, err := a.open(c, false)
			if err != nil {
				return err
			}
			defer log.Close()
			return log.View(func(tx *events.Tx) error {
				head, _ := tx.Head()
				from, to := revs[0], head
				if len(revs) == 2 {
					to = revs[1]
				}
				if from > head || to > head {
					return fmt.Errorf("revision %d is beyond the head revision %d", max(from, to), head)
				}
				if from > to {
					return fmt.Errorf("the first revision (%d) is after the second (%d); write the older one first", from, to)
				}
				st := a.store()
				sa, _, err := st.At(tx, from)
				if err != nil {
					return err
				}
				sb, _, err := st.At(tx, to)
				if err != nil {
					return err
				}
				aa, ab := projections.Analyze(sa), projections.Analyze(sb)
				if c.Bool("text") {
					ea, _ := viewEntities(aa, "")
					eb, _ := viewEntities(ab, "")
					a.printf("%s", unifiedDiff(fmt.Sprintf("view at %d", from), fmt.Sprintf("view at %d", to), renderView(aa, ea), renderView(ab, eb)))
					return nil
				}
				ch := projections.Diff(aa, ab)
				if c.Bool("json") {
					return a.printJSON(ch)
				}
				a.printf("%s", renderChanges(ch))
				return nil
			})
		},
	}
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

// unifiedDiff is a unified line diff of two texts (go-diff line mode, no
// time limit, so the result does not depend on the machine's load), with
// three lines of context around each change.
func unifiedDiff(nameA, nameB, a, b string) string {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	ca, cb, lines := dmp.DiffLinesToChars(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), lines)
	type line struct {
		op   byte
		text string
	}
	var all []line
	for _, d := range diffs {
		op := byte(' ')
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = '-'
		case diffmatchpatch.DiffInsert:
			op = '+'
		}
		for _, l := range strings.SplitAfter(d.Text, "\n") {
			if l != "" {
				all = append(all, line{op, strings.TrimSuffix(l, "\n")})
			}
		}
	}
	const ctx = 3
	keep := make([]bool, len(all))
	changed := false
	for i, l := range all {
		if l.op != ' ' {
			changed = true
			for j := max(0, i-ctx); j <= min(len(all)-1, i+ctx); j++ {
				keep[j] = true
			}
		}
	}
	if !changed {
		return "the views are the same\n"
	}
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", nameA, nameB)
	na, nb := 1, 1
	for i := 0; i < len(all); {
		if !keep[i] {
			if all[i].op != '+' {
				na++
			}
			if all[i].op != '-' {
				nb++
			}
			i++
			continue
		}
		j := i
		ca, cb := 0, 0
		for ; j < len(all) && keep[j]; j++ {
			if all[j].op != '+' {
				ca++
			}
			if all[j].op != '-' {
				cb++
			}
		}
		fmt.Fprintf(&out, "@@ -%d,%d +%d,%d @@\n", na, ca, nb, cb)
		for k := i; k < j; k++ {
			out.WriteString(string(all[k].op) + all[k].text + "\n")
		}
		na, nb = na+ca, nb+cb
		i = j
	}
	return out.String()
}
