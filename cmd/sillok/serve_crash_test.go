package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sillok/sillok/archive"
)

// serveCall makes one API call with a bearer token and decodes the JSON
// answer into out.
func serveCall(hc *http.Client, method, u, token, ct string, body []byte, out any) (int, error) {
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode < 300 {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			return resp.StatusCode, err
		}
	}
	return resp.StatusCode, nil
}

// crashClaims is a claims file of the crash test: claims of a subject of
// its own, quoting the demo's Harbor Ledger.
func crashClaims(n int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "source: harbor-ledger-2024-06-07\npredicates:\n  - {name: crash note, kind: text}\nclaims:\n")
	for i := range 30 {
		fmt.Fprintf(&b, "  - id: crash-%d-%d\n    subject: Crash subject %d\n    predicate: crash note\n    value: note %d\n    quote: its supporters like to stress\n", n, i, n, i%2)
	}
	return b.Bytes()
}

// TestServeCrash kills (SIGKILL) a real `sillok serve` while clients
// import claims files and record verdicts through it, three times; each
// restart serves at least the last revision a client was told had landed,
// with every import acknowledged before the kill, and at the end the
// archive passes verify.
func TestServeCrash(t *testing.T) {
	_, _, demo := runDemo(t) // its cleanup runs verify on the archive
	bin := buildSillok(t)
	token := accountToken(t, demo, "crash", archive.RoleFactChecker)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hc := &http.Client{Timeout: 20 * time.Second}

	var mu sync.Mutex
	acked := archive.Revision(0)
	ackedFiles := map[int]archive.Revision{}
	n := 0
	check := func(base string) {
		t.Helper()
		var h struct{ Revision archive.Revision }
		if code, err := serveCall(hc, "GET", base+"/api/head", token, "", nil, &h); err != nil || code != 200 {
			t.Fatalf("head after restart: %d %v", code, err)
		}
		if h.Revision < acked {
			t.Fatalf("after the restart the head is %d, but revision %d was acknowledged", h.Revision, acked)
		}
		for file := range ackedFiles {
			var claims struct{ Created int }
			code, err := serveCall(hc, "POST", base+"/api/claims?name="+url.QueryEscape(fmt.Sprintf("crash-%d.yaml", file)), token, "application/yaml", crashClaims(file), &claims)
			if err != nil || code != 200 || claims.Created != 0 {
				t.Fatalf("crash-%d.yaml was acknowledged, but importing it again: %d %v, %d created (want 200, nothing new)", file, code, err, claims.Created)
			}
		}
	}
	for round := range 3 {
		srv := startServe(t, ctx, bin, demo)
		check(srv.url)
		var page struct {
			Conflicts []struct{ ID string }
		}
		if code, err := serveCall(hc, "GET", srv.url+"/api/conflicts?status=all&kind=value&subject=Disruptive+Technology+Protection+Network", token, "", nil, &page); err != nil || code != 200 || len(page.Conflicts) == 0 {
			t.Fatalf("queue: %d %v", code, err)
		}
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { // imports until the server dies
			defer wg.Done()
			for {
				mu.Lock()
				n++
				file := n
				mu.Unlock()
				var res struct{ Revision archive.Revision }
				code, err := serveCall(hc, "POST", srv.url+"/api/claims?name="+url.QueryEscape(fmt.Sprintf("crash-%d.yaml", file)), token, "application/yaml", crashClaims(file), &res)
				if err != nil {
					return
				}
				if code != 201 {
					t.Errorf("import crash-%d.yaml: %d", file, code)
					return
				}
				mu.Lock()
				acked = max(acked, res.Revision)
				ackedFiles[file] = res.Revision
				mu.Unlock()
			}
		}()
		go func() { // verdicts until the server dies
			defer wg.Done()
			for i := 0; ; i++ {
				body, _ := json.Marshal(map[string]any{"verdict": "dismiss", "note": fmt.Sprintf("round %d, %d", round, i), "override": true})
				var res struct{ Revision archive.Revision }
				code, err := serveCall(hc, "POST", srv.url+"/api/conflicts/"+page.Conflicts[0].ID+"/review", token, "application/json", body, &res)
				if err != nil {
					return
				}
				if code != 200 {
					t.Errorf("review: %d", code)
					return
				}
				mu.Lock()
				acked = max(acked, res.Revision)
				mu.Unlock()
			}
		}()
		time.Sleep(time.Duration(300+rand.IntN(700)) * time.Millisecond)
		srv.kill()
		wg.Wait()
		t.Logf("round %d: killed at about revision %d, %d imports acknowledged so far", round, acked, len(ackedFiles))
	}
	srv := startServe(t, ctx, bin, demo)
	check(srv.url)
	srv.stop(t)
	if len(ackedFiles) == 0 {
		t.Fatal("no import landed before the kills")
	}
	stdout, stderr, code, _ := runBinary(t, t.TempDir(), []string{"SILLOK_ARCHIVE=" + demo}, "verify")
	if code != 0 {
		t.Fatalf("verify after the crashes: %d %s %s", code, stdout, stderr)
	}
}

