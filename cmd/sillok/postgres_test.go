package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/kv/pgkv"
	"github.com/sillok/sillok/events/kv/pgkv/pgtest"
)

// The tests of the PostgreSQL engine through the real binary. Each works
// on fresh databases of the server SILLOK_TEST_POSTGRES names, and skips
// (saying how to run it) without one.

// pgBaseline builds relBaseline's archive in a fresh database and returns
// its URL and head.
func pgBaseline(t *testing.T, bin string) (string, events.Revision) {
	t.Helper()
	url := pgtest.URL(t)
	head := relBaselineAt(t, bin, t.TempDir(), url, relDefaultCorpus)
	return url, head
}

// TestPostgresCommandLine walks an archive on PostgreSQL through the
// commands a desk uses: init (twice), sources and claims, the conflict
// queue, a review, view, diff, verify --replay, and a move to a file and
// back through a bag with the same head hash.
func TestPostgresCommandLine(t *testing.T) {
	bin := buildSillok(t)
	url := pgtest.URL(t)
	r := relMustRun(t, bin, "init", "--archive", url)
	if !strings.Contains(r.stdout, "created archive postgres://") {
		t.Errorf("init: %s", r.stdout)
	}
	r = relMustRun(t, bin, "init", "--json", "--archive", url)
	if !strings.Contains(r.stdout, `"created": false`) {
		t.Errorf("init of an existing archive: %s", r.stdout)
	}

	// A password given as a parameter is never printed (the test
	// server trusts loopback, so it is not checked).
	secret := url + "&password=S3CRETPW"
	for _, args := range [][]string{{"init"}, {"init", "--json"}, {"verify"}, {"verify", "--json"}, {"head"}, {"view", "nobody"}} {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		r, err := execBinary(ctx, bin, binOpts{env: relEnv}, append(args, "--archive", secret)...)
		cancel()
		if err != nil || strings.Contains(r.stdout+r.stderr, "S3CRETPW") || args[0] == "init" && !strings.Contains(r.stdout, "password=xxxxx") {
			t.Errorf("sillok %v with a password in the URL: %v\n%v", args, err, r)
		}
	}

	url, head := pgBaseline(t, bin)
	r = relMustRun(t, bin, "conflicts", "--json", "--status", "open", "--kind", "value", "--archive", url)
	var doc struct {
		Conflicts []relConflict `json:"conflicts"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Conflicts) != relDefaultCorpus.planted {
		t.Fatalf("conflicts: %v, %d conflicts, want the %d planted\n%s", err, len(doc.Conflicts), relDefaultCorpus.planted, r.stdout)
	}
	cf := doc.Conflicts[0]
	relMustRun(t, bin, "review", cf.ID, "--accept", cf.Claims[0].ID, "--note", "the ledger is right", "--archive", url)
	r = relMustRun(t, bin, "conflicts", "show", cf.ID, "--json", "--archive", url)
	if !strings.Contains(r.stdout, `"resolved"`) {
		t.Errorf("conflicts show after the review: %s", r.stdout)
	}
	relMustRun(t, bin, "view", relBureau(0), "--json", "--archive", url)
	r = relMustRun(t, bin, "diff", fmt.Sprint(head), fmt.Sprint(head+1), "--json", "--archive", url)
	if !strings.Contains(r.stdout, cf.ID) {
		t.Errorf("diff over the review does not name %s:\n%.2000s", cf.ID, r.stdout)
	}
	relCheckArchive(t, bin, url, head+1)

	// To a file and back, through bags.
	_, hash := relHeadHash(t, url)
	bag := filepath.Join(t.TempDir(), "bag")
	relMustRun(t, bin, "export", "bag", bag, "--archive", url)
	file := filepath.Join(t.TempDir(), "moved.db")
	relMustRun(t, bin, "import", "bag", bag, "--archive", file)
	if rev, h := relHeadHash(t, file); rev != head+1 || h != hash {
		t.Fatalf("the file imported from the bag is at %d %s, want %d %s", rev, h, head+1, hash)
	}
	bag2 := filepath.Join(t.TempDir(), "bag2")
	relMustRun(t, bin, "export", "bag", bag2, "--archive", file)
	back := pgtest.URL(t)
	r = relMustRun(t, bin, "import", "bag", bag2, "--archive", back)
	if strings.Contains(r.stdout, "@") && strings.Contains(r.stdout, "password") {
		t.Errorf("import bag printed a password: %s", r.stdout)
	}
	if rev, h := relHeadHash(t, back); rev != head+1 || h != hash {
		t.Fatalf("the database imported from the bag is at %d %s, want %d %s", rev, h, head+1, hash)
	}
	relCheckArchive(t, bin, back, head+1)
	// A database that holds an archive is not imported into.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r, err := execBinary(ctx, bin, binOpts{env: relEnv}, "import", "bag", bag2, "--archive", back)
	if err != nil || r.code == 0 || !strings.Contains(r.stderr, "already holds an archive") {
		t.Errorf("import bag into a database that holds an archive: %v %v", err, r)
	}
}

// TestPostgresConcurrentWriters runs two processes that import claims
// files at once into one database for a few seconds: their transactions
// take turns, so the chain neither forks nor skips; every claim of both is
// there, and verify --replay passes.
func TestPostgresConcurrentWriters(t *testing.T) {
	bin := buildSillok(t)
	url, head := pgBaseline(t, bin)
	dir := t.TempDir()
	g := relDefaultCorpus
	var mu sync.Mutex
	imported := map[string]int{} // claims per writer
	var wg sync.WaitGroup
	stop := time.Now().Add(4 * time.Second)
	errs := make(chan error, 2)
	for w := range 2 {
		wg.Go(func() {
			for k := 0; time.Now().Before(stop); k++ {
				name := filepath.Join(dir, fmt.Sprintf("w%d-%d.json", w, k))
				first := relBaselineClaims + (w*1000+k)*40
				relWriteClaims(t, name, false, g.claims(fmt.Sprintf("w%d", w), first, 40))
				ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
				r, err := execBinary(ctx, bin, binOpts{env: relEnv}, "claim", "import", name, "--archive", url)
				cancel()
				if err != nil || r.code != 0 {
					errs <- fmt.Errorf("writer %d: %v %v", w, err, r)
					return
				}
				mu.Lock()
				imported[fmt.Sprint(w)] += 40
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if imported["0"] == 0 || imported["1"] == 0 {
		t.Fatalf("a writer imported nothing: %v", imported)
	}
	want := head + events.Revision(imported["0"]+imported["1"])
	relCheckArchive(t, bin, url, want)
	r := relMustRun(t, bin, "log", "--json", "--from", fmt.Sprint(head+1), "--archive", url)
	var lg struct {
		Events []struct {
			Revision events.Revision `json:"revision"`
			Author   string          `json:"author"`
		} `json:"events"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &lg); err != nil {
		t.Fatal(err)
	}
	for i, e := range lg.Events {
		if e.Revision != head+1+events.Revision(i) {
			t.Fatalf("event %d of the log after the baseline is revision %d", i, e.Revision)
		}
	}
	if len(lg.Events) != int(want-head) {
		t.Errorf("%d events after the baseline, want %d", len(lg.Events), want-head)
	}
	t.Logf("the two writers imported %v claims", imported)
}

