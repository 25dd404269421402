package archive

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/provenance/claimsfile"
	"github.com/sillok/sillok/sources"
)

// MaxClaimsFile is the largest claims file ImportClaims reads.
const MaxClaimsFile = 64 << 20

// ClaimsFile is one claims file (YAML or JSON) to import: its name, as
// errors name it, and its content, as Data or, when Data is nil, read
// from what Open returns (on another goroutine, ahead of its turn).
type ClaimsFile struct {
	Name string
	Data []byte
	Open func() (io.ReadCloser, error)
}

// Imported is the outcome of importing one claims file.
type Imported struct {
	// File is the file's name, as ClaimsFile.Name gave it.
	File string `json:"file"`
	// Revision is the head once the file landed (or the head it found,
	// when the file added nothing).
	Revision Revision `json:"revision"`
	// Claims counts the file's claims, Created those newly recorded.
	Claims  int `json:"claims"`
	Created int `json:"created"`
	// Predicates and Aliases count the definitions newly added.
	Predicates int `json:"predicates"`
	Aliases    int `json:"aliases"`
	// Warnings say which newly recorded claims' dates a reader should
	// check ("claims.yaml:7:12: claim x: "the 31st" resolved to 2024-03-31
	// (rule past-tense): April 2024 has no day 31; check the date"): a date
	// without its month or year resolved far from the publication date, or
	// past a month without the day (see events.ResolveDateIn).
	Warnings []string `json:"warnings,omitempty"`
}

// ImportClaims imports claims files in order, each in its own
// transaction: every predicate, alias and claim of a file lands, or none
// does. Importing a file again adds nothing. It stops at the first file
// that fails, with that file's error (placed at its line and claim: a
// *claimsfile.Error); the files before it stay imported and are in the
// result. done, if not nil, is called after each file lands.
//
// The next files are read and parsed on other goroutines while the
// current one is anchored and appended, so a many-file import keeps every
// core busy, and while files remain the read model's checkpoints are
// spaced for a bulk load.
func (a *Archive) ImportClaims(author string, files []ClaimsFile, done func(Imported)) ([]Imported, error) {
	return a.ImportClaimsWith(author, files, ImportOptions{Done: done})
}

// ImportOptions are ImportClaimsWith's options.
type ImportOptions struct {
	// Done, if not nil, is called after each file lands.
	Done func(Imported)
	// Progress, if not nil, is called on the calling goroutine as the
	// claims of a file are recorded: file is the file's index in files,
	// done of total its claims, every ImportProgressEvery claims and once
	// when they are all recorded (before the file's transaction commits).
	Progress func(file, done, total int)
}

// ImportProgressEvery is how many claims ImportClaimsWith records between
// two calls of its progress function.
const ImportProgressEvery = 1 << 8

// ImportClaimsWith is ImportClaims with options: the same import, with a
// progress function besides the per-file one.
func (a *Archive) ImportClaimsWith(author string, files []ClaimsFile, opts ImportOptions) ([]Imported, error) {
	done := opts.Done
	if err := checkAuthor(author); err != nil {
		return nil, err
	}
	type parsed struct {
		f     *claimsfile.File
		ahead []ahead
		err   error
	}
	results := make([]chan parsed, len(files))
	for i := range results {
		results[i] = make(chan parsed, 1)
	}
	slots := make(chan struct{}, parseAhead+1) // the file being imported, and those ahead
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for i, file := range files {
			select {
			case slots <- struct{}{}:
			case <-stop:
				return
			}
			go func() {
				var p parsed
				defer func() {
					if r := recover(); r != nil {
						p = parsed{err: fmt.Errorf("%s: internal error while parsing (please report it): %v", file.Name, r)}
					}
					results[i] <- p
				}()
				if p.f, p.err = parseClaimsFile(file); p.err == nil {
					select {
					case <-stop: // the import is over: leave the archive alone
					default:
						p.ahead = a.prepareAhead(p.f)
					}
				}
			}()
		}
	}()
	var out []Imported
	appended := false
	for i := range files {
		p := <-results[i]
		if p.err != nil {
			return out, coded(p.err)
		}
		var progress func(done, total int)
		if opts.Progress != nil {
			progress = func(done, total int) { opts.Progress(i, done, total) }
		}
		res, app, err := a.importParsed(author, p.f, p.ahead, i < len(files)-1, progress)
		if err != nil {
			return out, err
		}
		appended = app
		<-slots
		out = append(out, res)
		if done != nil {
			done(res)
		}
	}
	if len(files) > 1 && !appended {
		// The last file appended nothing (it was imported before), so
		// its transaction did not bring the checkpoints to the usual
		// spacing: do it now.
		a.writeMu.Lock()
		defer a.writeMu.Unlock()
		if err := a.log.Update(a.store.CatchUp); err != nil {
			a.store.Warm = nil
			return out, coded(err)
		}
	}
	return out, nil
}

