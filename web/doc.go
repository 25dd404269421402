// Package web is `sillok serve`: the team's review desk. A Server holds one
// open archive.Archive and serves the HTTP API (under /api/) and the pages
// over it, to many people at once; a Client speaks the same API for the
// command line's --server mode.
//
// # Basics
//
// New builds a Server (an http.Handler) over an archive; Open listens and
// serves, Close shuts down gracefully. Every route is registered in one
// place (routes.go) with what it requires: open to anyone, signed in, or a
// role (reader, archivist, fact-checker, admin, each allowed what the
// ones before it are). The authenticate middleware turns a session cookie
// or an "Authorization: Bearer TOKEN" header into the request's User
// (UserFrom); handlers never read credentials themselves. A write with a
// session cookie needs the session's CSRF token in the X-CSRF-Token header
// (or, for a form posted by a page without JavaScript, a "csrf" field);
// a write with a bearer token needs none.
//
// Errors answer as {"error": message} with the status of the archive
// error's code (Error); the pages may set Server.ErrorPage to answer a
// browser with a page instead.
//
// The pages register themselves in pages.go (Server.pages), with the same
// route helpers as the API.
//
// # Caveats
//
// Sessions are kept in the archive (archive.Archive.StartSession), not in
// the server's memory: a restart signs nobody out, and every server that
// shares the archive knows every session; a sign-out on one ends the
// session on all of them at once (nothing is cached). A page view reads
// the session in a read transaction; it writes only when the session's
// sliding expiry is due to be written again (every SessionTTL/16 of use,
// at least a minute), and that write waits for the archive's one writer,
// an import for instance. The Secure flag of the session cookie is set when the
// request came over TLS, or, with Options.TrustForwardedProto, when a
// reverse proxy says so in X-Forwarded-Proto: turn that on only behind a
// proxy that sets the header itself.
package web
