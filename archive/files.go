package archive

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/sources"
)

// Reading the files a front end hands over by name: sources and claims
// files on disk or in a file system, refused before they are read whole
// when they are directories or too large.

// ReadSourceFile reads the source file name (on disk) for AddSource. A
// directory, or a file over sources.MaxSourceBytes, is Invalid.
func ReadSourceFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readSource(name, f)
}

// readSource reads at most sources.MaxSourceBytes of f, the file name.
func readSource(name string, f fs.File) ([]byte, error) {
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, Errorf(Invalid, "%s is a directory, not a source file", name)
	}
	raw, err := io.ReadAll(io.LimitReader(f, sources.MaxSourceBytes+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > sources.MaxSourceBytes {
		return nil, &Error{Code: Invalid, Err: fmt.Errorf("%s: %w", name, sources.ErrTooLarge)}
	}
	return raw, nil
}

// ClaimsFileAt is the claims file name (on disk), for ImportClaims: it is
// opened when its turn comes, and refused then if it is a directory or
// larger than MaxClaimsFile.
func ClaimsFileAt(name string) ClaimsFile {
	return ClaimsFile{Name: name, Open: func() (io.ReadCloser, error) {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, err
		}
		if fi.IsDir() {
			f.Close()
			return nil, Errorf(Invalid, "%s is a directory, not a claims file", name)
		}
		if fi.Size() > MaxClaimsFile {
			f.Close()
			return nil, Errorf(Invalid, "%s is %d MiB; a claims file may be at most %d MiB: split it into several files", name, fi.Size()>>20, MaxClaimsFile>>20)
		}
		return f, nil
	}}
}

// AddSources archives the sources a manifest lists (sources.ManifestEntry,
// the form of a sources.yaml; sources.ParseManifest reads one), in its
// order, in one transaction: each entry's file is read from fsys, at the
// entry's path relative to dir. Every file is looked at (there, not a
// directory, not too large) before anything is read into the archive, and
// the first entry that fails stops it with an error that names the entry
// (sources.ManifestEntry.Where) and keeps the code of its cause: then
// nothing of the manifest is archived. An entry whose bytes are already
// archived adds nothing, with Created false, as AddSource.
func (a *Archive) AddSources(author string, fsys fs.FS, dir string, manifest []sources.ManifestEntry) ([]sources.Added, error) {
	if err := checkAuthor(author); err != nil {
		return nil, err
	}
	entryErr := func(m sources.ManifestEntry, err error) error {
		return &Error{Code: ErrorCode(err), Err: fmt.Errorf("%s: %w", m.Where(), err)}
	}
	for _, m := range manifest {
		name := path.Join(dir, m.File)
		fi, err := fs.Stat(fsys, name)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, &Error{Code: NotFound, Err: fmt.Errorf("%s: %w", m.Where(), fs.ErrNotExist)}
		case err != nil:
			return nil, entryErr(m, err)
		case fi.IsDir():
			return nil, entryErr(m, Errorf(Invalid, "%s is a directory, not a source file", name))
		case fi.Size() > sources.MaxSourceBytes:
			return nil, entryErr(m, &Error{Code: Invalid, Err: fmt.Errorf("%s: %w", name, sources.ErrTooLarge)})
		}
	}
	var out []sources.Added
	err := a.update(func(tx *events.Tx) error {
		out = out[:0]
		for _, m := range manifest {
			name := path.Join(dir, m.File)
			f, err := fsys.Open(name)
			if err != nil {
				return &Error{Code: NotFound, Err: fmt.Errorf("%s: %w", m.Where(), err)}
			}
			raw, err := readSource(name, f)
			f.Close()
			if err != nil {
				return entryErr(m, err)
			}
			res, err := sources.Add(tx, author, raw, m.Meta())
			if err != nil {
				return entryErr(m, err)
			}
			out = append(out, res)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ParseRelation reads a relation value written on one line, as a front end
// takes it from a text field: "after:SUBJECT/PREDICATE" (or before:,
// same:), the fact the value is after, before or the same as. ok is false
// for anything else, which is then an ordinary value.
func ParseRelation(s string) (_ *events.Relation, ok bool) {
	op, rest, found := strings.Cut(s, ":")
	switch events.RelationOp(op) {
	case events.RelAfter, events.RelBefore, events.RelSame:
	default:
		return nil, false
	}
	i := strings.LastIndex(rest, "/")
	if !found || i <= 0 || i == len(rest)-1 {
		return nil, false
	}
	return &events.Relation{Op: events.RelationOp(op), To: events.FactRef{Subject: strings.TrimSpace(rest[:i]), Predicate: strings.TrimSpace(rest[i+1:])}}, true
}
