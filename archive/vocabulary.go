package archive

import (
	"strings"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance"
)

// Written is the outcome of a write that may find its work already done.
type Written struct {
	// Revision is the head after the write.
	Revision Revision
	// Created is false when the same thing was already recorded (nothing
	// was written).
	Created bool
}

// DefinePredicate adds a predicate to the vocabulary. The same definition
// again adds nothing (Created false); the same name with another kind or
// cardinality is a Conflict.
func (a *Archive) DefinePredicate(author string, p events.PredicateDefined) (Written, error) {
	if err := checkAuthor(author); err != nil {
		return Written{}, err
	}
	var w Written
	err := a.update(func(tx *events.Tx) error {
		var err error
		w.Created, err = provenance.NewRecorder(tx, author).DefinePredicate(p)
		w.Revision, _ = tx.Head()
		return err
	})
	if err != nil {
		return Written{}, err
	}
	return w, nil
}

// Predicates lists the vocabulary, by name.
func (a *Archive) Predicates() ([]*events.PredicateDefined, error) {
	var list []*events.PredicateDefined
	err := a.log.View(func(tx *events.Tx) error {
		r := provenance.NewRecorder(tx, "")
		for _, name := range r.Predicates() {
			p, _, err := r.Predicate(name)
			if err != nil {
				return err
			}
			list = append(list, p)
		}
		return nil
	})
	if err != nil {
		return nil, coded(err)
	}
	return list, nil
}

// DeclareAlias declares p.Name another name of the entity p.Entity (of
// kind p.Kind; events.AliasDistinct declares them different things). The
// same declaration again adds nothing (Created false). A declaration that
// would leave an entity without a canonical name (a name its own alias, a
// cycle of aliases) is refused as Invalid.
func (a *Archive) DeclareAlias(author string, p events.AliasDeclared) (Written, error) {
	if err := checkAuthor(author); err != nil {
		return Written{}, err
	}
	var w Written
	err := a.update(func(tx *events.Tx) error {
		ac := &aliasChecker{tx: tx, ar: a}
		if err := ac.check(p); err != nil {
			return err
		}
		var err error
		w.Created, err = provenance.NewRecorder(tx, author).DeclareAlias(p)
		w.Revision, _ = tx.Head()
		ac.declared(p, w.Created)
		return err
	})
	if err != nil {
		return Written{}, err
	}
	return w, nil
}

// aliasChecker refuses alias declarations that would leave an entity
// without a canonical name (projections.AliasGraph), against the
// archive's declarations and those the transaction made before.
type aliasChecker struct {
	tx *events.Tx
	ar *Archive
}

// check reports why p cannot be declared, or nil. A declaration already
// recorded is fine (it adds nothing).
func (ac *aliasChecker) check(p events.AliasDeclared) error {
	if _, ok := ac.tx.Lookup(events.IndexAlias, events.AliasKey(&p)); ok {
		return nil
	}
	g, err := ac.ar.aliasGraph(ac.tx)
	if err != nil {
		return err
	}
	if err := g.Check(p); err != nil {
		return &Error{Code: Invalid, Err: err}
	}
	return nil
}

// declared adds a declaration the transaction just recorded (created: it
// was not recorded before).
func (ac *aliasChecker) declared(p events.AliasDeclared, created bool) {
	if created && ac.ar.aliases != nil {
		ac.ar.aliases.Add(p)
		ac.ar.aliasAdds++
	}
}

// aliasGraph returns the graph of the archive's alias declarations for the
// write transaction tx: the one kept from the write before when it is of
// the head tx started from, else read from the alias index. Called with
// writeMu held (inside update).
func (a *Archive) aliasGraph(tx *events.Tx) (*projections.AliasGraph, error) {
	if a.aliases != nil && a.aliasesAt == a.txBase {
		return a.aliases, nil
	}
	g := projections.NewAliasGraph()
	err := tx.IndexKeys(events.IndexAlias, func(key string, _ events.Revision) error {
		if f := strings.SplitN(key, "\x00", 3); len(f) == 3 {
			g.Add(events.AliasDeclared{Name: f[0], Entity: f[1], Kind: events.AliasKind(f[2])})
		}
		return nil
	})
	if err != nil {
		a.aliases = nil
		return nil, err
	}
	// Read inside tx, the index holds what tx appended before: the graph
	// is of the head tx started from only while tx appended no alias.
	a.aliases, a.aliasesAt = g, a.txBase
	for _, e := range tx.Appended() {
		if e.Type == events.TypeAliasDeclared {
			a.aliases = nil
			break
		}
	}
	return g, nil
}

// keepAliases carries the alias graph over a committed write that moved
// the head to head and appended aliasEvents alias declarations: the graph
// holds them only if each went through aliasChecker.declared; otherwise
// the next write reads the index again.
func (a *Archive) keepAliases(head events.Revision, aliasEvents int) {
	switch {
	case a.aliases == nil:
	case a.aliasesAt != a.txBase || aliasEvents != a.aliasAdds:
		a.aliases = nil
	default:
		a.aliasesAt = head
	}
}
