package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

// relInUse is what a command says when another process holds the lock.
const relInUse = "archive is in use by another process"

// relWaitForWriteLock waits until process pid holds an exclusive flock on
// path (read from /proc/locks), and reports whether it saw it. Without
// /proc/locks it waits half a second and reports false.
func relWaitForWriteLock(t *testing.T, path string, pid int, timeout time.Duration) bool {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		time.Sleep(500 * time.Millisecond)
		return false
	}
	want := ":" + strconv.FormatUint(st.Ino, 10)
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		b, err := os.ReadFile("/proc/locks")
		if err != nil {
			time.Sleep(500 * time.Millisecond)
			return false
		}
		// 1: FLOCK  ADVISORY  WRITE 4242 08:01:1234567 0 EOF
		for _, line := range strings.Split(string(b), "\n") {
			f := strings.Fields(line)
			if len(f) >= 6 && f[1] == "FLOCK" && f[3] == "WRITE" && f[4] == strconv.Itoa(pid) && strings.HasSuffix(f[5], want) {
				return true
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	return false
}

// relOutcome is one reader's run during the concurrency test.
type relOutcome struct {
	binResult
	start, end time.Time
	rev        events.Revision // the revision it answered for (consistent results)
	inUse      bool            // it failed, clearly, because the writer held the lock
	err        error           // it hung (the context expired) or could not run
}

// relReadRevision runs a read command and classifies the result: a
// consistent answer (JSON with a revision, or verify ok) or the in-use
// error; anything else is returned as an error.
func relReadRevision(ctx context.Context, bin string, args ...string) relOutcome {
	o := relOutcome{start: time.Now()}
	o.binResult, o.err = execBinary(ctx, bin, binOpts{env: relEnv}, args...)
	o.end = time.Now()
	if o.err != nil {
		return o
	}
	switch {
	case o.code == 1 && strings.Contains(o.stderr, relInUse) && o.stdout == "":
		o.inUse = true
	case o.code == 0:
		var doc struct {
			Revision *events.Revision `json:"revision"`
			Head     *events.Revision `json:"head"` // verify
			OK       *bool            `json:"ok"`
		}
		if err := json.Unmarshal([]byte(o.stdout), &doc); err != nil {
			o.err = fmt.Errorf("printed something that is not JSON: %v", err)
			break
		}
		switch {
		case doc.Revision != nil:
			o.rev = *doc.Revision
		case doc.Head != nil && doc.OK != nil && *doc.OK:
			o.rev = *doc.Head
		default:
			o.err = fmt.Errorf("no revision, or not ok")
		}
	default:
		o.err = fmt.Errorf("neither a result nor the in-use error")
	}
	return o
}

// TestConcurrentProcesses runs, at once, a long import (writer A), a second
// writer (B) and readers (view, conflicts and verify, each with --json, in
// loops) on one archive.
//
// What happens: bbolt takes an exclusive flock for as long as a writer has
// the file open, and readers take a shared one. So while A imports, every
// reader and B wait for the lock up to the 2 s timeout and then fail with
// "archive X: archive is in use by another process"; a reader that starts
// when A is about to finish gets the lock after it and answers for the
// revision after the import. No reader ever sees a revision between the
// two, or garbage, and nothing hangs: every command runs under a deadline.
//
// A imports three files in one command (one transaction each, one lock for
// all); if it finishes too early for B to time out, it is run again with
// twice the claims.
func TestConcurrentProcesses(t *testing.T) {
	bin := buildSillok(t)
	dir := t.TempDir()
	g := relDefaultCorpus
	base, before := relBaseline(t, bin, dir, g)

	perFile := 20000
	for attempt := 1; ; attempt++ {
		path := filepath.Join(dir, fmt.Sprintf("attempt%d.db", attempt))
		relCopy(t, base, path)
		var aArgs []string
		for k := 0; k < 3; k++ {
			name := filepath.Join(dir, fmt.Sprintf("a%d-%d.json", attempt, k))
			relWriteClaims(t, name, false, g.claims(fmt.Sprintf("a%d", k), relBaselineClaims+k*perFile, perFile))
			aArgs = append(aArgs, name)
		}
		after := before + events.Revision(3*perFile)
		bFile := filepath.Join(dir, "b.json")
		relWriteClaims(t, bFile, false, g.claims("b", 0, 1000))

		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		pid := make(chan int, 1)
		var a binResult
		var aErr error
		var aEnd time.Time
		aDone := make(chan struct{})
		go func() {
			defer close(aDone)
			a, aErr = execBinary(ctx, bin, binOpts{env: relEnv, started: func(p int) { pid <- p }}, append(append([]string{"claim", "import"}, aArgs...), "--archive", path)...)
			aEnd = time.Now()
		}()
		locked := relWaitForWriteLock(t, path, <-pid, 30*time.Second)
		lockedAt := time.Now()

		// Writer B and the readers start once A holds the lock.
		var wg sync.WaitGroup
		var b relOutcome
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.start = time.Now()
			b.binResult, b.err = execBinary(ctx, bin, binOpts{env: relEnv}, "claim", "import", bFile, "--archive", path)
			b.end = time.Now()
		}()
		readers := [][]string{
			{"view", "--json", "--archive", path},
			{"conflicts", "--json", "--archive", path},
			{"verify", "--json", "--archive", path},
		}
		outcomes := make([][]relOutcome, len(readers))
		for i, args := range readers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					rctx, rcancel := context.WithTimeout(ctx, 30*time.Second)
					o := relReadRevision(rctx, bin, args...)
					rcancel()
					outcomes[i] = append(outcomes[i], o)
					select {
					case <-aDone:
						if o.start.After(aEnd) {
							return // one run after A ended
						}
					default:
					}
				}
			}()
		}
		<-aDone
		wg.Wait()
		cancel()

		if aErr != nil || a.code != 0 {
			t.Fatalf("writer A: %v (%v)", a, aErr)
		}
		aHeld := aEnd.Sub(lockedAt)
		t.Logf("attempt %d: writer A imported %d claims and held the lock %s after the others started (lock seen in /proc/locks: %v)",
			attempt, 3*perFile, aHeld.Round(time.Millisecond), locked)
		if b.err != nil {
			t.Fatalf("writer B: %v", b.err)
		}
		bWon := b.code == 0
		switch {
		case bWon && b.end.After(aEnd):
			// B got the lock after A released it.
		case b.code == 1 && strings.Contains(b.stderr, "archive "+path+": "+relInUse) && b.stdout == "":
			if w := b.elapsed; w < 1900*time.Millisecond || w > 10*time.Second {
				t.Errorf("writer B gave up after %s, want after the 2s lock timeout", w)
			}
		default:
			t.Fatalf("writer B: got %v, want the in-use error or, after A, success", b.binResult)
		}

		wantFinal := after
		if bWon {
			wantFinal += 1000
		}
		for i, runs := range outcomes {
			var consistent, inUse []string
			for _, o := range runs {
				switch {
				case o.err != nil:
					t.Errorf("reader %v: %v\n%v", readers[i][:2], o.err, o.binResult)
				case o.inUse:
					inUse = append(inUse, o.elapsed.Round(100*time.Millisecond).String())
					if o.elapsed < 1900*time.Millisecond || o.elapsed > 10*time.Second {
						t.Errorf("reader %v gave up after %s, want after the 2s lock timeout", readers[i][:2], o.elapsed)
					}
				case o.rev == before || o.rev == after || o.rev == wantFinal:
					consistent = append(consistent, strconv.FormatUint(uint64(o.rev), 10))
				default:
					t.Errorf("reader %v saw revision %d, want %d (before the import) or %d (after)", readers[i][:2], o.rev, before, after)
				}
			}
			if last := runs[len(runs)-1]; last.err == nil && !last.inUse && last.rev < after {
				t.Errorf("reader %v after the import: got revision %d, want %d or later", readers[i][:2], last.rev, after)
			}
			t.Logf("reader %s: %d consistent results at revisions %v; %d in-use errors after %v",
				strings.Join(readers[i][:2], " "), len(consistent), consistent, len(inUse), inUse)
		}
		if got := relHead(t, path); got != wantFinal {
			t.Fatalf("head after both writers: got %d, want %d", got, wantFinal)
		}
		relCheckArchive(t, bin, path, wantFinal)
		if !bWon {
			break // B timed out while A held the lock: the case this test is for
		}
		if attempt == 3 {
			t.Fatalf("writer A never held the lock long enough for writer B to time out")
		}
		perFile *= 2
	}
}

