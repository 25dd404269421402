//go:build !linux

package bagit

// syncTree makes everything written under root durable: each file and
// directory is fsynced.
func syncTree(root string) error { return syncEach(root) }
