package events

import (
	"errors"
	"fmt"
)

// ErrInvalid marks an error as the input's fault: a payload that cannot
// be recorded as given (an empty reason, a control character in a name,
// an unknown kind), as opposed to a failure of the archive or the disk.
// Front ends test for it with errors.Is to answer "refused", not
// "internal error". Package sources and provenance mark their own
// refusals with it too (Invalidf).
var ErrInvalid = errors.New("invalid input")

// invalidError is an error marked ErrInvalid, with its own message.
type invalidError struct{ err error }

func (e *invalidError) Error() string        { return e.err.Error() }
func (e *invalidError) Unwrap() error        { return e.err }
func (e *invalidError) Is(target error) bool { return target == ErrInvalid }

// Invalid marks err as the input's fault (errors.Is(err, ErrInvalid)),
// keeping its message. It returns nil for nil.
func Invalid(err error) error {
	if err == nil {
		return nil
	}
	return &invalidError{err}
}

// Invalidf is Invalid(fmt.Errorf(format, args...)).
func Invalidf(format string, args ...any) error {
	return &invalidError{fmt.Errorf(format, args...)}
}
