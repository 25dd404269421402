package provenance

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/cases"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/sources"
)

// Errors of recording claims.
var (
	// ErrUnknownPredicate reports a predicate that is not in the vocabulary.
	ErrUnknownPredicate = errors.New("undefined predicate")
	// ErrNoVocabulary comes with ErrUnknownPredicate when the archive
	// defines no predicate at all.
	ErrNoVocabulary = errors.New("the vocabulary is empty")
	// ErrPredicateKind reports a predicate redefined with another kind.
	ErrPredicateKind = errors.New("predicate already defined with another kind")
	// ErrClaimChanged reports a claim id reused for different content.
	ErrClaimChanged = errors.New("claim id already used for a different claim")
	// ErrUnknownClaim reports a claim id that is not in the archive.
	ErrUnknownClaim = errors.New("unknown claim")
	// ErrWrongKind reports a value that does not fit its predicate's kind.
	ErrWrongKind = errors.New("value does not fit the predicate's kind")
	// ErrSelfRelation reports a relation claim whose related fact is the
	// claim's own subject and predicate.
	ErrSelfRelation = errors.New("a claim cannot relate a fact to itself")
)

// Recorder validates claims, predicates and aliases against an archive
// and appends them, inside one write transaction: the caller's. Nothing
// is appended for an input that fails; the caller decides whether one
// failure rolls back the whole transaction (an import does).
type Recorder struct {
	tx         *events.Tx
	author     string
	base       events.Revision // the head when the Recorder was made: later revisions are not committed yet
	sources    map[events.SourceID]*sourceCtx
	predicates map[string]*events.PredicateDefined
}

type sourceCtx struct {
	src       *events.SourceArchived
	text      string
	textErr   error
	textDone  bool
	anchor    time.Time
	hasAnchor bool
}

// NewRecorder returns a Recorder appending to tx as author.
func NewRecorder(tx *events.Tx, author string) *Recorder {
	base, _ := tx.Head()
	return &Recorder{tx: tx, author: author, base: base, sources: map[events.SourceID]*sourceCtx{},
		predicates: map[string]*events.PredicateDefined{}}
}

// ClaimInput is a claim as an archivist writes it.
type ClaimInput struct {
	ID        string // "" derives one from the content
	Source    string
	Subject   string
	As        string
	Predicate string
	// Value is the value as written; Relation replaces it for a date
	// that relates to another fact.
	Value    string
	Relation *events.Relation
	Quote    string
	// Prefix and Suffix select one occurrence of a quote that occurs
	// more than once.
	Prefix, Suffix string
	Note           string
	// Anchored, if not nil, is the anchor of Quote (with Prefix and
	// Suffix) that Anchor made ahead of the transaction, in the text of
	// the source's bytes. Assert takes it instead of anchoring again when
	// its digest and normalization are the source's and this program's,
	// since the anchor depends on nothing else; otherwise it anchors.
	Anchored *events.Anchor
	// Resolved, if not nil, is Value resolved ahead of the transaction
	// (ResolveAhead). Assert takes it when it was resolved for the kind
	// of the predicate and the publication date of the source that the
	// transaction has, since the value depends on nothing else; otherwise
	// it resolves Value again.
	Resolved *Resolved
}

// Resolved is a claim's value resolved ahead of the transaction, with
// what it was resolved for.
type Resolved struct {
	Kind      events.ValueKind // the predicate's kind
	Published string           // the source's publication date, as recorded: the anchor of relative dates
	Quote     string           // the claim's quote, read for its tense
	Value     events.Value
	Warnings  []string // why the date should be checked (events.ResolveDateIn)
}

// ResolveAhead resolves a value as written (not a relation) as Assert
// would for a predicate of the given kind in a source published at
// published (events.SourceArchived.Published). It reports false when the
// value does not resolve: Assert then reports why.
func ResolveAhead(kind events.ValueKind, written, quote, published string) (*Resolved, bool) {
	anchor, hasAnchor := sources.PublicationAnchor(&events.SourceArchived{Published: published})
	v, warnings, err := resolveScalar(kind, strings.TrimSpace(written), quote, anchor, hasAnchor)
	if err != nil {
		return nil, false
	}
	return &Resolved{Kind: kind, Published: published, Quote: quote, Value: v, Warnings: warnings}, true
}

// Recorded is the outcome of one claim.
type Recorded struct {
	Claim    *events.ClaimAsserted
	Revision events.Revision
	Created  bool // false when the same claim was already recorded
	// Warnings say why its date should be checked (see
	// events.ResolveDateIn): it was resolved far from the publication
	// date, or passed over a month without the day.
	Warnings []string
}

