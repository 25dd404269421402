package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/web"
)

// BenchmarkServeRead measures a read through the server (an HTTP request
// on loopback, authentication, the archive call, the JSON) against the
// same archive call made directly, interleaved in the same run: the
// metric "x-direct" is the ratio, the server's cost per read.
func BenchmarkServeRead(b *testing.B) {
	a := mustDemoArchive(b)
	ts := httptest.NewServer(web.New(a, web.Options{}))
	defer ts.Close()
	tok, err := a.NewToken("setup", "reader")
	if err != nil {
		b.Fatal(err)
	}
	cf := launchConflict(b, a)
	for _, bc := range []struct {
		name   string
		path   string
		direct func() error
	}{
		{"conflicts", "/api/conflicts?status=all&limit=20", func() error {
			_, err := a.Conflicts(archive.ConflictFilter{Status: archive.StatusAll, Limit: 20, At: archive.Head})
			return err
		}},
		{"conflict", "/api/conflicts/" + string(cf.ID), func() error {
			_, err := a.ConflictDetail(string(cf.ID), archive.Head)
			return err
		}},
		{"view", "/api/view?subject=Disruptive+Technology+Protection+Network", func() error {
			_, err := a.View("Disruptive Technology Protection Network", archive.Head)
			return err
		}},
		// The exports, streamed through the server against the archive's
		// Export function writing to io.Discard (the bag: ExportBag into a
		// temporary directory, against the server's build, tar and
		// stream).
		{"export-csv-claims", "/api/export/csv/claims", func() error {
			return a.ExportClaimsCSV(io.Discard, archive.ExportOptions{At: archive.Head})
		}},
		{"export-claimreview", "/api/export/claimreview", func() error {
			return a.ExportClaimReview(io.Discard, archive.ExportOptions{At: archive.Head})
		}},
		{"export-bag", "/api/export/bag", func() error {
			dir := filepath.Join(b.TempDir(), "bag")
			_, err := a.ExportBag(dir, archive.BagOptions{})
			os.RemoveAll(dir)
			return err
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req, _ := http.NewRequest("GET", ts.URL+bc.path, nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			var direct, served time.Duration
			for b.Loop() { // interleaved, so both see the same machine
				start := time.Now()
				if err := bc.direct(); err != nil {
					b.Fatal(err)
				}
				mid := time.Now()
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("status %d", resp.StatusCode)
				}
				direct += mid.Sub(start)
				served += time.Since(mid)
			}
			b.ReportMetric(float64(served.Nanoseconds())/float64(b.N), "served-ns/op")
			b.ReportMetric(float64(direct.Nanoseconds())/float64(b.N), "direct-ns/op")
			b.ReportMetric(float64(served)/float64(direct), "x-direct")
		})
	}
}
