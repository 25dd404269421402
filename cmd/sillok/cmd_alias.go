package main

import (
	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
)

func (a *app) aliasCommand() *cli.Command {
	return &cli.Command{
		Name:  "alias",
		Usage: "declare another name of an entity, or that two names are different things",
		Subcommands: []*cli.Command{{
			Name:      "add",
			Usage:     "declare NAME an alias of ENTITY (--kind distinct: NAME is NOT ENTITY)",
			ArgsUsage: "NAME --entity E --kind translation|transliteration|mistranslation|abbreviation|variant|distinct [--note N]",
			Flags: []cli.Flag{
				&cli.StringFlag{Name: "entity", Usage: "the canonical entity name"},
				&cli.StringFlag{Name: "kind", Usage: "translation, transliteration, mistranslation, abbreviation, variant or distinct"},
				&cli.StringFlag{Name: "note"},
			},
			Action: func(c *cli.Context) error {
				if err := wantArgs(c, 1, 1); err != nil {
					return err
				}
				if err := requireFlags(c, "entity", "kind"); err != nil {
					return err
				}
				kind, err := events.ParseAliasKind(c.String("kind"))
				if err != nil {
					return usagef(c, "--kind: %v", err)
				}
				p := events.AliasDeclared{Name: c.Args().First(), Entity: c.String("entity"), Kind: kind, Note: c.String("note")}
				ar, err := a.open(c, true)
				if err != nil {
					return err
				}
				defer ar.Close()
				w, err := ar.DeclareAlias(author(c), p)
				if err != nil {
					return err
				}
				created, rev := w.Created, w.Revision
				if c.Bool("json") {
					return a.printJSON(archive.AliasDoc(p, w))
				}
				switch {
				case !created:
					a.printf("already declared; nothing changed\n")
				case kind == events.AliasDistinct:
					a.printf("declared %q and %q different things at revision %d\n", p.Name, p.Entity, rev)
				default:
					a.printf("declared %q an alias of %q (%s) at revision %d\n", p.Name, p.Entity, kind, rev)
				}
				return nil
			},
		}},
	}
}
