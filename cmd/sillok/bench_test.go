package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/sys/unix"

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
// the same claims as JSON (gentest.CachedJSON). Metrics: claims/s,
// events/s, bbolt_events/s, ratio_to_bbolt (target ≥ 0.25), peak_RSS_MB,
// and, steadier on a shared machine, the CPU time of the writing goroutine
// (writer_cpu_ms: the import's critical path, the files ahead being parsed
// on other goroutines) and cpu_ratio_to_bbolt (that of bbolt's puts over
// it).
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
	var importTime, rawTime, importCPU, rawCPU time.Duration
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
		runtime.LockOSThread() // the writer's own CPU time, below
		start, cpu := time.Now(), threadCPU()
		nClaims = 0
		_, err = ar.ImportClaims("gen", claimsFiles(files), func(res archive.Imported) {
			nClaims += res.Claims
			bounds = append(bounds, res.Revision)
		})
		if err != nil {
			b.Fatal(err)
		}
		importTime += time.Since(start)
		importCPU += threadCPU() - cpu
		runtime.UnlockOSThread()
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
		runtime.LockOSThread()
		start, cpu = time.Now(), threadCPU()
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
		rawCPU += threadCPU() - cpu
		runtime.UnlockOSThread()
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
	b.ReportMetric(rawCPU.Seconds()/importCPU.Seconds(), "cpu_ratio_to_bbolt")
	b.ReportMetric(importCPU.Seconds()*1000/runs, "writer_cpu_ms")
	gentest.ReportPeak(b, peak)
}

// threadCPU returns the CPU time (user and system) of the calling
// thread, or 0 where it cannot be read. With the goroutine locked to its
// thread, that is the goroutine's own work (and the collector's work it
// is made to assist with), however busy the other cores are: the
// writer's, for an import, whose other goroutines parse and prepare the
// next files.
func threadCPU() time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_THREAD, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
	path := benchCopy(b, set.Archive, "rebuild.db")
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
				path := benchCopy(b, set.Archive, "archive.db")
				c := gentest.FirstScalarClaim(b, set)
				var errb bytes.Buffer
				a := benchApp()
				a.stderr = &errb
				sillok := func(args ...string) {
					if code := run(context.Background(), a, append([]string{"sillok", "--archive", path}, args...)); code != 0 {
						b.Fatalf("sillok %s: exit status %d: %s", strings.Join(args, " "), code, errb.String())
					}
				}
				// The first page of 50, as the review desk reads it.
				args := []string{"--json", "conflicts", "--limit", "50"}
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

// The benchmarks of issue #16's table that time one command end to end
// (flags, opening the archive, the work, rendering, closing), each against
// a figure of the same run:
//
//	BenchmarkReview    `review ID --accept CLAIM` of one open value conflict, vs a full rebuild
//	BenchmarkClaimAdd  `claim add` of one new claim, vs a full rebuild
//	BenchmarkDiff      `diff A B` with 1,000 events between A and B (B the head), vs a full rebuild
//	BenchmarkViewAt    `view SUBJECT --at REV` with REV 100,000 events before the head, or, in
//	                   an archive too small for that, the revision of the subject's first
//	                   claim (the farthest back the subject is known); metric revs_back
//	BenchmarkRebuildCommand  `rebuild` vs a scan of the same log decoding every event
//	                   (Tx.Scan and Event.Decode, the decoder the replay uses)
//
// The rebuild the first four are divided by is `sillok rebuild` of the
// same copy, warm, timed after the commands in the same run (the quicker of
// the second and third of three). Each sub-benchmark works on its own copy of the cached archive;
// the commands' output goes to io.Discard.

// benchCLI runs sillok commands on one archive, as the program would.
type benchCLI struct {
	b      testing.TB
	path   string
	a      *app
	stdout bytes.Buffer
	stderr bytes.Buffer
	open   []relConflict // reviewArgs's conflicts to review
}

// newBenchCLI copies the set's archive into the benchmark's directory.
func newBenchCLI(b testing.TB, set *gentest.Set) *benchCLI {
	c := &benchCLI{b: b, path: benchCopy(b, set.Archive, "archive.db")}
	c.a = benchApp()
	c.a.stdout, c.a.stderr = &c.stdout, &c.stderr
	return c
}

// run runs one command and returns what it printed; a failure is fatal.
func (c *benchCLI) run(args ...string) []byte {
	c.stdout.Reset()
	c.stderr.Reset()
	if code := run(context.Background(), c.a, append([]string{"sillok", "--archive", c.path}, args...)); code != 0 {
		c.b.Fatalf("sillok %s: exit status %d: %s", strings.Join(args, " "), code, c.stderr.String())
	}
	return c.stdout.Bytes()
}

