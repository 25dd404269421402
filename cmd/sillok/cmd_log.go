package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
)

func (a *app) logCommand() *cli.Command {
	return &cli.Command{
		Name:      "log",
		Usage:     "list the events of the archive, oldest first",
		ArgsUsage: "[--from REV] [--to REV]",
		Flags: []cli.Flag{
			&cli.Uint64Flag{Name: "from", Usage: "first revision to show", DefaultText: "the first"},
			&cli.Uint64Flag{Name: "to", Usage: "last revision to show", DefaultText: "the head"},
			wideFlag(),
		},
		Action: func(c *cli.Context) error {
			if err := wantArgs(c, 0, 0); err != nil {
				return err
			}
			ar, err := a.open(c, false)
			if err != nil {
				return err
			}
			defer ar.Close()
			from, to := events.Revision(c.Uint64("from")), events.Revision(c.Uint64("to"))
			head, _, err := ar.Head()
			if err != nil {
				return err
			}
			// The range in the flags' terms (Log checks it again, in its
			// own).
			if err := checkRange(from, to, head); err != nil {
				return err
			}
			if to == 0 {
				to = archive.Head // --to's default
			}
			list, err := ar.Log(from, to)
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return a.printJSON(map[string]any{"events": archive.EventDocuments(list)})
			}
			t := &table{lastMin: 16, sep: " ", cols: []column{{min: 7, right: true, keep: true}, {min: 21, keep: true}, {min: 12, max: 20, keep: true}, {min: 18, max: 24, keep: true}, {}}}
			for _, e := range list {
				t.add(plain(fmt.Sprintf("%d ", e.Revision), e.RecordedAt.Format(time.RFC3339)+" ", term(e.Author), term(string(e.Type)), term(summarize(e)))...)
			}
			a.printf("%s", t.render(a.layout(c)))
			return nil
		},
	}
}

// checkRange checks --from/--to against the head.
func checkRange(from, to, head events.Revision) error {
	if from > head {
		return fmt.Errorf("--from %d is beyond the head revision %d", from, head)
	}
	if to > head {
		return fmt.Errorf("--to %d is beyond the head revision %d", to, head)
	}
	if to != 0 && from > to {
		return fmt.Errorf("--from %d is after --to %d", from, to)
	}
	return nil
}

// summarize says in a few words what an event records, with names, notes
// and reasons as stored: print it through term.
func summarize(e events.Event) string {
	p, err := e.Decode()
	if err != nil {
		return "(" + err.Error() + ")"
	}
	switch p := p.(type) {
	case *events.SourceArchived:
		s := fmt.Sprintf("source %s (%s, %d bytes)", p.ID, p.MediaType, p.Size)
		if p.TranslationOf != "" {
			s += ", translation of " + string(p.TranslationOf)
		}
		return s
	case *events.SourceEdited:
		return fmt.Sprintf("source %s corrected (edit %d): %s", p.ID, p.Edit, strings.Join(p.Changes(), ", "))
	case *events.PredicateDefined:
		many := ""
		if p.Many {
			many = ", many"
		}
		return fmt.Sprintf("predicate %q (%s%s)", p.Name, p.Kind, many)
	case *events.ClaimAsserted:
		return fmt.Sprintf("claim %s: %s / %s = %s [%s]", p.ID, p.Subject, p.Predicate, p.Value, p.Source)
	case *events.ClaimRetracted:
		return fmt.Sprintf("retract %s: %s", p.Claim, p.Reason)
	case *events.AliasDeclared:
		if p.Kind == events.AliasDistinct {
			return fmt.Sprintf("distinct: %q is not %q", p.Name, p.Entity)
		}
		return fmt.Sprintf("alias %q → %q (%s)", p.Name, p.Entity, p.Kind)
	case *events.VerdictRecorded:
		return fmt.Sprintf("review %s by %s: %s", p.Conflict, e.Author, events.DescribeVerdict(p.Decision, p.Claim, p.Names, events.WordsLogged))
	}
	return ""
}
