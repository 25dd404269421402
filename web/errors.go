package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/sillok/sillok/archive"
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
	Error string `json:"error"`
	// Changed says what changed since the revision a review saw (409).
	Changed string `json:"changed,omitempty"`
}

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
	writeJSON(w, status, errorBody{Error: msg})
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