// timed runs one command with its output discarded and returns how long
// it took.
func (c *benchCLI) timed(args ...string) time.Duration {
	out := c.a.stdout
	c.a.stdout = io.Discard
	defer func() { c.a.stdout = out }()
	start := time.Now()
	c.stderr.Reset()
	code := run(context.Background(), c.a, append([]string{"sillok", "--archive", c.path}, args...))
	d := time.Since(start)
	if code != 0 {
		c.b.Fatalf("sillok %s: exit status %d: %s", strings.Join(args, " "), code, c.stderr.String())
	}
	return d
}

// benchCommand runs the benchmark of one command at every size: prepare
// (not timed) returns the arguments of the i-th run; the metrics are
// ratio_to_rebuild (the command's time over that of `sillok rebuild` of
// the same archive in the same run), rebuild_ms and peak_RSS_MB, and those
// extra adds.
func benchCommand(b *testing.B, prepare func(c *benchCLI, set *gentest.Set, i int) []string, extra func(b *testing.B, c *benchCLI, set *gentest.Set)) {
	for _, n := range gentest.ClaimSizes() {
		b.Run(fmt.Sprintf("claims=%d", n), func(b *testing.B) {
			benchCommandAt(b, n, prepare, extra)
		})
	}
}

func benchCommandAt(b *testing.B, n int, prepare func(c *benchCLI, set *gentest.Set, i int) []string, extra func(b *testing.B, c *benchCLI, set *gentest.Set)) {
	set := gentest.CachedSet(b, n)
	c := newBenchCLI(b, set)
	var total time.Duration
	var peak int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		args := prepare(c, set, i)
		gentest.ResetPeakRSS()
		b.StartTimer()
		total += c.timed(args...)
		b.StopTimer()
		peak = max(peak, gentest.PeakRSS())
		b.StartTimer()
	}
	b.StopTimer()
	// The full rebuild of the same archive in the same run, warm, as
	// `sillok rebuild` does it: the quicker of two, after one to warm up.
	c.run("rebuild")
	full := min(c.timed("rebuild"), c.timed("rebuild"))
	b.ReportMetric(total.Seconds()/float64(b.N)/full.Seconds(), "ratio_to_rebuild")
	b.ReportMetric(full.Seconds()*1000, "rebuild_ms")
	gentest.ReportPeak(b, peak)
	if extra != nil {
		extra(b, c, set)
	}
}

// reviewArgs returns the arguments that review the i-th open value
// conflict of the archive, accepting its first claim. The list is read
// (not timed) on the first run; once every conflict of it is reviewed,
// the next runs review them again with --override.
func reviewArgs(c *benchCLI, set *gentest.Set, i int) []string {
	if c.open == nil {
		var doc struct {
			Conflicts []relConflict `json:"conflicts"`
		}
		out := c.run("--json", "conflicts", "--status", "open", "--kind", "value")
		if err := json.Unmarshal(out, &doc); err != nil {
			c.b.Fatalf("conflicts --json: %v", err)
		}
		if len(doc.Conflicts) == 0 {
			c.b.Fatal("the archive has no open value conflict")
		}
		c.open = doc.Conflicts
	}
	k := c.open[i%len(c.open)]
	args := []string{"review", k.ID, "--accept", k.Claims[0].ID, "--note", "bench"}
	if i >= len(c.open) {
		args = append(args, "--override")
	}
	return args
}

// BenchmarkReview times `sillok review ID --accept CLAIM` of one open
// value conflict (another one each run).
func BenchmarkReview(b *testing.B) {
	benchCommand(b, reviewArgs, nil)
}

// claimAddArgs returns the arguments of `claim add` of a new claim
// (another id each run) like the set's first claim with a direct value.
func claimAddArgs(c *benchCLI, set *gentest.Set, i int) []string {
	cl := gentest.FirstScalarClaim(c.b, set)
	id := fmt.Sprintf("bench-%d", benchClaimSerial.Add(1))
	return []string{"claim", "add", "--id", id, "--source", cl.Source, "--subject", cl.Subject, "--predicate", cl.Predicate,
		"--value", cl.Value.Scalar, "--quote", cl.Quote}
}

// BenchmarkClaimAdd times `sillok claim add` of one new claim.
func BenchmarkClaimAdd(b *testing.B) {
	benchCommand(b, claimAddArgs, nil)
}