// TestPostgresCrash kills `claim import` with SIGKILL at random moments:
// after every kill the database holds the revision before the import or
// the one after it, never between, and verify --replay passes.
func TestPostgresCrash(t *testing.T) {
	bin := buildSillok(t)
	seed := relSeed(t, "SILLOK_CRASH_SEED")
	rng := rand.New(rand.NewPCG(seed, 0x9a))
	url, head := pgBaseline(t, bin)
	dir := t.TempDir()
	g := relDefaultCorpus
	name := filepath.Join(dir, "import.json")
	const n = 4000
	relWriteClaims(t, name, false, g.claims("crash", relBaselineClaims, n))
	// How long an import runs, measured on a database of its own.
	other, _ := pgBaseline(t, bin)
	took := relMustRun(t, bin, "claim", "import", name, "--archive", other).elapsed
	killed := 0
	for i := 0; i < 8 && killed < 5; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
		after := time.Duration(rng.Float64() * float64(took))
		r, err := execBinary(ctx, bin, binOpts{env: relEnv, after: max(after, time.Millisecond)}, "claim", "import", name, "--archive", url)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		// The server finishes with the killed client's connection on its
		// own time: a COMMIT it had received still commits. The check
		// waits until no other session is on the database.
		pgQuiet(t, url)
		now := relHead(t, url)
		switch {
		case r.killed && now == head:
			killed++
		case now == head+n:
			head = now
			relWriteClaims(t, name, false, g.claims(fmt.Sprintf("crash%d", i), relBaselineClaims+(i+1)*n, n))
		default:
			t.Fatalf("after %v (killed %v) the head is %d, want %d or %d", after, r.killed, now, head, head+n)
		}
		relCheckArchive(t, bin, url, now)
	}
	if killed == 0 {
		t.Errorf("no import was killed in the middle")
	}
}

