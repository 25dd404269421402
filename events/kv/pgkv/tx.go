package pgkv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/sillok/sillok/events/kv"
)

// Flush thresholds: the overlay is flushed whole past autoFlushBytes; a
// flush of at most smallOps rows and smallBytes bytes is one statement
// over arrays, a larger one goes through COPY; a bucket's upserts of at
// least directOps rows are COPYed straight into sillok_kv when the bucket
// holds no row in their key range.
const (
	autoFlushBytes = 128 << 20
	smallOps       = 1 << 17
	smallBytes     = 64 << 20
	directOps      = 256
	// childrenLoad is how many nested bucket names a transaction reads
	// at once to learn that a key is not a bucket; a bucket with more
	// is asked key by key.
	childrenLoad = 4096
)

// errTxClosed reports the use of a transaction after it ended.
var errTxClosed = errors.New("pgkv: transaction has ended")

// op is a pending write of a key: a value, a nested bucket (a NULL
// value), or a delete.
type op struct {
	value  []byte
	bucket bool
	del    bool
}

// bucketState is what a transaction knows of one bucket: its pending
// writes, which keys are nested buckets, and its sequence.
type bucketState struct {
	path []byte
	ops  map[string]op
	// children caches whether a key is a nested bucket (true) or not
	// (false); when complete, a key not in it is not a bucket.
	children       map[string]bool
	complete       bool
	triedChildren  bool
	seq            uint64
	seqLoaded      bool
	seqDirty       bool
	deleted        bool
	pendingDeletes int
	// reads caches what Get read from the database (nil: absent or a
	// bucket), small values only; a write of the key forgets it.
	reads map[string][]byte
}

// The read cache of a transaction: values up to readCacheValue bytes, at
// most readCacheEntries of them. A lookup repeated within a transaction
// (a source or a predicate that every claim of an import cites) costs
// one round trip, not one each.
const (
	readCacheValue   = 4 << 10
	readCacheEntries = 1 << 16
)

// tx is a transaction as a kv.Tx.
type tx struct {
	ctx      context.Context
	db       *DB
	conn     *pgx.Conn
	writable bool
	closed   bool
	// err is the first error of a method that cannot return one (Get,
	// a cursor's moves); Update and View return it, rolling back.
	err     error
	root    *bucketState
	states  map[string]*bucketState
	pending int // bytes in the overlay
	cached  int // entries in the read caches
	wrote   bool
}

func newTx(ctx context.Context, d *DB, conn *pgx.Conn, writable bool) *tx {
	t := &tx{ctx: ctx, db: d, conn: conn, writable: writable, states: map[string]*bucketState{}}
	t.root = t.state([]byte{}) // the top level: an empty path, not NULL
	return t
}

// state returns the transaction's state of the bucket at path, made
// when missing.
func (t *tx) state(path []byte) *bucketState {
	if st, ok := t.states[string(path)]; ok {
		return st
	}
	st := &bucketState{path: path, ops: map[string]op{}, children: map[string]bool{}, reads: map[string][]byte{}}
	t.states[string(path)] = st
	return st
}

// fail records the first error of a method that cannot return it.
func (t *tx) fail(err error) {
	if t.err == nil {
		t.err = err
	}
}

func (t *tx) Bucket(name []byte) kv.Bucket { return t.root.bucketOf(t, name) }
func (t *tx) CreateBucket(name []byte) (kv.Bucket, error) {
	return t.root.createBucket(t, name, false)
}
func (t *tx) CreateBucketIfNotExists(name []byte) (kv.Bucket, error) {
	return t.root.createBucket(t, name, true)
}
func (t *tx) DeleteBucket(name []byte) error { return t.root.deleteBucket(t, name) }
func (t *tx) Writable() bool                 { return t.writable }

// childPath is the path of the nested bucket name of the bucket at path.
func childPath(path, name []byte) []byte {
	if len(path) == 0 {
		return slices.Clone(name)
	}
	p := make([]byte, 0, len(path)+1+len(name))
	p = append(p, path...)
	p = append(p, 0)
	return append(p, name...)
}

func checkName(name []byte) error {
	switch {
	case len(name) == 0:
		return fmt.Errorf("pgkv: bucket name: %w", kv.ErrKeyRequired)
	case bytes.IndexByte(name, 0) >= 0:
		return fmt.Errorf("pgkv: bucket name %q contains a 0x00 byte, which this engine keeps as its path separator", name)
	}
	return nil
}

