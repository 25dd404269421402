package archive

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance/bagit"
)

// ImportBagOptions are ImportBag's options.
type ImportBagOptions struct {
	// Validated, if not nil, is the bag's validation already done
	// (bagit.Validate on the same directory); ImportBag then skips its own.
	Validated *bagit.Result
	// Hashing, if not nil, is called as the bag's files are hashed: done
	// of total bytes.
	Hashing func(done, total int64)
	// Progress, if not nil, is called on the calling goroutine as the
	// events are appended to the new archive: done of total events, every
	// ProgressEvery events and once at the end. The rebuild of the read
	// model that follows reports nothing further.
	Progress func(done, total int)
}

// maxBagLine is the longest line of data/log.jsonl ImportBag reads: far
// more than any event the log can hold in practice.
const maxBagLine = 256 << 20

// importBatch is how many events one transaction of an import appends.
const importBatch = 1 << 14

// ImportBag builds a new archive at path from the bag in dir (as
// ExportBag writes it), identical to the exported one in every event and
// hash, and rebuilds its read model from the log. It checks the whole bag
// before it writes anything: the bag is valid (package bagit: every
// manifest line, the Payload-Oxum, no file missing or extra), it holds
// only the log and the sources' bytes, every line of the log is an event
// that extends the hash chain and hashes as it says, the log ends at the
// head bag-info.txt names, and every source's bytes are there. A bag that
// fails any of it is refused (Invalid) with what is wrong; then nothing is
// written. The archive is built in a temporary file beside path and
// renamed to path when whole; a path that exists is refused (Conflict).
//
// A PostgreSQL URL as path imports into that database, which must hold no
// archive or an empty one (made by Create); the events land in one
// transaction, so a failed import leaves the database as it was.
func ImportBag(dir, path string, opts Options, iopts ImportBagOptions) (*BagReport, error) {
	onServer := events.IsURL(path)
	if _, err := os.Lstat(path); err == nil && !onServer {
		return nil, Errorf(Conflict, "%s already exists; a bag is imported into a new archive", path)
	}
	res := iopts.Validated
	if res == nil {
		var err error
		res, err = bagit.Validate(dir, bagit.Options{Progress: iopts.Hashing})
		if err != nil {
			return nil, &Error{Code: NotFound, Err: err}
		}
	}
	if err := res.Err(); err != nil {
		return nil, &Error{Code: Invalid, Err: err}
	}
	rep, blobs, err := checkBagContents(dir, res)
	if err != nil {
		return nil, err
	}
	rep.Warnings = res.Warnings
	rep.Dir = dir
	rep.Archive = events.Redact(path)
	if onServer {
		return importBagURL(dir, path, blobs, rep, opts, iopts)
	}

	tmp, err := tempArchivePath(path)
	if err != nil {
		return nil, &Error{Code: Internal, Err: err}
	}
	defer os.Remove(tmp) // gone once renamed
	log, err := events.Create(tmp, events.Options{NoSync: true})
	if err != nil {
		return nil, &Error{Code: ErrorCode(err), Err: err}
	}
	if err := buildFromBag(dir, log, false, blobs, rep, iopts.Progress); err != nil {
		return nil, err
	}
	ar, err := rebuildImported(tmp, opts, rep)
	if err != nil {
		return nil, err
	}
	if err := ar.Close(); err != nil {
		return nil, &Error{Code: Internal, Err: err}
	}
	// Link refuses to replace a file that appeared meanwhile, where a
	// rename would not.
	if err := os.Link(tmp, path); err != nil {
		if _, statErr := os.Lstat(path); statErr == nil {
			return nil, Errorf(Conflict, "%s appeared while the bag was imported; nothing was written there", path)
		}
		if err := os.Rename(tmp, path); err != nil {
			return nil, &Error{Code: Internal, Err: err}
		}
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return rep, nil
}

// importBagURL is ImportBag into a PostgreSQL database.
func importBagURL(dir, url string, blobs map[events.Digest]string, rep *BagReport, opts Options, iopts ImportBagOptions) (*BagReport, error) {
	log, err := events.Open(url, events.Options{})
	if errors.Is(err, events.ErrNoArchive) {
		log, err = events.Create(url, events.Options{})
	}
	if err != nil {
		return nil, &Error{Code: ErrorCode(err), Err: err}
	}
	if head, _, err := log.Head(); err != nil || head != 0 {
		log.Close()
		if err != nil {
			return nil, coded(err)
		}
		return nil, Errorf(Conflict, "%s already holds an archive of %d events; a bag is imported into a new archive", events.Redact(url), head)
	}
	if err := buildFromBag(dir, log, true, blobs, rep, iopts.Progress); err != nil {
		return nil, err
	}
	ar, err := rebuildImported(url, opts, rep)
	if err != nil {
		return nil, err
	}
	return rep, ar.Close()
}

// rebuildImported opens the archive a bag was imported into, builds its
// read model and checks that its head is the bag's.
func rebuildImported(path string, opts Options, rep *BagReport) (*Archive, error) {
	opts.ReadOnly = false
	ar, err := Open(path, opts)
	if err != nil {
		return nil, err
	}
	if _, err := ar.Rebuild(); err != nil {
		ar.Close()
		return nil, err
	}
	if rev, hash, err := ar.Head(); err != nil || rev != rep.Revision || hash != rep.Hash {
		ar.Close()
		if err == nil {
			err = Errorf(Internal, "the imported archive's head is %d %s, the bag's %d %s", rev, hash, rep.Revision, rep.Hash)
		}
		return nil, err
	}
	return ar, nil
}

// tempArchivePath returns a name that is free beside path, for an archive
// being built.
func tempArchivePath(path string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".import-")
	if err != nil {
		return "", err
	}
	name := f.Name()
	f.Close()
	// events.Create wants to make the file itself.
	return name, os.Remove(name)
}

