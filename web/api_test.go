package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/web"
)

// launchConflict is the demo's headline conflict: the launch date.
func launchConflict(tb testing.TB, a *archive.Archive) *projections.Conflict {
	tb.Helper()
	page, err := a.Conflicts(archive.ConflictFilter{Kind: projections.KindValue, Subject: "Disruptive Technology Protection Network", At: archive.Head})
	if err != nil {
		tb.Fatal(err)
	}
	for _, c := range page.Conflicts {
		if c.Predicate == "launched" {
			return c
		}
	}
	tb.Fatal("the demo has no launch-date conflict")
	return nil
}

// who are the callers of the role matrix: anonymous, then each role.
var who = []string{"", "reader", "archivist", "fact-checker", "admin"}

// allowedFor says whether a caller of role may pass a route's access
// check (the route may still refuse the request for what it asks).
func allowedFor(access web.Access, role string, publicRead bool, method string) bool {
	if access == web.Anyone {
		return true
	}
	if role == "" {
		return access == web.Reader && publicRead && method == "GET"
	}
	if access == web.SignedIn {
		return true
	}
	r, _ := archive.ParseRole(role)
	need := map[web.Access]archive.Role{web.Reader: archive.RoleReader, web.Archivist: archive.RoleArchivist,
		web.FactChecker: archive.RoleFactChecker, web.Admin: archive.RoleAdmin}[access]
	return r.Allows(need)
}

// wantAccess is what each API route requires, as DESIGN.md's table says
// (and, for the routes it does not list, as its roles say):
// written here, not read from the server, so that a route registered
// with the wrong access fails the matrix.
var wantAccess = map[string]web.Access{
	"GET /healthz":                    web.Anyone,
	"POST /api/session":               web.Anyone,
	"GET /api/session":                web.SignedIn,
	"DELETE /api/session":             web.SignedIn,
	"GET /api/conflicts":              web.Reader,
	"GET /api/conflicts/{id}":         web.Reader,
	"GET /api/view":                   web.Reader,
	"GET /api/diff":                   web.Reader,
	"GET /api/sources":                web.Reader,
	"GET /api/sources/{id}":           web.Reader,
	"GET /api/log":                    web.Reader,
	"GET /api/head":                   web.Reader,
	"GET /api/events":                 web.Reader,
	"GET /api/search":                 web.Reader,
	"GET /api/claims":                 web.Reader,
	"GET /api/predicates":             web.Reader,
	"GET /api/export/claimreview":     web.Reader,
	"GET /api/export/annotations":     web.Reader,
	"GET /api/export/csv/{table}":     web.Reader,
	"GET /api/export/bag":             web.Reader,
	"POST /api/claim":                 web.Archivist,
	"POST /api/claims/{id}/retract":   web.Archivist,
	"POST /api/predicates":            web.Archivist,
	"POST /api/aliases":               web.Archivist,
	"POST /api/sources":               web.Archivist,
	"POST /api/claims":                web.Archivist,
	"POST /api/conflicts/{id}/review": web.FactChecker,
	"GET /api/users":                  web.Admin,
	"POST /api/users":                 web.Admin,
	"POST /api/users/{name}/disable":  web.Admin,
	"POST /api/users/{name}/token":    web.Admin,
}