// lookup reads the row of key in the bucket at path from the database:
// found, and whether it is a nested bucket.
func (t *tx) lookup(path, key []byte) (value []byte, found, isBucket bool, err error) {
	err = t.conn.QueryRow(t.ctx, `SELECT value FROM sillok_kv WHERE bucket = $1 AND key = $2`, path, key).Scan(&value)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, false, nil
	}
	if err != nil {
		return nil, false, false, t.db.wrap(err)
	}
	if value == nil {
		return nil, true, true, nil
	}
	return value, true, false, nil
}

// isBucket tells whether key of st is a nested bucket.
func (st *bucketState) isBucket(t *tx, key []byte) (bool, error) {
	if o, ok := st.ops[string(key)]; ok {
		return o.bucket, nil
	}
	if b, ok := st.children[string(key)]; ok {
		return b, nil
	}
	if st.complete {
		return false, nil
	}
	if !st.triedChildren {
		st.triedChildren = true
		rows, err := t.conn.Query(t.ctx, `SELECT key FROM sillok_kv WHERE bucket = $1 AND value IS NULL ORDER BY key LIMIT $2`, st.path, childrenLoad+1)
		if err != nil {
			return false, t.db.wrap(err)
		}
		var names [][]byte
		for rows.Next() {
			var k []byte
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return false, t.db.wrap(err)
			}
			names = append(names, k)
		}
		if err := rows.Err(); err != nil {
			return false, t.db.wrap(err)
		}
		for _, k := range names {
			if _, ok := st.children[string(k)]; !ok {
				st.children[string(k)] = true
			}
		}
		if len(names) <= childrenLoad {
			st.complete = true
			return st.children[string(key)], nil
		}
		if b, ok := st.children[string(key)]; ok {
			return b, nil
		}
	}
	_, _, b, err := t.lookup(st.path, key)
	if err != nil {
		return false, err
	}
	st.children[string(key)] = b
	return b, nil
}

// bucketOf returns the nested bucket name of st, or nil.
func (st *bucketState) bucketOf(t *tx, name []byte) kv.Bucket {
	if t.closed {
		t.fail(errTxClosed)
		return nil
	}
	if st.deleted || checkName(name) != nil {
		return nil
	}
	b, err := st.isBucket(t, name)
	if err != nil {
		t.fail(err)
		return nil
	}
	if !b {
		return nil
	}
	return &bucket{t, t.state(childPath(st.path, name))}
}

func (st *bucketState) createBucket(t *tx, name []byte, ifNotExists bool) (kv.Bucket, error) {
	if err := t.check(st, true); err != nil {
		return nil, err
	}
	if err := checkName(name); err != nil {
		return nil, err
	}
	if len(st.path)+1+len(name) > MaxKeySize {
		return nil, fmt.Errorf("pgkv: bucket path of %d bytes; this engine keeps at most %d", len(st.path)+1+len(name), MaxKeySize)
	}
	o, pending := st.ops[string(name)]
	switch {
	case pending && o.bucket:
		if ifNotExists {
			return &bucket{t, t.state(childPath(st.path, name))}, nil
		}
		return nil, kv.ErrBucketExists
	case pending && !o.del:
		return nil, kv.ErrIncompatible
	case !pending:
		known, ok := st.children[string(name)]
		if ok && known {
			if ifNotExists {
				return &bucket{t, t.state(childPath(st.path, name))}, nil
			}
			return nil, kv.ErrBucketExists
		}
		_, found, isBucket, err := t.lookup(st.path, name)
		if err != nil {
			return nil, err
		}
		if isBucket {
			st.children[string(name)] = true
			if ifNotExists {
				return &bucket{t, t.state(childPath(st.path, name))}, nil
			}
			return nil, kv.ErrBucketExists
		}
		if found {
			st.children[string(name)] = false
			return nil, kv.ErrIncompatible
		}
	}
	st.put(t, name, op{bucket: true})
	st.children[string(name)] = true
	path := childPath(st.path, name)
	// A new bucket is empty: nothing of it is in the database.
	child := &bucketState{path: path, ops: map[string]op{}, children: map[string]bool{}, complete: true, triedChildren: true, seqLoaded: true}
	t.states[string(path)] = child
	return &bucket{t, child}, nil
}

