package web_test

import (
	"archive/tar"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/provenance/bagit"
	"github.com/sillok/sillok/web"
)

// TestExportDocuments: each document export answers what the archive's
// Export function writes, byte for byte, with its content type and a
// file name; the JSON-LD parses as JSON and the CSV as CSV with a header
// row.
func TestExportDocuments(t *testing.T) {
	a := mustDemoArchive(t)
	s := web.New(a, web.Options{})
	c := tokenClient(t, a, s, "reader")
	for _, tc := range []struct {
		target, ctype, file string
		export              func(io.Writer, archive.ExportOptions) error
		opts                archive.ExportOptions
	}{
		{"/api/export/claimreview", web.ContentTypeJSONLD, "sillok-claimreview-r", a.ExportClaimReview, archive.ExportOptions{At: archive.Head}},
		{"/api/export/claimreview?at=30&organization=The+Desk&url=https://desk.example", web.ContentTypeJSONLD, "sillok-claimreview-r30.jsonld", a.ExportClaimReview,
			archive.ExportOptions{At: 30, Organization: "The Desk", URL: "https://desk.example"}},
		{"/api/export/annotations?url=https://desk.example", web.ContentTypeJSONLD, "sillok-annotations-r", a.ExportAnnotations, archive.ExportOptions{At: archive.Head, URL: "https://desk.example"}},
		{"/api/export/csv/claims", web.ContentTypeCSV, "sillok-claims-r", a.ExportClaimsCSV, archive.ExportOptions{At: archive.Head}},
		{"/api/export/csv/conflicts?at=25", web.ContentTypeCSV, "sillok-conflicts-r25.csv", a.ExportConflictsCSV, archive.ExportOptions{At: 25}},
		{"/api/export/csv/view", web.ContentTypeCSV, "sillok-view-r", a.ExportViewCSV, archive.ExportOptions{At: archive.Head}},
	} {
		t.Run(tc.target, func(t *testing.T) {
			w := c.do("GET", tc.target, "", nil)
			wantStatus(t, w, http.StatusOK)
			if got := w.Header().Get("Content-Type"); got != tc.ctype {
				t.Errorf("Content-Type: got %q, want %q", got, tc.ctype)
			}
			if got := w.Header().Get("Content-Disposition"); !strings.HasPrefix(got, "attachment; filename=") || !strings.Contains(got, tc.file) {
				t.Errorf("Content-Disposition: got %q, want an attachment named %s...", got, tc.file)
			}
			var want bytes.Buffer
			if err := tc.export(&want, tc.opts); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(w.Body.Bytes(), want.Bytes()) {
				t.Errorf("the body differs from the archive's export:\n%s\nwant:\n%s", w.Body, &want)
			}
			if tc.ctype == web.ContentTypeCSV {
				rows, err := csv.NewReader(bytes.NewReader(w.Body.Bytes())).ReadAll()
				if err != nil || len(rows) < 2 || len(rows[0]) < 2 {
					t.Fatalf("CSV: got %d rows, %v; want a header row and records", len(rows), err)
				}
				return
			}
			var doc map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
				t.Fatalf("JSON-LD: %v", err)
			}
			if doc["@context"] == nil {
				t.Errorf("JSON-LD without @context: %.200s", w.Body)
			}
		})
	}
}

// TestExportErrors: an export refused before its first byte answers the
// API's JSON error with its status.
func TestExportErrors(t *testing.T) {
	a := mustDemoArchive(t)
	s := web.New(a, web.Options{})
	c := tokenClient(t, a, s, "reader")
	for target, want := range map[string]int{
		"/api/export/csv/claims?at=99999":     http.StatusNotFound,
		"/api/export/csv/claims?at=x":         http.StatusBadRequest,
		"/api/export/csv/sources":             http.StatusNotFound,
		"/api/export/claimreview?url=desk":    http.StatusBadRequest,
		"/api/export/annotations?at=3":        http.StatusBadRequest,
		"/api/export/claimreview?at=99999999": http.StatusNotFound,
	} {
		w := c.do("GET", target, "", nil)
		var e struct{ Error string }
		if w.Code != want || json.Unmarshal(w.Body.Bytes(), &e) != nil || e.Error == "" {
			t.Errorf("GET %s: got %d %s, want %d {\"error\": ...}", target, w.Code, w.Body, want)
		}
		if cd := w.Header().Get("Content-Disposition"); cd != "" {
			t.Errorf("GET %s: an error with Content-Disposition %q", target, cd)
		}
	}
	anon := &client{tb: t, h: s}
	if w := anon.do("GET", "/api/export/csv/claims", "", nil); w.Code != http.StatusUnauthorized {
		t.Errorf("anonymous: got %d, want 401", w.Code)
	}
}

