package archive

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance/bagit"
)

// A bag of an archive (ExportBag, ImportBag) is a BagIt 1.0 bag (RFC 8493)
// whose payload is the whole archive, in files any tool can read:
//
//	data/log.jsonl         the log, one event a line, oldest first (BagLogLine)
//	data/sources/HEX       the bytes of each source, named by their SHA-256
//
// with bag-info.txt naming the head it holds (BagHeadRevision,
// BagHeadHash) and the manifests and tag manifest of package bagit. The
// read model is not in the bag: it is rebuilt from the log on import.

// The bag-info.txt labels a bag of an archive adds to BagIt's own.
const (
	BagHeadRevision = "Sillok-Head-Revision" // the head revision of the log in the bag
	BagHeadHash     = "Sillok-Head-Hash"     // its hash, sha256:HEX
	BagFormat       = "Sillok-Format"        // the archive format version the log was written in
	BagSources      = "Sillok-Sources"       // how many sources' bytes data/sources holds
)

const (
	bagLogFile    = "log.jsonl"
	bagSourcesDir = "sources"
)

// releaseEvery is how many events a scan of the log reads between two
// releases of the file's mapped pages (projections.ReleaseMapped), so that
// they do not add up to the log's size in the process's memory.
const releaseEvery = 1 << 16

// BagLogLine is one line of data/log.jsonl: an event with its hashes.
// Payload is the payload's JSON exactly as the log stores it (and hashes
// it); RecordedAt is RFC 3339 in UTC with nanoseconds, so that the hash of
// every event can be computed again from the line (events.ComputeHash).
type BagLogLine struct {
	Revision   events.Revision `json:"revision"`
	Type       events.Type     `json:"type"`
	RecordedAt time.Time       `json:"recorded_at"`
	Author     string          `json:"author"`
	Payload    json.RawMessage `json:"payload"`
	Prev       events.Digest   `json:"prev"`
	Hash       events.Digest   `json:"hash"`
}

// appendBagLine appends e's line of data/log.jsonl to b.
func appendBagLine(b []byte, e *events.Event) []byte {
	b = append(b, `{"revision":`...)
	b = strconv.AppendUint(b, uint64(e.Revision), 10)
	b = append(b, `,"type":`...)
	b = appendJSONString(b, string(e.Type))
	b = append(b, `,"recorded_at":"`...)
	b = e.RecordedAt.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","author":`...)
	b = appendJSONString(b, e.Author)
	b = append(b, `,"payload":`...)
	b = append(b, e.Payload...)
	b = append(b, `,"prev":"sha256:`...)
	b = hex.AppendEncode(b, e.Prev[:])
	b = append(b, `","hash":"sha256:`...)
	b = hex.AppendEncode(b, e.Hash[:])
	return append(b, "\"}\n"...)
}

