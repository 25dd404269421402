package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/internal/gen"
	"github.com/sillok/sillok/internal/gen/gentest"
)

// End-to-end benchmarks of the commands on generated archives (sillok gen,
// cached by gentest.CachedSet), each with the matching raw figure measured
// in the same run:
//
//	BenchmarkImport           claims import (parse, validate, anchor, append,
//	                          projections to the head) vs bbolt batched puts of
//	                          the same records in the same transactions
//	BenchmarkReadAfterAppend  `conflicts` and `view SUBJECT` right after `claim add`,
//	                          vs a full rebuild
//
// The benchmarks of the projection (rebuild, analyze, Store.Head) are in
// package projections, those of the archive API (verify, reads after an
// append) in package archive. Sizes: 10k and 100k claims; 1M with
// SILLOK_BENCH_LARGE=1.
//
//	go test ./cmd/sillok -run '^$' -bench . -benchtime 1x -count 5 -timeout 2h

// BenchmarkImport imports every claims file of a generated set into an
// archive that holds its sources (one transaction per file, as `claim
// import` does), then puts the same records, in the same transactions,
// into a new bucket of a copy of the same sources archive with bare bbolt
// and the same options; once with the set's YAML claims files, once with
// the same claims as JSON (gentest.CachedJSON). Metrics: claims/s, events/s, bbolt_events/s,
// ratio_to_bbolt (target ≥ 0.25), peak_RSS_MB.
func BenchmarkImport(b *testing.B) {
	for _, n := range gentest.ClaimSizes() {
		for _, format := range []string{"yaml", "json"} {
			b.Run(fmt.Sprintf("claims=%d/format=%s", n, format), func(b *testing.B) {
				set := gentest.CachedSet(b, n)
				dir := set.Gen
				if format == "json" {
					dir = gentest.CachedJSON(b, n)
				}
				files, err := gen.ClaimsFiles(dir)
				if err != nil {
					b.Fatal(err)
				}
				benchImport(b, set, files)
			})
		}
	}
}