// TestConcurrentReadsInProcess opens one archive read-only and reads it
// from several goroutines at once (run it with -race): each takes its own
// read transaction and computes projections.Store.Head,
// projections.Analyze and provenance.Verify of every claim; some also
// analyze one shared State, which Analyze must not modify. All must agree.
func TestConcurrentReadsInProcess(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "reads.db")
	g := relCorpus{ledgers: 4, perLedger: 100, entries: 400, planted: 8}
	if _, stderr, code := runInProcess(t, path, "init"); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	for _, args := range g.writeSources(t, dir) {
		if _, stderr, code := runInProcess(t, path, args...); code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
	}
	n := 1200 // past projections.DefaultInterval: a checkpoint is stored
	if testing.Short() {
		n = 300
	}
	claims := filepath.Join(dir, "claims.json")
	relWriteClaims(t, claims, true, append(g.claims("r", 0, n), g.plantedClaims("r")...))
	if _, stderr, code := runInProcess(t, path, "claim", "import", claims); code != 0 {
		t.Fatalf("import: %s", stderr)
	}

	log, err := events.Open(path, events.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	store := &projections.Store{Text: sources.StoredText}
	var shared *projections.State
	if err := log.View(func(tx *events.Tx) error {
		var err error
		shared, _, err = store.Head(tx)
		return err
	}); err != nil {
		t.Fatal(err)
	}

	// summary is what every goroutine must agree on.
	summary := func(st *projections.State, an *projections.Analysis) string {
		var ids []string
		for _, cf := range an.Conflicts {
			ids = append(ids, string(cf.ID)+"/"+string(cf.Status))
		}
		slices.Sort(ids)
		return fmt.Sprintf("revision %d, %d claims, %d entities, conflicts %v", st.Rev, len(st.Claims), len(an.Entities), ids)
	}
	const workers = 6
	results := make([]string, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = log.View(func(tx *events.Tx) error {
				st := shared
				if w%2 == 0 {
					var err error
					if st, _, err = store.Head(tx); err != nil {
						return err
					}
				}
				an := projections.Analyze(st)
				texts := map[events.SourceID]string{}
				for _, cl := range st.SortedClaims() {
					text, ok := texts[cl.Source]
					if !ok {
						src, _, err := sources.Lookup(tx, cl.Source)
						if err != nil {
							return err
						}
						if text, err = sources.StoredText(tx, src); err != nil {
							return err
						}
						texts[cl.Source] = text
					}
					anchor, err := tx.ClaimAnchor(cl.ID)
					if err != nil {
						return err
					}
					if err := provenance.Verify(anchor, anchor.Digest, text); err != nil {
						return fmt.Errorf("claim %s: %w", cl.ID, err)
					}
				}
				results[w] = summary(st, an)
				return nil
			})
		}()
	}
	wg.Wait()
	for w := range workers {
		if errs[w] != nil {
			t.Errorf("goroutine %d: %v", w, errs[w])
		}
		if results[w] != results[0] {
			t.Errorf("goroutine %d: got %s, want %s (goroutine 0)", w, results[w], results[0])
		}
	}
	if !strings.Contains(results[0], fmt.Sprintf("%d claims", n+g.planted)) || !strings.Contains(results[0], "open") {
		t.Errorf("got %s, want %d claims and the planted open conflicts", results[0], n+g.planted)
	}
}
