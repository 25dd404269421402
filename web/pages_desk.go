package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	archive "github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
)

// The pages' templates and static files (a stylesheet and one script, no
// framework), embedded in the program: nothing is fetched at run time.
//
//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageUser is the signed-in user as a page needs it: the name, the role
// and the session's CSRF token, which every form carries in a hidden
// field (empty for a bearer token, which needs none).
type pageUser struct {
	Name string
	Role archive.Role
	CSRF string
}

// CanReview says whether the user may record verdicts.
func (u *pageUser) CanReview() bool { return u != nil && u.Role.Allows(archive.RoleFactChecker) }

// CanRecord says whether the user may record claims.
func (u *pageUser) CanRecord() bool { return u != nil && u.Role.Allows(archive.RoleArchivist) }

// userOf is the request's signed-in user as the pages see it, or nil.
func userOf(r *http.Request) *pageUser {
	u := UserFrom(r.Context())
	if u == nil {
		return nil
	}
	p := &pageUser{Name: u.Name, Role: u.Role}
	if u.Session != nil {
		p.CSRF = u.Session.CSRF
	}
	return p
}

// desk serves the review desk's pages: server-rendered HTML over the
// archive, usable without JavaScript.
type desk struct {
	s   *Server
	ar  *archive.Archive
	log *slog.Logger

	pages  map[string]*template.Template
	assets map[string]deskAsset // by hashed name
	hashed map[string]string    // plain name → hashed name
}

// deskAsset is one embedded static file.
type deskAsset struct {
	data  []byte
	ctype string
}

// newDesk parses the templates and hashes the static files.
func newDesk(s *Server) (*desk, error) {
	d := &desk{s: s, ar: s.Archive, log: s.log,
		pages: map[string]*template.Template{}, assets: map[string]deskAsset{}, hashed: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		name := path.Base(p)
		ext := path.Ext(name)
		h := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
		d.hashed[name] = h
		ctype := mime.TypeByExtension(ext)
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		d.assets[h] = deskAsset{data: data, ctype: ctype}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	funcs := template.FuncMap{
		"asset":   func(name string) string { return "/static/" + d.hashed[name] },
		"pathesc": url.PathEscape,
		"rev":     func(r events.Revision) string { return strconv.FormatUint(uint64(r), 10) },
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		name := path.Base(f)
		if name == "layout.html" {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", f)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		d.pages[strings.TrimSuffix(name, ".html")] = t
	}
	return d, nil
}

// register adds the pages' routes to mux, each behind the access it
// needs (Server.handle): reads need a signed-in reader unless the server
// is public, a verdict a fact-checker, a claim an archivist. The server
// checks the CSRF token of every form posted with a session cookie.
func (d *desk) register(mux *http.ServeMux) {
	h := func(method, pattern string, access Access, page deskHandler) {
		d.s.handle(mux, method, pattern, access, func(w http.ResponseWriter, r *http.Request) { page(w, r, userOf(r)) })
	}
	d.s.handle(mux, "GET", "/static/{file}", Anyone, d.static)
	h("GET", "/login", Anyone, d.loginPage)
	h("POST", "/login", Anyone, d.login)
	h("GET", "/{$}", Reader, d.queue)
	h("GET", "/conflicts/{id}", Reader, d.conflict)
	h("POST", "/conflicts/{id}/review", FactChecker, d.form(d.review))
	h("GET", "/entities/{name...}", Reader, d.entity)
	h("GET", "/sources/{id}", Reader, d.source)
	h("POST", "/sources/{id}/claims", Archivist, d.form(d.recordClaim))
	h("GET", "/diff", Reader, d.diff)
	h("GET", "/log", Reader, d.logPage)
	// Signing out comes last: a test that walks the routes in order with
	// one session (the role matrix) signs out at the end.
	h("POST", "/logout", SignedIn, d.logout)
	// Any other path outside /api/ is a page that does not exist: a
	// reader is told so on a page, an anonymous visitor of a private
	// server is asked to sign in first (and learns nothing of the paths).
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if err := d.s.allowed(r, Reader); err != nil {
			d.s.Error(w, r, err)
			return
		}
		d.s.Error(w, r, statusError(http.StatusNotFound, errors.New("no page at "+r.URL.Path)))
	})
	d.s.ErrorPage = d.serverError
}

// deskHandler is a page handler: it is given the user (nil on a public
// server to an anonymous reader).
type deskHandler func(w http.ResponseWriter, r *http.Request, u *pageUser)

