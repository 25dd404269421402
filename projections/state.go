package projections

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/sources"
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

	// Where Apply allocates claims and their strings (newClaim, keep).
	// A State is used through its pointer: a copy would share them.
	slab  []Claim
	arena *strings.Builder
	// verdictsOn indexes Verdicts by conflict (positions), for the first
	// verdictsN of them; rebuilt when a state was made otherwise.
	verdictsOn map[string][]int
	verdictsN  int
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
	// Reanchored is the revision of the latest source.edited event that
	// changed the publication date (0: none). The claims of the source
	// recorded before it whose dates were resolved against the publication
	// date have been resolved again against the corrected one, and need a
	// look (NeedsLook).
	Reanchored events.Revision `json:"reanchored,omitempty"`
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
	RejectedBy ConflictID      `json:"rejected_by,omitempty"`
	RejectedAt events.Revision `json:"rejected_at,omitempty"`

	// The value parsed, once, when the claim was folded into the state
	// (or a checkpoint decoded): the checks compare these, never the
	// written strings again. See Date, Quantity and ValueProblem.
	date     events.Date
	bad      bool             // the date or quantity does not parse
	quantity *events.Quantity // a pointer: most claims have none
}

// Standing reports whether the claim takes part in the view and checks.
func (c *Claim) Standing() bool { return !c.Retracted && c.RejectedBy == "" }

// Date returns the parsed date of a date claim that gives a date (not a
// relation); ok is false for any other claim, and for one whose date does
// not parse (see ValueProblem).
func (c *Claim) Date() (d events.Date, ok bool) { return c.date, !c.date.IsZero() }

// Quantity returns the parsed quantity of a quantity claim; ok is false
// for any other claim, and for one whose quantity does not parse (see
// ValueProblem).
func (c *Claim) Quantity() (q events.Quantity, ok bool) {
	if c.quantity == nil {
		return events.Quantity{}, false
	}
	return *c.quantity, true
}

// ValueProblem says why the claim's date or quantity does not parse
// under today's parser ("" when it parses, or the value is of another
// kind), in words that follow the claim's id. The log holds only values
// that parsed when they were recorded, so a problem means the parser
// changed since, or the log was altered: the value is kept as written, the
// checks treat it as equal only to the same string (the view shows it as
// written, and it does not take part in the temporal check), and
// State.ValueProblems lists it for verification to report (sillok verify
// --replay). It is never an error of the fold: refusing to read an archive
// because of one value would hide every other fact.
func (c *Claim) ValueProblem() string {
	if !c.bad {
		return ""
	}
	// Parsed again for the message: this is rare, and the claim need
	// not carry it.
	if c.Value.Kind == events.KindDate {
		_, err := events.ParseDate(c.Value.Date)
		return fmt.Sprintf("its date %q does not parse: %v", c.Value.Date, err)
	}
	_, err := events.ParseQuantity(c.Value.Quantity)
	return fmt.Sprintf("its quantity %q does not parse: %v", c.Value.Quantity, err)
}

// parseValue sets the parsed value of c from its written form: once, when
// the claim enters a state or its value changes.
func (c *Claim) parseValue() {
	c.date, c.quantity, c.bad = events.Date{}, nil, false
	v := &c.Value
	if v.Relation != nil {
		return
	}
	switch v.Kind {
	case events.KindDate:
		d, err := events.ParseDate(v.Date)
		if c.bad = err != nil; !c.bad {
			c.date = d
		}
	case events.KindQuantity:
		q, err := events.ParseQuantity(v.Quantity)
		if c.bad = err != nil; !c.bad {
			c.quantity = &q
		}
	}
}

// ValueProblems lists the claims, in revision order, whose date or
// quantity does not parse under today's parser (Claim.ValueProblem).
func (s *State) ValueProblems() []*Claim {
	var out []*Claim
	for _, c := range s.Claims {
		if c.bad {
			out = append(out, c)
		}
	}
	sortByRev(out)
	return out
}

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
		return revisionError(e.Revision, s.Rev)
	}
	p, err := e.Decode()
	if err != nil {
		return err
	}
	var sketch *Sketch
	if src, ok := p.(*events.SourceArchived); ok && text != nil {
		t, err := text(src)
		if err != nil {
			return textError(e.Revision, src.ID, err)
		}
		sk := SketchText(t)
		sketch = &sk
	}
	s.apply(e, p, sketch)
	return nil
}

func revisionError(rev, at events.Revision) error {
	return fmt.Errorf("projections: apply revision %d to a state at revision %d", rev, at)
}

func textError(rev events.Revision, src events.SourceID, err error) error {
	return fmt.Errorf("projections: revision %d: text of source %s: %w", rev, src, err)
}

