package web

import "net/http"

// routesAPI registers the HTTP API (DESIGN.md, "Serving a team"), grouped
// by what each route requires. The pages register theirs in pages.go.
func (s *Server) routesAPI(mux *http.ServeMux) {
	// Open to anyone.
	s.handle(mux, "GET", "/healthz", Anyone, s.healthz)
	s.handle(mux, "POST", "/api/session", Anyone, s.postSession)

	// Any account.
	s.handle(mux, "GET", "/api/session", SignedIn, s.getSession)
	s.handle(mux, "DELETE", "/api/session", SignedIn, s.deleteSession)

	// Readers (and anyone, with PublicRead).
	s.handle(mux, "GET", "/api/conflicts", Reader, s.getConflicts)
	s.handle(mux, "GET", "/api/conflicts/{id}", Reader, s.getConflict)
	s.handle(mux, "GET", "/api/view", Reader, s.getView)
	s.handle(mux, "GET", "/api/diff", Reader, s.getDiff)
	s.handle(mux, "GET", "/api/sources", Reader, s.getSources)
	s.handle(mux, "GET", "/api/sources/{id}", Reader, s.getSource)
	s.handle(mux, "GET", "/api/log", Reader, s.getLog)
	s.handle(mux, "GET", "/api/head", Reader, s.getHead)
	s.handle(mux, "GET", "/api/events", Reader, s.getEvents)
	s.handle(mux, "GET", "/api/search", Reader, s.getSearch)
	s.handle(mux, "GET", "/api/claims", Reader, s.getClaims)
	s.handle(mux, "GET", "/api/predicates", Reader, s.getPredicates)
	s.handle(mux, "GET", "/api/export/claimreview", Reader, s.getExportClaimReview)
	s.handle(mux, "GET", "/api/export/annotations", Reader, s.getExportAnnotations)
	s.handle(mux, "GET", "/api/export/csv/{table}", Reader, s.getExportCSV)
	s.handle(mux, "GET", "/api/export/bag", Reader, s.getExportBag)

	// Archivists.
	s.handle(mux, "POST", "/api/sources", Archivist, s.postSource)
	s.handle(mux, "POST", "/api/claims", Archivist, s.postClaims)
	s.handle(mux, "POST", "/api/claim", Archivist, s.postClaim)
	s.handle(mux, "POST", "/api/claims/{id}/retract", Archivist, s.postRetract)
	s.handle(mux, "POST", "/api/predicates", Archivist, s.postPredicate)
	s.handle(mux, "POST", "/api/aliases", Archivist, s.postAlias)

	// Fact-checkers.
	s.handle(mux, "POST", "/api/conflicts/{id}/review", FactChecker, s.postReview)

	// Admins.
	s.handle(mux, "GET", "/api/users", Admin, s.getUsers)
	s.handle(mux, "POST", "/api/users", Admin, s.postUser)
	s.handle(mux, "POST", "/api/users/{name}/disable", Admin, s.postUserDisable)
	s.handle(mux, "POST", "/api/users/{name}/token", Admin, s.postUserToken)

	// Anything else under /api/ is an unknown route, answered in JSON
	// (the pages may own every other path).
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.Error(w, r, statusError(http.StatusNotFound, errNoRoute(r)))
	})
}
