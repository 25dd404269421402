// Package projections folds the log into what people read: there are only
// a few nouns here, the State (the fold of the events up to a revision),
// the Store that keeps checkpoints of it in the archive, and the Analysis
// of a State: its Entities with their Facts, and its Conflicts.
//
// # Basics
//
// State.Apply folds one event; it touches nothing but the State, so a
// state built incrementally equals one replayed from revision 1. Analyze
// is a pure function of a State: entity resolution (a union-find over name
// keys joined by aliases, claims' "as" and "same" verdicts, never joining
// names declared distinct), source
// independence (translations, and copies found by MinHash), the reconciled
// facts, and the three checks — value, temporal, name — each about linear
// in the claims. Verdicts are applied as the State records them: an accept
// or reject marks claims rejected, and rejected claims take no part. A new
// verdict on a conflict replaces the earlier one whole: the claims that one
// accepted or rejected are settled again by the verdicts that stand.
//
// Values are parsed once, at the boundary: a claim's date or quantity
// when the claim is folded in (or its checkpoint decoded, which stores the
// written form), and a conflict's kind and status are the types
// ConflictKind and ConflictStatus (ParseConflictKind, ParseConflictStatus
// for front ends that take them from users). A stored value that no longer
// parses is kept as written and listed by State.ValueProblems, never
// dropped (Claim.ValueProblem).
//
// Store.At answers "the state at revision N" from the nearest checkpoint
// at or before N plus a replay of the events after it. Store.CatchUp, called
// by every write transaction after it appends, stores a checkpoint when the
// head is max(Interval, newest/16) events past the newest one (Interval is
// 1000 by default), and thins older ones: it keeps the newest and, for each
// of head/2, head/4, ..., the latest checkpoint at or before it, so the
// checkpoints kept add up to about two or three times the newest.
// Store.Rebuild wipes and replays, and stores the head's checkpoint and
// only as many of the older ones as fit in 16 MiB (see Rebuild for the
// trade-off); Store.Check compares every checkpoint with a replay,
// Store.CheckSums only verifies their checksums (no replay), and
// Store.RebuildChecked does Check and Rebuild with one replay.
//
// A long replay (fold.go) decodes payloads and sketches sources' texts on
// worker goroutines while the calling goroutine reads the log and the
// texts, and another applies the events in order; it gives the state and
// the errors Apply would, one event at a time. (Event.Decode reads each
// payload type with its grammar of the form the log writes:
// events/jsondec.go.) It releases the pages of the archive
// file it has read as it goes (ReleaseMapped), so that a rebuild's memory
// is the state's, not the state's plus the log's.
//
// # Bucket layout
//
//	projections                 top-level bucket, owned by this package
//	  "schema"     → uvarint SchemaVersion
//	  "head"       → 8-byte BE revision, 32-byte hash, 4-byte LE CRC-32C
//	                 of the two: the head of the log when a write last
//	                 stored the projection (CheckHead); a record written
//	                 before the checksum has none
//	  checkpoints               sub-bucket
//	    8-byte BE revision → checkpoint of the State at that revision
//
// A checkpoint (codec.go) is a CRC-32C (Castagnoli) of the rest, a codec
// version byte, and a compact binary encoding of the State: a string
// section with the bytes of every string, then a record section with the
// rest (counts, revisions, flags, sketches, string lengths), maps in a
// fixed order and repeated strings as references to their first
// occurrence. The encoding is canonical, so equal states have equal bytes
// and Check can compare them directly. A decoder makes one Go string of
// the string section and slices every string out of it. A checkpoint
// whose checksum fails is an error for reads, which say to run sillok
// rebuild. When "schema" is missing or differs from SchemaVersion the
// bucket is ignored by reads and wiped and rebuilt by the next write.
//
// # Caveats
//
// Analyze works on the whole State: a read costs a checkpoint decode, a
// replay of the events after it (at most max(Interval, head/16)) and one
// analysis pass, all growing with the archive. A stored, incrementally
// maintained analysis would make reads grow with what was appended
// instead; see the README's Performance section. Conflict ids
// are short hashes of what a conflict concerns; they stay stable while
// that does, but a value conflict's id changes if an alias merges its
// subject into another entity or another entity's first name comes to
// share the NameKey of its subject's first name, and a name conflict's when
// a NameKey of its names comes to have names of more than one entity.
//
// # Names
//
// Two names are one name, and one entity without an alias, when their
// IdentityKeys are equal: the same text after sources.Normalize and case
// folding, with the full stops, apostrophes, commas and hyphens that only
// write a word differently folded away ("Washington, D.C." and
// "Washington DC"). Symbols, emoji and other punctuation count, so "C",
// "C++" and "C#" are three names. The looser NameKey, which folds all
// punctuation and symbols away, is only for comparison: names that share
// a NameKey but not an IdentityKey are a name question (ReasonFolding),
// and text values compare by it. A distinct declaration (alias kind
// distinct, or a distinct verdict) always keeps two names apart: links
// that would join them are not followed, and if their IdentityKeys are
// equal ("ASEAN" and "Asean") the names of that key are told apart by
// their exact form. The keys are derived while analysing, never stored.
package projections
