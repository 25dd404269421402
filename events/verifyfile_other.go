//go:build !unix

package events

import (
	"errors"
	"os"
	"time"
)

var errLockTimeout = errors.New("no lock within the timeout")

// lockShared does nothing where bbolt does not lock with flock.
func lockShared(f *os.File, timeout time.Duration) error { return nil }
