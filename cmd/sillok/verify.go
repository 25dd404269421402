package main

import (
	"fmt"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

// verifyArchive checks the hash chain, the fixity of every source, every
// claim's quote anchor against its source's stored bytes, and the stored
// projections against a replay of the log.
func (a *app) verifyArchive(tx *events.Tx) (verifyReport, error) {
	var rep verifyReport
	type src struct {
		rev events.Revision
		p   *events.SourceArchived
	}
	type claim struct {
		rev events.Revision
		p   *events.ClaimAsserted
	}
	var srcs []src
	var claims []claim
	defer tx.ReadAhead()()
	chain, err := tx.VerifyChain(func(e events.Event) error {
		if e.Type != events.TypeSourceArchived && e.Type != events.TypeClaimAsserted {
			return nil
		}
		p, err := e.Decode()
		if err != nil {
			rep.Problems = append(rep.Problems, events.Problem{Revision: e.Revision, Message: err.Error()})
			return nil
		}
		switch p := p.(type) {
		case *events.SourceArchived:
			srcs = append(srcs, src{e.Revision, p})
		case *events.ClaimAsserted:
			claims = append(claims, claim{e.Revision, p})
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	rep.Events, rep.Head = chain.Events, chain.Head
	rep.Problems = append(chain.Problems, rep.Problems...)
	rep.Sources, rep.Claims = len(srcs), len(claims)
	byID := map[events.SourceID]*events.SourceArchived{}
	intact := map[events.SourceID]bool{}
	for _, s := range srcs {
		byID[s.p.ID] = s.p
		if msg := tx.VerifyBlob(s.p.Digest); msg != "" {
			rep.Problems = append(rep.Problems, events.Problem{Revision: s.rev, Source: s.p.ID, Message: msg})
			continue
		}
		intact[s.p.ID] = true
	}
	texts := map[events.SourceID]*provenance.Text{}
	for _, c := range claims {
		s := byID[c.p.Source]
		if s == nil {
			rep.Problems = append(rep.Problems, events.Problem{Revision: c.rev, Claim: c.p.ID, Message: fmt.Sprintf("cites source %s, which is not archived", c.p.Source)})
			continue
		}
		if !intact[s.ID] {
			continue // the source's own problem is reported once
		}
		text, ok := texts[s.ID]
		if !ok {
			raw, err := sources.StoredText(tx, s)
			if err != nil {
				rep.Problems = append(rep.Problems, events.Problem{Revision: c.rev, Source: s.ID, Message: err.Error()})
				continue
			}
			text = provenance.NewText(raw)
			texts[s.ID] = text
		}
		if err := text.Verify(c.p.Quote, s.Digest); err != nil {
			rep.Problems = append(rep.Problems, events.Problem{Revision: c.rev, Claim: c.p.ID, Message: "quote anchor: " + err.Error()})
		}
	}
	if len(chain.Problems) == 0 {
		bad, err := a.store().Check(tx)
		if err != nil {
			rep.Problems = append(rep.Problems, events.Problem{Message: "stored projection: " + err.Error() + " (sillok rebuild repairs it)"})
		}
		for _, r := range bad {
			rep.Problems = append(rep.Problems, events.Problem{Revision: r, Message: "the stored projection checkpoint differs from a replay of the log (sillok rebuild repairs it)"})
		}
	}
	return rep, nil
}
