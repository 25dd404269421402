package events

import "fmt"

// TextQuoteSelector is a W3C Web Annotation TextQuoteSelector: the exact
// quoted text with up to 32 code points of context on either side, taken
// from the source's normalized text.
type TextQuoteSelector struct {
	Exact  string `json:"exact"`
	Prefix string `json:"prefix,omitempty"`
	Suffix string `json:"suffix,omitempty"`
}

// TextPositionSelector is a W3C Web Annotation TextPositionSelector:
// offsets in Unicode code points into the source's normalized text,
// Start inclusive, End exclusive.
type TextPositionSelector struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Anchor fixes a quote in an archived source. It is computed when a claim is
// recorded and can be re-verified later against the stored bytes.
type Anchor struct {
	Digest        Digest               `json:"digest"`        // the source bytes the quote was found in
	Normalization int                  `json:"normalization"` // version of the text normalization used
	Quote         TextQuoteSelector    `json:"quote"`
	Position      TextPositionSelector `json:"position"`
	Occurrences   int                  `json:"occurrences"` // how many times Exact occurs in the text
}

// ClaimAnchor reads the quote anchor of the claim id from the log: the
// claim index names the event that asserted it.
func (tx *Tx) ClaimAnchor(id ClaimID) (Anchor, error) {
	rev, ok := tx.Lookup(IndexClaim, string(id))
	if !ok {
		return Anchor{}, fmt.Errorf("claim %s is not in the claim index", id)
	}
	e, err := tx.Event(rev)
	if err != nil {
		return Anchor{}, err
	}
	p, err := e.Decode()
	if err != nil {
		return Anchor{}, err
	}
	c, ok := p.(*ClaimAsserted)
	if !ok {
		return Anchor{}, fmt.Errorf("revision %d holds a %s, not claim %s", rev, e.Type, id)
	}
	return c.Quote, nil
}
