package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/sources"
)

func errNoRoute(r *http.Request) error {
	return fmt.Errorf("no route %s %s (DESIGN.md lists the API)", r.Method, r.URL.Path)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	rev, hash, err := s.Archive.Head()
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "revision": rev, "hash": hash.String()})
}

// decodeJSON reads a JSON request body (at most MaxJSONBody) into v;
// anything malformed is 400.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" {
			return statusError(http.StatusUnsupportedMediaType, fmt.Errorf("the body must be application/json, not %s", mt))
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxJSONBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return statusError(http.StatusRequestEntityTooLarge, fmt.Errorf("the JSON body is larger than %d bytes", MaxJSONBody))
		}
		return badRequest("malformed JSON body: %v", err)
	}
	if dec.More() {
		return badRequest("malformed JSON body: more than one JSON value")
	}
	return nil
}

// sessionDocument is what signing in answers.
type sessionDocument struct {
	User string       `json:"user"`
	Role archive.Role `json:"role"`
	CSRF string       `json:"csrf,omitempty"`
}

func (s *Server) postSession(w http.ResponseWriter, r *http.Request) {
	var in struct {
		User     string `json:"user"`
		Password string `json:"password"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	if in.User == "" || in.Password == "" {
		s.Error(w, r, badRequest(`signing in needs "user" and "password"`))
		return
	}
	u, err := s.SignIn(w, r, in.User, in.Password)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sessionDocument{User: u.Name, Role: u.Role, CSRF: u.Session.CSRF})
}

func (s *Server) getSession(w http.ResponseWriter, r *http.Request) {
	u := UserFrom(r.Context())
	doc := sessionDocument{User: u.Name, Role: u.Role}
	if u.Session != nil {
		doc.CSRF = u.Session.CSRF
	}
	writeJSON(w, http.StatusOK, doc)
}

func (s *Server) deleteSession(w http.ResponseWriter, r *http.Request) {
	u := UserFrom(r.Context())
	if err := s.SignOut(w, r); err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": u.Name, "signed_out": u.Session != nil})
}

// query reads the query's parameters; a malformed one is 400.
type query struct {
	r   *http.Request
	err error
}

func (q *query) str(name string) string { return q.r.URL.Query().Get(name) }

// rev reads a revision; absent is def.
func (q *query) rev(name string, def events.Revision) events.Revision {
	s := q.str(name)
	if s == "" || q.err != nil {
		return def
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		q.err = badRequest("%s=%q is not a revision (a whole number)", name, s)
		return def
	}
	return events.Revision(n)
}

func (q *query) int(name string, def int) int {
	s := q.str(name)
	if s == "" || q.err != nil {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		q.err = badRequest("%s=%q is not a whole number", name, s)
		return def
	}
	return n
}

func (q *query) flag(name string) bool {
	switch s := q.str(name); s {
	case "", "0", "false":
		return false
	case "1", "true":
		return true
	default:
		if q.err == nil {
			q.err = badRequest("%s=%q: give 1 or 0", name, s)
		}
		return false
	}
}

// MaxPage is the most conflicts GET /api/conflicts returns in one page.
const MaxPage = 500

func (s *Server) getConflicts(w http.ResponseWriter, r *http.Request) {
	q := &query{r: r}
	f := archive.ConflictFilter{Status: projections.ConflictOpen, Subject: q.str("subject"), At: q.rev("at", archive.Head),
		Limit: q.int("limit", 100), After: q.str("after")}
	if st := q.str("status"); st == "all" {
		f.Status = archive.StatusAll
	} else if st != "" {
		var err error
		if f.Status, err = projections.ParseConflictStatus(st); err != nil {
			q.err = badRequest("status=%q: give open, resolved or all", st)
		}
	}
	if k := q.str("kind"); k != "" {
		var err error
		if f.Kind, err = projections.ParseConflictKind(k); err != nil {
			q.err = badRequest("kind=%q: give value, temporal or name", k)
		}
	}
	if f.Limit == 0 || f.Limit > MaxPage {
		f.Limit = MaxPage
	}
	if q.err != nil {
		s.Error(w, r, q.err)
		return
	}
	page, err := s.Archive.Conflicts(f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page.Document())
}

func (s *Server) getConflict(w http.ResponseWriter, r *http.Request) {
	q := &query{r: r}
	at := q.rev("at", archive.Head)
	if q.err != nil {
		s.Error(w, r, q.err)
		return
	}
	d, err := s.Archive.ConflictDetail(r.PathValue("id"), at)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// ReviewBody is the body of POST /api/conflicts/{id}/review.
type ReviewBody struct {
	Verdict  string          `json:"verdict"`
	Claim    events.ClaimID  `json:"claim,omitempty"`
	Note     string          `json:"note,omitempty"`
	Seen     events.Revision `json:"seen,omitempty"`
	Override bool            `json:"override,omitempty"`
}

func (s *Server) postReview(w http.ResponseWriter, r *http.Request) {
	var in ReviewBody
	if err := decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	d := events.Decision(in.Verdict)
	switch d {
	case events.DecisionAccept, events.DecisionReject:
		if in.Claim == "" {
			s.Error(w, r, badRequest(`verdict %q needs "claim"`, d))
			return
		}
	case events.DecisionDismiss, events.DecisionSame, events.DecisionDistinct:
	default:
		s.Error(w, r, badRequest(`"verdict" must be accept, reject, dismiss, same or distinct, not %q`, in.Verdict))
		return
	}
	if err := events.ValidNote("note", in.Note); err != nil {
		s.Error(w, r, archive.Errorf(archive.Invalid, "%w", err))
		return
	}
	u := UserFrom(r.Context())
	res, err := s.Archive.Review(u.Name, archive.ReviewRequest{Conflict: r.PathValue("id"), Decision: d, Claim: in.Claim,
		Note: in.Note, Override: in.Override, Seen: in.Seen})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.feed.notify()
	writeJSON(w, http.StatusOK, res.Document())
}

func (s *Server) getView(w http.ResponseWriter, r *http.Request) {
	q := &query{r: r}
	at := q.rev("at", archive.Head)
	if q.err != nil {
		s.Error(w, r, q.err)
		return
	}
	v, err := s.Archive.View(q.str("subject"), at)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v.Document())
}

func (s *Server) getDiff(w http.ResponseWriter, r *http.Request) {
	q := &query{r: r}
	if q.str("from") == "" {
		s.Error(w, r, badRequest("the diff needs from= (a revision)"))
		return
	}
	from, to := q.rev("from", 0), q.rev("to", archive.Head)
	if q.err != nil {
		s.Error(w, r, q.err)
		return
	}
	ch, err := s.Archive.Diff(from, to)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ch)
}

func (s *Server) getSources(w http.ResponseWriter, r *http.Request) {
	list, err := s.Archive.Sources()
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, archive.SourcesDoc(list))
}

func (s *Server) getSource(w http.ResponseWriter, r *http.Request) {
	q := &query{r: r}
	text, quotes := q.flag("text"), q.flag("quotes")
	if q.err != nil {
		s.Error(w, r, q.err)
		return
	}
	id := events.SourceID(r.PathValue("id"))
	if text || quotes {
		st, err := s.Archive.SourceText(id)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, st.Document(quotes))
		return
	}
	info, err := s.Archive.Source(id, false)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, info)
}

// SourceFields are the form fields of POST /api/sources besides "file":
// the metadata of source add, named as its flags.
var SourceFields = []string{"id", "title", "url", "publisher", "lang", "published", "retrieved", "translation-of", "translator"}

func (s *Server) postSource(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, sources.MaxSourceBytes+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.Error(w, r, statusError(http.StatusRequestEntityTooLarge, fmt.Errorf("a source is at most %d bytes", sources.MaxSourceBytes)))
			return
		}
		s.Error(w, r, badRequest("a source is posted as multipart/form-data with a file field: %v", err))
		return
	}
	defer r.MultipartForm.RemoveAll()
	f, hdr, err := r.FormFile("file")
	if err != nil {
		s.Error(w, r, badRequest(`the form has no "file"`))
		return
	}
	raw, err := io.ReadAll(io.LimitReader(f, sources.MaxSourceBytes+1))
	f.Close()
	if err != nil {
		s.Error(w, r, badRequest("reading the file: %v", err))
		return
	}
	if len(raw) > sources.MaxSourceBytes {
		s.Error(w, r, archive.Errorf(archive.Invalid, "%s is larger than %d bytes", hdr.Filename, sources.MaxSourceBytes))
		return
	}
	v := r.MultipartForm.Value
	get := func(k string) string {
		if len(v[k]) > 0 {
			return v[k][0]
		}
		return ""
	}
	for k := range v {
		if !contains(SourceFields, k) && k != CSRFField {
			s.Error(w, r, badRequest("unknown field %q (the fields are file, %s)", k, strings.Join(SourceFields, ", ")))
			return
		}
	}
	meta := sources.Meta{ID: events.SourceID(get("id")), Title: get("title"), URL: get("url"), Publisher: get("publisher"),
		Lang: get("lang"), Published: get("published"), Retrieved: get("retrieved"),
		TranslationOf: events.SourceID(get("translation-of")), Translator: get("translator")}
	u := UserFrom(r.Context())
	res, err := s.Archive.AddSource(u.Name, raw, meta)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.feed.notify()
	status := http.StatusOK
	if res.Created {
		status = http.StatusCreated
	}
	writeJSON(w, status, archive.SourceAddedDoc(res))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// postClaims imports one claims file, the request's body. Its name (for
// the format and in error messages) is ?name=, else "claims.yaml" or
// "claims.json" by the content type.
func (s *Server) postClaims(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	if name == "" {
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		switch mt {
		case "application/json":
			name = "claims.json"
		case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml":
			name = "claims.yaml"
		default:
			s.Error(w, r, statusError(http.StatusUnsupportedMediaType, fmt.Errorf("a claims file is application/yaml or application/json, not %q (or name it with ?name=FILE.yaml)", mt)))
			return
		}
	} else if name != path.Clean(name) && name != "./"+path.Clean(name) || strings.ContainsAny(name, "\x00\r\n") {
		s.Error(w, r, badRequest("name=%q is not a file name", name))
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxClaimsBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.Error(w, r, statusError(http.StatusRequestEntityTooLarge, fmt.Errorf("%s: a claims file is at most %d bytes", name, MaxClaimsBody)))
			return
		}
		s.Error(w, r, badRequest("reading the claims file: %v", err))
		return
	}
	u := UserFrom(r.Context())
	res, err := s.Archive.ImportClaims(u.Name, []archive.ClaimsFile{{Name: name, Data: data}}, nil)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.feed.notify()
	status := http.StatusOK
	if res[0].Created > 0 {
		status = http.StatusCreated
	}
	writeJSON(w, status, res[0])
}

// MaxLogPage is the most events GET /api/log returns in one answer.
const MaxLogPage = 10000

func (s *Server) getLog(w http.ResponseWriter, r *http.Request) {
	q := &query{r: r}
	from, to, limit := q.rev("from", 0), q.rev("to", archive.Head), q.int("limit", MaxLogPage)
	if q.err != nil {
		s.Error(w, r, q.err)
		return
	}
	if limit == 0 || limit > MaxLogPage {
		limit = MaxLogPage
	}
	head, _, err := s.Archive.Head()
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if to == archive.Head {
		to = head
	}
	first := max(from, 1)
	if to >= first && uint64(to-first) >= uint64(limit) {
		to = first + events.Revision(limit) - 1
	}
	list, err := s.Archive.Log(from, to)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := map[string]any{"events": archive.EventDocuments(list)}
	if to < head {
		out["next"] = to + 1
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) getHead(w http.ResponseWriter, r *http.Request) {
	rev, hash, err := s.Archive.Head()
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"revision": rev, "hash": hash.String()})
}

func (s *Server) getUsers(w http.ResponseWriter, r *http.Request) {
	list, err := s.Archive.Users()
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := map[string]any{"users": list}
	if (&query{r: r}).flag("audit") {
		changes, err := s.Archive.UserAudit()
		if err != nil {
			s.Error(w, r, err)
			return
		}
		out["audit"] = changes
	}
	writeJSON(w, http.StatusOK, out)
}

// UserBody is the body of POST /api/users.
type UserBody struct {
	Name     string       `json:"name"`
	Role     archive.Role `json:"role"`
	Password string       `json:"password"`
}

func (s *Server) postUser(w http.ResponseWriter, r *http.Request) {
	var in UserBody
	if err := decodeJSON(w, r, &in); err != nil {
		s.Error(w, r, err)
		return
	}
	if _, err := archive.ParseRole(string(in.Role)); err != nil {
		s.Error(w, r, err)
		return
	}
	acct, err := s.Archive.AddUser(UserFrom(r.Context()).Name, in.Name, in.Role, in.Password)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, acct)
}

func (s *Server) postUserDisable(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if err := s.Archive.DisableUser(UserFrom(r.Context()).Name, name); err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"name": name, "disabled": true})
}

func (s *Server) postUserToken(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	token, err := s.Archive.NewToken(UserFrom(r.Context()).Name, name)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"name": name, "token": token})
}
