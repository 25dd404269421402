package projections

import (
	"bufio"
	"bytes"
	"os"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/sillok/sillok/events"
)

// ReleaseMapped tells the kernel that this process no longer needs the
// pages of the archive file it has mapped. bbolt maps the file read-only
// and shared, so a scan of the whole log leaves the whole file resident in
// the process (file-backed RSS: at the end of a rebuild or a verify, the
// size of the log, on top of the memory the process uses). The pages stay
// in the page cache; one read again faults back in without I/O. Long
// scans call it every so many events (fold does). It is only a hint:
// errors are ignored, and it does nothing but on Linux.
//
// The mapping is the one that holds bbolt's data; it cannot move while tx
// is open (bbolt remaps only when a write transaction commits, and a read
// transaction holds the remap lock).
func ReleaseMapped(tx *events.Tx) {
	btx := tx.Bolt()
	if btx == nil {
		return // not a mapped file
	}
	base := uint64(btx.DB().Info().Data)
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// "start-end perms offset dev inode path"
		line := sc.Bytes()
		rng, rest, _ := bytes.Cut(line, []byte(" "))
		lo, hi, ok := bytes.Cut(rng, []byte("-"))
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(string(lo), 16, 64)
		end, err2 := strconv.ParseUint(string(hi), 16, 64)
		if err1 != nil || err2 != nil || base < start || base >= end {
			continue
		}
		// Only a shared mapping without write access: never memory of
		// this process's own.
		if perms, _, _ := bytes.Cut(rest, []byte(" ")); len(perms) != 4 || perms[1] != '-' || perms[3] != 's' {
			return
		}
		unix.Syscall(unix.SYS_MADVISE, uintptr(start), uintptr(end-start), unix.MADV_DONTNEED)
		return
	}
}