// TestExportBag: the bag comes as a tar of the bag's files; unpacked, it
// is a valid BagIt bag holding the archive's head, as the report header
// says, and the server's temporary directory is gone.
func TestExportBag(t *testing.T) {
	a := mustDemoArchive(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	s := web.New(a, web.Options{})
	// Through a real server with a write timeout far shorter than the
	// export: the export must outlive it.
	ts := httptest.NewUnstartedServer(s)
	ts.Config.WriteTimeout = time.Millisecond
	ts.Start()
	defer ts.Close()
	tok, err := a.NewToken("setup", "reader")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", ts.URL+"/api/export/bag?organization=The+Desk", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != web.ContentTypeTar {
		t.Fatalf("got %d %s, want 200 %s", resp.StatusCode, resp.Header.Get("Content-Type"), web.ContentTypeTar)
	}
	var rep archive.BagReport
	if err := json.Unmarshal([]byte(resp.Header.Get(web.BagReportHeader)), &rep); err != nil {
		t.Fatalf("%s: %v", web.BagReportHeader, err)
	}
	rev, hash, _ := a.Head()
	if rep.Revision != rev || rep.Hash != hash || rep.Events != int(rev) {
		t.Errorf("report: got %+v, want revision %d %s", rep, rev, hash)
	}
	dir := filepath.Join(t.TempDir(), "bag")
	tr := tar.NewReader(resp.Body)
	files := 0
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("reading the tar after %d files: %v", files, err)
		}
		p := filepath.Join(dir, filepath.FromSlash(hdr.Name))
		if hdr.Typeflag == tar.TypeDir {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatalf("%s: %v", hdr.Name, err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		files++
	}
	res, err := bagit.Validate(dir, bagit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Err(); err != nil {
		t.Fatalf("the unpacked bag: %v", err)
	}
	if org, _ := res.Info.Get("Source-Organization"); org != "The Desk" {
		t.Errorf("Source-Organization: got %q, want The Desk", org)
	}
	left, _ := filepath.Glob(filepath.Join(tmp, "sillok-bag-*"))
	if len(left) != 0 {
		t.Errorf("the server left %v behind", left)
	}
}

// TestClientExportBagRefuses: the client unpacks a bag only into a new
// directory, refuses a tar entry that would land outside it, and leaves
// nothing behind when the transfer breaks.
func TestClientExportBagRefuses(t *testing.T) {
	evil := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(web.BagReportHeader, `{"revision":1}`)
		tw := tar.NewWriter(w)
		tw.WriteHeader(&tar.Header{Name: "../escaped.txt", Mode: 0o644, Size: 2, Typeflag: tar.TypeReg})
		tw.Write([]byte("hi"))
		tw.Close()
	}
	cut := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(web.BagReportHeader, `{"revision":1}`)
		tw := tar.NewWriter(w)
		tw.WriteHeader(&tar.Header{Name: "bagit.txt", Mode: 0o644, Size: 1000, Typeflag: tar.TypeReg})
		tw.Write([]byte("BagIt-Version: 1.0\n"))
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	}
	for name, h := range map[string]http.HandlerFunc{"OutsideTheBag": evil, "CutShort": cut} {
		t.Run(name, func(t *testing.T) {
			ts := httptest.NewServer(h)
			defer ts.Close()
			c, err := web.NewClient(ts.URL, "token")
			if err != nil {
				t.Fatal(err)
			}
			parent := t.TempDir()
			dir := filepath.Join(parent, "bag")
			_, err = c.ExportBag(dir, archive.BagOptions{})
			if err == nil {
				t.Fatal("got no error")
			}
			t.Log(err)
			if left, _ := os.ReadDir(parent); len(left) != 0 {
				t.Errorf("left behind: %v", left)
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(parent), "escaped.txt")); err == nil {
				t.Error("a file was written outside the bag")
			}
		})
	}
	t.Run("Exists", func(t *testing.T) {
		c, _ := web.NewClient("http://127.0.0.1:1", "token")
		dir := t.TempDir()
		if _, err := c.ExportBag(dir, archive.BagOptions{}); archive.ErrorCode(err) != archive.Conflict {
			t.Errorf("an existing directory: got %v, want Conflict", err)
		}
	})
}