func (st *bucketState) deleteBucket(t *tx, name []byte) error {
	if err := t.check(st, true); err != nil {
		return err
	}
	if err := checkName(name); err != nil {
		return err
	}
	if o, pending := st.ops[string(name)]; pending {
		switch {
		case o.del:
			return kv.ErrBucketNotFound
		case !o.bucket:
			return kv.ErrIncompatible
		}
	} else if known, ok := st.children[string(name)]; !ok || !known {
		_, found, isBucket, err := t.lookup(st.path, name)
		if err != nil {
			return err
		}
		if !found {
			return kv.ErrBucketNotFound
		}
		if !isBucket {
			return kv.ErrIncompatible
		}
	}
	path := childPath(st.path, name)
	prefix := append(slices.Clone(path), 0)
	for p, s := range t.states {
		if p == string(path) || strings.HasPrefix(p, string(prefix)) {
			s.deleted = true
			for k, o := range s.ops {
				t.pending -= len(k) + len(o.value)
			}
			s.ops = nil
			delete(t.states, p)
		}
	}
	end := append(slices.Clone(path), 1)
	b := &pgx.Batch{}
	b.Queue(`DELETE FROM sillok_kv WHERE bucket = $1 OR (bucket >= $2 AND bucket < $3)`, path, prefix, end)
	b.Queue(`DELETE FROM sillok_seq WHERE bucket = $1 OR (bucket >= $2 AND bucket < $3)`, path, prefix, end)
	if err := t.conn.SendBatch(t.ctx, b).Close(); err != nil {
		t.fail(t.db.wrap(err))
		return t.err
	}
	t.wrote = true
	st.put(t, name, op{del: true})
	st.children[string(name)] = false
	return nil
}

// check refuses a write to st that this transaction cannot make.
func (t *tx) check(st *bucketState, write bool) error {
	switch {
	case t.closed:
		return errTxClosed
	case t.err != nil:
		return t.err
	case write && !t.writable:
		return kv.ErrNotWritable
	case st.deleted:
		return kv.ErrBucketNotFound
	}
	return nil
}

// put records a pending write.
func (st *bucketState) put(t *tx, key []byte, o op) {
	k := string(key)
	delete(st.reads, k)
	if old, ok := st.ops[k]; ok {
		t.pending -= len(k) + len(old.value)
		if old.del {
			st.pendingDeletes--
		}
	}
	if o.del {
		st.pendingDeletes++
	}
	st.ops[k] = o
	t.pending += len(k) + len(o.value)
}

// bucket is a bucket of a transaction as a kv.Bucket.
type bucket struct {
	t  *tx
	st *bucketState
}

func (b *bucket) Get(key []byte) []byte {
	t, st := b.t, b.st
	if err := t.check(st, false); err != nil {
		t.fail(err)
		return nil
	}
	if o, ok := st.ops[string(key)]; ok {
		return o.value // nil for a delete and a bucket
	}
	if len(key) == 0 {
		return nil
	}
	if v, ok := st.reads[string(key)]; ok {
		return v
	}
	v, _, _, err := t.lookup(st.path, key)
	if err != nil {
		t.fail(err)
		return nil
	}
	if len(v) <= readCacheValue && t.cached < readCacheEntries {
		if st.reads == nil {
			st.reads = map[string][]byte{}
		}
		st.reads[string(key)] = v
		t.cached++
	}
	return v
}

func (b *bucket) checkKey(key []byte) error {
	switch {
	case len(key) == 0:
		return kv.ErrKeyRequired
	case len(key)+len(b.st.path) > MaxKeySize:
		return fmt.Errorf("pgkv: key of %d bytes in a bucket path of %d; this engine keeps at most %d together", len(key), len(b.st.path), MaxKeySize)
	}
	return nil
}

func (b *bucket) Put(key, value []byte) error {
	t, st := b.t, b.st
	if err := t.check(st, true); err != nil {
		return err
	}
	if err := b.checkKey(key); err != nil {
		return err
	}
	if len(value) > MaxValueSize {
		return kv.ErrValueTooLarge
	}
	isBucket, err := st.isBucket(t, key)
	if err != nil {
		t.fail(err)
		return err
	}
	if isBucket {
		return kv.ErrIncompatible
	}
	if value == nil {
		value = []byte{} // an empty value, not a bucket's NULL
	}
	st.put(t, key, op{value: value})
	if t.pending > autoFlushBytes {
		return t.flush(nil)
	}
	return nil
}

