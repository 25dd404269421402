package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sillok/sillok/web"
)

// TestSecuritySignInCrossSite: another site cannot sign a visitor in to an
// account of its choosing (login CSRF), by the form or by the API; nor
// make any other write with a browser's request from another origin.
func TestSecuritySignInCrossSite(t *testing.T) {
	ar := mustDemoArchive(t)
	h := web.New(ar, web.Options{Now: stepClock()})
	post := func(target, ctype, body string, hdr map[string]string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", target, strings.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	form := url.Values{"user": {"reader"}, "password": {"password-reader"}}.Encode()
	js := `{"user":"reader","password":"password-reader"}`
	for _, hdr := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://evil.example"},
	} {
		for _, c := range []struct{ target, ctype, body string }{
			{"/login", "application/x-www-form-urlencoded", form},
			{"/api/session", "text/plain", js},
		} {
			w := post(c.target, c.ctype, c.body, hdr)
			if w.Code != http.StatusForbidden {
				t.Errorf("POST %s with %v: got %d, want 403", c.target, hdr, w.Code)
			}
			for _, ck := range w.Result().Cookies() {
				if ck.Name == web.SessionCookie && ck.Value != "" {
					t.Errorf("POST %s with %v: a session cookie was set", c.target, hdr)
				}
			}
		}
	}
	// The same sign-in from the server's own pages, or from a program that
	// sends neither header, still works.
	if w := post("/login", "application/x-www-form-urlencoded", form, map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://example.com"}); w.Code != http.StatusSeeOther {
		t.Errorf("same-origin sign-in: got %d, want 303", w.Code)
	}
	if w := post("/api/session", "application/json", js, nil); w.Code != http.StatusOK {
		t.Errorf("API sign-in without Origin: got %d, want 200: %s", w.Code, w.Body)
	}
}

// TestSecuritySignInAgainEndsOldSession: signing in again from a browser
// that has a session replaces it; the old session id stops working.
func TestSecuritySignInAgainEndsOldSession(t *testing.T) {
	ar := mustDemoArchive(t)
	h := web.New(ar, web.Options{Now: stepClock()})
	old := sessionClient(t, h, "reader")
	w := old.json("POST", "/api/session", map[string]string{"user": "archivist", "password": "password-archivist"})
	wantStatus(t, w, http.StatusOK)
	var fresh *http.Cookie
	for _, ck := range w.Result().Cookies() {
		if ck.Name == web.SessionCookie {
			fresh = ck
		}
	}
	if fresh == nil || fresh.Value == old.cookie.Value {
		t.Fatalf("signing in again: no new session id (%v)", fresh)
	}
	wantStatus(t, old.json("GET", "/api/session", nil), http.StatusUnauthorized)
	now := &client{tb: t, h: h, cookie: fresh}
	wantStatus(t, now.json("GET", "/api/session", nil), http.StatusOK)
}

// deadlineRecorder is a ResponseRecorder that records the write deadlines
// a handler sets through http.ResponseController.
type deadlineRecorder struct {
	*httptest.ResponseRecorder
	deadlines []time.Time
}

func (d *deadlineRecorder) SetWriteDeadline(t time.Time) error {
	d.deadlines = append(d.deadlines, t)
	return nil
}
func (d *deadlineRecorder) SetReadDeadline(time.Time) error { return nil }

// TestSecurityEventStreamWriteDeadline: the event stream lifts the
// server's WriteTimeout for itself, but each batch it writes has a
// deadline, so that a client that never reads cannot hold a goroutine and
// a connection for ever (nor hold up the server's shutdown).
func TestSecurityEventStreamWriteDeadline(t *testing.T) {
	ar := mustDemoArchive(t)
	h := web.New(ar, web.Options{PublicRead: true, Poll: 5 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest("GET", "/api/events", nil).WithContext(ctx)
	req.Header.Set("Last-Event-ID", "0")
	w := &deadlineRecorder{ResponseRecorder: httptest.NewRecorder()}
	done := make(chan struct{})
	go func() { h.ServeHTTP(w, req); close(done) }()
	time.Sleep(300 * time.Millisecond)
	cancel()
	<-done
	if !strings.Contains(w.Body.String(), "event: revision") {
		t.Fatalf("no event was streamed: %q", w.Body.String())
	}
	if n := len(w.deadlines); n == 0 || w.deadlines[n-1].IsZero() {
		t.Errorf("the stream wrote its events with no write deadline (deadlines set: %v)", w.deadlines)
	}
}
