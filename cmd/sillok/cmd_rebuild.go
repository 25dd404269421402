package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/events"
)

func (a *app) rebuildCommand() *cli.Command {
	return &cli.Command{
		Name:      "rebuild",
		Usage:     "replay the whole log into fresh projections (repairs a stored projection that differs from the log)",
		ArgsUsage: " ",
		Action: func(c *cli.Context) error {
			if err := wantArgs(c, 0, 0); err != nil {
				return err
			}
			log, err := a.open(c, true)
			if err != nil {
				return err
			}
			defer log.Close()
			var bad []events.Revision
			var head events.Revision
			err = log.Update(func(tx *events.Tx) error {
				// Never fold a log whose chain is broken: the projections
				// would take a forged event for history.
				chain, err := tx.VerifyChain(nil)
				if err != nil {
					return err
				}
				if len(chain.Problems) > 0 {
					return fmt.Errorf("the log's hash chain is broken (%s); rebuild refuses to fold it: run sillok verify, and restore the archive from a copy", chain.Problems[0])
				}
				st := a.store()
				if bad, err = st.Check(tx); err != nil {
					bad = nil // unreadable checkpoints: the rebuild replaces them
				}
				s, err := st.Rebuild(tx)
				if err != nil {
					return err
				}
				head = s.Rev
				return nil
			})
			if err != nil {
				return err
			}
			if c.Bool("json") {
				if bad == nil {
					bad = []events.Revision{}
				}
				return a.printJSON(map[string]any{"revision": head, "repaired": bad})
			}
			a.printf("rebuilt the projections from %d events", head)
			if len(bad) > 0 {
				a.printf("; repaired stored checkpoints at revisions %v that differed from the log", bad)
			}
			a.printf("\n")
			return nil
		},
	}
}
