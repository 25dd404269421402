package archive

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/sillok/sillok/events"
)

// The CSV exports write RFC 4180 CSV (encoding/csv: fields quoted where
// needed, lines ended by CR LF, UTF-8): a header row, then one row per
// claim, conflict or fact. A list of ids in one field is separated by
// spaces, a list of values or names by " | ".

// newCSV returns the RFC 4180 writer of the CSV exports.
func newCSV(w io.Writer) *csv.Writer {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return cw
}

// ClaimsCSVHeader, ConflictsCSVHeader and ViewCSVHeader are the header rows
// of the CSV exports.
var (
	ClaimsCSVHeader    = []string{"id", "revision", "source", "subject", "as", "predicate", "value", "written", "quote", "status", "reason", "note"}
	ConflictsCSVHeader = []string{"id", "kind", "status", "subject", "predicate", "within_source", "claims", "rejected", "names", "summary",
		"verdict", "verdict_claim", "verdict_author", "verdict_revision", "verdict_at", "verdict_note", "reopened"}
	ViewCSVHeader = []string{"entity", "predicate", "value", "status", "claims", "sources", "independent_sources", "rejected", "conflict", "values"}
)

// ExportClaimsCSV writes the claims recorded at revision opts.At (retracted
// and rejected ones too, with their status), in the order they were
// recorded.
func (a *Archive) ExportClaimsCSV(w io.Writer, opts ExportOptions) error {
	rows, err := a.Claims(ClaimFilter{At: opts.At})
	if err != nil {
		return err
	}
	cw := newCSV(w)
	cw.Write(ClaimsCSVHeader)
	for i, r := range rows {
		cw.Write([]string{string(r.ID), strconv.FormatUint(uint64(r.Revision), 10), string(r.Source), r.Subject, r.As, r.Predicate,
			r.Value.String(), r.Value.Written, r.Quote, string(r.Status), r.Reason, r.Note})
		opts.progress(i+1, len(rows), false)
	}
	opts.progress(len(rows), len(rows), true)
	cw.Flush()
	return exportErr(cw.Error())
}

// ExportConflictsCSV writes the conflicts at revision opts.At, every
// status, in the queue's order, with their latest verdict.
func (a *Archive) ExportConflictsCSV(w io.Writer, opts ExportOptions) error {
	at, _, err := a.resolveAt(opts.At)
	if err != nil {
		return err
	}
	cw := newCSV(w)
	cw.Write(ConflictsCSVHeader)
	n := 0
	after := ""
	for {
		page, err := a.Conflicts(ConflictFilter{Status: StatusAll, At: at, Limit: exportPage, After: after})
		if err != nil {
			return err
		}
		for _, cf := range page.Conflicts {
			var claims, rejected []string
			for _, c := range cf.Claims {
				claims = append(claims, string(c.ID))
				if c.Rejected {
					rejected = append(rejected, string(c.ID))
				}
			}
			row := []string{string(cf.ID), string(cf.Kind), string(cf.Status), cf.Subject, cf.Predicate, strconv.FormatBool(cf.WithinSource),
				strings.Join(claims, " "), strings.Join(rejected, " "), strings.Join(cf.Names, " | "), cf.Summary}
			if v := cf.Verdict; v != nil {
				row = append(row, string(v.Decision), string(v.Claim), v.Author, strconv.FormatUint(uint64(v.Rev), 10), v.At.UTC().Format(time.RFC3339), v.Note)
			} else {
				row = append(row, "", "", "", "", "", "")
			}
			row = append(row, strconv.FormatBool(cf.Reopened))
			cw.Write(row)
			n++
			opts.progress(n, 0, false)
		}
		if err := cw.Error(); err != nil {
			return exportErr(err)
		}
		if page.Next == "" {
			break
		}
		after = page.Next
	}
	opts.progress(n, n, true)
	cw.Flush()
	return exportErr(cw.Error())
}

// ExportViewCSV writes the reconciled view at revision opts.At: one row
// per fact of every entity, in the view's order.
func (a *Archive) ExportViewCSV(w io.Writer, opts ExportOptions) error {
	v, err := a.View("", opts.At)
	if err != nil {
		return err
	}
	cw := newCSV(w)
	cw.Write(ViewCSVHeader)
	n := 0
	for _, e := range v.Entities {
		for _, f := range e.Facts {
			value := ""
			if f.Value != nil {
				value = *f.Value
			}
			cw.Write([]string{e.Name, f.Predicate, value, string(f.Status), joinIDs(f.Claims), joinIDs(f.Sources),
				strconv.Itoa(f.Independent), joinIDs(f.Rejected), string(f.Conflict), strings.Join(f.Values, " | ")})
			n++
			opts.progress(n, 0, false)
		}
	}
	opts.progress(n, n, true)
	cw.Flush()
	return exportErr(cw.Error())
}

func joinIDs[T events.ClaimID | events.SourceID](ids []T) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = string(id)
	}
	return strings.Join(s, " ")
}
