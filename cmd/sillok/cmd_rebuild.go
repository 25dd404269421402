package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
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
			log, err := a.open(c, true)
			if err != nil {
				return err
			}
			defer log.Close()
			var bad []events.Revision
			var head events.Revision
			err = log.Update(func(tx *events.Tx) error {
				// Never fold a log whose chain is broken: the projections
				// would take a forged event for history. The chain walk
				// reads the whole log through bbolt's mapping: it
				// releases the pages as it goes, as the replay below
				// does, so that they do not add up to the log's size in
				// the process's memory.
				// Nor one whose sources' bytes were altered: the
				// projections read them (copy detection), and a replay
				// would take the altered text for the archived one.
				n := 0
				var fixity []events.Problem
				chain, err := tx.VerifyChain(func(e events.Event) error {
					if n++; n%(1<<16) == 0 {
						projections.ReleaseMapped(tx)
					}
					if e.Type == events.TypeSourceArchived {
						if id, digest, ok := events.DecodeSourceDigest(e.Payload); ok {
							if msg := tx.VerifyBlob(digest); msg != "" {
								fixity = append(fixity, events.Problem{Revision: e.Revision, Source: id, Message: msg})
							}
						}
					}
					return nil
				})
				if err != nil {
					return err
				}
				if len(chain.Problems) > 0 {
					return fmt.Errorf("the log's hash chain is broken (%s); rebuild refuses to fold it: run sillok verify, and restore the archive from a copy", chain.Problems[0])
				}
				if len(fixity) > 0 {
					return fmt.Errorf("a source's stored bytes were altered (%s); rebuild refuses to fold them: run sillok verify, and restore the archive from a copy", fixity[0])
				}
				if err := a.store().CheckHead(tx); err != nil {
					return fmt.Errorf("%w; rebuild refuses to fold it, which would erase the evidence: run sillok verify, and restore the archive from a copy", err)
				}
				// One replay compares the stored checkpoints with the
				// log (bad is nil when they are unreadable: the rebuild
				// replaces them) and builds the new ones.
				s, b, err := a.store().RebuildChecked(tx)
				if err != nil {
					return err
				}
				bad, head = b, s.Rev
				// The state is garbage now, and the commit is about to
				// copy the new checkpoints into bbolt's pages: collect it
				// first, so that the copies reuse its memory instead of
				// adding to it.
				runtime.GC()
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
