package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/sys/unix"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/internal/gen"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance/claimsfile"
)

// End-to-end benchmarks on generated archives (sillok gen), each with the
// matching raw bbolt figure measured in the same run:
//
//	BenchmarkImport           claims import (parse, validate, anchor, append,
//	                          projections to the head) vs bbolt batched puts of
//	                          the same records in the same transactions
//	BenchmarkRebuild          Store.Rebuild, warm and cold, vs Tx.Scan+Event.Decode
//	BenchmarkReadAfterAppend  `conflicts` and `view SUBJECT` right after `claim add`,
//	                          vs a full rebuild
//	BenchmarkVerify           verify vs a raw scan with SHA-256 of the same bytes
//	BenchmarkAnalyze          projections.Analyze of the head state (growth with size)
//	BenchmarkStoreHead        Store.Head: the nearest checkpoint plus the replay after it
//
// Sizes: 10k and 100k claims; 1M with SILLOK_BENCH_LARGE=1. Generating and
// loading a set takes long (about a minute at 100k), so each set is built
// once and cached under $TMPDIR/sillok-bench-<claims>-<seed>-g<gen
// version>-f<format>-p<projection schema>/ (gen/ the generated files,
// sources.db an archive with the sources only, archive.db with everything).
// A new generator, archive format or projection schema gets a new directory;
// delete old ones by hand. Benchmarks that write work on a copy.
//
//	go test ./cmd/sillok -run '^$' -bench . -benchtime 1x -count 5 -timeout 2h

const benchSeed = 1

func benchClaimSizes() []int {
	if benchLarge() {
		return []int{10_000, 100_000, 1_000_000}
	}
	return []int{10_000, 100_000}
}

// benchSet is a generated set, loaded, in the benchmark cache.
type benchSet struct {
	claims         int
	gen            string // the generated files
	sourcesArchive string // an archive with the sources only
	archive        string // an archive with everything
}

var (
	benchSetsMu sync.Mutex
	benchSets   = map[int]*benchSet{}
)

func benchApp() *app {
	a := newApp(io.Discard, io.Discard)
	a.now = eventstest.StepClock(eventstest.Epoch)
	return a
}

// cachedSet returns the set of n claims, generating and loading it into the
// cache if needed.
func cachedSet(b *testing.B, n int) *benchSet {
	b.Helper()
	benchSetsMu.Lock()
	defer benchSetsMu.Unlock()
	if s := benchSets[n]; s != nil {
		return s
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("sillok-bench-%d-%d-g%d-f%d-p%d", n, benchSeed, gen.Version, events.FormatVersion, projections.SchemaVersion))
	s := &benchSet{claims: n, gen: filepath.Join(dir, "gen"), sourcesArchive: filepath.Join(dir, "sources.db"), archive: filepath.Join(dir, "archive.db")}
	complete := filepath.Join(dir, "complete")
	if _, err := os.Stat(complete); err != nil {
		b.Logf("building the cached set of %d claims in %s", n, dir)
		start := time.Now()
		os.RemoveAll(dir)
		if _, err := gen.Generate(s.gen, gen.Options{Claims: n, Seed: benchSeed}); err != nil {
			b.Fatal(err)
		}
		a := benchApp()
		ar, err := archive.Create(s.sourcesArchive, a.archiveOptions())
		if err != nil {
			b.Fatal(err)
		}
		if err := addGeneratedSources(ar, s.gen); err != nil {
			b.Fatal(err)
		}
		if err := ar.Close(); err != nil {
			b.Fatal(err)
		}
		copyFile(b, s.sourcesArchive, s.archive)
		if ar, err = archive.Open(s.archive, a.archiveOptions()); err != nil {
			b.Fatal(err)
		}
		if _, err := importGeneratedClaims(ar, s.gen); err != nil {
			b.Fatal(err)
		}
		if err := ar.Close(); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(complete, []byte(time.Now().String()), 0o644); err != nil {
			b.Fatal(err)
		}
		b.Logf("built the set of %d claims in %s", n, time.Since(start).Round(time.Second))
	}
	benchSets[n] = s
	return s
}

