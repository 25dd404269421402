package eventstest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/kv"
	"github.com/sillok/sillok/events/kv/boltkv"
	"github.com/sillok/sillok/events/kv/pgkv"
	"github.com/sillok/sillok/events/kv/pgkv/pgtest"
)

// EngineVar names the environment variable that picks the engine the
// conformance suites (the tests of packages archive and events) run on:
// unset or "bbolt" for a file, "postgres" for a fresh PostgreSQL database
// per archive, on the server SILLOK_TEST_POSTGRES names (package pgtest).
const EngineVar = "SILLOK_TEST_ENGINE"

// Postgres reports whether the tests run on PostgreSQL.
func Postgres() bool { return os.Getenv(EngineVar) == "postgres" }

// ArchivePath returns where a test makes a new archive: a file called
// name in a temporary directory, or the URL of a fresh PostgreSQL
// database, dropped when the test ends, when EngineVar says so.
func ArchivePath(tb testing.TB, name string) string {
	tb.Helper()
	if Postgres() {
		return pgtest.URL(tb)
	}
	return filepath.Join(tb.TempDir(), name)
}

// FileOnly skips a test of what only a bbolt file has (its pages, its
// lock, copying it) when the suite runs on another engine.
func FileOnly(tb testing.TB, what string) {
	tb.Helper()
	if Postgres() {
		tb.Skipf("%s: a test of the bbolt file; %s=postgres runs the suite on PostgreSQL", what, EngineVar)
	}
}

// OpenKV opens the store under the closed archive at path (a file or a
// PostgreSQL URL) for a test to change behind the log's back. The test
// closes it.
func OpenKV(tb testing.TB, path string) kv.DB {
	tb.Helper()
	var db kv.DB
	if events.IsURL(path) {
		p, err := pgkv.Open(path, pgkv.Options{})
		if err != nil {
			tb.Fatal(err)
		}
		db = p
	} else {
		b, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second})
		if err != nil {
			tb.Fatal(err)
		}
		db = boltkv.New(b)
	}
	return db
}

// Snapshot returns what the archive at path holds, to compare before and
// after a command that must change nothing: a file's bytes, or a digest
// of every row of a database.
func Snapshot(tb testing.TB, path string) []byte {
	tb.Helper()
	if !events.IsURL(path) {
		b, err := os.ReadFile(path)
		if err != nil {
			tb.Fatal(err)
		}
		return b
	}
	db, err := pgkv.Open(path, pgkv.Options{ReadOnly: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	var sum string
	err = db.Pool().QueryRow(context.Background(), `SELECT coalesce(md5(string_agg(
		encode(bucket, 'hex') || ':' || encode(key, 'hex') || ':' || coalesce(encode(value, 'hex'), '-'), ','
		ORDER BY bucket, key)), '') FROM sillok_kv`).Scan(&sum)
	if err != nil {
		tb.Fatal(err)
	}
	return []byte(sum)
}
