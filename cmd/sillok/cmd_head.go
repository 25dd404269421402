package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

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
			log, err := a.open(c, false)
			if err != nil {
				return err
			}
			defer log.Close()
			rev, hash, err := log.Head()
			if err != nil {
				return err
			}
			if c.Bool("json") {
				return a.printJSON(headJSON{rev, hash.String()})
			}
			a.printf("%s\n", pin(rev, hash))
			return nil
		},
	}
}

// pin is the REV:HASH form of a revision and its hash that head prints and
// verify --expect takes.
func pin(rev events.Revision, hash events.Digest) string {
	return fmt.Sprintf("%d:%s", rev, hash)
}