// bagError is a bag whose content is not an archive's: Invalid.
func bagError(format string, args ...any) error {
	return &Error{Code: Invalid, Err: fmt.Errorf("bag: "+format, args...)}
}

// checkBagContents checks what a valid bag holds (only the log and the
// sources' bytes) and reads the whole log once, checking the chain, before
// anything is written. It returns what the bag holds, and the sources'
// files by digest.
func checkBagContents(dir string, res *bagit.Result) (*BagReport, map[events.Digest]string, error) {
	blobs := map[events.Digest]string{}
	hasLog := false
	var octets int64
	for _, f := range res.Payload {
		octets += f.Size
		rel := strings.TrimPrefix(f.Path, "data/")
		if rel == bagLogFile {
			hasLog = true
			continue
		}
		name, ok := strings.CutPrefix(rel, bagSourcesDir+"/")
		d, err := events.ParseDigest(name)
		if !ok || err != nil || len(name) != 64 || strings.ToLower(name) != name {
			return nil, nil, bagError("%s is not part of a Sillok bag (data/%s and data/%s/SHA256 only)", f.Path, bagLogFile, bagSourcesDir)
		}
		if sum, ok := f.Sums[bagit.SHA256]; ok && sum != name {
			return nil, nil, bagError("%s: its SHA-256 is %s, not its name", f.Path, sum)
		}
		blobs[d] = filepath.Join(dir, filepath.FromSlash(f.Path))
	}
	if !hasLog {
		return nil, nil, bagError("the bag has no data/%s: it is not a bag of a Sillok archive", bagLogFile)
	}
	rep := &BagReport{PayloadOxum: strconv.FormatInt(octets, 10) + "." + strconv.Itoa(len(res.Payload))}
	if v, ok := res.Info.Get(BagFormat); ok && v != strconv.Itoa(events.FormatVersion) {
		return nil, nil, bagError("its log is in archive format %s; this program reads format %d", v, events.FormatVersion)
	}
	used := map[events.Digest]bool{}
	err := scanBagLog(dir, func(e *events.Event, line int) error {
		if e.Type == events.TypeSourceArchived {
			p, err := e.Decode()
			if err != nil {
				return bagError("data/%s line %d: %v", bagLogFile, line, err)
			}
			src := p.(*events.SourceArchived)
			if _, ok := blobs[src.Digest]; !ok {
				return bagError("data/%s line %d: source %s: its bytes, data/%s/%s, are not in the bag", bagLogFile, line, src.ID, bagSourcesDir, src.Digest.Hex())
			}
			used[src.Digest] = true
			rep.Sources++
		}
		rep.Events++
		rep.Revision, rep.Hash = e.Revision, e.Hash
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	for d := range blobs {
		if !used[d] {
			return nil, nil, bagError("data/%s/%s is not the bytes of any source the log archives", bagSourcesDir, d.Hex())
		}
	}
	if v, ok := res.Info.Get(BagHeadRevision); ok && v != strconv.FormatUint(uint64(rep.Revision), 10) {
		return nil, nil, bagError("the log ends at revision %d, but bag-info.txt says the head is revision %s: the log was cut short or extended", rep.Revision, v)
	}
	if v, ok := res.Info.Get(BagHeadHash); ok {
		if d, err := events.ParseDigest(v); err != nil || d != rep.Hash {
			return nil, nil, bagError("the log's head hash is %s, but bag-info.txt says %s", rep.Hash, v)
		}
	}
	return rep, blobs, nil
}

// scanBagLog reads data/log.jsonl line by line, checking that each line is
// an event that extends the chain of the lines before it and hashes as it
// says, and calls fn for each.
func scanBagLog(dir string, fn func(e *events.Event, line int) error) error {
	f, err := os.Open(filepath.Join(dir, "data", bagLogFile))
	if err != nil {
		return &Error{Code: Invalid, Err: err}
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), maxBagLine)
	var prev events.Digest
	var want events.Revision = 1
	line := 0
	for sc.Scan() {
		line++
		where := fmt.Sprintf("data/%s line %d", bagLogFile, line)
		e, err := parseBagLine(sc.Bytes())
		if err != nil {
			return bagError("%s: %v", where, err)
		}
		if e.Revision != want {
			return bagError("%s: revision %d, want %d: the log's revisions must follow one another from 1", where, e.Revision, want)
		}
		if e.Prev != prev {
			return bagError("%s: revision %d: its previous hash %s is not the hash of revision %d, %s: the chain is broken", where, e.Revision, e.Prev, e.Revision-1, prev)
		}
		if h := events.ComputeHash(&e); h != e.Hash {
			return bagError("%s: revision %d: its hash is %s, but it hashes to %s: the event was altered", where, e.Revision, e.Hash, h)
		}
		if err := fn(&e, line); err != nil {
			return err
		}
		prev = e.Hash
		want++
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return bagError("data/%s line %d: a line longer than %d MiB", bagLogFile, line+1, maxBagLine>>20)
		}
		return &Error{Code: Internal, Err: err}
	}
	return nil
}

