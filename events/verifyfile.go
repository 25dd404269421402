package events

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
)

// DamagedError reports an archive file whose bytes are damaged: shorter
// than its meta page says, a page that is not what it should be, a read
// of the mapped file that faults. What says what was found, in the file's
// terms (pages, meta pages), so that it can be looked into.
type DamagedError struct {
	Path string
	What string
	Err  error // the error that found it, if any (ErrCorruptRecord)
}

func (e *DamagedError) Error() string { return "archive " + e.Path + " is damaged: " + e.What }

// Is makes errors.Is(err, ErrDamaged) true.
func (e *DamagedError) Is(target error) bool { return target == ErrDamaged }

// Unwrap returns the error that found the damage.
func (e *DamagedError) Unwrap() error { return e.Err }

// bbolt's on-disk layout, as far as checkFile reads it (bbolt's
// internal/common: page.go and meta.go). Every page starts with a 16-byte
// header: id uint64, flags uint16, count uint16, overflow uint32. A meta
// page's body is magic, version, page size, flags (uint32 each), the root
// bucket (root page id, sequence), the freelist page id, the high-water
// mark (the number of pages in use), the transaction id and an FNV-64a
// checksum of the fields before it (uint64 each).
const (
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	boltPageHeader   = 16
	boltMetaSize     = 64
	boltFreelistFlag = 0x10
	boltNoFreelist   = ^uint64(0)
)

// boltMeta is what checkFile reads of a meta page.
type boltMeta struct {
	pageSize uint64
	root     uint64 // the root bucket's page
	freelist uint64
	pgid     uint64 // the high-water mark
	txid     uint64
}

// parseMeta reads the meta page whose bytes start at b, or says why it is
// not a valid one.
func parseMeta(b []byte) (boltMeta, string) {
	if len(b) < boltPageHeader+boltMetaSize {
		return boltMeta{}, "the file ends before it"
	}
	m := b[boltPageHeader : boltPageHeader+boltMetaSize]
	le := binary.LittleEndian
	if le.Uint32(m[0:]) != boltMagic {
		return boltMeta{}, "it does not start with bbolt's magic number"
	}
	if le.Uint32(m[4:]) != boltVersion {
		return boltMeta{}, fmt.Sprintf("it has bbolt format version %d, not %d", le.Uint32(m[4:]), boltVersion)
	}
	h := fnv.New64a()
	h.Write(m[:56])
	if h.Sum64() != le.Uint64(m[56:]) {
		return boltMeta{}, "its checksum does not match"
	}
	meta := boltMeta{pageSize: uint64(le.Uint32(m[8:])), root: le.Uint64(m[16:]), freelist: le.Uint64(m[32:]), pgid: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}
	if meta.pageSize < 1024 || meta.pageSize&(meta.pageSize-1) != 0 {
		return boltMeta{}, fmt.Sprintf("it gives a page size of %d", meta.pageSize)
	}
	if meta.pgid < 3 {
		return boltMeta{}, fmt.Sprintf("it says the file has %d pages", meta.pgid)
	}
	return meta, ""
}

// boltDamaged reports whether a meta page, refused by parseMeta for the
// reason given, was a bbolt meta page once: it has the magic number and
// the version, and what follows them is garbled.
func boltDamaged(reason string) bool {
	return reason != "the file ends before it" && reason != "it does not start with bbolt's magic number" &&
		!strings.HasPrefix(reason, "it has bbolt format version")
}

// fileCheck is what checkFile found.
type fileCheck struct {
	// damaged is set when the file cannot be read safely: no page may be
	// read through bbolt.
	damaged string
	// metaProblems are the meta pages that are not valid while the other
	// is (bbolt reads the file through the valid one, which may be one
	// transaction older: a crash in the middle of a commit can leave a
	// meta page half-written).
	metaProblems []string
	// bolt is set when neither meta page is valid: the file is left to
	// bbolt, which says it is not a database.
	bolt bool
}