// TestRoleMatrix walks every route, the API's and the pages', with every
// role and anonymously, with a bearer token and with a session cookie:
// a caller without the role is refused (401 anonymous, 403 signed in),
// one with it is let through; and no request appends anything (the
// writes are sent without a valid body, so a write let through is
// refused for its input, after the role check).
func TestRoleMatrix(t *testing.T) {
	for _, publicRead := range []bool{false, true} {
		t.Run(fmt.Sprintf("PublicRead=%v", publicRead), func(t *testing.T) {
			a := mustDemoArchive(t)
			s := web.New(a, web.Options{PublicRead: publicRead})
			cf := launchConflict(t, a)
			before := head(t, a)
			clients := map[string][]*client{"": {{tb: t, h: s}}}
			for _, role := range who[1:] {
				clients[role] = []*client{tokenClient(t, a, s, role), sessionClient(t, s, role)}
			}
			routes := s.Routes()
			if len(routes) < 15 {
				t.Fatalf("got %d routes, want every route of the API", len(routes))
			}
			seen := map[string]bool{}
			for _, rt := range routes {
				key := rt.Method + " " + rt.Pattern
				if want, ok := wantAccess[key]; ok {
					seen[key] = true
					if rt.Access != want {
						t.Errorf("%s is registered for %s; DESIGN.md says %s", key, rt.Access, want)
						rt.Access = want
					}
				} else if strings.HasPrefix(rt.Pattern, "/api/") {
					t.Errorf("%s: a route of the API that the matrix does not know: add it to wantAccess", key)
				}
				target := strings.NewReplacer("{id}", string(cf.ID), "{name}", "nobody", "{table}", "claims", "{file...}", "none", "{path...}", "none").Replace(rt.Pattern)
				for _, role := range who {
					for i, c := range clients[role] {
						ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
						req := httptest.NewRequest(rt.Method, target, nil).WithContext(ctx)
						if c.token != "" {
							req.Header.Set("Authorization", "Bearer "+c.token)
						}
						if c.cookie != nil {
							req.AddCookie(c.cookie)
							req.Header.Set(web.CSRFHeader, c.csrf)
						}
						w := httptest.NewRecorder()
						s.ServeHTTP(w, req)
						cancel()
						if c.cookie != nil && rt.Method == "DELETE" && rt.Pattern == "/api/session" && w.Code == http.StatusOK {
							*c = *sessionClient(t, s, role) // signed out: sign in again
						}
						name := fmt.Sprintf("%s %s as %q (client %d)", rt.Method, target, role, i)
						refused := w.Code == http.StatusUnauthorized || w.Code == http.StatusForbidden
						if allowedFor(rt.Access, role, publicRead, rt.Method) {
							if refused && !(rt.Method == "POST" && rt.Pattern == "/api/session") {
								t.Errorf("%s: got %d %s, want it let through (%s)", name, w.Code, w.Body, rt.Access)
							}
						} else {
							want := http.StatusForbidden
							if role == "" {
								want = http.StatusUnauthorized
							}
							if w.Code != want {
								t.Errorf("%s: got %d %s, want %d (%s)", name, w.Code, w.Body, want, rt.Access)
							}
						}
						if got := w.Header().Get("Content-Security-Policy"); !strings.Contains(got, "script-src 'self'") || strings.Contains(got, "unsafe-inline") {
							t.Errorf("%s: Content-Security-Policy %q", name, got)
						}
					}
				}
			}
			for key := range wantAccess {
				if !seen[key] {
					t.Errorf("%s is not registered", key)
				}
			}
			if got := head(t, a); got != before {
				t.Errorf("head: got %d after the matrix, want %d: something was appended", got, before)
			}
		})
	}
}

func TestCSRF(t *testing.T) {
	a := mustDemoArchive(t)
	s := web.New(a, web.Options{})
	cf := launchConflict(t, a)
	body := map[string]any{"verdict": "dismiss", "note": "csrf test"}
	before := head(t, a)

	c := sessionClient(t, s, "fact-checker")
	csrf := c.csrf
	c.csrf = ""
	w := c.json("POST", "/api/conflicts/"+string(cf.ID)+"/review", body)
	wantStatus(t, w, http.StatusForbidden)
	if !strings.Contains(w.Body.String(), web.CSRFHeader) {
		t.Errorf("got %s, want it to name %s", w.Body, web.CSRFHeader)
	}
	c.csrf = "wrong" + csrf
	wantStatus(t, c.json("POST", "/api/conflicts/"+string(cf.ID)+"/review", body), http.StatusForbidden)
	if got := head(t, a); got != before {
		t.Fatalf("head: got %d, want %d: a refused write appended", got, before)
	}
	// A form a page posts carries the token in its csrf field (this
	// route then refuses the form for not being JSON).
	c.csrf = ""
	w = c.do("POST", "/api/conflicts/"+string(cf.ID)+"/review", "application/x-www-form-urlencoded", []byte("csrf="+csrf))
	wantStatus(t, w, http.StatusUnsupportedMediaType)
	w = c.do("POST", "/api/conflicts/"+string(cf.ID)+"/review", "application/x-www-form-urlencoded", []byte("csrf=x"+csrf))
	wantStatus(t, w, http.StatusForbidden)

	c = sessionClient(t, s, "fact-checker")
	w = c.json("POST", "/api/conflicts/"+string(cf.ID)+"/review", body)
	wantStatus(t, w, http.StatusOK)
	// A bearer token needs no CSRF token.
	tc := tokenClient(t, a, s, "fact-checker")
	w = tc.json("POST", "/api/conflicts/"+string(cf.ID)+"/review", map[string]any{"verdict": "dismiss", "override": true})
	wantStatus(t, w, http.StatusOK)
	if got := head(t, a); got != before+2 {
		t.Fatalf("head: got %d, want %d", got, before+2)
	}
	// Signed out, the cookie is worth nothing.
	wantStatus(t, c.json("DELETE", "/api/session", nil), http.StatusOK)
	wantStatus(t, c.do("GET", "/api/conflicts", "", nil), http.StatusUnauthorized)
}

