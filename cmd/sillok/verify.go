package main

import (
	"github.com/sillok/sillok/events"
)

// verifyArchive checks the chain, then the fixity of every source.
func verifyArchive(tx *events.Tx) (verifyReport, error) {
	var rep verifyReport
	type src struct {
		rev events.Revision
		p   *events.SourceArchived
	}
	var sources []src
	chain, err := tx.VerifyChain(func(e events.Event) error {
		switch e.Type {
		case events.TypeSourceArchived:
			p, err := e.Decode()
			if err != nil {
				rep.Problems = append(rep.Problems, events.Problem{Revision: e.Revision, Message: err.Error()})
				return nil
			}
			sources = append(sources, src{e.Revision, p.(*events.SourceArchived)})
		case events.TypeClaimAsserted:
			rep.Claims++
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	rep.Events, rep.Head = chain.Events, chain.Head
	rep.Problems = append(chain.Problems, rep.Problems...)
	rep.Sources = len(sources)
	for _, s := range sources {
		if msg := tx.VerifyBlob(s.p.Digest); msg != "" {
			rep.Problems = append(rep.Problems, events.Problem{Revision: s.rev, Source: s.p.ID, Message: msg})
		}
	}
	return rep, nil
}
