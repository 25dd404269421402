// Package gentest holds what the tests and benchmarks of several packages
// need to work on generated sets (package gen): generating one into a
// test's directory, loading it into an archive through package archive,
// reading the projected head state back, and the benchmarks' cache of
// generated archives and memory and page-cache measures.
package gentest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/internal/gen"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance/claimsfile"
	"github.com/sillok/sillok/sources"
)

// Author is who the loaded sets are recorded by.
const Author = "gen"

// Large reports whether the large sizes (1M claims in benchmarks, 100k in
// the accuracy test under -race) are asked for, with SILLOK_BENCH_LARGE=1.
func Large() bool { return os.Getenv("SILLOK_BENCH_LARGE") == "1" }

// Generate runs the generator into a new temporary directory.
func Generate(tb testing.TB, claims int, seed uint64) (string, gen.Summary) {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "gen")
	sum, err := gen.Generate(dir, gen.Options{Claims: claims, Seed: seed})
	if err != nil {
		tb.Fatalf("generate(%d claims, seed %d): %v", claims, seed, err)
	}
	return dir, sum
}

// Truth reads dir/truth.yaml.
func Truth(tb testing.TB, dir string) *gen.Truth {
	tb.Helper()
	t, err := gen.ReadTruth(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// Options are the options the generated archives are created with: a
// stepping clock from eventstest.Epoch, so that two loads of one set are
// the same archive.
func Options() archive.Options {
	return archive.Options{Now: eventstest.StepClock(eventstest.Epoch)}
}

// Load creates an archive at path and loads the set in dir into it
// (gen.Load), and returns the number of claims imported.
func Load(tb testing.TB, path, dir string) int {
	tb.Helper()
	ar, err := archive.Create(path, Options())
	if err != nil {
		tb.Fatal(err)
	}
	n, err := gen.Load(ar, Author, dir)
	if cerr := ar.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		tb.Fatalf("loading %s into %s: %v", dir, path, err)
	}
	return n
}

// Store returns a projection store wired to the archive's source texts,
// as package archive wires its own.
func Store() *projections.Store {
	return &projections.Store{Text: sources.StoredText}
}

// HeadState returns the projected state at the head of the archive at path.
func HeadState(tb testing.TB, path string) *projections.State {
	tb.Helper()
	log, err := events.Open(path, events.Options{ReadOnly: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer log.Close()
	var st *projections.State
	err = log.View(func(tx *events.Tx) error {
		var err error
		st, _, err = Store().Head(tx)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

// Rebuild opens the archive at path, runs Store.Rebuild in one write
// transaction (as `sillok rebuild` does, without its checks of the chain,
// the sources and the stored checkpoints) and closes it.
func Rebuild(tb testing.TB, path string) {
	tb.Helper()
	log, err := events.Open(path, events.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	defer log.Close()
	store := Store()
	store.KeepWarm = true
	err = log.Update(func(tx *events.Tx) error {
		_, err := store.Rebuild(tx)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// HeadOf returns an archive's head revision.
func HeadOf(tb testing.TB, path string) events.Revision {
	tb.Helper()
	ar, err := archive.Open(path, archive.Options{ReadOnly: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer ar.Close()
	head, _, err := ar.Head()
	if err != nil {
		tb.Fatal(err)
	}
	return head
}

// ---------------------------------------------------------------------------
// The benchmarks' cache of generated archives.

// Seed is the seed of the benchmarks' sets.
const Seed = 1

// ClaimSizes are the sizes the benchmarks run at: 10k and 100k claims, and
// 1M with SILLOK_BENCH_LARGE=1.
func ClaimSizes() []int {
	if Large() {
		return []int{10_000, 100_000, 1_000_000}
	}
	return []int{10_000, 100_000}
}

// Set is a generated set, loaded, in the benchmark cache.
type Set struct {
	Claims         int
	Gen            string // the generated files
	SourcesArchive string // an archive with the sources only
	Archive        string // an archive with everything
}

var (
	setsMu sync.Mutex
	sets   = map[int]*Set{}
)

// CachedSet returns the set of n claims (seed Seed), generating and
// loading it if needed. Generating and loading a set takes long (about a
// minute at 100k), so each set is built once and cached under
// $TMPDIR/sillok-bench-<claims>-<seed>-g<gen version>-f<format>-p<projection
// schema>/ (gen/ the generated files, sources.db an archive with the
// sources only, archive.db with everything). A new generator, archive
// format or projection schema gets a new directory; old ones are deleted
// by hand. Benchmarks that write work on a copy (CopyFile).
func CachedSet(tb testing.TB, n int) *Set {
	tb.Helper()
	setsMu.Lock()
	defer setsMu.Unlock()
	if s := sets[n]; s != nil {
		return s
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("sillok-bench-%d-%d-g%d-f%d-p%d", n, Seed, gen.Version, events.FormatVersion, projections.SchemaVersion))
	s := &Set{Claims: n, Gen: filepath.Join(dir, "gen"), SourcesArchive: filepath.Join(dir, "sources.db"), Archive: filepath.Join(dir, "archive.db")}
	complete := filepath.Join(dir, "complete")
	if _, err := os.Stat(complete); err != nil {
		tb.Logf("building the cached set of %d claims in %s", n, dir)
		start := time.Now()
		os.RemoveAll(dir)
		if _, err := gen.Generate(s.Gen, gen.Options{Claims: n, Seed: Seed}); err != nil {
			tb.Fatal(err)
		}
		opts := Options()
		ar, err := archive.Create(s.SourcesArchive, opts)
		if err != nil {
			tb.Fatal(err)
		}
		if err := gen.AddSources(ar, Author, s.Gen); err != nil {
			tb.Fatal(err)
		}
		if err := ar.Close(); err != nil {
			tb.Fatal(err)
		}
		CopyFile(tb, s.SourcesArchive, s.Archive)
		if ar, err = archive.Open(s.Archive, opts); err != nil {
			tb.Fatal(err)
		}
		if _, err := gen.ImportClaims(ar, Author, s.Gen); err != nil {
			tb.Fatal(err)
		}
		if err := ar.Close(); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(complete, []byte(time.Now().String()), 0o644); err != nil {
			tb.Fatal(err)
		}
		tb.Logf("built the set of %d claims in %s", n, time.Since(start).Round(time.Second))
	}
	sets[n] = s
	return s
}

// CachedJSON returns the directory of the set of n claims (seed Seed)
// generated with JSON claims files (gen.Options.JSON): the same claims as
// CachedSet's, in the same files, so they import into its SourcesArchive.
// It is generated once and cached as gen-json/ beside the set's files.
func CachedJSON(tb testing.TB, n int) string {
	tb.Helper()
	set := CachedSet(tb, n)
	setsMu.Lock()
	defer setsMu.Unlock()
	dir := filepath.Join(filepath.Dir(set.Gen), "gen-json")
	complete := filepath.Join(dir, "complete")
	if _, err := os.Stat(complete); err != nil {
		os.RemoveAll(dir)
		if _, err := gen.Generate(dir, gen.Options{Claims: n, Seed: Seed, JSON: true}); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(complete, []byte(time.Now().String()), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// FirstScalarClaim returns the first claim of a set with a direct value,
// to imitate.
func FirstScalarClaim(tb testing.TB, set *Set) claimsfile.Claim {
	tb.Helper()
	files, err := gen.ClaimsFiles(set.Gen)
	if err != nil || len(files) == 0 {
		tb.Fatal("no claims files", err)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		tb.Fatal(err)
	}
	f, err := claimsfile.Parse(files[0], data)
	if err != nil {
		tb.Fatal(err)
	}
	for _, c := range f.Claims {
		if c.Value.Relation == nil {
			if c.Source == "" {
				c.Source = f.Source
			}
			return c
		}
	}
	tb.Fatal("no claim with a direct value")
	return claimsfile.Claim{}
}

// CopyFile copies the file src to dst.
func CopyFile(tb testing.TB, src, dst string) {
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

// ---------------------------------------------------------------------------
// Peak memory: the process's resident high-water mark (VmHWM), reset by
// writing 5 to /proc/self/clear_refs before the measured operation.

// ResetPeakRSS frees what it can and resets the high-water mark.
func ResetPeakRSS() {
	debug.FreeOSMemory()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// PeakRSS returns VmHWM in bytes, or 0 where there is no /proc.
func PeakRSS() int64 {
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

// ReportPeak reports a peak (PeakRSS) as the metric peak_RSS_MB.
func ReportPeak(b *testing.B, peak int64) {
	if peak > 0 {
		b.ReportMetric(float64(peak)/(1<<20), "peak_RSS_MB")
	}
}

// DropFromPageCache asks the kernel to drop a closed file's pages from the
// page cache (clean pages only: the file was synced on commit).
func DropFromPageCache(tb testing.TB, path string) {
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

// ResidentFraction returns the fraction of a file's pages in the page
// cache, or -1 when it cannot tell.
func ResidentFraction(path string) float64 {
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
