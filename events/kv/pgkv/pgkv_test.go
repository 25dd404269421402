package pgkv_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sillok/sillok/events/kv"
	"github.com/sillok/sillok/events/kv/kvtest"
	"github.com/sillok/sillok/events/kv/pgkv"
	"github.com/sillok/sillok/events/kv/pgkv/pgtest"
)

// mustInit prepares a fresh database and opens it, closed at cleanup.
func mustInit(t testing.TB, opts pgkv.Options) (*pgkv.DB, string) {
	t.Helper()
	url := pgtest.URL(t)
	db, err := pgkv.Init(url, opts)
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db, url
}

func mustOpen(t testing.TB, url string, opts pgkv.Options) *pgkv.DB {
	t.Helper()
	db, err := pgkv.Open(url, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.DB {
		db, _ := mustInit(t, pgkv.Options{})
		return db
	})
}

func TestConformanceTwoHandles(t *testing.T) {
	kvtest.RunTwoHandles(t, func(t *testing.T) (kv.DB, kv.DB) {
		a, url := mustInit(t, pgkv.Options{})
		return a, mustOpen(t, url, pgkv.Options{})
	})
}

func TestOpen(t *testing.T) {
	t.Run("ErrNoSchema", func(t *testing.T) {
		url := pgtest.URL(t)
		_, err := pgkv.Open(url, pgkv.Options{})
		if !errors.Is(err, pgkv.ErrNoSchema) {
			t.Fatalf("Open of an empty database = %v, want ErrNoSchema", err)
		}
		if !strings.Contains(err.Error(), "sillok_test_") {
			t.Errorf("error %q does not name the database", err)
		}
	})
	t.Run("ErrTooNew", func(t *testing.T) {
		db, url := mustInit(t, pgkv.Options{})
		newer := pgkv.SchemaVersion + 1
		if _, err := db.Pool().Exec(context.Background(), `INSERT INTO sillok_schema (version) VALUES ($1)`, newer); err != nil {
			t.Fatal(err)
		}
		_, err := pgkv.Open(url, pgkv.Options{})
		if !errors.Is(err, pgkv.ErrTooNew) {
			t.Fatalf("Open = %v, want ErrTooNew", err)
		}
		want := fmt.Sprintf("the database holds schema version %d and this program knows up to %d; use a newer sillok", newer, pgkv.SchemaVersion)
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
		if _, err := pgkv.Init(url, pgkv.Options{}); !errors.Is(err, pgkv.ErrTooNew) {
			t.Errorf("Init = %v, want ErrTooNew", err)
		}
	})
	t.Run("InitTwice", func(t *testing.T) {
		db, url := mustInit(t, pgkv.Options{})
		if err := db.Update(func(tx kv.Tx) error {
			b, err := tx.CreateBucket([]byte("b"))
			if err != nil {
				return err
			}
			return b.Put([]byte("k"), []byte("v"))
		}); err != nil {
			t.Fatal(err)
		}
		again, err := pgkv.Init(url, pgkv.Options{})
		if err != nil {
			t.Fatalf("second Init: %v", err)
		}
		defer again.Close()
		var versions int
		if err := again.Pool().QueryRow(context.Background(), `SELECT count(*) FROM sillok_schema`).Scan(&versions); err != nil {
			t.Fatal(err)
		}
		if versions != pgkv.SchemaVersion {
			t.Errorf("sillok_schema holds %d rows after two Inits, want %d", versions, pgkv.SchemaVersion)
		}
		if err := again.View(func(tx kv.Tx) error {
			if got := tx.Bucket([]byte("b")).Get([]byte("k")); string(got) != "v" {
				t.Errorf("after a second Init k = %q, want v", got)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("InitsAtOnce", func(t *testing.T) {
		url := pgtest.URL(t)
		errs := make(chan error, 4)
		for range 4 {
			go func() {
				db, err := pgkv.Init(url, pgkv.Options{})
				if err == nil {
					db.Close()
				}
				errs <- err
			}()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Errorf("Init racing three others: %v", err)
			}
		}
	})
	t.Run("Unreachable", func(t *testing.T) {
		// A port nothing listens on: the error names the place, never
		// the password.
		url := "postgres://someone:s3cretpw@127.0.0.1:1/somedb?sslmode=disable&connect_timeout=5"
		_, err := pgkv.Open(url, pgkv.Options{})
		if err == nil {
			t.Fatal("Open of a closed port succeeded")
		}
		msg := err.Error()
		if strings.Contains(msg, "s3cretpw") {
			t.Errorf("error shows the password: %s", msg)
		}
		for _, want := range []string{"somedb", "127.0.0.1:1"} {
			if !strings.Contains(msg, want) {
				t.Errorf("error %q does not name %q", msg, want)
			}
		}
		// A URL that does not parse is shown with the password hidden.
		_, err = pgkv.Open("postgres://someone:s3cretpw@127.0.0.1:badport/somedb", pgkv.Options{})
		if err == nil || strings.Contains(err.Error(), "s3cretpw") || !strings.Contains(err.Error(), "somedb") {
			t.Errorf("Open of a bad URL = %v, want an error naming the URL without its password", err)
		}
	})
	t.Run("SchemaVersion", func(t *testing.T) {
		if len(pgkv.Migrations) != pgkv.SchemaVersion {
			t.Errorf("%d migrations, but SchemaVersion is %d", len(pgkv.Migrations), pgkv.SchemaVersion)
		}
	})
	t.Run("SchemaDoc", func(t *testing.T) {
		s := pgkv.Schema()
		for _, want := range []string{"sillok_schema", "sillok_kv", "PRIMARY KEY (bucket, key)", "sillok_seq"} {
			if !strings.Contains(s, want) {
				t.Errorf("Schema() lacks %q", want)
			}
		}
	})
}

func TestReadOnlyOption(t *testing.T) {
	_, url := mustInit(t, pgkv.Options{})
	db := mustOpen(t, url, pgkv.Options{ReadOnly: true})
	if err := db.Update(func(kv.Tx) error { return nil }); !errors.Is(err, kv.ErrNotWritable) {
		t.Errorf("Update on a ReadOnly DB = %v, want ErrNotWritable", err)
	}
	if err := db.View(func(kv.Tx) error { return nil }); err != nil {
		t.Errorf("View on a ReadOnly DB = %v", err)
	}
}

func TestErrBusy(t *testing.T) {
	a, url := mustInit(t, pgkv.Options{})
	b := mustOpen(t, url, pgkv.Options{LockWait: 200 * time.Millisecond})
	holding, release := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() {
		done <- a.Update(func(tx kv.Tx) error {
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	start := time.Now()
	err := b.Update(func(kv.Tx) error { return nil })
	waited := time.Since(start)
	if !errors.Is(err, pgkv.ErrBusy) {
		t.Errorf("Update while another holds the lock = %v, want ErrBusy", err)
	} else if !strings.Contains(err.Error(), "another writer holds the archive") {
		t.Errorf("error %q does not say another writer holds the archive", err)
	}
	if waited < 150*time.Millisecond || waited > 5*time.Second {
		t.Errorf("waited %v for a LockWait of 200ms", waited)
	}
	// Reads do not wait for the writer.
	if err := b.View(func(kv.Tx) error { return nil }); err != nil {
		t.Errorf("View while a writer holds the lock: %v", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := b.Update(func(kv.Tx) error { return nil }); err != nil {
		t.Errorf("Update after the writer ended: %v", err)
	}
}

func TestNotify(t *testing.T) {
	db, url := mustInit(t, pgkv.Options{})
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "LISTEN sillok"); err != nil {
		t.Fatal(err)
	}
	wait := func() error {
		ctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		_, err := conn.WaitForNotification(ctx)
		return err
	}
	if err := db.Update(func(tx kv.Tx) error {
		_, err := tx.CreateBucket([]byte("b"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := wait(); err != nil {
		t.Errorf("no notification after a write: %v", err)
	}
	if err := db.Update(func(tx kv.Tx) error { tx.Bucket([]byte("b")).Get([]byte("k")); return nil }); err != nil {
		t.Fatal(err)
	}
	if err := wait(); err == nil {
		t.Errorf("a notification after an Update that wrote nothing")
	}
}

func TestLimits(t *testing.T) {
	db, _ := mustInit(t, pgkv.Options{})
	err := db.Update(func(tx kv.Tx) error {
		b, err := tx.CreateBucket([]byte("b"))
		if err != nil {
			return err
		}
		if err := b.Put(make([]byte, pgkv.MaxKeySize), []byte("v")); err == nil {
			t.Errorf("Put of a key of MaxKeySize in a named bucket succeeded")
		}
		// The largest key this engine keeps, random so that PostgreSQL
		// cannot compress it into the index.
		key := make([]byte, pgkv.MaxKeySize-1)
		for i := range key {
			key[i] = byte(i*7919 + i>>8*31)
		}
		if err := b.Put(key, []byte("v")); err != nil {
			t.Errorf("Put of a key of MaxKeySize-1: %v", err)
		}
		if _, err := tx.CreateBucket([]byte("a\x00b")); err == nil || !strings.Contains(err.Error(), "0x00") {
			t.Errorf("CreateBucket of a name with 0x00 = %v, want an error saying so", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestOverlayFlushes writes enough in one transaction for each flush
// path (arrays, COPY into sillok_kv, COPY through the staging table),
// overwriting and deleting keys already stored.
func TestOverlayFlushes(t *testing.T) {
	db, _ := mustInit(t, pgkv.Options{})
	const n = 5000
	write := func(from, to int, tag string) {
		t.Helper()
		if err := db.Update(func(tx kv.Tx) error {
			b, err := tx.CreateBucketIfNotExists([]byte("b"))
			if err != nil {
				return err
			}
			for i := from; i < to; i++ {
				if err := b.Put(key(i), []byte(tag)); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	write(0, n, "new")         // direct COPY: the range is empty
	write(n/2, n+n/2, "over")  // staged: half overwrites
	write(n+n/2, n+n/2+10, "") // arrays
	if err := db.Update(func(tx kv.Tx) error {
		b := tx.Bucket([]byte("b"))
		for i := 0; i < n+n/2; i += 3 {
			if err := b.Delete(key(i)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.View(func(tx kv.Tx) error {
		b := tx.Bucket([]byte("b"))
		c := b.Cursor()
		i := 0
		for k, v := c.First(); k != nil; k, v = c.Next() {
			for i%3 == 0 && i < n+n/2 {
				i++
			}
			want := "new"
			switch {
			case i >= n+n/2:
				want = ""
			case i >= n/2:
				want = "over"
			}
			if binary.BigEndian.Uint64(k) != uint64(i) || string(v) != want {
				t.Fatalf("at %d: %d=%q, want %d=%q", i, binary.BigEndian.Uint64(k), v, i, want)
			}
			i++
		}
		if i != n+n/2+10 {
			t.Errorf("walk ended at %d, want %d", i, n+n/2+10)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestAutoFlush writes more than the overlay holds (128 MiB) in one
// transaction: what was flushed early still reads back in it, and all of
// it commits, or none of it on rollback.
func TestAutoFlush(t *testing.T) {
	db, _ := mustInit(t, pgkv.Options{})
	big := make([]byte, 8<<20)
	for i := range big {
		big[i] = byte(i % 251)
	}
	const n = 20 // 160 MiB
	fill := func(tx kv.Tx) (kv.Bucket, error) {
		b, err := tx.CreateBucketIfNotExists([]byte("b"))
		if err != nil {
			return nil, err
		}
		for i := range n {
			if err := b.Put(key(i), big); err != nil {
				return nil, err
			}
		}
		return b, nil
	}
	errStop := errors.New("stop")
	if err := db.Update(func(tx kv.Tx) error {
		if _, err := fill(tx); err != nil {
			return err
		}
		return errStop
	}); !errors.Is(err, errStop) {
		t.Fatalf("Update = %v, want fn's error", err)
	}
	if err := db.View(func(tx kv.Tx) error {
		if tx.Bucket([]byte("b")) != nil {
			t.Errorf("a rolled back transaction left its flushed bucket")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx kv.Tx) error {
		b, err := fill(tx)
		if err != nil {
			return err
		}
		if got := b.Get(key(0)); len(got) != len(big) || got[len(got)-1] != big[len(big)-1] {
			t.Errorf("Get of an early, flushed key: %d bytes", len(got))
		}
		return b.Delete(key(1))
	}); err != nil {
		t.Fatal(err)
	}
	var count int
	if err := db.Pool().QueryRow(context.Background(), `SELECT count(*) FROM sillok_kv WHERE bucket = 'b' AND length(value) = $1`, len(big)).Scan(&count); err != nil {
		t.Fatal(err)
	}
	if count != n-1 {
		t.Errorf("%d values of 8 MiB stored, want %d", count, n-1)
	}
}

func key(i int) []byte { return binary.BigEndian.AppendUint64(nil, uint64(i)) }

// BenchmarkImport writes 100,000 rows of about 600 bytes in one bucket in
// one Update, beside PostgreSQL's own COPY of the same rows into a plain
// table in one transaction.
func BenchmarkImport(b *testing.B) {
	const n = 100_000
	value := []byte(strings.Repeat("0123456789abcdef", 600/16+1)[:600])
	keys := make([][]byte, n)
	for i := range keys {
		keys[i] = key(i)
	}
	b.Run("pgkv", func(b *testing.B) {
		db, _ := mustInit(b, pgkv.Options{})
		b.SetBytes(n * 608)
		for i := 0; b.Loop(); i++ {
			name := []byte(fmt.Sprint("import", i))
			if err := db.Update(func(tx kv.Tx) error {
				bk, err := tx.CreateBucket(name)
				if err != nil {
					return err
				}
				for _, k := range keys {
					if err := bk.Put(k, value); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	// The same rows over a bucket already holding them: every row an
	// update, through the staging table.
	b.Run("pgkv-overwrite", func(b *testing.B) {
		db, _ := mustInit(b, pgkv.Options{})
		write := func() error {
			return db.Update(func(tx kv.Tx) error {
				bk, err := tx.CreateBucketIfNotExists([]byte("import"))
				if err != nil {
					return err
				}
				for _, k := range keys {
					if err := bk.Put(k, value); err != nil {
						return err
					}
				}
				return nil
			})
		}
		if err := write(); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(n * 608)
		for b.Loop() {
			if err := write(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("COPY", func(b *testing.B) {
		url := pgtest.URL(b)
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `CREATE TABLE plain (bucket bytea, key bytea, value bytea, PRIMARY KEY (bucket, key))`); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(n * 608)
		for i := 0; b.Loop(); i++ {
			name := []byte(fmt.Sprint("import", i))
			tx, err := conn.Begin(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"plain"}, []string{"bucket", "key", "value"},
				pgx.CopyFromSlice(n, func(j int) ([]any, error) { return []any{name, keys[j], value}, nil })); err != nil {
				b.Fatal(err)
			}
			if err := tx.Commit(ctx); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}