// parseBagLine reads one line of data/log.jsonl (the event's payload is
// a copy: b may be reused).
func parseBagLine(b []byte) (events.Event, error) {
	if e, ok := parseCanonicalLine(b); ok {
		return e, nil
	}
	// Not in the form export writes: json says what is wrong, if it can.
	var l BagLogLine
	if err := json.Unmarshal(b, &l); err != nil {
		return events.Event{}, fmt.Errorf("not an event: %v", err)
	}
	if l.Revision == 0 || l.Type == "" || l.RecordedAt.IsZero() || len(l.Payload) == 0 {
		return events.Event{}, errors.New("an event needs its revision, type, recorded_at and payload")
	}
	e := events.Event{Revision: l.Revision, Type: l.Type, RecordedAt: l.RecordedAt.UTC(), Author: l.Author,
		Payload: l.Payload, Prev: l.Prev, Hash: l.Hash}
	// The line must be as ExportBag writes it, field for field: nothing
	// more (an unknown field), nothing written otherwise.
	if !bytes.Equal(appendBagLine(nil, &e), append(bytes.TrimSuffix(b, []byte("\r")), '\n')) {
		return events.Event{}, errors.New("not an event line as sillok export bag writes it (its fields, in their order, compact)")
	}
	return e, nil
}

