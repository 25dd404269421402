package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	archive "github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/sources"
	"github.com/sillok/sillok/web"
)

// deskServer serves the pages over a (mustDemoArchive: an account of
// each role, named by it), with sign-in limits out of the way.
func deskServer(t *testing.T, a *archive.Archive) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(web.New(a, web.Options{SignInLimit: 1000, SignInAddressLimit: 1000}))
	t.Cleanup(srv.Close)
	return srv
}

// browser is an HTTP client with cookies that does not follow redirects.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
	user string
	csrf string // the session's CSRF token, read from a page's form
}

func newBrowser(t *testing.T, srv *httptest.Server, user string) *browser {
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t, base: srv.URL, user: user, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if user != "" {
		status, _, loc := b.post("/login", url.Values{"user": {user}, "password": {"password-" + user}, "next": {"/"}})
		if status != http.StatusSeeOther || loc != "/" {
			t.Fatalf("signing in as %s: got %d to %q, want 303 to /", user, status, loc)
		}
		_, page := b.get("/")
		m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("signed in as %s: no csrf field in the queue page", user)
		}
		b.csrf = m[1]
	}
	return b
}

func (b *browser) do(req *http.Request) (int, string, string) {
	b.t.Helper()
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header.Get("Location")
}

func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.base+path, nil)
	status, body, _ := b.do(req)
	return status, body
}

func (b *browser) post(path string, form url.Values) (int, string, string) {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func wantContains(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: want %q in the page, not there", what, w)
		}
	}
}

func wantNotContains(t *testing.T, what, body string, nots ...string) {
	t.Helper()
	for _, w := range nots {
		if strings.Contains(body, w) {
			t.Errorf("%s: want no %q in the page, found it", what, w)
		}
	}
}

