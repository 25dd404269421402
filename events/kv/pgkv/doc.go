// Package pgkv is the kv interface on PostgreSQL: for desks whose archive
// outgrows one bbolt file, or that want several processes on one store.
// There are only a few types: DB (a connection pool on one database),
// and the unexported transaction, bucket and cursor behind kv.Tx,
// kv.Bucket and kv.Cursor.
//
// # Basics
//
// Open connects to a database that Init has prepared; Init applies the
// versioned migrations (in one transaction, under an advisory lock, so two
// Inits do not race) and opens. The version is recorded in sillok_schema;
// Open refuses a database whose schema is newer than this program knows
// (ErrTooNew) or absent (ErrNoSchema).
//
// # Schema
//
// Every bucket lives in one table (see Schema for the SQL):
//
//	sillok_kv(bucket bytea, key bytea, value bytea, primary key (bucket, key))
//
// bucket is the path of bucket names from the top, joined with a 0x00
// byte (so bucket names may not contain 0x00; such a name is refused).
// The top level is the empty path. For example:
//
//	top-level bucket "events":        ('', 'events', NULL)
//	bucket "b" nested in "events":    ('events', 'b', NULL)
//	key "k" of "b" in "events":       ('events\x00b', 'k', value)
//
// A nested bucket is a row
// of its parent whose value is NULL, so a cursor meets it in key order with
// a nil value, as bbolt's does; a stored empty value is an empty, non-NULL
// bytea. bytea compares bytewise (memcmp, then length), which is
// bytes.Compare, so ORDER BY key is the kv order. A bucket's descendants
// are exactly the paths that start with its path and 0x00, so deleting a
// bucket deletes one range. A partial index on the NULL-valued rows finds
// a bucket's nested buckets without reading its values. NextSequence's
// counters are rows of sillok_seq(bucket, seq).
//
// # Locking
//
// A write transaction (Update) is BEGIN (READ COMMITTED) followed by
// pg_advisory_xact_lock on a fixed key: exactly one write transaction runs
// at a time on the database, across every process, and since the lock is
// held every later statement of the transaction sees every earlier commit,
// which makes READ COMMITTED serial. Options.LockWait bounds the wait (SET
// LOCAL lock_timeout); a timeout is ErrBusy. A read transaction (View) is
// BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY with its snapshot taken
// at once: one snapshot for the whole View, and no lock.
//
// # Overlay
//
// A write transaction buffers its Puts and Deletes per bucket in memory (an
// overlay holding the caller's slices, which kv says must not change until
// the transaction ends) and Get reads the overlay before the database.
// Pending writes of a bucket are flushed before a cursor on it reads a
// batch, all of them at commit, and all of them whenever the overlay
// passes 128 MiB. A small flush is one statement over unnest() arrays; a
// large one COPYs straight into sillok_kv when the bucket holds no row in
// the written key range (an import of new keys), and otherwise COPYs into a
// temporary staging table (ON COMMIT DELETE ROWS, one per connection) and
// upserts and deletes from it. Besides the overlay, a transaction caches
// only what it learns about which keys are nested buckets, and its
// sequences. Cursors read in growing batches: one row after First, Last
// or Seek, then four times more per batch up to 4096, since some values
// are hundreds of megabytes and most walks are short.
//
// # Notify
//
// A write transaction that wrote anything runs, before it commits,
//
//	SELECT pg_notify('sillok', '')
//
// so another process can LISTEN sillok and hear of every commit (Pool
// gives the connections for that).
//
// # Caveats
//
// PostgreSQL keeps what bbolt does, with these limits: a key and its bucket
// path together may hold at most MaxKeySize bytes (a btree entry must fit
// a third of a page), and a value at most MaxValueSize (a bytea is at
// most 1 GiB). A View's snapshot is taken when it begins, as bbolt's is,
// but two handles on one database are two processes: nothing is shared but
// what is committed. A cursor holds the rows of its current batch: after
// writing to its bucket, reposition it (Seek, First, Last), as bbolt
// asks too; a repositioned cursor sees every write of its transaction.
// Sync is a no-op: a commit is durable when it returns
// (synchronous_commit on).
package pgkv
