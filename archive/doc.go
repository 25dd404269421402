// Package archive is Sillok's application API: the one type, Archive, that
// every front end (the command line, the server) calls to work on an
// archive of news sources and the claims they make. Everything the product
// does is a method of Archive; a front end adds only its own input
// (flags, forms, requests), its rendering, and its advice.
//
// # An archive
//
// An archive is one file. It holds an append-only log of events, each
// chained to the one before it by a hash: a source archived (its bytes and
// metadata), a source's metadata corrected, a predicate defined, an alias
// declared, a claim asserted (a source says, at a quote, that a subject
// has a value for a predicate), a claim retracted, a verdict recorded on
// a conflict. Nothing is ever changed or deleted: a correction, a
// retraction and a verdict are events too. From the log, the archive
// keeps a read model: the reconciled view of every entity (what the
// sources say, and what agrees) and the conflict queue (where they
// contradict each other, and the verdicts on them).
//
// # Opening and closing
//
// Create makes a new, empty archive; Open opens an existing one (with
// Options.ReadOnly, for reading only: every write is then Forbidden).
// Open an archive once and share the *Archive: it is safe for concurrent
// use by many goroutines. The file is locked while it is open (a shared
// lock when read-only): another process that opens it meanwhile, unless
// both only read, waits up to Options.Timeout and then gets a Conflict
// error. Close it when done; Close lets the reads and writes under way
// finish first.
//
// # Concurrency
//
// Reads never wait for writes: each read runs in a read transaction on
// one consistent revision, whatever is written meanwhile. Writes are
// serialized, and each is one transaction: it appends its events and
// updates the read model together, so a write that fails leaves nothing
// behind, and a reader sees all of it or none. ImportClaims commits one
// transaction per claims file.
//
// # Revisions and Head
//
// A Revision is a position in the log: the revision of an event, counted
// from 1. Every write returns the revision it reached. Every read takes
// the revision to read at: revision 0 is the empty archive, n the archive
// as it was just after event n, and the constant Head the newest. Note
// that the zero value of a filter's At field is revision 0, the empty
// archive, not the newest: ask for Head explicitly.
//
//	page, err := a.Conflicts(archive.ConflictFilter{At: archive.Head})
//
// The method Head returns the head's revision and hash: a pin (REV:HASH)
// that Verify can later check the log still holds. A reader that shows
// something and lets a person act on it passes the revision it showed
// (ReviewRequest.Seen): the write is refused if what the person saw has
// changed since.
//
// # The methods
//
// Sources: AddSource archives a source file's bytes with its metadata
// (the same bytes again add nothing; ReadSourceFile reads a file on disk
// for it), AddSources the sources a manifest lists, all in one transaction
// (sources.ParseManifest reads a YAML, JSON or CSV manifest); EditSource corrects
// the metadata; Sources and Source read them.
//
// Claims: ImportClaims imports claims files (YAML or JSON; ClaimsFileAt
// names one on disk), each file whole or not at all; AddClaim records one
// claim (ParseRelation reads a relation value written on one line, as
// after:SUBJECT/PREDICATE); Retract withdraws one; Claims lists them with
// their status. Every claim's quote is anchored in its source's text, and
// its value parsed by its predicate's kind, when it is recorded.
//
// Vocabulary: DefinePredicate adds a predicate (its name, the kind of its
// values, whether an entity may have several), Predicates lists them;
// DeclareAlias says that two names are one entity (or two).
//
// Review: Conflicts lists the conflict queue (filtered by status, kind
// and subject, in pages of QueueItems: the temporal conflicts of one
// relation claim are one item, its root cause, and keep their ids),
// ConflictDetail gives one conflict, or one root cause's combinations, with
// what a reviewer needs (each claim's source and quote in context), Review
// records a verdict (on a root id: on each combination it applies to).
//
// Reads: View is the reconciled view of one entity or all; Search finds
// entities, quotes and sources by words; Diff says what changed in the view
// and the conflicts between two revisions; Log lists the events; Head is
// the newest revision. A name no entity has is NotFound, with an
// *UnknownNameError that suggests the nearest names.
//
// Integrity: Verify checks the hash chain, every source's fixity, every
// quote anchor, the file and the stored read model, and reports problems
// (with the Remedy for each; VerifyFile does it by path, and reports a
// file too damaged to open as its problem); Rebuild replays the log into a fresh read
// model, and refuses to when the log itself is damaged.
//
// Exchange: ExportBag writes the whole archive as a BagIt bag and the
// function ImportBag builds a new, identical archive from one (checking
// it whole first); ExportClaimReview, ExportAnnotations and the CSV
// exports (ExportClaimsCSV, ExportConflictsCSV, ExportViewCSV) stream a
// document to an io.Writer.
//
// Accounts: AddUser, DisableUser, NewToken, Users and UserAudit manage
// the accounts of a server, kept in the archive but outside the log;
// SignIn checks a password, TokenUser an API token. Sessions are the
// signed-in browsers of a server, kept beside the accounts so that every
// server sharing the archive knows every session: StartSession starts one,
// Session looks one up (each use slides its expiry), EndSession ends one.
// A session's id, like a token, is stored only as its SHA-256; its CSRF
// token is not stored at all but derived from the id (SessionCSRF), the
// same on every server.
//
// # Errors
//
// Every error an Archive returns carries a Code (ErrorCode): Invalid for
// refused input, NotFound, Conflict for a clash with what is stored,
// Forbidden, and Internal for anything else (a damaged archive, a failed
// disk). The messages say what is wrong in the user's terms and where (a
// file, a line, a claim), and name no command-line flag or HTTP route.
// Errors that a front end may answer in its own way wrap a typed error
// (AlreadyRetractedError, ConflictIDError, VerdictError, RefusedError,
// sources.MetaMismatch, claimsfile.Error) or a sentinel of the lower
// packages (sources.ErrIDTaken, projections.ErrAlreadyResolved, ...):
// errors.As and errors.Is find them.
//
// # What a front end adds
//
// The command line maps a Code to an exit status, and adds its hints
// ("choose another --id", "run it again with --override"); a server maps
// it to an HTTP status. Each renders the results, which are plain values
// with JSON tags, as it likes.
//
// # A sketch
//
//	a, err := archive.Open("sillok.db", archive.Options{})
//	if err != nil {
//		return err
//	}
//	defer a.Close()
//	page, err := a.Conflicts(archive.ConflictFilter{Status: projections.ConflictOpen, At: archive.Head})
//	if err != nil {
//		return err
//	}
//	for _, cf := range page.Conflicts {
//		fmt.Println(cf.ID, cf.Summary)
//	}
//	_, err = a.Review("fact-checker", archive.ReviewRequest{
//		Conflict: string(page.Conflicts[0].ID), Decision: events.DecisionAccept,
//		Claim: page.Conflicts[0].Claims[0].ID, Seen: page.Revision,
//	})
//	switch archive.ErrorCode(err) {
//	case "":
//		// recorded
//	case archive.Conflict:
//		// the conflict changed since page.Revision: show it again
//	}
//
// Example_review is the whole of such a program, from an empty archive to
// the diff a verdict makes.
package archive