// TestReviewStaleSeen: two fact-checkers look at the same revision of a
// conflict; the first verdict lands, the second gets 409 with what
// changed, and appends nothing.
func TestReviewStaleSeen(t *testing.T) {
	a := mustDemoArchive(t)
	s := web.New(a, web.Options{})
	one, two := sessionClient(t, s, "fact-checker"), tokenClient(t, a, s, "admin")
	cf := launchConflict(t, a)
	w := one.do("GET", "/api/conflicts/"+string(cf.ID), "", nil)
	wantStatus(t, w, http.StatusOK)
	var detail struct {
		ID       string
		Revision uint64
		Claims   []struct{ ID string }
	}
	decode(t, w, &detail)
	if len(detail.Claims) < 2 || detail.Revision == 0 {
		t.Fatalf("conflict detail: %s", w.Body)
	}
	w = one.json("POST", "/api/conflicts/"+detail.ID+"/review", map[string]any{"verdict": "accept", "claim": detail.Claims[0].ID, "seen": detail.Revision, "note": "checked"})
	wantStatus(t, w, http.StatusOK)
	var res struct {
		Revision uint64
		Conflict string
		Decision string
		Rejected []string
	}
	decode(t, w, &res)
	if res.Conflict != detail.ID || res.Revision != detail.Revision+1 || res.Decision != "accept" || len(res.Rejected) == 0 {
		t.Fatalf("review: got %s", w.Body)
	}
	ev, err := a.Log(archive.Revision(res.Revision), archive.Revision(res.Revision))
	if err != nil || len(ev) != 1 || ev[0].Author != "fact-checker" {
		t.Fatalf("the verdict's author: got %+v %v, want the signed-in user", ev, err)
	}
	before := head(t, a)
	w = two.json("POST", "/api/conflicts/"+detail.ID+"/review", map[string]any{"verdict": "accept", "claim": detail.Claims[1].ID, "seen": detail.Revision})
	wantStatus(t, w, http.StatusConflict)
	var e struct{ Error string }
	decode(t, w, &e)
	if !strings.Contains(e.Error, "fact-checker") {
		t.Errorf("409: got %q, want it to say what changed (the verdict and who gave it)", e.Error)
	}
	if got := head(t, a); got != before {
		t.Fatalf("head: got %d, want %d", got, before)
	}
	// Malformed reviews are 400 and append nothing.
	for _, body := range []string{`{"verdict":"maybe"}`, `{"verdict":"accept"}`, `{"verdict":`, `{"verdict":"dismiss","extra":1}`} {
		wantStatus(t, two.do("POST", "/api/conflicts/"+detail.ID+"/review", "application/json", []byte(body)), http.StatusBadRequest)
	}
	wantStatus(t, two.json("POST", "/api/conflicts/ffffffffff/review", map[string]any{"verdict": "dismiss"}), http.StatusNotFound)
	if got := head(t, a); got != before {
		t.Fatalf("head: got %d, want %d", got, before)
	}
}

