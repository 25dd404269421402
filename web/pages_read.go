package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	archive "github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
)

// queuePageSize is how many conflicts a page of the queue shows unless
// the address asks for another number.
const queuePageSize = 50

// queuePage is the conflict queue at /.
type queuePage struct {
	deskPage
	Status, Kind, Subject string
	Limit                 int
	// Items are the page's items: one per root cause (archive.QueueItem).
	Items []queueRow
	// NextURL is the address of the next page; FirstURL of the first,
	// when this page is not the first.
	NextURL, FirstURL string
	// Counts of the whole queue at the page's revision.
	Open, Resolved int
	OpenByKind     map[string]int
	Kinds          []string
}

func (d *desk) queue(w http.ResponseWriter, r *http.Request, u *pageUser) {
	q := r.URL.Query()
	p := &queuePage{deskPage: deskPage{Title: "Conflict queue", User: u, Nav: "queue"},
		Status: q.Get("status"), Kind: q.Get("kind"), Subject: strings.TrimSpace(q.Get("subject")),
		Limit: queuePageSize, Kinds: []string{"value", "temporal", "name"}}
	if _, ok := q["status"]; !ok {
		p.Status = string(projections.ConflictOpen)
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			d.errorPage(w, r, u, http.StatusBadRequest, "limit must be a number from 1 to 1000, not "+strconv.Quote(s))
			return
		}
		p.Limit = n
	}
	page, err := d.ar.Conflicts(archive.ConflictFilter{Status: projections.ConflictStatus(p.Status), Kind: projections.ConflictKind(p.Kind),
		Subject: p.Subject, At: archive.Head, Limit: p.Limit, After: q.Get("after")})
	status := http.StatusOK
	if err != nil {
		// A filter the archive refuses (an unknown subject, a bad kind or
		// cursor) shows the queue's form with what is wrong.
		code := archive.ErrorCode(err)
		if code != archive.Invalid && code != archive.NotFound {
			d.archiveError(w, r, u, err)
			return
		}
		status, p.Message = d.archiveStatus(r, err)
		p.Suggestions = suggestions(err, func(n string) string {
			return "/?" + url.Values{"status": {p.Status}, "kind": {p.Kind}, "subject": {n}}.Encode()
		})
		page = &archive.ConflictPage{Revision: archive.Head}
	}
	p.Items = queueRows(page)
	all, err := d.ar.Conflicts(archive.ConflictFilter{Status: archive.StatusAll, At: page.Revision})
	if err != nil {
		d.archiveError(w, r, u, err)
		return
	}
	p.Revision = all.Revision
	p.OpenByKind = map[string]int{}
	for _, it := range all.Items {
		if it.Status == projections.ConflictOpen {
			p.Open++
			p.OpenByKind[string(it.Kind)]++
		} else {
			p.Resolved++
		}
	}
	link := func(after string) string {
		v := url.Values{}
		v.Set("status", p.Status)
		for k, s := range map[string]string{"kind": p.Kind, "subject": p.Subject, "after": after} {
			if s != "" {
				v.Set(k, s)
			}
		}
		if p.Limit != queuePageSize {
			v.Set("limit", strconv.Itoa(p.Limit))
		}
		return "/?" + v.Encode()
	}
	if page.Next != "" {
		p.NextURL = link(page.Next)
	}
	if q.Get("after") != "" {
		p.FirstURL = link("")
	}
	d.render(w, r, status, "queue", p)
}

// queueRow is one item of the queue as its row shows it: a conflict, or
// a root cause with the combinations it holds.
type queueRow struct {
	archive.QueueItem
	Names []string
	// Verdict is the verdict of a single conflict.
	Verdict *projections.Verdict
	// Claims counts the item's claims, each once.
	Claims int
	// Relation is the relation claim of a root cause (nil for a single
	// conflict); Resolved counts its combinations that have a verdict.
	Relation *projections.ConflictClaim
	Resolved int
}

// Combinations is how many conflicts the item holds.
func (q queueRow) Combinations() int { return len(q.Conflicts) }

