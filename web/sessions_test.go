package web_test

import (
	"net/http"
	"testing"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/web"
)

// mustReopen opens the archive at path again (closed at the end of the
// test).
func mustReopen(tb testing.TB, path string) *archive.Archive {
	tb.Helper()
	a, err := archive.Open(path, archive.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { a.Close() })
	return a
}

// TestSessionsSharedByServers: two servers over one archive (opened in
// turn: bbolt lets one process hold the file at a time) know the same
// sessions. A browser signed in on server A is signed in on server B,
// whose writes accept the same CSRF token; a sign-out on B ends the
// session on A too.
func TestSessionsSharedByServers(t *testing.T) {
	first := mustDemoArchive(t)
	path := first.Path()
	cf := launchConflict(t, first)
	serverA := web.New(first, web.Options{})
	browser := sessionClient(t, serverA, "fact-checker")
	wantStatus(t, browser.json("GET", "/api/session", nil), http.StatusOK)
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	// Server B: the cookie and the CSRF token from A.
	second := mustReopen(t, path)
	serverB := web.New(second, web.Options{})
	browser.h = serverB
	w := browser.json("GET", "/api/session", nil)
	wantStatus(t, w, http.StatusOK)
	var doc struct{ User, CSRF string }
	decode(t, w, &doc)
	if doc.User != "fact-checker" || doc.CSRF != browser.csrf {
		t.Fatalf("server B: got user %q csrf %q, want fact-checker and A's csrf %q", doc.User, doc.CSRF, browser.csrf)
	}
	before := head(t, second)
	body := map[string]any{"verdict": "dismiss", "note": "reviewed on server B"}
	csrf := browser.csrf
	browser.csrf = ""
	wantStatus(t, browser.json("POST", "/api/conflicts/"+string(cf.ID)+"/review", body), http.StatusForbidden)
	browser.csrf = csrf
	wantStatus(t, browser.json("POST", "/api/conflicts/"+string(cf.ID)+"/review", body), http.StatusOK)
	if got, want := head(t, second), before+1; got != want {
		t.Fatalf("head after a review on server B: got %d, want %d", got, want)
	}
	log, err := second.Log(before+1, before+1)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Author != "fact-checker" {
		t.Fatalf("the review's event: got %+v, want one by fact-checker", log)
	}
	// A sign-in on B is known to A as well, below.
	other := sessionClient(t, serverB, "reader")
	// Signing out on B...
	wantStatus(t, browser.json("DELETE", "/api/session", nil), http.StatusOK)
	if err := second.Close(); err != nil {
		t.Fatal(err)
	}

	// ...ends the session on A: the same Server value, so that anything
	// it kept in memory is still there, over the archive opened again.
	serverA.Archive = mustReopen(t, path)
	browser.h, other.h = serverA, serverA
	w = browser.json("GET", "/api/session", nil)
	wantStatus(t, w, http.StatusUnauthorized)
	cleared := false
	for _, ck := range w.Result().Cookies() {
		cleared = cleared || ck.Name == web.SessionCookie && ck.MaxAge < 0
	}
	if !cleared {
		t.Errorf("the dead cookie on server A was not cleared: %v", w.Result().Cookies())
	}
	wantStatus(t, browser.json("POST", "/api/conflicts/"+string(cf.ID)+"/review", map[string]any{"verdict": "dismiss", "override": true}), http.StatusUnauthorized)
	wantStatus(t, other.json("GET", "/api/session", nil), http.StatusOK)
}
