package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sillok/sillok/events"
)

// This file holds the crash-consistency test, and the generated corpus and
// helpers that the reliability tests share (crash_test.go,
// concurrency_test.go, integrity_test.go, badinput_test.go). Their names
// start with "rel" so that they cannot collide with the helpers of the
// package's other test files.

// relCorpus generates sources and claims files whose quotes are exact
// substrings of the sources: many small ledgers, each describing its
// bureaus in one sentence apiece (four facts per bureau), and one big
// chronicle with an entry per line, some of which give a
// rival founding date for a bureau: a planted value conflict.
//
// The ledgers are kept small because `sillok verify` costs, per claim, a
// pass over the claim's whole source text (provenance.Verify counts its
// code points), and the checks after each kill must stay fast; the
// chronicle keeps one big text in play.
type relCorpus struct {
	ledgers   int // small sources ledger-0, ledger-1, ...
	perLedger int // bureaus per ledger
	entries   int // entries of the chronicle
	planted   int // bureaus 0..planted-1 get a rival founding date in the chronicle
}

// relDefaultCorpus is the corpus of the crash and concurrency tests:
// 2,500 bureaus, so 10,000 distinct facts (a claims file of more claims
// repeats facts under other claim ids), in 20 ledgers of about 16 KB, and a
// chronicle of about 290 KB.
var relDefaultCorpus = relCorpus{ledgers: 20, perLedger: 125, entries: 4000, planted: 40}

func (g relCorpus) bureaus() int { return g.ledgers * g.perLedger }

// relChronicleID is the id of the big source.
const relChronicleID = "chronicle"

func relLedgerID(s int) string       { return "ledger-" + strconv.Itoa(s) }
func relBureau(i int) string         { return "Bureau " + strconv.Itoa(i) }
func relBureauClerks(i int) string   { return strconv.Itoa(10+i%500) + " clerks" }
func relBureauMinister(i int) string { return "Minister " + strconv.Itoa(i%97) }
func relBureauDate(i int) string {
	return fmt.Sprintf("%04d-%02d-%02d", 1950+i%70, 1+i%12, 1+i%28)
}

// relRivalYear is the chronicle's founding year of a planted bureau: never
// within a bureau's ledger date (1950 or later), so always a conflict.
func relRivalYear(i int) string { return strconv.Itoa(1900 + i%40) }

func (g relCorpus) isRivalEntry(e int) bool {
	step := g.entries / g.planted
	return e%step == 0 && e/step < g.planted
}

// ledgerText is the text of ledger s.
func (g relCorpus) ledgerText(s int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The Ledger of Bureaus, volume %d\n\n", s)
	for i := s * g.perLedger; i < (s+1)*g.perLedger; i++ {
		fmt.Fprintf(&b, "Bureau %d was founded on %s; Bureau %d employs %s, answers to %s, and keeps the motto keep record %d.\n",
			i, relBureauDate(i), i, relBureauClerks(i), relBureauMinister(i), i)
	}
	return b.String()
}

// chronicleText is the text of the big source.
func (g relCorpus) chronicleText() string {
	var b strings.Builder
	b.Grow(g.entries * 72)
	b.WriteString("The Chronicle of the Bureaus\n\n")
	for e := 0; e < g.entries; e++ {
		if g.isRivalEntry(e) {
			i := e / (g.entries / g.planted)
			fmt.Fprintf(&b, "Chronicle entry %d: a rival chronicle dates Bureau %d to %s.\n", e, i, relRivalYear(i))
			continue
		}
		fmt.Fprintf(&b, "Chronicle entry %d: nothing of note happened to Bureau %d that season.\n", e, e%g.bureaus())
	}
	return b.String()
}

// relClaim is one claim of a generated claims file.
type relClaim struct {
	ID        string `json:"id"`
	Source    string `json:"source"`
	Subject   string `json:"subject"`
	Predicate string `json:"predicate"`
	Value     string `json:"value"`
	Quote     string `json:"quote"`
}