// form reads a posted form (at most 1 MiB) before h.
func (d *desk) form(h deskHandler) deskHandler {
	return func(w http.ResponseWriter, r *http.Request, u *pageUser) {
		r.Body = http.MaxBytesReader(w, r.Body, MaxJSONBody)
		if err := r.ParseForm(); err != nil {
			d.errorPage(w, r, u, http.StatusBadRequest, "The form could not be read: "+err.Error())
			return
		}
		h(w, r, u)
	}
}

// serverError answers an error of the server (the access check, the CSRF
// check) to a browser: an anonymous visitor who asks for a page is sent to
// the sign-in page, and back after it; anything else is an error page.
func (d *desk) serverError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	u := userOf(r)
	if status == http.StatusUnauthorized && u == nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	if strings.Contains(msg, CSRFHeader) {
		msg = "The form's security token is missing or out of date (were you signed in again meanwhile?). Go back, reload the page and try again."
	}
	d.errorPage(w, r, u, status, msg)
}

// deskPage is what every page shows around its content.
type deskPage struct {
	Title string
	User  *pageUser
	// Revision is the revision the page shows; the script compares it
	// with the events it is told of.
	Revision events.Revision
	// Nav marks the current section of the header.
	Nav string
	// Status is the HTTP status of an error page.
	Status int
	// Message is an error or notice shown above the content.
	Message string
	// Notice is a message that something was done.
	Notice string
	// Suggestions are the names nearest to an unknown one, as links.
	Suggestions []deskLink
}

// deskLink is a link a page offers.
type deskLink struct {
	Text, URL string
}

// suggestions are links to the names an unknown name error suggests,
// each made into an address by link.
func suggestions(err error, link func(name string) string) []deskLink {
	var un *archive.UnknownNameError
	if !errors.As(err, &un) {
		return nil
	}
	var out []deskLink
	for _, n := range un.Suggestions {
		out = append(out, deskLink{Text: n, URL: link(n)})
	}
	return out
}

// render writes the page name with data, or an error page if it fails
// (into a buffer first, so a failure never leaves half a page).
func (d *desk) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	t := d.pages[name]
	if t == nil {
		d.log.Error("no template", "page", name)
		http.Error(w, "internal error: no page "+name, http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		d.log.Error("rendering a page", "page", name, "err", err)
		http.Error(w, "internal error: the page could not be rendered", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorPage shows a message with a status.
func (d *desk) errorPage(w http.ResponseWriter, r *http.Request, u *pageUser, status int, msg string) {
	d.render(w, r, status, "error", &deskPage{Title: http.StatusText(status), User: u, Status: status, Message: msg})
}

// archiveError shows an error of the archive with the status its code
// maps to (an unknown entity's name with links to the nearest ones); an
// internal error is logged and said to be one.
func (d *desk) archiveError(w http.ResponseWriter, r *http.Request, u *pageUser, err error) {
	status, msg := d.archiveStatus(r, err)
	d.render(w, r, status, "error", &deskPage{Title: http.StatusText(status), User: u, Status: status, Message: msg,
		Suggestions: suggestions(err, func(n string) string { return "/entities/" + url.PathEscape(n) })})
}

// archiveStatus is the status and the message that answer an error of
// the archive.
func (d *desk) archiveStatus(r *http.Request, err error) (int, string) {
	msg := err.Error()
	switch archive.ErrorCode(err) {
	case archive.Invalid:
		return http.StatusUnprocessableEntity, msg
	case archive.NotFound:
		return http.StatusNotFound, msg
	case archive.Conflict:
		return http.StatusConflict, msg
	case archive.Forbidden:
		return http.StatusForbidden, msg
	}
	d.log.Error("page", "path", r.URL.Path, "err", err)
	return http.StatusInternalServerError, "Internal error (nothing was half-written): " + msg
}

// static serves an embedded file by its hashed name, cached for ever.
func (d *desk) static(w http.ResponseWriter, r *http.Request) {
	a, ok := d.assets[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.ctype)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(a.data)
}

// parseRev reads a revision from a query parameter; "" is def.
func parseRev(s string, def events.Revision) (events.Revision, error) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0, errors.New("not a revision number: " + strconv.Quote(s))
	}
	return events.Revision(n), nil
}

// safeNext is a local path to go back to after signing in, or "/".
func safeNext(s string) string {
	if s == "" || !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") {
		return "/"
	}
	u, err := url.Parse(s)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return s
}