// apply folds event e, at revision s.Rev+1, whose payload is p; sketch is
// the sketch of a source's text (nil: no text function, the zero sketch).
// It is Apply after the decoding and sketching, which the pipelined replay
// (fold.go) does on other goroutines.
func (s *State) apply(e events.Event, p events.Payload, sketch *Sketch) {
	switch p := p.(type) {
	case *events.PredicateDefined:
		if _, ok := s.Predicates[p.Name]; !ok {
			s.Predicates[p.Name] = &Predicate{Name: p.Name, Kind: p.Kind, Many: p.Many, Rev: e.Revision}
		}
	case *events.SourceArchived:
		// Copied into the arena too: the payload's strings share one
		// string of the whole payload, which would stay alive with them.
		src := &Source{ID: events.SourceID(s.keep(string(p.ID))), Rev: e.Revision, Title: s.keep(p.Title),
			Publisher: s.keep(p.Publisher), Lang: s.keep(p.Lang), Published: s.keep(p.Published),
			TranslationOf: events.SourceID(s.keep(string(p.TranslationOf))), Translator: s.keep(p.Translator)}
		if sketch != nil {
			src.Sketch = *sketch
		}
		s.Sources[src.ID] = src // the arena's copy of the id, not the payload's
	case *events.SourceEdited:
		if src, ok := s.Sources[p.ID]; ok {
			s.editSource(src, p, e.Revision)
		}
	case *events.ClaimAsserted:
		// The claim's strings are copied together into the state's
		// arena, and those the state already holds are shared: every
		// claim of a source names it, and of a predicate too.
		c := s.newClaim()
		v := p.Value
		v.Kind = internKind(v.Kind)
		v.Written, v.Date, v.Anchor = s.keep(v.Written), s.keep(v.Date), s.keep(v.Anchor)
		v.Quantity, v.Entity, v.Text = s.keep(v.Quantity), s.keep(v.Entity), s.keep(v.Text)
		v.Rule = "" // how a date was read stays in the log; the read model does not keep it
		*c = Claim{ID: events.ClaimID(s.keep(string(p.ID))), Source: p.Source, Subject: s.keep(p.Subject), As: s.keep(p.As),
			Predicate: p.Predicate, Value: v, Quote: s.keep(p.Quote.Quote.Exact), Note: s.keep(p.Note), Rev: e.Revision}
		if src, ok := s.Sources[c.Source]; ok {
			c.Source = src.ID
		}
		if pr, ok := s.Predicates[c.Predicate]; ok {
			c.Predicate = pr.Name
		}
		c.parseValue()
		s.Claims[c.ID] = c
	case *events.ClaimRetracted:
		if c, ok := s.Claims[p.Claim]; ok {
			c.Retracted, c.RetractReason = true, p.Reason
		}
	case *events.AliasDeclared:
		s.Aliases = append(s.Aliases, Alias{AliasDeclared: *p, Rev: e.Revision, Author: e.Author})
	case *events.VerdictRecorded:
		v := Verdict{VerdictRecorded: *p, Rev: e.Revision, Author: e.Author, At: e.RecordedAt}
		// A new verdict on a conflict replaces the earlier ones whole:
		// the claims they accepted or rejected are settled again by the
		// verdicts that still stand.
		var replaced []events.ClaimID
		for _, i := range s.verdictsOnConflict(p.Conflict) {
			replaced = append(replaced, verdictClaims(&s.Verdicts[i].VerdictRecorded)...)
		}
		s.Verdicts = append(s.Verdicts, v)
		s.verdictsOn[p.Conflict] = append(s.verdictsOn[p.Conflict], len(s.Verdicts)-1)
		s.verdictsN = len(s.Verdicts)
		if len(replaced) > 0 {
			s.resettle(append(replaced, verdictClaims(p)...))
			break
		}
		settle(s.Claims, p, e.Revision)
	}
	s.Rev = e.Revision
}

// verdictsOnConflict returns the positions in Verdicts of the verdicts on
// a conflict, from the index (built first if it is not up to date).
func (s *State) verdictsOnConflict(conflict string) []int {
	if s.verdictsOn == nil || s.verdictsN != len(s.Verdicts) {
		s.verdictsOn = make(map[string][]int, len(s.Verdicts))
		for i := range s.Verdicts {
			c := s.Verdicts[i].Conflict
			s.verdictsOn[c] = append(s.verdictsOn[c], i)
		}
		s.verdictsN = len(s.Verdicts)
	}
	return s.verdictsOn[conflict]
}

// verdictClaims lists the claims a verdict accepts or rejects.
func verdictClaims(p *events.VerdictRecorded) []events.ClaimID {
	out := append([]events.ClaimID(nil), p.Rejected...)
	if p.Decision == events.DecisionAccept && p.Claim != "" {
		out = append(out, p.Claim)
	}
	return out
}

// settle applies one verdict, recorded at rev, to the claims: the claim
// it accepts stands, the claims it rejects stand rejected by its conflict.
func settle(claims map[events.ClaimID]*Claim, p *events.VerdictRecorded, rev events.Revision) {
	if p.Decision == events.DecisionAccept {
		if c, ok := claims[p.Claim]; ok {
			c.RejectedBy, c.RejectedAt = "", 0
		}
	}
	for _, id := range p.Rejected {
		if c, ok := claims[id]; ok {
			c.RejectedBy, c.RejectedAt = ConflictID(p.Conflict), rev
		}
	}
}

