//go:build unix

package events

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// errLockTimeout reports that lockShared gave up.
var errLockTimeout = errors.New("no lock within the timeout")

// lockShared takes a shared flock on f, as bbolt does for a read-only
// open, waiting up to timeout for a writer to let go. Closing f releases it.
func lockShared(f *os.File, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB)
		if err == nil {
			return nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return err
		}
		if time.Now().After(deadline) {
			return errLockTimeout
		}
		time.Sleep(50 * time.Millisecond)
	}
}