// DefinePredicate adds a predicate to the vocabulary. The same definition
// again is a no-op; another kind or cardinality is an error.
func (r *Recorder) DefinePredicate(p events.PredicateDefined) (created bool, err error) {
	if err := p.Validate(); err != nil {
		return false, err
	}
	if old, ok, err := r.Predicate(p.Name); err != nil {
		return false, err
	} else if ok {
		if old.Kind != p.Kind || old.Many != p.Many {
			return false, fmt.Errorf("predicate %q: %w (%s)", p.Name, ErrPredicateKind, describePredicate(old))
		}
		return false, nil
	}
	_, err = r.tx.Append(r.author, &p)
	return err == nil, err
}

func describePredicate(p *events.PredicateDefined) string {
	if p.Many {
		return string(p.Kind) + ", many values"
	}
	return string(p.Kind) + ", one value"
}

// Predicate looks a predicate up in the vocabulary.
func (r *Recorder) Predicate(name string) (*events.PredicateDefined, bool, error) {
	if p, ok := r.predicates[name]; ok {
		return p, true, nil
	}
	rev, ok := r.tx.Lookup(events.IndexPredicate, name)
	if !ok {
		return nil, false, nil
	}
	p, err := decodeAt[*events.PredicateDefined](r.tx, rev)
	if err != nil {
		return nil, false, err
	}
	r.predicates[name] = p
	return p, true, nil
}

// Predicates lists the vocabulary's names.
func (r *Recorder) Predicates() []string {
	var names []string
	r.tx.IndexKeys(events.IndexPredicate, func(k string, _ events.Revision) error {
		names = append(names, k)
		return nil
	})
	sort.Strings(names)
	return names
}

// DeclareAlias records an alias or a distinct declaration. The same
// declaration again is a no-op.
func (r *Recorder) DeclareAlias(p events.AliasDeclared) (created bool, err error) {
	if err := p.Validate(); err != nil {
		return false, err
	}
	if _, ok := r.tx.Lookup(events.IndexAlias, events.AliasKey(&p)); ok {
		return false, nil
	}
	_, err = r.tx.Append(r.author, &p)
	return err == nil, err
}

// Assert validates one claim, resolves its value, anchors its quote in
// its source and appends it. The same id with the same content is a
// no-op; with other content, ErrClaimChanged.
func (r *Recorder) Assert(in ClaimInput) (Recorded, error) {
	sc, err := r.source(events.SourceID(in.Source))
	if err != nil {
		return Recorded{}, err
	}
	pred, ok, err := r.Predicate(in.Predicate)
	if err != nil {
		return Recorded{}, err
	}
	if !ok {
		return Recorded{}, r.unknownPredicate(in.Predicate)
	}
	val, warnings, err := r.value(pred, sc, in)
	if err != nil {
		return Recorded{}, err
	}
	anchor, err := r.anchor(sc, in)
	if err != nil {
		return Recorded{}, err
	}
	c := &events.ClaimAsserted{
		ID: events.ClaimID(in.ID), Source: sc.src.ID, Subject: in.Subject, As: in.As,
		Predicate: in.Predicate, Value: val, Quote: anchor, Note: in.Note,
	}
	if c.As == c.Subject {
		c.As = ""
	}
	if c.ID == "" {
		c.ID = DeriveClaimID(c)
	}
	if err := c.Validate(); err != nil {
		return Recorded{}, err
	}
	earlier := earlierReading(c, in.ID == "", sc)
	if earlier != nil && earlier.ID != c.ID {
		// Recorded under the earlier rules with the id derived from that
		// date: the same claim, imported again.
		if rev, ok := r.tx.Lookup(events.IndexClaim, string(earlier.ID)); ok {
			old, err := decodeAt[*events.ClaimAsserted](r.tx, rev)
			if err != nil {
				return Recorded{}, err
			}
			if sameClaim(old, earlier) {
				return Recorded{Claim: old, Revision: rev}, nil
			}
		}
	}
	if rev, ok := r.tx.Lookup(events.IndexClaim, string(c.ID)); ok {
		old, err := decodeAt[*events.ClaimAsserted](r.tx, rev)
		if err != nil {
			return Recorded{}, err
		}
		if earlier != nil && earlier.ID == c.ID && sameClaim(old, earlier) {
			return Recorded{Claim: old, Revision: rev}, nil
		}
		if !sameClaim(old, c) {
			if rev > r.base {
				// Recorded earlier in this transaction: that revision is
				// not written unless the transaction commits, so it is not
				// named.
				return Recorded{}, fmt.Errorf("%w: an earlier claim recorded with it in this same transaction is %s / %s = %s from source %s; give one of them another id",
					ErrClaimChanged, old.Subject, old.Predicate, old.Value, old.Source)
			}
			return Recorded{}, fmt.Errorf("%w: revision %d recorded it as %s / %s = %s from source %s; give this claim another id",
				ErrClaimChanged, rev, old.Subject, old.Predicate, old.Value, old.Source)
		}
		return Recorded{Claim: old, Revision: rev, Warnings: warnings}, nil
	}
	e, err := r.tx.Append(r.author, c)
	if err != nil {
		return Recorded{}, err
	}
	return Recorded{Claim: c, Revision: e.Revision, Created: true, Warnings: warnings}, nil
}

