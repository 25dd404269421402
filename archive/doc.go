// Package archive is Sillok's application API: the one type, Archive, that
// every front end (the command line, the server) calls to work on an
// archive of news sources and the claims they make.
//
// An Archive is opened once (Open, or Create for a new one) and is safe for
// concurrent use: reads run in read transactions on a consistent revision
// and never wait for a write; writes are serialized, and every write
// appends its events and updates the read model in one transaction, so a
// failed write leaves nothing behind.
//
// # Errors
//
// Every error an Archive returns carries a Code (ErrorCode): Invalid for
// refused input, NotFound, Conflict for a clash with what is stored,
// Forbidden, and Internal for anything else (a damaged archive, a failed
// disk). The messages say what is wrong in the user's terms and name no
// command-line flag or HTTP route: each front end adds its own advice.
package archive
