package sources

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/sillok/sillok/events"
)

// Errors of correcting sources.
var (
	// ErrNothingChanged reports an edit that gives only what is stored.
	ErrNothingChanged = errors.New("nothing changed")
	// ErrMetaDiffers reports the same bytes archived again with other
	// metadata (see MetaMismatch).
	ErrMetaDiffers = errors.New("already archived with other metadata")
)

// FieldDiff is one metadata field as stored and as given.
type FieldDiff struct {
	Field  string `json:"field"` // a name of events.SourceFields, or "id"
	Stored string `json:"stored"`
	Given  string `json:"given"`
}

// MetaMismatch reports bytes that are already archived, given again with
// metadata that differs from what is stored: nothing is added, and the
// new metadata is not recorded. It wraps ErrMetaDiffers.
type MetaMismatch struct {
	ID     events.SourceID
	Diffs  []FieldDiff
	Source *events.SourceArchived // as stored, with its corrections
}

func (e *MetaMismatch) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "these bytes are already archived as %s, with other metadata; nothing was added or changed:", e.ID)
	for _, d := range e.Diffs {
		stored := d.Stored
		if stored == "" {
			stored = "(none)"
		}
		fmt.Fprintf(&b, "\n  %s: stored %q, given %q", d.Field, stored, d.Given)
	}
	return b.String()
}

func (e *MetaMismatch) Unwrap() error { return ErrMetaDiffers }

// Edit is a source.edited event of a source, with its envelope.
type Edit struct {
	*events.SourceEdited
	Revision   events.Revision `json:"revision"`
	Author     string          `json:"author"`
	RecordedAt time.Time       `json:"recorded_at"`
}

// Edits returns the corrections of a source, in order, that were recorded
// at or before revision at (0: all).
func Edits(tx *events.Tx, id events.SourceID, at events.Revision) ([]Edit, error) {
	var out []Edit
	err := tx.IndexPrefix(events.IndexSourceEdit, string(id)+"\x00", func(_ string, rev events.Revision) error {
		if at != 0 && rev > at {
			return nil
		}
		e, err := tx.Event(rev)
		if err != nil {
			return err
		}
		p, err := e.Decode()
		if err != nil {
			return err
		}
		ed, ok := p.(*events.SourceEdited)
		if !ok || ed.ID != id {
			return fmt.Errorf("source-edit index: revision %d is a %s, not an edit of source %s", rev, e.Type, id)
		}
		out = append(out, Edit{SourceEdited: ed, Revision: rev, Author: e.Author, RecordedAt: e.RecordedAt})
		return nil
	})
	return out, err
}

// LookupAt finds an archived source by id, with its metadata as corrected
// by the edits recorded at or before revision at (0: all). The revision
// returned is the one that archived it; a source archived after at is
// unknown.
func LookupAt(tx *events.Tx, id events.SourceID, at events.Revision) (*events.SourceArchived, events.Revision, error) {
	rev, ok := tx.Lookup(events.IndexSourceID, string(id))
	if !ok || (at != 0 && rev > at) {
		return nil, 0, fmt.Errorf("%w %q", ErrUnknownSource, id)
	}
	src, err := sourceAt(tx, rev)
	if err != nil {
		return nil, 0, err
	}
	edits, err := Edits(tx, id, at)
	if err != nil {
		return nil, 0, err
	}
	for _, ed := range edits {
		ed.ApplyTo(src)
	}
	return src, rev, nil
}

// Edited is the outcome of EditSource.
type Edited struct {
	Before, After *events.SourceArchived
	Event         *events.SourceEdited // what was recorded: the changed fields only
	Revision      events.Revision
}

