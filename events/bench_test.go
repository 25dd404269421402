package events_test

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
)

// Benchmarks of the log against bbolt itself, measured in the same run:
// every iteration appends the events with Log.Update and Tx.Append, then puts
// the same encoded records (events.Encode of the appended events) into a
// bare bbolt file with the same batch size, the same bolt.Options (fsync on
// commit, map freelist, the same InitialMmapSize) and the fill percent the
// log uses. Sizes are 10k and 100k events, and 1M with SILLOK_BENCH_LARGE=1.
//
//	go test ./events -run '^$' -bench BenchmarkAppend -benchtime 1x -count 5

func benchSizes() []int {
	if os.Getenv("SILLOK_BENCH_LARGE") == "1" {
		return []int{10_000, 100_000, 1_000_000}
	}
	return []int{10_000, 100_000}
}

// benchPayloads returns n claims shaped like those sillok gen writes: a
// subject of three words, a dated value, an anchored quote of one sentence
// with 32 code points of context on each side.
func benchPayloads(n int) []events.Payload {
	out := make([]events.Payload, n)
	for i := range out {
		subject := fmt.Sprintf("Kotaren Misuko%04d Council", i%5000)
		quote := fmt.Sprintf("%s was founded on March %d, 2021", subject, 1+i%28)
		c := eventstest.Claim(fmt.Sprintf("c%07d", i+1), fmt.Sprintf("harbor-ledger-2024-04-%02d-%d", 1+i%28, i/20), subject, "founded", "", quote)
		c.Value = events.Value{Kind: events.KindDate, Written: fmt.Sprintf("March %d, 2021", 1+i%28), Date: fmt.Sprintf("2021-03-%02d", 1+i%28)}
		c.Quote.Digest = events.DigestOf([]byte(c.Source))
		c.Quote.Quote.Prefix = strings.Repeat("p", 32)
		c.Quote.Quote.Suffix = strings.Repeat("s", 32)
		c.Quote.Position.Start, c.Quote.Position.End = 400+i%1000, 400+i%1000+len(quote)
		out[i] = c
	}
	return out
}

// rawBolt opens a bare bbolt file with the options the log uses.
func rawBolt(tb testing.TB, path string, mmap int) *bolt.DB {
	tb.Helper()
	db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: 2 * time.Second, InitialMmapSize: mmap, FreelistType: bolt.FreelistMapType})
	if err != nil {
		tb.Fatal(err)
	}
	return db
}

