package archive

import (
	"sort"
	"unicode/utf8"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/sources"
)

// Revision is a position in the log: the revision of an event, counted
// from 1. Revision 0 is the empty archive, and Head the newest event.
type Revision = events.Revision

// View is the reconciled view at a revision: what the sources say about
// each entity, and what agrees.
type View struct {
	// Revision is the revision the view is of.
	Revision Revision
	// Entities are the entities asked for: the one named, or every entity
	// with facts, in the view's order.
	Entities []*projections.Entity
}

// View returns the reconciled view at revision at (Head: the newest). With
// a subject, it is that entity alone, found by any of its names (aliases
// resolve to it); an unknown subject is NotFound. Without one, it is every
// entity that has facts.
func (a *Archive) View(subject string, at Revision) (*View, error) {
	var out *View
	err := a.read(at, func(r *reader) error {
		if m := r.model; m != nil && (subject != "" || r.at == r.head) {
			v := &View{Revision: m.Rev()}
			if subject != "" {
				e, err := m.Entity(subject)
				if err != nil {
					return err
				}
				if e == nil {
					return r.unknownName(subject)
				}
				v.Entities = []*projections.Entity{e}
			} else if err := m.Entities(func(e *projections.Entity) error {
				v.Entities = append(v.Entities, e)
				return nil
			}); err != nil {
				return err
			}
			out = v
			return nil
		}
		if subject != "" {
			// The entity's own checks, not every entity's.
			st, err := r.loadState()
			if err != nil {
				return err
			}
			e := projections.AnalyzeEntity(st, subject)
			if e == nil {
				return r.unknownName(subject)
			}
			out = &View{Revision: st.Rev, Entities: []*projections.Entity{e}}
			return nil
		}
		an, err := r.analyze()
		if err != nil {
			return err
		}
		v := &View{Revision: an.Rev}
		for _, e := range an.Entities {
			if len(e.Facts) > 0 {
				v.Entities = append(v.Entities, e)
			}
		}
		out = v
		return nil
	})
	return out, err
}

// unknownName is the NotFound error for a name no entity has at r's
// revision, with the names nearest to it (which needs the analysis).
func (r *reader) unknownName(name string) error {
	an, err := r.analyze()
	if err != nil {
		return err
	}
	return unknownName(an, name)
}

// sourceClaims returns the number of claims citing each source (retracted
// ones too), from the model when it answers.
func (r *reader) sourceClaims(id events.SourceID) (int, error) {
	if r.model != nil {
		return r.model.SourceClaims(id)
	}
	st, err := r.loadState()
	if err != nil {
		return 0, err
	}
	return st.ClaimsCiting()[id], nil
}

// Head returns the revision of the newest event and its hash: together a
// pin (REV:HASH) that Verify can check later. An empty archive's head is
// revision 0 with a zero hash.
func (a *Archive) Head() (Revision, events.Digest, error) {
	rev, hash, err := a.log.Head()
	return rev, hash, coded(err)
}

// SourceInfo is an archived source as it reads now: its metadata with
// every correction applied, and what cites it.
type SourceInfo struct {
	*events.SourceArchived
	// Revision is the revision the source was archived at.
	Revision Revision `json:"revision"`
	// Claims counts the claims citing it that are recorded (retracted
	// ones too).
	Claims int `json:"claims"`
	// Corrections counts its corrections (Sources only).
	Corrections int `json:"corrections,omitempty"`
	// Edits are its corrections, in order (Source only).
	Edits []sources.Edit `json:"edits,omitempty"`
	// NeedsLook are the claims whose dates were resolved against a
	// publication date that a correction changed, and may need a look
	// (Source only; Before is not set).
	NeedsLook []Reanchored `json:"needs_look,omitempty"`
	// Text is the source's normalized text (Source with withText only).
	Text string `json:"-"`
}

// Sources returns every archived source, in the order they were archived,
// each with its number of corrections and of claims citing it.
func (a *Archive) Sources() ([]SourceInfo, error) {
	var out []SourceInfo
	err := a.read(Head, func(r *reader) error {
		err := r.tx.IndexKeys(events.IndexSourceID, func(key string, rev events.Revision) error {
			src, _, err := sources.Lookup(r.tx, events.SourceID(key))
			if err != nil {
				return err
			}
			edits, err := sources.Edits(r.tx, src.ID, 0)
			if err != nil {
				return err
			}
			out = append(out, SourceInfo{SourceArchived: src, Revision: rev, Corrections: len(edits)})
			return nil
		})
		if err != nil {
			return err
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].Revision < out[j].Revision })
		if r.model != nil {
			for i := range out {
				if out[i].Claims, err = r.model.SourceClaims(out[i].ID); err != nil {
					return err
				}
			}
			return nil
		}
		st, err := r.loadState()
		if err != nil {
			return err
		}
		counts := st.ClaimsCiting()
		for i := range out {
			out[i].Claims = counts[out[i].ID]
		}
		return nil
	})
	return out, err
}