// queueRows makes the page's items into rows, from its conflicts.
func queueRows(page *archive.ConflictPage) []queueRow {
	byID := make(map[projections.ConflictID]*projections.Conflict, len(page.Conflicts))
	for _, cf := range page.Conflicts {
		byID[cf.ID] = cf
	}
	rows := make([]queueRow, 0, len(page.Items))
	for _, it := range page.Items {
		row := queueRow{QueueItem: it}
		claims := map[events.ClaimID]bool{}
		for _, id := range it.Conflicts {
			cf := byID[id]
			if cf == nil {
				continue
			}
			if cf.Verdict != nil {
				row.Resolved++
			}
			for i := range cf.Claims {
				cc := &cf.Claims[i]
				claims[cc.ID] = true
				if len(it.Conflicts) > 1 && cc.Role == projections.RoleRelation && row.Relation == nil {
					row.Relation = cc
				}
			}
			if len(it.Conflicts) == 1 {
				row.Names, row.Verdict = cf.Names, cf.Verdict
			}
		}
		row.Claims = len(claims)
		rows = append(rows, row)
	}
	return rows
}

// conflictPage is one conflict at /conflicts/{id}.
type conflictPage struct {
	deskPage
	C      *archive.ConflictDetail
	Claims []claimCard
	// NextID is the next open conflict of the queue after this one (the
	// first when this is the last), "" when there is none.
	NextID string
	Note   string
	// Changed is set on a refused verdict: what changed since the
	// reviewer looked; Resolved when the refusal is that the conflict
	// already has a verdict.
	Changed  string
	Resolved bool
	// Combinations are those of a root cause (its page); LastVerdict is
	// the newest verdict on the conflict or on any of them.
	Combinations []combinationRow
	LastVerdict  *projections.Verdict
}

// claimCard is one claim of a conflict, as a card side by side with the
// others.
type claimCard struct {
	archive.ClaimDetail
	Key      int    // its number for the keyboard (1, 2, ...)
	Value    string // the value as written and resolved
	Resolved string // how a written expression was resolved
	Accepted bool   // the claim a verdict accepted
}

func (d *desk) conflict(w http.ResponseWriter, r *http.Request, u *pageUser) {
	p, err := d.conflictData(r.PathValue("id"), u)
	if err != nil {
		d.archiveError(w, r, u, err)
		return
	}
	if r.URL.Query().Get("reviewed") != "" && p.LastVerdict != nil {
		p.Notice = "Verdict recorded at revision " + strconv.FormatUint(uint64(p.LastVerdict.Rev), 10) + "."
		if n := r.URL.Query().Get("verdicts"); n != "" && n != "1" {
			p.Notice = "Verdict recorded on " + n + " combinations, up to revision " + strconv.FormatUint(uint64(p.LastVerdict.Rev), 10) + "."
		}
	}
	d.render(w, r, http.StatusOK, "conflict", p)
}

