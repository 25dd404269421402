package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/sillok/sillok/web"
)

// BenchmarkPages times each page against the API's JSON of the same
// read, served in process with a bearer token: the ratio is what the
// HTML costs over the read itself.
//
//	go test ./web -run '^$' -bench BenchmarkPages
func BenchmarkPages(b *testing.B) {
	a := mustDemoArchive(b)
	s := web.New(a, web.Options{})
	tok, err := a.NewToken("setup", "fact-checker")
	if err != nil {
		b.Fatal(err)
	}
	cf := launchConflict(b, a)
	for _, bc := range []struct{ name, page, api string }{
		{"Queue", "/", "/api/conflicts"},
		{"Conflict", "/conflicts/" + string(cf.ID), "/api/conflicts/" + string(cf.ID)},
		{"Entity", "/entities/Disruptive%20Technology%20Protection%20Network", "/api/view?subject=Disruptive%20Technology%20Protection%20Network"},
		{"Source", "/sources/toto-shimpo-2024-04-26", "/api/sources/toto-shimpo-2024-04-26?text=1&quotes=1"},
	} {
		for _, v := range []struct{ kind, path string }{{"API", bc.api}, {"Page", bc.page}} {
			b.Run(bc.name+"/"+v.kind, func(b *testing.B) {
				for b.Loop() {
					req := httptest.NewRequest("GET", v.path, nil)
					req.Header.Set("Authorization", "Bearer "+tok)
					w := httptest.NewRecorder()
					s.ServeHTTP(w, req)
					if w.Code != http.StatusOK {
						b.Fatalf("GET %s: %d %s", v.path, w.Code, w.Body)
					}
				}
			})
		}
	}
}
