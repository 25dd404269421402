package events

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime/debug"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/sillok/sillok/events/kv"
	"github.com/sillok/sillok/events/kv/boltkv"
	"github.com/sillok/sillok/events/kv/pgkv"
)

// Sentinel errors of the log.
var (
	// ErrNotArchive reports a file that is not a Sillok archive.
	ErrNotArchive = errors.New("not a Sillok archive")
	// ErrNoArchive reports that the archive file does not exist.
	ErrNoArchive = errors.New("archive does not exist")
	// ErrExists reports an attempt to create an archive where a file is.
	ErrExists = errors.New("archive already exists")
	// ErrInUse reports that another process holds the archive's lock.
	ErrInUse = errors.New("archive is in use by another process")
	// ErrTooNew reports an archive written by a newer program.
	ErrTooNew = errors.New("archive format is newer than this program")
	// ErrNotFound reports a revision, blob or index key that is not there.
	ErrNotFound = errors.New("not found")
	// ErrReadOnly reports an append on a log opened read-only.
	ErrReadOnly = errors.New("archive is open read-only")
	// ErrDamaged reports an archive file whose bytes are damaged (see
	// DamagedError).
	ErrDamaged = errors.New("archive is damaged")
)

// PathError records an error and the archive file it concerns, like
// os.PathError.
type PathError struct {
	Path string
	Err  error
}

func (e *PathError) Error() string { return "archive " + e.Path + ": " + e.Err.Error() }
func (e *PathError) Unwrap() error { return e.Err }

// Options configure a Log. The zero value is usable.
type Options struct {
	// ReadOnly opens the file with a shared lock and refuses appends.
	ReadOnly bool
	// Timeout is how long to wait for the file lock; 0 means 2 seconds.
	Timeout time.Duration
	// Now is the clock; nil means time.Now. It is called once per
	// transaction that appends.
	Now func() time.Time
	// InitialMmapSize is passed to bbolt (bytes); 0 lets bbolt choose.
	InitialMmapSize int
	// NoSync skips fsync on commit. For benchmarks and tests of throwaway
	// archives only: an archive written with NoSync is not durable.
	NoSync bool
	// Context, when set, cancels the waits of a log on a database server
	// (connecting, its write lock, each statement; a cancelled
	// transaction rolls back). A file's lock wait is Timeout's.
	Context context.Context
}

// Log is the append-only, hash-chained event log, in a bbolt file or
// in a PostgreSQL database (see OpenURL).
type Log struct {
	db   kv.DB
	bdb  *bolt.DB // the bbolt file, or nil on another engine
	path string   // the file name, or the database URL without its password
	opts Options
}

func newBoltLog(db *bolt.DB, path string, opts Options) *Log {
	return &Log{db: boltkv.New(db), bdb: db, path: path, opts: opts}
}

// Create creates a new archive at path. The file must not exist.
//
// A PostgreSQL URL (IsURL) names a database instead: Create applies the
// schema there and writes an empty archive, and fails with ErrExists when
// the database already holds one.
func Create(path string, opts Options) (*Log, error) {
	if IsURL(path) {
		return createURL(path, opts)
	}
	// Claim the name first, so that of two concurrent Creates exactly one
	// makes the file and the other never touches it.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, &PathError{path, ErrExists}
	} else if err != nil {
		return nil, &PathError{path, createCause(err)}
	}
	f.Close()
	opts.ReadOnly = false
	db, err := openBolt(path, opts)
	if err != nil {
		os.Remove(path)
		return nil, &PathError{path, createCause(err)}
	}
	err = boltkv.New(db).Update(initLog)
	if err != nil {
		db.Close()
		os.Remove(path)
		return nil, &PathError{path, createCause(err)}
	}
	return newBoltLog(db, path, opts), nil
}

// initLog writes an empty archive's buckets and header.
func initLog(tx kv.Tx) error {
	{
		meta, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		if err := meta.Put(keyMagic, []byte(magic)); err != nil {
			return err
		}
		if err := meta.Put(keyFormat, formatValue(FormatVersion)); err != nil {
			return err
		}
		for _, name := range [][]byte{bucketLog, bucketBlobs} {
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		ix, err := tx.CreateBucket(bucketIndex)
		if err != nil {
			return err
		}
		for _, name := range indexNames {
			if _, err := ix.CreateBucket([]byte(name)); err != nil {
				return err
			}
		}
		return nil
	}
}

// createCause is why Create could not write a new archive: the system's
// error ("no space left on device", "read-only file system"), not a
// verdict on a file it has just made ("not a Sillok archive").
func createCause(err error) error {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno
	}
	return err
}

