//go:build !linux

package projections

import "github.com/sillok/sillok/events"

// ReleaseMapped releases the archive file's mapped pages on Linux (see
// mapped_linux.go); elsewhere it does nothing.
func ReleaseMapped(tx *events.Tx) {}