// buildFromBag appends the bag's events, and stores the sources' bytes,
// into the empty log, and closes it. A new file is written in
// transactions of importBatch events and synced once at the end (it is
// renamed into place only after that); with oneTx (a database), all of
// it is one transaction, flushed to the server a batch at a time. The
// log is read and hashed, and the sources' bytes read, on another
// goroutine, a batch ahead of the appends.
func buildFromBag(dir string, log *events.Log, oneTx bool, blobs map[events.Digest]string, rep *BagReport, progress func(done, total int)) (err error) {
	type batch struct {
		evs   []events.Event
		bytes [][]byte // a source's bytes, for a source.archived event
	}
	batches := make(chan batch, 1)
	stop := make(chan struct{})
	halt := sync.OnceFunc(func() { close(stop) })
	errStopped := errors.New("stopped")
	var scanErr error
	go func() {
		defer close(batches)
		var b batch
		send := func() bool {
			select {
			case batches <- b:
				b = batch{}
				return true
			case <-stop:
				return false
			}
		}
		scanErr = scanBagLog(dir, func(e *events.Event, line int) error {
			var raw []byte
			if e.Type == events.TypeSourceArchived {
				var err error
				if raw, err = readBagBlob(*e, blobs); err != nil {
					return err
				}
			}
			b.evs = append(b.evs, *e)
			b.bytes = append(b.bytes, raw)
			if len(b.evs) >= importBatch && !send() {
				return errStopped
			}
			return nil
		})
		if scanErr == nil && len(b.evs) > 0 {
			send()
		}
	}()
	n := 0
	appendBatch := func(tx *events.Tx, b batch) error {
		// The pages the last batches faulted in are not needed again.
		projections.ReleaseMapped(tx)
		for i, e := range b.evs {
			if b.bytes[i] != nil {
				if _, err := tx.PutBlob(b.bytes[i]); err != nil {
					return err
				}
			}
			if _, err := tx.AppendRecorded(e); err != nil {
				return err
			}
		}
		return tx.Flush()
	}
	each := func(tx *events.Tx, b batch) error {
		if tx == nil {
			return log.Update(func(tx *events.Tx) error { return appendBatch(tx, b) })
		}
		return appendBatch(tx, b)
	}
	loop := func(tx *events.Tx) error {
		var err error
		for b := range batches {
			if err != nil {
				continue // draining: the reader stops at its next batch
			}
			if err = each(tx, b); err != nil {
				halt()
				continue
			}
			n += len(b.evs)
			if progress != nil {
				progress(n, rep.Events)
			}
		}
		if err == nil && scanErr != nil && scanErr != errStopped {
			err = scanErr // the reader has closed batches: scanErr is set
		}
		return err
	}
	if oneTx {
		err = log.Update(func(tx *events.Tx) error {
			// Checked again under the write lock: another process may
			// have written since.
			if head, _ := tx.Head(); head != 0 {
				return Errorf(Conflict, "%s already holds an archive of %d events; a bag is imported into a new archive", log.Path(), head)
			}
			return loop(tx)
		})
	} else {
		err = loop(nil)
	}
	// However it ended (a transaction that failed before its loop ran
	// included), the reader stops and lets go of its batch.
	halt()
	for range batches {
	}
	if err == nil {
		err = log.Sync()
	}
	if cerr := log.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		var re *events.RecordedError
		if errors.As(err, &re) {
			return bagError("data/%s: %v", bagLogFile, err)
		}
		return coded(err)
	}
	return nil
}

