package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/sources"
	"github.com/sillok/sillok/web"
)

// corpusDir is the bundled example corpus of the command line's demo.
const corpusDir = "../cmd/sillok/corpus"

// stepClock steps one second per call, from a fixed time.
func stepClock() func() time.Time {
	t := time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)
	return func() time.Time { t = t.Add(time.Second); return t }
}

// mustDemoArchive creates an archive at a temporary path with the demo
// corpus's sources and claims, and the accounts of every role (each
// named as its role, with the password "password-"+name).
func mustDemoArchive(tb testing.TB) *archive.Archive {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "sillok.db")
	a, err := archive.Create(path, archive.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { a.Close() })
	data, err := os.ReadFile(filepath.Join(corpusDir, "sources.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	manifest, err := sources.ParseManifest("sources.yaml", data)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := a.AddSources("demo", os.DirFS(corpusDir), ".", manifest); err != nil {
		tb.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(corpusDir, "claims", "*.yaml"))
	sort.Strings(files)
	var cf []archive.ClaimsFile
	for _, f := range files {
		cf = append(cf, archive.ClaimsFileAt(f))
	}
	if _, err := a.ImportClaims("demo", cf, nil); err != nil {
		tb.Fatal(err)
	}
	for _, r := range archive.Roles {
		if _, err := a.AddUser("setup", string(r), r, "password-"+string(r)); err != nil {
			tb.Fatal(err)
		}
	}
	return a
}

// client is a test's way of calling a server: as a user with a bearer
// token, with a session cookie, or anonymously.
type client struct {
	tb     testing.TB
	h      http.Handler
	token  string
	cookie *http.Cookie
	csrf   string
}

func (c *client) do(method, target, contentType string, body []byte) *httptest.ResponseRecorder {
	c.tb.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.cookie != nil {
		req.AddCookie(c.cookie)
		if c.csrf != "" {
			req.Header.Set(web.CSRFHeader, c.csrf)
		}
	}
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, req)
	return w
}

func (c *client) json(method, target string, v any) *httptest.ResponseRecorder {
	c.tb.Helper()
	var body []byte
	if v != nil {
		var err error
		if body, err = json.Marshal(v); err != nil {
			c.tb.Fatal(err)
		}
	}
	return c.do(method, target, "application/json", body)
}

// tokenClient is a client with a new API token of user.
func tokenClient(tb testing.TB, a *archive.Archive, h http.Handler, user string) *client {
	tb.Helper()
	tok, err := a.NewToken("setup", user)
	if err != nil {
		tb.Fatal(err)
	}
	return &client{tb: tb, h: h, token: tok}
}

// sessionClient signs user in and returns a client with the session
// cookie and its CSRF token.
func sessionClient(tb testing.TB, h http.Handler, user string) *client {
	tb.Helper()
	c := &client{tb: tb, h: h}
	w := c.json("POST", "/api/session", map[string]string{"user": user, "password": "password-" + user})
	if w.Code != http.StatusOK {
		tb.Fatalf("sign in %s: got %d %s, want 200", user, w.Code, w.Body)
	}
	var doc struct{ User, Role, CSRF string }
	decode(tb, w, &doc)
	for _, ck := range w.Result().Cookies() {
		if ck.Name == web.SessionCookie {
			c.cookie = ck
		}
	}
	if c.cookie == nil || doc.CSRF == "" {
		tb.Fatalf("sign in %s: no cookie or csrf: %s", user, w.Body)
	}
	c.csrf = doc.CSRF
	return c
}

func decode(tb testing.TB, w *httptest.ResponseRecorder, v any) {
	tb.Helper()
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		tb.Fatalf("decode %q: %v", w.Body.String(), err)
	}
}

func head(tb testing.TB, a *archive.Archive) archive.Revision {
	tb.Helper()
	rev, _, err := a.Head()
	if err != nil {
		tb.Fatal(err)
	}
	return rev
}

func wantStatus(tb testing.TB, w *httptest.ResponseRecorder, want int) {
	tb.Helper()
	if w.Code != want {
		tb.Fatalf("got %d %s, want %d", w.Code, strings.TrimSpace(w.Body.String()), want)
	}
}