// reviewNameArgs returns the arguments that tell apart the names of the
// first open name conflict of the archive (review ID --distinct), read
// before each run (not timed): a "distinct" ends the other conflicts
// between the two entities too.
func reviewNameArgs(c *benchCLI, set *gentest.Set, i int) []string {
	return nameVerdictArgs(c, "--distinct")
}

// reviewSameArgs returns the arguments that make the names of the first
// open name conflict one entity (review ID --same), read before each run
// (not timed).
func reviewSameArgs(c *benchCLI, set *gentest.Set, i int) []string {
	return nameVerdictArgs(c, "--same")
}

// nameVerdictArgs returns the arguments of `review ID decision` on the
// first open name conflict of the archive.
func nameVerdictArgs(c *benchCLI, decision string) []string {
	var doc struct {
		Conflicts []relConflict `json:"conflicts"`
	}
	out := c.run("--json", "conflicts", "--status", "open", "--kind", "name", "--limit", "1")
	if err := json.Unmarshal(out, &doc); err != nil {
		c.b.Fatalf("conflicts --json: %v", err)
	}
	if len(doc.Conflicts) == 0 {
		c.b.Fatal("the archive has no open name conflict")
	}
	return []string{"review", doc.Conflicts[0].ID, decision, "--note", "bench"}
}

// BenchmarkReviewName times `sillok review ID --distinct` of one open name
// conflict (another one each run).
func BenchmarkReviewName(b *testing.B) {
	benchCommand(b, reviewNameArgs, nil)
}

// BenchmarkReviewSame times `sillok review ID --same` of one open name
// conflict (another one each run).
func BenchmarkReviewSame(b *testing.B) {
	benchCommand(b, reviewSameArgs, nil)
}

// retractArgs records (not timed) a new claim like the set's first claim
// with a direct value, and returns the arguments that retract it: a
// retraction that changes no name, since the claim's subject has claims
// before it.
func retractArgs(c *benchCLI, set *gentest.Set, i int) []string {
	args := claimAddArgs(c, set, i)
	c.run(args...)
	return []string{"claim", "retract", args[3], "--reason", "bench"}
}

// BenchmarkRetract times `sillok claim retract` of one claim.
func BenchmarkRetract(b *testing.B) {
	benchCommand(b, retractArgs, nil)
}

// sourceAddArgs returns the arguments of `source add` of a new article of
// about 300 words (another text and id each run), a source of its own.
func sourceAddArgs(c *benchCLI, set *gentest.Set, i int) []string {
	n := benchClaimSerial.Add(1)
	var text strings.Builder
	for w := range 300 {
		fmt.Fprintf(&text, "word%d-%d ", n, w)
		if w%15 == 14 {
			text.WriteString(".\n")
		}
	}
	path := filepath.Join(c.b.TempDir(), "article.txt")
	if err := os.WriteFile(path, []byte(text.String()), 0o644); err != nil {
		c.b.Fatal(err)
	}
	return []string{"source", "add", path, "--id", fmt.Sprintf("bench-source-%d", n), "--title", "Bench article", "--lang", "en", "--published", "2024-06-01"}
}

// BenchmarkSourceAdd times `sillok source add` of one new article.
func BenchmarkSourceAdd(b *testing.B) {
	benchCommand(b, sourceAddArgs, nil)
}

// diffSpan is how many events lie between the two revisions
// BenchmarkDiff compares.
const diffSpan = 1000

// diffArgs returns the arguments of `diff A B` with B the head and A
// diffSpan events before it.
func diffArgs(c *benchCLI, set *gentest.Set, i int) []string {
	head := gentest.HeadOf(c.b, c.path)
	if head <= diffSpan {
		c.b.Fatalf("the archive has %d events, too few to diff %d", head, diffSpan)
	}
	return []string{"--json", "diff", fmt.Sprint(head - diffSpan), fmt.Sprint(head)}
}

// BenchmarkDiff times `sillok diff A B` with diffSpan events between A and
// B, B the head.
func BenchmarkDiff(b *testing.B) {
	benchCommand(b, diffArgs, nil)
}

// viewAtBack is how far back BenchmarkViewAt reads, in events.
const viewAtBack = 100_000