// TestServeGracefulShutdown: SIGTERM while an import is under way lets it
// finish (its answer arrives, and it is in the archive), then the server
// exits cleanly, removes its serve file and leaves an archive that passes
// verify.
func TestServeGracefulShutdown(t *testing.T) {
	_, _, demo := runDemo(t)
	bin := buildSillok(t)
	token := accountToken(t, demo, "ann", archive.RoleArchivist)
	var big bytes.Buffer
	big.WriteString("source: harbor-ledger-2024-06-07\npredicates:\n  - {name: shutdown note, kind: text}\nclaims:\n")
	// Large enough that the import outlasts the wait below: claim import
	// got faster (3,000 claims took under 100 ms), and the test needs the
	// SIGTERM to arrive while the import is under way.
	const claims = 30000
	for i := range claims {
		fmt.Fprintf(&big, "  - id: shutdown-%d\n    subject: Shutdown subject %d\n    predicate: shutdown note\n    value: note\n    quote: its supporters like to stress\n", i, i%50)
	}
	srv := startServe(t, context.Background(), bin, demo)
	hc := &http.Client{Timeout: 60 * time.Second}
	type answer struct {
		code int
		res  struct{ Revision, Created int }
		err  error
	}
	done := make(chan answer, 1)
	go func() {
		var a answer
		a.code, a.err = serveCall(hc, "POST", srv.url+"/api/claims?name=big.yaml", token, "application/yaml", big.Bytes(), &a.res)
		done <- a
	}()
	// Wait until the request is in, then ask the server to stop.
	time.Sleep(150 * time.Millisecond)
	srv.stop(t)
	a := <-done
	if a.err != nil || a.code != 201 || a.res.Created != claims {
		t.Fatalf("the import under way at SIGTERM: %d %+v %v, want 201 and %d claims\n%s", a.code, a.res, a.err, claims, srv.log())
	}
	log := srv.log()
	stop, imp := strings.Index(log, "shutting down"), strings.Index(log, "path=/api/claims status=201")
	if imp < 0 || stop < 0 || imp < stop {
		t.Errorf("want the shutdown begun before the import finished, and both in the log:\n%s", log)
	}
	stdout, stderr, code, _ := runBinary(t, t.TempDir(), []string{"SILLOK_ARCHIVE=" + demo}, "claim", "list", "--subject", "Shutdown subject 7", "--json")
	if code != 0 || strings.Count(stdout, `"id": "shutdown-`) != claims/50 {
		t.Fatalf("after the shutdown: %d %.2000s %s, want the %d claims of subject 7", code, stdout, stderr, claims/50)
	}
}

// accountToken adds the account name with role to the archive at path
// (a file no server holds, or a database) and returns a new API token of
// it.
func accountToken(t *testing.T, path, name string, role archive.Role) string {
	t.Helper()
	ar, err := archive.Open(path, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ar.Close()
	if _, err := ar.AddUser("setup", name, role, "password-"+name); err != nil {
		t.Fatal(err)
	}
	token, err := ar.NewToken("setup", name)
	if err != nil {
		t.Fatal(err)
	}
	return token
}
