package archive

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
)

// The exports (ExportClaimReview, ExportAnnotations, ExportClaimsCSV,
// ExportConflictsCSV, ExportViewCSV) write a document to an io.Writer as
// they read it, a record at a time, so that a front end can stream one to
// a file or an HTTP response. They live here, not in package provenance,
// because they read the read model (the conflicts, their verdicts, the
// reconciled view), which only this package sees. The mappings are in the
// README ("Exchange and preservation").

// ExportOptions are the options of the exports.
type ExportOptions struct {
	// At is the revision to export; Head is the newest (the zero value is
	// revision 0, the empty archive). ExportAnnotations reads the head.
	At Revision
	// Organization is who publishes a ClaimReview export (its author);
	// "" makes each verdict's reviewer its author.
	Organization string
	// URL is where the archive's pages are served (sillok serve): a
	// ClaimReview's url is URL/conflicts/ID, an annotation's id
	// URL/claims/ID. "" gives urn:sillok: names instead.
	URL string
	// Progress, if not nil, is called on the calling goroutine as the
	// export goes: done of total records (events, claims, conflicts or
	// facts), every ProgressEvery and once at the end.
	Progress func(done, total int)
}

func (o *ExportOptions) progress(done, total int, last bool) {
	if o.Progress != nil && (last || done%ProgressEvery == 0) {
		o.Progress(done, total)
	}
}

// exportPage is how many conflicts an export reads a page: a page costs
// a read of the whole state today (the read model is not kept per key
// yet), so pages are large: one at a million claims (33,249 conflicts).
const exportPage = 1 << 16

// jsonWriter writes indented JSON records into a stream.
type jsonWriter struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	n   int
	err error
}

func newJSONWriter(w io.Writer, indent string) *jsonWriter {
	j := &jsonWriter{w: bufio.NewWriterSize(w, 64<<10)}
	j.enc = json.NewEncoder(&j.buf)
	j.enc.SetEscapeHTML(false)
	j.enc.SetIndent(indent, "  ")
	return j
}

// raw writes s as it is.
func (j *jsonWriter) raw(s string) {
	if j.err == nil {
		_, j.err = j.w.WriteString(s)
	}
}

// value writes v as indented JSON, without a trailing newline.
func (j *jsonWriter) value(v any) {
	if j.err != nil {
		return
	}
	j.buf.Reset()
	if j.err = j.enc.Encode(v); j.err == nil {
		_, j.err = j.w.Write(bytes.TrimSuffix(j.buf.Bytes(), []byte("\n")))
	}
}

// item writes v as the next element of an array opened with raw.
func (j *jsonWriter) item(indent string, v any) {
	if j.n > 0 {
		j.raw(",")
	}
	j.raw("\n" + indent)
	j.value(v)
	j.n++
}

func (j *jsonWriter) flush() error {
	if j.err == nil {
		j.err = j.w.Flush()
	}
	return j.err
}

// exportErr gives an export's error its code; a failed write is Internal.
func exportErr(err error) error {
	if err == nil {
		return nil
	}
	return coded(err)
}

// revisionTime returns the recorded time of revision rev (the zero time
// for revision 0).
func (a *Archive) revisionTime(rev Revision) (time.Time, error) {
	if rev == 0 {
		return time.Time{}, nil
	}
	evs, err := a.Log(rev, rev)
	if err != nil || len(evs) == 0 {
		return time.Time{}, err
	}
	return evs[0].RecordedAt, nil
}

// resolveAt turns Head into the head's revision, and refuses a revision
// beyond it.
func (a *Archive) resolveAt(at Revision) (Revision, events.Digest, error) {
	head, hash, err := a.Head()
	if err != nil {
		return 0, hash, err
	}
	if at == Head {
		return head, hash, nil
	}
	if at > head {
		return 0, hash, Errorf(NotFound, "revision %d is beyond the head revision %d", at, head)
	}
	return at, hash, nil
}

// claimSentence says a claim in a sentence of fewer than 75 characters
// where the claim allows: "SUBJECT PREDICATE VALUE", or else the quote
// when that is short enough.
func claimSentence(subject, predicate string, v events.Value, quote string) string {
	s := subject + " " + predicate + " " + v.String()
	if utf8.RuneCountInString(s) >= 75 && utf8.RuneCountInString(quote) < 75 && quote != "" {
		return quote
	}
	return s
}

// pageURL is a page of the archive's server, or a urn:sillok: name.
func pageURL(base, kind, id string) string {
	if base == "" {
		return "urn:sillok:" + strings.TrimSuffix(kind, "s") + ":" + id
	}
	return strings.TrimRight(base, "/") + "/" + kind + "/" + id
}

// sourceTarget is how an export names a source: its URL when known, else
// urn:sha256: of its bytes.
func sourceTarget(src *events.SourceArchived) string {
	if src.URL != "" {
		return src.URL
	}
	return "urn:sha256:" + src.Digest.Hex()
}

// currentSources returns every source's metadata as it reads now, by id.
func (a *Archive) currentSources() (map[events.SourceID]*events.SourceArchived, error) {
	list, err := a.Sources()
	if err != nil {
		return nil, err
	}
	m := make(map[events.SourceID]*events.SourceArchived, len(list))
	for _, s := range list {
		m[s.ID] = s.SourceArchived
	}
	return m, nil
}

// claimsByID scans the log through revision at for the claim.asserted
// events of the claims in want, and returns them with their events.
func (a *Archive) claimsByID(at Revision, want map[events.ClaimID]bool) (map[events.ClaimID]*events.ClaimAsserted, map[events.ClaimID]events.Event, error) {
	claims := map[events.ClaimID]*events.ClaimAsserted{}
	evs := map[events.ClaimID]events.Event{}
	if len(want) == 0 || at == 0 {
		return claims, evs, nil
	}
	err := a.log.View(func(tx *events.Tx) error {
		return tx.Scan(1, at, func(e events.Event) error {
			if e.Revision%releaseEvery == 0 {
				projections.ReleaseMapped(tx)
			}
			if e.Type != events.TypeClaimAsserted {
				return nil
			}
			if q, ok := events.DecodeClaimQuote(string(e.Payload)); ok && !want[q.ID] {
				return nil
			}
			p, err := e.Decode()
			if err != nil {
				return err
			}
			c := p.(*events.ClaimAsserted)
			if want[c.ID] {
				claims[c.ID] = c
				evs[c.ID] = e
			}
			return nil
		})
	})
	return claims, evs, coded(err)
}

// jsonString is s as a JSON string.
func jsonString(s string) string { return string(appendJSONString(nil, s)) }
