package bagit

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncTree makes everything written under root durable: on Linux, one
// syncfs(2) of root's file system, which writes back every file and
// directory of the bag in one go (an fsync a file costs a journal commit
// each, which dominates a bag of many small sources).
func syncTree(root string) error {
	f, err := os.Open(root)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := unix.Syncfs(int(f.Fd())); err != nil {
		return syncEach(root)
	}
	return nil
}
