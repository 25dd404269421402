package web

import (
	"net/http"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/provenance"
)

// The routes of the commands beyond DESIGN.md's table (search, claim
// list, claim add, claim retract, predicate list and add, alias add), so
// that they too work through --server.

func (s *Server) getSearch(w http.ResponseWriter, r *http.Request) {
	q := &query{r: r}
	at := q.rev("at", archive.Head)
	if q.err != nil {
		s.Error(w, r, q.err)
		return
	}
	res, err := s.Archive.Search(q.str("q"), at)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) getClaims(w http.ResponseWriter, r *http.Request) {
	q := &query{r: r}
	f := archive.ClaimFilter{Source: events.SourceID(q.str("source")), Subject: q.str("subject"), At: q.rev("at", archive.Head)}
	if q.err != nil {
		s.Error(w, r, q.err)
		return
	}
	rows, err := s.Archive.Claims(f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, archive.ClaimsDoc(rows))
}

func (s *Server) getPredicates(w http.ResponseWriter, r *http.Request) {
	list, err := s.Archive.Predicates()
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, archive.PredicatesDoc(list))
}

// ClaimBody is the body of POST /api/claim: one claim, as claim add takes
// it. A value "after:SUBJECT/PREDICATE" (before:, same:) is a relation.
type ClaimBody struct {
	ID        string `json:"id,omitempty"`
	Source    string `json:"source"`
	Subject   string `json:"subject"`
	As        string `json:"as,omitempty"`
	Predicate string `json:"predicate"`
	Value     string `json:"value"`
	Quote     string `json:"quote"`
	Prefix    string `json:"prefix,omitempty"`
	Suffix    string `json:"suffix,omitempty"`
	Note      string `json:"note,omitempty"`
}

func (s *Server) postClaim(w http.ResponseWriter, r *http.Request) {
	var in ClaimBody
	if err := decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	ci := provenance.ClaimInput{ID: in.ID, Source: in.Source, Subject: in.Subject, As: in.As, Predicate: in.Predicate,
		Value: in.Value, Quote: in.Quote, Prefix: in.Prefix, Suffix: in.Suffix, Note: in.Note}
	if rel, ok := archive.ParseRelation(ci.Value); ok {
		ci.Relation, ci.Value = rel, ""
	}
	rec, err := s.Archive.AddClaim(UserFrom(r.Context()).Name, ci)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.feed.notify()
	doc := archive.ClaimAddedDoc(rec)
	doc.Claim = rec.Claim
	writeJSON(w, createdStatus(rec.Created), doc)
}

func (s *Server) postRetract(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	if in.Reason == "" {
		s.Error(w, r, badRequest(`a retraction needs a "reason"`))
		return
	}
	id := events.ClaimID(r.PathValue("id"))
	rev, err := s.Archive.Retract(UserFrom(r.Context()).Name, id, in.Reason)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.feed.notify()
	writeJSON(w, http.StatusOK, archive.RetractedDocument{Claim: id, Revision: rev})
}

func (s *Server) postPredicate(w http.ResponseWriter, r *http.Request) {
	var in archive.PredicateDocument
	if err := decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	p := events.PredicateDefined{Name: in.Name, Kind: in.Kind, Many: in.Many}
	res, err := s.Archive.DefinePredicate(UserFrom(r.Context()).Name, p)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if res.Created {
		s.feed.notify()
	}
	writeJSON(w, createdStatus(res.Created), archive.PredicateDoc(p, res))
}

func (s *Server) postAlias(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name   string           `json:"name"`
		Entity string           `json:"entity"`
		Kind   events.AliasKind `json:"kind"`
		Note   string           `json:"note,omitempty"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	if _, err := events.ParseAliasKind(string(in.Kind)); err != nil {
		s.Error(w, r, badRequest("kind: %v", err))
		return
	}
	p := events.AliasDeclared{Name: in.Name, Entity: in.Entity, Kind: in.Kind, Note: in.Note}
	res, err := s.Archive.DeclareAlias(UserFrom(r.Context()).Name, p)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if res.Created {
		s.feed.notify()
	}
	writeJSON(w, createdStatus(res.Created), archive.AliasDoc(p, res))
}

func createdStatus(created bool) int {
	if created {
		return http.StatusCreated
	}
	return http.StatusOK
}
