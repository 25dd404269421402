package archive

import (
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
// the form of a sources.yaml), in its order, one write each: each entry's
// file is read from fsys, at the entry's path relative to dir. It stops at
// the first entry that fails, with an error that names its file; the
// sources before it stay archived and are in the result.
func (a *Archive) AddSources(author string, fsys fs.FS, dir string, manifest []sources.ManifestEntry) ([]sources.Added, error) {
	var out []sources.Added
	for _, m := range manifest {
		name := path.Join(dir, m.File)
		f, err := fsys.Open(name)
		if err != nil {
			return out, &Error{Code: NotFound, Err: fmt.Errorf("source %s: %w", m.File, err)}
		}
		raw, err := readSource(name, f)
		f.Close()
		if err != nil {
			return out, fmt.Errorf("source %s: %w", m.File, err)
		}
		res, err := a.AddSource(author, raw, m.Meta())
		if err != nil {
			return out, &Error{Code: ErrorCode(err), Err: fmt.Errorf("source %s: %w", m.File, err)}
		}
		out = append(out, res)
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