// parseAhead is how many claims files ImportClaims parses ahead of the
// one it imports.
const parseAhead = 2

// parseClaimsFile reads (at most MaxClaimsFile bytes) and parses one
// claims file.
func parseClaimsFile(file ClaimsFile) (*claimsfile.File, error) {
	data := file.Data
	if data == nil && file.Open != nil {
		rc, err := file.Open()
		if err != nil {
			return nil, err
		}
		data, err = io.ReadAll(io.LimitReader(rc, MaxClaimsFile+1))
		rc.Close()
		if err != nil {
			return nil, err
		}
	}
	if len(data) > MaxClaimsFile {
		return nil, Errorf(Invalid, "%s: a claims file may be at most %d MiB", file.Name, MaxClaimsFile>>20)
	}
	return claimsfile.Parse(file.Name, data)
}

// ahead is what prepareAhead made of one claim: its quote's anchor and
// its value, or nil for either.
type ahead struct {
	anchor   *events.Anchor
	resolved *provenance.Resolved
}

// prepareAhead anchors the quotes of f's claims in their sources and
// resolves their values, in a read transaction of its own, on the
// goroutine that parsed f: ahead of the file's write transaction, so that
// the writer does not extract, normalize and search the sources' texts or
// parse dates and quantities. An anchor depends only on the source's bytes
// (named by their digest), the quote and its context, and a value only on
// what is written, the predicate's kind and the source's publication date,
// so the recorder takes what was made here when the transaction has the
// same digest, kind and date (provenance.ClaimInput.Anchored and
// Resolved), and makes it again otherwise. A claim whose quote, value or
// source fails here gets nothing: the recorder tries again and reports
// the problem where it always has.
func (a *Archive) prepareAhead(f *claimsfile.File) []ahead {
	if len(f.Claims) == 0 {
		return nil
	}
	type source struct {
		src  *events.SourceArchived
		text string
		ok   bool
	}
	type kind struct {
		kind events.ValueKind
		ok   bool
	}
	anchors := make([]events.Anchor, len(f.Claims))
	out := make([]ahead, len(f.Claims))
	err := a.log.View(func(tx *events.Tx) error {
		r := provenance.NewRecorder(tx, "") // for its lookups only
		kinds := map[string]kind{}
		kindOf := func(name string) kind {
			k, seen := kinds[name]
			if !seen {
				if p, ok, err := r.Predicate(name); err == nil && ok {
					k = kind{p.Kind, true}
				} else {
					for _, p := range f.Predicates { // defined by this file
						if p.Name == name {
							pk, err := events.ParseValueKind(p.Kind)
							k = kind{pk, err == nil}
							break
						}
					}
				}
				kinds[name] = k
			}
			return k
		}
		texts := map[string]*source{}
		for i, cl := range f.Claims {
			id := cl.Source
			if id == "" {
				id = f.Source
			}
			s := texts[id]
			if s == nil {
				s = &source{}
				texts[id] = s
				if src, _, err := sources.Lookup(tx, events.SourceID(id)); err == nil {
					if text, err := sources.StoredText(tx, src); err == nil {
						s.src, s.text, s.ok = src, strings.Clone(text), true
					}
				}
			}
			if !s.ok {
				continue
			}
			anchor, err := provenance.Anchor(s.src.Digest, s.text, cl.Quote, provenance.Context{Prefix: cl.Prefix, Suffix: cl.Suffix})
			if err == nil {
				anchors[i] = anchor
				out[i].anchor = &anchors[i]
			}
			if k := kindOf(cl.Predicate); k.ok && cl.Value.Relation == nil {
				out[i].resolved, _ = provenance.ResolveAhead(k.kind, cl.Value.Scalar, cl.Quote, strings.Clone(s.src.Published))
			}
		}
		return nil
	})
	if err != nil {
		return nil
	}
	return out
}