// anchor anchors a claim's quote in its source, or takes the anchor made
// ahead (in.Anchored) if it is one of the source as the transaction has it.
func (r *Recorder) anchor(sc *sourceCtx, in ClaimInput) (events.Anchor, error) {
	if a := in.Anchored; a != nil && a.Digest == sc.src.Digest && a.Normalization == sources.NormalizationVersion && a.Quote.Exact != "" {
		return *a, nil
	}
	text, err := sc.Text(r.tx)
	if err != nil {
		return events.Anchor{}, err
	}
	return Anchor(sc.src.Digest, text, in.Quote, Context{Prefix: in.Prefix, Suffix: in.Suffix})
}

// Retract withdraws a claim.
func (r *Recorder) Retract(id events.ClaimID, reason string) (events.Event, error) {
	if _, ok := r.tx.Lookup(events.IndexClaim, string(id)); !ok {
		return events.Event{}, fmt.Errorf("%w %q", ErrUnknownClaim, id)
	}
	return r.tx.Append(r.author, &events.ClaimRetracted{Claim: id, Reason: reason})
}

func (r *Recorder) unknownPredicate(name string) error {
	known := r.Predicates()
	if len(known) == 0 {
		return fmt.Errorf("%w %q: %w; define the predicates before the claims that use them", ErrUnknownPredicate, name, ErrNoVocabulary)
	}
	return fmt.Errorf("%w %q; known predicates: %s", ErrUnknownPredicate, name, strings.Join(known, ", "))
}

// value parses a claim's value by its predicate's kind.
func (r *Recorder) value(pred *events.PredicateDefined, sc *sourceCtx, in ClaimInput) (events.Value, []string, error) {
	v := events.Value{Kind: pred.Kind}
	if in.Relation != nil {
		if pred.Kind != events.KindDate {
			return v, nil, fmt.Errorf("%w: predicate %q takes a %s, and only dates can be related (after/before/same)", ErrWrongKind, pred.Name, pred.Kind)
		}
		to, ok, err := r.Predicate(in.Relation.To.Predicate)
		if err != nil {
			return v, nil, err
		}
		if !ok {
			return v, nil, fmt.Errorf("relation: %w", r.unknownPredicate(in.Relation.To.Predicate))
		}
		if to.Kind != events.KindDate {
			return v, nil, fmt.Errorf("relation: %w: predicate %q takes a %s, not a date", ErrWrongKind, to.Name, to.Kind)
		}
		if to.Name == pred.Name {
			for _, own := range []string{in.Subject, in.As} {
				if own != "" && sameName(own, in.Relation.To.Subject) {
					return v, nil, fmt.Errorf("%w: %s %s / %s relates %q / %s to itself; name another subject or predicate",
						ErrSelfRelation, in.Relation.Op, in.Relation.To.Subject, in.Relation.To.Predicate, in.Subject, pred.Name)
				}
			}
		}
		rel := *in.Relation
		v.Relation = &rel
		return v, nil, nil
	}
	written := strings.TrimSpace(in.Value)
	if written == "" {
		return v, nil, events.Invalidf("value is empty")
	}
	if res := in.Resolved; res != nil && res.Kind == pred.Kind && res.Published == sc.src.Published && res.Quote == in.Quote && res.Value.Kind == pred.Kind {
		return res.Value, res.Warnings, nil
	}
	v, warnings, err := resolveScalar(pred.Kind, written, in.Quote, sc.anchor, sc.hasAnchor)
	if err != nil {
		switch {
		case pred.Kind == events.KindQuantity:
			return v, nil, fmt.Errorf("%w: predicate %q takes a quantity: %w", ErrWrongKind, pred.Name, err)
		case errors.Is(err, events.ErrNoAnchor):
			return v, nil, fmt.Errorf("%w (source %s has no publication date)", err, sc.src.ID)
		}
		return v, nil, fmt.Errorf("%w: %w", ErrWrongKind, err)
	}
	return v, warnings, nil
}