func copyFile(tb testing.TB, src, dst string) {
	tb.Helper()
	in, err := os.Open(src)
	if err != nil {
		tb.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		tb.Fatal(err)
	}
	if err := out.Close(); err != nil {
		tb.Fatal(err)
	}
}

// Peak memory: the process's resident high-water mark (VmHWM), reset by
// writing 5 to /proc/self/clear_refs before the measured operation.

func resetPeakRSS() {
	debug.FreeOSMemory()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSS returns VmHWM in bytes, or 0 where there is no /proc.
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// dropFromPageCache asks the kernel to drop a closed file's pages from the
// page cache (clean pages only: the file was synced on commit).
func dropFromPageCache(tb testing.TB, path string) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		tb.Fatal(err)
	}
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		tb.Fatal(err)
	}
}

// residentFraction returns the fraction of a file's pages in the page cache.
func residentFraction(path string) float64 {
	f, err := os.Open(path)
	if err != nil {
		return -1
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() == 0 {
		return -1
	}
	m, err := unix.Mmap(int(f.Fd()), 0, int(fi.Size()), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return -1
	}
	defer unix.Munmap(m)
	page := os.Getpagesize()
	vec := make([]byte, (len(m)+page-1)/page)
	if _, _, errno := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(len(m)), uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
		return -1
	}
	n := 0
	for _, v := range vec {
		n += int(v & 1)
	}
	return float64(n) / float64(len(vec))
}