// conflictData reads a conflict at the head, and the next one of the
// queue.
func (d *desk) conflictData(id string, u *pageUser) (*conflictPage, error) {
	c, err := d.ar.ConflictDetail(id, archive.Head)
	if err != nil {
		return nil, err
	}
	p := &conflictPage{deskPage: deskPage{Title: conflictTitle(c.Conflict), User: u, Revision: c.Revision, Nav: "queue"}, C: c}
	for i, cd := range c.Details {
		card := claimCard{ClaimDetail: cd, Key: i + 1, Value: cd.Resolved.String()}
		if cd.Resolved.Written != "" {
			card.Value = cd.Resolved.Written
			card.Resolved = cd.Resolved.String()
			if cd.Resolved.Anchor != "" {
				card.Resolved += " (against the publication date " + cd.Resolved.Anchor + ")"
			}
		}
		if card.Value == "" {
			card.Value = cd.Value
		}
		if v := c.Verdict; v != nil && v.Decision == events.DecisionAccept && v.Claim == cd.ID {
			card.Accepted = true
		}
		for _, cf := range c.Combinations {
			if v := cf.Verdict; v != nil && v.Decision == events.DecisionAccept && v.Claim == cd.ID {
				card.Accepted = true
			}
		}
		p.Claims = append(p.Claims, card)
	}
	for _, cf := range c.Combinations {
		row := combinationRow{Conflict: cf}
		for _, cc := range cf.Claims {
			if cc.Role == projections.RoleDate {
				row.Dates = append(row.Dates, cc.ID)
			}
		}
		if cf.Verdict != nil && (p.LastVerdict == nil || cf.Verdict.Rev > p.LastVerdict.Rev) {
			p.LastVerdict = cf.Verdict
		}
		p.Combinations = append(p.Combinations, row)
	}
	if c.Verdict != nil {
		p.LastVerdict = c.Verdict
	}
	// The next open item of the queue after this conflict's (the first
	// when it is the last).
	open, err := d.ar.Conflicts(archive.ConflictFilter{Status: projections.ConflictOpen, At: c.Revision})
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(open.Items, func(it archive.QueueItem) bool {
		return it.ID == c.ID || slices.Contains(it.Conflicts, c.ID)
	})
	for j := 1; j <= len(open.Items); j++ {
		next := open.Items[(i+j+len(open.Items))%len(open.Items)]
		if next.ID != c.ID && !slices.Contains(next.Conflicts, c.ID) {
			p.NextID = string(next.ID)
			break
		}
	}
	return p, nil
}

// combinationRow is one combination of a root cause on its page: a
// conflict of its own, with the date claims it sets against the relation.
type combinationRow struct {
	*projections.Conflict
	Dates []events.ClaimID
}

// conflictTitle names a conflict in a page's title.
func conflictTitle(c *projections.Conflict) string {
	if c.Kind == projections.KindName && len(c.Names) == 2 {
		return c.Names[0] + " / " + c.Names[1]
	}
	if c.Predicate != "" {
		return c.Subject + " — " + c.Predicate
	}
	return c.Subject
}

// entityPage is an entity's view at /entities/{name}.
type entityPage struct {
	deskPage
	E     *projections.Entity
	Facts []entityFact
	// Langs are the languages of the sources the claims cite, for the
	// lang of their quotes.
	Langs map[events.SourceID]string
}

// entityFact is a fact with the claims behind it.
type entityFact struct {
	*projections.Fact
	Rows []archive.ClaimRow
}

func (d *desk) entity(w http.ResponseWriter, r *http.Request, u *pageUser) {
	name := r.PathValue("name")
	v, err := d.ar.View(name, archive.Head)
	if err != nil {
		d.archiveError(w, r, u, err)
		return
	}
	if len(v.Entities) == 0 {
		d.errorPage(w, r, u, http.StatusNotFound, "No entity is named "+strconv.Quote(name)+".")
		return
	}
	e := v.Entities[0]
	rows, err := d.ar.Claims(archive.ClaimFilter{Subject: e.Name, At: v.Revision})
	if err != nil {
		d.archiveError(w, r, u, err)
		return
	}
	byID := map[events.ClaimID]archive.ClaimRow{}
	for _, row := range rows {
		byID[row.ID] = row
	}
	p := &entityPage{deskPage: deskPage{Title: e.Name, User: u, Revision: v.Revision}, E: e, Langs: map[events.SourceID]string{}}
	if len(rows) > 0 {
		// One read for the languages of every source, rather than one
		// read per source cited.
		all, err := d.ar.Sources()
		if err != nil {
			d.archiveError(w, r, u, err)
			return
		}
		for _, src := range all {
			if src.Lang != "" {
				p.Langs[src.ID] = src.Lang
			}
		}
	}
	for _, f := range e.Facts {
		ef := entityFact{Fact: f}
		for _, id := range append(slices.Clone(f.Claims), f.Rejected...) {
			if row, ok := byID[id]; ok {
				ef.Rows = append(ef.Rows, row)
			}
		}
		p.Facts = append(p.Facts, ef)
	}
	d.render(w, r, http.StatusOK, "entity", p)
}

// diffPage is the diff between two revisions at /diff.
type diffPage struct {
	deskPage
	From, To string
	Changes  *projections.Changes
}