// readBagBlob reads the bytes of the source e archives from the bag, and
// checks them against its digest.
func readBagBlob(e events.Event, blobs map[events.Digest]string) ([]byte, error) {
	p, err := e.Decode()
	if err != nil {
		return nil, bagError("data/%s: revision %d: %v", bagLogFile, e.Revision, err)
	}
	src := p.(*events.SourceArchived)
	b, err := os.ReadFile(blobs[src.Digest])
	if err != nil {
		return nil, &Error{Code: Internal, Err: err}
	}
	if events.DigestOf(b) != src.Digest {
		return nil, bagError("data/%s/%s changed while the bag was imported", bagSourcesDir, src.Digest.Hex())
	}
	return b, nil
}

// bagLineTail is the length of the end of a log line after its payload:
// ,"prev":"sha256:HEX","hash":"sha256:HEX"} .
const bagLineTail = len(`,"prev":"sha256:`) + 64 + len(`","hash":"sha256:`) + 64 + len(`"}`)

// parseCanonicalLine reads a line written exactly as appendBagLine writes
// one, without reflection: ok is false for anything else.
func parseCanonicalLine(line []byte) (e events.Event, ok bool) {
	b := bytes.TrimSuffix(line, []byte("\r"))
	rest, ok := bytes.CutPrefix(b, []byte(`{"revision":`))
	if !ok {
		return e, false
	}
	i := bytes.IndexByte(rest, ',')
	if i < 1 {
		return e, false
	}
	rev, err := strconv.ParseUint(string(rest[:i]), 10, 64)
	if err != nil {
		return e, false
	}
	e.Revision = events.Revision(rev)
	if rest, ok = bytes.CutPrefix(rest[i:], []byte(`,"type":`)); !ok {
		return e, false
	}
	var typ string
	if typ, rest, ok = cutJSONString(rest); !ok {
		return e, false
	}
	e.Type = events.Type(typ)
	if rest, ok = bytes.CutPrefix(rest, []byte(`,"recorded_at":"`)); !ok {
		return e, false
	}
	if i = bytes.IndexByte(rest, '"'); i < 0 {
		return e, false
	}
	if e.RecordedAt, err = time.Parse(time.RFC3339Nano, string(rest[:i])); err != nil {
		return e, false
	}
	e.RecordedAt = e.RecordedAt.UTC()
	if rest, ok = bytes.CutPrefix(rest[i:], []byte(`","author":`)); !ok {
		return e, false
	}
	if e.Author, rest, ok = cutJSONString(rest); !ok {
		return e, false
	}
	if rest, ok = bytes.CutPrefix(rest, []byte(`,"payload":`)); !ok || len(rest) < bagLineTail+2 {
		return e, false
	}
	payload, tail := rest[:len(rest)-bagLineTail], rest[len(rest)-bagLineTail:]
	if tail, ok = bytes.CutPrefix(tail, []byte(`,"prev":"sha256:`)); !ok {
		return e, false
	}
	if _, err := hex.Decode(e.Prev[:], tail[:64]); err != nil {
		return e, false
	}
	if tail, ok = bytes.CutPrefix(tail[64:], []byte(`","hash":"sha256:`)); !ok {
		return e, false
	}
	if _, err := hex.Decode(e.Hash[:], tail[:64]); err != nil || string(tail[64:]) != `"}` {
		return e, false
	}
	e.Payload = bytes.Clone(payload)
	// Hex in upper case, a string escaped otherwise: not as written.
	if !bytes.Equal(appendBagLine(nil, &e), append(bytes.Clone(b), '\n')) {
		return e, false
	}
	return e, true
}

// cutJSONString reads the JSON string at the start of b.
func cutJSONString(b []byte) (s string, rest []byte, ok bool) {
	if len(b) < 2 || b[0] != '"' {
		return "", b, false
	}
	escaped := false
	for i := 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			escaped = true
			i++
		case '"':
			if !escaped {
				return string(b[1:i]), b[i+1:], true
			}
			if err := json.Unmarshal(b[:i+1], &s); err != nil {
				return "", b, false
			}
			return s, b[i+1:], true
		}
	}
	return "", b, false
}
