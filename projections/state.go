package projections

import (
	"fmt"
	"sort"
	"time"

	"github.com/sillok/sillok/events"
)

// State is the fold of the log up to a revision: the base facts every
// view is computed from. It is what checkpoints store. Apply is pure: it
// changes only the State, so a state built incrementally and one built by
// replaying from revision 1 are equal.
type State struct {
	Rev        events.Revision             `json:"rev"`
	Predicates map[string]*Predicate       `json:"predicates"`
	Sources    map[events.SourceID]*Source `json:"sources"`
	Claims     map[events.ClaimID]*Claim   `json:"claims"`
	Aliases    []Alias                     `json:"aliases"`
	Verdicts   []Verdict                   `json:"verdicts"`
}

// Predicate is a vocabulary entry.
type Predicate struct {
	Name string           `json:"name"`
	Kind events.ValueKind `json:"kind"`
	Many bool             `json:"many,omitempty"`
	Rev  events.Revision  `json:"rev"`
}

// Source is what the projections keep of an archived source.
type Source struct {
	ID            events.SourceID `json:"id"`
	Rev           events.Revision `json:"rev"`
	Title         string          `json:"title,omitempty"`
	Publisher     string          `json:"publisher,omitempty"`
	Lang          string          `json:"lang,omitempty"`
	Published     string          `json:"published,omitempty"`
	TranslationOf events.SourceID `json:"translation_of,omitempty"`
	Translator    string          `json:"translator,omitempty"`
	// Sketch is the MinHash of the source's word shingles, for finding
	// copies.
	Sketch Sketch `json:"sketch"`
}

// Claim is what the projections keep of a claim, with what later events
// said of it. The quote's anchor stays in the log (the claim index finds
// it); the state keeps only the exact words, so checkpoints stay small.
type Claim struct {
	ID        events.ClaimID  `json:"id"`
	Source    events.SourceID `json:"source"`
	Subject   string          `json:"subject"`
	As        string          `json:"as,omitempty"`
	Predicate string          `json:"predicate"`
	Value     events.Value    `json:"value"`
	Quote     string          `json:"quote"`
	Note      string          `json:"note,omitempty"`
	Rev       events.Revision `json:"rev"`
	// Retracted is set by a claim.retracted event.
	Retracted     bool   `json:"retracted,omitempty"`
	RetractReason string `json:"retract_reason,omitempty"`
	// RejectedBy is the conflict whose verdict rejected the claim; a
	// rejected claim takes no part in checks.
	RejectedBy string          `json:"rejected_by,omitempty"`
	RejectedAt events.Revision `json:"rejected_at,omitempty"`
}

// Standing reports whether the claim takes part in the view and checks.
func (c *Claim) Standing() bool { return !c.Retracted && c.RejectedBy == "" }

// Alias is a declared alias, a distinct declaration, or a claim's "as".
type Alias struct {
	events.AliasDeclared
	Rev    events.Revision `json:"rev"`
	Author string          `json:"author"`
}

// Verdict is a recorded review verdict.
type Verdict struct {
	events.VerdictRecorded
	Rev    events.Revision `json:"rev"`
	Author string          `json:"author"`
	At     time.Time       `json:"at"`
}

// NewState returns the state of an empty archive.
func NewState() *State {
	return &State{
		Predicates: map[string]*Predicate{},
		Sources:    map[events.SourceID]*Source{},
		Claims:     map[events.ClaimID]*Claim{},
	}
}

// TextFunc returns the normalized text of an archived source.
type TextFunc func(*events.SourceArchived) (string, error)

// Apply folds one event into the state. Events must come in revision
// order, each exactly once.
func (s *State) Apply(e events.Event, text TextFunc) error {
	if e.Revision != s.Rev+1 {
		return fmt.Errorf("projections: apply revision %d to a state at revision %d", e.Revision, s.Rev)
	}
	p, err := e.Decode()
	if err != nil {
		return err
	}
	switch p := p.(type) {
	case *events.PredicateDefined:
		if _, ok := s.Predicates[p.Name]; !ok {
			s.Predicates[p.Name] = &Predicate{Name: p.Name, Kind: p.Kind, Many: p.Many, Rev: e.Revision}
		}
	case *events.SourceArchived:
		src := &Source{ID: p.ID, Rev: e.Revision, Title: p.Title, Publisher: p.Publisher, Lang: p.Lang,
			Published: p.Published, TranslationOf: p.TranslationOf, Translator: p.Translator}
		if text != nil {
			t, err := text(p)
			if err != nil {
				return fmt.Errorf("projections: revision %d: text of source %s: %w", e.Revision, p.ID, err)
			}
			src.Sketch = SketchText(t)
		}
		s.Sources[p.ID] = src
	case *events.ClaimAsserted:
		s.Claims[p.ID] = &Claim{ID: p.ID, Source: p.Source, Subject: p.Subject, As: p.As, Predicate: p.Predicate,
			Value: p.Value, Quote: p.Quote.Quote.Exact, Note: p.Note, Rev: e.Revision}
	case *events.ClaimRetracted:
		if c, ok := s.Claims[p.Claim]; ok {
			c.Retracted, c.RetractReason = true, p.Reason
		}
	case *events.AliasDeclared:
		s.Aliases = append(s.Aliases, Alias{AliasDeclared: *p, Rev: e.Revision, Author: e.Author})
	case *events.VerdictRecorded:
		v := Verdict{VerdictRecorded: *p, Rev: e.Revision, Author: e.Author, At: e.RecordedAt}
		s.Verdicts = append(s.Verdicts, v)
		switch p.Decision {
		case events.DecisionAccept:
			if c, ok := s.Claims[p.Claim]; ok {
				c.RejectedBy, c.RejectedAt = "", 0
			}
		}
		for _, id := range p.Rejected {
			if c, ok := s.Claims[id]; ok {
				c.RejectedBy, c.RejectedAt = p.Conflict, e.Revision
			}
		}
	}
	s.Rev = e.Revision
	return nil
}

// ClaimsCiting counts, for every source, the claims (retracted ones
// included) that cite it.
func (s *State) ClaimsCiting() map[events.SourceID]int {
	n := map[events.SourceID]int{}
	for _, c := range s.Claims {
		n[c.Source]++
	}
	return n
}

// SortedClaims returns the claims in revision order.
func (s *State) SortedClaims() []*Claim {
	out := make([]*Claim, 0, len(s.Claims))
	for _, c := range s.Claims {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Rev != out[j].Rev {
			return out[i].Rev < out[j].Rev
		}
		return out[i].ID < out[j].ID
	})
	return out
}
