package main

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

// verifyArchive checks the hash chain, the fixity of every source, every
// claim's quote anchor against its source's stored bytes, and the
// checksum of every stored projection checkpoint. With replay it also
// compares every checkpoint with a replay of the log, which costs a full
// rebuild.
//
// The work runs on every core: the chain walk (SHA-256 of every record,
// in order) hands the source and claim events to a goroutine that decodes
// their payloads, and the anchors are then checked one source at a time
// by a pool of workers. All reads of the bbolt transaction stay on the
// calling goroutine; the workers only decode and compare. Problems are
// reported in the same order as a serial check would find them.
func (a *app) verifyArchive(tx *events.Tx, replay bool) (verifyReport, error) {
	var rep verifyReport
	defer tx.ReadAhead()()

	// The chain walk and, beside it, the payload decoding.
	batches := make(chan []events.Event, 16)
	var dec decodedLog
	var decoding sync.WaitGroup
	decoding.Go(func() {
		for b := range batches {
			dec.add(b)
		}
	})
	const batchSize = 512
	batch := make([]events.Event, 0, batchSize)
	chain, err := tx.VerifyChain(func(e events.Event) error {
		if e.Type != events.TypeSourceArchived && e.Type != events.TypeClaimAsserted {
			return nil
		}
		batch = append(batch, e)
		if len(batch) == batchSize {
			batches <- batch
			batch = make([]events.Event, 0, batchSize)
		}
		return nil
	})
	if len(batch) > 0 {
		batches <- batch
	}
	close(batches)
	decoding.Wait()
	if err != nil {
		return rep, err
	}
	rep.Events, rep.Head = chain.Events, chain.Head
	rep.Problems = append(chain.Problems, dec.problems...)
	rep.Sources, rep.Claims = len(dec.sources), len(dec.claims)

	// Fixity, and the claims of each intact source.
	byID := map[events.SourceID]*sourceCheck{}
	var intact []*sourceCheck
	for _, s := range dec.sources {
		sc := &sourceCheck{rev: s.rev, p: s.p}
		byID[s.p.ID] = sc
		if msg := tx.VerifyBlob(s.p.Digest); msg != "" {
			rep.Problems = append(rep.Problems, events.Problem{Revision: s.rev, Source: s.p.ID, Message: msg})
			continue
		}
		sc.intact = true
		intact = append(intact, sc)
	}
	claimProblems := make([]*events.Problem, len(dec.claims))
	for i, c := range dec.claims {
		sc := byID[c.p.Source]
		switch {
		case sc == nil:
			claimProblems[i] = &events.Problem{Revision: c.rev, Claim: c.p.ID, Message: fmt.Sprintf("cites source %s, which is not archived", c.p.Source)}
		case sc.intact: // a source's own problem is reported once
			sc.claims = append(sc.claims, i)
		}
	}

	// Anchors: each worker extracts and normalizes a source's text and
	// checks its claims against it. The bytes are read here.
	type job struct {
		sc  *sourceCheck
		raw []byte
	}
	jobs := make(chan job, 4)
	var anchoring sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		anchoring.Go(func() {
			for j := range jobs {
				j.sc.checkAnchors(j.raw, dec.claims, claimProblems)
			}
		})
	}
	for _, sc := range intact {
		if len(sc.claims) == 0 {
			continue
		}
		raw, err := tx.Blob(sc.p.Digest)
		if err != nil {
			p := &events.Problem{Revision: dec.claims[sc.claims[0]].rev, Source: sc.p.ID, Message: err.Error()}
			claimProblems[sc.claims[0]] = p
			continue
		}
		jobs <- job{sc, raw}
	}
	close(jobs)
	anchoring.Wait()
	for _, p := range claimProblems {
		if p != nil {
			rep.Problems = append(rep.Problems, *p)
		}
	}

	if len(chain.Problems) > 0 {
		return rep, nil // checkpoints of a broken log are not worth comparing
	}
	st := a.store()
	check, what := st.CheckSums, "its checksum does not match: it was altered or damaged"
	if replay {
		check, what = st.Check, "it differs from a replay of the log"
	}
	bad, err := check(tx)
	if err != nil {
		rep.Problems = append(rep.Problems, events.Problem{Message: "stored projection: " + err.Error() + " (sillok rebuild repairs it)"})
	}
	for _, r := range bad {
		rep.Problems = append(rep.Problems, events.Problem{Revision: r, Message: "the stored projection checkpoint: " + what + " (sillok rebuild repairs it)"})
	}
	return rep, nil
}

type (
	sourceEvent struct {
		rev events.Revision
		p   *events.SourceArchived
	}
	claimEvent struct {
		rev events.Revision
		p   *events.ClaimAsserted
	}
)

// decodedLog is the source and claim events of a log, in order, and the
// payloads that did not decode.
type decodedLog struct {
	sources  []sourceEvent
	claims   []claimEvent
	problems []events.Problem
}

func (d *decodedLog) add(batch []events.Event) {
	for _, e := range batch {
		p, err := e.Decode()
		if err != nil {
			d.problems = append(d.problems, events.Problem{Revision: e.Revision, Message: err.Error()})
			continue
		}
		switch p := p.(type) {
		case *events.SourceArchived:
			d.sources = append(d.sources, sourceEvent{e.Revision, p})
		case *events.ClaimAsserted:
			d.claims = append(d.claims, claimEvent{e.Revision, p})
		}
	}
}

// sourceCheck is one source under verification and the claims citing it
// (indexes into the decoded claims).
type sourceCheck struct {
	rev    events.Revision
	p      *events.SourceArchived
	intact bool
	claims []int
}

// checkAnchors checks the quote anchors of the source's claims against
// its text, writing each claim's problem, if any, to its slot in out.
func (sc *sourceCheck) checkAnchors(raw []byte, claims []claimEvent, out []*events.Problem) {
	s, err := sources.Text(raw)
	if err != nil {
		i := sc.claims[0]
		out[i] = &events.Problem{Revision: claims[i].rev, Source: sc.p.ID, Message: err.Error()}
		return
	}
	text := provenance.NewText(s)
	for _, i := range sc.claims {
		c := claims[i]
		if err := text.Verify(c.p.Quote, sc.p.Digest); err != nil {
			out[i] = &events.Problem{Revision: c.rev, Claim: c.p.ID, Message: "quote anchor: " + err.Error()}
		}
	}
}