// claims returns n claims for the slots first, first+1, ..., with ids
// prefix-SLOT. Slot j is, for j%100 == 99, a chronicle entry ("noted");
// otherwise fact j%4 (founded, clerks, minister, motto) of bureau j/4.
func (g relCorpus) claims(prefix string, first, n int) []relClaim {
	out := make([]relClaim, 0, n)
	for j := first; j < first+n; j++ {
		var c relClaim
		if j%100 == 99 {
			e := j / 100 % g.entries
			if g.isRivalEntry(e) {
				e++
			}
			c = relClaim{Source: relChronicleID, Subject: relBureau(e % g.bureaus()), Predicate: "noted", Value: "nothing of note",
				Quote: fmt.Sprintf("Chronicle entry %d: nothing of note happened to Bureau %d", e, e%g.bureaus())}
		} else {
			i := j / 4 % g.bureaus()
			switch j % 4 {
			case 0:
				c = relClaim{Predicate: "founded", Value: relBureauDate(i), Quote: fmt.Sprintf("Bureau %d was founded on %s", i, relBureauDate(i))}
			case 1:
				c = relClaim{Predicate: "clerks", Value: relBureauClerks(i), Quote: fmt.Sprintf("Bureau %d employs %s", i, relBureauClerks(i))}
			case 2:
				c = relClaim{Predicate: "minister", Value: relBureauMinister(i), Quote: fmt.Sprintf("answers to %s, and keeps the motto keep record %d.", relBureauMinister(i), i)}
			case 3:
				c = relClaim{Predicate: "motto", Value: fmt.Sprintf("keep record %d", i), Quote: fmt.Sprintf("the motto keep record %d.", i)}
			}
			c.Source, c.Subject = relLedgerID(i/g.perLedger), relBureau(i)
		}
		c.ID = prefix + "-" + strconv.Itoa(j)
		out = append(out, c)
	}
	return out
}

// plantedClaims returns the chronicle's rival founding dates of bureaus
// 0..planted-1, ids prefix-rival-I. Together with the ledger's founding
// claim of the same bureau (slot 4*I) each makes a value conflict.
func (g relCorpus) plantedClaims(prefix string) []relClaim {
	out := make([]relClaim, 0, g.planted)
	for i := 0; i < g.planted; i++ {
		out = append(out, relClaim{
			ID: fmt.Sprintf("%s-rival-%d", prefix, i), Source: relChronicleID, Subject: relBureau(i), Predicate: "founded",
			Value: relRivalYear(i), Quote: fmt.Sprintf("a rival chronicle dates Bureau %d to %s.", i, relRivalYear(i)),
		})
	}
	return out
}

// relVocabulary is the predicates of the generated claims: one of each
// value kind, plus "noted".
var relVocabulary = []map[string]any{
	{"name": "founded", "kind": "date"},
	{"name": "clerks", "kind": "quantity"},
	{"name": "minister", "kind": "entity"},
	{"name": "motto", "kind": "text"},
	{"name": "noted", "kind": "text"},
}

// relWriteClaims writes a JSON claims file with the claims, and the
// vocabulary when vocab is set.
func relWriteClaims(t testing.TB, path string, vocab bool, claims []relClaim) {
	t.Helper()
	doc := map[string]any{"claims": claims}
	if vocab {
		doc["predicates"] = relVocabulary
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// relWriteSources writes the corpus's source files into dir and returns
// the `source add` argument lists that archive them.
func (g relCorpus) writeSources(t testing.TB, dir string) [][]string {
	t.Helper()
	var adds [][]string
	write := func(id, text string) {
		name := filepath.Join(dir, id+".txt")
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		adds = append(adds, []string{"source", "add", name, "--id", id, "--lang", "en", "--published", "2024-04-26", "--title", "Generated " + id})
	}
	write(relChronicleID, g.chronicleText())
	for s := 0; s < g.ledgers; s++ {
		write(relLedgerID(s), g.ledgerText(s))
	}
	return adds
}

// relEnv is the environment the reliability tests add for the binary
// (execBinary): who records.
var relEnv = []string{"SILLOK_AUTHOR=reliability"}

// relWritten returns the bytes process pid has written so far (wchar in
// /proc/PID/io), or -1.
func relWritten(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "wchar: "); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return -1
			}
			return n
		}
	}
	return -1
}

// relMustRun runs the binary to completion and fails the test unless it
// exits 0.
func relMustRun(t testing.TB, bin string, args ...string) binResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r, err := execBinary(ctx, bin, binOpts{env: relEnv}, args...)
	if err != nil {
		t.Fatal(err)
	}
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	return r
}