func (b *bucket) Delete(key []byte) error {
	t, st := b.t, b.st
	if err := t.check(st, true); err != nil {
		return err
	}
	if err := b.checkKey(key); err != nil {
		return err
	}
	isBucket, err := st.isBucket(t, key)
	if err != nil {
		t.fail(err)
		return err
	}
	if isBucket {
		return kv.ErrIncompatible
	}
	st.put(t, key, op{del: true})
	return nil
}

func (b *bucket) Cursor() kv.Cursor    { return &cursor{b: b} }
func (b *bucket) KeyCursor() kv.Cursor { return &cursor{b: b, keys: true} }

func (b *bucket) ForEach(fn func(k, v []byte) error) error {
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return b.t.err
}

func (b *bucket) Bucket(name []byte) kv.Bucket { return b.st.bucketOf(b.t, name) }
func (b *bucket) CreateBucket(name []byte) (kv.Bucket, error) {
	return b.st.createBucket(b.t, name, false)
}
func (b *bucket) CreateBucketIfNotExists(name []byte) (kv.Bucket, error) {
	return b.st.createBucket(b.t, name, true)
}
func (b *bucket) DeleteBucket(name []byte) error { return b.st.deleteBucket(b.t, name) }

func (b *bucket) NextSequence() (uint64, error) {
	t, st := b.t, b.st
	if err := t.check(st, true); err != nil {
		return 0, err
	}
	if !st.seqLoaded {
		var n int64
		err := t.conn.QueryRow(t.ctx, `SELECT seq FROM sillok_seq WHERE bucket = $1`, st.path).Scan(&n)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			t.fail(t.db.wrap(err))
			return 0, t.err
		}
		st.seq, st.seqLoaded = uint64(n), true
	}
	st.seq++
	st.seqDirty = true
	return st.seq, nil
}

// FillHint is ignored: PostgreSQL's pages are its own.
func (b *bucket) FillHint(float64) {}

// Flush sends every write of the transaction so far to the server,
// still uncommitted (kv.Flusher): a long transaction calls it between
// batches, so that what it buffers stays small.
func (t *tx) Flush() error { return t.flush(nil) }

// flush writes the pending writes of st, or of every bucket when st is
// nil, with the sequences too at commit.
func (t *tx) flush(only *bucketState) error {
	if t.err != nil {
		return t.err
	}
	var states []*bucketState
	if only != nil {
		if len(only.ops) > 0 {
			states = append(states, only)
		}
	} else {
		for _, st := range t.states {
			if len(st.ops) > 0 {
				states = append(states, st)
			}
		}
	}
	if len(states) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	if err := t.queueFlush(b, states); err != nil {
		return err
	}
	if b.Len() > 0 {
		if err := t.conn.SendBatch(t.ctx, b).Close(); err != nil {
			t.fail(t.db.wrap(err))
			return t.err
		}
	}
	return nil
}