// checkFile reads the two meta pages of the bbolt file f, of size bytes,
// and checks what bbolt would trust without looking: that the file holds
// every page the meta page it reads from counts, and that the freelist
// page is one. bbolt maps the file and reads pages by address: a page
// beyond the end of the file is a SIGBUS, which no Go code can recover
// from unless the reading goroutine asked for it (see guard).
func checkFile(f io.ReaderAt, size int64, leaves bool) fileCheck {
	var fc fileCheck
	page0 := make([]byte, boltPageHeader+boltMetaSize)
	n, _ := f.ReadAt(page0, 0)
	m0, bad0 := parseMeta(page0[:n])
	// The second meta page is one page in; the page size is the first
	// one's, or, when that is not valid, one of those bbolt may use.
	var m1 boltMeta
	bad1 := "the file ends before it"
	sizes := []uint64{m0.pageSize}
	if bad0 != "" {
		sizes = []uint64{4096, 8192, 16384, 32768, 65536}
	}
	page1 := make([]byte, boltPageHeader+boltMetaSize)
	for _, ps := range sizes {
		n, _ := f.ReadAt(page1, int64(ps))
		if m1, bad1 = parseMeta(page1[:n]); bad1 == "" {
			break
		}
	}
	var m boltMeta
	switch {
	case bad0 != "" && bad1 != "":
		// A meta page with bbolt's magic number and version whose
		// fields fail their checksum is a damaged archive; a file with
		// neither is no bbolt file at all, as bbolt will say.
		if boltDamaged(bad0) || boltDamaged(bad1) {
			fc.damaged = fmt.Sprintf("both meta pages are damaged (meta page 0: %s; meta page 1: %s)", bad0, bad1)
			return fc
		}
		fc.bolt = true
		return fc
	case bad0 != "":
		m = m1
		fc.metaProblems = append(fc.metaProblems, "meta page 0 is not valid ("+bad0+")")
	case bad1 != "":
		m = m0
		fc.metaProblems = append(fc.metaProblems, "meta page 1 is not valid ("+bad1+")")
	case m1.txid > m0.txid:
		m = m1
	default:
		m = m0
	}
	if m0.pageSize != 0 && bad1 == "" && m1.pageSize != m0.pageSize {
		fc.damaged = fmt.Sprintf("its meta pages give page sizes %d and %d", m0.pageSize, m1.pageSize)
		return fc
	}
	ps := m.pageSize
	if want := m.pgid * ps; m.pgid > uint64(size)/ps {
		fc.damaged = fmt.Sprintf("the file is %d bytes, and its meta page says it holds %d pages of %d bytes (%d bytes): it was cut short", size, m.pgid, ps, want)
		return fc
	}
	if m.freelist != boltNoFreelist {
		if why := checkFreelist(f, m); why != "" {
			fc.damaged = fmt.Sprintf("freelist page %d: %s", m.freelist, why)
			return fc
		}
	}
	tc := treeCheck{f: f, m: m, leaves: leaves, visited: map[uint64]bool{}}
	fc.damaged = tc.check(m.root, 0, "")
	return fc
}

// checkFreelist checks the freelist page of the meta page m: its header,
// and that every page it lists is one of the file's.
func checkFreelist(f io.ReaderAt, m boltMeta) string {
	if m.freelist < 2 || m.freelist >= m.pgid {
		return fmt.Sprintf("it is not among the file's %d pages", m.pgid)
	}
	le := binary.LittleEndian
	hdr := make([]byte, boltPageHeader+8)
	if _, err := f.ReadAt(hdr, int64(m.freelist*m.pageSize)); err != nil {
		return "it cannot be read: " + err.Error()
	}
	if id := le.Uint64(hdr); id != m.freelist {
		return fmt.Sprintf("it says it is page %d", id)
	}
	if flags := le.Uint16(hdr[8:]); flags != boltFreelistFlag {
		return fmt.Sprintf("it has the flags %#x of another kind of page", flags)
	}
	overflow := uint64(le.Uint32(hdr[12:]))
	if m.freelist+overflow >= m.pgid {
		return fmt.Sprintf("it says it runs on for %d pages, past the end of the file's pages", overflow)
	}
	count, start := uint64(le.Uint16(hdr[10:])), uint64(boltPageHeader)
	if count == 0xFFFF {
		count, start = le.Uint64(hdr[boltPageHeader:]), boltPageHeader+8
	}
	room := (overflow + 1) * m.pageSize
	if count > (room-start)/8 {
		return fmt.Sprintf("it says it lists %d pages, more than it has room for", count)
	}
	ids := make([]byte, count*8)
	if _, err := f.ReadAt(ids, int64(m.freelist*m.pageSize+start)); err != nil {
		return "it cannot be read: " + err.Error()
	}
	for i := uint64(0); i < count; i++ {
		if id := le.Uint64(ids[8*i:]); id < 2 || id >= m.pgid {
			return fmt.Sprintf("it lists page %d as free, which is not among the file's %d pages", id, m.pgid)
		}
	}
	return ""
}

