package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/events"
)

type verifyReport struct {
	OK       bool             `json:"ok"`
	Events   int              `json:"events"`
	Sources  int              `json:"sources"`
	Claims   int              `json:"claims"`
	Head     events.Revision  `json:"head"`
	Problems []events.Problem `json:"problems"`
}

func (a *app) verifyCommand() *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "check the hash chain, the fixity of every source and every quote anchor",
		ArgsUsage: " ",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "replay", Usage: "also replay the log and compare every stored projection checkpoint with it (as slow as a rebuild)"},
		},
		Action: func(c *cli.Context) error {
			if err := wantArgs(c, 0, 0); err != nil {
				return err
			}
			log, err := a.open(c, false)
			if err != nil {
				return err
			}
			defer log.Close()
			var rep verifyReport
			err = log.View(func(tx *events.Tx) error {
				r, err := a.verifyArchive(tx, c.Bool("replay"))
				rep = r
				return err
			})
			if err != nil {
				return err
			}
			rep.OK = len(rep.Problems) == 0
			if rep.Problems == nil {
				rep.Problems = []events.Problem{}
			}
			if c.Bool("json") {
				if err := a.printJSON(rep); err != nil {
					return err
				}
			} else {
				for _, p := range rep.Problems {
					a.printf("PROBLEM %s\n", p)
				}
				a.printf("%d events (head %d), %d sources, %d claims: ", rep.Events, rep.Head, rep.Sources, rep.Claims)
				if rep.OK {
					a.printf("ok\n")
				} else {
					a.printf("%d problem(s)\n", len(rep.Problems))
				}
			}
			if !rep.OK {
				return &exitError{code: 1, msg: fmt.Sprintf("verify found %d problem(s) in %s", len(rep.Problems), log.Path())}
			}
			return nil
		},
	}
}
