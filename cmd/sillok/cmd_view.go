package main

import (
	"github.com/urfave/cli/v2"
)

func (a *app) viewCommand() *cli.Command {
	return &cli.Command{
		Name:      "view",
		Usage:     "the reconciled view: what the sources say about each entity, and what agrees",
		ArgsUsage: "[SUBJECT] [--at REV]",
		Flags:     []cli.Flag{&cli.Uint64Flag{Name: "at", Usage: "show the view as it was at this revision", DefaultText: "the head"}, wideFlag()},
		Action: func(c *cli.Context) error {
			if err := wantArgs(c, 0, 1); err != nil {
				return err
			}
			ar, err := a.open(c, false)
			if err != nil {
				return err
			}
			defer ar.Close()
			v, err := ar.View(c.Args().First(), atFlag(c))
			if err != nil {
				return didYouMean(err)
			}
			if c.Bool("json") {
				return a.printJSON(v.Document())
			}
			if len(v.Entities) == 0 {
				a.printf("no facts at revision %d\n", v.Revision)
				return nil
			}
			a.printf("%s", renderView(v.Entities, a.layout(c)))
			return nil
		},
	}
}
