// Package boltkv is the kv interface on a bbolt file: the embedded
// engine, and Sillok's default.
package boltkv

import (
	"errors"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/sillok/sillok/events/kv"
)

// DB is a bbolt database as a kv.DB.
type DB struct{ db *bolt.DB }

// New wraps an open bbolt database.
func New(db *bolt.DB) *DB { return &DB{db} }

// Bolt returns the bbolt database (for checks of the file itself).
func (d *DB) Bolt() *bolt.DB { return d.db }

func (d *DB) Update(fn func(kv.Tx) error) error {
	return d.db.Update(func(tx *bolt.Tx) error { return fn(&Tx{tx}) })
}

func (d *DB) View(fn func(kv.Tx) error) error {
	return d.db.View(func(tx *bolt.Tx) error { return fn(&Tx{tx}) })
}

func (d *DB) Sync() error  { return d.db.Sync() }
func (d *DB) Close() error { return d.db.Close() }

// Tx is a bbolt transaction as a kv.Tx.
type Tx struct{ tx *bolt.Tx }

// Bolt returns the bbolt transaction.
func (t *Tx) Bolt() *bolt.Tx { return t.tx }

func (t *Tx) Bucket(name []byte) kv.Bucket { return wrap(t.tx.Bucket(name)) }

func (t *Tx) CreateBucket(name []byte) (kv.Bucket, error) {
	b, err := t.tx.CreateBucket(name)
	return wrapErr(b, err)
}

func (t *Tx) CreateBucketIfNotExists(name []byte) (kv.Bucket, error) {
	b, err := t.tx.CreateBucketIfNotExists(name)
	return wrapErr(b, err)
}

func (t *Tx) DeleteBucket(name []byte) error { return mapErr(t.tx.DeleteBucket(name)) }
func (t *Tx) Writable() bool                 { return t.tx.Writable() }

// Bucket is a bbolt bucket as a kv.Bucket.
type Bucket struct{ b *bolt.Bucket }

func wrap(b *bolt.Bucket) kv.Bucket {
	if b == nil {
		return nil // an untyped nil, so that callers' nil checks hold
	}
	return &Bucket{b}
}

func wrapErr(b *bolt.Bucket, err error) (kv.Bucket, error) {
	if err != nil {
		return nil, mapErr(err)
	}
	return &Bucket{b}, nil
}

// mapErr turns bbolt's errors into kv's.
func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, bolterrors.ErrBucketExists):
		return kv.ErrBucketExists
	case errors.Is(err, bolterrors.ErrBucketNotFound):
		return kv.ErrBucketNotFound
	case errors.Is(err, bolterrors.ErrTxNotWritable):
		return kv.ErrNotWritable
	case errors.Is(err, bolterrors.ErrKeyRequired):
		return kv.ErrKeyRequired
	case errors.Is(err, bolterrors.ErrIncompatibleValue):
		return kv.ErrIncompatible
	case errors.Is(err, bolterrors.ErrValueTooLarge):
		return kv.ErrValueTooLarge
	}
	return err
}

func (b *Bucket) Get(key []byte) []byte        { return b.b.Get(key) }
func (b *Bucket) Put(key, value []byte) error  { return mapErr(b.b.Put(key, value)) }
func (b *Bucket) Delete(key []byte) error      { return mapErr(b.b.Delete(key)) }
func (b *Bucket) Cursor() kv.Cursor            { return &Cursor{c: b.b.Cursor()} }
func (b *Bucket) KeyCursor() kv.Cursor         { return &Cursor{c: b.b.Cursor(), keys: true} }
func (b *Bucket) Bucket(name []byte) kv.Bucket { return wrap(b.b.Bucket(name)) }
func (b *Bucket) FillHint(fraction float64)    { b.b.FillPercent = fraction }

func (b *Bucket) ForEach(fn func(k, v []byte) error) error { return b.b.ForEach(fn) }

func (b *Bucket) CreateBucket(name []byte) (kv.Bucket, error) {
	c, err := b.b.CreateBucket(name)
	return wrapErr(c, err)
}

func (b *Bucket) CreateBucketIfNotExists(name []byte) (kv.Bucket, error) {
	c, err := b.b.CreateBucketIfNotExists(name)
	return wrapErr(c, err)
}

func (b *Bucket) DeleteBucket(name []byte) error { return mapErr(b.b.DeleteBucket(name)) }

func (b *Bucket) NextSequence() (uint64, error) {
	n, err := b.b.NextSequence()
	return n, mapErr(err)
}

// Cursor is a bbolt cursor as a kv.Cursor.
type Cursor struct {
	c    *bolt.Cursor
	keys bool // KeyCursor: values read as empty
}

// kv returns k, v as the cursor gives them (a KeyCursor: v empty).
func (c *Cursor) kv(k, v []byte) ([]byte, []byte) {
	if c.keys && v != nil {
		return k, v[:0]
	}
	return k, v
}

func (c *Cursor) First() ([]byte, []byte)        { return c.kv(c.c.First()) }
func (c *Cursor) Last() ([]byte, []byte)         { return c.kv(c.c.Last()) }
func (c *Cursor) Next() ([]byte, []byte)         { return c.kv(c.c.Next()) }
func (c *Cursor) Prev() ([]byte, []byte)         { return c.kv(c.c.Prev()) }
func (c *Cursor) Seek(k []byte) ([]byte, []byte) { return c.kv(c.c.Seek(k)) }
func (c *Cursor) Delete() error                  { return mapErr(c.c.Delete()) }
