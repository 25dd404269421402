package web_test

import (
	"net/http"
	"testing"

	"github.com/sillok/sillok/web"
)

func TestSignInAndRead(t *testing.T) {
	a := mustDemoArchive(t)
	s := web.New(a, web.Options{})
	anon := &client{tb: t, h: s}
	wantStatus(t, anon.do("GET", "/api/conflicts", "", nil), http.StatusUnauthorized)
	c := sessionClient(t, s, "reader")
	w := c.do("GET", "/api/conflicts", "", nil)
	wantStatus(t, w, http.StatusOK)
	var page struct {
		Revision  uint64
		Conflicts []struct{ ID, Kind, Subject string }
	}
	decode(t, w, &page)
	if len(page.Conflicts) == 0 || page.Revision != uint64(head(t, a)) {
		t.Fatalf("got %d conflicts at revision %d, want some at %d", len(page.Conflicts), page.Revision, head(t, a))
	}
}
