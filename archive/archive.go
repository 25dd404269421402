package archive

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/sources"
)

// Options are how an archive is opened.
type Options struct {
	// ReadOnly opens the archive for reading: a shared lock, and every
	// write is refused (Forbidden).
	ReadOnly bool
	// Timeout is how long Open waits for another process's lock before
	// it gives up with a Conflict error; 0 means 2 seconds.
	Timeout time.Duration
	// Now is the clock events are stamped with; nil means time.Now.
	Now func() time.Time
	// CheckpointInterval is how many events may separate two stored
	// projection checkpoints; 0 means the default.
	CheckpointInterval int
	// Context, when set, cancels what an archive on a database server
	// waits for (connecting, the write lock, each statement): a write it
	// cancels is rolled back whole. Nil: never cancelled.
	Context context.Context
}

// Archive is one open archive. It is safe for concurrent use by many
// goroutines: reads run in read transactions on a consistent revision and
// do not wait for writes; writes are serialized.
type Archive struct {
	path string
	log  *events.Log

	// writeMu serializes writes, and guards store's warm head state and
	// its Bulk switch, and the alias graph below.
	writeMu sync.Mutex
	store   *projections.Store

	// aliases is the graph of the archive's alias declarations as of
	// revision aliasesAt, kept from one write to the next so that an
	// import of many files reads the archive's aliases once, not once a
	// file (aliasChecker). txBase is the head a write transaction
	// started from; aliasAdds counts the declarations the transaction
	// added to the graph.
	aliases   *projections.AliasGraph
	aliasesAt events.Revision
	txBase    events.Revision
	aliasAdds int
}

// Open opens the existing archive at path.
func Open(path string, opts Options) (*Archive, error) {
	log, err := events.Open(path, logOptions(opts))
	if err != nil {
		return nil, &Error{Code: ErrorCode(err), Err: err}
	}
	return newArchive(path, log, opts), nil
}

// Create makes a new, empty archive at path and opens it for writing. It
// fails with a Conflict error when a file is already there.
func Create(path string, opts Options) (*Archive, error) {
	opts.ReadOnly = false
	log, err := events.Create(path, logOptions(opts))
	if err != nil {
		return nil, &Error{Code: ErrorCode(err), Err: err}
	}
	return newArchive(path, log, opts), nil
}

func logOptions(opts Options) events.Options {
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = 2 * time.Second
	}
	return events.Options{ReadOnly: opts.ReadOnly, Timeout: timeout, Now: opts.Now, Context: opts.Context}
}

func newArchive(path string, log *events.Log, opts Options) *Archive {
	return &Archive{
		path: path,
		log:  log,
		store: &projections.Store{
			Interval: opts.CheckpointInterval,
			Text: func(tx *events.Tx, src *events.SourceArchived) (string, error) {
				return sources.StoredText(tx, src)
			},
			KeepWarm: true,
		},
	}
}

// Path is where the archive is: its file, or its database's URL without
// a password (events.Redact).
func (a *Archive) Path() string { return events.Redact(a.path) }

// Close closes the archive. Reads and writes still running finish first.
func (a *Archive) Close() error {
	a.writeMu.Lock()
	defer a.writeMu.Unlock()
	return a.log.Close()
}

// update runs fn in one write transaction and brings the stored
// projections up to the new head in the same transaction: every event fn
// appends lands with the read model it changes, or none does.
func (a *Archive) update(fn func(tx *events.Tx) error) error {
	_, err := a.updateBulk(false, fn)
	return err
}

// updateBulk is update for one transaction of a bulk load (bulk: more
// follow, so the checkpoints are spaced for it, projections.Store.Bulk).
// appended reports whether fn appended anything.
func (a *Archive) updateBulk(bulk bool, fn func(tx *events.Tx) error) (appended bool, err error) {
	a.writeMu.Lock()
	defer a.writeMu.Unlock()
	a.store.Bulk = bulk
	defer func() { a.store.Bulk = false }()
	var head events.Revision
	aliasEvents := 0
	err = a.log.Update(func(tx *events.Tx) error {
		a.txBase, _ = tx.Head()
		a.aliasAdds = 0
		if err := fn(tx); err != nil {
			return err
		}
		head, _ = tx.Head()
		for _, e := range tx.Appended() {
			if e.Type == events.TypeAliasDeclared {
				aliasEvents++
			}
		}
		if len(tx.Appended()) == 0 {
			return nil
		}
		appended = true
		return a.store.CatchUp(tx)
	})
	if err != nil {
		// The warm state and the alias graph may hold events that were
		// rolled back.
		a.store.Warm = nil
		a.aliases = nil
		return false, coded(err)
	}
	a.keepAliases(head, aliasEvents)
	return appended, nil
}

// Head, given as a revision to read at, means the newest: the revision of
// the newest event when the read starts. (Revision 0, the zero value, is
// the empty archive.)
const Head = ^Revision(0)

// reader is a read transaction at a revision: the stored read model when
// it can answer for that revision, and the projected state, read (and
// analysed) only when something asks for it.
type reader struct {
	tx    *events.Tx
	store *projections.Store
	// model is the stored read model at the revision read, or nil when it
	// cannot answer for it (projections.Store.OpenModel).
	model    *projections.Model
	state    *projections.State
	analysis *projections.Analysis
	// at is the revision read, head the newest.
	at, head events.Revision
}

// loadState reads (once) the state at the revision read.
func (r *reader) loadState() (*projections.State, error) {
	if r.state == nil {
		st, _, err := r.store.At(r.tx, r.at)
		if err != nil {
			return nil, err
		}
		r.state = st
	}
	return r.state, nil
}

// analyze computes (once) the reconciled view and conflicts of the whole
// state: what a read the model cannot answer costs.
func (r *reader) analyze() (*projections.Analysis, error) {
	if r.analysis == nil {
		st, err := r.loadState()
		if err != nil {
			return nil, err
		}
		r.analysis = projections.Analyze(st)
	}
	return r.analysis, nil
}

// read runs fn at revision at (Head: the newest) in one read
// transaction. Nothing fn keeps may point into the transaction's memory
// after it returns (package events copies what it decodes).
func (a *Archive) read(at events.Revision, fn func(*reader) error) error {
	err := a.log.View(func(tx *events.Tx) error {
		head, _ := tx.Head()
		if at == Head {
			at = head
		} else if at > head {
			return Errorf(NotFound, "revision %d is beyond the head revision %d", at, head)
		}
		if err := a.store.CheckHead(tx); err != nil {
			return err
		}
		r := &reader{tx: tx, store: a.store, at: at, head: head}
		r.model, _ = a.store.OpenModel(tx, at)
		return fn(r)
	})
	return coded(err)
}

// coded gives err its code, unless it has one.
func coded(err error) error {
	var e *Error
	if err == nil || errors.As(err, &e) {
		return err
	}
	return &Error{Code: classify(err), Err: err}
}
