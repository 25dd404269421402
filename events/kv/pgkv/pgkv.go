package pgkv

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sillok/sillok/events/kv"
)

// Errors of opening a database and of waiting for the write lock.
var (
	// ErrNoSchema reports a database that Init has not prepared.
	ErrNoSchema = errors.New("pgkv: the database holds no sillok schema")
	// ErrTooNew reports a database whose schema a newer program wrote.
	ErrTooNew = errors.New("pgkv: the database's schema is newer than this program")
	// ErrTooOld reports a database whose schema is older than this
	// program's; Init migrates it.
	ErrTooOld = errors.New("pgkv: the database's schema is older than this program")
	// ErrBusy reports a write transaction that waited Options.LockWait
	// for the write lock.
	ErrBusy = errors.New("pgkv: another writer holds the archive")
)

// Limits of this engine, below kv's where PostgreSQL is narrower.
const (
	// MaxKeySize bounds a key plus its bucket path (the names from the
	// top joined with 0x00): a btree entry must fit a third of a page.
	MaxKeySize = 2560
	// MaxValueSize bounds a value: a bytea is at most 1 GiB.
	MaxValueSize = 1<<30 - 1<<20
)

// SchemaVersion is the version of the schema this program writes and
// reads: the number of migrations.
const SchemaVersion = 1

// schemaTable records the migrations applied, one row per version.
const schemaTable = `CREATE TABLE IF NOT EXISTS sillok_schema (
	version int PRIMARY KEY,
	applied_at timestamptz NOT NULL DEFAULT now()
)`

// migrations are the schema's versions: migrations[i] makes version i+1.
// A released migration is never changed; a new version appends one.
var migrations = []string{
	`CREATE TABLE sillok_kv (
	bucket bytea NOT NULL,
	key bytea NOT NULL,
	value bytea,
	PRIMARY KEY (bucket, key)
);
CREATE INDEX sillok_kv_buckets ON sillok_kv (bucket, key) WHERE value IS NULL;
CREATE TABLE sillok_seq (
	bucket bytea PRIMARY KEY,
	seq bigint NOT NULL
)`,
}

// Schema returns the SQL of the whole schema at SchemaVersion, as Init
// applies it to an empty database.
func Schema() string {
	var b strings.Builder
	b.WriteString(schemaTable + ";\n")
	for i, m := range migrations {
		fmt.Fprintf(&b, "-- version %d\n%s;\n", i+1, m)
	}
	return b.String()
}

// Advisory lock keys (per database): the write lock and Init's. An
// operator who holds WriteLockKey (SELECT pg_advisory_lock(…)) holds
// every writer of the archive off.
const (
	WriteLockKey = 0x73696c6c6f6b01 // "sillok" 1
	initLockKey  = 0x73696c6c6f6b02
)

// stageTable is the per-connection staging table of large flushes.
const stageTable = `CREATE TEMP TABLE IF NOT EXISTS sillok_stage (
	bucket bytea NOT NULL,
	key bytea NOT NULL,
	value bytea,
	del bool NOT NULL
) ON COMMIT DELETE ROWS`

// Options configure a DB.
type Options struct {
	// ReadOnly refuses Update with kv.ErrNotWritable.
	ReadOnly bool
	// LockWait bounds how long Update waits for the write lock before
	// it fails with ErrBusy; 0 means 60 seconds.
	LockWait time.Duration
	// MaxConns is the size of the connection pool; 0 means 16.
	MaxConns int32
	// Context, when set, bounds every wait on the server: connecting,
	// the write lock, each statement. A command cancels it on Ctrl-C; a
	// transaction it cancels rolls back. Nil means never cancelled.
	Context context.Context
}

// DB is a PostgreSQL database as a kv.DB.
type DB struct {
	pool  *pgxpool.Pool
	opts  Options
	where string // user@host:port/database, for messages
	// writer admits one write transaction of this process at a time to
	// wait for the database's write lock (run).
	writer chan struct{}
}

var _ kv.DB = (*DB)(nil)

