package web_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/web"
)

// chromiumPath finds Debian's chromium (or another Chromium or Chrome) on
// the PATH. Without one the browser test skips, except under CI, where
// .ci/run installs it and its absence is a failure.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("SILLOK_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no Chromium on the PATH (apt-get install chromium, or set SILLOK_CHROMIUM): the browser test of the pages does not run"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// headless starts a headless Chromium with a fresh profile, for a closed
// network: no first-run, background networking, component updates, sync
// or QUIC. It fails the test on any error or exception a page reports to
// its console (a script error, a Content-Security-Policy refusal).
func headless(t *testing.T, exe string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("font-render-hinting", "none"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 768),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("starting %s: %v", exe, err)
	}
	var mu sync.Mutex
	var problems []string
	done := make(chan struct{})
	messages := chromedp.Console(ctx)
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == "error" {
				mu.Lock()
				problems = append(problems, fmt.Sprintf("%s:%d: %s", m.URL, m.Line+1, m))
				mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
		}
		mu.Lock()
		defer mu.Unlock()
		for _, p := range problems {
			t.Errorf("the page's console: %s", p)
		}
	})
	return ctx
}

// step runs browser actions with a deadline, failing the test with what
// it was doing.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, actions...); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		t.Fatalf("%s (at %s): %v", what, loc, err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(tctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// screenshot saves the viewport as name.png in the test's artifact
// directory (go test -artifacts keeps it), and in $SILLOK_SCREENSHOTS when
// that is set (the README's screenshots are made so).
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(tctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dirs := []string{t.ArtifactDir()}
	if d := os.Getenv("SILLOK_SCREENSHOTS"); d != "" {
		dirs = append(dirs, d)
	}
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(d, name+".png")
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot %s", p)
	}
}

