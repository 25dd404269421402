package archive

import (
	"fmt"
	"strings"
	"testing"
)

// progressCalls records a progress function's calls.
type progressCalls struct{ done, total []int }

func (p *progressCalls) report(done, total int) {
	p.done = append(p.done, done)
	p.total = append(p.total, total)
}

// check says what is wrong with the calls of a walk over head events:
// every ProgressEvery events, then once at the end, with head the total.
func (p *progressCalls) check(head int) string {
	var want []int
	for n := ProgressEvery; n <= head; n += ProgressEvery {
		want = append(want, n)
	}
	want = append(want, head)
	if fmt.Sprint(p.done) != fmt.Sprint(want) {
		return fmt.Sprintf("done %v, want %v", p.done, want)
	}
	for _, t := range p.total {
		if t != head {
			return fmt.Sprintf("totals %v, want %d each", p.total, head)
		}
	}
	return ""
}

// manyClaims is a claims file of n claims citing the fixture's source
// gamma.
func manyClaims(name string, n int) ClaimsFile {
	var b strings.Builder
	b.WriteString("source: gamma\nclaims:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {id: %s-%d, subject: Thing %s %d, predicate: venue, value: Porto, quote: The summit took place in Porto}\n", name, i, name, i)
	}
	return ClaimsFile{Name: name + ".yaml", Data: []byte(b.String())}
}

// TestProgress: ImportClaimsWith, Verify and Rebuild report their
// progress, every so many units and once at the end, with the total
// known up front; without a progress function they do as before.
func TestProgress(t *testing.T) {
	a := openFixture(t)
	files := []ClaimsFile{manyClaims("one", 1000), manyClaims("two", 8000)}
	type call struct{ file, done, total int }
	var calls []call
	var landed []string
	res, err := a.ImportClaimsWith("archivist", files, ImportOptions{
		Progress: func(file, done, total int) { calls = append(calls, call{file, done, total}) },
		Done: func(r Imported) {
			landed = append(landed, r.File)
			if n := len(calls); n == 0 || calls[n-1].done != r.Claims {
				t.Errorf("file %s landed before its last progress call (calls %v)", r.File, calls)
			}
		},
	})
	if err != nil || len(res) != 2 || fmt.Sprint(landed) != "[one.yaml two.yaml]" {
		t.Fatalf("ImportClaimsWith: %v, %+v, landed %v", err, res, landed)
	}
	var want []call
	for f, n := range []int{1000, 8000} {
		for i := 0; i < n; i += ImportProgressEvery {
			want = append(want, call{f, i, n})
		}
		want = append(want, call{f, n, n})
	}
	if fmt.Sprint(calls) != fmt.Sprint(want) {
		t.Errorf("import progress:\ngot  %v\nwant %v", calls, want)
	}

	h := int(head(t, a))
	if h < 2*ProgressEvery {
		t.Fatalf("head %d: too few events for the test", h)
	}
	for _, replay := range []bool{false, true} {
		var p progressCalls
		rep, err := a.Verify(VerifyOptions{Replay: replay, Progress: p.report})
		if err != nil || !rep.OK {
			t.Fatalf("Verify (replay %v): %v, %+v", replay, err, rep)
		}
		if msg := p.check(h); msg != "" {
			t.Errorf("Verify (replay %v) progress: %s", replay, msg)
		}
	}
	var p progressCalls
	reb, err := a.RebuildWith(RebuildOptions{Progress: p.report})
	if err != nil || int(reb.Revision) != h {
		t.Fatalf("RebuildWith: %v, %+v", err, reb)
	}
	if msg := p.check(h); msg != "" {
		t.Errorf("Rebuild progress: %s", msg)
	}
	// Without a progress function, the same.
	if rep, err := a.Verify(VerifyOptions{}); err != nil || !rep.OK || int(rep.Head) != h {
		t.Errorf("Verify without progress: %v, %+v", err, rep)
	}
	if reb, err := a.Rebuild(); err != nil || int(reb.Revision) != h {
		t.Errorf("Rebuild without progress: %v, %+v", err, reb)
	}
}

// TestProgressImportFails: an import that fails at a claim has reported
// the claims before it, and writes nothing.
func TestProgressImportFails(t *testing.T) {
	a := openFixture(t)
	before := head(t, a)
	bad := manyClaims("bad", 600)
	bad.Data = append(bad.Data, []byte("  - {id: bad-x, subject: X, predicate: nosuch, value: Porto, quote: The summit took place in Porto}\n")...)
	var last [3]int
	_, err := a.ImportClaimsWith("archivist", []ClaimsFile{bad}, ImportOptions{Progress: func(f, d, n int) { last = [3]int{f, d, n} }})
	if err == nil {
		t.Fatal("a claim with an undefined predicate was imported")
	}
	if last != [3]int{0, 512, 601} {
		t.Errorf("last progress call %v, want the last every-%d call before the bad claim, [0 512 601]", last, ImportProgressEvery)
	}
	wantUnchanged(t, a, before)
}
