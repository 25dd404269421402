// Package kv is the storage interface under the event log and the read
// model: an ordered key-value store of nested buckets with serializable
// write transactions and snapshot read transactions. It is bbolt's model,
// which Sillok was first written on; every engine implements it and
// passes the suite in kv/kvtest.
//
// Two engines implement it: boltkv (one bbolt file, the embedded
// default) and pgkv (PostgreSQL, for desks that outgrow one file).
//
// The semantics every engine keeps:
//
//   - Keys sort bytewise (bytes.Compare); a cursor walks them in that
//     order. A nested bucket's name is a key of its parent whose value is
//     nil, and a cursor meets it in order, as bbolt's does.
//   - A write transaction sees its own writes. At most one write
//     transaction runs at a time on one store, across every process that
//     has it open; a read transaction sees one snapshot for its whole life.
//   - Byte slices a transaction returns are valid until it ends; callers
//     copy what they keep. Slices passed to Put must not be changed until
//     the transaction ends.
//   - A function given to Update that returns an error rolls back
//     everything it wrote.
package kv

import "errors"

// Errors every engine returns for the same mistakes.
var (
	ErrBucketExists   = errors.New("kv: bucket already exists")
	ErrBucketNotFound = errors.New("kv: bucket not found")
	ErrNotWritable    = errors.New("kv: transaction is read-only")
	ErrKeyRequired    = errors.New("kv: key required")
	ErrIncompatible   = errors.New("kv: a value where a bucket was asked for, or a bucket where a value")
	// ErrValueTooLarge reports a value above MaxValueSize.
	ErrValueTooLarge = errors.New("kv: value too large")
)

// Limits of bbolt, the most any engine accepts. pgkv keeps less: a key
// and its bucket path together at most pgkv.MaxKeySize (2560) bytes, a
// value at most pgkv.MaxValueSize (just under 1 GiB).
const (
	MaxKeySize   = 32768
	MaxValueSize = (1 << 31) - 2
)

// DB is one open store.
type DB interface {
	// Update runs fn in a write transaction and commits it, durably,
	// when fn returns nil.
	Update(fn func(Tx) error) error
	// View runs fn in a read transaction.
	View(fn func(Tx) error) error
	// Sync makes every committed write durable (a no-op where commits
	// already are).
	Sync() error
	Close() error
}

// Tx is a transaction. It belongs to one goroutine at a time.
type Tx interface {
	// Bucket returns the top-level bucket name, or nil.
	Bucket(name []byte) Bucket
	CreateBucket(name []byte) (Bucket, error)
	CreateBucketIfNotExists(name []byte) (Bucket, error)
	DeleteBucket(name []byte) error
	Writable() bool
}

// Bucket is a set of keys, some of which are nested buckets.
type Bucket interface {
	// Get returns the value of key, or nil when it is absent or names a
	// nested bucket.
	Get(key []byte) []byte
	// Put sets key to value. Give an empty value as []byte{}: what a
	// nil value reads back as is the engine's (bbolt: nil, like a bucket).
	Put(key, value []byte) error
	Delete(key []byte) error
	Cursor() Cursor
	// KeyCursor is a Cursor that reads keys alone: every value it returns
	// is empty (non-nil), or nil for a nested bucket. Engines that
	// transfer values (pgkv) spare the bytes of large ones (projection
	// checkpoints) where only the keys are wanted.
	KeyCursor() Cursor
	// ForEach calls fn for every key in order (v is nil for a nested
	// bucket). fn must not change the bucket.
	ForEach(fn func(k, v []byte) error) error
	Bucket(name []byte) Bucket
	CreateBucket(name []byte) (Bucket, error)
	CreateBucketIfNotExists(name []byte) (Bucket, error)
	DeleteBucket(name []byte) error
	// NextSequence returns the bucket's next integer, from 1.
	NextSequence() (uint64, error)
	// FillHint says how full to pack the pages written in this
	// transaction (bbolt's FillPercent: 1.0 for keys that only grow).
	// Engines without pages ignore it.
	FillHint(fraction float64)
}

// Cursor walks a bucket's keys in order. A nil key means there is none.
type Cursor interface {
	First() (k, v []byte)
	Last() (k, v []byte)
	Next() (k, v []byte)
	Prev() (k, v []byte)
	// Seek moves to key, or to the first key after it.
	Seek(key []byte) (k, v []byte)
	// Delete removes the key the cursor is on. Where the cursor is
	// afterwards is the engine's (bbolt's Next can skip the key after
	// the deleted one); Seek the deleted key to go on to the next.
	Delete() error
}

// Flusher is a Tx of an engine that buffers writes (pgkv): Flush sends
// what the transaction has written so far to the server, still
// uncommitted, so that a long transaction holds little in memory.
type Flusher interface {
	Flush() error
}
