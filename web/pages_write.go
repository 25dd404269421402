package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	archive "github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
)

// review records a verdict from a conflict page's form. The form says
// the decision either as one button's value "accept:CLAIM" (one form,
// a button per claim) or as the fields verdict and claim; seen is the
// revision the page showed. A verdict refused because the conflict
// changed since shows the conflict again as it is now, with what
// changed (409).
func (d *desk) review(w http.ResponseWriter, r *http.Request, u *pageUser) {
	id := r.PathValue("id")
	f := r.PostForm
	verdict, claim := f.Get("verdict"), f.Get("claim")
	if dc := f.Get("decision"); dc != "" {
		verdict, claim, _ = strings.Cut(dc, ":")
	}
	seen, err := parseRev(f.Get("seen"), 0)
	if err != nil {
		d.errorPage(w, r, u, http.StatusBadRequest, "seen: "+err.Error())
		return
	}
	req := archive.ReviewRequest{Conflict: id, Decision: events.Decision(verdict), Claim: events.ClaimID(claim),
		Note: strings.TrimSpace(f.Get("note")), Seen: seen, Override: f.Get("override") != ""}
	switch req.Decision {
	case events.DecisionAccept, events.DecisionReject, events.DecisionDismiss, events.DecisionSame, events.DecisionDistinct:
	default:
		d.errorPage(w, r, u, http.StatusBadRequest, "A verdict is accept, reject, dismiss, same or distinct, not "+quoteOr(verdict, "nothing")+".")
		return
	}
	if seen == 0 {
		d.errorPage(w, r, u, http.StatusBadRequest, "The form does not say which revision you looked at (seen); reload the conflict and try again.")
		return
	}
	rv, err := d.ar.Review(u.Name, req)
	if err != nil {
		code := archive.ErrorCode(err)
		if code != archive.Conflict && code != archive.Invalid {
			d.archiveError(w, r, u, err)
			return
		}
		p, perr := d.conflictData(id, u)
		if perr != nil {
			d.archiveError(w, r, u, perr)
			return
		}
		p.Note = req.Note
		status := http.StatusUnprocessableEntity
		if code == archive.Conflict {
			status = http.StatusConflict
			p.Changed = err.Error()
			p.Resolved = errors.Is(err, projections.ErrAlreadyResolved)
		} else {
			p.Message = err.Error()
		}
		d.render(w, r, status, "conflict", p)
		return
	}
	// A verdict on a root cause's page (one verdict per combination)
	// lands back on that page; one on a conflict on the conflict's.
	back := rv.Conflict.ID
	if len(rv.Also) > 0 || (rv.Conflict.Root != "" && !strings.HasPrefix(string(rv.Conflict.ID), strings.ToLower(strings.TrimSpace(id)))) {
		back = rv.Conflict.Root
	}
	to := "/conflicts/" + url.PathEscape(string(back)) + "?reviewed=1"
	if len(rv.Also) > 0 {
		to += "&verdicts=" + strconv.Itoa(1+len(rv.Also))
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func quoteOr(s, none string) string {
	if s == "" {
		return none
	}
	return "\u201c" + s + "\u201d"
}

// loginPage is the sign-in form.
type loginPage struct {
	deskPage
	Name string
	Next string
}

func (d *desk) loginPage(w http.ResponseWriter, r *http.Request, u *pageUser) {
	p := &loginPage{deskPage: deskPage{Title: "Sign in", User: u}, Next: safeNext(r.URL.Query().Get("next"))}
	d.render(w, r, http.StatusOK, "login", p)
}

// login signs in with the form's name and password (Server.SignIn: rate
// limited per account and address) and goes on to the page asked for.
func (d *desk) login(w http.ResponseWriter, r *http.Request, u *pageUser) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		d.errorPage(w, r, u, http.StatusBadRequest, "The form could not be read: "+err.Error())
		return
	}
	name := strings.TrimSpace(r.PostForm.Get("user"))
	next := safeNext(r.PostForm.Get("next"))
	if name == "" || r.PostForm.Get("password") == "" {
		p := &loginPage{deskPage: deskPage{Title: "Sign in", User: u, Message: "Give your name and your password."}, Name: name, Next: next}
		d.render(w, r, http.StatusBadRequest, "login", p)
		return
	}
	if _, err := d.s.SignIn(w, r, name, r.PostForm.Get("password")); err != nil {
		status := Status(err)
		msg := err.Error()
		if status == http.StatusInternalServerError {
			d.log.Error("sign-in", "err", err)
			msg = "internal error: " + msg
		}
		var he *httpError
		if errors.As(err, &he) && he.retry > 0 {
			w.Header().Set("Retry-After", retryAfter(he.retry))
		}
		p := &loginPage{deskPage: deskPage{Title: "Sign in", Message: msg}, Name: name, Next: next}
		d.render(w, r, status, "login", p)
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// logout signs out (a form with the CSRF token, which the server checks,
// so that another site cannot sign a user out).
func (d *desk) logout(w http.ResponseWriter, r *http.Request, u *pageUser) {
	if err := d.s.SignOut(w, r); err != nil {
		d.archiveError(w, r, u, err)
		return
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
