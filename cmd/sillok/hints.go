package main

import (
	"errors"

	"github.com/sillok/sillok/projections"
)

// hint is the advice, in the command line's terms, that run adds to the
// message of an error the libraries report in theirs ("" for none).
func hint(err error) string {
	var stored *projections.StoredError
	if errors.As(err, &stored) {
		return " (run sillok rebuild)"
	}
	return ""
}
