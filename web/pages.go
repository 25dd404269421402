package web

import "net/http"

// pages registers the review desk's pages (the queue at /, a conflict, an
// entity, a source, the diff, the log, signing in) on mux, with the same
// helpers as the API (Server.handle with an access level; UserFrom for the
// signed-in user; Server.SignIn and Server.SignOut for the sign-in form).
// The pages' own code is in the files pages_*.go, their templates in
// templates/ and their stylesheet and script in static/.
func (s *Server) pages(mux *http.ServeMux) {
	d, err := newDesk(s)
	if err != nil {
		// The templates are embedded and parsed by every test: a
		// template that does not parse is a bug of the build.
		panic(err)
	}
	d.register(mux)
}