// Open opens an existing archive. A file that bbolt could not read
// safely (shorter than its meta page says, a freelist page that is not
// one) is a *DamagedError, found before bbolt maps it.
//
// A PostgreSQL URL (IsURL) opens the archive in that database. Several
// processes may open it, for reading and for writing; their write
// transactions run one at a time.
func Open(path string, opts Options) (l *Log, err error) {
	if IsURL(path) {
		return openURL(path, opts)
	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, &PathError{path, ErrNoArchive}
	case err != nil:
		return nil, &PathError{path, err}
	case fi.IsDir():
		return nil, &PathError{path, fmt.Errorf("%w: it is a directory", ErrNotArchive)}
	case fi.Size() == 0:
		// bbolt would initialise an empty file as a new database.
		return nil, &PathError{path, fmt.Errorf("%w: the file is empty", ErrNotArchive)}
	}
	start := time.Now()
	fc, err := checkPath(path, lockTimeout(opts), false)
	switch {
	case errors.Is(err, errLockTimeout):
		return nil, &PathError{path, fmt.Errorf("%w (no lock within %s)", ErrInUse, lockTimeout(opts))}
	case err != nil:
		return nil, &PathError{path, err}
	case fc.damaged != "":
		return nil, &DamagedError{Path: path, What: fc.damaged}
	}
	boltOpts := opts // the lock is waited for once in all
	boltOpts.Timeout = max(lockTimeout(opts)-time.Since(start), time.Millisecond)
	db, err := openBolt(path, boltOpts)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			db.Close()
		}
	}()
	defer guard(path, debug.SetPanicOnFault(true), &err)
	err = boltkv.New(db).View(func(tx kv.Tx) error { return checkHeader(tx, path) })
	var d *DamagedError
	if errors.As(err, &d) {
		return nil, err
	}
	if err != nil {
		return nil, &PathError{path, err}
	}
	return newBoltLog(db, path, opts), nil
}

// checkHeader checks that tx holds a Sillok archive this program reads.
func checkHeader(tx kv.Tx, path string) error {
	{
		meta := tx.Bucket(bucketMeta)
		var missing []string
		for _, name := range [][]byte{bucketMeta, bucketLog, bucketBlobs, bucketIndex} {
			if tx.Bucket(name) == nil {
				missing = append(missing, string(name))
			}
		}
		switch {
		case len(missing) > 0 && len(missing) < 4:
			// Some of Sillok's buckets, not all: a root page lost some.
			return &DamagedError{Path: path, What: fmt.Sprintf("the buckets %q are missing", missing)}
		case meta != nil && meta.Get(keyMagic) == nil && len(missing) == 0:
			return &DamagedError{Path: path, What: "the meta bucket has lost the archive's header"}
		}
		if meta == nil || !bytes.Equal(meta.Get(keyMagic), []byte(magic)) {
			return fmt.Errorf("%w: it is a bbolt file without Sillok's header", ErrNotArchive)
		}
		v, n := binary.Uvarint(meta.Get(keyFormat))
		if n <= 0 {
			return fmt.Errorf("%w: unreadable format version", ErrNotArchive)
		}
		if v > FormatVersion {
			return fmt.Errorf("%w: the file is format %d and this program reads up to format %d; use a newer sillok", ErrTooNew, v, FormatVersion)
		}
		for _, name := range [][]byte{bucketLog, bucketBlobs, bucketIndex} {
			if tx.Bucket(name) == nil {
				return fmt.Errorf("%w: bucket %q is missing", ErrNotArchive, name)
			}
		}
		return nil
	}
}

// lockTimeout is how long to wait for the file lock.
func lockTimeout(opts Options) time.Duration {
	if opts.Timeout == 0 {
		return 2 * time.Second
	}
	return opts.Timeout
}

func openBolt(path string, opts Options) (db *bolt.DB, err error) {
	timeout := lockTimeout(opts)
	// bbolt reads the meta pages, and the freelist of a file opened for
	// writing, through its mapping.
	defer guard(path, debug.SetPanicOnFault(true), &err)
	db, err = bolt.Open(path, 0o644, &bolt.Options{
		Timeout:         timeout,
		ReadOnly:        opts.ReadOnly,
		InitialMmapSize: opts.InitialMmapSize,
		NoSync:          opts.NoSync,
		FreelistType:    bolt.FreelistMapType,
	})
	switch {
	case err == nil:
		return db, nil
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, &PathError{path, fmt.Errorf("%w (no lock within %s)", ErrInUse, timeout)}
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrVersionMismatch),
		errors.Is(err, bolterrors.ErrChecksum), errors.Is(err, bolterrors.ErrInvalidMapping):
		return nil, &PathError{path, fmt.Errorf("%w: %v", ErrNotArchive, err)}
	case errors.Is(err, fs.ErrPermission), errors.Is(err, fs.ErrNotExist):
		return nil, &PathError{path, err}
	}
	// bbolt reports short or garbled files with plain errors.
	return nil, &PathError{path, fmt.Errorf("%w: %w", ErrNotArchive, err)}
}

