package archive

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/provenance/claimsfile"
	"github.com/sillok/sillok/sources"
)

// Code says what kind of failure an error is, so that each front end can
// answer in its own terms: the command line with an exit status and a
// hint, the server with an HTTP status. (The idea is Ben Johnson's, from
// WTF Dial's error.go.)
type Code string

// The codes an Archive's errors carry.
const (
	Invalid   Code = "invalid"   // the input is refused: a bad value, an unknown predicate, a quote not in the source
	NotFound  Code = "not found" // no such source, claim, conflict, revision or archive
	Conflict  Code = "conflict"  // it clashes with what is stored: an id taken, a verdict already recorded, the archive in use
	Forbidden Code = "forbidden" // the caller may not do it
	Internal  Code = "internal"  // anything else: a damaged archive, a failed disk, a bug
)

// Error is an error with a Code. Its message is the wrapped error's: what
// went wrong in the user's terms, without advice tied to one front end.
type Error struct {
	Code Code
	Err  error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Errorf makes an *Error with code and a formatted message (%w wraps). A
// front end uses it for errors of its own that should answer as the
// archive's do.
func Errorf(code Code, format string, args ...any) error {
	return &Error{Code: code, Err: fmt.Errorf(format, args...)}
}

// ErrorCode returns the code of err: the code of the first *Error in its
// chain, else the code of the first error of the lower packages it
// recognizes, else Internal. It returns "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return classify(err)
}

// classify maps the sentinel errors and error types of the packages below
// archive to codes. Damage comes first: whatever else an error says, the
// archive is broken. Then the most specific cause: a claims-file error
// wraps the cause it places in the file (a claim id already used is a
// Conflict, an unknown source NotFound), and only a cause that is none of
// those makes it plain Invalid. What nothing recognizes is Internal.
func classify(err error) Code {
	var (
		dup  *events.DuplicateError
		date *events.DateError
		text *events.TextError
		cf   *claimsfile.Error
		mm   *sources.MetaMismatch
		cut  *projections.CutShortError
		dmg  *events.DamagedError
	)
	if errors.As(err, &cut) || errors.As(err, &dmg) {
		return Internal
	}
	for _, c := range []struct {
		code Code
		errs []error
	}{
		{Internal, []error{events.ErrDamaged, events.ErrCorruptRecord}},
		{NotFound, []error{events.ErrNoArchive, events.ErrNotFound, sources.ErrUnknownSource, provenance.ErrUnknownClaim,
			projections.ErrUnknownConflict, fs.ErrNotExist}},
		{Conflict, []error{events.ErrExists, events.ErrInUse, sources.ErrIDTaken, sources.ErrMetaDiffers,
			provenance.ErrPredicateKind, provenance.ErrClaimChanged, projections.ErrAlreadyResolved}},
		{Forbidden, []error{events.ErrReadOnly}},
	} {
		for _, target := range c.errs {
			if errors.Is(err, target) {
				return c.code
			}
		}
	}
	if errors.As(err, &dup) || errors.As(err, &mm) {
		return Conflict
	}
	if errors.As(err, &cf) || errors.As(err, &date) || errors.As(err, &text) {
		return Invalid
	}
	for _, target := range []error{events.ErrInvalid, events.ErrNotArchive, events.ErrTooNew, events.ErrNoAnchor,
		sources.ErrInvalidSlug, sources.ErrNothingChanged, sources.ErrBinary, sources.ErrEmpty, sources.ErrTooLarge,
		provenance.ErrQuoteTooShort, provenance.ErrQuoteNotFound, provenance.ErrContextNotFound,
		provenance.ErrUnknownPredicate, provenance.ErrNoVocabulary, provenance.ErrWrongKind,
		provenance.ErrSelfRelation, projections.ErrVerdict} {
		if errors.Is(err, target) {
			return Invalid
		}
	}
	return Internal
}
