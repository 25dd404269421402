package main

import (
	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
)

// headJSON is what head --json prints.
type headJSON struct {
	Revision events.Revision `json:"revision"`
	Hash     string          `json:"hash"`
}

func (a *app) headCommand() *cli.Command {
	return &cli.Command{
		Name:      "head",
		Usage:     "print the head revision and its hash as REV:HASH, to pin or publish (verify --expect REV:HASH checks it later)",
		ArgsUsage: " ",
		Action: func(c *cli.Context) error {
			if err := wantArgs(c, 0, 0); err != nil {
				return err
			}
			ar, err := a.open(c, false)
			if err != nil {
				return err
			}
			defer ar.Close()
			rev, hash, err := ar.Head()
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return a.printJSON(headJSON{rev, hash.String()})
			}
			a.printf("%s\n", archive.Pin{Rev: rev, Hash: hash})
			return nil
		},
	}
}
