package archive

import (
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/sources"
)

// checkAuthor refuses an author the log would refuse, before anything is
// written. Every write takes its author as an argument; "" lets the log
// supply its default.
func checkAuthor(author string) error {
	if err := events.ValidAuthor(author); err != nil {
		return &Error{Code: Invalid, Err: err}
	}
	return nil
}

// AddSource archives raw, one source file's bytes (plain text or HTML),
// with meta. The same bytes again add nothing: the result names the source
// already archived, with Created false. The same bytes with other metadata
// are refused with a Conflict error wrapping a *sources.MetaMismatch that
// lists the fields that differ; an id already used for other bytes is a
// Conflict wrapping sources.ErrIDTaken.
func (a *Archive) AddSource(author string, raw []byte, meta sources.Meta) (sources.Added, error) {
	if err := checkAuthor(author); err != nil {
		return sources.Added{}, err
	}
	var res sources.Added
	err := a.update(func(tx *events.Tx) error {
		var err error
		res, err = sources.Add(tx, author, raw, meta)
		return err
	})
	if err != nil {
		return sources.Added{}, err
	}
	return res, nil
}

// SourceEdit is a correction of a source's metadata: the fields of Set
// that are not empty replace what is stored, the fields named in Clear
// (names of events.SourceFields) are emptied; Set.ID is ignored.
type SourceEdit struct {
	Set   sources.Meta
	Clear []string
	Note  string
}

// SourceEdited is the outcome of EditSource.
type SourceEdited struct {
	sources.Edited
	// NeedsLook are the claims of the source whose dates were resolved
	// against the publication date the correction changed: they are now
	// resolved against the new one, and a person should check that the
	// words still mean these dates.
	NeedsLook []Reanchored
	// Changes are the fields the correction changed, in the order of
	// events.SourceFields, each with its value before and after.
	Changes []FieldChange
}

// FieldChange is one metadata field a correction changed; a value that
// was empty, or is cleared, is "".
type FieldChange struct {
	Field  string `json:"field"` // one of events.SourceFields
	Before string `json:"before"`
	After  string `json:"after"`
}

// Reanchored is a claim whose date a correction of its source's
// publication date resolved anew.
type Reanchored struct {
	Claim   events.ClaimID `json:"claim"`
	Subject string         `json:"subject"`
	Written string         `json:"written"`
	Before  string         `json:"before,omitempty"` // the date before the correction
	Date    string         `json:"date"`
	Anchor  string         `json:"anchor,omitempty"`
}

// EditSource records a correction of the metadata of source id (a
// source.edited event); the source's bytes and the event that archived it
// never change. An edit that gives only what is stored is refused
// (Invalid, wrapping sources.ErrNothingChanged); an unknown source is
// NotFound.
func (a *Archive) EditSource(author string, id events.SourceID, edit SourceEdit) (SourceEdited, error) {
	if err := checkAuthor(author); err != nil {
		return SourceEdited{}, err
	}
	var res SourceEdited
	err := a.update(func(tx *events.Tx) error {
		st, _, err := a.store.Head(tx)
		if err != nil {
			return err
		}
		before := map[events.ClaimID]string{}
		for _, cl := range st.Claims {
			if cl.Source == id && cl.Value.Anchor != "" {
				before[cl.ID] = cl.Value.Date
			}
		}
		if res.Edited, err = sources.EditSource(tx, author, id, edit.Set, edit.Clear, edit.Note); err != nil {
			return err
		}
		for _, f := range res.Event.Changes() {
			res.Changes = append(res.Changes, FieldChange{Field: f, Before: events.SourceField(res.Before, f), After: events.SourceField(res.After, f)})
		}
		if st, _, err = a.store.Head(tx); err != nil {
			return err
		}
		if src := st.Sources[id]; src != nil && src.Reanchored == res.Revision {
			for _, cl := range st.NeedsLook(id) {
				res.NeedsLook = append(res.NeedsLook, Reanchored{Claim: cl.ID, Subject: cl.Subject, Written: cl.Value.Written,
					Before: before[cl.ID], Date: cl.Value.Date, Anchor: cl.Value.Anchor})
			}
		}
		return nil
	})
	if err != nil {
		return SourceEdited{}, err
	}
	return res, nil
}