// signIn signs in through the sign-in page.
func signIn(t *testing.T, ctx context.Context, base, user string) {
	t.Helper()
	step(t, ctx, "signing in as "+user,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="user"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="user"]`), user),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "password-"+user),
		chromedp.Click(chromedp.CSS(`.login button`)),
		chromedp.WaitVisible(chromedp.CSS(`.queue`)),
	)
}

// TestBrowser drives the real server in a real Chromium: a fact-checker
// signs in, opens the queue and the demo's launch-date conflict, accepts a
// claim with the keyboard, and sees the status change on the queue; a live
// update announces a write made meanwhile; an archivist selects a passage
// of a source, previews the claim it starts and records it.
func TestBrowser(t *testing.T) {
	exe := chromiumPath(t)
	a := mustDemoArchive(t)
	srv := web.New(a, web.Options{Addr: "127.0.0.1:0", Poll: 200 * time.Millisecond})
	if err := srv.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	base := srv.URL()
	cf := launchConflict(t, a)
	ctx := headless(t, exe)

	// The fact-checker: the queue, the conflict, a verdict.
	signIn(t, ctx, base, "fact-checker")
	row := fmt.Sprintf(`tr[data-id="%s"]`, cf.ID)
	step(t, ctx, "the queue lists the launch-date conflict", chromedp.WaitVisible(chromedp.CSS(row)))
	if got := eval[string](t, ctx, `document.querySelector('`+row+` .badge').textContent.trim()`); got != "open" {
		t.Fatalf("the launch-date conflict's status on the queue: got %q, want open", got)
	}
	screenshot(t, ctx, "queue")

	// j selects rows, Enter opens the selected one: walk down to it.
	index := eval[int](t, ctx, `[...document.querySelectorAll('tr.row')].findIndex(r => r.dataset.id === '`+string(cf.ID)+`')`)
	for range index + 1 {
		step(t, ctx, "pressing j", chromedp.KeyEvent("j"))
	}
	if got := eval[string](t, ctx, `document.querySelector('tr.row.selected').dataset.id`); got != string(cf.ID) {
		t.Fatalf("after %d presses of j the selected row is %s, want %s", index+1, got, cf.ID)
	}
	step(t, ctx, "opening the conflict with Enter", chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.CSS(`.claims .claim`)))
	if n := eval[int](t, ctx, `document.querySelectorAll('.claims .claim').length`); n != len(cf.Claims) {
		t.Errorf("the conflict page shows %d claims, want %d", n, len(cf.Claims))
	}
	// Side by side at 1366 px: every card's top is on one line.
	if rows := eval[int](t, ctx, `new Set([...document.querySelectorAll('.claims .claim')].map(c => Math.round(c.getBoundingClientRect().top))).size`); rows != 1 {
		t.Errorf("the claims are on %d rows at 1366 px, want side by side on one", rows)
	}
	if got := eval[string](t, ctx, `document.querySelector('#claim-jp-launched blockquote').lang`); got != "ja" {
		t.Errorf("the Japanese quote's lang: got %q, want ja", got)
	}
	screenshot(t, ctx, "conflict")

	// The keyboard: the claim's number selects it, a accepts it.
	key := eval[string](t, ctx, `document.querySelector('#claim-jp-launched').dataset.key`)
	step(t, ctx, "accepting jp-launched with "+key+" then a",
		chromedp.KeyEvent(key),
		chromedp.KeyEvent("a"),
		chromedp.WaitVisible(chromedp.CSS(`.notice`)),
	)
	if got := eval[string](t, ctx, `document.getElementById('status').textContent.trim()`); got != "resolved" {
		t.Errorf("the conflict's status after the verdict: got %q, want resolved", got)
	}
	if got := eval[string](t, ctx, `document.querySelector('.verdict').textContent`); !strings.Contains(got, "fact-checker") {
		t.Errorf("the verdict does not name its reviewer: %q", got)
	}

	// A root cause: one row on the queue for its combinations; opened
	// with j and Enter, its page lists them, and d dismisses every one.
	it, _ := rootItem(t, a)
	rootRow := fmt.Sprintf(`tr[data-id="%s"]`, it.ID)
	step(t, ctx, "the queue lists the root cause", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(rootRow)))
	if got := eval[string](t, ctx, `document.querySelector('`+rootRow+` .combos').textContent`); !strings.Contains(got, fmt.Sprintf("%d combinations", len(it.Conflicts))) {
		t.Errorf("the root cause's row: got %q, want %d combinations", got, len(it.Conflicts))
	}
	index = eval[int](t, ctx, `[...document.querySelectorAll('tr.row')].findIndex(r => r.dataset.id === '`+string(it.ID)+`')`)
	for range index + 1 {
		step(t, ctx, "pressing j", chromedp.KeyEvent("j"))
	}
	step(t, ctx, "opening the root cause with Enter", chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.CSS(`.combinations`)))
	if n := eval[int](t, ctx, `document.querySelectorAll('.combinations tbody tr').length`); n != len(it.Conflicts) {
		t.Errorf("the root's page lists %d combinations, want %d", n, len(it.Conflicts))
	}
	screenshot(t, ctx, "conflict-root")
	step(t, ctx, "dismissing the root cause with d", chromedp.KeyEvent("d"), chromedp.WaitVisible(chromedp.CSS(`.notice`)))
	if got := eval[string](t, ctx, `document.getElementById('status').textContent.trim()`); got != "resolved" {
		t.Errorf("the root cause's status after the verdict: got %q, want resolved", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('.combinations tbody .badge.resolved').length`); n != len(it.Conflicts) {
		t.Errorf("%d combinations resolved after one verdict, want all %d", n, len(it.Conflicts))
	}

	// The queue: the conflict is no longer open, and resolved under "all".
	step(t, ctx, "the open queue", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`.queue`)))
	if n := eval[int](t, ctx, `document.querySelectorAll('`+row+`').length`); n != 0 {
		t.Errorf("the resolved conflict is still on the open queue")
	}
	step(t, ctx, "the whole queue", chromedp.Navigate(base+"/?status=all"), chromedp.WaitVisible(chromedp.CSS(row)))
	if got := eval[string](t, ctx, `document.querySelector('`+row+` .badge').textContent.trim()`); got != "resolved" {
		t.Errorf("the launch-date conflict's status on the queue after the verdict: got %q, want resolved", got)
	}

	// A live update: a claim recorded elsewhere is announced on the open
	// page.
	step(t, ctx, "the open queue again", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`.queue`)))
	time.Sleep(300 * time.Millisecond) // the event stream connects
	if _, err := a.AddClaim("archivist", provenance.ClaimInput{Source: "pacific-wire-2024-04-26", Subject: "Disruptive Technology Protection Network",
		Predicate: "launched", Value: "August 2024", Quote: "the first high-level session"}); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "the live notice", chromedp.WaitVisible(chromedp.ID("live")))
	if got := eval[string](t, ctx, `document.getElementById('live').textContent`); !strings.Contains(got, "new") || !strings.Contains(got, "reload") {
		t.Errorf("the live notice: got %q, want the news and a reload link", got)
	}

	// A phone's width.
	step(t, ctx, "a phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`.queue`)))
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the queue is %d px wide on a 390 px phone: it scrolls sideways", w)
	}
	screenshot(t, ctx, "queue-phone")
	step(t, ctx, "the conflict on a phone", chromedp.Navigate(base+"/conflicts/"+string(cf.ID)), chromedp.WaitVisible(chromedp.CSS(`.claims`)))
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the conflict is %d px wide on a 390 px phone: it scrolls sideways", w)
	}
	screenshot(t, ctx, "conflict-phone")
	step(t, ctx, "back to a laptop", chromedp.EmulateViewport(1366, 768))

	// The archivist: select a passage, preview, record.
	step(t, ctx, "signing out", chromedp.Click(chromedp.CSS(`header .who button`)), chromedp.WaitVisible(chromedp.CSS(`.login`)))
	signIn(t, ctx, base, "archivist")
	const source, passage = "pacific-wire-2024-04-26", "trade officials from the United States, Japan and South Korea"
	step(t, ctx, "the source page", chromedp.Navigate(base+"/sources/"+source), chromedp.WaitVisible(chromedp.ID("source-text")))
	selected := eval[bool](t, ctx, `(function (phrase) {
		const root = document.getElementById('source-text');
		const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
		for (let n; (n = walk.nextNode()); ) {
			const i = n.data.indexOf(phrase);
			if (i < 0) continue;
			const r = document.createRange();
			r.setStart(n, i);
			r.setEnd(n, i + phrase.length);
			const s = window.getSelection();
			s.removeAllRanges();
			s.addRange(r);
			root.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
			return true;
		}
		return false;
	})(`+jsString(passage)+`)`)
	if !selected {
		t.Fatalf("the passage %q is not in the page's text", passage)
	}
	step(t, ctx, "the quote taken from the selection", chromedp.Poll[chromedp.Void](`document.querySelector('textarea[name="quote"]').value === `+jsString(passage)))
	step(t, ctx, "filling in the claim",
		chromedp.SendKeys(chromedp.CSS(`input[name="subject"]`), "Disruptive Technology Protection Network"),
		chromedp.SetValue(chromedp.CSS(`select[name="predicate"]`), "member"),
		chromedp.SendKeys(chromedp.CSS(`input[name="value"]`), "South Korea"),
		chromedp.Click(chromedp.CSS(`button[value="preview"]`)),
		chromedp.WaitVisible(chromedp.ID("preview")),
	)
	if got := eval[string](t, ctx, `document.getElementById('preview').textContent`); !strings.Contains(got, "South Korea") || !strings.Contains(got, passage) {
		t.Errorf("the preview: got %q, want the value and the quote", got)
	}
	before := head(t, a)
	screenshot(t, ctx, "source-preview")
	step(t, ctx, "recording the claim", chromedp.Click(chromedp.ID("record-claim")), chromedp.WaitVisible(chromedp.CSS(`.notice`)))
	rows, err := a.Claims(archive.ClaimFilter{Source: source, At: archive.Head})
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, r := range rows {
		if r.Quote == passage && r.Predicate == "member" && r.Value.Entity == "South Korea" {
			found = true
		}
	}
	if !found {
		t.Fatalf("no claim with the selected passage was recorded: %+v", rows)
	}
	evs, err := a.Log(before+1, archive.Head)
	if err != nil || len(evs) == 0 || evs[len(evs)-1].Author != "archivist" {
		t.Fatalf("the claim's event: got %+v, %v; want one by archivist", evs, err)
	}
	if n := eval[int](t, ctx, `[...document.querySelectorAll('#source-text a.q')].filter(a => a.textContent.includes('South Korea')).length`); n == 0 {
		t.Errorf("the recorded quote is not highlighted in the source's text")
	}

	// The other pages render, in their language, without an error in the
	// console.
	names, err := a.Conflicts(archive.ConflictFilter{Kind: "name", At: archive.Head, Limit: 1})
	if err != nil || len(names.Conflicts) == 0 {
		t.Fatalf("the demo's name conflicts: %v, %v", names, err)
	}
	for _, p := range []struct{ name, path, lang string }{
		{"name-conflict", "/conflicts/" + string(names.Conflicts[0].ID), ""},
		{"entity", "/entities/" + url.PathEscape("Disruptive Technology Protection Network"), ""},
		{"source-ja", "/sources/toto-shimpo-2024-04-26", "ja"},
		{"source-ko", "/sources/seoul-morning-post-2024-04-27", "ko"},
		{"diff", fmt.Sprintf("/diff?from=%d", before-1), ""},
		{"log", "/log", ""},
	} {
		step(t, ctx, "the "+p.name+" page", chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		if p.lang != "" {
			if got := eval[string](t, ctx, `document.getElementById('source-text').lang`); got != p.lang {
				t.Errorf("%s: the text's lang is %q, want %q", p.path, got, p.lang)
			}
		}
		screenshot(t, ctx, p.name)
	}
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}