// importParsed imports a parsed claims file in one transaction; bulk says
// more files follow. appended reports whether it wrote anything.
// ahead, if not nil, holds what was made ahead for f's claims
// (prepareAhead). progress, if not nil, is called every
// ImportProgressEvery claims and once after the last.
func (a *Archive) importParsed(author string, f *claimsfile.File, ahead []ahead, bulk bool, progress func(done, total int)) (res Imported, appended bool, err error) {
	res = Imported{File: f.Name, Claims: len(f.Claims)}
	appended, err = a.updateBulk(bulk, func(tx *events.Tx) error {
		r := provenance.NewRecorder(tx, author)
		defined := map[string]claimsfile.Predicate{} // by this file
		for _, p := range f.Predicates {
			kind, err := events.ParseValueKind(p.Kind)
			if err != nil {
				return &claimsfile.Error{Pos: p.Pos, Msg: fmt.Sprintf("predicate %q: %v", p.Name, err)}
			}
			created, err := r.DefinePredicate(events.PredicateDefined{Name: p.Name, Kind: kind, Many: p.Many})
			if first, ok := defined[p.Name]; ok && errors.Is(err, provenance.ErrPredicateKind) {
				return &claimsfile.Error{Pos: p.Pos, Msg: fmt.Sprintf("predicate %q is defined twice in this file, with different kinds: at line %d (%s) and at line %d (%s); keep one",
					p.Name, first.Pos.Line, predicateWords(first), p.Pos.Line, predicateWords(p))}
			}
			if err != nil {
				return &fileError{pos: &claimsfile.Error{Pos: p.Pos, Msg: err.Error()}, err: err}
			}
			if _, ok := defined[p.Name]; !ok {
				defined[p.Name] = p
			}
			if created {
				res.Predicates++
			}
		}
		aliases := &aliasChecker{tx: tx, ar: a}
		for _, al := range f.Aliases {
			kind, err := events.ParseAliasKind(al.Kind)
			if err != nil {
				return &claimsfile.Error{Pos: al.Pos, Msg: fmt.Sprintf("alias %q: %v", al.Name, err)}
			}
			p := events.AliasDeclared{Name: al.Name, Entity: al.Entity, Kind: kind, Note: al.Note}
			if err := aliases.check(p); err != nil {
				return &fileError{pos: &claimsfile.Error{Pos: al.Pos, Msg: fmt.Sprintf("alias %q: %v", al.Name, err)}, err: err}
			}
			created, err := r.DeclareAlias(p)
			if err != nil {
				return &fileError{pos: &claimsfile.Error{Pos: al.Pos, Msg: fmt.Sprintf("alias %q: %v", al.Name, err)}, err: err}
			}
			aliases.declared(p, created)
			if created {
				res.Aliases++
			}
		}
		// seen is the claim of this file that recorded each id, to name
		// both places when a later claim reuses the id.
		seen := make(map[events.ClaimID]int, len(f.Claims)) // an index in f.Claims
		for i, cl := range f.Claims {
			if i%ImportProgressEvery == 0 && progress != nil {
				progress(i, len(f.Claims))
			}
			src := cl.Source
			if src == "" {
				src = f.Source
			}
			in := provenance.ClaimInput{
				ID: cl.ID, Source: src, Subject: cl.Subject, As: cl.As, Predicate: cl.Predicate,
				Value: cl.Value.Scalar, Relation: cl.Value.Relation, Quote: cl.Quote,
				Prefix: cl.Prefix, Suffix: cl.Suffix, Note: cl.Note,
			}
			if ahead != nil {
				in.Anchored, in.Resolved = ahead[i].anchor, ahead[i].resolved
			}
			rec, err := r.Assert(in)
			if first, ok := seen[events.ClaimID(cl.ID)]; ok && cl.ID != "" && errors.Is(err, provenance.ErrClaimChanged) {
				return sameIDError(f.Claims[first], cl)
			}
			if err != nil {
				return claimError(cl, err)
			}
			if _, ok := seen[rec.Claim.ID]; !ok {
				seen[rec.Claim.ID] = i
			}
			if rec.Created {
				res.Created++
				for _, w := range rec.Warnings {
					res.Warnings = append(res.Warnings, claimWarning(cl, w))
				}
			}
		}
		if progress != nil {
			progress(len(f.Claims), len(f.Claims))
		}
		res.Revision, _ = tx.Head()
		return nil
	})
	if err != nil {
		return res, false, err
	}
	if res.Revision == 0 {
		if res.Revision, _, err = a.log.Head(); err != nil {
			return res, false, coded(err)
		}
	}
	return res, appended, nil
}

// fileError is a *claimsfile.Error (what the user reads: the place in
// the file and the problem) that keeps the error it reports, so that
// errors.Is and ErrorCode still see it.
type fileError struct {
	pos *claimsfile.Error
	err error
}

func (e *fileError) Error() string   { return e.pos.Error() }
func (e *fileError) Unwrap() []error { return []error{e.pos, e.err} }

