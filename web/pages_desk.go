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

// The roles as the pages know them (the server's accounts name them the
// same way).
const (
	pageRoleReader      = "reader"
	pageRoleArchivist   = "archivist"
	pageRoleFactChecker = "fact-checker"
	pageRoleAdmin       = "admin"
)

// pageUser is the signed-in user as a page needs it: the name, the role
// and the session's CSRF token, which every form carries in a hidden
// field.
type pageUser struct {
	Name string
	Role string
	CSRF string
}

// CanReview says whether the user may record verdicts.
func (u *pageUser) CanReview() bool {
	return u != nil && (u.Role == pageRoleFactChecker || u.Role == pageRoleAdmin)
}

// CanRecord says whether the user may record claims.
func (u *pageUser) CanRecord() bool {
	return u != nil && (u.Role == pageRoleArchivist || u.Role == pageRoleAdmin)
}

// deskAuth is what the pages need of the server's accounts and sessions:
// the user a request is signed in as (nil for none), signing in with a
// name and password (setting the session cookie), and signing out. The
// server's session code implements it; the pages never read credentials
// themselves.
type deskAuth interface {
	pageUser(r *http.Request) *pageUser
	pageSignIn(w http.ResponseWriter, r *http.Request, name, password string) (*pageUser, error)
	pageSignOut(w http.ResponseWriter, r *http.Request)
}

// desk serves the review desk's pages: server-rendered HTML over the
// archive, usable without JavaScript.
type desk struct {
	ar         *archive.Archive
	auth       deskAuth
	publicRead bool
	log        *slog.Logger

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
func newDesk(ar *archive.Archive, auth deskAuth, publicRead bool, log *slog.Logger) (*desk, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	d := &desk{ar: ar, auth: auth, publicRead: publicRead, log: log,
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
		"add":     func(a, b int) int { return a + b },
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

// register adds the pages' routes to mux. Each handler checks the role
// it needs; reads need a signed-in user unless the server is public.
func (d *desk) register(mux *http.ServeMux) {
	mux.HandleFunc("GET /static/{file}", d.static)
	mux.HandleFunc("GET /login", d.loginPage)
	mux.HandleFunc("POST /login", d.login)
	mux.HandleFunc("POST /logout", d.logout)
	mux.HandleFunc("GET /{$}", d.reader(d.queue))
	mux.HandleFunc("GET /conflicts/{id}", d.reader(d.conflict))
	mux.HandleFunc("POST /conflicts/{id}/review", d.role(pageRoleFactChecker, d.review))
	mux.HandleFunc("GET /entities/{name...}", d.reader(d.entity))
	mux.HandleFunc("GET /sources/{id}", d.reader(d.source))
	mux.HandleFunc("POST /sources/{id}/claims", d.role(pageRoleArchivist, d.recordClaim))
	mux.HandleFunc("GET /diff", d.reader(d.diff))
	mux.HandleFunc("GET /log", d.reader(d.logPage))
}

// deskHandler is a page handler: it is given the user (nil on a public
// server to an anonymous reader).
type deskHandler func(w http.ResponseWriter, r *http.Request, u *pageUser)

// reader lets a signed-in user (any role) through, and anyone when the
// server is public; an anonymous visitor of a private server is sent to
// the sign-in page.
func (d *desk) reader(h deskHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := d.auth.pageUser(r)
		if u == nil && !d.publicRead {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		h(w, r, u)
	}
}

// role lets through a signed-in user whose role allows the write (an
// admin may do everything), whose form carries the session's CSRF token.
func (d *desk) role(want string, h deskHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := d.auth.pageUser(r)
		if u == nil {
			d.errorPage(w, r, nil, http.StatusUnauthorized, "Sign in first: this page records something in the archive.")
			return
		}
		allowed := u.Role == want || u.Role == pageRoleAdmin
		if !allowed {
			d.errorPage(w, r, u, http.StatusForbidden, fmt.Sprintf("Your role (%s) may not do this: it takes a %s.", u.Role, want))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		if err := r.ParseForm(); err != nil {
			d.errorPage(w, r, u, http.StatusBadRequest, "The form could not be read: "+err.Error())
			return
		}
		if u.CSRF == "" || r.PostForm.Get("csrf") != u.CSRF {
			d.errorPage(w, r, u, http.StatusForbidden, "The form's security token is missing or out of date (were you signed in again meanwhile?). Go back, reload the page and try again.")
			return
		}
		h(w, r, u)
	}
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
// maps to; an internal error is logged and said to be one.
func (d *desk) archiveError(w http.ResponseWriter, r *http.Request, u *pageUser, err error) {
	status := http.StatusInternalServerError
	msg := err.Error()
	switch archive.ErrorCode(err) {
	case archive.Invalid:
		status = http.StatusUnprocessableEntity
	case archive.NotFound:
		status = http.StatusNotFound
	case archive.Conflict:
		status = http.StatusConflict
	case archive.Forbidden:
		status = http.StatusForbidden
	default:
		d.log.Error("page", "path", r.URL.Path, "err", err)
		msg = "Internal error (nothing was half-written): " + msg
	}
	d.errorPage(w, r, u, status, msg)
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
