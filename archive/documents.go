package archive

import (
	"encoding/json"
	"time"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

// The JSON documents of the reads whose results are not already plain
// values with JSON tags: the command line's --json and the server's API
// print these same documents. (Fields are in the order of their names, as
// the command line printed them when they were maps.)

// ViewDocument is the view as JSON.
type ViewDocument struct {
	Entities []EntityDocument `json:"entities"`
	Revision Revision         `json:"revision"`
}

// EntityDocument is one entity of a ViewDocument: its names, and its
// facts.
type EntityDocument struct {
	Name         string                   `json:"name"`
	Aliases      []string                 `json:"aliases"`
	AliasDetails []projections.EntityName `json:"alias_details,omitempty"`
	Facts        []*projections.Fact      `json:"facts"`
}

// Document is the view as JSON.
func (v *View) Document() ViewDocument {
	out := make([]EntityDocument, 0, len(v.Entities))
	for _, e := range v.Entities {
		je := EntityDocument{Name: e.Name, Aliases: []string{}, AliasDetails: e.Aliases, Facts: e.Facts}
		for _, al := range e.Aliases {
			je.Aliases = append(je.Aliases, al.Name)
		}
		if je.Facts == nil {
			je.Facts = []*projections.Fact{}
		}
		out = append(out, je)
	}
	return ViewDocument{Entities: out, Revision: v.Revision}
}

// View is the view a ViewDocument holds (as a client reads it back).
func (d ViewDocument) View() *View {
	v := &View{Revision: d.Revision}
	for _, e := range d.Entities {
		v.Entities = append(v.Entities, &projections.Entity{Name: e.Name, Aliases: e.AliasDetails, Facts: e.Facts})
	}
	return v
}

// EventDocument is an event of the log as JSON: its envelope, its payload
// as stored, and its hashes.
type EventDocument struct {
	Revision   events.Revision `json:"revision"`
	Type       events.Type     `json:"type"`
	RecordedAt time.Time       `json:"recorded_at"`
	Author     string          `json:"author"`
	Payload    json.RawMessage `json:"payload"`
	Prev       string          `json:"prev"`
	Hash       string          `json:"hash"`
}

// EventDocuments are the events of list as JSON.
func EventDocuments(list []events.Event) []EventDocument {
	out := make([]EventDocument, 0, len(list))
	for _, e := range list {
		out = append(out, EventDocument{e.Revision, e.Type, e.RecordedAt, e.Author, e.Payload, e.Prev.String(), e.Hash.String()})
	}
	return out
}

// ConflictsDocument is a page of the conflict queue as JSON (Next only on
// a page that is not the last).
type ConflictsDocument struct {
	Conflicts []*projections.Conflict `json:"conflicts"`
	// Items are the conflicts as the queue lists them: one item per root
	// cause (QueueItem).
	Items    []QueueItem `json:"items"`
	Next     string      `json:"next,omitempty"`
	Revision Revision    `json:"revision"`
}

// Document is the page as JSON.
func (p *ConflictPage) Document() ConflictsDocument {
	list := p.Conflicts
	if list == nil {
		list = []*projections.Conflict{}
	}
	items := p.Items
	if items == nil {
		items = []QueueItem{}
	}
	return ConflictsDocument{Conflicts: list, Items: items, Next: p.Next, Revision: p.Revision}
}

// ReviewedDocument is a recorded verdict as JSON.
type ReviewedDocument struct {
	Claim    events.ClaimID         `json:"claim"`
	Conflict projections.ConflictID `json:"conflict"`
	Decision events.Decision        `json:"decision"`
	Rejected []events.ClaimID       `json:"rejected"`
	Revision Revision               `json:"revision"`
	Seen     Revision               `json:"seen"`
	// Root and Also are set when a root id was reviewed: one verdict per
	// combination of the root cause; Revision is then the last one's.
	Root projections.ConflictID `json:"root,omitempty"`
	Also []AlsoReviewedDocument `json:"also,omitempty"`
}

// AlsoReviewedDocument is one more verdict recorded by a review of a
// root id, on another combination of the root cause.
type AlsoReviewedDocument struct {
	Conflict projections.ConflictID `json:"conflict"`
	Revision Revision               `json:"revision"`
	Rejected []events.ClaimID       `json:"rejected"`
}

// Document is the verdict recorded as JSON.
func (r Reviewed) Document() ReviewedDocument {
	d := ReviewedDocument{Claim: r.Verdict.Claim, Conflict: r.Conflict.ID, Decision: r.Verdict.Decision,
		Rejected: r.Verdict.Rejected, Revision: r.Event.Revision, Seen: r.Verdict.Seen}
	if len(r.Also) > 0 {
		d.Root = r.Conflict.Root
		d.Also = []AlsoReviewedDocument{}
		for _, o := range r.Also {
			d.Also = append(d.Also, AlsoReviewedDocument{Conflict: o.Conflict.ID, Revision: o.Event.Revision, Rejected: o.Verdict.Rejected})
			d.Revision = o.Event.Revision
		}
	}
	return d
}

// SourceAddedDocument is an archived source (AddSource's result) as JSON.
type SourceAddedDocument struct {
	Created  bool            `json:"created"`
	ID       events.SourceID `json:"id"`
	Revision Revision        `json:"revision"`
	SHA256   string          `json:"sha256"`
}

// SourceAddedDoc is the outcome of AddSource as JSON.
func SourceAddedDoc(res sources.Added) SourceAddedDocument {
	return SourceAddedDocument{Created: res.Created, ID: res.Source.ID, Revision: res.Revision, SHA256: res.Source.Digest.Hex()}
}

// SourceTextDocument is a source's normalized text as JSON: its lines,
// the normalization's version, and (when asked for) the quotes anchored
// in it.
type SourceTextDocument struct {
	ID            events.SourceID `json:"id"`
	Lines         []sources.Line  `json:"lines"`
	Normalization int             `json:"normalization"`
	Quotes        []AnchoredQuote `json:"quotes,omitempty"`
	Text          string          `json:"text"`
}

// Document is the text as JSON, with the quotes if withQuotes.
func (st *SourceText) Document(withQuotes bool) SourceTextDocument {
	d := SourceTextDocument{ID: st.ID, Lines: st.Lines, Normalization: sources.NormalizationVersion, Text: st.Text}
	if withQuotes {
		d.Quotes = st.Quotes
		if d.Quotes == nil {
			d.Quotes = []AnchoredQuote{}
		}
	}
	return d
}

// SourcesDocument is the list of sources as JSON.
type SourcesDocument struct {
	Sources []SourceInfo `json:"sources"`
}

// SourcesDoc is list as JSON.
func SourcesDoc(list []SourceInfo) SourcesDocument {
	if list == nil {
		list = []SourceInfo{}
	}
	return SourcesDocument{Sources: list}
}

// ClaimsDocument is a list of claims as JSON.
type ClaimsDocument struct {
	Claims []ClaimRow `json:"claims"`
}

// ClaimsDoc is rows as JSON.
func ClaimsDoc(rows []ClaimRow) ClaimsDocument {
	if rows == nil {
		rows = []ClaimRow{}
	}
	return ClaimsDocument{Claims: rows}
}

// PredicatesDocument is the vocabulary as JSON.
type PredicatesDocument struct {
	Predicates []*events.PredicateDefined `json:"predicates"`
}

// PredicatesDoc is list as JSON.
func PredicatesDoc(list []*events.PredicateDefined) PredicatesDocument {
	if list == nil {
		list = []*events.PredicateDefined{}
	}
	return PredicatesDocument{Predicates: list}
}

// ClaimAddedDocument is a claim recorded (AddClaim's result) as JSON;
// the server adds Claim, the whole claim as recorded, which a client
// renders.
type ClaimAddedDocument struct {
	Claim    *events.ClaimAsserted `json:"claim,omitempty"`
	Created  bool                  `json:"created"`
	ID       events.ClaimID        `json:"id"`
	Revision Revision              `json:"revision"`
	Value    events.Value          `json:"value"`
	// Warnings say why a newly recorded date should be checked.
	Warnings []string `json:"warnings,omitempty"`
}

// ClaimAddedDoc is rec as JSON.
func ClaimAddedDoc(rec provenance.Recorded) ClaimAddedDocument {
	d := ClaimAddedDocument{Created: rec.Created, ID: rec.Claim.ID, Revision: rec.Revision, Value: rec.Claim.Value}
	if rec.Created {
		d.Warnings = rec.Warnings
	}
	return d
}

// RetractedDocument is a retraction as JSON.
type RetractedDocument struct {
	Claim    events.ClaimID `json:"claim"`
	Revision Revision       `json:"revision"`
}

// PredicateDocument is a predicate defined (DefinePredicate's result) as
// JSON.
type PredicateDocument struct {
	Created  bool             `json:"created"`
	Kind     events.ValueKind `json:"kind"`
	Many     bool             `json:"many"`
	Name     string           `json:"name"`
	Revision Revision         `json:"revision"`
}

// PredicateDoc is the definition p and its outcome as JSON.
func PredicateDoc(p events.PredicateDefined, w Written) PredicateDocument {
	return PredicateDocument{Created: w.Created, Kind: p.Kind, Many: p.Many, Name: p.Name, Revision: w.Revision}
}

// AliasDocument is an alias declared (DeclareAlias's result) as JSON.
type AliasDocument struct {
	Created  bool             `json:"created"`
	Entity   string           `json:"entity"`
	Kind     events.AliasKind `json:"kind"`
	Name     string           `json:"name"`
	Revision Revision         `json:"revision"`
}

// AliasDoc is the declaration p and its outcome as JSON.
func AliasDoc(p events.AliasDeclared, w Written) AliasDocument {
	return AliasDocument{Created: w.Created, Entity: p.Entity, Kind: p.Kind, Name: p.Name, Revision: w.Revision}
}
