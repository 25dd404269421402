package main

import (
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance"
)

// aliasChecker refuses alias declarations that would leave an entity
// without a canonical name (projections.AliasGraph), against the
// declarations in the archive and those made through it.
type aliasChecker struct {
	tx *events.Tx
	g  *projections.AliasGraph // read on first use
}

// check reports why p cannot be declared; a declaration already in the
// archive is let through (recording it again is a no-op).
func (ac *aliasChecker) check(p events.AliasDeclared) error {
	if _, ok := ac.tx.Lookup(events.IndexAlias, events.AliasKey(&p)); ok {
		return nil
	}
	if ac.g == nil {
		g := projections.NewAliasGraph()
		err := ac.tx.IndexKeys(events.IndexAlias, func(key string, _ events.Revision) error {
			if f := strings.SplitN(key, "\x00", 3); len(f) == 3 {
				g.Add(events.AliasDeclared{Name: f[0], Entity: f[1], Kind: events.AliasKind(f[2])})
			}
			return nil
		})
		if err != nil {
			return err
		}
		ac.g = g
	}
	return ac.g.Check(p)
}

// declared adds a declaration just recorded.
func (ac *aliasChecker) declared(p events.AliasDeclared) {
	if ac.g != nil {
		ac.g.Add(p)
	}
}

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
				log, err := a.open(c, true)
				if err != nil {
					return err
				}
				defer log.Close()
				var created bool
				var rev events.Revision
				err = a.update(log, func(tx *events.Tx) error {
					if err := (&aliasChecker{tx: tx}).check(p); err != nil {
						return err
					}
					var err error
					created, err = provenance.NewRecorder(tx, author(c)).DeclareAlias(p)
					rev, _ = tx.Head()
					return err
				})
				if err != nil {
					return err
				}
				if c.Bool("json") {
					return a.printJSON(map[string]any{"name": p.Name, "entity": p.Entity, "kind": p.Kind, "created": created, "revision": rev})
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
