//go:build !unix

package kvtest

import "testing"

func hugeSlice(t *testing.T, n int) ([]byte, func()) {
	t.Skip("needs anonymous mmap to make a too-large value cheaply")
	return nil, nil
}
