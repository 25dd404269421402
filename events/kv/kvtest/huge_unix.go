//go:build unix

package kvtest

import (
	"syscall"
	"testing"
)

// hugeSlice returns n bytes of untouched anonymous memory (the kernel
// backs no page of it until read), for the length checks of Put.
func hugeSlice(t *testing.T, n int) ([]byte, func()) {
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ, syscall.MAP_PRIVATE|syscall.MAP_ANON|syscall.MAP_NORESERVE)
	if err != nil {
		t.Skipf("cannot map %d bytes for a too-large value: %v", n, err)
	}
	return b, func() { syscall.Munmap(b) }
}
