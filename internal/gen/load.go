package gen

import (
	"os"

	"github.com/sillok/sillok/archive"
)

// Load loads the set Generate wrote in dir into ar, as `sillok source
// import` of the manifest (one transaction) and `sillok claim
// import` of every claims file (one transaction each) would, recording as
// author. It returns the number of claims imported.
func Load(ar *archive.Archive, author, dir string) (claims int, err error) {
	if err := AddSources(ar, author, dir); err != nil {
		return 0, err
	}
	return ImportClaims(ar, author, dir)
}

// AddSources archives the sources of dir/sources.yaml into ar in load
// order, in one transaction (archive.AddSources).
func AddSources(ar *archive.Archive, author, dir string) error {
	manifest, err := ReadManifest(dir)
	if err != nil {
		return err
	}
	_, err = ar.AddSources(author, os.DirFS(dir), ".", manifest)
	return err
}

// ImportClaims imports dir's claims files into ar in load order, one
// transaction each, and returns the number of claims.
func ImportClaims(ar *archive.Archive, author, dir string) (int, error) {
	names, err := ClaimsFiles(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	_, err = ar.ImportClaims(author, ArchiveFiles(names), func(res archive.Imported) { n += res.Claims })
	return n, err
}

// ArchiveFiles names claims files for archive.Archive.ImportClaims, which
// reads each (ahead of its turn) when it needs it.
func ArchiveFiles(names []string) []archive.ClaimsFile {
	files := make([]archive.ClaimsFile, len(names))
	for i, name := range names {
		files[i] = archive.ClaimsFileAt(name)
	}
	return files
}
