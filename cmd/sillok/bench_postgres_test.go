package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/events/kv/pgkv"
	"github.com/sillok/sillok/events/kv/pgkv/pgtest"
	"github.com/sillok/sillok/internal/gen"
	"github.com/sillok/sillok/internal/gen/gentest"
)

// The benchmarks run on PostgreSQL when SILLOK_TEST_ENGINE=postgres (and
// SILLOK_TEST_POSTGRES names a server): benchCopy puts each cached
// archive into a fresh database, through a bag, instead of copying its
// file, and the same commands are timed against a rebuild on the same
// engine.

var benchBags sync.Map // archive file → the directory of its bag (FILE.bag)

// benchCopy returns a fresh copy of the archive file src for one
// benchmark: a file called name in a temporary directory, or, on
// PostgreSQL, a fresh database holding the same archive.
func benchCopy(b testing.TB, src, name string) string {
	b.Helper()
	if !eventstest.Postgres() {
		path := filepath.Join(b.TempDir(), name)
		gentest.CopyFile(b, src, path)
		return path
	}
	bag, ok := benchBags.Load(src)
	if !ok {
		// Beside the cached archive, kept like it from run to run.
		dir := src + ".bag"
		if _, err := os.Stat(filepath.Join(dir, "bag-info.txt")); err != nil {
			os.RemoveAll(dir)
			ar, err := archive.Open(src, archive.Options{ReadOnly: true})
			if err != nil {
				b.Fatal(err)
			}
			_, err = ar.ExportBag(dir, archive.BagOptions{})
			ar.Close()
			if err != nil {
				os.RemoveAll(dir)
				b.Fatal(err)
			}
		}
		bag = dir
		benchBags.Store(src, bag)
	}
	url := pgtest.URL(b)
	if _, err := archive.ImportBag(bag.(string), url, archive.Options{}, archive.ImportBagOptions{}); err != nil {
		b.Fatal(err)
	}
	return url
}

// BenchmarkPostgresImport times `sillok claim import` of the generated
// JSON claims files into a database that holds their sources, and then
// PostgreSQL's own COPY, in one transaction, of every row the database
// holds after the import into a table of the same shape (the same rows:
// the events, their index, the read model and checkpoint): metric
// ratio_to_copy, the COPY's time over the import's (target ≥ 0.5), and
// ratio_to_copy_log, over a COPY of the log's rows alone.
func BenchmarkPostgresImport(b *testing.B) {
	if os.Getenv("SILLOK_TEST_POSTGRES") == "" {
		b.Skip("PostgreSQL benchmarks: set SILLOK_TEST_POSTGRES (bash .ci/postgres start prints it)")
	}
	for _, n := range gentest.ClaimSizes() {
		b.Run(fmt.Sprintf("claims=%d", n), func(b *testing.B) {
			set := gentest.CachedSet(b, n)
			dir := gentest.CachedJSON(b, n)
			files, err := gen.ClaimsFiles(dir)
			if err != nil || len(files) == 0 {
				b.Fatalf("no claims files in %s: %v", dir, err)
			}
			var imp, raw, rawLog time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				old := os.Getenv(eventstest.EngineVar)
				os.Setenv(eventstest.EngineVar, "postgres")
				url := benchCopy(b, set.SourcesArchive, "sources.db")
				os.Setenv(eventstest.EngineVar, old)
				a := benchApp()
				var errb strings.Builder
				a.stderr = &errb
				b.StartTimer()
				start := time.Now()
				code := run(context.Background(), a, append([]string{"sillok", "--archive", url, "claim", "import"}, files...))
				imp += time.Since(start)
				b.StopTimer()
				if code != 0 {
					b.Fatalf("claim import: exit status %d: %s", code, errb.String())
				}
				all, logOnly := copyRows(b, url)
				raw += all
				rawLog += logOnly
				b.StartTimer()
			}
			b.StopTimer()
			b.ReportMetric(float64(n)*float64(b.N)/imp.Seconds(), "claims/s")
			b.ReportMetric(raw.Seconds()/imp.Seconds(), "ratio_to_copy")
			b.ReportMetric(rawLog.Seconds()/imp.Seconds(), "ratio_to_copy_log")
		})
	}
}

// copyRows times PostgreSQL's COPY, in one transaction, of every row of
// the archive's table into a new table of the same shape, and of the
// log's rows alone into another.
func copyRows(b *testing.B, url string) (all, logOnly time.Duration) {
	b.Helper()
	db, err := pgkv.Open(url, pgkv.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Pool().Acquire(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Release()
	read := func(where string) [][]any {
		rows, err := conn.Query(ctx, `SELECT bucket, key, value FROM sillok_kv `+where)
		if err != nil {
			b.Fatal(err)
		}
		out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([]any, error) {
			var bk, k, v []byte
			err := r.Scan(&bk, &k, &v)
			return []any{bk, k, v}, err
		})
		if err != nil {
			b.Fatal(err)
		}
		return out
	}
	copyInto := func(table string, rows [][]any) time.Duration {
		if _, err := conn.Exec(ctx, `CREATE TABLE `+table+` (bucket bytea NOT NULL, key bytea NOT NULL, value bytea, PRIMARY KEY (bucket, key))`); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		tx, err := conn.Begin(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{table}, []string{"bucket", "key", "value"}, pgx.CopyFromRows(rows)); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	all = copyInto("bench_copy_all", read(""))
	logOnly = copyInto("bench_copy_log", read(`WHERE bucket = 'log'::bytea`))
	return all, logOnly
}
