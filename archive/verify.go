package archive

import (
	"cmp"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

// Pin is a revision and the hash of its event, as Head returns them: a
// point of the log published or kept elsewhere, which Verify checks the
// log still holds.
type Pin struct {
	Rev  Revision
	Hash events.Digest
}

// String is the pin's REV:HASH form.
func (p Pin) String() string { return fmt.Sprintf("%d:%s", p.Rev, p.Hash) }

// ParsePin parses a pin written REV:HASH, the hash with or without its
// "sha256:" prefix.
func ParsePin(s string) (Pin, error) {
	revText, hashText, ok := strings.Cut(s, ":")
	if !ok {
		return Pin{}, Errorf(Invalid, "want REV:HASH, a revision and its hash as Head returns them")
	}
	rev, err := strconv.ParseUint(revText, 10, 64)
	if err != nil || rev == 0 {
		return Pin{}, Errorf(Invalid, "%q is not a revision (a whole number from 1)", revText)
	}
	hash, err := events.ParseDigest(hashText)
	if err != nil {
		return Pin{}, Errorf(Invalid, "%q is not a hash (64 hex digits, optionally after \"sha256:\")", hashText)
	}
	return Pin{Revision(rev), hash}, nil
}

// check says what is wrong with the pin in the log ("" when the log holds
// the event with that hash).
func (p Pin) check(tx *events.Tx, head events.Revision) string {
	if p.Rev > head {
		return fmt.Sprintf("the log was cut short after revision %d: the expected revision %d (hash %s) is not in it", head, p.Rev, p.Hash)
	}
	e, err := tx.Event(p.Rev)
	if err != nil {
		return fmt.Sprintf("the expected event (hash %s) cannot be read: %v", p.Hash, err)
	}
	if e.Hash != p.Hash {
		return fmt.Sprintf("the event's hash is %s, not the expected %s: the log was rewritten", e.Hash, p.Hash)
	}
	return ""
}

// VerifyOptions are what Verify checks besides what it always does.
type VerifyOptions struct {
	// Replay also replays the log and compares every stored projection
	// checkpoint with it, which costs as much as a rebuild.
	Replay bool
	// Expect are pins the log must still hold.
	Expect []Pin
	// Progress, if not nil, is called on the calling goroutine as the
	// walk of the log goes: done of total events (total is the head
	// revision), every ProgressEvery events and once at the end of the
	// walk. The checks after the walk (the stored checkpoints, or with
	// Replay a replay of the log) report nothing further.
	Progress func(done, total int)
}

// ProgressEvery is how many events a long operation (Verify, Rebuild)
// walks between two calls of its progress function: rare enough to cost
// nothing on the walk, often enough for a display to move.
const ProgressEvery = 1 << 12

// Remedy is what repairs a problem Verify finds.
type Remedy int

// The remedies.
const (
	// RemedyNone: none the archive can apply; a copy of the archive is the
	// way back.
	RemedyNone Remedy = iota
	// RemedyRebuild: a stored projection checkpoint is wrong or
	// unreadable; Rebuild replaces it from the log.
	RemedyRebuild
	// RemedyRestore: the log was cut short or rewritten after the stored
	// projection recorded its head; Rebuild refuses such a log (it would
	// erase the evidence), and the archive is to be restored from a copy.
	RemedyRestore
)

// Problem is one thing Verify finds wrong, and what repairs it.
type Problem struct {
	events.Problem
	Remedy Remedy `json:"-"`
}

// VerifyReport is what Verify found.
type VerifyReport struct {
	// OK is set when there are no problems.
	OK bool
	// Events, Sources and Claims count what the log holds.
	Events, Sources, Claims int
	// Head is the newest revision and HeadHash its event's hash.
	Head     Revision
	HeadHash events.Digest
	// Damaged is set when the check stopped at damage in the archive
	// file (the last problem says where): the counts and the head are of
	// what it read before, and HeadHash is not set.
	Damaged bool
	// Problems are in the order a serial check finds them: the hash
	// chain's, the payloads that do not decode (in log order), each
	// source's fixity, each claim's quote anchor (in claim order), the
	// file's, the stored projection's, then the pins'.
	Problems []Problem
}

// Verify checks the archive: the hash chain of the log, the fixity of
// every source (its stored bytes against its digest), every claim's quote
// anchor against its source's text, the pins of opts, the file's
// structure, and the checksum of every stored projection checkpoint (with
// opts.Replay, a replay of the log instead). What it finds is the
// report's Problems, not an error: an error means the check itself could
// not run. An archive file damaged where the check reads is a problem
// too, reported with what was found before it.
func (a *Archive) Verify(opts VerifyOptions) (*VerifyReport, error) {
	var rep VerifyReport
	err := a.log.View(func(tx *events.Tx) error {
		r, err := a.verify(tx, opts.Replay, opts.Progress)
		rep = r
		if err != nil {
			return err
		}
		head, hash := tx.Head()
		rep.HeadHash = hash
		for _, p := range opts.Expect {
			if msg := p.check(tx, head); msg != "" {
				rep.Problems = append(rep.Problems, Problem{Problem: events.Problem{Revision: p.Rev, Message: msg}})
			}
		}
		return nil
	})
	var damaged *events.DamagedError
	if errors.As(err, &damaged) {
		// The walk stopped at the damage: report it with what was found
		// before it.
		rep.Problems = append(rep.Problems, Problem{Problem: events.Problem{Message: "the archive file is damaged: " + damaged.What}})
		rep.Damaged, rep.HeadHash = true, events.Digest{}
		err = nil
	}
	if err != nil {
		return nil, coded(err)
	}
	rep.OK = len(rep.Problems) == 0
	return &rep, nil
}

// VerifyFile opens the archive at path for reading, verifies it (Verify)
// and closes it. A file too damaged to open is not an error but the
// report: Damaged, with that damage its one problem. Any other failure
// to open (no archive there, the archive in use) is the error.
func VerifyFile(path string, opts Options, v VerifyOptions) (*VerifyReport, error) {
	opts.ReadOnly = true
	a, err := Open(path, opts)
	var damaged *events.DamagedError
	if errors.As(err, &damaged) {
		// Nothing can be read: the damage is the report.
		return &VerifyReport{Damaged: true, Problems: []Problem{{Problem: events.Problem{Message: "the archive file is damaged: " + damaged.What}}}}, nil
	}
	if err != nil {
		return nil, err
	}
	defer a.Close()
	return a.Verify(v)
}

// verify checks the hash chain, the fixity of every source, every
// claim's quote anchor against its source's stored bytes, and the
// checksum of every stored projection checkpoint. With replay it also
// compares every checkpoint with a replay of the log, which costs a full
// rebuild.
//
// The checks overlap, on every core:
//   - the chain walk, on the calling goroutine, recomputes the hash of
//     every record in order (borrowing the records: see
//     events.Tx.VerifyChainBorrowed). It reads each source event's id and
//     digest (events.DecodeSourceDigest, else events.Event.Decode),
//     re-hashes the source's stored bytes (fixity) and hands an intact
//     source to the text workers; it hands the sources and, copied in
//     batches, the claim events' payloads, in log order, to the claim
//     decoder.
//   - the text workers extract and normalize the text of each intact
//     source, cited or not (its claims may come anywhere after it).
//   - the claim decoder reads from each claim what its anchor check needs
//     (events.DecodeClaimQuote, else events.Event.Decode) and hands each
//     run of claims citing the same source to the anchor workers.
//   - the anchor workers check each run of claims against its source's
//     text, once the text workers have prepared it.
//
// A claim is checked against the source of its id archived before it. In
// a log where no source id is archived twice and no claim comes before
// its source, that is the source a serial check would use, and the
// results stand. In any other log (only a damaged one), the claims are
// checked again after the walk, in a second walk of the log, each against
// the last source archived with its id.
//
// All reads of the bbolt transaction are the calling goroutine's; the
// other goroutines only read bytes it got from the transaction, and are
// done before it returns. Problems are reported in the order a serial
// check finds them: the chain's, the payloads that do not decode (in log
// order), the fixity of each source, each claim's anchor (in claim
// order), then the checkpoints'.
func (a *Archive) verify(tx *events.Tx, replay bool, progress func(done, total int)) (VerifyReport, error) {
	var rep VerifyReport
	total, _ := tx.Head()
	defer tx.ReadAhead()()

	workers := max(1, runtime.GOMAXPROCS(0))
	texts := make(chan *sourceCheck, 4*workers)
	var preparing sync.WaitGroup
	for range workers {
		preparing.Go(func() {
			for sc := range texts {
				sc.prepare()
			}
		})
	}
	runs := make(chan claimRun, 4*workers)
	var anchoring sync.WaitGroup
	var found claimProblems
	for range workers {
		anchoring.Go(func() {
			var mine []claimProblem
			for r := range runs {
				mine = r.check(mine)
			}
			found.add(mine)
		})
	}
	batches := make(chan *claimBatch, 16)
	dec := claimDecoder{seen: map[events.SourceID]*sourceCheck{}, clean: true, runs: runs}
	var decoding sync.WaitGroup
	decoding.Go(func() {
		for b := range batches {
			dec.add(b)
		}
		dec.flush()
	})
	// The workers read the sources' bytes borrowed from the transaction:
	// they are done before this returns, also when a damaged page makes
	// the walk panic (events.Log.View turns that into an error, and the
	// transaction ends).
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		close(batches)
		close(texts)
		decoding.Wait()
		close(runs)
		preparing.Wait()
		anchoring.Wait()
	}
	defer stop()

	var (
		srcs    []*sourceCheck
		srcErrs []seqProblem // source payloads that do not decode
		seq     int          // the position in the log of the event the walk is at
		batch   = newClaimBatch()
	)
	chain, err := tx.VerifyChainBorrowed(func(e events.Event) error {
		if seq++; seq%ProgressEvery == 0 && progress != nil {
			progress(seq, int(total))
		}
		switch e.Type {
		case events.TypeSourceArchived:
			id, digest, ok := events.DecodeSourceDigest(e.Payload)
			if !ok {
				p, err := e.Decode()
				if err != nil {
					srcErrs = append(srcErrs, seqProblem{seq, events.Problem{Revision: e.Revision, Message: err.Error()}})
					return nil
				}
				s := p.(*events.SourceArchived)
				id, digest = s.ID, s.Digest
			}
			sc := &sourceCheck{rev: e.Revision, id: id, digest: digest, ready: make(chan struct{})}
			srcs = append(srcs, sc)
			sc.raw, sc.fixity = tx.BorrowVerifiedBlob(digest)
			if sc.fixity == "" {
				texts <- sc
			}
			if !batch.fits(0) {
				batches <- batch
				batch = newClaimBatch()
			}
			batch.addSource(sc)
		case events.TypeClaimAsserted:
			if !batch.fits(len(e.Payload)) {
				batches <- batch
				batch = newClaimBatch()
			}
			batch.addClaim(seq, e)
		}
		return nil
	})
	if len(batch.items) > 0 {
		batches <- batch
	}
	stop()
	if err != nil {
		return rep, err
	}
	if progress != nil {
		progress(seq, int(total))
	}
	rep.Events, rep.Head = chain.Events, chain.Head
	rep.Problems = plain(rep.Problems, chain.Problems...)
	rep.Problems = plain(rep.Problems, mergeBySeq(srcErrs, dec.problems)...)
	rep.Sources, rep.Claims = len(srcs), dec.n
	for _, sc := range srcs {
		if sc.fixity != "" {
			rep.Problems = plain(rep.Problems, events.Problem{Revision: sc.rev, Source: sc.id, Message: sc.fixity})
		}
	}
	if !dec.clean {
		if found.list, err = recheckClaims(tx, srcs); err != nil {
			return rep, err
		}
	}
	slices.SortFunc(found.list, func(a, b claimProblem) int { return cmp.Compare(a.index, b.index) })
	for _, p := range found.list {
		rep.Problems = plain(rep.Problems, p.p)
	}

	rep.Problems = plain(rep.Problems, tx.CheckFile()...)

	if len(chain.Problems) > 0 {
		return rep, nil // checkpoints of a broken log are not worth comparing
	}
	st := a.store
	if err := st.CheckHead(tx); err != nil {
		// Named by the first revision missing (or rewritten).
		p := Problem{Problem: events.Problem{Message: err.Error()}, Remedy: RemedyRestore}
		var cut *projections.CutShortError
		if !errors.As(err, &cut) {
			rep.Problems = append(rep.Problems, p)
			return rep, nil
		}
		if p.Revision = cut.Head + 1; cut.Rewritten {
			p.Revision = cut.Rev
		}
		rep.Problems = append(rep.Problems, p)
	}
	check, what := st.CheckSums, "its checksum does not match: it was altered or damaged"
	if replay {
		check, what = st.Check, "it differs from a replay of the log"
	}
	bad, err := check(tx)
	if err != nil {
		rep.Problems = append(rep.Problems, Problem{Problem: events.Problem{Message: "stored projection: " + err.Error()}, Remedy: RemedyRebuild})
	}
	for _, r := range bad {
		if r > rep.Head {
			continue // the log was cut short: CheckHead said so
		}
		rep.Problems = append(rep.Problems, Problem{Problem: events.Problem{Revision: r, Message: "the stored projection checkpoint: " + what}, Remedy: RemedyRebuild})
	}
	// The read model: every record's checksum, and with replay every
	// record compared with a replay's.
	modelBad, merr := st.CheckModelSums(tx)
	if merr != nil {
		return rep, merr
	}
	for _, m := range modelBad {
		rep.Problems = append(rep.Problems, Problem{Problem: events.Problem{Message: "the stored read model: " + m}, Remedy: RemedyRebuild})
	}
	if st.ModelUnfinished(tx) {
		rep.Problems = append(rep.Problems, Problem{Problem: events.Problem{Message: "the stored read model is unfinished: a rebuild stopped while it wrote the model, so every read analyses the whole state until the model is written again"}, Remedy: RemedyRebuild})
	}
	if replay && len(modelBad) == 0 {
		d, merr := st.CheckModel(tx)
		if merr != nil {
			return rep, merr
		}
		if d != "" {
			rep.Problems = append(rep.Problems, Problem{Problem: events.Problem{Message: "the stored read model differs from a replay of the log: " + d}, Remedy: RemedyRebuild})
		}
	}
	if replay && err == nil && len(bad) == 0 {
		// The values the projections parse: one that no longer parses
		// is kept as written, and listed here.
		if s, _, err := st.Head(tx); err == nil {
			for _, c := range s.ValueProblems() {
				rep.Problems = plain(rep.Problems, events.Problem{Revision: c.Rev, Claim: c.ID, Message: c.ValueProblem()})
			}
		}
	}
	return rep, nil
}