// benchImport is BenchmarkImport of one set of claims files.
func benchImport(b *testing.B, set *gentest.Set, files []string) {
	a := benchApp()
	var importTime, rawTime time.Duration
	var nEvents, nClaims int
	var peak int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		tmp := b.TempDir()
		path := filepath.Join(tmp, "archive.db")
		gentest.CopyFile(b, set.SourcesArchive, path)
		head0 := gentest.HeadOf(b, path)
		ar, err := archive.Open(path, a.archiveOptions())
		if err != nil {
			b.Fatal(err)
		}
		bounds := make([]events.Revision, 0, len(files))
		gentest.ResetPeakRSS()
		b.StartTimer()
		start := time.Now()
		nClaims = 0
		_, err = ar.ImportClaims("gen", claimsFiles(files), func(res archive.Imported) {
			nClaims += res.Claims
			bounds = append(bounds, res.Revision)
		})
		if err != nil {
			b.Fatal(err)
		}
		importTime += time.Since(start)
		b.StopTimer()
		peak = max(peak, gentest.PeakRSS())
		if err := ar.Close(); err != nil {
			b.Fatal(err)
		}
		log, err := events.Open(path, events.Options{ReadOnly: true, Timeout: a.lockTimeout, Now: a.now})
		if err != nil {
			b.Fatal(err)
		}
		var recs [][]byte
		err = log.View(func(tx *events.Tx) error {
			return tx.Scan(head0+1, 0, func(e events.Event) error {
				recs = append(recs, events.Encode(&e))
				return nil
			})
		})
		if err != nil {
			b.Fatal(err)
		}
		nEvents = len(recs)
		log.Close()
		rawPath := filepath.Join(tmp, "raw.db")
		gentest.CopyFile(b, set.SourcesArchive, rawPath)
		db, err := bolt.Open(rawPath, 0o644, &bolt.Options{Timeout: a.lockTimeout, FreelistType: bolt.FreelistMapType})
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		next := head0
		for _, hi := range bounds {
			err := db.Update(func(tx *bolt.Tx) error {
				bk, err := tx.CreateBucketIfNotExists([]byte("rawlog"))
				if err != nil {
					return err
				}
				bk.FillPercent = 1.0
				for ; next < hi; next++ {
					if err := bk.Put(revBytes(next+1), recs[next-head0]); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		rawTime += time.Since(start)
		db.Close()
		os.RemoveAll(tmp)
		b.StartTimer()
	}
	b.StopTimer()
	runs := float64(b.N)
	b.ReportMetric(float64(nClaims)*runs/importTime.Seconds(), "claims/s")
	b.ReportMetric(float64(nEvents)*runs/importTime.Seconds(), "events/s")
	b.ReportMetric(float64(nEvents)*runs/rawTime.Seconds(), "bbolt_events/s")
	b.ReportMetric(rawTime.Seconds()/importTime.Seconds(), "ratio_to_bbolt")
	gentest.ReportPeak(b, peak)
}

func revBytes(r events.Revision) []byte {
	var k [8]byte
	for i := 7; i >= 0; i-- {
		k[i] = byte(r)
		r >>= 8
	}
	return k[:]
}

func benchApp() *app {
	a := newApp(io.Discard, io.Discard)
	a.now = eventstest.StepClock(eventstest.Epoch)
	return a
}

var rebuildTimes sync.Map // claims → time.Duration of one warm rebuild

// rebuildTime measures one warm rebuild of the cached set of n claims, once
// per process.
func rebuildTime(b *testing.B, set *gentest.Set) time.Duration {
	if d, ok := rebuildTimes.Load(set.Claims); ok {
		return d.(time.Duration)
	}
	path := filepath.Join(b.TempDir(), "rebuild.db")
	gentest.CopyFile(b, set.Archive, path)
	gentest.Rebuild(b, path) // warm the file
	start := time.Now()
	gentest.Rebuild(b, path)
	d := time.Since(start)
	rebuildTimes.Store(set.Claims, d)
	return d
}

var benchClaimSerial atomic.Int64

// BenchmarkReadAfterAppend adds one claim with `sillok claim add` (not
// timed), then times `sillok conflicts --json` or `sillok view SUBJECT
// --json` on the archive: the read path that answers from the stored
// checkpoint plus the events after it. Metrics: ratio_to_rebuild (the
// read's time over a full rebuild's, target ≤ 0.01 at 1M), peak_RSS_MB.
func BenchmarkReadAfterAppend(b *testing.B) {
	for _, n := range gentest.ClaimSizes() {
		for _, cmd := range []string{"conflicts", "view"} {
			b.Run(fmt.Sprintf("claims=%d/%s", n, cmd), func(b *testing.B) {
				set := gentest.CachedSet(b, n)
				full := rebuildTime(b, set)
				path := filepath.Join(b.TempDir(), "archive.db")
				gentest.CopyFile(b, set.Archive, path)
				c := gentest.FirstScalarClaim(b, set)
				var errb bytes.Buffer
				a := benchApp()
				a.stderr = &errb
				sillok := func(args ...string) {
					if code := run(context.Background(), a, append([]string{"sillok", "--archive", path}, args...)); code != 0 {
						b.Fatalf("sillok %s: exit status %d: %s", strings.Join(args, " "), code, errb.String())
					}
				}
				args := []string{"--json", "conflicts"}
				if cmd == "view" {
					args = []string{"--json", "view", c.Subject}
				}
				var readTime time.Duration
				var peak int64
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					id := fmt.Sprintf("bench-%d", benchClaimSerial.Add(1))
					sillok("claim", "add", "--id", id, "--source", c.Source, "--subject", c.Subject, "--predicate", c.Predicate,
						"--value", c.Value.Scalar, "--quote", c.Quote)
					gentest.ResetPeakRSS()
					b.StartTimer()
					start := time.Now()
					sillok(args...)
					readTime += time.Since(start)
					b.StopTimer()
					peak = max(peak, gentest.PeakRSS())
					b.StartTimer()
				}
				b.StopTimer()
				b.ReportMetric(readTime.Seconds()/float64(b.N)/full.Seconds(), "ratio_to_rebuild")
				b.ReportMetric(full.Seconds()*1000, "rebuild_ms")
				gentest.ReportPeak(b, peak)
			})
		}
	}
}