// headOf returns an archive's head revision.
func headOf(tb testing.TB, path string) events.Revision {
	tb.Helper()
	log, err := events.Open(path, events.Options{ReadOnly: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer log.Close()
	head, _, err := log.Head()
	if err != nil {
		tb.Fatal(err)
	}
	return head
}

func reportPeak(b *testing.B, peak int64) {
	if peak > 0 {
		b.ReportMetric(float64(peak)/(1<<20), "peak_RSS_MB")
	}
}

// BenchmarkImport imports every claims file of a generated set into an
// archive that holds its sources (one transaction per file, as `claim
// import` does), then puts the same records, in the same transactions,
// into a new bucket of a copy of the same sources archive with bare bbolt
// and the same options. Metrics: claims/s, events/s, bbolt_events/s,
// ratio_to_bbolt (target ≥ 0.25), peak_RSS_MB.
func BenchmarkImport(b *testing.B) {
	for _, n := range benchClaimSizes() {
		b.Run(fmt.Sprintf("claims=%d", n), func(b *testing.B) {
			set := cachedSet(b, n)
			files, err := gen.ClaimsFiles(set.gen)
			if err != nil {
				b.Fatal(err)
			}
			a := benchApp()
			var importTime, rawTime time.Duration
			var nEvents, nClaims int
			var peak int64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				tmp := b.TempDir()
				path := filepath.Join(tmp, "archive.db")
				copyFile(b, set.sourcesArchive, path)
				head0 := headOf(b, path)
				ar, err := archive.Open(path, a.archiveOptions())
				if err != nil {
					b.Fatal(err)
				}
				bounds := make([]events.Revision, 0, len(files))
				resetPeakRSS()
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
				peak = max(peak, peakRSS())
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
				copyFile(b, set.sourcesArchive, rawPath)
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
			reportPeak(b, peak)
		})
	}
}

func revBytes(r events.Revision) []byte {
	var k [8]byte
	for i := 7; i >= 0; i-- {
		k[i] = byte(r)
		r >>= 8
	}
	return k[:]
}

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

// rebuild opens an archive, runs Store.Rebuild in one write transaction
// (as `sillok rebuild` does, without its check) and closes it.
func rebuild(tb testing.TB, a *app, path string) {
	tb.Helper()
	log, err := events.Open(path, events.Options{Timeout: a.lockTimeout, Now: a.now})
	if err != nil {
		tb.Fatal(err)
	}
	defer log.Close()
	err = log.Update(func(tx *events.Tx) error {
		_, err := a.store().Rebuild(tx)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkRebuild rebuilds the projections of a generated archive, cold
// (the file dropped from the page cache first) and warm, and scans and
// decodes the same log cold and warm. ns/op is the warm rebuild. Metrics:
// events/s and cold_events/s, scan_events/s and cold_scan_events/s,
// ratio_to_scan (warm rebuild over warm scan, target ≥ 0.7),
// cold_over_warm (target ≥ 0.8), peak_RSS_MB (target < 1 GiB at 1M).
func BenchmarkRebuild(b *testing.B) {
	for _, n := range benchClaimSizes() {
		b.Run(fmt.Sprintf("claims=%d", n), func(b *testing.B) {
			set := cachedSet(b, n)
			path := filepath.Join(b.TempDir(), "archive.db")
			copyFile(b, set.archive, path)
			head := float64(headOf(b, path))
			a := benchApp()
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
				dropFromPageCache(b, path)
				if i == 0 {
					b.Logf("claims=%d: %.0f%% of the archive's pages in the page cache after dropping it", n, 100*residentFraction(path))
				}
				resetPeakRSS()
				cold += timed(func() { rebuild(b, a, path) })
				peak = max(peak, peakRSS())
				b.StartTimer()
				warm += timed(func() { rebuild(b, a, path) })
				b.StopTimer()
				dropFromPageCache(b, path)
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
			reportPeak(b, peak)
		})
	}
}

var rebuildTimes sync.Map // claims → time.Duration of one warm rebuild

// rebuildTime measures one warm rebuild of the cached set of n claims, once
// per process.
func rebuildTime(b *testing.B, set *benchSet) time.Duration {
	if d, ok := rebuildTimes.Load(set.claims); ok {
		return d.(time.Duration)
	}
	path := filepath.Join(b.TempDir(), "rebuild.db")
	copyFile(b, set.archive, path)
	a := benchApp()
	rebuild(b, a, path) // warm the file
	start := time.Now()
	rebuild(b, a, path)
	d := time.Since(start)
	rebuildTimes.Store(set.claims, d)
	return d
}

// firstScalarClaim returns the first claim of a set with a direct value,
// to imitate.
func firstScalarClaim(b *testing.B, set *benchSet) claimsfile.Claim {
	files, err := gen.ClaimsFiles(set.gen)
	if err != nil || len(files) == 0 {
		b.Fatal("no claims files", err)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		b.Fatal(err)
	}
	f, err := claimsfile.Parse(files[0], data)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range f.Claims {
		if c.Value.Relation == nil {
			if c.Source == "" {
				c.Source = f.Source
			}
			return c
		}
	}
	b.Fatal("no claim with a direct value")
	return claimsfile.Claim{}
}

var benchClaimSerial atomic.Int64

// BenchmarkReadAfterAppend adds one claim with `sillok claim add` (not
// timed), then times `sillok conflicts --json` or `sillok view SUBJECT
// --json` on the archive: the read path that answers from the stored
// checkpoint plus the events after it. Metrics: ratio_to_rebuild (the
// read's time over a full rebuild's, target ≤ 0.01 at 1M), peak_RSS_MB.
func BenchmarkReadAfterAppend(b *testing.B) {
	for _, n := range benchClaimSizes() {
		for _, cmd := range []string{"conflicts", "view"} {
			b.Run(fmt.Sprintf("claims=%d/%s", n, cmd), func(b *testing.B) {
				set := cachedSet(b, n)
				full := rebuildTime(b, set)
				path := filepath.Join(b.TempDir(), "archive.db")
				copyFile(b, set.archive, path)
				c := firstScalarClaim(b, set)
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
					resetPeakRSS()
					b.StartTimer()
					start := time.Now()
					sillok(args...)
					readTime += time.Since(start)
					b.StopTimer()
					peak = max(peak, peakRSS())
					b.StartTimer()
				}
				b.StopTimer()
				b.ReportMetric(readTime.Seconds()/float64(b.N)/full.Seconds(), "ratio_to_rebuild")
				b.ReportMetric(full.Seconds()*1000, "rebuild_ms")
				reportPeak(b, peak)
			})
		}
	}
}

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

// BenchmarkVerify runs verify's checks (archive.Archive.Verify: hash chain, source
// fixity, quote anchors, the checksums of the stored checkpoints) on a
// generated archive, warm, against a raw scan of the log and the sources
// with SHA-256 of every record. Metrics: events/s, raw_MB/s,
// ratio_to_raw (target ≥ 0.5), peak_RSS_MB.
func BenchmarkVerify(b *testing.B) {
	for _, n := range benchClaimSizes() {
		b.Run(fmt.Sprintf("claims=%d", n), func(b *testing.B) {
			set := cachedSet(b, n)
			head := float64(headOf(b, set.archive))
			a := benchApp()
			var verifyTime, rawTime time.Duration
			var rawBytes int64
			var peak int64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				resetPeakRSS()
				b.StartTimer()
				start := time.Now()
				ar, err := archive.Open(set.archive, archive.Options{ReadOnly: true, CheckpointInterval: a.checkpointInterval})
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
				peak = max(peak, peakRSS())
				start = time.Now()
				rawBytes = rawVerify(b, set.archive)
				rawTime += time.Since(start)
				b.StartTimer()
			}
			b.StopTimer()
			b.ReportMetric(head*float64(b.N)/verifyTime.Seconds(), "events/s")
			b.ReportMetric(head*float64(b.N)/rawTime.Seconds(), "raw_events/s")
			b.ReportMetric(float64(rawBytes)*float64(b.N)/rawTime.Seconds()/1e6, "raw_MB/s")
			b.ReportMetric(rawTime.Seconds()/verifyTime.Seconds(), "ratio_to_raw")
			reportPeak(b, peak)
		})
	}
}

// headState returns the head state of an archive.
func headState(b testing.TB, path string) *projections.State {
	b.Helper()
	log, err := events.Open(path, events.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer log.Close()
	var st *projections.State
	err = log.View(func(tx *events.Tx) error {
		var err error
		st, _, err = benchApp().store().Head(tx)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return st
}

// BenchmarkAnalyze runs the reconciled view and the three conflict checks
// (projections.Analyze) on the head state of a generated archive. The
// growth from one size to the next, ten times larger, is the figure
// (target ≤ 12×). Metrics: claims/s, peak_RSS_MB.
func BenchmarkAnalyze(b *testing.B) {
	for _, n := range benchClaimSizes() {
		b.Run(fmt.Sprintf("claims=%d", n), func(b *testing.B) {
			st := headState(b, cachedSet(b, n).archive)
			var peak int64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				resetPeakRSS()
				b.StartTimer()
				an := projections.Analyze(st)
				b.StopTimer()
				peak = max(peak, peakRSS())
				if len(an.Conflicts) == 0 {
					b.Fatal("no conflicts found")
				}
				b.StartTimer()
			}
			b.StopTimer()
			b.ReportMetric(float64(len(st.Claims))*float64(b.N)/b.Elapsed().Seconds(), "claims/s")
			reportPeak(b, peak)
		})
	}
}

// BenchmarkStoreHead measures Store.Head on a generated archive: decoding
// the newest checkpoint and replaying the events after it, the first half
// of every read.
func BenchmarkStoreHead(b *testing.B) {
	for _, n := range benchClaimSizes() {
		b.Run(fmt.Sprintf("claims=%d", n), func(b *testing.B) {
			set := cachedSet(b, n)
			log, err := events.Open(set.archive, events.Options{ReadOnly: true})
			if err != nil {
				b.Fatal(err)
			}
			defer log.Close()
			a := benchApp()
			var from, head events.Revision
			b.ResetTimer()
			for b.Loop() {
				err := log.View(func(tx *events.Tx) error {
					var err error
					_, from, err = a.store().Head(tx)
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