// claimError places an import error at the claim (its quote or value when
// that is what is wrong).
// claimWarning places a warning about a claim's value at the value in
// its file, as an error would be placed.
func claimWarning(cl claimsfile.Claim, msg string) string {
	who := cl.ID
	if who == "" {
		who = fmt.Sprintf("claim #%d", cl.Index)
	}
	return (&claimsfile.Error{Pos: cl.ValuePos, Claim: who, Msg: msg}).Error()
}

func claimError(cl claimsfile.Claim, err error) error {
	who := cl.ID
	if who == "" {
		who = fmt.Sprintf("claim #%d", cl.Index)
	}
	pos := cl.Pos
	var qe *provenance.QuoteNotFoundError
	switch {
	case errors.As(err, &qe), errors.Is(err, provenance.ErrQuoteTooShort), errors.Is(err, provenance.ErrContextNotFound):
		pos = cl.QuotePos
	case errors.Is(err, provenance.ErrWrongKind), errors.Is(err, events.ErrNoAnchor):
		pos = cl.ValuePos
	}
	return &fileError{pos: &claimsfile.Error{Pos: pos, Claim: who, Msg: err.Error()}, err: err}
}

// predicateWords describes a predicate of a claims file: "date, many
// values".
func predicateWords(p claimsfile.Predicate) string {
	if p.Many {
		return p.Kind + ", many values"
	}
	return p.Kind + ", one value"
}

// sameIDError reports two claims of one file that have the same id and
// different content, naming both places in the file.
func sameIDError(first, second claimsfile.Claim) error {
	at := func(cl claimsfile.Claim) string {
		if cl.Pos.Line > 0 {
			return fmt.Sprintf("claim #%d (line %d)", cl.Index, cl.Pos.Line)
		}
		return fmt.Sprintf("claim #%d", cl.Index)
	}
	return &claimsfile.Error{Pos: second.Pos, Claim: second.ID, Msg: fmt.Sprintf(
		"%s and %s of this file both have the id %q, with different content; give one of them another id",
		at(first), at(second), second.ID)}
}

// AddClaim records one claim: its quote is anchored in its source, its
// value parsed by its predicate's kind. The same claim again adds
// nothing (Created false); another claim with the id of a recorded one
// is a Conflict.
func (a *Archive) AddClaim(author string, in provenance.ClaimInput) (provenance.Recorded, error) {
	if err := checkAuthor(author); err != nil {
		return provenance.Recorded{}, err
	}
	var rec provenance.Recorded
	err := a.update(func(tx *events.Tx) error {
		var err error
		rec, err = provenance.NewRecorder(tx, author).Assert(in)
		return err
	})
	if err != nil && in.ID != "" {
		return provenance.Recorded{}, &Error{Code: ErrorCode(err), Err: fmt.Errorf("claim %s: %w", in.ID, err)}
	}
	if err != nil {
		return provenance.Recorded{}, err
	}
	return rec, nil
}

// AlreadyRetractedError refuses to retract a claim that is retracted: a
// Conflict.
type AlreadyRetractedError struct {
	Claim  events.ClaimID
	Reason string // why it was retracted
}

func (e *AlreadyRetractedError) Error() string {
	return fmt.Sprintf("claim %s is already retracted (%s)", e.Claim, e.Reason)
}

// Retract withdraws claim id, with the reason, and returns the revision
// of the retraction. A claim already retracted is refused with a
// Conflict error (an *AlreadyRetractedError); an unknown claim is
// NotFound.
func (a *Archive) Retract(author string, id events.ClaimID, reason string) (Revision, error) {
	if err := checkAuthor(author); err != nil {
		return 0, err
	}
	if reason == "" {
		return 0, Errorf(Invalid, "a retraction needs a reason")
	}
	if err := events.ValidNote("reason", reason); err != nil {
		return 0, &Error{Code: Invalid, Err: err}
	}
	var e events.Event
	err := a.update(func(tx *events.Tx) error {
		// A claim the read model holds stands (it keeps no retracted
		// one); any other is looked up in the state, which says whether
		// it was retracted, and why.
		head, _ := tx.Head()
		standing := false
		if md, ok := a.store.OpenModel(tx, head); ok {
			standing, _ = md.HasClaim(id) // a damaged record: ask the state
		}
		if !standing {
			st, _, err := a.store.Head(tx)
			if err != nil {
				return err
			}
			if cl := st.Claims[id]; cl != nil && cl.Retracted {
				return &Error{Code: Conflict, Err: &AlreadyRetractedError{Claim: id, Reason: cl.RetractReason}}
			}
		}
		var err error
		e, err = provenance.NewRecorder(tx, author).Retract(id, reason)
		return err
	})
	if err != nil {
		return 0, err
	}
	return e.Revision, nil
}