// Path returns the archive's file name.
func (l *Log) Path() string { return l.path }

// Close releases the file and its lock.
func (l *Log) Close() error { return l.db.Close() }

// Bolt returns the underlying bbolt database, for checks of the file and
// for tests; nil when the log is on another engine.
func (l *Log) Bolt() *bolt.DB { return l.bdb }

// Sync makes every committed write durable (see kv.DB).
func (l *Log) Sync() error { return l.db.Sync() }

// Update runs fn in a read-write transaction. Events appended by fn are
// committed, durably, together with everything else fn wrote, or not at
// all when fn returns an error. A damaged page met on the way is a
// *DamagedError, and nothing is committed.
func (l *Log) Update(fn func(*Tx) error) (err error) {
	if l.opts.ReadOnly {
		return &PathError{l.path, ErrReadOnly}
	}
	defer guard(l.path, debug.SetPanicOnFault(true), &err)
	defer func() {
		switch {
		case errors.Is(err, pgkv.ErrBusy):
			err = &PathError{l.path, fmt.Errorf("%w (another writer held it longer than the wait)", ErrInUse)}
		case errors.Is(err, context.Canceled):
			err = &PathError{l.path, errors.New("interrupted: the write was rolled back, unless its commit had already reached the server")}
		}
	}()
	return l.db.Update(func(btx kv.Tx) error {
		tx, err := l.newTx(btx)
		if err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			return err
		}
		tx.finishWrites()
		return nil
	})
}

// View runs fn in a read-only transaction: a consistent snapshot. A
// damaged page met on the way is a *DamagedError. Nothing fn read from
// the transaction may be used after it returns, on any goroutine.
func (l *Log) View(fn func(*Tx) error) (err error) {
	defer guard(l.path, debug.SetPanicOnFault(true), &err)
	return l.db.View(func(btx kv.Tx) error {
		tx, err := l.newTx(btx)
		if err != nil {
			return err
		}
		return fn(tx)
	})
}

