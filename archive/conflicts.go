package archive

import (
	"encoding/base64"
	"slices"
	"strings"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

// The statuses a ConflictFilter takes besides a conflict's own
// (projections.ConflictOpen, projections.ConflictResolved).
const (
	// StatusAll asks for conflicts of every status; so does "".
	StatusAll projections.ConflictStatus = "all"
)

// ConflictFilter says which conflicts of the queue Conflicts returns.
type ConflictFilter struct {
	// Status is projections.ConflictOpen, projections.ConflictResolved,
	// or StatusAll ("" is all too). A reopened conflict is open.
	Status projections.ConflictStatus
	// Kind is projections.KindValue, KindTemporal or KindName; "" is
	// every kind.
	Kind projections.ConflictKind
	// Subject keeps the conflicts about one entity, named by any of its
	// names: its value and temporal conflicts, and the name conflicts
	// one of whose names is it. An unknown subject is NotFound.
	Subject string
	// At is the revision to read. Head is the newest; the zero value is
	// revision 0, the empty archive, which has no conflicts.
	At Revision
	// Limit is the most items of the queue in a page (QueueItem: a
	// conflict, or the combinations of one root cause, which a page never
	// splits); 0 is no limit.
	Limit int
	// After is the cursor of a page (ConflictPage.Next): the page starts
	// after that conflict in the queue's order. A cursor taken at another
	// revision still works: it means after that conflict's place in the
	// order, whether the conflict is still there or not.
	After string
}

// ConflictPage is a page of the conflict queue.
type ConflictPage struct {
	// Revision is the revision read.
	Revision Revision `json:"revision"`
	// Conflicts are in the queue's order: by kind (value, temporal,
	// name), subject, predicate and id.
	Conflicts []*projections.Conflict `json:"conflicts"`
	// Next is the cursor of the next page (ConflictFilter.After), or ""
	// when this page is the last.
	Next string `json:"next,omitempty"`
	// Items are the page's conflicts as items of the queue: one item per
	// root cause (see QueueItem), in the same order.
	Items []QueueItem `json:"items"`
}

// Conflicts returns a page of the conflict queue at a revision, filtered.
// A bad status, kind or cursor is Invalid; an unknown subject NotFound.
func (a *Archive) Conflicts(f ConflictFilter) (*ConflictPage, error) {
	switch f.Status {
	case "", StatusAll, projections.ConflictOpen, projections.ConflictResolved:
	default:
		return nil, Errorf(Invalid, "a conflict's status is open or resolved, not %q", f.Status)
	}
	switch f.Kind {
	case "", projections.KindValue, projections.KindTemporal, projections.KindName:
	default:
		return nil, Errorf(Invalid, "a conflict's kind is value, temporal or name, not %q", f.Kind)
	}
	if f.Limit < 0 {
		return nil, Errorf(Invalid, "a page's limit must not be negative, got %d", f.Limit)
	}
	var after *cursor
	if f.After != "" {
		c, err := parseCursor(f.After)
		if err != nil {
			return nil, err
		}
		after = &c
	}
	var page *ConflictPage
	err := a.read(f.At, func(r *reader) error {
		if r.model != nil && r.at == r.head {
			p, err := f.fromModel(r, after)
			page = p
			return err
		}
		an, err := r.analyze()
		if err != nil {
			return err
		}
		var subject *projections.Entity
		if f.Subject != "" {
			if subject = an.Entity(f.Subject); subject == nil {
				return unknownName(an, f.Subject)
			}
		}
		p := &ConflictPage{Revision: an.Rev, Conflicts: []*projections.Conflict{}}
		start := 0
		if after != nil {
			// After the cursor's conflict where it is now; else after
			// its place in the order.
			start = slices.IndexFunc(an.Conflicts, func(cf *projections.Conflict) bool { return cf.ID == after.id }) + 1
			if start == 0 {
				start = len(an.Conflicts)
				if i := slices.IndexFunc(an.Conflicts, after.before); i >= 0 {
					start = i
				}
			}
		}
		items := 0
		var last *projections.Conflict
		for _, cf := range an.Conflicts[start:] {
			if !f.keeps(an, subject, cf) {
				continue
			}
			same := last != nil && projections.SameRoot(last, cf)
			if f.Limit > 0 && items == f.Limit && !same {
				p.Next = cursorOf(last)
				break
			}
			if !same {
				items++
			}
			p.Conflicts = append(p.Conflicts, cf)
			last = cf
		}
		if p.Items, err = queueItems(analysisSummary(an), p.Conflicts); err != nil {
			return err
		}
		page = p
		return nil
	})
	return page, err
}

// fromModel is Conflicts read from the stored model: the queue index (or
// the subject's), from the cursor's place, one conflict record a row.
func (f ConflictFilter) fromModel(r *reader, after *cursor) (*ConflictPage, error) {
	m := r.model
	q := projections.QueueFilter{Status: f.Status, Kind: f.Kind}
	if f.Status == StatusAll {
		q.Status = ""
	}
	if f.Subject != "" {
		k, ok, err := m.EntityKey(f.Subject)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, r.unknownName(f.Subject)
		}
		q.EntityKey = &k
	}
	if after != nil {
		// After the cursor's conflict where it is now; else after its
		// place in the order.
		k, err := m.QueueKeyOf(after.id)
		if err != nil {
			return nil, err
		}
		if k == nil {
			k = projections.QueueKey(after.kind, after.subject, after.predicate, after.root, after.id)
		}
		q.After = k
	}
	p := &ConflictPage{Revision: m.Rev(), Conflicts: []*projections.Conflict{}}
	// A page's limit counts items: one root cause's combinations are one
	// item, never split across pages.
	items := 0
	var last *projections.Conflict
	err := m.Queue(q, func(cf *projections.Conflict) (bool, error) {
		same := last != nil && projections.SameRoot(last, cf)
		if f.Limit > 0 && items == f.Limit && !same {
			p.Next = cursorOf(last)
			return false, nil
		}
		if !same {
			items++
		}
		p.Conflicts = append(p.Conflicts, cf)
		last = cf
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	if p.Items, err = queueItems(m.RootSummary, p.Conflicts); err != nil {
		return nil, err
	}
	return p, nil
}

// keeps reports whether the filter keeps cf.
func (f ConflictFilter) keeps(an *projections.Analysis, subject *projections.Entity, cf *projections.Conflict) bool {
	if f.Status != "" && f.Status != StatusAll && cf.Status != f.Status {
		return false
	}
	if f.Kind != "" && cf.Kind != f.Kind {
		return false
	}
	if subject == nil {
		return true
	}
	if cf.Kind == projections.KindName {
		for _, n := range cf.Names {
			if an.Entity(n) == subject {
				return true
			}
		}
		return false
	}
	return an.Entity(cf.Subject) == subject
}

// cursor is a place in the queue's order: after the conflict with these
// sort keys.
type cursor struct {
	kind      projections.ConflictKind
	subject   string
	predicate string
	root      projections.ConflictID // "" in a cursor written before roots were in the order
	id        projections.ConflictID
}

// cursorOf is the cursor after cf: its sort keys, encoded.
func cursorOf(cf *projections.Conflict) string {
	s := strings.Join([]string{string(cf.Kind), cf.Subject, cf.Predicate, string(cf.ID), string(cf.Root)}, "\x00")
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func parseCursor(s string) (cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	parts := strings.Split(string(b), "\x00")
	if err != nil || len(parts) != 4 && len(parts) != 5 || parts[3] == "" {
		return cursor{}, Errorf(Invalid, "%q is not a cursor of the conflict queue (a page's Next)", s)
	}
	c := cursor{kind: projections.ConflictKind(parts[0]), subject: parts[1], predicate: parts[2], id: projections.ConflictID(parts[3])}
	if len(parts) == 5 {
		c.root = projections.ConflictID(parts[4])
	}
	return c, nil
}

// before reports whether the conflict cf comes after the cursor in the
// queue's order (projections.Analyze sorts it so).
func (c cursor) before(cf *projections.Conflict) bool {
	if c.kind != cf.Kind {
		return kindOrder(c.kind) < kindOrder(cf.Kind)
	}
	if c.subject != cf.Subject {
		return c.subject < cf.Subject
	}
	if c.predicate != cf.Predicate {
		return c.predicate < cf.Predicate
	}
	if c.root != cf.Root && c.root != "" {
		return c.root < cf.Root
	}
	return c.id < cf.ID
}

// kindOrder is the order of the kinds in the queue.
func kindOrder(k projections.ConflictKind) int {
	switch k {
	case projections.KindValue:
		return 0
	case projections.KindTemporal:
		return 1
	}
	return 2
}

// ClaimFilter says which claims Claims returns.
type ClaimFilter struct {
	// Source keeps the claims citing this source; an unknown source is
	// NotFound.
	Source events.SourceID
	// Subject keeps the claims about this entity, named by any of its
	// names; an unknown one is NotFound.
	Subject string
	// At is the revision to read. Head is the newest; the zero value is
	// revision 0, the empty archive, which has no claims.
	At Revision
}

// ClaimStatus says whether a recorded claim stands.
type ClaimStatus string

// The statuses of a claim.
const (
	ClaimStanding  ClaimStatus = "standing"  // neither retracted nor rejected
	ClaimRetracted ClaimStatus = "retracted" // withdrawn (Retract)
	ClaimRejected  ClaimStatus = "rejected"  // rejected by a verdict on a conflict
)

// ClaimRow is a recorded claim and its status.
type ClaimRow struct {
	ID        events.ClaimID  `json:"id"`
	Revision  Revision        `json:"revision"`
	Source    events.SourceID `json:"source"`
	Subject   string          `json:"subject"`
	As        string          `json:"as,omitempty"`
	Predicate string          `json:"predicate"`
	Value     events.Value    `json:"value"`
	Quote     string          `json:"quote"`
	Status    ClaimStatus     `json:"status"`
	// Reason says why a claim does not stand: the retraction's reason, or
	// the conflict whose verdict rejected it.
	Reason string `json:"reason,omitempty"`
	Note   string `json:"note,omitempty"`
}

// Claims returns the claims recorded at a revision (retracted and
// rejected ones too, with their status), in the order they were recorded.
func (a *Archive) Claims(f ClaimFilter) ([]ClaimRow, error) {
	var rows []ClaimRow
	err := a.read(f.At, func(r *reader) error {
		state, err := r.loadState()
		if err != nil {
			return err
		}
		var an *projections.Analysis
		var subject *projections.Entity
		if f.Subject != "" {
			// Which entity each claim's subject is: the names, not the
			// checks.
			an = projections.AnalyzeNames(state)
			if subject = an.Entity(f.Subject); subject == nil {
				return r.unknownName(f.Subject)
			}
		}
		if f.Source != "" && state.Sources[f.Source] == nil {
			return Errorf(NotFound, "unknown source %q", f.Source)
		}
		for _, cl := range state.SortedClaims() {
			if f.Source != "" && cl.Source != f.Source {
				continue
			}
			if subject != nil && an.Entity(cl.Subject) != subject {
				continue
			}
			row := ClaimRow{ID: cl.ID, Revision: cl.Rev, Source: cl.Source, Subject: cl.Subject, As: cl.As,
				Predicate: cl.Predicate, Value: cl.Value, Quote: cl.Quote, Status: ClaimStanding, Note: cl.Note}
			switch {
			case cl.Retracted:
				row.Status, row.Reason = ClaimRetracted, cl.RetractReason
			case cl.RejectedBy != "":
				row.Status, row.Reason = ClaimRejected, "by the verdict on conflict "+string(cl.RejectedBy)
			}
			rows = append(rows, row)
		}
		return nil
	})
	return rows, err
}

// ConflictDetail is a conflict with what a reviewer needs to judge it.
type ConflictDetail struct {
	*projections.Conflict
	// Revision is the revision read.
	Revision Revision `json:"revision"`
	// Details are the conflict's claims, in its order, each with its
	// source and its quote in context.
	Details []ClaimDetail `json:"details"`
	// NameDiff marks where the two names of a name conflict differ.
	NameDiff string `json:"name_diff,omitempty"`
	// Combinations, when the id given was a root id, are the conflicts of
	// that root cause (the item's claims are then theirs, each once).
	Combinations []*projections.Conflict `json:"combinations,omitempty"`
	// Item, for one combination of a root cause that has several, is the
	// queue's item it belongs to.
	Item *QueueItem `json:"item,omitempty"`
}

// ClaimDetail is a claim of a conflict with its source's metadata, its
// quote in context, and its value as resolved.
type ClaimDetail struct {
	projections.ConflictClaim
	Predicate string `json:"predicate"`
	// The source's publisher, publication date, language and original.
	Publisher   string `json:"publisher,omitempty"`
	Published   string `json:"published,omitempty"`
	Lang        string `json:"lang,omitempty"`
	Translation string `json:"translation_of,omitempty"`
	// Before and After are the source's text around the quote.
	Before   string       `json:"context_before"`
	After    string       `json:"context_after"`
	Resolved events.Value `json:"resolved"`
	Revision Revision     `json:"revision"`
}

// detailContext is how many characters of context ClaimDetail gives on
// each side of a quote.
const detailContext = 60

// ConflictDetail returns the conflict id at a revision (Head: the newest)
// with each claim's source and quote in context. The id is a whole
// conflict id or a unique prefix of 4 or more of its hex digits. No
// conflict is NotFound (its error wraps projections.ErrUnknownConflict); a
// malformed, short or ambiguous id is Invalid.
func (a *Archive) ConflictDetail(id string, at Revision) (*ConflictDetail, error) {
	var out *ConflictDetail
	err := a.read(at, func(r *reader) error {
		cf, group, err := r.findItem(id)
		if err != nil {
			return err
		}
		summary, err := r.summarizer()
		if err != nil {
			return err
		}
		if group != nil {
			out, err = rootDetail(r, summary, group)
			return err
		}
		if out, err = conflictDetail(r, cf); err != nil {
			return err
		}
		if cf.Root != "" {
			group, err := r.rootConflicts(string(cf.Root))
			if err != nil {
				return err
			}
			if len(group) > 1 {
				it, err := queueItem(summary, group)
				if err != nil {
					return err
				}
				out.Item = &it
			}
		}
		return nil
	})
	return out, err
}

// detailClaim is what a conflict's detail shows of one of its claims
// besides the conflict's record of it.
type detailClaim struct {
	predicate string
	value     events.Value
	rev       Revision
	source    events.SourceID
}

// detailClaims returns, for each claim of cf, what its detail shows (nil
// for a claim the state does not hold): from the model when it answers.
func (r *reader) detailClaims(cf *projections.Conflict) ([]*detailClaim, error) {
	out := make([]*detailClaim, len(cf.Claims))
	if r.model != nil && r.at == r.head {
		infos, err := r.model.ConflictClaims(cf.ID)
		if err != nil {
			return nil, err
		}
		if len(infos) == len(cf.Claims) {
			for i, in := range infos {
				if in.Known {
					out[i] = &detailClaim{in.Predicate, in.Value, in.Rev, cf.Claims[i].Source}
				}
			}
			return out, nil
		}
	}
	st, err := r.loadState()
	if err != nil {
		return nil, err
	}
	for i, cc := range cf.Claims {
		if cl := st.Claims[cc.ID]; cl != nil {
			out[i] = &detailClaim{cl.Predicate, cl.Value, cl.Rev, cl.Source}
		}
	}
	return out, nil
}

func conflictDetail(r *reader, cf *projections.Conflict) (*ConflictDetail, error) {
	out := &ConflictDetail{Conflict: cf, Revision: r.at, Details: []ClaimDetail{}}
	texts := map[events.SourceID]string{}
	metas := map[events.SourceID]*events.SourceArchived{}
	claims, err := r.detailClaims(cf)
	if err != nil {
		return nil, err
	}
	for i, cc := range cf.Claims {
		cl := claims[i]
		if cl == nil {
			continue
		}
		d := ClaimDetail{ConflictClaim: cc, Predicate: cl.predicate, Resolved: cl.value, Revision: cl.rev}
		src, ok := metas[cl.source]
		if !ok {
			// The source as corrected up to the revision read.
			var err error
			if src, _, err = sources.LookupAt(r.tx, cl.source, r.at); err != nil {
				return nil, err
			}
			metas[cl.source] = src
		}
		d.Publisher, d.Published, d.Lang, d.Translation = src.Publisher, src.Published, src.Lang, string(src.TranslationOf)
		text, ok := texts[cl.source]
		if !ok {
			var err error
			if text, err = sources.StoredText(r.tx, src); err != nil {
				return nil, err
			}
			texts[cl.source] = text
		}
		anchor, err := r.tx.ClaimAnchor(cc.ID)
		if err != nil {
			return nil, err
		}
		d.Before, _, d.After = provenance.Excerpt(text, anchor, detailContext)
		out.Details = append(out.Details, d)
	}
	if cf.Kind == projections.KindName && len(cf.Names) == 2 {
		out.NameDiff = provenance.CharDiff(cf.Names[0], cf.Names[1])
	}
	return out, nil
}
