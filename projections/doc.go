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
//	  model                     sub-bucket: the read model (model.go)
//	    "rev"      → 8-byte BE revision the model is of (reads use it
//	                 only when it is the log's head)
//	    "base"     → 8-byte BE revision its versions start at (a rebuild,
//	                 or the write that first stored it)
//	    cur                     the model at "rev": key → value + CRC-32C
//	                            (4 bytes LE) of key and value
//	      "e\x00" entity key            → entity record (JSON: name,
//	                                      aliases, facts, and for each
//	                                      name where it first appeared
//	                                      and how it was used: nameMeta)
//	      "o\x00" name \x00 entity key  → "" (the view's order)
//	      "n\x00" name key              → entity key (the name index:
//	                                      IdentityKey, or IdentityKey
//	                                      \x00 normalized name when
//	                                      "p\x00" IdentityKey is present)
//	      "p\x00" IdentityKey           → "" (names distinct declarations
//	                                      tell apart by their exact form)
//	      "a\x00" uvarint len, name key, name key → "" (a "distinct"
//	                                      declaration or verdict names the
//	                                      two names, under each; or an
//	                                      alias declaration names two forms
//	                                      of the one name)
//	      "c\x00" conflict id           → conflict record (JSON: the
//	                                      conflict, and each claim's
//	                                      predicate, resolved value and
//	                                      revision for conflicts show)
//	      "q\x00" queue key             → status byte ('o' open, 'r'
//	                                      resolved); the queue key is
//	                                      QueueKey: kind order digit,
//	                                      subject \x00 predicate \x00
//	                                      root \x00 id (root: the root
//	                                      cause of a temporal conflict)
//	      "t\x00" root id \x00 conflict id → "" (a root cause's
//	                                      combinations)
//	      "s\x00" uvarint len, entity key, queue key → "" (the queue of
//	                                      one entity; a name conflict is
//	                                      under each of its names)
//	      "k\x00" source id             → uvarint claims citing it
//	      "d\x00" predicate             → predicate record (JSON)
//	      "l\x00" claim id              → claim record (JSON, as the
//	                                      state holds it; claims not
//	                                      retracted)
//	      "g\x00" uvarint len, entity key, claim id → "" (its claims)
//	      "r\x00" uvarint len, entity key, claim id → "" (relation
//	                                      claims whose target it is)
//	      "u\x00" uvarint len, entity key, claim id → "" (claims
//	                                      whose value it is)
//	      "v\x00" 8-byte BE revision    → verdict record (JSON)
//	      "i\x00" source id             → the original it translates
//	                                      or copies (when not itself)
//	      "x\x00" source id             → uvarint revision archived at,
//	                                      uvarint len, the id it says it
//	                                      translates, and its sketch
//	                                      (SketchSize little-endian
//	                                      uint32s; none when empty): what
//	                                      archiving a new source compares,
//	                                      and what a replay for a read
//	                                      takes instead of sketching the
//	                                      text again
//	    hist                    versions: uvarint len(key), key, 8-byte BE
//	                            revision R → the value (1, stored bytes;
//	                            or 0: absent) the key held before R,
//	                            valid from its previous change to R-1
//	    changes                 8-byte BE revision R, key → "": the keys
//	                            a write at R changed
//	    revs                    8-byte BE revision → "": the revisions a
//	                            write left the model at
//
// The model at an older revision REV (one in revs, at or after base) is,
// for each key, the value of the first version after REV (a seek to
// key+REV+1), or the current one when the key has not changed since: so
// view --at REV reads the keys it shows, and diff A B reads the keys of
// changes in (A, B] at A and at B. Any other revision (inside a
// transaction of many events, before base) is read as before: the nearest
// checkpoint, a replay, Analyze.
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
// Reads at the head, and at the revisions writes ended at, read the
// stored model and cost what they return. A write of claims on known
// names, of a verdict on a value or temporal conflict, or of a retraction
// that changes no name re-derives only its neighbourhood (partial.go); one
// of sources archives them by their stored sketches (partialsource.go); a
// first dismissal or "distinct" on a name conflict rewrites the name
// conflicts it settles (partialname.go); any other write brings the model to the
// head by analysing the whole head state (Analyze, the one place the rules
// live: partial.go runs the same code on part of a state) and writing only
// the keys whose values changed, with their versions: it costs a full
// analysis, and in a new process a checkpoint decode and a replay of the
// events after it. A bulk load skips the model until its last
// transaction. The checkpoints stay: they give the full path its state,
// and answer the reads the model cannot (revisions inside a transaction,
// before the model's base). Conflict ids
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
