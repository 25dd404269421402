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
// keys joined by aliases, claims' "as" and "same" verdicts), source
// independence (translations, and copies found by MinHash), the reconciled
// facts, and the three checks — value, temporal, name — each about linear
// in the claims. Verdicts are applied as the State records them: an accept
// or reject marks claims rejected, and rejected claims take no part.
//
// Store.At answers "the state at revision N" from the nearest checkpoint
// at or before N plus a replay of the events after it. Store.CatchUp, called
// by every write transaction after it appends, stores a checkpoint when the
// head is max(Interval, newest/16) events past the newest one (Interval is
// 1000 by default), and thins older ones: it keeps the newest and, for each
// of head/2, head/4, ..., the latest checkpoint at or before it, so the
// checkpoints kept add up to about twice the newest. Store.Rebuild wipes
// and replays; Store.Check compares every checkpoint with a replay.
//
// # Bucket layout
//
//	projections                 top-level bucket, owned by this package
//	  "schema"     → uvarint SchemaVersion (3)
//	  checkpoints               sub-bucket
//	    8-byte BE revision → JSON of the State at that revision
//
// A State's JSON is canonical (encoding/json writes map keys sorted), so
// equal states have equal bytes and Check can compare them directly. When
// "schema" is missing or differs from SchemaVersion the bucket is ignored
// by reads and wiped and rebuilt by the next write.
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
// subject into another entity.
package projections