// resolveScalar resolves a value as written, trimmed and not empty, by
// its predicate's kind: a date against the source's publication anchor
// (the quote read for its tense: "to be held on the 26th"), a quantity,
// an entity or a text. The errors are events'; the warnings say why a
// date should be checked.
func resolveScalar(kind events.ValueKind, written, quote string, anchor time.Time, hasAnchor bool) (events.Value, []string, error) {
	v := events.Value{Kind: kind}
	var warnings []string
	switch kind {
	case events.KindDate:
		res, err := events.ResolveDateIn(written, quote, anchor, hasAnchor)
		if err != nil {
			return v, nil, err
		}
		v.Date, v.Anchor, v.Rule = res.Date.String(), res.Anchor, string(res.Rule)
		if written != v.Date {
			v.Written = written
		}
		warnings = res.Warnings
	case events.KindQuantity:
		q, err := events.ParseQuantity(written)
		if err != nil {
			return v, nil, err
		}
		v.Quantity = q.String()
		if written != v.Quantity {
			v.Written = written
		}
	case events.KindEntity:
		v.Entity = written
	case events.KindText:
		v.Text = written
	}
	return v, warnings, nil
}

// sameName reports whether two names are one name as far as recording
// can tell: equal after normalization (width, compatibility forms, white
// space) and case folding. Names made one entity by aliases or verdicts
// are known to the projections only, which also fold punctuation.
func sameName(a, b string) bool {
	fold := cases.Fold()
	return fold.String(sources.Normalize(a)) == fold.String(sources.Normalize(b))
}

// source returns a source's context, cached for the recorder's life.
func (r *Recorder) source(id events.SourceID) (*sourceCtx, error) {
	if id == "" {
		return nil, events.Invalidf("no source given")
	}
	if sc, ok := r.sources[id]; ok {
		return sc, nil
	}
	src, _, err := sources.Lookup(r.tx, id)
	if err != nil {
		return nil, err
	}
	sc := &sourceCtx{src: src}
	sc.anchor, sc.hasAnchor = sources.PublicationAnchor(src)
	r.sources[id] = sc
	return sc, nil
}

// Text returns the source's normalized text, computed once.
func (sc *sourceCtx) Text(tx *events.Tx) (string, error) {
	if !sc.textDone {
		sc.text, sc.textErr = sources.StoredText(tx, sc.src)
		sc.textDone = true
	}
	return sc.text, sc.textErr
}

// DeriveClaimID derives a claim id from the claim's content: the source,
// subject, predicate, value and quote.
func DeriveClaimID(c *events.ClaimAsserted) events.ClaimID {
	val := c.Value
	val.Rule = "" // how a date was read is no part of what the claim says: ids stay as they were
	v, _ := json.Marshal(val)
	h := sha256.Sum256([]byte(strings.Join([]string{string(c.Source), c.Subject, c.Predicate, string(v), c.Quote.Quote.Exact, c.As}, "\x00")))
	return events.ClaimID("c-" + hex.EncodeToString(h[:6]))
}

// earlierReading is c as it would have been recorded before dates were
// read in their quotes (events.ResolveDateEarlier), when its date was
// resolved by an inferred rule to another date; else nil. derived: c's id
// is derived from its content, and so is the earlier reading's.
func earlierReading(c *events.ClaimAsserted, derived bool, sc *sourceCtx) *events.ClaimAsserted {
	switch events.DateRule(c.Value.Rule) {
	case events.RuleNearest, events.RuleFuture, events.RulePast, events.RuleMostRecent:
	default:
		return nil
	}
	res, err := events.ResolveDateEarlier(c.Value.Written, sc.anchor, sc.hasAnchor)
	if err != nil || res.Date.String() == c.Value.Date {
		return nil
	}
	e := *c
	e.Value.Date, e.Value.Rule = res.Date.String(), ""
	if derived {
		e.ID = DeriveClaimID(&e)
	}
	return &e
}

// sameClaim reports whether two claims say the same thing: the same
// payload but for the rule that resolved a date, which claims recorded
// before rules were recorded do not carry.
func sameClaim(a, b *events.ClaimAsserted) bool {
	x, y := *a, *b
	x.Value.Rule, y.Value.Rule = "", ""
	return sameJSON(&x, &y)
}

func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

func decodeAt[T events.Payload](tx *events.Tx, rev events.Revision) (T, error) {
	var zero T
	e, err := tx.Event(rev)
	if err != nil {
		return zero, err
	}
	p, err := e.Decode()
	if err != nil {
		return zero, err
	}
	t, ok := p.(T)
	if !ok {
		return zero, fmt.Errorf("revision %d holds a %s event", rev, e.Type)
	}
	return t, nil
}