// rawPut puts recs under 8-byte big-endian keys 1, 2, ... in transactions
// of batch records, as Tx.Append lays out the log bucket.
func rawPut(db *bolt.DB, recs [][]byte, batch int) error {
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists([]byte("log"))
		return err
	}); err != nil {
		return err
	}
	for lo := 0; lo < len(recs); lo += batch {
		hi := min(lo+batch, len(recs))
		err := db.Update(func(tx *bolt.Tx) error {
			b := tx.Bucket([]byte("log"))
			b.FillPercent = 1.0
			for i := lo; i < hi; i++ {
				if err := b.Put(binary.BigEndian.AppendUint64(nil, uint64(i+1)), recs[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// bucketAlloc returns the bytes of the pages bucket name holds (leaf and
// branch pages, in use or not), and the bytes of the file's pages below
// its high-water mark.
func bucketAlloc(tb testing.TB, db *bolt.DB, name string) (bucket, used int64) {
	tb.Helper()
	err := db.View(func(tx *bolt.Tx) error {
		st := tx.Bucket([]byte(name)).Stats()
		bucket = int64(st.LeafAlloc + st.BranchAlloc)
		used = tx.Size()
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return bucket, used
}

func fileSize(tb testing.TB, path string) int64 {
	tb.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		tb.Fatal(err)
	}
	return fi.Size()
}

// BenchmarkAppend appends N claim events in batches of 1000 and in one
// batch of N, to the log and to bare bbolt, and reports:
//
//	events/s          the log's append rate (ns/op is the log's time alone)
//	bbolt_events/s    bare bbolt's rate for the same records and batches
//	ratio_to_bbolt    the log's rate over bbolt's (target ≥ 0.6)
//	MB/s              encoded event bytes per second through the log
//	storage_ratio     the pages of the log bucket over the encoded event bytes (target ≤ 1.3)
//	bbolt_storage_ratio  the same for the bare bbolt bucket
//	used_ratio        the archive's pages in use (all buckets, below the high-water mark) over the encoded bytes
//	file_ratio        the archive file's size over the encoded bytes (bbolt grows files ahead of use)
func BenchmarkAppend(b *testing.B) {
	for _, n := range benchSizes() {
		for _, bc := range []struct {
			batch int
			mmap  int
			name  string
		}{
			{1000, 0, "batch=1000/mmap=default"},
			{n, 0, "batch=all/mmap=default"},
			{n, 1 << 30, "batch=all/mmap=1GiB"},
		} {
			b.Run(fmt.Sprintf("events=%d/%s", n, bc.name), func(b *testing.B) {
				payloads := benchPayloads(n)
				var logTime, rawTime time.Duration
				var encoded, logFile, logBucket, logUsed, rawBucket int64
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					dir := b.TempDir()
					path := filepath.Join(dir, "log.db")
					log, err := events.Create(path, events.Options{InitialMmapSize: bc.mmap, Now: eventstest.StepClock(eventstest.Epoch)})
					if err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					start := time.Now()
					for lo := 0; lo < n; lo += bc.batch {
						batch := payloads[lo:min(lo+bc.batch, n)]
						err := log.Update(func(tx *events.Tx) error {
							for _, p := range batch {
								if _, err := tx.Append("archivist", p); err != nil {
									return err
								}
							}
							return nil
						})
						if err != nil {
							b.Fatal(err)
						}
					}
					logTime += time.Since(start)
					b.StopTimer()
					// The same records, as stored.
					recs := make([][]byte, 0, n)
					encoded = 0
					err = log.View(func(tx *events.Tx) error {
						return tx.Scan(1, 0, func(e events.Event) error {
							rec := events.Encode(&e)
							encoded += int64(len(rec))
							recs = append(recs, rec)
							return nil
						})
					})
					if err != nil {
						b.Fatal(err)
					}
					logBucket, logUsed = bucketAlloc(b, log.Bolt(), "log")
					if err := log.Close(); err != nil {
						b.Fatal(err)
					}
					logFile = fileSize(b, path)
					rawPath := filepath.Join(dir, "raw.db")
					db := rawBolt(b, rawPath, bc.mmap)
					start = time.Now()
					if err := rawPut(db, recs, bc.batch); err != nil {
						b.Fatal(err)
					}
					rawTime += time.Since(start)
					rawBucket, _ = bucketAlloc(b, db, "log")
					if err := db.Close(); err != nil {
						b.Fatal(err)
					}
					os.RemoveAll(dir)
					b.StartTimer()
				}
				b.StopTimer()
				total := float64(n) * float64(b.N)
				b.ReportMetric(total/logTime.Seconds(), "events/s")
				b.ReportMetric(total/rawTime.Seconds(), "bbolt_events/s")
				b.ReportMetric(rawTime.Seconds()/logTime.Seconds(), "ratio_to_bbolt")
				b.ReportMetric(float64(encoded)*float64(b.N)/logTime.Seconds()/1e6, "MB/s")
				b.ReportMetric(float64(logBucket)/float64(encoded), "storage_ratio")
				b.ReportMetric(float64(rawBucket)/float64(encoded), "bbolt_storage_ratio")
				b.ReportMetric(float64(logUsed)/float64(encoded), "used_ratio")
				b.ReportMetric(float64(logFile)/float64(encoded), "file_ratio")
			})
		}
	}
}

// BenchmarkScanDecode reads back N events with Tx.Scan (which decodes each
// record) and Event.Decode (the payload), against a bare bbolt cursor over
// the same records: the floor of every replay.
func BenchmarkScanDecode(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			log := eventstest.MustOpenLog(b)
			payloads := benchPayloads(n)
			for lo := 0; lo < n; lo += 10000 {
				if _, err := log.Append("archivist", payloads[lo:min(lo+10000, n)]...); err != nil {
					b.Fatal(err)
				}
			}
			var scanTime, rawTime time.Duration
			var bytes int64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				err := log.View(func(tx *events.Tx) error {
					return tx.Scan(1, 0, func(e events.Event) error {
						_, err := e.Decode()
						return err
					})
				})
				if err != nil {
					b.Fatal(err)
				}
				scanTime += time.Since(start)
				b.StopTimer()
				start = time.Now()
				bytes = 0
				err = log.Bolt().View(func(tx *bolt.Tx) error {
					c := tx.Bucket([]byte("log")).Cursor()
					for k, v := c.First(); k != nil; k, v = c.Next() {
						bytes += int64(len(v))
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				rawTime += time.Since(start)
				b.StartTimer()
			}
			b.StopTimer()
			total := float64(n) * float64(b.N)
			b.ReportMetric(total/scanTime.Seconds(), "events/s")
			b.ReportMetric(float64(bytes)*float64(b.N)/scanTime.Seconds()/1e6, "MB/s")
			b.ReportMetric(total/rawTime.Seconds(), "bbolt_cursor_events/s")
		})
	}
}