// Open connects to the database at url (a postgres:// URL or key=value
// string) and checks that Init has prepared it at SchemaVersion.
func Open(url string, opts Options) (*DB, error) {
	d, err := connect(url, opts)
	if err != nil {
		return nil, err
	}
	if err := d.checkSchema(); err != nil {
		d.pool.Close()
		return nil, err
	}
	return d, nil
}

// Init applies the migrations the database lacks, in one transaction
// under an advisory lock, and opens it. Init of a prepared database
// changes nothing.
func Init(url string, opts Options) (*DB, error) {
	d, err := connect(url, opts)
	if err != nil {
		return nil, err
	}
	if err := d.migrate(); err != nil {
		d.pool.Close()
		return nil, err
	}
	if err := d.checkSchema(); err != nil {
		d.pool.Close()
		return nil, err
	}
	return d, nil
}

// connError is a failure to reach or use the server, named by where it
// was and with the password (if any) never shown.
type connError struct {
	where    string
	password string
	err      error
}

func (e *connError) Error() string {
	msg := e.err.Error()
	if e.password != "" {
		msg = strings.ReplaceAll(msg, e.password, "xxxxx")
	}
	return "pgkv: " + e.where + ": " + msg
}

func (e *connError) Unwrap() error { return e.err }

func connect(url string, opts Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx shows the URL with its password replaced by xxxxx.
		return nil, fmt.Errorf("pgkv: %w", err)
	}
	if opts.MaxConns <= 0 {
		opts.MaxConns = 16
	}
	if opts.Context == nil {
		opts.Context = context.Background()
	}
	if opts.LockWait <= 0 {
		opts.LockWait = 60 * time.Second
	}
	cfg.MaxConns = opts.MaxConns
	if cfg.ConnConfig.ConnectTimeout == 0 {
		// A server that never answers is an error, not a hang (the URL's
		// connect_timeout overrides it).
		cfg.ConnConfig.ConnectTimeout = 15 * time.Second
	}
	if !opts.ReadOnly {
		cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
			_, err := c.Exec(ctx, stageTable)
			return err
		}
	}
	cc := cfg.ConnConfig
	where := fmt.Sprintf("database %q on %s as %q", cc.Database, net.JoinHostPort(cc.Host, strconv.Itoa(int(cc.Port))), cc.User)
	pool, err := pgxpool.NewWithConfig(opts.Context, cfg)
	if err != nil {
		return nil, &connError{where, cc.Password, err}
	}
	d := &DB{pool: pool, opts: opts, where: where, writer: make(chan struct{}, 1)}
	if err := pool.Ping(opts.Context); err != nil {
		pool.Close()
		return nil, d.wrap(err)
	}
	return d, nil
}

// wrap names the database in a server's error.
func (d *DB) wrap(err error) error {
	return &connError{d.where, d.pool.Config().ConnConfig.Password, err}
}