// checkPath runs checkFile on the file at path, holding a shared lock on
// it (bbolt's kind of lock) when timeout is not 0, so that no writer
// commits while the meta pages are read.
func checkPath(path string, timeout time.Duration, leaves bool) (fileCheck, error) {
	f, err := os.Open(path)
	if err != nil {
		return fileCheck{}, err
	}
	defer f.Close()
	if timeout != 0 {
		if err := lockShared(f, timeout); err != nil {
			return fileCheck{}, err
		}
	}
	fi, err := f.Stat()
	if err != nil {
		return fileCheck{}, err
	}
	return checkFile(f, fi.Size(), leaves), nil
}

// guard is deferred, with the result of debug.SetPanicOnFault(true), by
// every function that reads the archive through bbolt. It restores the
// goroutine's setting and turns a fault reading the mapped file, or a
// panic raised inside bbolt (its assertions about a page's type and id,
// an index out of a page's range), into a *DamagedError in *err. Any other
// panic is a bug and goes on.
func guard(path string, prev bool, err *error) {
	debug.SetPanicOnFault(prev)
	r := recover()
	if r == nil {
		return
	}
	what, ok := damage(r)
	if !ok {
		panic(r)
	}
	*err = &DamagedError{Path: path, What: what}
}

// damage says what a recovered panic found, when it is the file's damage.
func damage(r any) (string, bool) {
	if e, ok := r.(runtime.Error); ok {
		if _, fault := r.(interface{ Addr() uintptr }); fault {
			return "a page could not be read (" + e.Error() + ")", true
		}
	}
	if !panickedIn("go.etcd.io/bbolt") {
		return "", false
	}
	msg := strings.TrimPrefix(fmt.Sprint(r), "assertion failed: ")
	if _, ok := r.(runtime.Error); ok {
		msg = "bbolt could not read a page (" + msg + ")"
	}
	return msg, true
}

// panickedIn reports whether the panic being recovered was raised by a
// function of the package with the import path pkg (or of one below it).
func panickedIn(pkg string) bool {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(1, pcs)])
	panicking := false
	for {
		f, more := frames.Next()
		switch {
		case f.Function == "runtime.gopanic":
			panicking = true
		case panicking && strings.HasPrefix(f.Function, "runtime."):
			// panicIndex, sigpanic and the like
		case panicking:
			return strings.HasPrefix(f.Function, pkg+".") || strings.HasPrefix(f.Function, pkg+"/")
		}
		if !more {
			return false
		}
	}
}

// CheckFile checks the archive file's structure, reading it apart from
// bbolt: both meta pages (bbolt reads through the newer valid one, and
// silently falls back on the other), the freelist page, and every branch
// and leaf page of every bucket (see treeCheck). What it finds is
// returned as problems. A log on a database server has no file of its
// own to check: nothing is found.
func (tx *Tx) CheckFile() []Problem {
	if tx.log.bdb == nil {
		return nil
	}
	var out []Problem
	fc, err := checkPath(tx.log.path, 0, true) // the transaction keeps writers out
	if err != nil {
		return []Problem{{Message: "the archive file cannot be read: " + err.Error()}}
	}
	if fc.damaged != "" {
		out = append(out, Problem{Message: "the archive file is damaged: " + fc.damaged})
	}
	for _, p := range fc.metaProblems {
		out = append(out, Problem{Message: "the archive file is damaged: " + p + "; bbolt reads it through the other meta page, which may be one transaction older"})
	}
	return out
}