func TestPostClaims(t *testing.T) {
	a := mustDemoArchive(t)
	s := web.New(a, web.Options{})
	c := tokenClient(t, a, s, "archivist")
	before := head(t, a)
	bad := "source: harbor-ledger-2024-06-07\nclaims:\n  - subject: X\n    predicate: launched\n    value: April 2023\n    quote: this quote is not in the source at all\n"
	w := c.do("POST", "/api/claims?name=bad.yaml", "application/yaml", []byte(bad))
	wantStatus(t, w, http.StatusUnprocessableEntity)
	var e struct{ Error string }
	decode(t, w, &e)
	if !strings.HasPrefix(e.Error, "bad.yaml:6:12: claim #1: quote not found") {
		t.Errorf("422: got %q, want the file and line first", e.Error)
	}
	w = c.do("POST", "/api/claims?name=broken.yaml", "application/yaml", []byte("claims: [\n"))
	wantStatus(t, w, http.StatusUnprocessableEntity)
	decode(t, w, &e)
	if !strings.HasPrefix(e.Error, "broken.yaml:") {
		t.Errorf("422: got %q, want the file and line first", e.Error)
	}
	wantStatus(t, c.do("POST", "/api/claims", "text/plain", []byte("x")), http.StatusUnsupportedMediaType)
	if got := head(t, a); got != before {
		t.Fatalf("head: got %d, want %d", got, before)
	}
	good := "source: harbor-ledger-2024-06-07\npredicates:\n  - {name: praised by, kind: text}\nclaims:\n  - id: web-test\n    subject: Disruptive Technology Protection Network\n    predicate: praised by\n    value: its supporters\n    quote: its supporters like to stress\n"
	w = c.do("POST", "/api/claims", "application/yaml", []byte(good))
	wantStatus(t, w, http.StatusCreated)
	var imp map[string]any
	decode(t, w, &imp)
	for _, k := range []string{"revision", "claims", "created"} {
		if _, ok := imp[k]; !ok {
			t.Errorf("claim import: no %q in %s", k, w.Body)
		}
	}
	// Again: nothing new, 200.
	wantStatus(t, c.do("POST", "/api/claims", "application/yaml", []byte(good)), http.StatusOK)
	ev, _ := a.Log(head(t, a), archive.Head)
	if len(ev) != 1 || ev[0].Author != "archivist" {
		t.Fatalf("the import's author: got %+v, want archivist", ev)
	}
}

func TestPostSource(t *testing.T) {
	a := mustDemoArchive(t)
	s := web.New(a, web.Options{})
	c := tokenClient(t, a, s, "archivist")
	post := func(fields map[string]string, file []byte) *httptest.ResponseRecorder {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range fields {
			mw.WriteField(k, v)
		}
		if file != nil {
			fw, _ := mw.CreateFormFile("file", "x.txt")
			fw.Write(file)
		}
		mw.Close()
		return c.do("POST", "/api/sources", mw.FormDataContentType(), buf.Bytes())
	}
	hostile := []byte("A source with <script>alert(1)</script> and <img src=x onerror=alert(2)> in it.\n")
	w := post(map[string]string{"id": "hostile", "title": "<b>bold</b>", "lang": "en", "published": "2024-05-01"}, hostile)
	wantStatus(t, w, http.StatusCreated)
	var added map[string]any
	decode(t, w, &added)
	if added["id"] != "hostile" || added["created"] != true || len(added["sha256"].(string)) != 64 {
		t.Fatalf("source add: got %s", w.Body)
	}
	before := head(t, a)
	wantStatus(t, post(map[string]string{"id": "hostile"}, []byte("other bytes")), http.StatusConflict)
	wantStatus(t, post(map[string]string{"bogus": "x"}, []byte("more bytes")), http.StatusBadRequest)
	wantStatus(t, post(map[string]string{"id": "nofile"}, nil), http.StatusBadRequest)
	wantStatus(t, post(map[string]string{"published": "not a date"}, []byte("bytes")), http.StatusUnprocessableEntity)
	if got := head(t, a); got != before {
		t.Fatalf("head: got %d, want %d", got, before)
	}
	w = c.do("GET", "/api/sources/hostile?text=1", "", nil)
	wantStatus(t, w, http.StatusOK)
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") || w.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("source text: Content-Type %q, nosniff %q", ct, w.Header().Get("X-Content-Type-Options"))
	}
	wantStatus(t, c.do("GET", "/api/sources/nosuch", "", nil), http.StatusNotFound)
}

