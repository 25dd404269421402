package sources

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sillok/sillok/events"
)

// MaxSourceBytes is the largest source Sillok archives. Larger files are
// refused with ErrTooLarge before anything is read into the archive.
const MaxSourceBytes = 32 << 20

// Errors of archiving sources.
var (
	// ErrTooLarge reports a source over MaxSourceBytes.
	ErrTooLarge = fmt.Errorf("a source may be at most %d MiB", MaxSourceBytes>>20)
	// ErrUnknownSource reports a source id that is not archived.
	ErrUnknownSource = errors.New("unknown source")
	// ErrIDTaken reports a source id already used for other bytes.
	ErrIDTaken = errors.New("source id is already used for other bytes")
)

// FieldError is a metadata field whose value is refused. Field is its
// name in events.SourceFields.
type FieldError struct {
	Field string
	Err   error
}

// Error returns "translation-of: unknown source ...".
func (e *FieldError) Error() string {
	return strings.ReplaceAll(e.Field, "_", "-") + ": " + e.Err.Error()
}
func (e *FieldError) Unwrap() error { return e.Err }

// Is makes a FieldError the input's fault (events.ErrInvalid), whatever
// it wraps.
func (e *FieldError) Is(target error) bool { return target == events.ErrInvalid }

// Meta is what an archivist says about a source besides its bytes.
type Meta struct {
	ID            events.SourceID // "" derives one from the digest
	Title         string
	URL           string
	Publisher     string
	Lang          string
	Published     string // YYYY-MM-DD or RFC 3339 with zone
	Retrieved     string
	TranslationOf events.SourceID
	Translator    string
}

// Added is the outcome of Add.
type Added struct {
	Source   *events.SourceArchived
	Revision events.Revision
	Created  bool // false when the same bytes were already archived
}

// Add archives raw with meta inside tx: the bytes go to the blob store and
// a source.archived event to the log. The same bytes again add nothing and
// return the existing source with Created false.
func Add(tx *events.Tx, author string, raw []byte, meta Meta) (Added, error) {
	if len(raw) > MaxSourceBytes {
		return Added{}, fmt.Errorf("%w (this one is %d bytes)", ErrTooLarge, len(raw))
	}
	doc, err := Extract(raw)
	if err != nil {
		return Added{}, err
	}
	if meta.ID != "" {
		if err := ValidSlug(string(meta.ID)); err != nil {
			return Added{}, err
		}
	}
	for _, f := range []struct{ name, v string }{{"published", meta.Published}, {"retrieved", meta.Retrieved}} {
		if f.v == "" {
			continue
		}
		if _, _, err := ParseTimestamp(f.v); err != nil {
			return Added{}, &FieldError{Field: f.name, Err: err}
		}
	}
	if err := checkLang(meta.Lang); err != nil {
		return Added{}, &FieldError{Field: "lang", Err: err}
	}
	if meta.Translator != "" && meta.TranslationOf == "" {
		return Added{}, events.Invalidf("a translator (%q) is given, but not the source it translates (translation-of)", meta.Translator)
	}
	if meta.TranslationOf != "" {
		if _, _, err := Lookup(tx, meta.TranslationOf); err != nil {
			return Added{}, &FieldError{Field: "translation_of", Err: err}
		}
	}
	d := events.DigestOf(raw)
	// The metadata's text as a first add checks it, before the same
	// bytes again compare it with what is stored.
	probe := events.SourceArchived{ID: meta.ID, Digest: d, Title: meta.Title, URL: meta.URL, Publisher: meta.Publisher,
		Lang: meta.Lang, TranslationOf: meta.TranslationOf, Translator: meta.Translator}
	if probe.ID == "" {
		probe.ID = events.SourceID(DerivedID(d))
	}
	if err := probe.Validate(); err != nil {
		return Added{}, err
	}
	if rev, ok := tx.Lookup(events.IndexSourceDigest, string(d[:])); ok {
		// The same bytes again: a no-op, if the metadata given is what
		// is stored (with its corrections); otherwise nothing of it
		// would be recorded, which the caller must hear.
		src, err := sourceAt(tx, rev)
		if err != nil {
			return Added{}, err
		}
		if src, _, err = LookupAt(tx, src.ID, 0); err != nil {
			return Added{}, err
		}
		if diffs := metaDiffs(src, meta); len(diffs) > 0 {
			return Added{Source: src, Revision: rev}, &MetaMismatch{ID: src.ID, Diffs: diffs, Source: src}
		}
		return Added{Source: src, Revision: rev, Created: false}, nil
	}
	id := meta.ID
	if id == "" {
		id = events.SourceID(DerivedID(d))
	}
	if _, ok := tx.Lookup(events.IndexSourceID, string(id)); ok {
		return Added{}, fmt.Errorf("source id %q: %w", id, ErrIDTaken)
	}
	if meta.TranslationOf == id {
		return Added{}, events.Invalidf("source %s cannot be a translation of itself", id)
	}
	p := &events.SourceArchived{
		ID: id, Digest: d, Size: int64(len(raw)), MediaType: doc.MediaType,
		Title: meta.Title, URL: meta.URL, Publisher: meta.Publisher, Lang: meta.Lang,
		Published: meta.Published, Retrieved: meta.Retrieved,
		TranslationOf: meta.TranslationOf, Translator: meta.Translator,
	}
	if err := p.Validate(); err != nil { // the metadata, before the blob is stored
		return Added{}, err
	}
	if _, err := tx.PutBlob(raw); err != nil {
		return Added{}, err
	}
	e, err := tx.Append(author, p)
	if err != nil {
		return Added{}, err
	}
	return Added{Source: p, Revision: e.Revision, Created: true}, nil
}

