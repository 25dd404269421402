package archive

import (
	"fmt"
	"io"
	"time"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
)

// Annotation is a W3C Web Annotation as ExportAnnotations writes it: a
// claim, its body, on the passage of its source that makes it, its target.
type Annotation struct {
	ID         string           `json:"id"`
	Type       string           `json:"type"`
	Motivation string           `json:"motivation"`
	Created    string           `json:"created"`
	Creator    AnnotationAgent  `json:"creator"`
	Body       AnnotationBody   `json:"body"`
	Target     AnnotationTarget `json:"target"`
}

// AnnotationAgent is the archivist who recorded the claim.
type AnnotationAgent struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

// AnnotationBody is the claim in words: "SUBJECT PREDICATE VALUE".
type AnnotationBody struct {
	Type    string `json:"type"`
	Purpose string `json:"purpose"`
	Value   string `json:"value"`
	Format  string `json:"format"`
}

// AnnotationTarget is the passage: the source (its URL, or urn:sha256: of
// its bytes) and two selectors of the same passage, a TextQuoteSelector
// and a TextPositionSelector (code points of the source's normalized
// text).
type AnnotationTarget struct {
	Source   string      `json:"source"`
	Selector [2]Selector `json:"selector"`
}

// Selector is a TextQuoteSelector (Exact, Prefix, Suffix) or a
// TextPositionSelector (Start, End).
type Selector struct {
	Type   string `json:"type"`
	Exact  string `json:"exact,omitempty"`
	Prefix string `json:"prefix,omitempty"`
	Suffix string `json:"suffix,omitempty"`
	Start  *int   `json:"start,omitempty"`
	End    *int   `json:"end,omitempty"`
}

// ExportAnnotations writes, as JSON-LD, a W3C Web Annotation
// AnnotationCollection with one Annotation for every claim recorded at the
// head and not retracted (a retraction says the source does not make the
// claim; a claim a verdict rejects is still what its source says), in the
// order they were recorded. Each targets its source, by URL when the
// source has one and else by urn:sha256: of its bytes, with the quote's
// TextQuoteSelector and TextPositionSelector (offsets in code points of
// the source's normalized text, the text `source show --text` prints).
// The log is read as it is written: memory holds the sources' metadata
// and the retracted claims' ids, not the claims.
func (a *Archive) ExportAnnotations(w io.Writer, opts ExportOptions) error {
	head, hash, err := a.resolveAt(Head)
	if err != nil {
		return err
	}
	// The sources' metadata as it reads now (archived, then corrected)
	// and the retracted claims come from a first scan of the log: the
	// export never loads the archive's state.
	srcs := map[events.SourceID]*events.SourceArchived{}
	retracted := map[events.ClaimID]bool{}
	collection := pageURL(opts.URL, "annotations", hash.Hex())
	j := newJSONWriter(w, "      ")
	j.raw("{\n  \"@context\": \"http://www.w3.org/ns/anno.jsonld\",\n")
	j.raw("  \"id\": " + jsonString(collection) + ",\n  \"type\": \"AnnotationCollection\",\n")
	j.raw("  \"label\": " + jsonString(fmt.Sprintf("Claims of a Sillok archive at revision %d, each on the passage of its source that makes it", head)) + ",\n")
	j.raw("  \"first\": {\n    \"id\": " + jsonString(collection+"/page/1") + ",\n    \"type\": \"AnnotationPage\",\n    \"items\": [")
	n := 0
	err = a.log.View(func(tx *events.Tx) error {
		// First the sources and the retractions, then the claims.
		err := tx.Scan(1, head, func(e events.Event) error {
			if e.Revision%releaseEvery == 0 {
				projections.ReleaseMapped(tx)
			}
			switch e.Type {
			case events.TypeClaimRetracted, events.TypeSourceArchived, events.TypeSourceEdited:
			default:
				return nil
			}
			p, err := e.Decode()
			if err != nil {
				return err
			}
			switch p := p.(type) {
			case *events.ClaimRetracted:
				retracted[p.Claim] = true
			case *events.SourceArchived:
				srcs[p.ID] = p
			case *events.SourceEdited:
				if src := srcs[p.ID]; src != nil {
					p.ApplyTo(src)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		return tx.Scan(1, head, func(e events.Event) error {
			opts.progress(int(e.Revision), int(head), false)
			if e.Revision%releaseEvery == 0 {
				projections.ReleaseMapped(tx)
			}
			if e.Type != events.TypeClaimAsserted {
				return nil
			}
			p, err := e.Decode()
			if err != nil {
				return err
			}
			c := p.(*events.ClaimAsserted)
			if retracted[c.ID] {
				return nil
			}
			src := srcs[c.Source]
			if src == nil {
				return Errorf(Internal, "claim %s cites source %s, which is not archived", c.ID, c.Source)
			}
			j.item("      ", annotation(c, e, src, opts))
			n++
			return j.err
		})
	})
	if err != nil {
		return exportErr(err)
	}
	if n > 0 {
		j.raw("\n    ")
	}
	j.raw(fmt.Sprintf("]\n  },\n  \"total\": %d\n}\n", n))
	opts.progress(int(head), int(head), true)
	return exportErr(j.flush())
}

func annotation(c *events.ClaimAsserted, e events.Event, src *events.SourceArchived, opts ExportOptions) Annotation {
	start, end := c.Quote.Position.Start, c.Quote.Position.End
	return Annotation{
		ID:         pageURL(opts.URL, "claims", string(c.ID)),
		Type:       "Annotation",
		Motivation: "describing",
		Created:    e.RecordedAt.UTC().Format(time.RFC3339),
		Creator:    AnnotationAgent{Type: "Person", Name: e.Author},
		Body: AnnotationBody{Type: "TextualBody", Purpose: "describing", Format: "text/plain",
			Value: c.Subject + " " + c.Predicate + " " + c.Value.String()},
		Target: AnnotationTarget{
			Source: sourceTarget(src),
			Selector: [2]Selector{
				{Type: "TextQuoteSelector", Exact: c.Quote.Quote.Exact, Prefix: c.Quote.Quote.Prefix, Suffix: c.Quote.Quote.Suffix},
				{Type: "TextPositionSelector", Start: &start, End: &end},
			},
		},
	}
}
