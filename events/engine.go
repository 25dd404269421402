package events

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/sillok/sillok/events/kv"
	"github.com/sillok/sillok/events/kv/pgkv"
)

// IsURL reports whether an archive name is a PostgreSQL URL
// (postgres://user@host/db or postgresql://…) rather than a file name.
func IsURL(name string) bool {
	return strings.HasPrefix(name, "postgres://") || strings.HasPrefix(name, "postgresql://")
}

// Redact returns an archive name fit to print: a URL without its
// password, a file name as it is.
func Redact(name string) string {
	if !IsURL(name) {
		return name
	}
	u, err := url.Parse(name)
	if err != nil {
		return "postgres://…" // unparseable: print nothing of it
	}
	// The password may also be a parameter (libpq's and pgx's names).
	if q := u.Query(); q.Has("password") || q.Has("sslpassword") {
		for _, k := range []string{"password", "sslpassword"} {
			if q.Has(k) {
				q.Set(k, "xxxxx")
			}
		}
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// OnServer reports whether the log is on a database server, shared with
// other processes that may append to it (PostgreSQL), rather than in a
// file this process holds the lock of.
func (l *Log) OnServer() bool { return l.bdb == nil }

// createURL makes a new, empty archive in the PostgreSQL database at
// dsn, applying the schema's migrations first. A database that already
// holds an archive is ErrExists.
func createURL(dsn string, opts Options) (*Log, error) {
	name := Redact(dsn)
	db, err := pgkv.Init(dsn, pgOptions(opts))
	if err != nil {
		return nil, &PathError{name, pgCause(err)}
	}
	err = db.Update(func(tx kv.Tx) error {
		if tx.Bucket(bucketMeta) != nil {
			return ErrExists
		}
		return initLog(tx)
	})
	if err != nil {
		db.Close()
		return nil, &PathError{name, err}
	}
	return &Log{db: db, path: name, opts: opts}, nil
}

// openURL opens the archive in the PostgreSQL database at dsn.
func openURL(dsn string, opts Options) (*Log, error) {
	name := Redact(dsn)
	db, err := pgkv.Open(dsn, pgOptions(opts))
	if err != nil {
		return nil, &PathError{name, pgCause(err)}
	}
	err = db.View(func(tx kv.Tx) error {
		if tx.Bucket(bucketMeta) == nil && tx.Bucket(bucketLog) == nil {
			return ErrNoArchive
		}
		return checkHeader(tx, name)
	})
	if err != nil {
		db.Close()
		var d *DamagedError
		if errors.As(err, &d) {
			return nil, err
		}
		return nil, &PathError{name, err}
	}
	return &Log{db: db, path: name, opts: opts}, nil
}

func pgOptions(opts Options) pgkv.Options {
	return pgkv.Options{ReadOnly: opts.ReadOnly, Context: opts.Context}
}

// pgCause maps the engine's errors to the log's.
func pgCause(err error) error {
	switch {
	case errors.Is(err, pgkv.ErrNoSchema):
		return fmt.Errorf("%w: the database has no Sillok schema yet", ErrNoArchive)
	case errors.Is(err, pgkv.ErrTooNew):
		return fmt.Errorf("%w: %v", ErrTooNew, err)
	}
	return err
}