// schemaVersion returns the highest version recorded, and whether the
// table exists.
func schemaVersion(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}) (int, bool, error) {
	var exists bool
	if err := q.QueryRow(ctx, `SELECT to_regclass('sillok_schema') IS NOT NULL`).Scan(&exists); err != nil || !exists {
		return 0, false, err
	}
	var v int
	err := q.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM sillok_schema`).Scan(&v)
	return v, true, err
}

func (d *DB) checkSchema() error {
	v, exists, err := schemaVersion(d.opts.Context, d.pool)
	switch {
	case err != nil:
		return d.wrap(err)
	case !exists || v == 0:
		return fmt.Errorf("%w in %s; prepare it with init (pgkv.Init)", ErrNoSchema, d.where)
	case v > SchemaVersion:
		return fmt.Errorf("%w: the database holds schema version %d and this program knows up to %d; use a newer sillok (%s)", ErrTooNew, v, SchemaVersion, d.where)
	case v < SchemaVersion:
		return fmt.Errorf("%w: the database holds schema version %d and this program needs %d; run init to migrate it (%s)", ErrTooOld, v, SchemaVersion, d.where)
	}
	return nil
}

func (d *DB) migrate() error {
	ctx := context.Background()
	tx, err := d.pool.BeginTx(ctx, pgx.TxOptions{})
	if err != nil {
		return d.wrap(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(initLockKey)); err != nil {
		return d.wrap(err)
	}
	if _, err := tx.Exec(ctx, schemaTable); err != nil {
		return d.wrap(err)
	}
	v, _, err := schemaVersion(ctx, tx)
	if err != nil {
		return d.wrap(err)
	}
	if v > SchemaVersion {
		return fmt.Errorf("%w: the database holds schema version %d and this program knows up to %d; use a newer sillok (%s)", ErrTooNew, v, SchemaVersion, d.where)
	}
	for i := v; i < len(migrations); i++ {
		if _, err := tx.Exec(ctx, migrations[i]); err != nil {
			return fmt.Errorf("pgkv: migration to version %d: %w", i+1, d.wrap(err))
		}
		if _, err := tx.Exec(ctx, `INSERT INTO sillok_schema (version) VALUES ($1)`, i+1); err != nil {
			return d.wrap(err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return d.wrap(err)
	}
	return nil
}

// Pool returns the connection pool (for tests, and for a watcher that
// LISTENs on the channel sillok).
func (d *DB) Pool() *pgxpool.Pool { return d.pool }

// Update runs fn in a write transaction, which waits for the database's
// write lock, and commits it when fn returns nil.
func (d *DB) Update(fn func(kv.Tx) error) error {
	if d.opts.ReadOnly {
		return kv.ErrNotWritable
	}
	return d.run(true, fn)
}

// View runs fn in a read transaction on one snapshot.
func (d *DB) View(fn func(kv.Tx) error) error { return d.run(false, fn) }

// Sync does nothing: a commit is durable when it returns.
func (d *DB) Sync() error { return nil }

// Close closes the pool, waiting for the connections in use.
func (d *DB) Close() error {
	d.pool.Close()
	return nil
}

func (d *DB) run(writable bool, fn func(kv.Tx) error) (err error) {
	ctx := d.opts.Context
	if writable {
		// One writer of this process waits for the database's lock; the
		// others wait here, holding no connection, so that waiting
		// writers never take the connections readers need.
		select {
		case d.writer <- struct{}{}:
			defer func() { <-d.writer }()
		case <-time.After(d.opts.LockWait):
			return fmt.Errorf("%w: waited %v for the write lock of %s", ErrBusy, d.opts.LockWait, d.where)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return d.wrap(err)
	}
	// The pool destroys a connection released inside a transaction.
	defer conn.Release()
	t := newTx(ctx, d, conn.Conn(), writable)
	begun := false
	defer func() {
		t.closed = true
		// begun stays true on every way out but a commit: an error,
		// or a panic in fn.
		if begun {
			if _, rerr := conn.Exec(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil {
				conn.Conn().Close(ctx)
			}
		}
	}()
	if writable {
		ms := d.opts.LockWait.Milliseconds()
		if ms < 1 {
			ms = 1
		}
		begin := fmt.Sprintf("BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = %d; SELECT pg_advisory_xact_lock(%d); SET LOCAL lock_timeout = 0", ms, int64(WriteLockKey))
		begun = true
		if _, err := conn.Exec(ctx, begin); err != nil {
			var pe *pgconn.PgError
			if errors.As(err, &pe) && pe.Code == "55P03" { // lock_not_available
				return fmt.Errorf("%w: waited %v for the write lock of %s", ErrBusy, d.opts.LockWait, d.where)
			}
			return d.wrap(err)
		}
	} else {
		begun = true
		// SELECT 1 takes the snapshot now, as bbolt's View does.
		if _, err := conn.Exec(ctx, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT 1"); err != nil {
			return d.wrap(err)
		}
	}
	if err := fn(t); err != nil {
		if t.err != nil {
			// A Get or a cursor move failed and fn saw "absent": the
			// database's error is the cause.
			return fmt.Errorf("%w (then: %v)", t.err, err)
		}
		return err
	}
	if t.err != nil {
		return t.err
	}
	if !writable {
		if _, err := conn.Exec(ctx, "COMMIT"); err != nil {
			return d.wrap(err)
		}
		begun = false
		return nil
	}
	if err := t.commit(); err != nil {
		return err
	}
	begun = false
	return nil
}
