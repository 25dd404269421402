package bagit

import (
	"bufio"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// WriterOptions configure a Writer. The zero value writes SHA-256 and
// SHA-512 payload manifests and a SHA-256 tag manifest.
type WriterOptions struct {
	// Algorithms are the payload manifests to write; nil means SHA-256
	// and SHA-512.
	Algorithms []Algorithm
	// TagAlgorithms are the tag manifests to write; nil means SHA-256.
	TagAlgorithms []Algorithm
	// Now is the clock of Bagging-Date; nil means time.Now.
	Now func() time.Time
}

// Writer builds a bag in a temporary directory beside its final name, and
// puts it in place at Finish. It is not safe for concurrent use.
type Writer struct {
	dir, tmp string
	opts     WriterOptions
	files    []payloadFile
	names    map[string]bool
	open     bool // a payload file is being written
	done     bool
	buf      *bufio.Writer // the buffer of the payload file being written, reused
}

type payloadFile struct {
	path string // "data/..."
	size int64
	sums map[Algorithm]string
}

// NewWriter starts a bag that Finish will put at dir, which must not
// exist yet (its parent must).
func NewWriter(dir string, opts WriterOptions) (*Writer, error) {
	if opts.Algorithms == nil {
		opts.Algorithms = []Algorithm{SHA256, SHA512}
	}
	if opts.TagAlgorithms == nil {
		opts.TagAlgorithms = []Algorithm{SHA256}
	}
	for _, a := range append(slices.Clone(opts.Algorithms), opts.TagAlgorithms...) {
		if a.newHash() == nil {
			return nil, fmt.Errorf("bagit: unknown algorithm %q", a)
		}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if _, err := os.Lstat(dir); err == nil {
		return nil, fmt.Errorf("bagit: %s already exists; a bag is written to a new directory", dir)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("bagit: %w", err)
	}
	parent := filepath.Dir(filepath.Clean(dir))
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(filepath.Clean(dir))+".partial-")
	if err != nil {
		return nil, fmt.Errorf("bagit: %w", err)
	}
	if err := os.Mkdir(filepath.Join(tmp, "data"), 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("bagit: %w", err)
	}
	return &Writer{dir: dir, tmp: tmp, opts: opts, names: map[string]bool{}}, nil
}

// Create starts the payload file name (a slash-separated path under data/,
// "log.jsonl" or "sources/ab12..."). What is written to it is hashed as it
// goes; Close syncs it to disk and records it in the manifests.
func (w *Writer) Create(name string) (io.WriteCloser, error) {
	if w.done {
		return nil, errors.New("bagit: the bag is finished")
	}
	if w.open {
		return nil, errors.New("bagit: a payload file is still open")
	}
	clean := path.Clean(name)
	if name == "" || clean != name || path.IsAbs(name) || clean == "." || strings.HasPrefix(clean, "../") || clean == ".." || strings.Contains(name, "\\") {
		return nil, fmt.Errorf("bagit: payload file name %q is not a clean relative path", name)
	}
	p := "data/" + clean
	if w.names[p] {
		return nil, fmt.Errorf("bagit: payload file %s written twice", p)
	}
	full := filepath.Join(w.tmp, filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return nil, fmt.Errorf("bagit: %w", err)
	}
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("bagit: %w", err)
	}
	hw := &hashingFile{w: w, f: f, path: p, hashes: map[Algorithm]hash.Hash{}}
	var ws []io.Writer
	for _, a := range w.opts.Algorithms {
		h := a.newHash()
		hw.hashes[a] = h
		ws = append(ws, h)
	}
	if w.buf == nil {
		w.buf = bufio.NewWriterSize(nil, 1<<20)
	}
	w.buf.Reset(io.MultiWriter(append(ws, f)...))
	hw.buf = w.buf
	w.names[p] = true
	w.open = true
	return hw, nil
}

// hashingFile is a payload file being written.
type hashingFile struct {
	w      *Writer
	f      *os.File
	buf    *bufio.Writer
	path   string
	size   int64
	hashes map[Algorithm]hash.Hash
	closed bool
}

func (h *hashingFile) Write(p []byte) (int, error) {
	n, err := h.buf.Write(p)
	h.size += int64(n)
	return n, err
}

