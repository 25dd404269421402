package main

import (
	"sort"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/sources"
)

// store is the projection store wired to the archive's source texts, one
// per app (a process works on one archive), keeping the head state warm
// between the write transactions of a multi-file import.
func (a *app) store() *projections.Store {
	if a.projections == nil {
		a.projections = &projections.Store{
			Interval: a.checkpointInterval,
			Text: func(tx *events.Tx, src *events.SourceArchived) (string, error) {
				return sources.StoredText(tx, src)
			},
			KeepWarm: true,
		}
	}
	return a.projections
}

// update runs fn in one write transaction and brings the stored
// projections up to the new head in the same transaction.
func (a *app) update(log *events.Log, fn func(tx *events.Tx) error) error {
	err := log.Update(func(tx *events.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		if len(tx.Appended()) == 0 {
			return nil
		}
		a.caughtUp = true
		return a.store().CatchUp(tx)
	})
	if err != nil {
		// The warm state may hold events that were rolled back.
		a.store().Warm = nil
	}
	return err
}

// reader is a read transaction with the projected state at a revision.
type reader struct {
	tx       *events.Tx
	state    *projections.State
	analysis *projections.Analysis
	head     events.Revision
}

// analyze computes (once) the reconciled view and conflicts.
func (r *reader) analyze() *projections.Analysis {
	if r.analysis == nil {
		r.analysis = projections.Analyze(r.state)
	}
	return r.analysis
}

// headRev asks read for the head revision.
const headRev = ^events.Revision(0)

// atFlag returns the revision --at asks for, or headRev when it is not set.
func atFlag(c *cli.Context) events.Revision {
	if !c.IsSet("at") {
		return headRev
	}
	return events.Revision(c.Uint64("at"))
}

// read runs fn on the state at revision at (headRev: the head).
func (a *app) read(log *events.Log, at events.Revision, fn func(*reader) error) error {
	return log.View(func(tx *events.Tx) error {
		head, _ := tx.Head()
		if at == headRev {
			at = head
		}
		st, _, err := a.store().At(tx, at)
		if err != nil {
			return err
		}
		return fn(&reader{tx: tx, state: st, head: head})
	})
}

func sortBy[T any, K ~uint64 | ~string | ~int](s []T, key func(T) K) {
	sort.SliceStable(s, func(i, j int) bool { return key(s[i]) < key(s[j]) })
}
