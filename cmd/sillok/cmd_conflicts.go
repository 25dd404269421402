package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

func (a *app) conflictsCommand() *cli.Command {
	at := &cli.Uint64Flag{Name: "at", Usage: "as they were at this revision", DefaultText: "the head"}
	return &cli.Command{
		Name:      "conflicts",
		Usage:     "list the flagged contradictions",
		ArgsUsage: "[--status open|resolved|all] [--kind value|temporal|name] [--at REV]",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "status", Value: "open", Usage: "open, resolved or all"},
			&cli.StringFlag{Name: "kind", Usage: "value, temporal or name"},
			at,
		},
		Action: func(c *cli.Context) error {
			if err := wantArgs(c, 0, 0); err != nil {
				return err
			}
			status, kind := c.String("status"), c.String("kind")
			if _, err := projections.ParseConflictStatus(status); err != nil && status != "all" {
				return usagef(c, "--status must be open, resolved or all, not %q", status)
			}
			if _, err := projections.ParseConflictKind(kind); err != nil && kind != "" {
				return usagef(c, "--kind must be value, temporal or name, not %q", kind)
			}
			log, err := a.open(c, false)
			if err != nil {
				return err
			}
			defer log.Close()
			return a.read(log, atFlag(c), func(r *reader) error {
				an := r.analyze()
				list := filterConflicts(an.Conflicts, status, kind)
				if c.Bool("json") {
					if list == nil {
						list = []*projections.Conflict{}
					}
					return a.printJSON(map[string]any{"revision": an.Rev, "conflicts": list})
				}
				a.printf("%s", renderConflicts(list))
				return nil
			})
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
				log, err := a.open(c, false)
				if err != nil {
					return err
				}
				defer log.Close()
				return a.read(log, atFlag(c), func(r *reader) error {
					cf, err := findConflict(r.analyze(), c.Args().First())
					if err != nil {
						return err
					}
					detail, err := conflictDetail(r, cf)
					if err != nil {
						return err
					}
					if c.Bool("json") {
						return a.printJSON(detail)
					}
					a.printf("%s", renderConflictDetail(detail))
					return nil
				})
			},
		}},
	}
}

// minConflictPrefix is the fewest digits of a conflict id that commands
// accept.
const minConflictPrefix = 4

// findConflict returns the conflict whose id is id or starts with it. A
// prefix shorter than minConflictPrefix, or one that is not hex, is
// refused as such (not reported as "no conflict"); a prefix that several
// conflicts share lists them.
func findConflict(an *projections.Analysis, id string) (*projections.Conflict, error) {
	want := strings.ToLower(strings.TrimSpace(id))
	if want == "" {
		return nil, errors.New("no conflict id given: give at least 4 hex digits of one (sillok conflicts --status all lists them)")
	}
	if strings.Trim(want, "0123456789abcdef") != "" {
		return nil, fmt.Errorf("%q is not a conflict id: conflict ids are hex digits (0-9, a-f), like abf91dbbdf; sillok conflicts --status all lists them", id)
	}
	var matches []*projections.Conflict
	for _, cf := range an.Conflicts {
		if string(cf.ID) == want {
			return cf, nil
		}
		if strings.HasPrefix(string(cf.ID), want) {
			matches = append(matches, cf)
		}
	}
	if len(want) < minConflictPrefix {
		return nil, fmt.Errorf("conflict id %q is too short: give at least %d of its hex digits", id, minConflictPrefix)
	}
	switch len(matches) {
	case 0:
		return nil, fmt.Errorf("no conflict %q at revision %d; sillok conflicts --status all lists them", id, an.Rev)
	case 1:
		return matches[0], nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "conflict id %s matches %d conflicts; give more digits:", want, len(matches))
	for _, cf := range matches {
		fmt.Fprintf(&b, "\n  %s  %s  %s", cf.ID, cf.Kind, cf.Summary)
	}
	return nil, errors.New(b.String())
}

// shownClaim is a claim of a conflict with what a reviewer needs to judge
// it.
type shownClaim struct {
	projections.ConflictClaim
	Predicate   string          `json:"predicate"`
	Publisher   string          `json:"publisher,omitempty"`
	Published   string          `json:"published,omitempty"`
	Lang        string          `json:"lang,omitempty"`
	Translation string          `json:"translation_of,omitempty"`
	Before      string          `json:"context_before"`
	After       string          `json:"context_after"`
	Resolved    events.Value    `json:"resolved"`
	Revision    events.Revision `json:"revision"`
}

type conflictShown struct {
	*projections.Conflict
	Revision events.Revision `json:"revision"`
	Shown    []shownClaim    `json:"details"`
	NameDiff string          `json:"name_diff,omitempty"`
}

func conflictDetail(r *reader, cf *projections.Conflict) (*conflictShown, error) {
	out := &conflictShown{Conflict: cf, Revision: r.state.Rev, Shown: []shownClaim{}}
	texts := map[events.SourceID]string{}
	for _, cc := range cf.Claims {
		cl := r.state.Claims[cc.ID]
		if cl == nil {
			continue
		}
		sc := shownClaim{ConflictClaim: cc, Predicate: cl.Predicate, Resolved: cl.Value, Revision: cl.Rev}
		if src := r.state.Sources[cl.Source]; src != nil {
			sc.Publisher, sc.Published, sc.Lang, sc.Translation = src.Publisher, src.Published, src.Lang, string(src.TranslationOf)
		}
		text, ok := texts[cl.Source]
		if !ok {
			src, _, err := sources.Lookup(r.tx, cl.Source)
			if err != nil {
				return nil, err
			}
			if text, err = sources.StoredText(r.tx, src); err != nil {
				return nil, err
			}
			texts[cl.Source] = text
		}
		anchor, err := claimAnchor(r.tx, cl.ID)
		if err != nil {
			return nil, err
		}
		sc.Before, _, sc.After = provenance.Excerpt(text, anchor, 60)
		out.Shown = append(out.Shown, sc)
	}
	if cf.Kind == projections.KindName && len(cf.Names) == 2 {
		out.NameDiff = provenance.CharDiff(cf.Names[0], cf.Names[1])
	}
	return out, nil
}

func renderConflictDetail(d *conflictShown) string {
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
	if d.WithinSource {
		b.WriteString("note:    all claims come from one source: it contradicts itself\n")
	}
	for _, s := range d.Shown {
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
	switch v.Decision {
	case events.DecisionAccept:
		return "accepted " + string(v.Claim)
	case events.DecisionReject:
		return "rejected " + string(v.Claim)
	case events.DecisionDismiss:
		return "dismissed (not a contradiction)"
	case events.DecisionSame:
		return "declared the same entity"
	case events.DecisionDistinct:
		return "declared different things"
	}
	return string(v.Decision)
}

// claimAnchor reads a claim's quote anchor from the log.
func claimAnchor(tx *events.Tx, id events.ClaimID) (events.Anchor, error) {
	rev, ok := tx.Lookup(events.IndexClaim, string(id))
	if !ok {
		return events.Anchor{}, fmt.Errorf("claim %s is not in the claim index", id)
	}
	e, err := tx.Event(rev)
	if err != nil {
		return events.Anchor{}, err
	}
	p, err := e.Decode()
	if err != nil {
		return events.Anchor{}, err
	}
	c, ok := p.(*events.ClaimAsserted)
	if !ok {
		return events.Anchor{}, fmt.Errorf("revision %d holds a %s, not claim %s", rev, e.Type, id)
	}
	return c.Quote, nil
}
