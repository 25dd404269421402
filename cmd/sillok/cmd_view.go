package main

import (
	"github.com/urfave/cli/v2"
)

func (a *app) viewCommand() *cli.Command {
	return &cli.Command{
		Name:      "view",
		Usage:     "the reconciled view: what the sources say about each entity, and what agrees",
		ArgsUsage: "[SUBJECT] [--at REV]",
		Flags:     []cli.Flag{&cli.Uint64Flag{Name: "at", Usage: "show the view as it was at this revision", DefaultText: "the head"}},
		Action: func(c *cli.Context) error {
			if err := wantArgs(c, 0, 1); err != nil {
				return err
			}
			log, err := a.open(c, false)
			if err != nil {
				return err
			}
			defer log.Close()
			return a.read(log, atFlag(c), func(r *reader) error {
				an := r.analyze()
				ents, err := viewEntities(an, c.Args().First())
				if err != nil {
					return err
				}
				if c.Bool("json") {
					return a.printJSON(viewJSON(an, ents))
				}
				if len(ents) == 0 {
					a.printf("no facts at revision %d\n", an.Rev)
					return nil
				}
				a.printf("%s", renderView(an, ents))
				return nil
			})
		},
	}
}
