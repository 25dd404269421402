package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/archive"
)

func (a *app) searchCommand() *cli.Command {
	return &cli.Command{
		Name:      "search",
		Usage:     "find entities and aliases, quotes and sources by words",
		ArgsUsage: "TEXT... [--limit N] [--at REV]",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "limit", Value: 10, Usage: "show at most this many matches of each kind (0: all)"},
			&cli.Uint64Flag{Name: "at", Usage: "search the archive as it was at this revision", DefaultText: "the head"},
		},
		Action: func(c *cli.Context) error {
			if err := wantArgs(c, 1, -1); err != nil {
				return err
			}
			limit := c.Int("limit")
			if limit < 0 {
				return usagef(c, "--limit must be 0 or more, not %d", limit)
			}
			ar, err := a.open(c, false)
			if err != nil {
				return err
			}
			defer ar.Close()
			res, err := ar.Search(strings.Join(c.Args().Slice(), " "), atFlag(c))
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return a.printJSON(res)
			}
			a.printf("%s", renderSearch(res, limit))
			return nil
		},
	}
}

// renderSearch is search's text output: the entities, quotes and sources
// that matched, in groups, best first, at most limit of each (0: all).
func renderSearch(res *archive.SearchResult, limit int) string {
	var b strings.Builder
	if len(res.Entities)+len(res.Quotes)+len(res.Sources) == 0 {
		fmt.Fprintf(&b, "nothing matches %q at revision %d\n", term(res.Query), res.Revision)
		return b.String()
	}
	more := func(n int) int {
		if limit > 0 && n > limit {
			return limit
		}
		return n
	}
	rest := func(shown, all int) {
		if all > shown {
			fmt.Fprintf(&b, "  … and %d more (--limit 0 shows all)\n", all-shown)
		}
	}
	if n := len(res.Entities); n > 0 {
		fmt.Fprintf(&b, "entities (%d):\n", n)
		for _, e := range res.Entities[:more(n)] {
			facts := "facts"
			if e.Facts == 1 {
				facts = "fact"
			}
			fmt.Fprintf(&b, "  %s  (%d %s)\n", term(e.Name), e.Facts, facts)
			if len(e.Aliases) > 0 {
				quoted := make([]string, len(e.Aliases))
				for i, al := range e.Aliases {
					quoted[i] = term(al)
				}
				fmt.Fprintf(&b, "    aka %s\n", strings.Join(quoted, "; "))
			}
		}
		rest(more(n), n)
	}
	if n := len(res.Quotes); n > 0 {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "quotes (%d):\n", n)
		for _, q := range res.Quotes[:more(n)] {
			fmt.Fprintf(&b, "  %s  %s  «%s»\n", termArgs(q.Claim, q.Source, q.Quote)...)
		}
		rest(more(n), n)
	}
	if n := len(res.Sources); n > 0 {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "sources (%d):\n", n)
		for _, s := range res.Sources[:more(n)] {
			fmt.Fprintf(&b, "  %s  %s\n", termArgs(s.ID, s.Title)...)
		}
		rest(more(n), n)
	}
	return b.String()
}

// didYouMean adds to an error for a name no entity has the nearest names
// the archive suggests, and how to search for more.
func didYouMean(err error) error {
	var un *archive.UnknownNameError
	if !errors.As(err, &un) {
		return err
	}
	if len(un.Suggestions) == 0 {
		return fmt.Errorf("%w (sillok search %s looks for it by words)", err, shellWord(un.Name))
	}
	quoted := make([]string, len(un.Suggestions))
	for i, s := range un.Suggestions {
		quoted[i] = strconv.Quote(s)
	}
	return fmt.Errorf("%w; did you mean %s?", err, strings.Join(quoted, " or "))
}