// treeCheck walks the B+trees of a bbolt file through ReadAt, checking
// what bbolt trusts without looking when it reads a page: that the page
// says it is the page it was reached as, is a branch or a leaf page, holds
// no more elements than fit in it, and that every child page is one of
// the file's and reached once (a cycle would send bbolt's cursor round it
// for ever). Branch pages are read in every tree; leaf pages in the root
// and the top-level buckets that may hold buckets (all but the log and
// the blobs), or everywhere when leaves is set.
type treeCheck struct {
	f       io.ReaderAt
	m       boltMeta
	leaves  bool
	visited map[uint64]bool
	bufs    [][]byte // a page buffer for each level of the walk
	level   int
}

// Page flags and element sizes (bbolt's internal/common/page.go).
const (
	boltBranchFlag    = 0x01
	boltLeafFlag      = 0x02
	boltBucketLeaf    = 0x01 // a leaf element that is a bucket
	boltElementSize   = 16   // branch and leaf elements alike
	boltInBucketBytes = 16   // root page id, sequence
)

// check checks the tree whose root page is pgid, of a bucket at nesting
// depth (0: the root bucket) named name, and says what is wrong ("" when
// nothing is).
func (c *treeCheck) check(pgid uint64, depth int, name string) string {
	return c.page(pgid, 0, depth, name)
}

// readsLeaves says whether the leaves of the bucket are read: where
// buckets may hold buckets, or everywhere when c.leaves is set. The log
// and the blobs hold none, and are most of the file: reading a leaf
// header of each source's bytes made a cold open read a tenth of a large
// archive (bbolt checks a leaf's header itself when it reads one, and
// the guard turns its panic into a DamagedError).
func (c *treeCheck) readsLeaves(depth int, name string) bool {
	return c.leaves || depth == 0 || depth == 1 && name != string(bucketLog) && name != string(bucketBlobs)
}

// isLeaf reports whether the page pgid, already checked, is a leaf.
func (c *treeCheck) isLeaf(pgid uint64) bool {
	var hdr [boltPageHeader]byte
	if _, err := c.f.ReadAt(hdr[:], int64(pgid*c.m.pageSize)); err != nil {
		return false
	}
	return binary.LittleEndian.Uint16(hdr[8:]) == boltLeafFlag
}

