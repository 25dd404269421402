package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/web"
)

// loadClaims is the n-th claims file of the load test's writer: claims
// about a subject of its own, quoting the demo's Harbor Ledger.
func loadClaims(n int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "source: harbor-ledger-2024-06-07\npredicates:\n  - {name: load note, kind: text}\nclaims:\n")
	for i := range 20 {
		fmt.Fprintf(&b, "  - id: load-%d-%d\n    subject: Load subject %c%c%c %d\n    predicate: load note\n    value: note %d\n    quote: its supporters like to stress\n",
			n, i, 'A'+n%26, 'A'+n/26%26, 'A'+i, n, i%3)
	}
	return b.Bytes()
}

// percentile returns the p-th percentile of sorted durations.
func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return d[min(len(d)-1, int(float64(len(d))*p))]
}

// TestLoad runs 50 readers of the queue, a conflict and the view over the
// loopback interface, first alone, then with a writer importing claims
// files and a fact-checker recording verdicts: no request may fail. It
// reports the readers' latencies in both phases (a reader runs in a read
// transaction and does not wait for the writes; the figures are in the
// README).
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("a few seconds of load; skipped in -short mode")
	}
	a := mustDemoArchive(t)
	s := web.New(a, web.Options{})
	ts := httptest.NewServer(s)
	defer ts.Close()
	cf := launchConflict(t, a)
	readTok, _ := a.NewToken("setup", "reader")
	writeTok, _ := a.NewToken("setup", "archivist")
	reviewTok, _ := a.NewToken("setup", "fact-checker")
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	do := func(method, path, token, ct string, body []byte) (int, error) {
		req, err := http.NewRequest(method, ts.URL+path, bytes.NewReader(body))
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
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return 0, err
		}
		return resp.StatusCode, nil
	}
	reads := []string{"/api/conflicts?status=all&limit=20", "/api/conflicts/" + string(cf.ID), "/api/view?subject=Disruptive+Technology+Protection+Network"}

	var failures atomic.Int64
	var firstErr atomic.Value
	fail := func(what string, code int, err error) {
		if failures.Add(1) == 1 {
			firstErr.Store(fmt.Sprintf("%s: %d %v", what, code, err))
		}
	}
	phase := func(d time.Duration, writers bool) (lat []time.Duration, writes int64) {
		var mu sync.Mutex
		var wg sync.WaitGroup
		stop := make(chan struct{})
		var nwrites atomic.Int64
		for r := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var mine []time.Duration
				for i := r; ; i++ {
					select {
					case <-stop:
						mu.Lock()
						lat = append(lat, mine...)
						mu.Unlock()
						return
					default:
					}
					path := reads[i%len(reads)]
					start := time.Now()
					code, err := do("GET", path, readTok, "", nil)
					mine = append(mine, time.Since(start))
					if err != nil || code != 200 {
						fail("GET "+path, code, err)
					}
				}
			}()
		}
		if writers {
			wg.Add(2)
			go func() { // the archivist's imports
				defer wg.Done()
				for n := 0; ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					code, err := do("POST", fmt.Sprintf("/api/claims?name=load-%d.yaml", n), writeTok, "application/yaml", loadClaims(n))
					if err != nil || code != 201 {
						fail("POST /api/claims", code, err)
					}
					nwrites.Add(1)
				}
			}()
			go func() { // the fact-checker's verdicts
				defer wg.Done()
				for n := 0; ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					body, _ := json.Marshal(map[string]any{"verdict": "dismiss", "note": fmt.Sprintf("load %d", n), "override": true})
					code, err := do("POST", "/api/conflicts/"+string(cf.ID)+"/review", reviewTok, "application/json", body)
					if err != nil || code != 200 {
						fail("POST review", code, err)
					}
					nwrites.Add(1)
				}
			}()
		}
		time.Sleep(d)
		close(stop)
		wg.Wait()
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		return lat, nwrites.Load()
	}
	before := head(t, a)
	alone, _ := phase(1500*time.Millisecond, false)
	during, writes := phase(2500*time.Millisecond, true)
	if n := failures.Load(); n > 0 {
		t.Fatalf("%d requests failed; the first: %v", n, firstErr.Load())
	}
	if writes == 0 || head(t, a) <= before {
		t.Fatalf("no write landed during the load (head %d, was %d)", head(t, a), before)
	}
	t.Logf("readers alone:       %6d requests, p50 %v, p99 %v", len(alone), percentile(alone, .5), percentile(alone, .99))
	t.Logf("readers with writes: %6d requests, p50 %v, p99 %v; %d writes landed (head %d → %d)",
		len(during), percentile(during, .5), percentile(during, .99), writes, before, head(t, a))
	if rep, err := a.Verify(archive.VerifyOptions{}); err != nil || !rep.OK {
		t.Fatalf("verify after the load: %v %+v", err, rep)
	}
}