// EditSource records a correction of the metadata of source id: the
// fields of change that are not empty, and the fields named in clear,
// replace what is stored (the source's bytes, and the event that archived
// it, never change). Fields given with the value already stored are left
// out of the event; an edit that leaves nothing to change is refused with
// ErrNothingChanged. The values are checked as Add checks them, and the
// result too: a translator needs a translation_of, which names another
// archived source, and translations form no cycle.
func EditSource(tx *events.Tx, author string, id events.SourceID, change Meta, clear []string, note string) (Edited, error) {
	cur, _, err := Lookup(tx, id)
	if err != nil {
		return Edited{}, err
	}
	if change.ID != "" && change.ID != id {
		return Edited{}, events.Invalidf("a source's id cannot be changed (source %s)", id)
	}
	if err := checkTimestamps(change); err != nil {
		return Edited{}, err
	}
	ed := &events.SourceEdited{ID: id, Note: note}
	given := metaFields(change)
	cleared := map[string]bool{}
	for _, c := range clear {
		known := false
		for _, f := range events.SourceFields {
			known = known || f == c
		}
		if !known {
			return Edited{}, events.Invalidf("cannot clear %q: the fields are %s", c, strings.Join(events.SourceFields, ", "))
		}
		if given[c] != "" {
			return Edited{}, events.Invalidf("%s is both given and cleared", c)
		}
		cleared[c] = true
	}
	after := *cur
	for _, f := range events.SourceFields {
		stored := events.SourceField(cur, f)
		switch {
		case given[f] != "" && given[f] != stored:
			setEditField(ed, f, given[f])
		case cleared[f] && stored != "":
			ed.Cleared = append(ed.Cleared, f)
		}
	}
	if len(ed.Changes()) == 0 {
		return Edited{}, fmt.Errorf("source %s: %w: the metadata given is what is stored", id, ErrNothingChanged)
	}
	ed.ApplyTo(&after)
	if err := checkTranslation(tx, &after); err != nil {
		return Edited{}, err
	}
	n := 0
	if err := tx.IndexPrefix(events.IndexSourceEdit, string(id)+"\x00", func(string, events.Revision) error { n++; return nil }); err != nil {
		return Edited{}, err
	}
	ed.Edit = n + 1
	e, err := tx.Append(author, ed)
	if err != nil {
		return Edited{}, err
	}
	return Edited{Before: cur, After: &after, Event: ed, Revision: e.Revision}, nil
}

func setEditField(ed *events.SourceEdited, field, v string) {
	switch field {
	case "title":
		ed.Title = v
	case "url":
		ed.URL = v
	case "publisher":
		ed.Publisher = v
	case "lang":
		ed.Lang = v
	case "published":
		ed.Published = v
	case "retrieved":
		ed.Retrieved = v
	case "translation_of":
		ed.TranslationOf = events.SourceID(v)
	case "translator":
		ed.Translator = v
	}
}

// metaFields returns meta's fields by their names in events.SourceFields.
func metaFields(m Meta) map[string]string {
	return map[string]string{
		"title": m.Title, "url": m.URL, "publisher": m.Publisher, "lang": m.Lang,
		"published": m.Published, "retrieved": m.Retrieved,
		"translation_of": string(m.TranslationOf), "translator": m.Translator,
	}
}

// checkLang checks a language tag (BCP 47: en, ja, ko, zh-Hant).
func checkLang(lang string) error {
	if lang == "" {
		return nil
	}
	if _, err := language.Parse(lang); err != nil {
		return events.Invalidf("%q is not a BCP 47 language tag (like en, ja, ko, zh-Hant): %w", lang, err)
	}
	return nil
}

// checkTimestamps checks the publication and retrieval times of meta,
// and its language tag.
func checkTimestamps(meta Meta) error {
	if err := checkLang(meta.Lang); err != nil {
		return &FieldError{Field: "lang", Err: err}
	}
	for _, f := range []struct{ name, v string }{{"published", meta.Published}, {"retrieved", meta.Retrieved}} {
		if f.v == "" {
			continue
		}
		if _, _, err := ParseTimestamp(f.v); err != nil {
			return &FieldError{Field: f.name, Err: err}
		}
	}
	return nil
}

// checkTranslation checks the translation metadata src would have: a
// translator only with a translation_of, which names another archived
// source, with no cycle of translations through it.
func checkTranslation(tx *events.Tx, src *events.SourceArchived) error {
	if src.Translator != "" && src.TranslationOf == "" {
		return events.Invalidf("source %s names a translator (%q) but is not a translation: give the source it translates (translation-of), or clear the translator", src.ID, src.Translator)
	}
	if src.TranslationOf == "" {
		return nil
	}
	if src.TranslationOf == src.ID {
		return events.Invalidf("source %s cannot be a translation of itself", src.ID)
	}
	chain := []string{string(src.ID)}
	seen := map[events.SourceID]bool{src.ID: true}
	for next := src.TranslationOf; next != ""; {
		chain = append(chain, string(next))
		if seen[next] {
			return events.Invalidf("translation-of: %s would make a cycle of translations: %s", src.TranslationOf, strings.Join(chain, " → "))
		}
		seen[next] = true
		orig, _, err := Lookup(tx, next)
		if err != nil {
			return fmt.Errorf("translation-of: %w", err)
		}
		next = orig.TranslationOf
	}
	return nil
}