// plain appends problems without a remedy to list.
func plain(list []Problem, ps ...events.Problem) []Problem {
	for _, p := range ps {
		list = append(list, Problem{Problem: p})
	}
	return list
}

// recheckClaims checks every claim again, as a serial check would, each
// against the last source archived with its id, and returns their
// problems. It walks the log again for the claims, which the first walk
// did not keep.
func recheckClaims(tx *events.Tx, srcs []*sourceCheck) ([]claimProblem, error) {
	var claims []claimRef
	_, err := tx.VerifyChainBorrowed(func(e events.Event) error {
		if e.Type == events.TypeClaimAsserted {
			if q, err := decodeClaim(e.Revision, string(e.Payload)); err == nil {
				claims = append(claims, claimRef{index: len(claims), rev: e.Revision, q: q})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	byID := map[events.SourceID]*sourceCheck{}
	for _, sc := range srcs {
		byID[sc.id] = sc
	}
	var found claimProblems
	cited := map[*sourceCheck][]claimRef{}
	for _, c := range claims {
		sc := byID[c.q.Source]
		switch {
		case sc == nil:
			found.list = append(found.list, claimProblem{c.index, events.Problem{Revision: c.rev, Claim: c.q.ID, Message: fmt.Sprintf("cites source %s, which is not archived", c.q.Source)}})
		case sc.fixity == "": // a source's own problem is reported once
			cited[sc] = append(cited[sc], c)
		}
	}
	jobs := make(chan claimRun)
	var checking sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		checking.Go(func() {
			var mine []claimProblem
			for r := range jobs {
				mine = r.check(mine)
			}
			found.add(mine)
		})
	}
	for _, sc := range srcs {
		if cs := cited[sc]; len(cs) > 0 {
			sc.first = cs[0].index
			jobs <- claimRun{sc, cs}
		}
	}
	close(jobs)
	checking.Wait()
	return found.list, nil
}

// claimProblem is the problem of the claim at index among the claims.
type claimProblem struct {
	index int
	p     events.Problem
}

// claimProblems collects the problems the anchor workers find.
type claimProblems struct {
	mu   sync.Mutex
	list []claimProblem
}

func (ps *claimProblems) add(found []claimProblem) {
	ps.mu.Lock()
	ps.list = append(ps.list, found...)
	ps.mu.Unlock()
}

// seqProblem is a problem found at position seq of the chain walk.
type seqProblem struct {
	seq int
	p   events.Problem
}

// mergeBySeq returns the problems of a and b, each in walk order, in walk
// order.
func mergeBySeq(a, b []seqProblem) []events.Problem {
	out := make([]events.Problem, 0, len(a)+len(b))
	for len(a) > 0 || len(b) > 0 {
		if len(b) == 0 || len(a) > 0 && a[0].seq < b[0].seq {
			out, a = append(out, a[0].p), a[1:]
		} else {
			out, b = append(out, b[0].p), b[1:]
		}
	}
	return out
}

// claimBatch is source and claim events handed, in log order, from the
// chain walk to the claim decoder: the sources, and the claims' payloads,
// copied one after the other into buf.
type claimBatch struct {
	buf   strings.Builder
	items []claimItem
}

// claimItem is one event of a batch: a source, or a claim whose payload
// ends at end in the batch's buf and starts where the one before it ends.
type claimItem struct {
	source *sourceCheck // nil for a claim
	seq    int
	rev    events.Revision
	end    int
}

// The size of a claim batch: a batch is sent when either would be exceeded.
const (
	claimBatchBytes = 256 << 10
	claimBatchLen   = 1024
)

func newClaimBatch() *claimBatch {
	b := &claimBatch{items: make([]claimItem, 0, claimBatchLen)}
	b.buf.Grow(claimBatchBytes)
	return b
}

// fits reports whether the batch has room for an event with a payload of
// n bytes. An empty batch has room for any.
func (b *claimBatch) fits(n int) bool {
	return len(b.items) == 0 || len(b.items) < claimBatchLen && b.buf.Len()+n <= claimBatchBytes
}

// addClaim copies the claim event e, at position seq of the walk, into the
// batch.
func (b *claimBatch) addClaim(seq int, e events.Event) {
	b.buf.Write(e.Payload)
	b.items = append(b.items, claimItem{seq: seq, rev: e.Revision, end: b.buf.Len()})
}

// addSource adds a source to the batch.
func (b *claimBatch) addSource(sc *sourceCheck) {
	b.items = append(b.items, claimItem{source: sc, end: b.buf.Len()})
}

// claimDecoder decodes the claims of a log, in order, as far as
// verification needs them, and hands them to the anchor workers, in runs,
// while the log is clean. It keeps no claim: a log that is not clean is
// walked again (recheckClaims).
type claimDecoder struct {
	n        int          // the claims decoded
	problems []seqProblem // the claim payloads that do not decode

	seen  map[events.SourceID]*sourceCheck // the sources so far
	clean bool                             // no source id twice, no claim before its source, so far
	run   claimRun                         // the claims not yet handed over
	runs  chan<- claimRun
}

func (d *claimDecoder) add(b *claimBatch) {
	s := b.buf.String() // the claims' strings are substrings of it
	start := 0
	for _, it := range b.items {
		if it.source != nil {
			d.addSource(it.source)
			continue
		}
		payload := s[start:it.end]
		start = it.end
		q, err := decodeClaim(it.rev, payload)
		if err != nil {
			d.problems = append(d.problems, seqProblem{it.seq, events.Problem{Revision: it.rev, Message: err.Error()}})
			continue
		}
		d.addClaim(claimRef{index: d.n, rev: it.rev, q: q})
		d.n++
	}
}

// decodeClaim decodes what verification needs of the payload of the
// claim event at rev. The strings it returns may be substrings of
// payload.
func decodeClaim(rev events.Revision, payload string) (events.ClaimQuote, error) {
	if q, ok := events.DecodeClaimQuote(payload); ok {
		return q, nil
	}
	e := events.Event{Revision: rev, Type: events.TypeClaimAsserted, Payload: []byte(payload)}
	p, err := e.Decode()
	if err != nil {
		return events.ClaimQuote{}, err
	}
	c := p.(*events.ClaimAsserted)
	return events.ClaimQuote{ID: c.ID, Source: c.Source, Quote: c.Quote}, nil
}

func (d *claimDecoder) addSource(sc *sourceCheck) {
	if d.seen[sc.id] != nil {
		d.unclean()
	}
	d.seen[sc.id] = sc
}

// addClaim hands the claim c to the anchor workers, in a run of claims
// citing the same source, while the log is clean.
func (d *claimDecoder) addClaim(c claimRef) {
	if !d.clean {
		return
	}
	sc := d.seen[c.q.Source]
	switch {
	case sc == nil:
		d.unclean()
		return
	case sc.fixity != "": // a source's own problem is reported once
		return
	}
	if sc != d.run.source || len(d.run.claims) == maxRun {
		d.flush()
		d.run.source = sc
	}
	if !sc.cited {
		sc.cited, sc.first = true, c.index
	}
	d.run.claims = append(d.run.claims, c)
}

// unclean stops the checks of claims in runs: they are all checked again
// when the walk is done.
func (d *claimDecoder) unclean() {
	d.flush()
	d.clean = false
}

// flush hands the run to the anchor workers.
func (d *claimDecoder) flush() {
	if len(d.run.claims) > 0 {
		d.runs <- d.run
	}
	d.run = claimRun{}
}

// claimRef is a claim event's position among the claims, its revision
// and the parts of its payload that verification checks.
type claimRef struct {
	index int
	rev   events.Revision
	q     events.ClaimQuote
}

// maxRun is the most claims in a run.
const maxRun = 1 << 12

// sourceCheck is one source under verification.
type sourceCheck struct {
	rev    events.Revision
	id     events.SourceID
	digest events.Digest
	fixity string // the fixity problem, "" when the stored bytes are intact
	raw    []byte // the stored bytes, borrowed from the transaction, until prepared

	ready chan struct{} // closed when text and err are set
	text  string        // the normalized text
	err   error         // why there is no text

	cited bool // a claim was handed over to be checked against it
	first int  // the index of the first such claim

	mu     sync.Mutex
	checks int              // the runs checked against it so far
	cached *provenance.Text // from the second run on
}

// prepare extracts and normalizes the source's text from its stored bytes,
// which are the transaction's: a fault reading them is the source's
// problem, not a crash.
func (sc *sourceCheck) prepare() {
	defer close(sc.ready)
	defer func(prev bool) {
		debug.SetPanicOnFault(prev)
		sc.raw = nil
		if r := recover(); r != nil {
			if _, fault := r.(interface{ Addr() uintptr }); !fault {
				panic(r)
			}
			sc.text, sc.err = "", fmt.Errorf("the archive file is damaged: the source's stored bytes could not be read (%v)", r)
		}
	}(debug.SetPanicOnFault(true))
	sc.text, sc.err = sources.Text(sc.raw)
}

// prepared returns the source's text prepared for checking anchors. A
// source checked in one run, the usual case, does not keep it; one checked
// in more runs keeps it from the second on, so it is prepared at most
// twice.
func (sc *sourceCheck) prepared() *provenance.Text {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.cached != nil {
		return sc.cached
	}
	t := provenance.NewText(sc.text)
	if sc.checks++; sc.checks > 1 {
		sc.cached = t
	}
	return t
}

// claimRun is claims citing the same source, in log order.
type claimRun struct {
	source *sourceCheck
	claims []claimRef
}

// check checks the quote anchors of the run's claims against its
// source's text, once prepared, and appends their problems to found. A
// source without a text is the problem of its first claim, once.
func (r claimRun) check(found []claimProblem) []claimProblem {
	sc := r.source
	<-sc.ready
	if sc.err != nil {
		if c := r.claims[0]; c.index == sc.first {
			found = append(found, claimProblem{c.index, events.Problem{Revision: c.rev, Source: sc.id, Message: sc.err.Error()}})
		}
		return found
	}
	text := sc.prepared()
	for _, c := range r.claims {
		if err := text.Verify(c.q.Quote, sc.digest); err != nil {
			found = append(found, claimProblem{c.index, events.Problem{Revision: c.rev, Claim: c.q.ID, Message: "quote anchor: " + err.Error()}})
		}
	}
	return found
}