// relHead opens the archive read-only in this process and returns its head.
func relHead(t testing.TB, path string) events.Revision {
	t.Helper()
	log, err := events.Open(path, events.Options{ReadOnly: true, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatalf("the archive does not open: %v", err)
	}
	defer log.Close()
	head, _, err := log.Head()
	if err != nil {
		t.Fatalf("head of %s: %v", path, err)
	}
	return head
}

// relCopy copies the file src to dst.
func relCopy(t testing.TB, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// relConflict is a conflict as `sillok conflicts --json` prints it.
type relConflict struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Status string `json:"status"`
	Claims []struct {
		ID string `json:"id"`
	} `json:"claims"`
}

// relVerifyReport is `sillok verify --json`.
type relVerifyReport struct {
	OK       bool             `json:"ok"`
	Events   int              `json:"events"`
	Head     events.Revision  `json:"head"`
	Problems []events.Problem `json:"problems"`
}

// relCheckArchive checks an archive after a command ran on it (or was
// killed): verify --replay --json says ok at head want (it compares the
// stored read model with a replay of the log key for key, and every
// checkpoint with the replay), and rebuild --json repairs nothing, so the
// stored projection equals a full replay.
func relCheckArchive(t testing.TB, bin, path string, want events.Revision) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r, err := execBinary(ctx, bin, binOpts{env: relEnv}, "verify", "--replay", "--json", "--archive", path)
	if err != nil {
		t.Fatal(err)
	}
	var rep relVerifyReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || r.code != 0 || !rep.OK || rep.Head != want {
		t.Fatalf("verify after the command: got ok %v at head %d (%v), want ok at head %d\n%v", rep.OK, rep.Head, err, want, r)
	}
	r, err = execBinary(ctx, bin, binOpts{env: relEnv}, "rebuild", "--json", "--archive", path)
	if err != nil {
		t.Fatal(err)
	}
	var reb struct {
		Revision events.Revision   `json:"revision"`
		Repaired []events.Revision `json:"repaired"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &reb); err != nil || r.code != 0 || reb.Repaired == nil || len(reb.Repaired) != 0 || reb.Revision != want {
		t.Fatalf("rebuild after the command: got revision %d, repaired %v (%v), want revision %d and nothing repaired\n%v", reb.Revision, reb.Repaired, err, want, r)
	}
}

// relBaselineClaims is how many claims (besides the planted ones) the
// baseline archive of relBaseline holds; later claims files use the slots
// after them.
const relBaselineClaims = 2500

// relBaseline builds, with the binary, an archive in dir holding the
// sources of corpus g, its vocabulary, relBaselineClaims claims and the
// planted conflicts: more than projections.DefaultInterval events, so a
// projection checkpoint is stored. It returns the path and the head.
func relBaseline(t testing.TB, bin, dir string, g relCorpus) (string, events.Revision) {
	t.Helper()
	base := filepath.Join(dir, "base.db")
	return base, relBaselineAt(t, bin, dir, base, g)
}

// relBaselineAt builds the baseline of relBaseline in the archive base (a
// file or a database), with its files in dir, and returns its head.
func relBaselineAt(t testing.TB, bin, dir, base string, g relCorpus) events.Revision {
	t.Helper()
	relMustRun(t, bin, "init", "--archive", base)
	for _, args := range g.writeSources(t, dir) {
		relMustRun(t, bin, append(args, "--archive", base)...)
	}
	claims := filepath.Join(dir, "base.json")
	relWriteClaims(t, claims, true, append(g.claims("base", 0, relBaselineClaims), g.plantedClaims("base")...))
	relMustRun(t, bin, "claim", "import", claims, "--archive", base)
	head := relHead(t, base)
	relCheckArchive(t, bin, base, head)
	return head
}

// relCrashOp is one command the crash test runs (and kills).
type relCrashOp struct {
	name  string
	args  []string        // without --archive
	delta events.Revision // events it appends when it completes
	took  time.Duration   // an uninterrupted run on the baseline
	wrote int64           // bytes that run wrote (at least)
	// bigTook is an uninterrupted run on an archive at revision bigHead.
	bigTook time.Duration
	bigHead events.Revision
	// conflict is the conflict a review decides ("" for an import).
	conflict string
}

// estimate is how long op runs on an archive at revision head (baseHead
// for the baseline), interpolated linearly between the two measurements.
func (op relCrashOp) estimate(baseHead, head events.Revision) time.Duration {
	f := (float64(head) - float64(baseHead)) / (float64(op.bigHead) - float64(baseHead))
	return max(time.Duration(float64(op.took)+f*float64(op.bigTook-op.took)), op.took/2)
}

// relSeed returns the seed of a randomized test: $env when set (to
// replay a failure), else the clock. It logs it.
func relSeed(t *testing.T, env string) uint64 {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv(env); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("$%s=%q: %v", env, s, err)
		}
		seed = v
	}
	t.Logf("seed %d (replay with %s=%d)", seed, env, seed)
	return seed
}

// TestCrashConsistency kills the real binary with SIGKILL in the middle of
// imports of 3,000 to 20,000 claims and of reviews, at least 50 times
// ($SILLOK_CRASH_KILLS for more), at random moments drawn from a seed that
// is logged ($SILLOK_CRASH_SEED replays it). After every kill the archive
// must open, be at exactly the revision before or after the killed
// command, verify ok, and hold stored projections equal to a full rebuild
// (verify --replay compares the stored read model, key for key, and every
// stored checkpoint with a replay of the log, and rebuild --json must
// repair nothing).
//
// The kills come either after a delay spread over the command's running
// time (measured uninterrupted first), or once the process has written a
// number of bytes spread over what the command writes (watched in
// /proc/PID/io): those land while bbolt writes the transaction's pages
// and its meta page. Every import appends more than
// projections.DefaultInterval events, so its transaction also writes a
// projection checkpoint.
//
// The archive starts as a copy of a baseline (21 sources, the vocabulary,
// 2,540 claims with 40 planted conflicts, one checkpoint), and is reset to
// it when it grows past maxHead events, so that the checks stay fast.
func TestCrashConsistency(t *testing.T) {
	bin := buildSillok(t)
	seed := relSeed(t, "SILLOK_CRASH_SEED")
	rng := rand.New(rand.NewPCG(seed, 0x5111_0c))
	wantKills := 50
	if s := os.Getenv("SILLOK_CRASH_KILLS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("$SILLOK_CRASH_KILLS=%q: want a positive number", s)
		}
		wantKills = n
	}
	const maxHead = 8000

	dir := t.TempDir()
	g := relDefaultCorpus
	base, baseHead := relBaseline(t, bin, dir, g)

	// The planted conflicts, to review.
	r := relMustRun(t, bin, "conflicts", "--json", "--status", "open", "--kind", "value", "--archive", base)
	var doc struct {
		Conflicts []relConflict `json:"conflicts"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("conflicts --json: %v\n%s", err, r.stdout)
	}
	if len(doc.Conflicts) != g.planted {
		t.Fatalf("the baseline has %d open value conflicts, want the %d planted ones", len(doc.Conflicts), g.planted)
	}

	// The commands: five imports, and a review of each planted conflict.
	var ops []relCrashOp
	first := relBaselineClaims
	for k, n := range []int{3000, 5000, 8000, 12000, 20000} {
		name := filepath.Join(dir, fmt.Sprintf("import-%d.json", k))
		relWriteClaims(t, name, false, g.claims(fmt.Sprintf("imp%d", k), first, n))
		first += n
		ops = append(ops, relCrashOp{name: fmt.Sprintf("import %d claims", n), args: []string{"claim", "import", name, "--json"}})
	}
	for i, cf := range doc.Conflicts {
		var args []string
		switch i % 3 {
		case 0:
			args = []string{"review", cf.ID, "--dismiss", "--note", "both can stand"}
		default:
			args = []string{"review", cf.ID, "--accept", cf.Claims[i%3-1].ID, "--note", "the ledger is right"}
		}
		ops = append(ops, relCrashOp{name: "review " + cf.ID, args: args, conflict: cf.ID})
	}
	// Each command is measured uninterrupted on a copy of the baseline
	// and on a copy of a bigger archive (the baseline plus the largest
	// import; plus the next largest for the largest import itself): how
	// long it runs grows with the archive, and the kill delays follow.
	// The first measurement also records how many bytes it writes.
	work := filepath.Join(dir, "work.db")
	bigs := map[int]string{}
	for _, k := range []int{3, 4} {
		bigs[k] = filepath.Join(dir, fmt.Sprintf("big%d.db", k))
		relCopy(t, base, bigs[k])
		relMustRun(t, bin, append(ops[k].args, "--archive", bigs[k])...)
	}
	measure := func(op relCrashOp, from string) (binResult, events.Revision, events.Revision) {
		relCopy(t, from, work)
		before := relHead(t, work)
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		r, err := execBinary(ctx, bin, binOpts{env: relEnv, watch: true}, append(op.args, "--archive", work)...)
		if err != nil || r.code != 0 {
			t.Fatalf("%v (%v)", r, err)
		}
		return r, before, relHead(t, work) - before
	}
	for i := range ops {
		op := &ops[i]
		if op.conflict != "" && ops[i-2].conflict != "" {
			// Two reviews are measured; the others are alike.
			prev := ops[i-1]
			op.took, op.bigTook, op.bigHead, op.delta, op.wrote = prev.took, prev.bigTook, prev.bigHead, prev.delta, prev.wrote
			continue
		}
		var r binResult
		r, _, op.delta = measure(*op, base)
		op.took, op.wrote = r.elapsed, r.wrote
		if op.delta == 0 {
			t.Fatalf("%s appended nothing", op.name)
		}
		big := bigs[4]
		if i == 4 {
			big = bigs[3]
		}
		r, op.bigHead, _ = measure(*op, big)
		op.bigTook = r.elapsed
		t.Logf("%s: %d events, %d bytes written, in %s at revision %d, %s at revision %d", op.name, op.delta, op.wrote,
			op.took.Round(time.Millisecond), baseHead, op.bigTook.Round(time.Millisecond), op.bigHead)
	}

	// The kills.
	relCopy(t, base, work)
	head := baseHead
	done := map[int]bool{} // ops applied to the current work archive
	// scale corrects the estimates, by kind of command, from the runs
	// that completed (they run faster than the first measurements, which
	// read files fresh from copying).
	scale := map[bool]float64{true: 1, false: 1}
	var kills, byWrite, midWrite, completed, landed, resets int
	for cycle := 0; kills < wantKills; cycle++ {
		if cycle >= 3*wantKills {
			t.Fatalf("only %d kills in %d cycles", kills, cycle)
		}
		var todo []int
		for i := range ops {
			if !done[i] {
				todo = append(todo, i)
			}
		}
		if head > maxHead || len(todo) == 0 {
			relCopy(t, base, work)
			head, done, resets = baseHead, map[int]bool{}, resets+1
			continue
		}
		// Imports two times in three, reviews otherwise.
		var pick []int
		wantImport := rng.IntN(3) < 2
		for _, i := range todo {
			if (ops[i].conflict == "") == wantImport {
				pick = append(pick, i)
			}
		}
		if len(pick) == 0 {
			pick = todo
		}
		opIndex := pick[rng.IntN(len(pick))]
		op := ops[opIndex]
		isImport := op.conflict == ""

		// Two kills in three come after a delay: half of those spread
		// over the whole run, half over its last part, where the
		// transaction is built, written and committed; some land after
		// the end (the command completes, and another cycle runs). One in
		// three comes once the process has written a given number of
		// bytes, spread over what the command writes: those land while
		// bbolt writes the transaction's pages and meta page, or just
		// after the commit.
		took := time.Duration(float64(op.estimate(baseHead, head)) * scale[isImport])
		kill := binOpts{env: relEnv}
		var how string
		switch u := rng.Float64(); {
		case op.wrote > 8192 && rng.IntN(3) == 0:
			kill.atWrite = 4096 + rng.Int64N(op.wrote-4096)
			how = fmt.Sprintf("once it has written %d of about %d bytes", kill.atWrite, op.wrote)
		case rng.IntN(2) == 0:
			kill.after = time.Duration(float64(took) * (0.6 + 0.5*u))
		default:
			kill.after = time.Duration(float64(took) * 1.1 * u)
		}
		if kill.atWrite == 0 {
			kill.after = max(kill.after, time.Millisecond)
			how = fmt.Sprintf("after %s of about %s", kill.after.Round(time.Millisecond), took.Round(time.Millisecond))
		}

		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		r, err := execBinary(ctx, bin, kill, append(op.args, "--archive", work)...)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		got := relHead(t, work)
		t.Logf("cycle %d at revision %d: %s, kill %s: killed %v (%d bytes written), exit %d, head %d",
			cycle, head, op.name, how, r.killed, r.wrote, r.code, got)
		switch {
		case r.killed:
			kills++
			if kill.atWrite > 0 {
				byWrite++
			}
			if got == head && r.wrote > 4096 {
				midWrite++ // it had begun writing the transaction's pages
			}
			if kill.after > took*9/10 && got == head {
				scale[isImport] *= 1.1 // it ran longer than estimated
			}
		case r.code != 0:
			t.Fatalf("cycle %d: the command failed without being killed\n%v", cycle, r)
		default:
			completed++
			if kill.after > 0 {
				scale[isImport] *= 0.5 + 0.5*float64(r.elapsed)/float64(took)
			}
		}
		switch {
		case got == head+op.delta:
			landed++
			done[opIndex] = true
		case got == head && r.killed:
		default:
			t.Fatalf("cycle %d: %s, kill %s: the head is %d, want %d (before) or %d (after)\n%v",
				cycle, op.name, how, got, head, head+op.delta, r)
		}
		head = got
		relCheckArchive(t, bin, work, head)
	}
	t.Logf("%d kills (%d by bytes written; %d while writing the transaction, %d after the commit), %d uninterrupted runs, %d archive resets",
		kills, byWrite, midWrite, landed-completed, completed, resets)
}