// resettle recomputes whether the given claims stand rejected, from the
// latest verdict on each conflict applied in revision order: what
// applying only the verdicts that were not replaced would have given.
func (s *State) resettle(ids []events.ClaimID) {
	affected := make(map[events.ClaimID]*Claim, len(ids))
	for _, id := range ids {
		if c, ok := s.Claims[id]; ok {
			c.RejectedBy, c.RejectedAt = "", 0
			affected[id] = c
		}
	}
	latest := map[string]int{}
	for i := range s.Verdicts {
		latest[s.Verdicts[i].Conflict] = i
	}
	for i := range s.Verdicts {
		if v := &s.Verdicts[i]; latest[v.Conflict] == i {
			settle(affected, &v.VerdictRecorded, v.Rev)
		}
	}
}

// editSource applies a correction of a source's metadata. When the
// publication date changes, the dates of the source's claims that were
// resolved against it are resolved again against the new one (the claim
// events keep what was resolved when they were recorded).
func (s *State) editSource(src *Source, p *events.SourceEdited, rev events.Revision) {
	meta := events.SourceArchived{ID: src.ID, Title: src.Title, Publisher: src.Publisher, Lang: src.Lang,
		Published: src.Published, TranslationOf: src.TranslationOf, Translator: src.Translator}
	p.ApplyTo(&meta)
	src.Title, src.Publisher, src.Lang = meta.Title, meta.Publisher, meta.Lang
	src.TranslationOf, src.Translator = meta.TranslationOf, meta.Translator
	if meta.Published == src.Published {
		return
	}
	src.Published, src.Reanchored = meta.Published, rev
	anchor, ok := sources.PublicationAnchor(&meta) // as the claims were resolved when recorded
	for _, c := range s.Claims {
		v := &c.Value
		if c.Source != src.ID || v.Anchor == "" || v.Kind != events.KindDate || v.Relation != nil {
			continue
		}
		written := v.Written
		if written == "" {
			written = v.Date
		}
		res, err := events.ResolveDateIn(written, c.Quote, anchor, ok)
		if err != nil {
			continue // no publication date now: the claim keeps its date, and needs a look
		}
		v.Date, v.Anchor = s.keep(res.Date.String()), s.keep(res.Anchor)
		if v.Written == "" && written != v.Date {
			v.Written = s.keep(written)
		}
		c.parseValue()
	}
}

// NeedsLook returns the claims of a source, in revision order, whose
// dates were resolved against a publication date that a later correction
// changed: they are resolved against the corrected date now, and a
// reader should check that the words still mean that date.
func (s *State) NeedsLook(id events.SourceID) []*Claim {
	src, ok := s.Sources[id]
	if !ok || src.Reanchored == 0 {
		return nil
	}
	var out []*Claim
	for _, c := range s.Claims {
		if c.Source == id && c.Rev < src.Reanchored && c.Value.Anchor != "" && c.Value.Relation == nil {
			out = append(out, c)
		}
	}
	sortByRev(out)
	return out
}

// sortByRev sorts claims in revision order.
func sortByRev(out []*Claim) {
	sort.Slice(out, func(i, j int) bool {
		if out[i].Rev != out[j].Rev {
			return out[i].Rev < out[j].Rev
		}
		return out[i].ID < out[j].ID
	})
}

// arenaChunk is the size of the blocks keep copies strings into.
const arenaChunk = 64 << 10

// keep returns a copy of x in the state's string arena: the strings of
// many claims in one allocation, without the rounding up of each to a size
// class, and far fewer objects for the collector. Nothing in a state
// changes a string, so strings that share a block stay valid; a block is
// garbage only with every string in it.
func (s *State) keep(x string) string {
	if x == "" {
		return ""
	}
	if len(x) > arenaChunk/4 {
		return strings.Clone(x)
	}
	if s.arena == nil || s.arena.Cap()-s.arena.Len() < len(x) {
		s.arena = new(strings.Builder)
		s.arena.Grow(arenaChunk)
	}
	n := s.arena.Len()
	s.arena.WriteString(x)
	return s.arena.String()[n:]
}

// claimSlab is how many claims newClaim allocates at once.
const claimSlab = 256

// newClaim returns a new zero claim, allocated with others in a slab:
// fewer, larger objects for the allocator and the collector. Claims are
// never removed from a state, so a slab is garbage only with it.
func (s *State) newClaim() *Claim {
	if len(s.slab) == 0 {
		s.slab = make([]Claim, claimSlab)
	}
	c := &s.slab[0]
	s.slab = s.slab[1:]
	return c
}

// internKind returns the constant for a known value kind, so that claims
// share it.
func internKind(k events.ValueKind) events.ValueKind {
	switch k {
	case events.KindDate:
		return events.KindDate
	case events.KindQuantity:
		return events.KindQuantity
	case events.KindEntity:
		return events.KindEntity
	case events.KindText:
		return events.KindText
	}
	return k
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