// Append appends payloads as one batch, attributed to author, in one
// transaction, and returns the new events.
func (l *Log) Append(author string, batch ...Payload) ([]Event, error) {
	var out []Event
	err := l.Update(func(tx *Tx) error {
		for _, p := range batch {
			if _, err := tx.Append(author, p); err != nil {
				return err
			}
		}
		out = tx.Appended()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Head returns the last revision and its hash (0 and the zero digest for
// an empty log).
func (l *Log) Head() (rev Revision, hash Digest, err error) {
	err = l.View(func(tx *Tx) error {
		rev, hash = tx.Head()
		return nil
	})
	return rev, hash, err
}

// Tx is a transaction on the log.
type Tx struct {
	btx      kv.Tx
	log      *Log
	now      time.Time
	head     Revision
	headHash Digest
	appended eventList    // what Append returned
	app      *appendState // Append's state, from its first call
	bolted   bool         // Bolt was called
}

func (l *Log) newTx(btx kv.Tx) (*Tx, error) {
	tx := &Tx{btx: btx, log: l}
	k, v := btx.Bucket(bucketLog).Cursor().Last()
	if k != nil {
		if len(k) != 8 {
			return nil, &DamagedError{Path: l.path, What: fmt.Sprintf("the log's last key %x is not a revision", k), Err: ErrCorruptRecord}
		}
		if len(v) < 65 {
			return nil, &DamagedError{Path: l.path, What: fmt.Sprintf("the head revision %d is %d bytes, too short for an event", keyRev(k), len(v)), Err: ErrCorruptRecord}
		}
		tx.head = keyRev(k)
		copy(tx.headHash[:], v[33:65])
	}
	return tx, nil
}

// KV returns the underlying storage transaction, for packages that keep
// their own buckets (projections, accounts). It holds every event
// appended so far.
func (tx *Tx) KV() kv.Tx {
	tx.bolted = true
	if a := tx.app; a != nil {
		a.bolted()
	}
	return tx.btx
}

// Bolt returns the underlying bbolt transaction, or nil when the log is
// on another engine: for what only a bbolt file has (its mapping).
func (tx *Tx) Bolt() *bolt.Tx {
	if b, ok := tx.btx.(*boltkv.Tx); ok {
		return b.Bolt()
	}
	return nil
}

// Flush hands what the transaction has written so far to the engine,
// still uncommitted, where the engine buffers writes (kv.Flusher): a
// long transaction calls it between batches. Elsewhere it does nothing.
func (tx *Tx) Flush() error {
	if f, ok := tx.btx.(kv.Flusher); ok {
		return f.Flush()
	}
	return nil
}

// Head returns the revision and hash of the last event, including events
// appended in this transaction.
func (tx *Tx) Head() (Revision, Digest) { return tx.head, tx.headHash }

// Appended returns the events appended in this transaction so far.
func (tx *Tx) Appended() []Event { return tx.appended.all() }

// DuplicateError reports an index key that already exists.
type DuplicateError struct {
	Index, Key string
}

func (e *DuplicateError) Error() string {
	if e.Index == IndexSourceDigest {
		return "these source bytes are already archived"
	}
	return fmt.Sprintf("%s %q already exists", e.Index, e.Key)
}

// Lookup returns the revision of the event that introduced key in the
// named index.
func (tx *Tx) Lookup(index, key string) (Revision, bool) {
	b := tx.btx.Bucket(bucketIndex).Bucket([]byte(index))
	if b == nil {
		return 0, false
	}
	v := b.Get([]byte(key))
	if len(v) != 8 {
		return 0, false
	}
	return keyRev(v), true
}

// IndexKeys calls fn for every key of the named index, in key order.
func (tx *Tx) IndexKeys(index string, fn func(key string, rev Revision) error) error {
	b := tx.btx.Bucket(bucketIndex).Bucket([]byte(index))
	if b == nil {
		return fmt.Errorf("events: no index %q", index)
	}
	return b.ForEach(func(k, v []byte) error {
		if len(v) != 8 {
			return fmt.Errorf("events: index %s: %w", index, ErrCorruptRecord)
		}
		return fn(string(k), keyRev(v))
	})
}

// Event reads the event at rev.
func (tx *Tx) Event(rev Revision) (Event, error) {
	v := tx.btx.Bucket(bucketLog).Get(revKey(rev))
	if v == nil {
		return Event{}, fmt.Errorf("events: revision %d: %w", rev, ErrNotFound)
	}
	e, err := Decode(v)
	if err != nil {
		return Event{}, &DamagedError{Path: tx.log.path, What: fmt.Sprintf("revision %d: %v", rev, err), Err: err}
	}
	return e, nil
}

// Scan calls fn for each event from revision from through to (inclusive;
// to == 0 means the head), in order. The events are copies: fn may keep them.
func (tx *Tx) Scan(from, to Revision, fn func(Event) error) error {
	if from == 0 {
		from = 1
	}
	c := tx.btx.Bucket(bucketLog).Cursor()
	want := from
	for k, v := c.Seek(revKey(from)); k != nil; k, v = c.Next() {
		if len(k) != 8 {
			return &DamagedError{Path: tx.log.path, What: fmt.Sprintf("the log holds the key %x, which is not a revision", k)}
		}
		rev := keyRev(k)
		if rev != want {
			// The revisions are gap-free by construction.
			return &DamagedError{Path: tx.log.path, What: fmt.Sprintf("revisions %d to %d are missing from the log", want, rev-1)}
		}
		want++
		if to != 0 && rev > to {
			break
		}
		e, err := Decode(v)
		if err != nil {
			return &DamagedError{Path: tx.log.path, What: fmt.Sprintf("revision %d: %v", rev, err), Err: err}
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// PutBlob stores source bytes under their digest.
func (tx *Tx) PutBlob(b []byte) (Digest, error) {
	d := DigestOf(b)
	bk := tx.btx.Bucket(bucketBlobs)
	if bk.Get(d[:]) != nil {
		return d, nil
	}
	return d, bk.Put(d[:], b)
}

// Blob returns a copy of the bytes stored under d.
func (tx *Tx) Blob(d Digest) ([]byte, error) {
	v := tx.btx.Bucket(bucketBlobs).Get(d[:])
	if v == nil {
		// The blobs of archived sources are never deleted.
		return nil, &DamagedError{Path: tx.log.path, What: fmt.Sprintf("the bytes of source %s are missing", d), Err: ErrNotFound}
	}
	return bytes.Clone(v), nil
}

// Now returns the transaction's timestamp (the clock is read once).
func (tx *Tx) Now() time.Time {
	if tx.now.IsZero() {
		now := time.Now
		if tx.log.opts.Now != nil {
			now = tx.log.opts.Now
		}
		tx.now = now().UTC()
	}
	return tx.now
}

// ReadAhead reads the archive file front to back in a goroutine, so that a
// full scan that follows finds its pages in the page cache instead of
// faulting them in one at a time (bbolt maps the file for random access).
// Call the returned function when the scan is done; it stops the reader.
// It is only a hint: errors are ignored.
func (tx *Tx) ReadAhead() (stop func()) {
	if tx.log.bdb == nil {
		return func() {} // not a file
	}
	f, err := os.Open(tx.log.path)
	if err != nil {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		defer f.Close()
		buf := make([]byte, 4<<20)
		for off := int64(0); ; off += int64(len(buf)) {
			select {
			case <-done:
				return
			default:
			}
			if n, err := f.ReadAt(buf, off); n == 0 || err != nil {
				return
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