// Source returns the source id as it reads now, with its corrections and
// the claims that may need a look after them; with withText, also its
// normalized text. An unknown id is NotFound.
func (a *Archive) Source(id events.SourceID, withText bool) (*SourceInfo, error) {
	var info *SourceInfo
	err := a.read(Head, func(r *reader) error {
		src, rev, err := sources.Lookup(r.tx, id)
		if err != nil {
			return err
		}
		in := &SourceInfo{SourceArchived: src, Revision: rev}
		if in.Claims, err = r.sourceClaims(src.ID); err != nil {
			return err
		}
		if in.Edits, err = sources.Edits(r.tx, src.ID, 0); err != nil {
			return err
		}
		var needsLook []*projections.Claim
		if len(in.Edits) > 0 { // only a correction makes claims need a look
			st, err := r.loadState()
			if err != nil {
				return err
			}
			needsLook = st.NeedsLook(src.ID)
		}
		for _, cl := range needsLook {
			in.NeedsLook = append(in.NeedsLook, Reanchored{Claim: cl.ID, Subject: cl.Subject, Written: cl.Value.Written,
				Date: cl.Value.Date, Anchor: cl.Value.Anchor})
		}
		if withText {
			if in.Text, err = sources.StoredText(r.tx, src); err != nil {
				return err
			}
		}
		info = in
		return nil
	})
	return info, err
}

// Diff returns what changed in the view and the conflicts from revision
// from to revision to (Head: the newest). A revision beyond the head is
// NotFound; from after to is Invalid.
func (a *Archive) Diff(from, to Revision) (*projections.Changes, error) {
	var ch *projections.Changes
	err := a.log.View(func(tx *events.Tx) error {
		head, _ := tx.Head()
		if to == Head {
			to = head
		}
		if from == Head {
			from = head
		}
		if from > head || to > head {
			return Errorf(NotFound, "revision %d is beyond the head revision %d", max(from, to), head)
		}
		if from > to {
			return Errorf(Invalid, "the first revision (%d) is after the second (%d); write the older one first", from, to)
		}
		if err := a.store.CheckHead(tx); err != nil {
			return err
		}
		if c, ok, err := a.store.ModelDiff(tx, from, to); ok || err != nil {
			ch = c
			return err
		}
		sa, _, err := a.store.At(tx, from)
		if err != nil {
			return err
		}
		sb, _, err := a.store.At(tx, to)
		if err != nil {
			return err
		}
		ch = projections.Diff(projections.Analyze(sa), projections.Analyze(sb))
		return nil
	})
	return ch, coded(err)
}

// SourceText is an archived source's normalized text, set in the lines
// the source has, with the quotes anchored in it.
type SourceText struct {
	ID events.SourceID `json:"id"`
	// Text is the normalized text quotes are anchored in.
	Text string `json:"text"`
	// Lines are the source's lines, as byte offsets in Text.
	Lines []sources.Line `json:"lines"`
	// Quotes are the quotes of the claims citing the source (retracted
	// and rejected ones too), in the order they were recorded.
	Quotes []AnchoredQuote `json:"quotes"`
}

// AnchoredQuote is a claim's quote: where its anchor places it in a
// source's normalized text, as byte offsets (the anchor counts code
// points).
type AnchoredQuote struct {
	Claim  events.ClaimID `json:"claim"`
	Start  int            `json:"start"`
	End    int            `json:"end"`
	Status ClaimStatus    `json:"status"`
}

// SourceText returns source id's normalized text, its lines and the
// quotes anchored in it. An unknown id is NotFound.
func (a *Archive) SourceText(id events.SourceID) (*SourceText, error) {
	var out *SourceText
	err := a.read(Head, func(r *reader) error {
		src, _, err := sources.Lookup(r.tx, id)
		if err != nil {
			return err
		}
		text, lines, err := sources.StoredLines(r.tx, src)
		if err != nil {
			return err
		}
		state, err := r.loadState()
		if err != nil {
			return err
		}
		st := &SourceText{ID: src.ID, Text: text, Lines: lines, Quotes: []AnchoredQuote{}}
		for _, cl := range state.SortedClaims() {
			if cl.Source != src.ID {
				continue
			}
			anchor, err := r.tx.ClaimAnchor(cl.ID)
			if err != nil {
				return err
			}
			if anchor.Digest != src.Digest {
				continue
			}
			// Code points for now; bytes below.
			q := AnchoredQuote{Claim: cl.ID, Start: max(anchor.Position.Start, 0), End: max(anchor.Position.End, anchor.Position.Start, 0), Status: ClaimStanding}
			switch {
			case cl.Retracted:
				q.Status = ClaimRetracted
			case cl.RejectedBy != "":
				q.Status = ClaimRejected
			}
			st.Quotes = append(st.Quotes, q)
		}
		bytesOffsets(text, st.Quotes)
		out = st
		return nil
	})
	return out, err
}

// bytesOffsets turns the quotes' offsets from code points into bytes of
// text in one pass (an offset past the end is the end).
func bytesOffsets(text string, quotes []AnchoredQuote) {
	var at []*int
	for i := range quotes {
		at = append(at, &quotes[i].Start, &quotes[i].End)
	}
	sort.Slice(at, func(i, j int) bool { return *at[i] < *at[j] })
	cp, b := 0, 0
	for _, p := range at {
		for cp < *p && b < len(text) {
			_, size := utf8.DecodeRuneInString(text[b:])
			b += size
			cp++
		}
		*p = b
	}
}