// viewAtRev returns the revision BenchmarkViewAt reads the set's first
// scalar claim's subject at: viewAtBack events before the head, or the
// revision of that claim if it is later.
func viewAtRev(b testing.TB, path string, set *gentest.Set) (subject string, at, head events.Revision) {
	cl := gentest.FirstScalarClaim(b, set)
	log, err := events.Open(path, events.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer log.Close()
	var first events.Revision
	err = log.View(func(tx *events.Tx) error {
		var ok bool
		head, _ = tx.Head()
		if first, ok = tx.Lookup(events.IndexClaim, cl.ID); !ok {
			return fmt.Errorf("claim %s is not in the archive", cl.ID)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	at = first
	if head > viewAtBack && head-viewAtBack > first {
		at = head - viewAtBack
	}
	return cl.Subject, at, head
}

// BenchmarkViewAt times `sillok view SUBJECT --at REV`, REV viewAtBack
// events before the head or, in a smaller archive, the revision of the
// subject's first claim. Metric revs_back: the head minus REV.
func BenchmarkViewAt(b *testing.B) {
	var back events.Revision
	benchCommand(b, func(c *benchCLI, set *gentest.Set, i int) []string {
		subject, at, head := viewAtRev(c.b, c.path, set)
		back = head - at
		return []string{"--json", "view", subject, "--at", fmt.Sprint(at)}
	}, func(b *testing.B, c *benchCLI, set *gentest.Set) {
		b.ReportMetric(float64(back), "revs_back")
	})
}

// scanDecodeLog reads every event of the archive at path with Tx.Scan
// and decodes its payload: the floor of a replay.
func scanDecodeLog(b testing.TB, path string) (n int) {
	log, err := events.Open(path, events.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer log.Close()
	err = log.View(func(tx *events.Tx) error {
		return tx.Scan(1, 0, func(e events.Event) error {
			n++
			_, err := e.Decode()
			return err
		})
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkRebuildCommand times `sillok rebuild` (its checks of the chain
// and the sources, and the replay) on a warm archive, and a scan of the
// same log that decodes every event. Metrics: events/s, scan_events/s,
// ratio_to_scan (target ≥ 0.5), peak_RSS_MB.
func BenchmarkRebuildCommand(b *testing.B) {
	for _, n := range gentest.ClaimSizes() {
		b.Run(fmt.Sprintf("claims=%d", n), func(b *testing.B) {
			set := gentest.CachedSet(b, n)
			c := newBenchCLI(b, set)
			c.run("rebuild") // warm the file
			var rebuild, scan time.Duration
			var peak int64
			var nEvents int
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				gentest.ResetPeakRSS()
				b.StartTimer()
				rebuild += c.timed("rebuild")
				b.StopTimer()
				peak = max(peak, gentest.PeakRSS())
				start := time.Now()
				nEvents = scanDecodeLog(b, c.path)
				scan += time.Since(start)
				b.StartTimer()
			}
			b.StopTimer()
			ev := float64(nEvents) * float64(b.N)
			b.ReportMetric(ev/rebuild.Seconds(), "events/s")
			b.ReportMetric(ev/scan.Seconds(), "scan_events/s")
			b.ReportMetric(scan.Seconds()/rebuild.Seconds(), "ratio_to_scan")
			gentest.ReportPeak(b, peak)
		})
	}
}

// TestBenchCommands runs what the command benchmarks run, twice each, on a
// small generated set, so that a plain `go test` finds a benchmark that no
// longer works (the benchmarks themselves run only with -bench).
func TestBenchCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and loads a set of 2,000 claims")
	}
	set := gentest.CachedSet(t, 2000)
	for _, bc := range []struct {
		name    string
		prepare func(c *benchCLI, set *gentest.Set, i int) []string
	}{
		{"Review", reviewArgs},
		{"ClaimAdd", claimAddArgs},
		{"SourceAdd", sourceAddArgs},
		{"ReviewName", reviewNameArgs},
		{"ReviewSame", reviewSameArgs},
		{"Retract", retractArgs},
		{"Diff", diffArgs},
		{"ViewAt", func(c *benchCLI, set *gentest.Set, i int) []string {
			subject, at, head := viewAtRev(c.b, c.path, set)
			if at == 0 || at >= head {
				t.Fatalf("view --at %d with the head at %d", at, head)
			}
			return []string{"--json", "view", subject, "--at", fmt.Sprint(at)}
		}},
		{"Rebuild", func(*benchCLI, *gentest.Set, int) []string { return []string{"rebuild"} }},
	} {
		t.Run(bc.name, func(t *testing.T) {
			c := newBenchCLI(t, set)
			for i := range 2 {
				if d := c.timed(bc.prepare(c, set, i)...); d <= 0 {
					t.Fatalf("run %d took %v", i, d)
				}
			}
		})
	}
	if n := scanDecodeLog(t, set.Archive); n != int(gentest.HeadOf(t, set.Archive)) {
		t.Errorf("scanned %d events, want the head, %d", n, gentest.HeadOf(t, set.Archive))
	}
}