// TestPostgresTwoServers runs two `sillok serve` processes on one
// database: each streams the events the other writes, and when both
// review the same conflict at once, one verdict lands and the other is
// 409.
func TestPostgresTwoServers(t *testing.T) {
	bin := buildSillok(t)
	url, _ := pgBaseline(t, bin)
	token := accountToken(t, url, "fc", archive.RoleAdmin)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a := startServe(t, ctx, bin, url)
	defer a.stop(t)
	b := startServe(t, ctx, bin, url)
	defer b.stop(t)

	do := func(method, u string, body any) (int, []byte) {
		t.Helper()
		var rd *bytes.Reader
		if body != nil {
			j, _ := json.Marshal(body)
			rd = bytes.NewReader(j)
		} else {
			rd = bytes.NewReader(nil)
		}
		req, _ := http.NewRequest(method, u, rd)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var buf bytes.Buffer
		buf.ReadFrom(resp.Body)
		return resp.StatusCode, buf.Bytes()
	}

	// B's event stream, opened before A writes.
	req, _ := http.NewRequestWithContext(ctx, "GET", b.url+"/api/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /api/events on B: %v %v", err, resp)
	}
	defer resp.Body.Close()
	revs := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if id, ok := strings.CutPrefix(sc.Text(), "id: "); ok {
				revs <- id
			}
		}
	}()

	code, body := do("GET", b.url+"/api/conflicts?status=open&kind=value&limit=1", nil)
	var page struct {
		Revision  events.Revision `json:"revision"`
		Conflicts []relConflict   `json:"conflicts"`
	}
	if err := json.Unmarshal(body, &page); err != nil || code != 200 || len(page.Conflicts) != 1 {
		t.Fatalf("GET /api/conflicts on B: %d %s", code, body)
	}
	cf := page.Conflicts[0]
	review := map[string]any{"verdict": "accept", "claim": cf.Claims[0].ID, "note": "checked", "seen": page.Revision}
	codes := make([]int, 2)
	var wg sync.WaitGroup
	for i, srv := range []*servedProcess{a, b} {
		wg.Go(func() { codes[i], _ = do("POST", srv.url+"/api/conflicts/"+cf.ID+"/review", review) })
	}
	wg.Wait()
	if !(codes[0] == 200 && codes[1] == 409 || codes[0] == 409 && codes[1] == 200) {
		t.Fatalf("the two reviews of one conflict: %v, want one 200 and one 409", codes)
	}
	select {
	case id := <-revs:
		if id != fmt.Sprint(page.Revision+1) {
			t.Errorf("B's stream announced revision %s first, want %d", id, page.Revision+1)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("B's event stream announced nothing within 10s of the verdict")
	}
}

// pgQuiet waits until no session but its own is connected to the
// database at url (a killed client's backend has finished: committed
// or rolled back), for 30 s at most.
func pgQuiet(t *testing.T, url string) {
	t.Helper()
	db, err := pgkv.Open(url, pgkv.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var n int
		err := db.Pool().QueryRow(context.Background(),
			`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d other sessions still on the database after 30 s", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestPostgresInterrupt holds the archive's write lock from another
// session and interrupts (SIGINT) a write waiting for it: the command
// ends at once with a clear message, and nothing is written.
func TestPostgresInterrupt(t *testing.T) {
	bin := buildSillok(t)
	url := pgtest.URL(t)
	relMustRun(t, bin, "init", "--archive", url)
	db, err := pgkv.Open(url, pgkv.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Pool().Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", int64(pgkv.WriteLockKey)); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "story.txt")
	if err := os.WriteFile(src, []byte("A story long enough to be a source of claims.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "source", "add", src, "--id", "story", "--archive", url)
	cmd.Env = append(cleanEnv(), relEnv...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second) // it waits for the lock
	start := time.Now()
	cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(stderr.String(), "interrupted") {
			t.Errorf("after Ctrl-C: %v, %q; want a failure saying it was interrupted", err, stderr.String())
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("it took %v to stop", d)
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("sillok source add still waits 20 s after Ctrl-C: %s", stderr.String())
	}
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_unlock($1)", int64(pgkv.WriteLockKey)); err != nil {
		t.Fatal(err)
	}
	if head := relHead(t, url); head != 0 {
		t.Errorf("the interrupted write left the head at %d", head)
	}
}
