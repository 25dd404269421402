package archive_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/internal/gen/gentest"
)

// TestBagRoundTripGenerated moves a generated archive of 10k claims
// through a bag: the imported archive has the same head and verifies,
// with the exported head as a pin.
func TestBagRoundTripGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and loads 10k claims; -short skips it")
	}
	set := gentest.CachedSet(t, 10000)
	a, err := archive.Open(set.Archive, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	dir := filepath.Join(t.TempDir(), "bag")
	exp, err := a.ExportBag(dir, archive.BagOptions{})
	if err != nil {
		t.Fatal(err)
	}
	path := eventstest.ArchivePath(t, "imported.db")
	imp, err := archive.ImportBag(dir, path, archive.Options{}, archive.ImportBagOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rev, hash, _ := a.Head()
	if exp.Revision != rev || imp.Revision != rev || imp.Hash != hash || imp.Events != exp.Events || imp.Sources != exp.Sources {
		t.Fatalf("exported %+v, imported %+v, want head %d %s", exp, imp, rev, hash)
	}
	rep, err := archive.VerifyFile(path, archive.Options{}, archive.VerifyOptions{Expect: []archive.Pin{{Rev: rev, Hash: hash}}})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK || rep.Head != rev || rep.HeadHash != hash {
		t.Fatalf("verify of the imported archive: head %d %s, problems %v", rep.Head, rep.HeadHash, rep.Problems)
	}
	b, err := archive.Open(path, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	want, _ := a.Conflicts(archive.ConflictFilter{At: archive.Head})
	got, err := b.Conflicts(archive.ConflictFilter{At: archive.Head})
	if err != nil || len(got.Conflicts) != len(want.Conflicts) || len(want.Conflicts) == 0 {
		t.Errorf("the imported archive has %d conflicts (%v), want %d", len(got.Conflicts), err, len(want.Conflicts))
	}
}

// BenchmarkBag exports a generated archive as a bag and imports the bag
// into a new archive, against an Archive.Rebuild of the same archive and
// a synced copy of its file in the same run. Metrics: export_s, import_s,
// rebuild_s, copy_s, and export_to_rebuild, import_to_rebuild and
// import_to_copy (the ratios of their times).
//
//	go test ./archive -run '^$' -bench BenchmarkBag -benchtime 1x -count 3 -timeout 1h
func BenchmarkBag(b *testing.B) {
	for _, n := range gentest.ClaimSizes() {
		b.Run(fmt.Sprintf("claims=%d", n), func(b *testing.B) {
			set := gentest.CachedSet(b, n)
			var exportT, importT, rebuildT, copyT time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				tmp := b.TempDir()
				work := filepath.Join(tmp, "work.db")
				b.StartTimer()

				// The raw figure: writing the archive's bytes to a new
				// file and syncing it, which an import must do at least.
				start := time.Now()
				syncedCopy(b, set.Archive, work)
				copyT += time.Since(start)

				start = time.Now()
				a, err := archive.Open(set.Archive, archive.Options{ReadOnly: true})
				if err != nil {
					b.Fatal(err)
				}
				dir := filepath.Join(tmp, "bag")
				if _, err := a.ExportBag(dir, archive.BagOptions{}); err != nil {
					b.Fatal(err)
				}
				a.Close()
				exportT += time.Since(start)

				start = time.Now()
				if _, err := archive.ImportBag(dir, filepath.Join(tmp, "imported.db"), archive.Options{}, archive.ImportBagOptions{}); err != nil {
					b.Fatal(err)
				}
				importT += time.Since(start)

				start = time.Now()
				w, err := archive.Open(work, archive.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := w.Rebuild(); err != nil {
					b.Fatal(err)
				}
				w.Close()
				rebuildT += time.Since(start)
			}
			b.StopTimer()
			s := func(d time.Duration) float64 { return d.Seconds() / float64(b.N) }
			b.ReportMetric(s(exportT), "export_s")
			b.ReportMetric(s(importT), "import_s")
			b.ReportMetric(s(rebuildT), "rebuild_s")
			b.ReportMetric(exportT.Seconds()/rebuildT.Seconds(), "export_to_rebuild")
			b.ReportMetric(importT.Seconds()/rebuildT.Seconds(), "import_to_rebuild")
			b.ReportMetric(s(copyT), "copy_s")
			b.ReportMetric(importT.Seconds()/copyT.Seconds(), "import_to_copy")
		})
	}
}

// syncedCopy copies the file src to dst and syncs dst.
func syncedCopy(tb testing.TB, src, dst string) {
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
	if err := out.Sync(); err != nil {
		tb.Fatal(err)
	}
	if err := out.Close(); err != nil {
		tb.Fatal(err)
	}
}
