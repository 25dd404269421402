package projections

import (
	"sort"
	"strings"

	"github.com/sillok/sillok/events"
)

// ChangeOp is what happened to a fact or a conflict between two revisions.
type ChangeOp string

// Diff operations.
const (
	OpAdded    ChangeOp = "added"
	OpRemoved           = "removed"
	OpChanged           = "changed"
	OpOpened            = "opened"
	OpResolved          = "resolved"
	OpReopened          = "reopened"
	// OpReviewed is a conflict that stayed resolved while a new verdict
	// replaced its verdict.
	OpReviewed = "reviewed"
)

// Changes is what changed in the view and the conflicts between two
// revisions.
type Changes struct {
	From      events.Revision  `json:"from"`
	To        events.Revision  `json:"to"`
	Facts     []FactChange     `json:"facts"`
	Conflicts []ConflictChange `json:"conflicts"`
}

// FactChange is a fact added, removed or changed.
type FactChange struct {
	Op           ChangeOp   `json:"op"`
	Subject      string     `json:"subject"`
	Predicate    string     `json:"predicate"`
	Before       *string    `json:"before"`
	After        *string    `json:"after"`
	BeforeStatus FactStatus `json:"before_status,omitempty"`
	AfterStatus  FactStatus `json:"after_status,omitempty"`
	// Text is set when the predicate's values are text, so a character
	// diff of Before and After means something.
	Text bool `json:"-"`
}

// ConflictChange is a conflict opened, resolved, reopened or reviewed
// again.
type ConflictChange struct {
	Op        ChangeOp     `json:"op"`
	ID        ConflictID   `json:"id"`
	Kind      ConflictKind `json:"kind"`
	Subject   string       `json:"subject"`
	Predicate string       `json:"predicate"`
	Summary   string       `json:"summary"`
}

// factID identifies a fact across revisions: entity, predicate, and for
// facts that are one of several (many-valued predicates, relations) the
// value.
func factID(e *Entity, f *Fact, many bool) string {
	id := e.Name + "\x00" + f.Predicate
	if (many || f.Relation) && f.Value != nil {
		id += "\x00" + *f.Value
	}
	if f.Relation {
		id += "\x00rel"
	}
	return id
}

type factAt struct {
	e *Entity
	f *Fact
}

func (a *Analysis) factMap() (map[string]factAt, []string) {
	m := map[string]factAt{}
	var order []string
	for _, e := range a.Entities {
		for _, f := range e.Facts {
			p := a.State.Predicates[f.Predicate]
			id := factID(e, f, p != nil && p.Many)
			if _, ok := m[id]; !ok {
				order = append(order, id)
			}
			m[id] = factAt{e, f}
		}
	}
	return m, order
}

// Diff compares the analyses of two revisions.
func Diff(from, to *Analysis) *Changes {
	ch := &Changes{From: from.Rev, To: to.Rev, Facts: []FactChange{}, Conflicts: []ConflictChange{}}
	fm, forder := from.factMap()
	tm, torder := to.factMap()
	isText := func(pred string) bool {
		p := to.State.Predicates[pred]
		return p != nil && p.Kind == events.KindText
	}
	for _, id := range forder {
		x := fm[id]
		y, ok := tm[id]
		if !ok {
			ch.Facts = append(ch.Facts, FactChange{Op: OpRemoved, Subject: x.e.Name, Predicate: x.f.Predicate,
				Before: shown(x.f), BeforeStatus: x.f.Status, Text: isText(x.f.Predicate)})
			continue
		}
		if !sameStr(shown(x.f), shown(y.f)) || x.f.Status != y.f.Status {
			ch.Facts = append(ch.Facts, FactChange{Op: OpChanged, Subject: y.e.Name, Predicate: y.f.Predicate,
				Before: shown(x.f), After: shown(y.f), BeforeStatus: x.f.Status, AfterStatus: y.f.Status, Text: isText(y.f.Predicate)})
		}
	}
	for _, id := range torder {
		if _, ok := fm[id]; ok {
			continue
		}
		y := tm[id]
		ch.Facts = append(ch.Facts, FactChange{Op: OpAdded, Subject: y.e.Name, Predicate: y.f.Predicate,
			After: shown(y.f), AfterStatus: y.f.Status, Text: isText(y.f.Predicate)})
	}
	sort.SliceStable(ch.Facts, func(i, j int) bool {
		if ch.Facts[i].Subject != ch.Facts[j].Subject {
			return ch.Facts[i].Subject < ch.Facts[j].Subject
		}
		return ch.Facts[i].Predicate < ch.Facts[j].Predicate
	})
	for _, c := range to.Conflicts {
		old := from.conflicts[c.ID]
		var op ChangeOp
		switch {
		case old == nil && c.Status == ConflictOpen:
			op = OpOpened
		case old == nil:
			op = OpResolved
		case old.Status == ConflictOpen && c.Status == ConflictResolved:
			op = OpResolved
		case old.Status == ConflictResolved && c.Status == ConflictOpen:
			op = OpReopened
		case old.Status == ConflictResolved && c.Status == ConflictResolved &&
			old.Verdict != nil && c.Verdict != nil && old.Verdict.Rev != c.Verdict.Rev:
			op = OpReviewed
		}
		if op != "" {
			ch.Conflicts = append(ch.Conflicts, ConflictChange{op, c.ID, c.Kind, c.Subject, c.Predicate, c.Summary})
		}
	}
	for _, c := range from.Conflicts {
		if to.conflicts[c.ID] == nil && c.Status == ConflictOpen {
			// Gone: a claim it rested on was retracted or rejected.
			ch.Conflicts = append(ch.Conflicts, ConflictChange{OpResolved, c.ID, c.Kind, c.Subject, c.Predicate, c.Summary})
		}
	}
	return ch
}

// shown is a fact's value as a diff shows it: the value, or the competing
// values while in conflict.
func shown(f *Fact) *string {
	if f.Value != nil {
		return f.Value
	}
	if len(f.Values) > 0 {
		s := strings.Join(f.Values, " | ")
		return &s
	}
	return nil
}

func sameStr(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