func (h *hashingFile) Close() error {
	if h.closed {
		return nil
	}
	h.closed = true
	h.w.open = false
	// Synced with the rest of the bag at Finish (syncTree), not one by
	// one: a bag of many small files would spend its time in fsync.
	err := h.buf.Flush()
	if cerr := h.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("bagit: write %s: %w", h.path, err)
	}
	pf := payloadFile{path: h.path, size: h.size, sums: map[Algorithm]string{}}
	for a, hh := range h.hashes {
		pf.sums[a] = hex.EncodeToString(hh.Sum(nil))
	}
	h.w.files = append(h.w.files, pf)
	return nil
}

// PayloadOxum is the Payload-Oxum of the files written so far:
// "OCTETS.COUNT".
func (w *Writer) PayloadOxum() string {
	var n int64
	for _, f := range w.files {
		n += f.size
	}
	return strconv.FormatInt(n, 10) + "." + strconv.Itoa(len(w.files))
}

// Finish writes the tag files (bagit.txt; bag-info.txt with info, and a
// Bagging-Date and Payload-Oxum unless info has them; the payload and tag
// manifests), syncs them, and renames the bag into place.
func (w *Writer) Finish(info Tags) error {
	if w.done {
		return errors.New("bagit: the bag is finished")
	}
	if w.open {
		return errors.New("bagit: a payload file is still open")
	}
	for _, t := range info {
		if err := checkTag(t); err != nil {
			return err
		}
	}
	if _, ok := info.Get("Bagging-Date"); !ok {
		info = append(info, Tag{"Bagging-Date", w.opts.Now().Format("2006-01-02")})
	}
	if _, ok := info.Get("Payload-Oxum"); !ok {
		info = append(info, Tag{"Payload-Oxum", w.PayloadOxum()})
	}
	tags := map[string][]byte{}
	var order []string
	put := func(name string, b []byte) {
		tags[name] = b
		order = append(order, name)
	}
	put("bagit.txt", []byte("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"))
	var bi strings.Builder
	for _, t := range info {
		bi.WriteString(t.Label + ": " + t.Value + "\n")
	}
	put("bag-info.txt", []byte(bi.String()))
	files := slices.Clone(w.files)
	slices.SortFunc(files, func(a, b payloadFile) int { return strings.Compare(a.path, b.path) })
	for _, a := range w.opts.Algorithms {
		var m strings.Builder
		for _, f := range files {
			m.WriteString(f.sums[a] + "  " + encodePath(f.path) + "\n")
		}
		put("manifest-"+string(a)+".txt", []byte(m.String()))
	}
	for _, a := range w.opts.TagAlgorithms {
		var m strings.Builder
		for _, name := range order {
			if strings.HasPrefix(name, "tagmanifest-") {
				continue
			}
			h := a.newHash()
			h.Write(tags[name])
			m.WriteString(hex.EncodeToString(h.Sum(nil)) + "  " + encodePath(name) + "\n")
		}
		tags["tagmanifest-"+string(a)+".txt"] = []byte(m.String())
	}
	for name, b := range tags {
		if err := writeFile(filepath.Join(w.tmp, name), b); err != nil {
			return err
		}
	}
	if err := syncTree(w.tmp); err != nil {
		return fmt.Errorf("bagit: sync %s: %w", w.tmp, err)
	}
	if _, err := os.Lstat(w.dir); err == nil {
		return fmt.Errorf("bagit: %s appeared while the bag was written; the bag is left at %s", w.dir, w.tmp)
	}
	if err := os.Rename(w.tmp, w.dir); err != nil {
		return fmt.Errorf("bagit: %w", err)
	}
	w.done = true
	return syncDir(filepath.Dir(filepath.Clean(w.dir)))
}

// Abort removes the unfinished bag. It does nothing after Finish.
func (w *Writer) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	return os.RemoveAll(w.tmp)
}

func writeFile(name string, b []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("bagit: %w", err)
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("bagit: write %s: %w", name, err)
	}
	return nil
}

// syncEach fsyncs every file and directory under root, so that the bag's
// bytes and directory entries are durable before the rename (syncTree
// where the system has nothing faster).
func syncEach(root string) error {
	return filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		return f.Sync()
	})
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("bagit: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("bagit: sync %s: %w", dir, err)
	}
	return nil
}
