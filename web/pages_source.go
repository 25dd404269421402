package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	archive "github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

// sourcePage is a source at /sources/{id}: its metadata, its text with
// every anchored quote highlighted and linked to its claims, the claims,
// and for an archivist the form that records a claim from a selected
// passage.
type sourcePage struct {
	deskPage
	S      *archive.SourceInfo
	Paras  []sourcePara
	Claims []archive.ClaimRow
	// Form is the claim form, filled again after a preview or a refusal.
	Form       claimForm
	Predicates []*events.PredicateDefined
	Preview    *claimPreview
	FormError  string
}

// sourcePara is a paragraph of the source's text: its lines.
type sourcePara struct {
	Lines [][]textSeg
}

// textSeg is a run of text inside one line that the same quotes cover.
type textSeg struct {
	Text   string
	Claims []events.ClaimID
	// Status is the status of the claims (the weakest, when several):
	// standing, rejected or retracted.
	Status string
}

// First is the first claim a highlighted segment links to.
func (s textSeg) First() events.ClaimID {
	if len(s.Claims) == 0 {
		return ""
	}
	return s.Claims[0]
}

// IDs are the claims of a segment, for its title.
func (s textSeg) IDs() string {
	ids := make([]string, len(s.Claims))
	for i, c := range s.Claims {
		ids[i] = string(c)
	}
	return strings.Join(ids, ", ")
}

// claimForm is what an archivist fills in to record a claim.
type claimForm struct {
	Subject, As, Predicate, Value, Quote, Note, Prefix, Suffix string
}

// claimPreview is how a claim would be recorded: the value resolved and
// the quote found, before anything is written.
type claimPreview struct {
	Kind     string
	Value    string // the value's canonical form
	Resolved string // how a written expression was resolved
	Before   string // the source's text around the quote
	Quote    string
	After    string
	Position int // the quote's code point offset
}

func (d *desk) source(w http.ResponseWriter, r *http.Request, u *pageUser) {
	p, err := d.sourceData(events.SourceID(r.PathValue("id")), u)
	if err != nil {
		d.archiveError(w, r, u, err)
		return
	}
	if c := r.URL.Query().Get("recorded"); c != "" {
		p.Notice = "Claim " + c + " recorded."
	}
	d.render(w, r, http.StatusOK, "source", p)
}

