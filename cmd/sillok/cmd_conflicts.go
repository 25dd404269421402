package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
)

func (a *app) conflictsCommand() *cli.Command {
	at := &cli.Uint64Flag{Name: "at", Usage: "as they were at this revision", DefaultText: "the head"}
	return &cli.Command{
		Name:      "conflicts",
		Usage:     "list the flagged contradictions",
		ArgsUsage: "[--status open|resolved|all] [--kind value|temporal|name] [--subject NAME] [--at REV] [--limit N [--after CURSOR]]",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "status", Value: "open", Usage: "open, resolved or all"},
			&cli.StringFlag{Name: "kind", Usage: "value, temporal or name"},
			&cli.StringFlag{Name: "subject", Usage: "only the conflicts about this entity (any of its names)"},
			at,
			&cli.IntFlag{Name: "limit", Usage: "at most this many items of the queue (a page)", DefaultText: "all"},
			&cli.StringFlag{Name: "after", Usage: "the page after this cursor (the \"next\" of the page before)"},
			wideFlag(),
		},
		Action: func(c *cli.Context) error {
			if err := wantArgs(c, 0, 0); err != nil {
				return err
			}
			filter := archive.ConflictFilter{Status: archive.StatusAll, Subject: c.String("subject"), At: atFlag(c),
				Limit: c.Int("limit"), After: c.String("after")}
			if filter.Limit < 0 {
				return usagef(c, "--limit must not be negative, got %d", filter.Limit)
			}
			if s := c.String("status"); s != "all" {
				var err error
				if filter.Status, err = projections.ParseConflictStatus(s); err != nil {
					return usagef(c, "--status must be open, resolved or all, not %q", s)
				}
			}
			if k := c.String("kind"); k != "" {
				var err error
				if filter.Kind, err = projections.ParseConflictKind(k); err != nil {
					return usagef(c, "--kind must be value, temporal or name, not %q", k)
				}
			}
			ar, err := a.open(c, false)
			if err != nil {
				return err
			}
			defer ar.Close()
			page, err := ar.Conflicts(filter)
			if err != nil {
				return didYouMean(err)
			}
			if c.Bool("json") {
				return a.printJSON(page.Document())
			}
			a.printf("%s", renderQueue(page.Items, page.Conflicts, a.layout(c)))
			if page.Next != "" {
				a.printf("more: sillok conflicts --limit %d --after %s\n", filter.Limit, page.Next)
			}
			return nil
		},
		Subcommands: []*cli.Command{{
			Name:      "show",
			Usage:     "show a conflict's claims side by side, with their quotes in context",
			ArgsUsage: "ID [--at REV]",
			Flags:     []cli.Flag{at},
			Action: func(c *cli.Context) error {
				if err := wantArgs(c, 1, 1); err != nil {
					return err
				}
				ar, err := a.open(c, false)
				if err != nil {
					return err
				}
				defer ar.Close()
				id := c.Args().First()
				detail, err := ar.ConflictDetail(id, atFlag(c))
				if err != nil {
					return conflictIDHint(err)
				}
				if c.Bool("json") {
					return a.printJSON(detail)
				}
				a.printf("%s", renderConflictDetail(detail))
				return nil
			},
		}},
	}
}

func renderConflictDetail(d *archive.ConflictDetail) string {
	var b strings.Builder
	status := d.Status
	if d.Reopened {
		status = "open (reopened: new claims since the verdict)"
	}
	fmt.Fprintf(&b, "conflict %s: %s, %s (revision %d)\n", d.ID, d.Kind, status, d.Revision)
	if d.Kind == projections.KindName {
		fmt.Fprintf(&b, "names:   %q and %q\n", d.Names[0], d.Names[1])
		fmt.Fprintf(&b, "why:     %s\n", d.Resemblance)
		fmt.Fprintf(&b, "diff:    %s\n", d.NameDiff)
	} else {
		fmt.Fprintf(&b, "subject: %s\npredicate: %s\n", term(d.Subject), term(d.Predicate))
	}
	fmt.Fprintf(&b, "summary: %s\n", term(d.Summary))
	if it := d.Item; it != nil {
		fmt.Fprintf(&b, "item:    one of %d combinations of one relation claim, queued as %s (sillok conflicts show %s)\n", len(it.Conflicts), it.ID, it.ID)
	}
	if n := len(d.Combinations); n > 0 {
		fmt.Fprintf(&b, "root:    one relation, %d combinations of date claims, each a conflict of its own:\n", n)
		for _, cf := range d.Combinations {
			status := string(cf.Status)
			if cf.Reopened {
				status = "reopened"
			}
			var ids []string
			for _, cc := range cf.Claims {
				if cc.Role == projections.RoleDate {
					ids = append(ids, string(cc.ID))
				}
			}
			fmt.Fprintf(&b, "  %s  %-8s  %s\n", termArgs(cf.ID, status, strings.Join(ids, " + "))...)
		}
		fmt.Fprintf(&b, "(review %s acts on every combination the verdict applies to; review one by its own id)\n", d.ID)
	}
	if d.WithinSource {
		b.WriteString("note:    all claims come from one source: it contradicts itself\n")
	}
	for _, s := range d.Details {
		b.WriteString("\n")
		role := ""
		if s.Role != "" {
			role = " (" + string(s.Role) + ")"
		}
		mark := ""
		if s.Rejected {
			mark = "  [REJECTED]"
		}
		fmt.Fprintf(&b, "  %s%s: %s / %s = %s%s\n", termArgs(s.ID, role, s.Subject, s.Predicate, s.Value, mark)...)
		pub := s.Published
		if pub == "" {
			pub = "undated"
		}
		meta := []string{pub}
		if s.Publisher != "" {
			meta = append([]string{s.Publisher}, meta...)
		}
		if s.Lang != "" {
			meta = append(meta, s.Lang)
		}
		if s.Translation != "" {
			meta = append(meta, "translation of "+s.Translation)
		}
		fmt.Fprintf(&b, "    source: %s (%s)\n", termArgs(s.Source, strings.Join(meta, ", "))...)
		fmt.Fprintf(&b, "    quote:  …%s«%s»%s…\n", termArgs(s.Before, s.Quote, s.After)...)
		fmt.Fprintf(&b, "    value:  %s\n", describeValue(s.Resolved))
	}
	if v := d.Verdict; v != nil {
		b.WriteString("\n")
		fmt.Fprintf(&b, "verdict: %s at revision %d by %s (they saw revision %d)", term(verdictWords(v)), v.Rev, term(v.Author), v.Seen)
		if v.Note != "" {
			fmt.Fprintf(&b, ": %q", v.Note)
		}
		b.WriteString("\n")
		if len(d.Joined) > 0 {
			ids := make([]string, len(d.Joined))
			for i, id := range d.Joined {
				ids[i] = string(id)
			}
			fmt.Fprintf(&b, "since then: %s joined the conflict, so it is open again\n", strings.Join(ids, ", "))
		}
	}
	return b.String()
}

func verdictWords(v *projections.Verdict) string {
	return events.DescribeVerdict(v.Decision, v.Claim, nil, events.WordsDone)
}
