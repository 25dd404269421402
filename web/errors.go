package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/provenance/claimsfile"
	"github.com/sillok/sillok/sources"
)

// httpError is an error of the server's own with its HTTP status.
type httpError struct {
	status int
	err    error
	retry  time.Duration // Retry-After, for 429
}

func (e *httpError) Error() string { return e.err.Error() }
func (e *httpError) Unwrap() error { return e.err }

func statusError(status int, err error) error { return &httpError{status: status, err: err} }

// badRequest is a malformed request: 400.
func badRequest(format string, args ...any) error {
	return statusError(http.StatusBadRequest, archive.Errorf(archive.Invalid, format, args...))
}

// Status is the HTTP status that answers err: the server's own status, or
// the one of the archive error's code (Invalid 422, NotFound 404, Conflict
// 409, Forbidden 403, Internal 500).
func Status(err error) int {
	var he *httpError
	if errors.As(err, &he) {
		return he.status
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge
	}
	switch archive.ErrorCode(err) {
	case archive.Invalid:
		return http.StatusUnprocessableEntity
	case archive.NotFound:
		return http.StatusNotFound
	case archive.Conflict:
		return http.StatusConflict
	case archive.Forbidden:
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

// errorBody is the JSON of every error.
type errorBody struct {
	Error  string       `json:"error"`
	Detail *ErrorDetail `json:"detail,omitempty"`
}

// ErrorDetail is what an error answer carries besides its message when
// the archive's error has details a client may answer in its own terms
// (a page's "did you mean", the command line's advice): Type says which
// fields are set.
type ErrorDetail struct {
	// Type is "unknown_name" (Name, Revision, Suggestions: the nearest
	// names), "conflict_id" (ID, Problem, Revision, Matches of an
	// ambiguous prefix), "verdict" (Conflict, Decision, Cause, and
	// AlreadyResolved when the conflict has a verdict and no override was
	// asked), or "meta_mismatch" (Source, Diffs: the same bytes given
	// again with other metadata), "already_retracted" (Claim, and the
	// retraction's reason in Cause), or "claims_file" (Pos, Claim, and
	// the problem in Cause: a claims file refused at a line).
	Type            string                    `json:"type,omitempty"`
	Name            string                    `json:"name,omitempty"`
	Revision        events.Revision           `json:"revision,omitempty"`
	Suggestions     []string                  `json:"suggestions,omitempty"`
	ID              string                    `json:"id,omitempty"`
	Problem         archive.ConflictIDProblem `json:"problem,omitempty"`
	Matches         []*projections.Conflict   `json:"matches,omitempty"`
	Conflict        *projections.Conflict     `json:"conflict,omitempty"`
	Decision        events.Decision           `json:"decision,omitempty"`
	Cause           string                    `json:"cause,omitempty"`
	AlreadyResolved bool                      `json:"already_resolved,omitempty"`
	Source          events.SourceID           `json:"source,omitempty"`
	Diffs           []sources.FieldDiff       `json:"diffs,omitempty"`
	Claim           string                    `json:"claim,omitempty"`
	Pos             *claimsfile.Pos           `json:"pos,omitempty"`
	// Is names the conditions of the lower packages the error is, as
	// errors.Is finds them: "no_vocabulary" (no predicate is defined).
	Is []string `json:"is,omitempty"`
}

// sentinels are the conditions an ErrorDetail names in Is.
var sentinels = map[string]error{
	"no_vocabulary": provenance.ErrNoVocabulary,
}

// errorDetail is the detail of err, or nil.
func errorDetail(err error) *ErrorDetail {
	d := typedDetail(err)
	for name, target := range sentinels {
		if errors.Is(err, target) {
			if d == nil {
				d = &ErrorDetail{}
			}
			d.Is = append(d.Is, name)
		}
	}
	return d
}

func typedDetail(err error) *ErrorDetail {
	var (
		un *archive.UnknownNameError
		ci *archive.ConflictIDError
		ve *archive.VerdictError
		mm *sources.MetaMismatch
		ar *archive.AlreadyRetractedError
		cf *claimsfile.Error
	)
	switch {
	case errors.As(err, &ar):
		return &ErrorDetail{Type: "already_retracted", Claim: string(ar.Claim), Cause: ar.Reason}
	case errors.As(err, &cf):
		pos := cf.Pos
		return &ErrorDetail{Type: "claims_file", Pos: &pos, Claim: cf.Claim, Cause: cf.Msg}
	case errors.As(err, &un):
		return &ErrorDetail{Type: "unknown_name", Name: un.Name, Revision: un.Rev, Suggestions: un.Suggestions}
	case errors.As(err, &ci):
		return &ErrorDetail{Type: "conflict_id", ID: ci.ID, Problem: ci.Problem, Revision: ci.Rev, Matches: ci.Matches}
	case errors.As(err, &ve):
		return &ErrorDetail{Type: "verdict", Conflict: ve.Conflict, Decision: ve.Decision, Cause: ve.Err.Error(),
			AlreadyResolved: errors.Is(err, projections.ErrAlreadyResolved)}
	case errors.As(err, &mm):
		return &ErrorDetail{Type: "meta_mismatch", Source: mm.ID, Diffs: mm.Diffs}
	}
	return nil
}

// archiveError is the archive's error that detail describes, with msg,
// the message the server sent; nil when the detail does not make msg.
func (d *ErrorDetail) archiveError(code archive.Code, msg string) error {
	var err error
	switch d.Type {
	case "unknown_name":
		err = &archive.UnknownNameError{Name: d.Name, Rev: d.Revision, Suggestions: d.Suggestions}
	case "conflict_id":
		err = &archive.ConflictIDError{ID: d.ID, Problem: d.Problem, Rev: d.Revision, Matches: d.Matches}
	case "verdict":
		if d.Conflict == nil {
			return nil
		}
		target := projections.ErrVerdict
		if d.AlreadyResolved {
			target = projections.ErrAlreadyResolved
		}
		err = &archive.VerdictError{Conflict: d.Conflict, Decision: d.Decision, Err: &causeError{msg: d.Cause, is: target}}
	case "meta_mismatch":
		err = &sources.MetaMismatch{ID: d.Source, Diffs: d.Diffs}
	case "already_retracted":
		err = &archive.AlreadyRetractedError{Claim: events.ClaimID(d.Claim), Reason: d.Cause}
	case "claims_file":
		if d.Pos == nil {
			return nil
		}
		err = &claimsfile.Error{Pos: *d.Pos, Claim: d.Claim, Msg: d.Cause}
	case "":
		err = errors.New(msg)
	default:
		return nil
	}
	if err.Error() != msg {
		return nil
	}
	var is []error
	for _, name := range d.Is {
		if target := sentinels[name]; target != nil {
			is = append(is, target)
		}
	}
	if len(is) > 0 {
		err = &conditionsError{err: err, is: is}
	}
	return &archive.Error{Code: code, Err: err}
}

// causeError is the cause of a refused verdict as a client gets it: its
// message, and the sentinel of the lower package it is.
type causeError struct {
	msg string
	is  error
}

func (e *causeError) Error() string { return e.msg }
func (e *causeError) Unwrap() error { return e.is }

// conditionsError is an error as a client gets it, with the conditions
// (sentinels) it is besides.
type conditionsError struct {
	err error
	is  []error
}

func (e *conditionsError) Error() string   { return e.err.Error() }
func (e *conditionsError) Unwrap() []error { return append([]error{e.err}, e.is...) }

// Error answers err: {"error": message} with its Status, or a page when
// the pages set ErrorPage and the request asks for HTML. An internal
// error is logged, and its message says it is one.
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	status := Status(err)
	msg := err.Error()
	if status == http.StatusInternalServerError {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		msg = "internal error: " + msg + " (nothing was half-written: a write lands whole or not at all)"
	}
	var he *httpError
	if errors.As(err, &he) && he.retry > 0 {
		w.Header().Set("Retry-After", retryAfter(he.retry))
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="sillok"`)
	}
	if s.ErrorPage != nil && !strings.HasPrefix(r.URL.Path, "/api/") && strings.Contains(r.Header.Get("Accept"), "text/html") {
		s.ErrorPage(w, r, status, msg)
		return
	}
	writeJSON(w, status, errorBody{Error: msg, Detail: errorDetail(err)})
}

// writeJSON writes v as the JSON of the command line's --json (indented,
// HTML characters not escaped: the content type is JSON and nosniff is
// set).
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