// appendJSONString appends s as a JSON string, without escaping HTML.
func appendJSONString(b []byte, s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

// BagOptions are ExportBag's options.
type BagOptions struct {
	// Organization is the bag's Source-Organization ("" leaves it out).
	Organization string
	// Description is its External-Description; "" says what the bag holds.
	Description string
	// Now is the clock of the Bagging-Date; nil means time.Now.
	Now func() time.Time
	// Progress, if not nil, is called on the calling goroutine as the
	// log is written: done of total events, every ProgressEvery events
	// and once at the end.
	Progress func(done, total int)
}

// BagReport says what a bag holds: what ExportBag wrote, or ImportBag
// read.
type BagReport struct {
	Dir      string        `json:"dir"`
	Revision Revision      `json:"revision"`
	Hash     events.Digest `json:"hash"`
	Events   int           `json:"events"`
	Sources  int           `json:"sources"`
	// PayloadOxum is the bag's payload size and file count, OCTETS.COUNT.
	PayloadOxum string `json:"payload_oxum"`
	// Warnings are what the validation of an imported bag found allowed
	// but suspect.
	Warnings []string `json:"warnings,omitempty"`
	// Archive is the archive an import built.
	Archive string `json:"archive,omitempty"`
}

// ExportBag writes the whole archive, as of its head when the export
// starts, as a BagIt bag in dir, which must not exist yet. The bag is
// written beside dir and renamed into place when whole. The log is
// checked as it is written (the hash chain, and the fixity of every
// source's bytes): an archive that fails either is not exported, since
// the bag would carry the damage on as history.
func (a *Archive) ExportBag(dir string, opts BagOptions) (*BagReport, error) {
	if _, err := os.Lstat(dir); err == nil {
		return nil, Errorf(Conflict, "%s already exists; a bag is written to a new directory", dir)
	}
	w, err := bagit.NewWriter(dir, bagit.WriterOptions{Now: opts.Now})
	if err != nil {
		return nil, &Error{Code: Internal, Err: err}
	}
	rep, err := a.writeBag(w, opts.Progress)
	if err != nil {
		w.Abort()
		return nil, err
	}
	rep.Dir = dir
	info := bagit.Tags{}
	if opts.Organization != "" {
		info = append(info, bagit.Tag{Label: "Source-Organization", Value: opts.Organization})
	}
	desc := opts.Description
	if desc == "" {
		desc = fmt.Sprintf("A Sillok archive: its event log (data/%s, one event a line with its hashes, %d events) and the bytes of its %d sources (data/%s/, named by SHA-256).",
			bagLogFile, rep.Events, rep.Sources, bagSourcesDir)
	}
	rep.PayloadOxum = w.PayloadOxum()
	info = append(info,
		bagit.Tag{Label: "External-Description", Value: desc},
		bagit.Tag{Label: "Bag-Software-Agent", Value: "sillok"},
		bagit.Tag{Label: BagHeadRevision, Value: strconv.FormatUint(uint64(rep.Revision), 10)},
		bagit.Tag{Label: BagHeadHash, Value: rep.Hash.String()},
		bagit.Tag{Label: BagFormat, Value: strconv.Itoa(events.FormatVersion)},
		bagit.Tag{Label: BagSources, Value: strconv.Itoa(rep.Sources)},
	)
	for i := range info {
		info[i].Value = strings.Map(func(r rune) rune {
			if r == '\r' || r == '\n' {
				return ' '
			}
			return r
		}, info[i].Value)
	}
	if err := w.Finish(info); err != nil {
		w.Abort()
		return nil, &Error{Code: Internal, Err: err}
	}
	return rep, nil
}

// writeBag writes the payload: the log, then the sources' bytes, from one
// read transaction.
func (a *Archive) writeBag(w *bagit.Writer, progress func(done, total int)) (*BagReport, error) {
	rep := &BagReport{}
	err := a.log.View(func(tx *events.Tx) error {
		head, headHash := tx.Head()
		rep.Revision, rep.Hash = head, headHash
		f, err := w.Create(bagLogFile)
		if err != nil {
			return err
		}
		var digests []events.Digest
		var sourceIDs []events.SourceID
		var prev events.Digest
		var line []byte
		n := 0
		err = tx.Scan(1, head, func(e events.Event) error {
			if e.Prev != prev || events.ComputeHash(&e) != e.Hash {
				return Errorf(Internal, "the log's hash chain is broken at revision %d; the archive is not exported (verify lists the problem)", e.Revision)
			}
			prev = e.Hash
			if e.Type == events.TypeSourceArchived {
				id, d, ok := events.DecodeSourceDigest(e.Payload)
				if !ok {
					p, err := e.Decode()
					if err != nil {
						return &Error{Code: Internal, Err: err}
					}
					src := p.(*events.SourceArchived)
					id, d = src.ID, src.Digest
				}
				digests = append(digests, d)
				sourceIDs = append(sourceIDs, id)
			}
			line = appendBagLine(line[:0], &e)
			if _, err := f.Write(line); err != nil {
				return err
			}
			n++
			if n%releaseEvery == 0 {
				projections.ReleaseMapped(tx)
			}
			if progress != nil && n%ProgressEvery == 0 {
				progress(n, int(head))
			}
			return nil
		})
		if err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		rep.Events = n
		if progress != nil {
			progress(n, int(head))
		}
		for i, d := range digests {
			if i%(releaseEvery/16) == 0 {
				projections.ReleaseMapped(tx)
			}
			b, problem := tx.BorrowVerifiedBlob(d)
			if problem != "" {
				return Errorf(Internal, "source %s: %s; the archive is not exported (verify lists the problem)", sourceIDs[i], problem)
			}
			f, err := w.Create(bagSourcesDir + "/" + d.Hex())
			if err != nil {
				return err
			}
			if _, err := f.Write(b); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
		}
		rep.Sources = len(digests)
		return nil
	})
	if err != nil {
		return nil, coded(err)
	}
	return rep, nil
}