func TestPagesRead(t *testing.T) {
	ar := mustDemoArchive(t)
	srv := deskServer(t, ar)
	cf := launchConflict(t, ar)
	b := newBrowser(t, srv, "reader")
	for _, tc := range []struct {
		name, path string
		want       []string
	}{
		{"Queue", "/", []string{"Conflict queue", "Disruptive Technology Protection Network", `href="/conflicts/` + string(cf.ID), "open"}},
		{"QueueResolved", "/?status=resolved", []string{"No conflicts here"}},
		{"QueueByKind", "/?kind=name", []string{"Online Freedom Coalition"}},
		{"QueuePaged", "/?limit=2", []string{"Next page", "after="}},
		{"Conflict", "/conflicts/" + string(cf.ID), []string{"hl-launched", "jp-launched", "<mark>set up in April 2023</mark>", `lang="ja"`, `lang="ko"`}},
		{"ConflictByPrefix", "/conflicts/" + string(cf.ID)[:8], []string{"hl-launched"}},
		{"Entity", "/entities/" + url.PathEscape("Disruptive Technology Protection Network"), []string{"launched", "conflict", "hl-launched", "Also called", `<q lang="ja">`, `<q lang="ko">`}},
		{"EntityByAlias", "/entities/" + url.PathEscape("US Canon"), []string{"Camp David summit"}},
		{"Source", "/sources/toto-shimpo-2024-04-26", []string{`lang="ja"`, `class="q standing"`, `href="#claim-jp-launched"`, `id="claim-jp-launched"`}},
		{"DiffForm", "/diff", []string{"From revision"}},
		{"Diff", "/diff?from=1&to=20", []string{"Facts", "added"}},
		{"Log", "/log", []string{"claim.asserted", "source.archived", "Older"}},
		{"LogOlder", "/log?to=10", []string{"Newer"}},
		{"Login", "/login", []string{"Sign in", `name="password"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := b.get(tc.path)
			if status != http.StatusOK {
				t.Fatalf("GET %s: got %d, want 200\n%s", tc.path, status, body)
			}
			wantContains(t, tc.path, body, tc.want...)
			// A reader sees no verdict buttons and no claim form.
			wantNotContains(t, tc.path, body, `name="decision"`, `id="claim-form"`)
		})
	}
}

func TestPagesErrors(t *testing.T) {
	ar := mustDemoArchive(t)
	srv := deskServer(t, ar)
	b := newBrowser(t, srv, "reader")
	for _, tc := range []struct {
		name, path string
		status     int
		want       string
	}{
		{"UnknownConflict", "/conflicts/abcdef0123", http.StatusNotFound, "404"},
		{"ShortConflictID", "/conflicts/ab", http.StatusUnprocessableEntity, "422"},
		{"UnknownEntity", "/entities/Nobody%20Known", http.StatusNotFound, "Nobody Known"},
		{"MisspeltEntity", "/entities/Camp%20Davd%20summit", http.StatusNotFound, `Did you mean <a href="/entities/Camp%20David%20summit">Camp David summit</a>?`},
		{"MisspeltSubject", "/?subject=Camp%20Davd%20summit", http.StatusNotFound, `<a href="/?kind=&amp;status=open&amp;subject=Camp&#43;David&#43;summit">Camp David summit</a>`},
		{"UnknownSource", "/sources/no-such-source", http.StatusNotFound, "no-such-source"},
		{"BadKind", "/?kind=bogus", http.StatusUnprocessableEntity, `name="subject"`},
		{"BadCursor", "/?after=%21%21", http.StatusUnprocessableEntity, "cursor"},
		{"BadLimit", "/?limit=0", http.StatusBadRequest, "limit"},
		{"DiffBeyondHead", "/diff?from=1&to=99999", http.StatusNotFound, "99999"},
		{"DiffNotANumber", "/diff?from=x", http.StatusBadRequest, "not a revision"},
		{"UnknownStatic", "/static/nothing.css", http.StatusNotFound, ""},
		{"NoSuchPage", "/no/such/page", http.StatusNotFound, "no page at /no/such/page"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := b.get(tc.path)
			if status != tc.status {
				t.Fatalf("GET %s: got %d, want %d\n%s", tc.path, status, tc.status, body)
			}
			wantContains(t, tc.path, body, tc.want)
		})
	}
}

func TestPagesSignIn(t *testing.T) {
	ar := mustDemoArchive(t)
	srv := deskServer(t, ar)
	t.Run("AnonymousToLogin", func(t *testing.T) {
		b := newBrowser(t, srv, "")
		for _, p := range []string{"/", "/conflicts/abcd", "/entities/X", "/sources/x", "/diff", "/log", "/no/such/page"} {
			req, _ := http.NewRequest("GET", srv.URL+p, nil)
			status, _, loc := b.do(req)
			if status != http.StatusSeeOther || loc != "/login?next="+url.QueryEscape(p) {
				t.Errorf("GET %s anonymously: got %d to %q, want 303 to /login?next=...", p, status, loc)
			}
		}
	})
	t.Run("WrongPassword", func(t *testing.T) {
		b := newBrowser(t, srv, "")
		status, body, _ := b.post("/login", url.Values{"user": {"reader"}, "password": {"nope"}})
		if status != http.StatusUnauthorized {
			t.Fatalf("got %d, want 401", status)
		}
		wantContains(t, "login", body, "wrong name or password", `value="reader"`)
	})
	t.Run("Empty", func(t *testing.T) {
		b := newBrowser(t, srv, "")
		status, body, _ := b.post("/login", url.Values{"user": {"reader"}})
		if status != http.StatusBadRequest {
			t.Fatalf("got %d, want 400", status)
		}
		wantContains(t, "login", body, "Give your name and your password")
	})
	t.Run("NextStaysLocal", func(t *testing.T) {
		for next, want := range map[string]string{"/log": "/log", "https://evil.example/": "/", "//evil.example/": "/", "/\\evil": "/"} {
			b := newBrowser(t, srv, "")
			status, _, loc := b.post("/login", url.Values{"user": {"reader"}, "password": {"password-reader"}, "next": {next}})
			if status != http.StatusSeeOther || loc != want {
				t.Errorf("next %q: got %d to %q, want 303 to %q", next, status, loc, want)
			}
		}
	})
	t.Run("SignOutNeedsToken", func(t *testing.T) {
		b := newBrowser(t, srv, "reader")
		if status, _, _ := b.post("/logout", url.Values{}); status != http.StatusForbidden {
			t.Errorf("sign-out without the token: got %d, want 403", status)
		}
		if status, _, loc := b.post("/logout", url.Values{"csrf": {b.csrf}}); status != http.StatusSeeOther || loc != "/login" {
			t.Errorf("sign-out: got %d to %q, want 303 to /login", status, loc)
		}
		if status, _ := b.get("/"); status != http.StatusSeeOther {
			t.Errorf("after signing out: GET / got %d, want 303", status)
		}
	})
}

func TestPagesReview(t *testing.T) {
	ar := mustDemoArchive(t)
	srv := deskServer(t, ar)
	cf := launchConflict(t, ar)
	path := "/conflicts/" + string(cf.ID)
	fern := newBrowser(t, srv, "fact-checker")
	_, page := fern.get(path)
	wantContains(t, "fact-checker's conflict page", page, `value="accept:hl-launched"`, `value="dismiss:"`, `name="seen"`)
	seen := regexp.MustCompile(`name="seen" value="(\d+)"`).FindStringSubmatch(page)[1]
	before := head(t, ar)

	refused := func(t *testing.T, b *browser, form url.Values, status int, want string) {
		t.Helper()
		got, body, _ := b.post(path+"/review", form)
		if got != status {
			t.Fatalf("got %d, want %d\n%s", got, status, body)
		}
		wantContains(t, "refusal", body, want)
		if h := head(t, ar); h != before {
			t.Fatalf("a refused verdict appended: head %d, want %d", h, before)
		}
	}
	accept := url.Values{"decision": {"accept:jp-launched"}, "seen": {seen}, "note": {"the summit was in August"}}
	t.Run("ReaderForbidden", func(t *testing.T) {
		b := newBrowser(t, srv, "reader")
		form := url.Values{"csrf": {b.csrf}}
		for k, v := range accept {
			form[k] = v
		}
		refused(t, b, form, http.StatusForbidden, "needs the role fact-checker")
	})
	t.Run("AnonymousUnauthorized", func(t *testing.T) {
		refused(t, newBrowser(t, srv, ""), accept, http.StatusUnauthorized, "sign in first")
	})
	t.Run("NoCSRF", func(t *testing.T) {
		refused(t, fern, accept, http.StatusForbidden, "security token")
	})
	withCSRF := func(v url.Values) url.Values {
		out := url.Values{"csrf": {fern.csrf}}
		for k, x := range v {
			out[k] = x
		}
		return out
	}
	t.Run("NoSeen", func(t *testing.T) {
		refused(t, fern, withCSRF(url.Values{"decision": {"accept:jp-launched"}}), http.StatusBadRequest, "seen")
	})
	t.Run("BadVerdict", func(t *testing.T) {
		refused(t, fern, withCSRF(url.Values{"decision": {"maybe:jp-launched"}, "seen": {seen}}), http.StatusBadRequest, "maybe")
	})
	t.Run("ClaimNotInConflict", func(t *testing.T) {
		refused(t, fern, withCSRF(url.Values{"decision": {"accept:hl-first-meeting-same-day"}, "seen": {seen}}), http.StatusUnprocessableEntity, "hl-first-meeting-same-day")
	})
	t.Run("Accept", func(t *testing.T) {
		status, _, loc := fern.post(path+"/review", withCSRF(accept))
		if status != http.StatusSeeOther || loc != path+"?reviewed=1" {
			t.Fatalf("got %d to %q, want 303 to %s?reviewed=1", status, loc, path)
		}
		_, body := fern.get(loc)
		wantContains(t, "after the verdict", body, "Verdict recorded", "by <strong>fact-checker</strong>", "the summit was in August", `class="badge resolved"`)
		evs, err := ar.Log(before+1, archive.Head)
		if err != nil || len(evs) != 1 || evs[0].Author != "fact-checker" || evs[0].Type != "verdict.recorded" {
			t.Fatalf("the verdict's event: got %+v, %v; want one verdict by fact-checker", evs, err)
		}
		before = evs[0].Revision
		_, queue := fern.get("/?status=resolved")
		wantContains(t, "resolved queue", queue, string(cf.ID), "accept jp-launched by fact-checker")
	})
	t.Run("StaleSeen", func(t *testing.T) {
		// A second reviewer who looked at the same revision is refused, and
		// shown what changed.
		refused(t, fern, withCSRF(url.Values{"decision": {"dismiss:"}, "seen": {seen}}), http.StatusConflict, "changed after you looked")
	})
	t.Run("ResolvedNeedsOverride", func(t *testing.T) {
		now := head(t, ar)
		refused(t, fern, withCSRF(url.Values{"decision": {"dismiss:"}, "seen": {itoa(now)}}), http.StatusConflict, "already has a verdict")
		status, _, _ := fern.post(path+"/review", withCSRF(url.Values{"decision": {"dismiss:"}, "seen": {itoa(now)}, "override": {"1"}}))
		if status != http.StatusSeeOther {
			t.Fatalf("override: got %d, want 303", status)
		}
		before = head(t, ar)
	})
}

func itoa(r events.Revision) string { return strconv.FormatUint(uint64(r), 10) }

func TestPagesRecordClaim(t *testing.T) {
	ar := mustDemoArchive(t)
	srv := deskServer(t, ar)
	src := "/sources/pacific-wire-2024-04-26"
	arno := newBrowser(t, srv, "archivist")
	_, page := arno.get(src)
	wantContains(t, "archivist's source page", page, `id="claim-form"`, `data-select="claim-form"`, `<option value="launched">`)
	wantNotContains(t, "archivist's source page", page, `name="decision"`)
	rita := newBrowser(t, srv, "reader")
	_, rpage := rita.get(src)
	wantNotContains(t, "reader's source page", rpage, `id="claim-form"`, `data-select=`)

	st, err := ar.SourceText("pacific-wire-2024-04-26")
	if err != nil {
		t.Fatal(err)
	}
	// A passage no claim quotes yet: the first words of the text's second
	// line.
	line := st.Text[st.Lines[1].Start:st.Lines[1].End]
	quote := strings.Join(strings.Fields(line)[:6], " ")
	before := head(t, ar)
	form := url.Values{"csrf": {arno.csrf}, "subject": {"Pacific Wire test subject"}, "predicate": {"first high-level meeting"},
		"value": {"the 25th"}, "quote": {quote}}

	t.Run("Preview", func(t *testing.T) {
		form.Set("action", "preview")
		status, body, _ := arno.post(src+"/claims", form)
		if status != http.StatusOK {
			t.Fatalf("preview: got %d, want 200\n%s", status, body)
		}
		wantContains(t, "preview", body, "Check before recording", "2024-04-25", "resolved against the publication date 2024-04-26", "Record this claim")
		if h := head(t, ar); h != before {
			t.Fatalf("a preview appended: head %d, want %d", h, before)
		}
	})
	t.Run("PreviewRefused", func(t *testing.T) {
		for name, tc := range map[string]struct{ field, value, want string }{
			"QuoteNotInSource": {"quote", "words that this wire story never printed", "closest"},
			"BadDate":          {"value", "sometime soonish", "not a date form"},
			"UnknownPredicate": {"predicate", "colour", "known predicates"},
			"NoSubject":        {"subject", "", "needs its subject"},
		} {
			t.Run(name, func(t *testing.T) {
				f := url.Values{}
				for k, v := range form {
					f[k] = v
				}
				f.Set(tc.field, tc.value)
				for _, action := range []string{"preview", "record"} {
					f.Set("action", action)
					status, body, _ := arno.post(src+"/claims", f)
					if status != http.StatusUnprocessableEntity {
						t.Fatalf("%s: got %d, want 422\n%s", action, status, body)
					}
					wantContains(t, action, body, tc.want, `class="error pre"`)
					if h := head(t, ar); h != before {
						t.Fatalf("%s: a refused claim appended: head %d, want %d", action, h, before)
					}
				}
			})
		}
	})
	t.Run("ReaderForbidden", func(t *testing.T) {
		f := url.Values{"action": {"record"}, "csrf": {rita.csrf}}
		for k, v := range form {
			if k != "csrf" {
				f[k] = v
			}
		}
		if status, _, _ := rita.post(src+"/claims", f); status != http.StatusForbidden {
			t.Fatalf("got %d, want 403", status)
		}
		if h := head(t, ar); h != before {
			t.Fatalf("a refused claim appended")
		}
	})
	t.Run("Record", func(t *testing.T) {
		form.Set("action", "record")
		status, _, loc := arno.post(src+"/claims", form)
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, src+"?recorded=") {
			t.Fatalf("record: got %d to %q, want 303 to %s?recorded=...", status, loc, src)
		}
		rows, err := ar.Claims(archive.ClaimFilter{Subject: "Pacific Wire test subject", At: archive.Head})
		if err != nil || len(rows) != 1 {
			t.Fatalf("the recorded claim: got %v, %v", rows, err)
		}
		if rows[0].Value.Date != "2024-04-25" {
			t.Errorf("the claim's date: got %q, want 2024-04-25", rows[0].Value.Date)
		}
		h := head(t, ar)
		evs, _ := ar.Log(h, h)
		if len(evs) != 1 || evs[0].Author != "archivist" {
			t.Errorf("the claim's author: got %+v, want archivist", evs)
		}
		_, body := arno.get(loc)
		wantContains(t, "after recording", body, "Claim "+string(rows[0].ID)+" recorded", `id="claim-`+string(rows[0].ID)+`"`, `href="#claim-`+string(rows[0].ID)+`"`)
	})
}

// TestPagesEscapeHostileSource: a source, a subject and a note that hold
// markup and script are shown as text on every page.
func TestPagesEscapeHostileSource(t *testing.T) {
	ar := mustDemoArchive(t)
	raw := []byte("Breaking <script>alert('pwned')</script> news.\n\nThe agency <img src=x onerror=alert(1)> was launched in May 2023.\n")
	if _, err := ar.AddSource("demo", raw, sources.Meta{ID: "hostile", Title: `<b onmouseover="alert(2)">Hostile</b>`, Lang: "en",
		Published: "2024-05-01", URL: "javascript:alert(3)"}); err != nil {
		t.Fatal(err)
	}
	srv := deskServer(t, ar)
	arno := newBrowser(t, srv, "archivist")
	form := url.Values{"csrf": {arno.csrf}, "action": {"record"}, "subject": {`<script>alert("s")</script> Agency`},
		"predicate": {"launched"}, "value": {"May 2023"}, "quote": {"<img src=x onerror=alert(1)> was launched"}, "note": {`<img src=y onerror=alert(4)>`}}
	if status, body, _ := arno.post("/sources/hostile/claims", form); status != http.StatusSeeOther {
		t.Fatalf("recording the hostile claim: got %d\n%s", status, body)
	}
	for _, p := range []string{"/sources/hostile", "/entities/" + url.PathEscape(`<script>alert("s")</script> Agency`), "/log", "/"} {
		_, body := arno.get(p)
		for _, bad := range []string{"<script>alert", "<img src=x", "<img src=y", "<b onmouseover", `onload="x`, `href="javascript:`} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: %q is in the page as markup", p, bad)
			}
		}
		if p == "/sources/hostile" {
			wantContains(t, p, body, "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;", "&lt;b onmouseover=")
		}
	}
}

func TestPagesStatic(t *testing.T) {
	ar := mustDemoArchive(t)
	srv := deskServer(t, ar)
	b := newBrowser(t, srv, "reader")
	_, page := b.get("/")
	for _, re := range []string{`/static/desk\.[0-9a-f]{12}\.css`, `/static/desk\.[0-9a-f]{12}\.js`} {
		name := regexp.MustCompile(re).FindString(page)
		if name == "" {
			t.Fatalf("no %s in the page", re)
		}
		resp, err := b.c.Get(srv.URL + name)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: got %d, Cache-Control %q; want 200, immutable", name, resp.StatusCode, resp.Header.Get("Cache-Control"))
		}
	}
	if strings.Contains(page, "<script>") || regexp.MustCompile(`\son[a-z]+=`).MatchString(page) || strings.Contains(page, "style=") {
		t.Error("the page has an inline script, event handler or style, which the Content-Security-Policy forbids")
	}
}

func TestPagesQueuePaging(t *testing.T) {
	ar := mustDemoArchive(t)
	srv := deskServer(t, ar)
	b := newBrowser(t, srv, "reader")
	ids := regexp.MustCompile(`data-id="([0-9a-f]+)"`)
	next := regexp.MustCompile(`href="([^"]+)" rel="next"`)
	var seen []string
	path := "/?limit=3"
	for pages := 0; path != ""; pages++ {
		if pages > 10 {
			t.Fatal("the queue's pages do not end")
		}
		status, body := b.get(path)
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d", path, status)
		}
		if pages > 0 {
			wantContains(t, path, body, "First page")
		}
		rows := ids.FindAllStringSubmatch(body, -1)
		if len(rows) == 0 || len(rows) > 3 {
			t.Errorf("GET %s: %d conflicts on a page of 3", path, len(rows))
		}
		for _, m := range rows {
			seen = append(seen, m[1])
		}
		path = ""
		if m := next.FindStringSubmatch(body); m != nil {
			path = strings.ReplaceAll(m[1], "&amp;", "&")
		}
	}
	page, err := ar.Conflicts(archive.ConflictFilter{Status: "open", At: archive.Head})
	if err != nil {
		t.Fatal(err)
	}
	// One row per item of the queue: a root cause's combinations are
	// one row, by the root's id.
	var want []string
	for _, it := range page.Items {
		want = append(want, string(it.ID))
	}
	if strings.Join(seen, " ") != strings.Join(want, " ") || len(want) >= len(page.Conflicts) {
		t.Errorf("the pages of 3 list\n%v\nwant the open queue's items\n%v\n(fewer than its %d conflicts)", seen, want, len(page.Conflicts))
	}
}

