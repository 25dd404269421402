package main

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/archive"
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
			defer limitRebuildMemory()()
			ar, err := a.openArchive(c, true)
			if err != nil {
				return err
			}
			defer ar.Close()
			ph := a.newPhases(c, "checking the log", "replaying the log")
			rep, err := ar.RebuildWith(archive.RebuildOptions{Progress: ph.report()})
			ph.finish()
			var refused *archive.RefusedError
			if errors.As(err, &refused) {
				return fmt.Errorf("%w: run sillok verify, and restore the archive from a copy", err)
			}
			if err != nil {
				return err
			}
			head, bad := rep.Revision, rep.Repaired
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

// rebuildMemoryLimit is the soft memory limit of a rebuild when GOMEMLIMIT
// is not set.
const rebuildMemoryLimit = 768 << 20

// limitRebuildMemory sets a soft memory limit for the rebuild unless the
// user set one (GOMEMLIMIT), and returns the function that restores the
// previous one. A rebuild holds the whole state and, at the end, its
// checkpoint; with the default GOGC the heap may grow to twice what is
// live before the collector runs, which on a large archive is hundreds of
// megabytes the process does not need. With the limit the collector runs
// more often as the heap nears it instead. It is soft: an archive whose
// state alone is larger still rebuilds, with the collector working harder
// (the runtime caps it at about half the CPU).
func limitRebuildMemory() (restore func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	prev := debug.SetMemoryLimit(rebuildMemoryLimit)
	return func() { debug.SetMemoryLimit(prev) }
}