// sourceData reads a source with its text, its quotes and its claims.
func (d *desk) sourceData(id events.SourceID, u *pageUser) (*sourcePage, error) {
	info, err := d.ar.Source(id, false)
	if err != nil {
		return nil, err
	}
	st, err := d.ar.SourceText(id)
	if err != nil {
		return nil, err
	}
	claims, err := d.ar.Claims(archive.ClaimFilter{Source: id, At: archive.Head})
	if err != nil {
		return nil, err
	}
	title := info.Title
	if title == "" {
		title = string(info.ID)
	}
	p := &sourcePage{deskPage: deskPage{Title: title, User: u, Revision: info.Revision}, S: info, Claims: claims,
		Paras: sourceParas(st)}
	for _, c := range claims {
		p.Revision = max(p.Revision, c.Revision)
	}
	if u.CanRecord() {
		if p.Predicates, err = d.ar.Predicates(); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// sourceParas sets a source's text in its paragraphs and lines, each line
// cut where a quote starts or ends, each run knowing the claims whose
// quotes cover it.
func sourceParas(st *archive.SourceText) []sourcePara {
	// The places where the set of covering quotes changes.
	cuts := []int{}
	for _, q := range st.Quotes {
		cuts = append(cuts, q.Start, q.End)
	}
	for _, l := range st.Lines {
		cuts = append(cuts, l.Start, l.End)
	}
	sort.Ints(cuts)
	cuts = slices.Compact(cuts)
	rank := map[archive.ClaimStatus]int{archive.ClaimStanding: 0, archive.ClaimRejected: 1, archive.ClaimRetracted: 2}
	covering := func(start, end int) ([]events.ClaimID, string) {
		var ids []events.ClaimID
		status := ""
		for _, q := range st.Quotes {
			if q.Start <= start && end <= q.End && q.Start < q.End {
				ids = append(ids, q.Claim)
				if status == "" || rank[q.Status] < rank[archive.ClaimStatus(status)] {
					status = string(q.Status)
				}
			}
		}
		return ids, status
	}
	var paras []sourcePara
	for i, l := range st.Lines {
		if i == 0 || l.Blank {
			paras = append(paras, sourcePara{})
		}
		var segs []textSeg
		start := l.Start
		j := sort.SearchInts(cuts, l.Start+1)
		for start < l.End {
			end := l.End
			if j < len(cuts) && cuts[j] < l.End {
				end = cuts[j]
				j++
			}
			if end <= start {
				continue
			}
			ids, status := covering(start, end)
			segs = append(segs, textSeg{Text: st.Text[start:end], Claims: ids, Status: status})
			start = end
		}
		cur := &paras[len(paras)-1]
		cur.Lines = append(cur.Lines, segs)
	}
	return paras
}

// recordClaim previews or records a claim from the form of a source's
// page: action "preview" shows how the value resolves and where the
// quote is, writing nothing; "record" records it.
func (d *desk) recordClaim(w http.ResponseWriter, r *http.Request, u *pageUser) {
	id := events.SourceID(r.PathValue("id"))
	f := r.PostForm
	form := claimForm{Subject: strings.TrimSpace(f.Get("subject")), As: strings.TrimSpace(f.Get("as")),
		Predicate: strings.TrimSpace(f.Get("predicate")), Value: strings.TrimSpace(f.Get("value")),
		Quote: strings.TrimSpace(f.Get("quote")), Note: strings.TrimSpace(f.Get("note")),
		Prefix: f.Get("prefix"), Suffix: f.Get("suffix")}
	p, err := d.sourceData(id, u)
	if err != nil {
		d.archiveError(w, r, u, err)
		return
	}
	p.Form = form
	refuse := func(status int, msg string) {
		p.FormError = msg
		d.render(w, r, status, "source", p)
	}
	var missing []string
	for _, m := range []struct{ name, v string }{{"subject", form.Subject}, {"predicate", form.Predicate}, {"value", form.Value}, {"quote", form.Quote}} {
		if m.v == "" {
			missing = append(missing, m.name)
		}
	}
	if len(missing) > 0 {
		refuse(http.StatusUnprocessableEntity, "The claim needs its "+strings.Join(missing, ", ")+".")
		return
	}
	in := provenance.ClaimInput{Source: string(id), Subject: form.Subject, As: form.As, Predicate: form.Predicate,
		Value: form.Value, Quote: form.Quote, Note: form.Note, Prefix: form.Prefix, Suffix: form.Suffix}
	if rel, ok := archive.ParseRelation(form.Value); ok {
		in.Value, in.Relation = "", rel
	}
	if f.Get("action") != "record" {
		pv, err := d.preview(p, in)
		if err != nil {
			refuse(http.StatusUnprocessableEntity, err.Error())
			return
		}
		p.Preview = pv
		d.render(w, r, http.StatusOK, "source", p)
		return
	}
	rec, err := d.ar.AddClaim(u.Name, in)
	if err != nil {
		switch archive.ErrorCode(err) {
		case archive.Invalid, archive.NotFound:
			refuse(http.StatusUnprocessableEntity, err.Error())
		case archive.Conflict:
			refuse(http.StatusConflict, err.Error())
		default:
			d.archiveError(w, r, u, err)
		}
		return
	}
	to := "/sources/" + url.PathEscape(string(id)) + "?recorded=" + url.QueryEscape(string(rec.Claim.ID)) + "#claim-" + string(rec.Claim.ID)
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// preview checks a claim as recording it would, without writing: the
// predicate is known, the value fits its kind (a date expression
// resolved against the source's publication date), the quote is in the
// source. What it cannot check here (a claim id taken) recording says.
func (d *desk) preview(p *sourcePage, in provenance.ClaimInput) (*claimPreview, error) {
	var pred *events.PredicateDefined
	var known []string
	for _, pd := range p.Predicates {
		known = append(known, pd.Name)
		if pd.Name == in.Predicate {
			pred = pd
		}
	}
	if pred == nil {
		if len(known) == 0 {
			return nil, errors.New("undefined predicate " + strconv.Quote(in.Predicate) + ": the archive has no predicates yet")
		}
		return nil, errors.New("undefined predicate " + strconv.Quote(in.Predicate) + "; known predicates: " + strings.Join(known, ", "))
	}
	pv := &claimPreview{Kind: string(pred.Kind)}
	switch {
	case in.Relation != nil:
		if pred.Kind != events.KindDate {
			return nil, errors.New("predicate " + strconv.Quote(pred.Name) + " takes a " + string(pred.Kind) + ", and only dates can be related (after/before/same)")
		}
		pv.Value = (events.Value{Kind: events.KindDate, Relation: in.Relation}).String()
	case pred.Kind == events.KindDate:
		anchor, ok := sources.PublicationAnchor(p.S.SourceArchived)
		res, err := events.ResolveDate(in.Value, anchor, ok)
		if err != nil {
			if errors.Is(err, events.ErrNoAnchor) {
				return nil, errors.New(err.Error() + " (source " + string(p.S.ID) + " has no publication date)")
			}
			return nil, err
		}
		pv.Value = res.Date.String()
		if pv.Value != in.Value {
			pv.Resolved = strconv.Quote(in.Value) + " is " + pv.Value
			if res.Anchor != "" {
				pv.Resolved += ", resolved against the publication date " + res.Anchor
			}
		}
	case pred.Kind == events.KindQuantity:
		q, err := events.ParseQuantity(in.Value)
		if err != nil {
			return nil, errors.New("predicate " + strconv.Quote(pred.Name) + " takes a quantity: " + err.Error())
		}
		pv.Value = q.String()
		if pv.Value != in.Value {
			pv.Resolved = strconv.Quote(in.Value) + " is " + pv.Value
		}
	default:
		pv.Value = in.Value
	}
	info, err := d.ar.Source(p.S.ID, true)
	if err != nil {
		return nil, err
	}
	a, err := provenance.Anchor(info.Digest, info.Text, in.Quote, provenance.Context{Prefix: in.Prefix, Suffix: in.Suffix})
	if err != nil {
		return nil, err
	}
	pv.Before, pv.Quote, pv.After = provenance.Excerpt(info.Text, a, 120)
	pv.Position = a.Position.Start
	return pv, nil
}
