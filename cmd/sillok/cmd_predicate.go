package main

import (
	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
)

func (a *app) predicateCommand() *cli.Command {
	return &cli.Command{
		Name:  "predicate",
		Usage: "define and list the vocabulary of predicates",
		Subcommands: []*cli.Command{
			{
				Name:      "add",
				Usage:     "define a predicate",
				ArgsUsage: "NAME --kind date|quantity|entity|text [--many]",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "kind", Usage: "date, quantity, entity or text"},
					&cli.BoolFlag{Name: "many", Usage: "the predicate holds many values (no value conflicts)"},
				},
				Action: func(c *cli.Context) error {
					if err := wantArgs(c, 1, 1); err != nil {
						return err
					}
					if err := requireFlags(c, "kind"); err != nil {
						return err
					}
					kind, err := events.ParseValueKind(c.String("kind"))
					if err != nil {
						return usagef(c, "--kind: %v", err)
					}
					p := events.PredicateDefined{Name: c.Args().First(), Kind: kind, Many: c.Bool("many")}
					ar, err := a.open(c, true)
					if err != nil {
						return err
					}
					defer ar.Close()
					w, err := ar.DefinePredicate(author(c), p)
					if err != nil {
						return err
					}
					created, rev := w.Created, w.Revision
					if c.Bool("json") {
						return a.printJSON(archive.PredicateDoc(p, w))
					}
					if created {
						a.printf("defined predicate %q (%s) at revision %d\n", p.Name, describeKind(p.Kind, p.Many), rev)
					} else {
						a.printf("predicate %q is already defined (%s); nothing changed\n", p.Name, describeKind(p.Kind, p.Many))
					}
					return nil
				},
			},
			{
				Name:      "list",
				Usage:     "list the predicates",
				ArgsUsage: " ",
				Flags:     []cli.Flag{wideFlag()},
				Action: func(c *cli.Context) error {
					if err := wantArgs(c, 0, 0); err != nil {
						return err
					}
					ar, err := a.open(c, false)
					if err != nil {
						return err
					}
					defer ar.Close()
					list, err := ar.Predicates()
					if err != nil {
						return err
					}
					if c.Bool("json") {
						return a.printJSON(archive.PredicatesDoc(list))
					}
					t := &table{sep: " ", cols: []column{{min: 32, max: 48}, {}}}
					for _, p := range list {
						t.add(cell{text: term(p.Name)}, cell{text: describeKind(p.Kind, p.Many)})
					}
					a.printf("%s", t.render(a.layout(c)))
					return nil
				},
			},
		},
	}
}

func describeKind(k events.ValueKind, many bool) string {
	if many {
		return string(k) + ", many values"
	}
	return string(k) + ", one value"
}
