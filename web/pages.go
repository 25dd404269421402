package web

import "net/http"

// pages registers the review desk's pages (the queue at /, a conflict, an
// entity, a source, the diff, the log, signing in) on mux, with the same
// helpers as the API (Server.handle with an access level; UserFrom for the
// signed-in user; Server.SignIn and Server.SignOut for the sign-in form).
//
// This file belongs to the pages; this stub registers none.
func (s *Server) pages(mux *http.ServeMux) {}
