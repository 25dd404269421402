package web

import (
	"archive/tar"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
)

// The exports (DESIGN.md, "Exchange and preservation") through the
// server: GET /api/export/... streams what archive's Export functions
// write, as they write it. An error before the first byte is the API's
// JSON error; one after it cuts the response short (the connection is
// aborted, so a client sees a broken transfer, never a document that
// merely looks whole).

// Content types of the exports.
const (
	ContentTypeJSONLD = "application/ld+json"
	ContentTypeCSV    = "text/csv; charset=utf-8"
	ContentTypeTar    = "application/x-tar"
)

// BagReportHeader is the header of GET /api/export/bag that carries the
// archive.BagReport of the bag (its JSON), so that a client can say what
// it received as the command line does.
const BagReportHeader = "X-Sillok-Bag-Report"

// exportStream is the response of an export: the status and headers go
// out with the first byte the export writes, so that an error found
// before it can still be answered in JSON.
type exportStream struct {
	w       http.ResponseWriter
	ctype   string
	file    string
	started bool
}

func (e *exportStream) Write(b []byte) (int, error) {
	if !e.started {
		e.started = true
		h := e.w.Header()
		h.Set("Content-Type", e.ctype)
		h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", e.file))
		h.Set("Cache-Control", "no-store")
		e.w.WriteHeader(http.StatusOK)
	}
	return e.w.Write(b)
}

// export runs one export into the response. A long export outlives the
// server's WriteTimeout, as the event stream does.
func (s *Server) export(w http.ResponseWriter, r *http.Request, ctype, file string, run func(io.Writer) error) {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{})
	out := &exportStream{w: w, ctype: ctype, file: file}
	err := run(out)
	if err == nil && !out.started {
		// An export always writes something; answer an empty one whole.
		_, err = out.Write(nil)
	}
	if err == nil {
		return
	}
	if !out.started {
		s.Error(w, r, err)
		return
	}
	s.log.Error("export cut short", "path", r.URL.Path, "err", err)
	panic(http.ErrAbortHandler)
}

// exportOptions reads ?at= (the head when absent), and names the file
// by the revision exported.
func (s *Server) exportOptions(q *query) (archive.ExportOptions, events.Revision) {
	opts := archive.ExportOptions{At: q.rev("at", archive.Head), Organization: q.str("organization"), URL: q.str("url")}
	if opts.URL != "" && !strings.Contains(opts.URL, "://") && q.err == nil {
		q.err = badRequest("url=%q is not a URL (https://...)", opts.URL)
	}
	rev := opts.At
	if rev == archive.Head {
		rev, _, _ = s.Archive.Head()
	}
	return opts, rev
}

func (s *Server) getExportClaimReview(w http.ResponseWriter, r *http.Request) {
	q := &query{r: r}
	opts, rev := s.exportOptions(q)
	if q.err != nil {
		s.Error(w, r, q.err)
		return
	}
	s.export(w, r, ContentTypeJSONLD, fmt.Sprintf("sillok-claimreview-r%d.jsonld", rev), func(out io.Writer) error {
		return s.Archive.ExportClaimReview(out, opts)
	})
}

func (s *Server) getExportAnnotations(w http.ResponseWriter, r *http.Request) {
	q := &query{r: r}
	opts, rev := s.exportOptions(q)
	if q.err == nil && q.str("at") != "" {
		q.err = badRequest("the annotations are of the head: at= does not apply")
	}
	if q.err != nil {
		s.Error(w, r, q.err)
		return
	}
	s.export(w, r, ContentTypeJSONLD, fmt.Sprintf("sillok-annotations-r%d.jsonld", rev), func(out io.Writer) error {
		return s.Archive.ExportAnnotations(out, opts)
	})
}

func (s *Server) getExportCSV(w http.ResponseWriter, r *http.Request) {
	table := r.PathValue("table")
	var export func(*archive.Archive, io.Writer, archive.ExportOptions) error
	switch table {
	case "claims":
		export = (*archive.Archive).ExportClaimsCSV
	case "conflicts":
		export = (*archive.Archive).ExportConflictsCSV
	case "view":
		export = (*archive.Archive).ExportViewCSV
	default:
		s.Error(w, r, statusError(http.StatusNotFound, fmt.Errorf("no CSV export %q: give claims, conflicts or view", table)))
		return
	}
	q := &query{r: r}
	opts, rev := s.exportOptions(q)
	if q.err != nil {
		s.Error(w, r, q.err)
		return
	}
	s.export(w, r, ContentTypeCSV, fmt.Sprintf("sillok-%s-r%d.csv", table, rev), func(out io.Writer) error {
		return export(s.Archive, out, opts)
	})
}

// getExportBag writes the bag into a temporary directory (archive.ExportBag
// checks the log as it writes it, and a bag is whole or not at all), then
// streams it as a tar whose entries are the bag's files, relative to its
// root; the directory is removed afterwards.
func (s *Server) getExportBag(w http.ResponseWriter, r *http.Request) {
	// Building the bag takes a while on a large archive: that too
	// outlives the WriteTimeout.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
	q := &query{r: r}
	opts := archive.BagOptions{Organization: q.str("organization"), Description: q.str("description"), Now: s.opts.Now}
	tmp, err := os.MkdirTemp("", "sillok-bag-")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "bag")
	rep, err := s.Archive.ExportBag(dir, opts)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	rep.Dir = ""
	doc, _ := json.Marshal(rep)
	w.Header().Set(BagReportHeader, string(doc))
	s.export(w, r, ContentTypeTar, fmt.Sprintf("sillok-bag-r%d.tar", rep.Revision), func(out io.Writer) error {
		return writeTar(out, dir)
	})
}

// writeTar writes the files under dir into a tar, named relative to dir.
func writeTar(w io.Writer, dir string) error {
	tw := tar.NewWriter(w)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if !fi.Mode().IsRegular() && !fi.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		hdr, err := tar.FileInfoHeader(fi, "")
		if err != nil {
			return err
		}
		hdr.Name = filepath.ToSlash(rel)
		if fi.IsDir() {
			hdr.Name += "/"
		}
		hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname = 0, 0, "", ""
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if fi.IsDir() {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(tw, f)
		return err
	})
	if err != nil {
		return err
	}
	return tw.Close()
}
