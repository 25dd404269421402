package web

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

// Client calls a Server's API with an API token, and answers with the
// archive's own types: its methods are those of *archive.Archive that the
// command line calls, so that a command does the same through a server as
// on a local file. Errors carry the archive's codes, from the HTTP status.
// The author of every write is the token's user (the author arguments are
// ignored).
type Client struct {
	base  *url.URL
	token string
	http  *http.Client
}

// NewClient is a client of the server at baseURL (http:// or https://)
// that sends token.
func NewClient(baseURL, token string) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, archive.Errorf(archive.Invalid, "server %q is not an http:// or https:// URL", baseURL)
	}
	return &Client{base: u, token: token, http: &http.Client{Timeout: 5 * time.Minute}}, nil
}

// Close does nothing: a client holds no archive.
func (c *Client) Close() error { return nil }

// Path is the server's URL.
func (c *Client) Path() string { return c.base.String() }

// do sends a request and decodes the JSON answer into out (unless nil).
func (c *Client) do(method, path string, q url.Values, contentType string, body io.Reader, out any) error {
	u := *c.base
	u.Path += path
	u.RawQuery = q.Encode()
	req, err := http.NewRequest(method, u.String(), body)
	if err != nil {
		return archive.Errorf(archive.Invalid, "%w", err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return archive.Errorf(archive.Internal, "cannot reach the server at %s: %w", c.base, errors.Unwrap(err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return archive.Errorf(archive.Internal, "reading the answer of %s %s: %w", method, path, err)
	}
	if resp.StatusCode >= 300 {
		return responseError(resp, data)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return archive.Errorf(archive.Internal, "the server's answer to %s %s is not what it should be: %w", method, path, err)
	}
	return nil
}

// ResponseError is an error answer of the server, with its status.
type ResponseError struct {
	Status int
	Msg    string
}

func (e *ResponseError) Error() string { return e.Msg }

// responseError turns an error answer into an error with the archive
// code of its status.
func responseError(resp *http.Response, data []byte) error {
	var body errorBody
	msg := strings.TrimSpace(string(data))
	if json.Unmarshal(data, &body) == nil && body.Error != "" {
		msg = body.Error
	}
	if msg == "" {
		msg = resp.Status
	}
	code := archive.Internal
	switch resp.StatusCode {
	case http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
		code = archive.Invalid
	case http.StatusUnauthorized:
		code = archive.Forbidden
		msg = "the server did not accept the API token: " + msg
	case http.StatusForbidden:
		code = archive.Forbidden
	case http.StatusNotFound:
		code = archive.NotFound
	case http.StatusConflict, http.StatusTooManyRequests:
		code = archive.Conflict
	case http.StatusInternalServerError:
		msg = strings.TrimPrefix(msg, "internal error: ")
	}
	if body.Detail != nil {
		if err := body.Detail.archiveError(code, msg); err != nil {
			return err
		}
	}
	return &archive.Error{Code: code, Err: &ResponseError{Status: resp.StatusCode, Msg: msg}}
}

func revParam(q url.Values, name string, r events.Revision) {
	if r != archive.Head {
		q.Set(name, strconv.FormatUint(uint64(r), 10))
	}
}

// Head is the server's head revision and its hash.
func (c *Client) Head() (events.Revision, events.Digest, error) {
	var out struct {
		Revision events.Revision `json:"revision"`
		Hash     string          `json:"hash"`
	}
	if err := c.do("GET", "/api/head", nil, "", nil, &out); err != nil {
		return 0, events.Digest{}, err
	}
	var d events.Digest
	if out.Revision > 0 {
		var err error
		if d, err = events.ParseDigest(out.Hash); err != nil {
			return 0, d, archive.Errorf(archive.Internal, "the server's head hash: %w", err)
		}
	}
	return out.Revision, d, nil
}

// Conflicts is a page of the queue. Without a limit, it is every page.
func (c *Client) Conflicts(f archive.ConflictFilter) (*archive.ConflictPage, error) {
	q := url.Values{}
	st := string(f.Status)
	if st == "" {
		st = string(archive.StatusAll)
	}
	q.Set("status", st)
	if f.Kind != "" {
		q.Set("kind", string(f.Kind))
	}
	if f.Subject != "" {
		q.Set("subject", f.Subject)
	}
	revParam(q, "at", f.At)
	all := f.Limit == 0
	if !all {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	after := f.After
	page := &archive.ConflictPage{}
	for {
		if after != "" {
			q.Set("after", after)
		}
		var doc archive.ConflictsDocument
		if err := c.do("GET", "/api/conflicts", q, "", nil, &doc); err != nil {
			return nil, err
		}
		if page.Revision == 0 {
			page.Revision = doc.Revision
			// The next pages are read at the same revision.
			revParam(q, "at", doc.Revision)
		}
		page.Conflicts = append(page.Conflicts, doc.Conflicts...)
		page.Items = append(page.Items, doc.Items...)
		page.Next = doc.Next
		if !all || doc.Next == "" {
			return page, nil
		}
		after = doc.Next
	}
}

// ConflictDetail is one conflict with what a reviewer needs.
func (c *Client) ConflictDetail(id string, at events.Revision) (*archive.ConflictDetail, error) {
	q := url.Values{}
	revParam(q, "at", at)
	if strings.TrimSpace(id) == "" {
		return nil, &archive.Error{Code: archive.Invalid, Err: &archive.ConflictIDError{ID: id, Problem: archive.IDEmpty}}
	}
	var d archive.ConflictDetail
	if err := c.do("GET", "/api/conflicts/"+url.PathEscape(id), q, "", nil, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// Review records a verdict, as the token's user.
func (c *Client) Review(_ string, req archive.ReviewRequest) (archive.Reviewed, error) {
	if strings.TrimSpace(req.Conflict) == "" {
		return archive.Reviewed{}, &archive.Error{Code: archive.Invalid, Err: &archive.ConflictIDError{ID: req.Conflict, Problem: archive.IDEmpty}}
	}
	body, _ := json.Marshal(ReviewBody{Verdict: string(req.Decision), Claim: req.Claim, Note: req.Note, Seen: req.Seen, Override: req.Override})
	var doc archive.ReviewedDocument
	if err := c.do("POST", "/api/conflicts/"+url.PathEscape(req.Conflict)+"/review", nil, "application/json", bytes.NewReader(body), &doc); err != nil {
		return archive.Reviewed{}, err
	}
	// A review of a root id records one verdict per combination, in one
	// transaction: consecutive revisions, the first one's before Also's.
	first := doc.Revision
	if len(doc.Also) > 0 {
		first = doc.Also[0].Revision - 1
	}
	list, err := c.Log(first, doc.Revision)
	if err != nil {
		return archive.Reviewed{}, err
	}
	if len(list) != len(doc.Also)+1 {
		return archive.Reviewed{}, archive.Errorf(archive.Internal, "the server did not return the verdicts' events %d to %d", first, doc.Revision)
	}
	var out []archive.Reviewed
	for i, e := range list {
		p, err := e.Decode()
		if err != nil {
			return archive.Reviewed{}, archive.Errorf(archive.Internal, "the verdict's event: %w", err)
		}
		v, ok := p.(*events.VerdictRecorded)
		if !ok {
			return archive.Reviewed{}, archive.Errorf(archive.Internal, "event %d is a %s, not the verdict", e.Revision, e.Type)
		}
		id := doc.Conflict
		if i > 0 {
			id = doc.Also[i-1].Conflict
		}
		out = append(out, archive.Reviewed{Conflict: &projections.Conflict{ID: id, Root: doc.Root}, Verdict: v, Event: e})
	}
	res := out[0]
	res.Also = out[1:]
	return res, nil
}

// View is the reconciled view.
func (c *Client) View(subject string, at events.Revision) (*archive.View, error) {
	q := url.Values{}
	if subject != "" {
		q.Set("subject", subject)
	}
	revParam(q, "at", at)
	var doc archive.ViewDocument
	if err := c.do("GET", "/api/view", q, "", nil, &doc); err != nil {
		return nil, err
	}
	return doc.View(), nil
}

// Diff is what changed between two revisions.
func (c *Client) Diff(from, to events.Revision) (*projections.Changes, error) {
	q := url.Values{}
	q.Set("from", strconv.FormatUint(uint64(from), 10))
	revParam(q, "to", to)
	var ch projections.Changes
	if err := c.do("GET", "/api/diff", q, "", nil, &ch); err != nil {
		return nil, err
	}
	return &ch, nil
}

// Log returns the events from through to, in as many requests as it
// takes.
func (c *Client) Log(from, to events.Revision) ([]events.Event, error) {
	q := url.Values{}
	revParam(q, "to", to)
	var out []events.Event
	for {
		q.Set("from", strconv.FormatUint(uint64(from), 10))
		var doc struct {
			Events []archive.EventDocument `json:"events"`
			Next   events.Revision         `json:"next"`
		}
		if err := c.do("GET", "/api/log", q, "", nil, &doc); err != nil {
			return nil, err
		}
		for _, d := range doc.Events {
			// The answer is indented; the payload is the log's compact form.
			var payload bytes.Buffer
			if err := json.Compact(&payload, d.Payload); err != nil {
				return nil, archive.Errorf(archive.Internal, "event %d from the server: %w", d.Revision, err)
			}
			e := events.Event{Revision: d.Revision, Type: d.Type, RecordedAt: d.RecordedAt, Author: d.Author, Payload: payload.Bytes()}
			var err1, err2 error
			if d.Prev != "" {
				e.Prev, err1 = events.ParseDigest(d.Prev)
			}
			e.Hash, err2 = events.ParseDigest(d.Hash)
			if err := errors.Join(err1, err2); err != nil {
				return nil, archive.Errorf(archive.Internal, "event %d from the server: %w", d.Revision, err)
			}
			out = append(out, e)
		}
		if doc.Next == 0 || (to != archive.Head && doc.Next > to) {
			return out, nil
		}
		from = doc.Next
	}
}

// Sources lists the archived sources.
func (c *Client) Sources() ([]archive.SourceInfo, error) {
	var doc archive.SourcesDocument
	if err := c.do("GET", "/api/sources", nil, "", nil, &doc); err != nil {
		return nil, err
	}
	return doc.Sources, nil
}

// Source is one source.
func (c *Client) Source(id events.SourceID, withText bool) (*archive.SourceInfo, error) {
	var info archive.SourceInfo
	if err := c.do("GET", "/api/sources/"+url.PathEscape(string(id)), nil, "", nil, &info); err != nil {
		return nil, err
	}
	if withText {
		st, err := c.SourceText(id)
		if err != nil {
			return nil, err
		}
		info.Text = st.Text
	}
	return &info, nil
}

// SourceText is a source's normalized text with its quotes.
func (c *Client) SourceText(id events.SourceID) (*archive.SourceText, error) {
	q := url.Values{}
	q.Set("quotes", "1")
	var st archive.SourceText
	if err := c.do("GET", "/api/sources/"+url.PathEscape(string(id)), q, "", nil, &st); err != nil {
		return nil, err
	}
	return &st, nil
}

// AddSource archives a source, as the token's user.
func (c *Client) AddSource(_ string, raw []byte, meta sources.Meta) (sources.Added, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range map[string]string{"id": string(meta.ID), "title": meta.Title, "url": meta.URL, "publisher": meta.Publisher,
		"lang": meta.Lang, "published": meta.Published, "retrieved": meta.Retrieved,
		"translation-of": string(meta.TranslationOf), "translator": meta.Translator} {
		if v != "" {
			_ = mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", "source")
	_, _ = fw.Write(raw)
	_ = mw.Close()
	var doc archive.SourceAddedDocument
	if err := c.do("POST", "/api/sources", nil, mw.FormDataContentType(), &buf, &doc); err != nil {
		return sources.Added{}, err
	}
	info, err := c.Source(doc.ID, false)
	if err != nil {
		return sources.Added{}, err
	}
	return sources.Added{Source: info.SourceArchived, Revision: doc.Revision, Created: doc.Created}, nil
}

// ImportClaimsWith imports claims files, one request (one transaction)
// each, in order; it stops at the first that fails. opts.Done is called
// after each file lands; opts.Progress once a file, when it is sent.
func (c *Client) ImportClaimsWith(_ string, files []archive.ClaimsFile, opts archive.ImportOptions) ([]archive.Imported, error) {
	var out []archive.Imported
	for i, f := range files {
		data := f.Data
		if data == nil && f.Open != nil {
			rc, err := f.Open()
			if err != nil {
				return out, err
			}
			data, err = io.ReadAll(io.LimitReader(rc, archive.MaxClaimsFile+1))
			rc.Close()
			if err != nil {
				return out, archive.Errorf(archive.Invalid, "%s: %w", f.Name, err)
			}
			if len(data) > archive.MaxClaimsFile {
				return out, archive.Errorf(archive.Invalid, "%s: larger than %d bytes", f.Name, archive.MaxClaimsFile)
			}
		}
		q := url.Values{}
		q.Set("name", f.Name)
		ct := "application/yaml"
		if strings.HasSuffix(strings.ToLower(f.Name), ".json") {
			ct = "application/json"
		}
		var res archive.Imported
		if err := c.do("POST", "/api/claims", q, ct, bytes.NewReader(data), &res); err != nil {
			return out, err
		}
		if opts.Progress != nil {
			opts.Progress(i, res.Claims, res.Claims)
		}
		out = append(out, res)
		if opts.Done != nil {
			opts.Done(res)
		}
	}
	return out, nil
}

// Users lists the accounts (and, with audit, the changes to them).
func (c *Client) Users(audit bool) ([]archive.Account, []archive.AccountChange, error) {
	q := url.Values{}
	if audit {
		q.Set("audit", "1")
	}
	var doc struct {
		Users []archive.Account       `json:"users"`
		Audit []archive.AccountChange `json:"audit"`
	}
	if err := c.do("GET", "/api/users", q, "", nil, &doc); err != nil {
		return nil, nil, err
	}
	return doc.Users, doc.Audit, nil
}

// AddUser creates an account, as the token's user (an admin).
func (c *Client) AddUser(name string, role archive.Role, password string) (archive.Account, error) {
	body, _ := json.Marshal(UserBody{Name: name, Role: role, Password: password})
	var acct archive.Account
	err := c.do("POST", "/api/users", nil, "application/json", bytes.NewReader(body), &acct)
	return acct, err
}

// DisableUser disables an account.
func (c *Client) DisableUser(name string) error {
	return c.do("POST", "/api/users/"+url.PathEscape(name)+"/disable", nil, "", nil, nil)
}

// NewToken makes a new API token for an account.
func (c *Client) NewToken(name string) (string, error) {
	var doc struct {
		Token string `json:"token"`
	}
	if err := c.do("POST", "/api/users/"+url.PathEscape(name)+"/token", nil, "", nil, &doc); err != nil {
		return "", err
	}
	return doc.Token, nil
}

// String names the client in messages.
func (c *Client) String() string { return fmt.Sprintf("the server at %s", c.base) }

// AddClaim records one claim, as the token's user.
func (c *Client) AddClaim(_ string, in provenance.ClaimInput) (provenance.Recorded, error) {
	body := ClaimBody{ID: in.ID, Source: in.Source, Subject: in.Subject, As: in.As, Predicate: in.Predicate,
		Value: in.Value, Quote: in.Quote, Prefix: in.Prefix, Suffix: in.Suffix, Note: in.Note}
	if in.Relation != nil {
		body.Value = string(in.Relation.Op) + ":" + in.Relation.To.Subject + "/" + in.Relation.To.Predicate
	}
	data, _ := json.Marshal(body)
	var doc archive.ClaimAddedDocument
	if err := c.do("POST", "/api/claim", nil, "application/json", bytes.NewReader(data), &doc); err != nil {
		return provenance.Recorded{}, err
	}
	if doc.Claim == nil {
		return provenance.Recorded{}, archive.Errorf(archive.Internal, "the server did not return the claim it recorded")
	}
	return provenance.Recorded{Claim: doc.Claim, Revision: doc.Revision, Created: doc.Created}, nil
}

// Retract withdraws a claim, as the token's user.
func (c *Client) Retract(_ string, id events.ClaimID, reason string) (events.Revision, error) {
	data, _ := json.Marshal(map[string]string{"reason": reason})
	var doc archive.RetractedDocument
	if err := c.do("POST", "/api/claims/"+url.PathEscape(string(id))+"/retract", nil, "application/json", bytes.NewReader(data), &doc); err != nil {
		return 0, err
	}
	return doc.Revision, nil
}

// Claims lists the claims recorded at a revision.
func (c *Client) Claims(f archive.ClaimFilter) ([]archive.ClaimRow, error) {
	q := url.Values{}
	if f.Source != "" {
		q.Set("source", string(f.Source))
	}
	if f.Subject != "" {
		q.Set("subject", f.Subject)
	}
	revParam(q, "at", f.At)
	var doc archive.ClaimsDocument
	if err := c.do("GET", "/api/claims", q, "", nil, &doc); err != nil {
		return nil, err
	}
	return doc.Claims, nil
}

// Search finds entities, quotes and sources by words.
func (c *Client) Search(query string, at events.Revision) (*archive.SearchResult, error) {
	q := url.Values{}
	q.Set("q", query)
	revParam(q, "at", at)
	var res archive.SearchResult
	if err := c.do("GET", "/api/search", q, "", nil, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// Predicates lists the vocabulary.
func (c *Client) Predicates() ([]*events.PredicateDefined, error) {
	var doc archive.PredicatesDocument
	if err := c.do("GET", "/api/predicates", nil, "", nil, &doc); err != nil {
		return nil, err
	}
	return doc.Predicates, nil
}

// DefinePredicate adds a predicate, as the token's user.
func (c *Client) DefinePredicate(_ string, p events.PredicateDefined) (archive.Written, error) {
	data, _ := json.Marshal(archive.PredicateDocument{Name: p.Name, Kind: p.Kind, Many: p.Many})
	var doc archive.PredicateDocument
	if err := c.do("POST", "/api/predicates", nil, "application/json", bytes.NewReader(data), &doc); err != nil {
		return archive.Written{}, err
	}
	return archive.Written{Revision: doc.Revision, Created: doc.Created}, nil
}

// DeclareAlias declares an alias, as the token's user.
func (c *Client) DeclareAlias(_ string, p events.AliasDeclared) (archive.Written, error) {
	data, _ := json.Marshal(map[string]string{"name": p.Name, "entity": p.Entity, "kind": string(p.Kind), "note": p.Note})
	var doc archive.AliasDocument
	if err := c.do("POST", "/api/aliases", nil, "application/json", bytes.NewReader(data), &doc); err != nil {
		return archive.Written{}, err
	}
	return archive.Written{Revision: doc.Revision, Created: doc.Created}, nil
}

// stream sends a GET and copies a 2xx answer's body into w as it comes
// (without the client's overall timeout: an export may take long); an
// error answer is the archive's error. It returns the response's headers.
func (c *Client) stream(path string, q url.Values, w io.Writer) (http.Header, error) {
	u := *c.base
	u.Path += path
	u.RawQuery = q.Encode()
	req, err := http.NewRequest("GET", u.String(), nil)
	if err != nil {
		return nil, archive.Errorf(archive.Invalid, "%w", err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := (&http.Client{Transport: c.http.Transport}).Do(req)
	if err != nil {
		return nil, archive.Errorf(archive.Internal, "cannot reach the server at %s: %w", c.base, errors.Unwrap(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		data, _ := io.ReadAll(io.LimitReader(resp.Body, MaxJSONBody))
		return nil, responseError(resp, data)
	}
	if _, err := io.Copy(w, resp.Body); err != nil {
		return nil, archive.Errorf(archive.Internal, "the export from %s was cut short: %w", c.base, err)
	}
	return resp.Header, nil
}

func exportQuery(opts archive.ExportOptions) url.Values {
	q := url.Values{}
	revParam(q, "at", opts.At)
	if opts.Organization != "" {
		q.Set("organization", opts.Organization)
	}
	if opts.URL != "" {
		q.Set("url", opts.URL)
	}
	return q
}

// ExportClaimReview streams GET /api/export/claimreview into w.
// opts.Progress is not called: the server does not report it.
func (c *Client) ExportClaimReview(w io.Writer, opts archive.ExportOptions) error {
	_, err := c.stream("/api/export/claimreview", exportQuery(opts), w)
	return err
}

// ExportAnnotations streams GET /api/export/annotations into w (of the
// head, as the archive's).
func (c *Client) ExportAnnotations(w io.Writer, opts archive.ExportOptions) error {
	opts.At = archive.Head
	_, err := c.stream("/api/export/annotations", exportQuery(opts), w)
	return err
}

// ExportClaimsCSV streams GET /api/export/csv/claims into w.
func (c *Client) ExportClaimsCSV(w io.Writer, opts archive.ExportOptions) error {
	_, err := c.stream("/api/export/csv/claims", exportQuery(opts), w)
	return err
}

// ExportConflictsCSV streams GET /api/export/csv/conflicts into w.
func (c *Client) ExportConflictsCSV(w io.Writer, opts archive.ExportOptions) error {
	_, err := c.stream("/api/export/csv/conflicts", exportQuery(opts), w)
	return err
}

// ExportViewCSV streams GET /api/export/csv/view into w.
func (c *Client) ExportViewCSV(w io.Writer, opts archive.ExportOptions) error {
	_, err := c.stream("/api/export/csv/view", exportQuery(opts), w)
	return err
}

// ExportBag downloads the server's bag (GET /api/export/bag, a tar) and
// unpacks it into dir, which must not exist yet: into a directory beside
// it, synced and renamed into place when whole, as the archive's
// ExportBag does. The Bagging-Date is the server's; opts.Now and
// opts.Progress are not used.
func (c *Client) ExportBag(dir string, opts archive.BagOptions) (*archive.BagReport, error) {
	if _, err := os.Lstat(dir); err == nil {
		return nil, archive.Errorf(archive.Conflict, "%s already exists; a bag is written to a new directory", dir)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return nil, &archive.Error{Code: archive.Internal, Err: err}
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	q := url.Values{}
	if opts.Organization != "" {
		q.Set("organization", opts.Organization)
	}
	if opts.Description != "" {
		q.Set("description", opts.Description)
	}
	pr, pw := io.Pipe()
	unpacked := make(chan error, 1)
	go func() {
		err := untar(pr, tmp)
		pr.CloseWithError(err)
		unpacked <- err
	}()
	h, err := c.stream("/api/export/bag", q, pw)
	pw.CloseWithError(err)
	if uerr := <-unpacked; uerr != nil && !errors.Is(uerr, err) {
		err = archive.Errorf(archive.Internal, "the bag from %s: %w", c.base, uerr)
	}
	if err != nil {
		return nil, err
	}
	var rep archive.BagReport
	if err := json.Unmarshal([]byte(h.Get(BagReportHeader)), &rep); err != nil {
		return nil, archive.Errorf(archive.Internal, "the server's %s: %w", BagReportHeader, err)
	}
	if err := syncDir(tmp); err != nil {
		return nil, &archive.Error{Code: archive.Internal, Err: err}
	}
	if err := os.Rename(tmp, dir); err != nil {
		return nil, &archive.Error{Code: archive.Internal, Err: err}
	}
	done = true
	if d, err := os.Open(filepath.Dir(dir)); err == nil {
		d.Sync()
		d.Close()
	}
	rep.Dir = dir
	return &rep, nil
}

// untar unpacks the regular files and directories of a tar into dir,
// refusing any name that would land outside it.
func untar(r io.Reader, dir string) error {
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			_, _ = io.Copy(io.Discard, r)
			return nil
		}
		if err != nil {
			return err
		}
		name := path.Clean(hdr.Name)
		if !filepath.IsLocal(name) {
			return fmt.Errorf("the tar names %q, outside the bag", hdr.Name)
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if err != nil {
				return err
			}
			_, err = io.Copy(f, tr)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
		default:
			return fmt.Errorf("the tar holds %q, neither a file nor a directory", hdr.Name)
		}
	}
}

// syncDir syncs every file and directory under dir.
func syncDir(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		err = f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	})
}
