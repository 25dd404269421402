package archive

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
)

// RebuildReport is what Rebuild did.
type RebuildReport struct {
	// Revision is the head the projections were rebuilt to.
	Revision Revision `json:"revision"`
	// Repaired are the revisions of the stored checkpoints that differed
	// from the log (nil when they could not be read at all).
	Repaired []Revision `json:"repaired"`
}

// RefusedError is a rebuild refused because the log, or a source's stored
// bytes, are not what was recorded: the projections would take the
// damage for history, and a rebuild would erase the evidence. The way
// back is a copy of the archive. Its code is Internal.
type RefusedError struct {
	// Reason says what is wrong and that the rebuild refuses it.
	Reason string
	// Err is the error the check found, if any.
	Err error
}

func (e *RefusedError) Error() string { return e.Reason }
func (e *RefusedError) Unwrap() error { return e.Err }

// RebuildOptions are Rebuild's options.
type RebuildOptions struct {
	// Progress, if not nil, is called on the calling goroutine as the
	// check of the log goes (before anything is changed): done of total
	// events (total is the head revision), every ProgressEvery events and
	// once at the end of the check. The replay that follows reports
	// nothing further.
	Progress func(done, total int)
}

// Rebuild replays the whole log into fresh projections, replacing every
// stored checkpoint, and reports the checkpoints that differed from the
// log. It first checks the log's hash chain, the fixity of every source
// and that the log was not cut short or rewritten since the projections
// recorded its head: any of those is a RefusedError, and nothing is
// changed. Rebuild holds the whole state in memory; the caller may want
// to limit the process's memory (runtime/debug.SetMemoryLimit) meanwhile.
func (a *Archive) Rebuild() (*RebuildReport, error) {
	return a.RebuildWith(RebuildOptions{})
}

// RebuildWith is Rebuild with options.
func (a *Archive) RebuildWith(opts RebuildOptions) (*RebuildReport, error) {
	a.writeMu.Lock()
	defer a.writeMu.Unlock()
	var rep RebuildReport
	err := a.log.Update(func(tx *events.Tx) error {
		// Never fold a log whose chain is broken: the projections would
		// take a forged event for history. The chain walk reads the
		// whole log through bbolt's mapping: it releases the pages as it
		// goes, as the replay below does, so that they do not add up to
		// the log's size in the process's memory.
		// Nor one whose sources' bytes were altered: the projections read
		// them (copy detection), and a replay would take the altered text
		// for the archived one.
		n := 0
		total, _ := tx.Head()
		var fixity []events.Problem
		chain, err := tx.VerifyChain(func(e events.Event) error {
			if n++; n%(1<<16) == 0 {
				projections.ReleaseMapped(tx)
			}
			if n%ProgressEvery == 0 && opts.Progress != nil {
				opts.Progress(n, int(total))
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
		if opts.Progress != nil {
			opts.Progress(n, int(total))
		}
		if len(chain.Problems) > 0 {
			return &Error{Code: Internal, Err: &RefusedError{Reason: fmt.Sprintf("the log's hash chain is broken (%s); rebuild refuses to fold it", chain.Problems[0])}}
		}
		if len(fixity) > 0 {
			return &Error{Code: Internal, Err: &RefusedError{Reason: fmt.Sprintf("a source's stored bytes were altered (%s); rebuild refuses to fold them", fixity[0])}}
		}
		var cut *projections.CutShortError
		if err := a.store.CheckHead(tx); errors.As(err, &cut) {
			return &Error{Code: Internal, Err: &RefusedError{Reason: err.Error() + "; rebuild refuses to fold it, which would erase the evidence", Err: err}}
		}
		// One replay compares the stored checkpoints with the log (bad is
		// nil when they are unreadable: the rebuild replaces them) and
		// builds the new ones.
		// The read model is written after this commit, in transactions
		// of a bounded size (WriteModel): this one holds the
		// checkpoints, not the model as well.
		head, bad, err := a.store.RebuildWithoutModel(tx)
		if err != nil {
			return err
		}
		rep = RebuildReport{Revision: head, Repaired: bad}
		// The replay's garbage, and the state itself (the model's writer
		// decodes it again from the head's checkpoint), are collected
		// before the commit copies the new checkpoints into bbolt's pages,
		// so that the copies reuse their memory instead of adding to it.
		runtime.GC()
		return nil
	})
	// The warm head state is not the rebuilt one.
	a.store.Warm = nil
	if err != nil {
		return nil, coded(err)
	}
	// The commit's copies of the checkpoints are garbage now: collected
	// before the model's writer decodes the state again, so that the
	// decoding reuses their memory instead of adding to it.
	runtime.GC()
	// Until the model's last transaction commits, reads analyse the
	// state, as they do without a model; a process stopped in between
	// leaves a model without a revision, which the next write writes
	// anew.
	err = a.store.WriteModel(a.log, rep.Revision)
	runtime.GC()
	if err != nil {
		return nil, coded(err)
	}
	return &rep, nil
}
