package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
	"github.com/sillok/sillok/web"
)

// backend is what the commands that work through a server call: a local
// *archive.Archive, or with --server a *web.Client of the server's API.
// The commands' code is the same for both.
type backend interface {
	Close() error
	Head() (events.Revision, events.Digest, error)
	Conflicts(archive.ConflictFilter) (*archive.ConflictPage, error)
	ConflictDetail(id string, at events.Revision) (*archive.ConflictDetail, error)
	Review(author string, req archive.ReviewRequest) (archive.Reviewed, error)
	View(subject string, at events.Revision) (*archive.View, error)
	Diff(from, to events.Revision) (*projections.Changes, error)
	Log(from, to events.Revision) ([]events.Event, error)
	Sources() ([]archive.SourceInfo, error)
	Source(id events.SourceID, withText bool) (*archive.SourceInfo, error)
	SourceText(id events.SourceID) (*archive.SourceText, error)
	AddSource(author string, raw []byte, meta sources.Meta) (sources.Added, error)
	ImportClaimsWith(author string, files []archive.ClaimsFile, opts archive.ImportOptions) ([]archive.Imported, error)
	AddClaim(author string, in provenance.ClaimInput) (provenance.Recorded, error)
	Retract(author string, id events.ClaimID, reason string) (events.Revision, error)
	Claims(archive.ClaimFilter) ([]archive.ClaimRow, error)
	Search(query string, at events.Revision) (*archive.SearchResult, error)
	Predicates() ([]*events.PredicateDefined, error)
	DefinePredicate(author string, p events.PredicateDefined) (archive.Written, error)
	DeclareAlias(author string, p events.AliasDeclared) (archive.Written, error)
	ExportClaimReview(w io.Writer, opts archive.ExportOptions) error
	ExportAnnotations(w io.Writer, opts archive.ExportOptions) error
	ExportClaimsCSV(w io.Writer, opts archive.ExportOptions) error
	ExportConflictsCSV(w io.Writer, opts archive.ExportOptions) error
	ExportViewCSV(w io.Writer, opts archive.ExportOptions) error
	ExportBag(dir string, opts archive.BagOptions) (*archive.BagReport, error)
}

var (
	_ backend = (*archive.Archive)(nil)
	_ backend = (*web.Client)(nil)
)

// open opens what the command works on: the server of --server (or
// SILLOK_SERVER), with the token of SILLOK_TOKEN, else the archive of
// --archive (read-only unless write).
func (a *app) open(c *cli.Context, write bool) (backend, error) {
	if cl, err := a.serverClient(c); cl != nil || err != nil {
		return cl, err
	}
	return a.openArchive(c, write)
}

// serverClient is the client of --server, or nil without it.
func (a *app) serverClient(c *cli.Context) (*web.Client, error) {
	url := c.String("server")
	if url == "" {
		return nil, nil
	}
	token := a.env("SILLOK_TOKEN")
	if token == "" {
		return nil, fmt.Errorf("--server (or SILLOK_SERVER) needs an API token in SILLOK_TOKEN; an admin makes one with: sillok user token NAME")
	}
	return web.NewClient(url, token)
}

// notThroughServer refuses, with --server, a command that works only on
// an archive file.
func notThroughServer(c *cli.Context) error {
	if c.String("server") == "" {
		return nil
	}
	return fmt.Errorf("sillok %s works on an archive file, not through --server; run it where the archive is (stop the server first if it must write)", commandName(c))
}

// serveFile is the file a running `sillok serve` keeps beside its
// archive: where it serves and its process, so that a command that
// finds the archive locked can say where to go instead.
func serveFile(archivePath string) string { return archivePath + ".serve" }

// serveInfo is the content of the serve file.
type serveInfo struct {
	URL string `json:"url"`
	PID int    `json:"pid"`
}

// plainServeURL reports whether u, read from a serve file that anyone
// who can write beside the archive may have written, is a plain
// http(s)://host[:port] address, safe to show on a terminal: no control
// character, no other scheme, nothing after the address.
func plainServeURL(u string) bool {
	for _, r := range u {
		if r <= ' ' || r >= 0x7f {
			return false
		}
	}
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != "" &&
		p.User == nil && (p.Path == "" || p.Path == "/") && p.RawQuery == "" && p.Fragment == ""
}

// servedHint replaces the "in use" error of an archive that a running
// server holds with where the server is and how to reach it.
func servedHint(err error, path string) error {
	if !errors.Is(err, events.ErrInUse) {
		return err
	}
	data, rerr := os.ReadFile(serveFile(path))
	if rerr != nil {
		return err
	}
	var info serveInfo
	if json.Unmarshal(data, &info) != nil || !plainServeURL(info.URL) || info.PID <= 0 {
		return err
	}
	if syscall.Kill(info.PID, 0) != nil && !errors.Is(syscall.Kill(info.PID, 0), syscall.EPERM) {
		return err
	}
	return archive.Errorf(archive.Conflict, "archive %s is held by sillok serve (pid %d) at %s: run the command through it with --server %s (or SILLOK_SERVER=%s) and an API token in SILLOK_TOKEN",
		path, info.PID, info.URL, info.URL, shellWord(info.URL))
}
