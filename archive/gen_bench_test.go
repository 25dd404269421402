package archive_test

import (
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/internal/gen/gentest"
	"github.com/sillok/sillok/provenance"
)

// Benchmarks of the archive API on generated archives (sillok gen, cached
// by gentest.CachedSet):
//
//	BenchmarkVerify           Archive.Verify vs a raw scan with SHA-256 of the same bytes
//	BenchmarkReadAfterAppend  Conflicts and View right after one AddClaim, vs Rebuild
//
// Sizes: 10k and 100k claims; 1M with SILLOK_BENCH_LARGE=1.
//
//	go test ./archive -run '^$' -bench . -benchtime 1x -count 5 -timeout 2h

// rawVerify reads every record of the log and every stored source with
// bare bbolt and hashes each with SHA-256: the bytes verify must hash.
func rawVerify(tb testing.TB, path string) (bytes int64) {
	tb.Helper()
	db, err := bolt.Open(path, 0o644, &bolt.Options{ReadOnly: true, Timeout: 2 * time.Second, FreelistType: bolt.FreelistMapType})
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		for _, name := range []string{"log", "blobs"} {
			err := tx.Bucket([]byte(name)).ForEach(func(k, v []byte) error {
				sum := sha256.Sum256(v)
				_ = sum
				bytes += int64(len(v))
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return bytes
}

// BenchmarkVerify runs verify's checks (Archive.Verify: hash chain, source
// fixity, quote anchors, the checksums of the stored checkpoints) on a
// generated archive, warm, against a raw scan of the log and the sources
// with SHA-256 of every record. Metrics: events/s, raw_MB/s,
// ratio_to_raw (target ≥ 0.5), peak_RSS_MB.
func BenchmarkVerify(b *testing.B) {
	for _, n := range gentest.ClaimSizes() {
		b.Run(fmt.Sprintf("claims=%d", n), func(b *testing.B) {
			set := gentest.CachedSet(b, n)
			head := float64(gentest.HeadOf(b, set.Archive))
			var verifyTime, rawTime time.Duration
			var rawBytes int64
			var peak int64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				gentest.ResetPeakRSS()
				b.StartTimer()
				start := time.Now()
				ar, err := archive.Open(set.Archive, archive.Options{ReadOnly: true})
				if err != nil {
					b.Fatal(err)
				}
				rep, err := ar.Verify(archive.VerifyOptions{})
				if err == nil && len(rep.Problems) > 0 {
					err = fmt.Errorf("verify found %d problems: %s", len(rep.Problems), rep.Problems[0])
				}
				ar.Close()
				if err != nil {
					b.Fatal(err)
				}
				verifyTime += time.Since(start)
				b.StopTimer()
				peak = max(peak, gentest.PeakRSS())
				start = time.Now()
				rawBytes = rawVerify(b, set.Archive)
				rawTime += time.Since(start)
				b.StartTimer()
			}
			b.StopTimer()
			b.ReportMetric(head*float64(b.N)/verifyTime.Seconds(), "events/s")
			b.ReportMetric(head*float64(b.N)/rawTime.Seconds(), "raw_events/s")
			b.ReportMetric(float64(rawBytes)*float64(b.N)/rawTime.Seconds()/1e6, "raw_MB/s")
			b.ReportMetric(rawTime.Seconds()/verifyTime.Seconds(), "ratio_to_raw")
			gentest.ReportPeak(b, peak)
		})
	}
}

var benchClaimSerial atomic.Int64

// BenchmarkReadAfterAppend adds one claim with Archive.AddClaim (not
// timed), then times Archive.Conflicts (the whole queue) or Archive.View
// of the claim's subject on the same open archive: the read path that
// answers from the stored checkpoint plus the events after it. Metrics:
// ratio_to_rebuild (the read's time over one Archive.Rebuild's, target ≤
// 0.01 at 1M), rebuild_ms, peak_RSS_MB. (cmd/sillok's benchmark of the
// same name times the commands, opening the archive each time.)
func BenchmarkReadAfterAppend(b *testing.B) {
	for _, n := range gentest.ClaimSizes() {
		for _, read := range []string{"conflicts", "view"} {
			b.Run(fmt.Sprintf("claims=%d/%s", n, read), func(b *testing.B) {
				set := gentest.CachedSet(b, n)
				path := filepath.Join(b.TempDir(), "archive.db")
				gentest.CopyFile(b, set.Archive, path)
				c := gentest.FirstScalarClaim(b, set)
				ar, err := archive.Open(path, gentest.Options())
				if err != nil {
					b.Fatal(err)
				}
				defer ar.Close()
				start := time.Now()
				if _, err := ar.Rebuild(); err != nil {
					b.Fatal(err)
				}
				full := time.Since(start)
				var readTime time.Duration
				var peak int64
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					in := provenance.ClaimInput{ID: fmt.Sprintf("bench-%d", benchClaimSerial.Add(1)), Source: c.Source, Subject: c.Subject,
						Predicate: c.Predicate, Value: c.Value.Scalar, Quote: c.Quote}
					if _, err := ar.AddClaim("bench", in); err != nil {
						b.Fatal(err)
					}
					gentest.ResetPeakRSS()
					b.StartTimer()
					start := time.Now()
					if read == "view" {
						_, err = ar.View(c.Subject, archive.Head)
					} else {
						_, err = ar.Conflicts(archive.ConflictFilter{At: archive.Head})
					}
					readTime += time.Since(start)
					b.StopTimer()
					if err != nil {
						b.Fatal(err)
					}
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