func (d *desk) diff(w http.ResponseWriter, r *http.Request, u *pageUser) {
	head, _, err := d.ar.Head()
	if err != nil {
		d.archiveError(w, r, u, err)
		return
	}
	q := r.URL.Query()
	p := &diffPage{deskPage: deskPage{Title: "Diff", User: u, Revision: head, Nav: "diff"}, From: q.Get("from"), To: q.Get("to")}
	if p.From == "" {
		d.render(w, r, http.StatusOK, "diff", p)
		return
	}
	from, err := parseRev(p.From, 0)
	if err != nil {
		d.errorPage(w, r, u, http.StatusBadRequest, "from: "+err.Error())
		return
	}
	to, err := parseRev(p.To, head)
	if err != nil {
		d.errorPage(w, r, u, http.StatusBadRequest, "to: "+err.Error())
		return
	}
	p.Changes, err = d.ar.Diff(from, to)
	if err != nil {
		d.archiveError(w, r, u, err)
		return
	}
	p.Title = "Diff " + strconv.FormatUint(uint64(p.Changes.From), 10) + " → " + strconv.FormatUint(uint64(p.Changes.To), 10)
	d.render(w, r, http.StatusOK, "diff", p)
}

// logPageSize is how many events a page of the log shows.
const logPageSize = 50

// logPage is a page of the log at /log, newest first.
type logPage struct {
	deskPage
	Events []logRow
	// OlderURL and NewerURL page through the log.
	OlderURL, NewerURL string
}

// logRow is an event as the log page lists it.
type logRow struct {
	events.Event
	Summary string
}

func (d *desk) logPage(w http.ResponseWriter, r *http.Request, u *pageUser) {
	head, _, err := d.ar.Head()
	if err != nil {
		d.archiveError(w, r, u, err)
		return
	}
	to, err := parseRev(r.URL.Query().Get("to"), head)
	if err != nil {
		d.errorPage(w, r, u, http.StatusBadRequest, "to: "+err.Error())
		return
	}
	to = min(to, head)
	p := &logPage{deskPage: deskPage{Title: "Log", User: u, Revision: head, Nav: "log"}}
	if to > 0 {
		from := events.Revision(1)
		if to > logPageSize {
			from = to - logPageSize + 1
		}
		evs, err := d.ar.Log(from, to)
		if err != nil {
			d.archiveError(w, r, u, err)
			return
		}
		for i := len(evs) - 1; i >= 0; i-- {
			p.Events = append(p.Events, logRow{Event: evs[i], Summary: eventSummary(evs[i])})
		}
		if from > 1 {
			p.OlderURL = "/log?to=" + strconv.FormatUint(uint64(from-1), 10)
		}
		if to < head {
			p.NewerURL = "/log?to=" + strconv.FormatUint(uint64(min(head, to+logPageSize)), 10)
		}
	}
	d.render(w, r, http.StatusOK, "log", p)
}

// eventSummary says in a line what an event recorded.
func eventSummary(e events.Event) string {
	pl, err := e.Decode()
	if err != nil {
		return "(payload does not decode: " + err.Error() + ")"
	}
	switch p := pl.(type) {
	case *events.SourceArchived:
		return "source " + string(p.ID) + " " + strconv.Quote(p.Title)
	case *events.ClaimAsserted:
		return "claim " + string(p.ID) + ": " + p.Subject + " / " + p.Predicate + " = " + p.Value.String()
	case *events.ClaimRetracted:
		return "retracted " + string(p.Claim) + ": " + p.Reason
	case *events.VerdictRecorded:
		s := string(p.Decision) + " on conflict " + p.Conflict
		if p.Claim != "" {
			s += " (claim " + string(p.Claim) + ")"
		}
		return s
	case *events.PredicateDefined:
		return "predicate " + p.Name + " (" + string(p.Kind) + ")"
	case *events.AliasDeclared:
		return "alias " + p.Name + " → " + p.Entity + " (" + string(p.Kind) + ")"
	}
	return string(e.Type)
}