func (c *treeCheck) page(pgid uint64, height, depth int, name string) string {
	if pgid < 2 || pgid >= c.m.pgid {
		return fmt.Sprintf("a page of bucket %q points to page %d, which is not among the file's %d pages", name, pgid, c.m.pgid)
	}
	if c.visited[pgid] {
		return fmt.Sprintf("page %d is reached twice in the trees (bucket %q)", pgid, name)
	}
	c.visited[pgid] = true
	if height > 64 {
		return fmt.Sprintf("bucket %q is more than 64 pages deep at page %d", name, pgid)
	}
	le := binary.LittleEndian
	var hdrBuf [boltPageHeader]byte
	hdr := hdrBuf[:]
	if _, err := c.f.ReadAt(hdr, int64(pgid*c.m.pageSize)); err != nil {
		return fmt.Sprintf("page %d cannot be read: %v", pgid, err)
	}
	if id := le.Uint64(hdr); id != pgid {
		return fmt.Sprintf("page %d says it is page %d", pgid, id)
	}
	flags, count, overflow := le.Uint16(hdr[8:]), uint64(le.Uint16(hdr[10:])), uint64(le.Uint32(hdr[12:]))
	if flags != boltBranchFlag && flags != boltLeafFlag {
		return fmt.Sprintf("page %d of bucket %q has the flags %#x, not those of a branch or leaf page", pgid, name, flags)
	}
	if pgid+overflow >= c.m.pgid {
		return fmt.Sprintf("page %d says it runs on for %d pages, past the end of the file's pages", pgid, overflow)
	}
	size := (overflow + 1) * c.m.pageSize
	if boltPageHeader+count*boltElementSize > size {
		return fmt.Sprintf("page %d of bucket %q says it holds %d elements, more than fit in it", pgid, name, count)
	}
	if flags == boltLeafFlag && !c.readsLeaves(depth, name) {
		return ""
	}
	// The header and the elements, not the keys and values they point
	// to, in one buffer per level of the walk, reused.
	n := boltPageHeader + count*boltElementSize
	if len(c.bufs) <= c.level {
		c.bufs = append(c.bufs, nil)
	}
	if uint64(cap(c.bufs[c.level])) < n {
		c.bufs[c.level] = make([]byte, n)
	}
	p := c.bufs[c.level][:n]
	c.level++
	defer func() { c.level-- }()
	if _, err := c.f.ReadAt(p, int64(pgid*c.m.pageSize)); err != nil {
		return fmt.Sprintf("page %d cannot be read: %v", pgid, err)
	}
	// Without leaves, the leaves of a bucket that holds no buckets are
	// not read: their ids are checked, and bbolt checks their headers
	// as it reads them (a panic the guard turns into a DamagedError).
	skipLeaves := false
	for i := range count {
		at := boltPageHeader + i*boltElementSize
		e := p[at : at+boltElementSize]
		if flags == boltBranchFlag {
			pos, ksize := uint64(le.Uint32(e[0:])), uint64(le.Uint32(e[4:]))
			if at+pos+ksize > size {
				return fmt.Sprintf("page %d of bucket %q: element %d lies outside the page", pgid, name, i)
			}
			child := le.Uint64(e[8:])
			if skipLeaves {
				if child < 2 || child >= c.m.pgid || c.visited[child] {
					return fmt.Sprintf("page %d of bucket %q: element %d points to page %d, which is not among the file's %d pages or is reached twice", pgid, name, i, child, c.m.pgid)
				}
				c.visited[child] = true
				continue
			}
			if what := c.page(child, height+1, depth, name); what != "" {
				return what
			}
			// The children of a branch page are all leaves or all
			// branches: the first tells.
			skipLeaves = i == 0 && !c.readsLeaves(depth, name) && c.isLeaf(child)
			continue
		}
		eflags, pos, ksize, vsize := le.Uint32(e[0:]), uint64(le.Uint32(e[4:])), uint64(le.Uint32(e[8:])), uint64(le.Uint32(e[12:]))
		if at+pos+ksize+vsize > size {
			return fmt.Sprintf("page %d of bucket %q: element %d lies outside the page", pgid, name, i)
		}
		if eflags&boltBucketLeaf == 0 {
			continue
		}
		if vsize < boltInBucketBytes {
			return fmt.Sprintf("page %d of bucket %q: element %d is a bucket with a header of %d bytes", pgid, name, i, vsize)
		}
		kv := make([]byte, ksize+vsize)
		if _, err := c.f.ReadAt(kv, int64(pgid*c.m.pageSize+at+pos)); err != nil {
			return fmt.Sprintf("page %d cannot be read: %v", pgid, err)
		}
		key, v := kv[:ksize], kv[ksize:]
		if root := le.Uint64(v); root != 0 {
			if what := c.page(root, 0, depth+1, string(key)); what != "" {
				return what
			}
		} else if what := checkInline(v[boltInBucketBytes:]); what != "" { // 0: an inline bucket, in v
			return fmt.Sprintf("page %d of bucket %q: the inline bucket %q %s", pgid, name, key, what)
		}
	}
	return ""
}

// checkInline checks the page of an inline bucket, which is kept in its
// parent's leaf after the bucket header: a leaf page whose elements lie
// inside it and hold no buckets (an inline bucket has none). bbolt reads
// it without a check, and a damaged one can send a cursor round memory
// that is not the file's.
func checkInline(p []byte) string {
	le := binary.LittleEndian
	if len(p) < boltPageHeader {
		return fmt.Sprintf("has a page of %d bytes, shorter than a page header", len(p))
	}
	flags, count := le.Uint16(p[8:]), uint64(le.Uint16(p[10:]))
	if flags != boltLeafFlag {
		return fmt.Sprintf("has the flags %#x, not those of a leaf page", flags)
	}
	size := uint64(len(p))
	if boltPageHeader+count*boltElementSize > size {
		return fmt.Sprintf("says it holds %d elements, more than fit in it", count)
	}
	for i := range count {
		at := boltPageHeader + i*boltElementSize
		e := p[at : at+boltElementSize]
		eflags, pos, ksize, vsize := le.Uint32(e[0:]), uint64(le.Uint32(e[4:])), uint64(le.Uint32(e[8:])), uint64(le.Uint32(e[12:]))
		if eflags&boltBucketLeaf != 0 {
			return fmt.Sprintf("element %d is a bucket, which an inline bucket cannot hold", i)
		}
		if at+pos+ksize+vsize > size {
			return fmt.Sprintf("element %d lies outside it", i)
		}
	}
	return ""
}