// queueFlush writes the pending writes of states: small ones are queued
// on b as statements over arrays; large ones are COPYed now.
func (t *tx) queueFlush(b *pgx.Batch, states []*bucketState) error {
	n, size := 0, 0
	for _, st := range states {
		n += len(st.ops)
		for k, o := range st.ops {
			size += len(k) + len(o.value)
		}
	}
	if n == 0 {
		return nil
	}
	t.wrote = true
	if n <= smallOps && size <= smallBytes {
		var ub, uk, uv, db, dk [][]byte
		for _, st := range states {
			for k, o := range st.ops {
				if o.del {
					db, dk = append(db, st.path), append(dk, []byte(k))
				} else {
					ub, uk, uv = append(ub, st.path), append(uk, []byte(k)), append(uv, o.value)
				}
			}
			st.clearOps(t)
		}
		if len(db) > 0 {
			b.Queue(`DELETE FROM sillok_kv AS t USING unnest($1::bytea[], $2::bytea[]) AS d(bucket, key)
				WHERE t.bucket = d.bucket AND t.key = d.key`, db, dk)
		}
		if len(ub) > 0 {
			b.Queue(`INSERT INTO sillok_kv (bucket, key, value)
				SELECT * FROM unnest($1::bytea[], $2::bytea[], $3::bytea[])
				ON CONFLICT (bucket, key) DO UPDATE SET value = EXCLUDED.value`, ub, uk, uv)
		}
		return nil
	}
	var stage [][]any
	for _, st := range states {
		ups := make([]string, 0, len(st.ops)-st.pendingDeletes)
		for k, o := range st.ops {
			if o.del {
				stage = append(stage, []any{st.path, []byte(k), nil, true})
			} else {
				ups = append(ups, k)
			}
		}
		slices.Sort(ups)
		direct := false
		if len(ups) >= directOps {
			var taken bool
			err := t.conn.QueryRow(t.ctx, `SELECT EXISTS (SELECT 1 FROM sillok_kv WHERE bucket = $1 AND key >= $2 AND key <= $3)`,
				st.path, []byte(ups[0]), []byte(ups[len(ups)-1])).Scan(&taken)
			if err != nil {
				t.fail(t.db.wrap(err))
				return t.err
			}
			direct = !taken
		}
		if direct {
			// No row of the bucket lies in the range written: nothing to
			// update, so COPY the rows in, in key order.
			path := st.path
			_, err := t.conn.CopyFrom(t.ctx, pgx.Identifier{"sillok_kv"}, []string{"bucket", "key", "value"},
				pgx.CopyFromSlice(len(ups), func(i int) ([]any, error) {
					return []any{path, []byte(ups[i]), st.ops[ups[i]].value}, nil
				}))
			if err != nil {
				t.fail(t.db.wrap(err))
				return t.err
			}
		} else {
			for _, k := range ups {
				stage = append(stage, []any{st.path, []byte(k), st.ops[k].value, false})
			}
		}
		st.clearOps(t)
	}
	if len(stage) == 0 {
		return nil
	}
	if _, err := t.conn.CopyFrom(t.ctx, pgx.Identifier{"sillok_stage"}, []string{"bucket", "key", "value", "del"}, pgx.CopyFromRows(stage)); err != nil {
		t.fail(t.db.wrap(err))
		return t.err
	}
	b.Queue(`DELETE FROM sillok_kv AS t USING sillok_stage AS s WHERE s.del AND t.bucket = s.bucket AND t.key = s.key`)
	b.Queue(`INSERT INTO sillok_kv (bucket, key, value) SELECT bucket, key, value FROM sillok_stage WHERE NOT del
		ORDER BY bucket, key ON CONFLICT (bucket, key) DO UPDATE SET value = EXCLUDED.value`)
	b.Queue(`TRUNCATE sillok_stage`)
	return nil
}

// clearOps forgets st's pending writes once they are flushed.
func (st *bucketState) clearOps(t *tx) {
	for k, o := range st.ops {
		t.pending -= len(k) + len(o.value)
	}
	st.ops = map[string]op{}
	st.pendingDeletes = 0
}

// commit flushes everything and commits, notifying listeners when the
// transaction wrote anything.
func (t *tx) commit() error {
	if t.err != nil {
		return t.err
	}
	var states []*bucketState
	var seqPaths [][]byte
	var seqs []int64
	for _, st := range t.states {
		if len(st.ops) > 0 {
			states = append(states, st)
		}
		if st.seqDirty {
			seqPaths, seqs = append(seqPaths, st.path), append(seqs, int64(st.seq))
		}
	}
	b := &pgx.Batch{}
	if err := t.queueFlush(b, states); err != nil {
		return err
	}
	if len(seqs) > 0 {
		t.wrote = true
		b.Queue(`INSERT INTO sillok_seq (bucket, seq) SELECT * FROM unnest($1::bytea[], $2::int8[])
			ON CONFLICT (bucket) DO UPDATE SET seq = EXCLUDED.seq`, seqPaths, seqs)
	}
	if t.wrote {
		b.Queue(`SELECT pg_notify('sillok', '')`)
	}
	b.Queue("COMMIT")
	br := t.conn.SendBatch(t.ctx, b)
	var tag string
	var err error
	for i := 0; i < b.Len(); i++ {
		ct, e := br.Exec()
		if e != nil {
			err = e
			break
		}
		tag = ct.String()
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return t.db.wrap(err)
	}
	if tag != "COMMIT" {
		return fmt.Errorf("pgkv: commit of %s was rolled back (%s)", t.db.where, tag)
	}
	return nil
}