func TestReads(t *testing.T) {
	a := mustDemoArchive(t)
	s := web.New(a, web.Options{})
	c := sessionClient(t, s, "reader")
	keys := func(path string, want ...string) map[string]json.RawMessage {
		t.Helper()
		w := c.do("GET", path, "", nil)
		wantStatus(t, w, http.StatusOK)
		var m map[string]json.RawMessage
		decode(t, w, &m)
		for _, k := range want {
			if _, ok := m[k]; !ok {
				t.Errorf("%s: no %q in %.200s", path, k, w.Body)
			}
		}
		return m
	}
	m := keys("/api/conflicts?status=all&limit=2", "revision", "conflicts", "next")
	var next string
	json.Unmarshal(m["next"], &next)
	keys("/api/conflicts?status=all&limit=2&after="+next, "revision", "conflicts")
	keys("/api/conflicts/"+string(launchConflict(t, a).ID), "id", "kind", "status", "subject", "predicate", "claims", "summary", "details", "revision")
	keys("/api/view?subject=Camp+David+summit", "revision", "entities")
	keys("/api/view?at=3", "revision", "entities")
	keys("/api/diff?from=10", "from", "to", "facts", "conflicts")
	keys("/api/sources", "sources")
	keys("/api/sources/harbor-ledger-2024-06-07", "id", "digest", "title", "revision", "claims")
	keys("/api/log?from=2&limit=3", "events", "next")
	keys("/healthz", "ok", "revision")
	for path, want := range map[string]int{
		"/api/conflicts?status=maybe": 400, "/api/conflicts?limit=x": 400, "/api/view?at=x": 400,
		"/api/view?subject=Nobody+At+All": 404, "/api/view?at=100000": 404, "/api/diff": 400,
		"/api/diff?from=30&to=10": 422, "/api/conflicts/zz": 422, "/api/nosuch": 404,
	} {
		w := c.do("GET", path, "", nil)
		if w.Code != want {
			t.Errorf("GET %s: got %d %s, want %d", path, w.Code, w.Body, want)
		}
		var e struct{ Error string }
		if json.Unmarshal(w.Body.Bytes(), &e) != nil || e.Error == "" {
			t.Errorf("GET %s: got %s, want {\"error\": ...}", path, w.Body)
		}
	}
}

func TestSignInLimits(t *testing.T) {
	a := mustDemoArchive(t)
	s := web.New(a, web.Options{SignInLimit: 3, SignInAddressLimit: 6})
	anon := &client{tb: t, h: s}
	signIn := func(user, password string) int {
		return anon.json("POST", "/api/session", map[string]string{"user": user, "password": password}).Code
	}
	if got := signIn("reader", "wrong-password"); got != 401 {
		t.Fatalf("a wrong password: got %d, want 401", got)
	}
	if got := signIn("nobody", "wrong-password"); got != 401 {
		t.Fatalf("an unknown name: got %d, want 401", got)
	}
	signIn("reader", "wrong")
	signIn("reader", "wrong")
	if got := signIn("reader", "password-reader"); got != 429 {
		t.Fatalf("the account's 4th attempt: got %d, want 429", got)
	}
	if got := signIn("archivist", "password-archivist"); got != 200 {
		t.Fatalf("another account: got %d, want 200", got)
	}
	if got := signIn("admin", "password-admin"); got != 429 {
		t.Fatalf("the address's 7th attempt: got %d, want 429", got)
	}
	wantStatus(t, anon.do("POST", "/api/session", "application/json", []byte(`{"user":"x"}`)), 400)
}