func TestPagesPublicRead(t *testing.T) {
	ar := mustDemoArchive(t)
	srv := httptest.NewServer(web.New(ar, web.Options{PublicRead: true}))
	t.Cleanup(srv.Close)
	b := newBrowser(t, srv, "")
	cf := launchConflict(t, ar)
	for _, p := range []string{"/", "/conflicts/" + string(cf.ID), "/sources/pacific-wire-2024-04-26", "/log"} {
		status, body := b.get(p)
		if status != http.StatusOK {
			t.Fatalf("GET %s anonymously on a public server: got %d, want 200", p, status)
		}
		wantContains(t, p, body, `href="/login"`)
		wantNotContains(t, p, body, `name="decision"`, `id="claim-form"`, `name="csrf"`)
	}
	status, _, _ := b.post("/conflicts/"+string(cf.ID)+"/review", url.Values{"decision": {"dismiss:"}, "seen": {"1"}})
	if status != http.StatusUnauthorized {
		t.Errorf("a verdict posted anonymously on a public server: got %d, want 401", status)
	}
}

func TestPagesNameConflict(t *testing.T) {
	ar := mustDemoArchive(t)
	srv := deskServer(t, ar)
	page, err := ar.Conflicts(archive.ConflictFilter{Kind: "name", At: archive.Head})
	if err != nil || len(page.Conflicts) == 0 {
		t.Fatalf("the demo's name conflicts: %v, %v", page, err)
	}
	cf := page.Conflicts[0]
	b := newBrowser(t, srv, "fact-checker")
	path := "/conflicts/" + string(cf.ID)
	_, body := b.get(path)
	wantContains(t, path, body, `value="same:"`, `value="distinct:"`, cf.Names[0], cf.Names[1])
	wantNotContains(t, path, body, `value="accept:`)
	seen := regexp.MustCompile(`name="seen" value="(\d+)"`).FindStringSubmatch(body)[1]
	status, _, loc := b.post(path+"/review", url.Values{"csrf": {b.csrf}, "seen": {seen}, "decision": {"distinct:"}, "note": {"two different coalitions"}})
	if status != http.StatusSeeOther {
		t.Fatalf("distinct: got %d, want 303", status)
	}
	_, body = b.get(loc)
	wantContains(t, "after the verdict", body, "Verdict:</strong> distinct", "two different coalitions")
}

