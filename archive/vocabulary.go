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
		if err := (&aliasChecker{tx: tx}).check(p); err != nil {
			return err
		}
		var err error
		w.Created, err = provenance.NewRecorder(tx, author).DeclareAlias(p)
		w.Revision, _ = tx.Head()
		return err
	})
	if err != nil {
		return Written{}, err
	}
	return w, nil
}

// aliasChecker refuses alias declarations that would leave an entity
// without a canonical name (projections.AliasGraph), against the
// declarations in the archive and those made through it.
type aliasChecker struct {
	tx *events.Tx
	g  *projections.AliasGraph // read on first use
}

// check reports why p cannot be declared; a declaration already in the
// archive is let through (recording it again is a no-op). A refusal is
// Invalid.
func (ac *aliasChecker) check(p events.AliasDeclared) error {
	if _, ok := ac.tx.Lookup(events.IndexAlias, events.AliasKey(&p)); ok {
		return nil
	}
	if ac.g == nil {
		g := projections.NewAliasGraph()
		err := ac.tx.IndexKeys(events.IndexAlias, func(key string, _ events.Revision) error {
			if f := strings.SplitN(key, "\x00", 3); len(f) == 3 {
				g.Add(events.AliasDeclared{Name: f[0], Entity: f[1], Kind: events.AliasKind(f[2])})
			}
			return nil
		})
		if err != nil {
			return err
		}
		ac.g = g
	}
	if err := ac.g.Check(p); err != nil {
		return &Error{Code: Invalid, Err: err}
	}
	return nil
}

// declared adds a declaration just recorded.
func (ac *aliasChecker) declared(p events.AliasDeclared) {
	if ac.g != nil {
		ac.g.Add(p)
	}
}