func TestCookieAndDisable(t *testing.T) {
	a := mustDemoArchive(t)
	for _, tc := range []struct {
		name   string
		trust  bool
		header string
		secure bool
	}{{"plain", false, "", false}, {"UntrustedProxy", false, "https", false}, {"TrustedProxy", true, "https", true}} {
		t.Run(tc.name, func(t *testing.T) {
			s := web.New(a, web.Options{TrustForwardedProto: tc.trust})
			req := httptest.NewRequest("POST", "/api/session", strings.NewReader(`{"user":"reader","password":"password-reader"}`))
			if tc.header != "" {
				req.Header.Set("X-Forwarded-Proto", tc.header)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, req)
			wantStatus(t, w, 200)
			ck := w.Result().Cookies()[0]
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure != tc.secure {
				t.Errorf("cookie: HttpOnly %v SameSite %v Secure %v, want true Lax %v", ck.HttpOnly, ck.SameSite, ck.Secure, tc.secure)
			}
		})
	}
	s := web.New(a, web.Options{})
	tc := tokenClient(t, a, s, "archivist")
	sc := sessionClient(t, s, "archivist")
	wantStatus(t, tc.do("GET", "/api/sources", "", nil), 200)
	admin := tokenClient(t, a, s, "admin")
	wantStatus(t, admin.do("POST", "/api/users/archivist/disable", "", nil), 200)
	wantStatus(t, tc.do("GET", "/api/sources", "", nil), 401)
	wantStatus(t, sc.do("GET", "/api/sources", "", nil), 401)
	changes, err := a.UserAudit()
	if err != nil || changes[len(changes)-1].By != "admin" || changes[len(changes)-1].Action != "disable" {
		t.Fatalf("audit: got %+v %v, want the disable by admin last", changes, err)
	}
	wantStatus(t, (&client{tb: t, h: s, token: "sillok_nonsense"}).do("GET", "/api/sources", "", nil), 401)
}

// TestLogsNoSecrets: the request log names the user, the method, the
// path, the status and the duration, and never a password, a token, a
// cookie or a CSRF token.
func TestLogsNoSecrets(t *testing.T) {
	a := mustDemoArchive(t)
	var buf bytes.Buffer
	s := web.New(a, web.Options{Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	tc := tokenClient(t, a, s, "admin")
	sc := sessionClient(t, s, "reader")
	wantStatus(t, tc.do("GET", "/api/conflicts?status=all", "", nil), 200)
	wantStatus(t, sc.do("GET", "/api/view", "", nil), 200)
	w := tc.json("POST", "/api/users", map[string]string{"name": "newbie", "role": "reader", "password": "newbie-secret-pw"})
	wantStatus(t, w, 201)
	w = tc.do("POST", "/api/users/newbie/token", "", nil)
	wantStatus(t, w, 201)
	var tok struct{ Token string }
	decode(t, w, &tok)
	log := buf.String()
	for _, secret := range []string{"password-reader", "newbie-secret-pw", tc.token, sc.cookie.Value, sc.csrf, tok.Token} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds a secret %q", secret)
		}
	}
	for _, want := range []string{`"user":"admin"`, `"user":"reader"`, `"method":"GET"`, `"path":"/api/view"`, `"status":200`, `"duration"`} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %s:\n%s", want, log)
		}
	}
	// Nor does the archive file's log or anything an export reads.
	evs, _ := a.Log(0, archive.Head)
	for _, e := range evs {
		if bytes.Contains(e.Payload, []byte("newbie-secret-pw")) || strings.Contains(e.Author, "secret") {
			t.Fatalf("event %d holds the password", e.Revision)
		}
	}
}

func TestBodyLimits(t *testing.T) {
	a := mustDemoArchive(t)
	s := web.New(a, web.Options{})
	c := tokenClient(t, a, s, "fact-checker")
	big := append([]byte(`{"verdict":"dismiss","note":"`), bytes.Repeat([]byte("x"), web.MaxJSONBody)...)
	big = append(big, `"}`...)
	wantStatus(t, c.do("POST", "/api/conflicts/"+string(launchConflict(t, a).ID)+"/review", "application/json", big), http.StatusRequestEntityTooLarge)
	ac := tokenClient(t, a, s, "archivist")
	huge := bytes.Repeat([]byte("# padding\n"), web.MaxClaimsBody/10+1)
	wantStatus(t, ac.do("POST", "/api/claims?name=huge.yaml", "application/yaml", huge), http.StatusRequestEntityTooLarge)
}