// rootItem is an open item of the demo's queue that holds several
// combinations of one relation claim.
func rootItem(tb testing.TB, a *archive.Archive) (archive.QueueItem, *archive.ConflictPage) {
	tb.Helper()
	page, err := a.Conflicts(archive.ConflictFilter{Status: projections.ConflictOpen, At: archive.Head})
	if err != nil {
		tb.Fatal(err)
	}
	for _, it := range page.Items {
		if len(it.Conflicts) > 1 {
			return it, page
		}
	}
	tb.Fatal("the demo's queue has no root cause with several combinations")
	return archive.QueueItem{}, nil
}

// TestPagesRootCause: the queue shows one row per root cause (its
// relation claim and how many combinations it holds) linking to the
// root's page, which shows every combination; a verdict there records one
// verdict per combination; a combination's page names its item.
func TestPagesRootCause(t *testing.T) {
	ar := mustDemoArchive(t)
	srv := deskServer(t, ar)
	it, page := rootItem(t, ar)
	var relation string
	for _, cf := range page.Conflicts {
		if cf.ID == it.Conflicts[0] {
			for _, cc := range cf.Claims {
				if cc.Role == projections.RoleRelation {
					relation = string(cc.ID)
				}
			}
		}
	}
	fern := newBrowser(t, srv, "fact-checker")
	_, queue := fern.get("/")
	rows := regexp.MustCompile(`<tr class="row[^"]*" data-href="([^"]+)" data-id="([0-9a-f]+)">`).FindAllStringSubmatch(queue, -1)
	if len(rows) != len(page.Items) {
		t.Errorf("the queue shows %d rows, want one per item: %d (of %d conflicts)", len(rows), len(page.Items), len(page.Conflicts))
	}
	wantContains(t, "queue", queue, `data-href="/conflicts/`+string(it.ID)+`"`, "one cause", "relation claim <code>"+relation+"</code>",
		fmt.Sprintf("%d combinations", len(it.Conflicts)))
	for _, id := range it.Conflicts {
		wantNotContains(t, "queue", queue, `data-id="`+string(id)+`"`)
	}

	root := "/conflicts/" + string(it.ID)
	status, body := fern.get(root)
	if status != http.StatusOK {
		t.Fatalf("GET %s: got %d\n%s", root, status, body)
	}
	wantContains(t, "the root's page", body, fmt.Sprintf("%d combinations of one relation claim", len(it.Conflicts)), `id="claim-`+relation+`"`, `value="dismiss:"`)
	for _, id := range it.Conflicts {
		wantContains(t, "the root's page", body, `href="/conflicts/`+string(id)+`"`)
	}

	combo := "/conflicts/" + string(it.Conflicts[1])
	_, cbody := fern.get(combo)
	wantContains(t, "a combination's page", cbody, fmt.Sprintf("One of %d combinations", len(it.Conflicts)), `href="/conflicts/`+string(it.ID)+`"`)

	seen := regexp.MustCompile(`name="seen" value="(\d+)"`).FindStringSubmatch(body)[1]
	before := head(t, ar)
	st, _, loc := fern.post(root+"/review", url.Values{"csrf": {fern.csrf}, "decision": {"dismiss:"}, "seen": {seen}, "note": {"one relation, read loosely"}})
	want := fmt.Sprintf("%s?reviewed=1&verdicts=%d", root, len(it.Conflicts))
	if st != http.StatusSeeOther || loc != want {
		t.Fatalf("a verdict on the root: got %d to %q, want 303 to %s", st, loc, want)
	}
	if got := head(t, ar); got != before+archive.Revision(len(it.Conflicts)) {
		t.Fatalf("head: got %d, want %d: one verdict per combination", got, before+archive.Revision(len(it.Conflicts)))
	}
	for _, id := range it.Conflicts {
		d, err := ar.ConflictDetail(string(id), archive.Head)
		if err != nil || d.Verdict == nil || d.Verdict.Decision != "dismiss" || d.Status != projections.ConflictResolved {
			t.Errorf("combination %s after the verdict: %+v %v, want dismissed", id, d, err)
		}
	}
	_, after := fern.get(loc)
	wantContains(t, "the root's page after", after, fmt.Sprintf("Verdict recorded on %d combinations", len(it.Conflicts)), `class="badge resolved" id="status"`)
	_, open := fern.get("/")
	wantNotContains(t, "the open queue after", open, `data-id="`+string(it.ID)+`"`)
}
