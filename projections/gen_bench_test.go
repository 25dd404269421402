package projections_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/internal/gen/gentest"
	"github.com/sillok/sillok/projections"
)

// Benchmarks of the projection on generated archives (sillok gen, cached
// by gentest.CachedSet):
//
//	BenchmarkRebuildGenerated  Store.Rebuild, warm and cold, vs Tx.Scan+Event.Decode
//	BenchmarkAnalyze           projections.Analyze of the head state (growth with size)
//	BenchmarkStoreHead         Store.Head: the nearest checkpoint plus the replay after it
//
// Sizes: 10k and 100k claims; 1M with SILLOK_BENCH_LARGE=1.
//
//	go test ./projections -run '^$' -bench 'Generated|Analyze|StoreHead' -benchtime 1x -count 5 -timeout 2h

// scanDecode reads every event of an archive with Tx.Scan and Event.Decode,
// the decoder a replay uses.
func scanDecode(tb testing.TB, path string) {
	tb.Helper()
	log, err := events.Open(path, events.Options{ReadOnly: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer log.Close()
	err = log.View(func(tx *events.Tx) error {
		return tx.Scan(1, 0, func(e events.Event) error {
			_, err := e.Decode()
			return err
		})
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkRebuildGenerated rebuilds the projections of a generated
// archive, cold (the file dropped from the page cache first) and warm, and
// scans and decodes the same log cold and warm. ns/op is the warm rebuild.
// Metrics: events/s and cold_events/s, scan_events/s and
// cold_scan_events/s, ratio_to_scan (warm rebuild over warm scan, target ≥
// 0.7), cold_over_warm (target ≥ 0.8), peak_RSS_MB (target < 1 GiB at 1M).
// (BenchmarkRebuild is the same on a synthetic log.)
func BenchmarkRebuildGenerated(b *testing.B) {
	for _, n := range gentest.ClaimSizes() {
		b.Run(fmt.Sprintf("claims=%d", n), func(b *testing.B) {
			set := gentest.CachedSet(b, n)
			path := filepath.Join(b.TempDir(), "archive.db")
			gentest.CopyFile(b, set.Archive, path)
			head := float64(gentest.HeadOf(b, path))
			var warm, cold, scanWarm, scanCold time.Duration
			var peak int64
			timed := func(f func()) time.Duration {
				start := time.Now()
				f()
				return time.Since(start)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				gentest.DropFromPageCache(b, path)
				if i == 0 {
					b.Logf("claims=%d: %.0f%% of the archive's pages in the page cache after dropping it", n, 100*gentest.ResidentFraction(path))
				}
				gentest.ResetPeakRSS()
				cold += timed(func() { gentest.Rebuild(b, path) })
				peak = max(peak, gentest.PeakRSS())
				b.StartTimer()
				warm += timed(func() { gentest.Rebuild(b, path) })
				b.StopTimer()
				gentest.DropFromPageCache(b, path)
				scanCold += timed(func() { scanDecode(b, path) })
				scanWarm += timed(func() { scanDecode(b, path) })
				b.StartTimer()
			}
			b.StopTimer()
			ev := head * float64(b.N)
			b.ReportMetric(ev/warm.Seconds(), "events/s")
			b.ReportMetric(ev/cold.Seconds(), "cold_events/s")
			b.ReportMetric(ev/scanWarm.Seconds(), "scan_events/s")
			b.ReportMetric(ev/scanCold.Seconds(), "cold_scan_events/s")
			b.ReportMetric(scanWarm.Seconds()/warm.Seconds(), "ratio_to_scan")
			b.ReportMetric(scanCold.Seconds()/cold.Seconds(), "cold_ratio_to_scan")
			b.ReportMetric(warm.Seconds()/cold.Seconds(), "cold_over_warm")
			gentest.ReportPeak(b, peak)
		})
	}
}

// BenchmarkAnalyze runs the reconciled view and the three conflict checks
// (projections.Analyze) on the head state of a generated archive. The
// growth from one size to the next, ten times larger, is the figure
// (target ≤ 12×). Metrics: claims/s, peak_RSS_MB.
func BenchmarkAnalyze(b *testing.B) {
	for _, n := range gentest.ClaimSizes() {
		b.Run(fmt.Sprintf("claims=%d", n), func(b *testing.B) {
			st := gentest.HeadState(b, gentest.CachedSet(b, n).Archive)
			var peak int64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				gentest.ResetPeakRSS()
				b.StartTimer()
				an := projections.Analyze(st)
				b.StopTimer()
				peak = max(peak, gentest.PeakRSS())
				if len(an.Conflicts) == 0 {
					b.Fatal("no conflicts found")
				}
				b.StartTimer()
			}
			b.StopTimer()
			b.ReportMetric(float64(len(st.Claims))*float64(b.N)/b.Elapsed().Seconds(), "claims/s")
			gentest.ReportPeak(b, peak)
		})
	}
}

// BenchmarkStoreHead measures Store.Head on a generated archive: decoding
// the newest checkpoint and replaying the events after it, the first half
// of every read.
func BenchmarkStoreHead(b *testing.B) {
	for _, n := range gentest.ClaimSizes() {
		b.Run(fmt.Sprintf("claims=%d", n), func(b *testing.B) {
			set := gentest.CachedSet(b, n)
			log, err := events.Open(set.Archive, events.Options{ReadOnly: true})
			if err != nil {
				b.Fatal(err)
			}
			defer log.Close()
			store := gentest.Store()
			var from, head events.Revision
			b.ResetTimer()
			for b.Loop() {
				err := log.View(func(tx *events.Tx) error {
					var err error
					_, from, err = store.Head(tx)
					head, _ = tx.Head()
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(head-from), "events_replayed")
		})
	}
}
