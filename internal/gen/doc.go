// Package gen is the generator of synthetic archives (sillok gen). It
// writes what an archivist would feed Sillok: source documents, their manifest and claims
// files, plus the ground truth of the contradictions it planted.
//
// The world is made of stories. A story is about two to four organizations,
// each with facts (a founding date, a staff count, a head, members, ...),
// reported by two to four outlets in English; some of those articles are
// translated into Japanese or Korean (translation-of) and some are copied
// near-verbatim by another outlet (no metadata says so). Every fact is
// claimed by two or more sources, each with its own wording and precision.
//
// Names are built from invented words that are at least three edits apart
// from each other (found with a symmetric-deletion index), so that
// two different names, which differ in at least one whole word, never look
// alike by projections.LookAlike's rules; only the planted look-alikes do.
// Names reuse the words already invented (as real names share words), so the
// vocabulary grows much more slowly than the names. The planted contradictions and
// non-contradictions are listed in truth.yaml.
//
// Generate writes the files; it does not load them: Load does, into an
// archive opened through package archive, as `sillok source add` for each
// entry of the manifest (ReadManifest, in load order) and `sillok claim
// import` for each claims file (ClaimsFiles, in load order) would.
// ReadTruth reads the ground truth back for accuracy tests; package
// gentest holds the helpers the tests and benchmarks of several packages
// share.
package gen