// TestEventStream: an open stream gets one message per new event.
func TestEventStream(t *testing.T) {
	a := mustDemoArchive(t)
	s := web.New(a, web.Options{Poll: 50 * time.Millisecond})
	ts := httptest.NewServer(s)
	defer ts.Close()
	tok, _ := a.NewToken("setup", "reader")
	req, _ := http.NewRequest("GET", ts.URL+"/api/events", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("Content-Type %q", ct)
	}
	h := head(t, a)
	if _, err := a.Review("someone", archive.ReviewRequest{Conflict: string(launchConflict(t, a).ID), Decision: "dismiss"}); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	var got string
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && !strings.Contains(got, "verdict.recorded") {
		n, err := resp.Body.Read(buf)
		got += string(buf[:n])
		if err != nil {
			break
		}
	}
	want := fmt.Sprintf("id: %d\nevent: revision\ndata: {\"revision\":%d,\"type\":\"verdict.recorded\"}\n\n", h+1, h+1)
	if !strings.Contains(got, want) {
		t.Fatalf("stream: got %q, want %q", got, want)
	}
}

func TestUsersStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	a, err := archive.Create(path, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.AddUser("root", "ann", archive.RoleReader, "short"); archive.ErrorCode(err) != archive.Invalid {
		t.Errorf("a short password: got %v, want Invalid", err)
	}
	if _, err := a.AddUser("root", "ann", "boss", "long-enough"); archive.ErrorCode(err) != archive.Invalid {
		t.Errorf("an unknown role: got %v, want Invalid", err)
	}
	if _, err := a.AddUser("root", "ann\nx", archive.RoleReader, "long-enough"); archive.ErrorCode(err) != archive.Invalid {
		t.Errorf("a line break in a name: got %v, want Invalid", err)
	}
	if _, err := a.AddUser("root", "ann", archive.RoleReader, "long-enough"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddUser("root", "ann", archive.RoleReader, "long-enough"); archive.ErrorCode(err) != archive.Conflict {
		t.Errorf("a name taken: got %v, want Conflict", err)
	}
	if _, err := a.SignIn("ann", "long-enough"); err != nil {
		t.Errorf("sign in: %v", err)
	}
	if _, err := a.SignIn("ann", "long-enougH"); archive.ErrorCode(err) != archive.Forbidden {
		t.Errorf("a wrong password: got %v, want Forbidden", err)
	}
	if rev, _, _ := a.Head(); rev != 0 {
		t.Errorf("accounts appended to the log: head %d", rev)
	}
	raw, _ := os.ReadFile(path)
	if bytes.Contains(raw, []byte("long-enough")) {
		t.Error("the password is in the file")
	}
}

// TestEventStreamOutlivesTimeouts: the stream goes on past the server's
// read and write timeouts, which end any other request.
func TestEventStreamOutlivesTimeouts(t *testing.T) {
	a := mustDemoArchive(t)
	s := web.New(a, web.Options{Poll: 50 * time.Millisecond})
	ts := httptest.NewUnstartedServer(s)
	ts.Config.ReadTimeout = 300 * time.Millisecond
	ts.Config.WriteTimeout = 300 * time.Millisecond
	ts.Start()
	defer ts.Close()
	tok, _ := a.NewToken("setup", "reader")
	req, _ := http.NewRequest("GET", ts.URL+"/api/events", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	time.Sleep(900 * time.Millisecond)
	if _, err := a.Review("someone", archive.ReviewRequest{Conflict: string(launchConflict(t, a).ID), Decision: "dismiss"}); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1)
	go func() {
		var all string
		buf := make([]byte, 4096)
		for !strings.Contains(all, "verdict.recorded") {
			n, err := resp.Body.Read(buf)
			all += string(buf[:n])
			if err != nil {
				break
			}
		}
		got <- all
	}()
	select {
	case all := <-got:
		if !strings.Contains(all, "verdict.recorded") {
			t.Fatalf("the stream ended before the event: %q", all)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no event in 5 s")
	}
}