// Lookup finds an archived source by id, with its metadata as corrected
// by its source.edited events (LookupAt). The revision is the one that
// archived it.
func Lookup(tx *events.Tx, id events.SourceID) (*events.SourceArchived, events.Revision, error) {
	return LookupAt(tx, id, 0)
}

// metaDiffs lists the fields meta gives (not empty) with another value
// than src has.
func metaDiffs(src *events.SourceArchived, meta Meta) []FieldDiff {
	var out []FieldDiff
	if meta.ID != "" && meta.ID != src.ID {
		out = append(out, FieldDiff{Field: "id", Stored: string(src.ID), Given: string(meta.ID)})
	}
	given := metaFields(meta)
	for _, f := range events.SourceFields {
		if g := given[f]; g != "" && g != events.SourceField(src, f) {
			out = append(out, FieldDiff{Field: f, Stored: events.SourceField(src, f), Given: g})
		}
	}
	return out
}

func sourceAt(tx *events.Tx, rev events.Revision) (*events.SourceArchived, error) {
	e, err := tx.Event(rev)
	if err != nil {
		return nil, err
	}
	p, err := e.Decode()
	if err != nil {
		return nil, err
	}
	src, ok := p.(*events.SourceArchived)
	if !ok {
		return nil, fmt.Errorf("revision %d is a %s, not a source", rev, e.Type)
	}
	return src, nil
}

// StoredText returns the normalized text of an archived source: the text
// quotes are matched against.
func StoredText(tx *events.Tx, src *events.SourceArchived) (string, error) {
	raw, err := tx.Blob(src.Digest)
	if err != nil {
		return "", err
	}
	return Text(raw)
}

// ParseTimestamp parses a publication or retrieval time: a date
// (2023-01-07) or an RFC 3339 date-time with zone
// (2024-06-07T20:21:00+09:00). A date has no time and is taken as that
// calendar day; a date-time keeps its zone.
//
// The year, in the zone given, runs from 0001 to 9999 as it does for
// claims (0000-01-01 is refused), and a zone offset is at most ±14:00, the
// largest in use (Kiribati is +14:00), with minutes below 60: +15:00 and
// +14:60, which time.Parse accepts, are refused.
func ParseTimestamp(s string) (t time.Time, hasTime bool, err error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, false, checkTimestamp(s, t, false)
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true, checkTimestamp(s, t, true)
	}
	if err := calendarError(s); err != nil {
		return time.Time{}, false, err
	}
	return time.Time{}, false, events.Invalidf("%q is neither a date (2023-01-07) nor an RFC 3339 date-time with zone (2024-06-07T20:21:00+09:00)", s)
}

// calendarError says what is wrong with a timestamp written in the right
// form whose month or day does not exist ("2023-02-29"), or returns nil.
func calendarError(s string) error {
	if len(s) < 10 || (len(s) > 10 && s[10] != 'T' && s[10] != 't') {
		return nil
	}
	y, errY := strconv.Atoi(s[0:4])
	m, errM := strconv.Atoi(s[5:7])
	d, errD := strconv.Atoi(s[8:10])
	if errY != nil || errM != nil || errD != nil || s[4] != '-' || s[7] != '-' {
		return nil
	}
	switch days := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day(); {
	case m < 1 || m > 12:
		return events.Invalidf("%q: month %02d does not exist; months run from 01 to 12", s, m)
	case d < 1 || d > days:
		return events.Invalidf("%q: %s %04d has no day %02d (it has %d days)", s, time.Month(m), y, d, days)
	}
	return nil
}

// maxZoneOffset is the largest zone offset in use, in seconds: +14:00
// (Line Islands) and, the other way, -12:00; ±14:00 is allowed.
const maxZoneOffset = 14 * 60 * 60

// checkTimestamp refuses what time.Parse accepts but no real publication
// time has: a year outside 0001 to 9999 and an offset beyond ±14:00 or
// with 60 minutes or more.
func checkTimestamp(s string, t time.Time, hasTime bool) error {
	if y := t.Year(); y < 1 || y > 9999 {
		return events.Invalidf("%q: year %04d is out of range; years run from 0001 to 9999", s, y)
	}
	if !hasTime || strings.HasSuffix(s, "Z") || strings.HasSuffix(s, "z") || len(s) < 6 {
		return nil
	}
	zone := s[len(s)-6:] // ±hh:mm, as time.RFC3339 requires
	if zone[4:] >= "60" {
		return events.Invalidf("%q: the zone offset %s has %s minutes; minutes run from 00 to 59", s, zone, zone[4:])
	}
	if _, off := t.Zone(); off > maxZoneOffset || off < -maxZoneOffset {
		return events.Invalidf("%q: the zone offset %s is beyond ±14:00, the largest in use", s, zone)
	}
	return nil
}

// PublicationAnchor is the time relative dates in src are resolved
// against, in the source's own zone; ok is false when the source has no
// publication date.
func PublicationAnchor(src *events.SourceArchived) (t time.Time, ok bool) {
	if src.Published == "" {
		return time.Time{}, false
	}
	t, _, err := ParseTimestamp(src.Published)
	return t, err == nil
}
