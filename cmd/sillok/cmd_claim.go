package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/provenance/claimsfile"
)

// maxClaimsFile is the largest claims file import reads.
const maxClaimsFile = 64 << 20

func (a *app) claimCommand() *cli.Command {
	return &cli.Command{
		Name:  "claim",
		Usage: "record, import, retract and list claims",
		Subcommands: []*cli.Command{
			{
				Name:      "add",
				Usage:     "record one claim",
				ArgsUsage: "--source ID --subject S [--as FORM] --predicate P --value V --quote Q [--note N] [--id ID] [--prefix P] [--suffix S]",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "source"},
					&cli.StringFlag{Name: "subject"},
					&cli.StringFlag{Name: "as", Usage: "the surface form the source used for the subject"},
					&cli.StringFlag{Name: "predicate"},
					&cli.StringFlag{Name: "value", Usage: "a date, quantity, entity or text; for a relation: after:SUBJECT/PREDICATE (also before:, same:)"},
					&cli.StringFlag{Name: "quote", Usage: "the exact words in the source"},
					&cli.StringFlag{Name: "note"},
					&cli.StringFlag{Name: "id", Usage: "claim id (default: derived from the content)"},
					&cli.StringFlag{Name: "prefix", Usage: "text just before the quote, to pick one of several occurrences"},
					&cli.StringFlag{Name: "suffix", Usage: "text just after the quote"},
				},
				Action: a.claimAdd,
			},
			{
				Name:      "import",
				Usage:     "import claims files (YAML or JSON); each file is one transaction",
				ArgsUsage: "FILE...",
				Action:    a.claimImport,
			},
			{
				Name:      "retract",
				Usage:     "withdraw a claim, with the reason",
				ArgsUsage: "CLAIM --reason R",
				Flags:     []cli.Flag{&cli.StringFlag{Name: "reason"}},
				Action:    a.claimRetract,
			},
			{
				Name:      "list",
				Usage:     "list claims",
				ArgsUsage: "[--source ID] [--subject S]",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "source"},
					&cli.StringFlag{Name: "subject", Usage: "an entity name or any of its aliases"},
					&cli.Uint64Flag{Name: "at", Usage: "list the claims as they were at this revision", DefaultText: "the head"},
				},
				Action: a.claimList,
			},
		},
	}
}

// parseRelation reads "after:SUBJECT/PREDICATE" (before:, same:).
func parseRelation(s string) (*events.Relation, bool) {
	op, rest, ok := strings.Cut(s, ":")
	switch events.RelationOp(op) {
	case events.RelAfter, events.RelBefore, events.RelSame:
	default:
		return nil, false
	}
	i := strings.LastIndex(rest, "/")
	if !ok || i <= 0 || i == len(rest)-1 {
		return nil, false
	}
	return &events.Relation{Op: events.RelationOp(op), To: events.FactRef{Subject: strings.TrimSpace(rest[:i]), Predicate: strings.TrimSpace(rest[i+1:])}}, true
}

func (a *app) claimAdd(c *cli.Context) error {
	if err := wantArgs(c, 0, 0); err != nil {
		return err
	}
	if err := requireFlags(c, "source", "subject", "predicate", "value", "quote"); err != nil {
		return err
	}
	in := provenance.ClaimInput{
		ID: c.String("id"), Source: c.String("source"), Subject: c.String("subject"), As: c.String("as"),
		Predicate: c.String("predicate"), Value: c.String("value"), Quote: c.String("quote"),
		Note: c.String("note"), Prefix: c.String("prefix"), Suffix: c.String("suffix"),
	}
	if rel, ok := parseRelation(in.Value); ok {
		in.Relation, in.Value = rel, ""
	}
	log, err := a.open(c, true)
	if err != nil {
		return err
	}
	defer log.Close()
	var rec provenance.Recorded
	err = a.update(log, func(tx *events.Tx) error {
		var err error
		rec, err = provenance.NewRecorder(tx, author(c)).Assert(in)
		return err
	})
	if errors.Is(err, provenance.ErrNoVocabulary) {
		err = fmt.Errorf("%w (sillok predicate add NAME --kind date|quantity|entity|text)", err)
	}
	if err != nil && in.ID != "" {
		return fmt.Errorf("claim %s: %w", in.ID, err)
	}
	if err != nil {
		return err
	}
	if c.Bool("json") {
		return a.printJSON(map[string]any{"id": rec.Claim.ID, "revision": rec.Revision, "created": rec.Created, "value": rec.Claim.Value})
	}
	if rec.Created {
		a.printf("recorded claim %s at revision %d: %s / %s = %s\n", termArgs(rec.Claim.ID, rec.Revision, rec.Claim.Subject, rec.Claim.Predicate, rec.Claim.Value)...)
	} else {
		a.printf("claim %s is already recorded (revision %d); nothing added\n", rec.Claim.ID, rec.Revision)
	}
	return nil
}

type importResult struct {
	File     string          `json:"file"`
	Revision events.Revision `json:"revision"`
	Claims   int             `json:"claims"`
	Created  int             `json:"created"`
	// Predicates and Aliases count the definitions newly added.
	Predicates int `json:"predicates"`
	Aliases    int `json:"aliases"`
}

func (a *app) claimImport(c *cli.Context) error {
	if err := wantArgs(c, 1, -1); err != nil {
		return err
	}
	log, err := a.open(c, true)
	if err != nil {
		return err
	}
	defer log.Close()
	var results []importResult
	err = a.importFiles(log, author(c), c.Args().Slice(), func(res importResult) {
		results = append(results, res)
		if !c.Bool("json") {
			if res.Created == 0 && res.Predicates == 0 && res.Aliases == 0 {
				a.printf("%s: all %d claims already recorded; nothing added (revision %d)\n", res.File, res.Claims, res.Revision)
			} else {
				a.printf("%s: %d claims, %d new, %d predicates and %d aliases defined; revision %d\n", res.File, res.Claims, res.Created, res.Predicates, res.Aliases, res.Revision)
			}
		}
	})
	if err != nil {
		if len(results) > 0 {
			return fmt.Errorf("%w\n(the %d file(s) before it were imported; %s and the files after it were not)", err, len(results), c.Args().Get(len(results)))
		}
		return err
	}
	if c.Bool("json") {
		if len(results) == 1 {
			return a.printJSON(results[0])
		}
		out := map[string]any{"files": results}
		last := results[len(results)-1]
		sum := importResult{Revision: last.Revision}
		for _, r := range results {
			sum.Claims += r.Claims
			sum.Created += r.Created
		}
		out["revision"], out["claims"], out["created"] = sum.Revision, sum.Claims, sum.Created
		return a.printJSON(out)
	}
	return nil
}

// readClaimsFile reads a claims file, refusing directories and files over
// the limit before reading them whole.
func readClaimsFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s is a directory, not a claims file", name)
	}
	if fi.Size() > maxClaimsFile {
		return nil, fmt.Errorf("%s is %d MiB; a claims file may be at most %d MiB: split it into several files", name, fi.Size()>>20, maxClaimsFile>>20)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxClaimsFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxClaimsFile {
		return nil, fmt.Errorf("%s: a claims file may be at most %d MiB", name, maxClaimsFile>>20)
	}
	return data, nil
}

// parseClaimsFile reads and parses one claims file.
func parseClaimsFile(name string) (*claimsfile.File, error) {
	data, err := readClaimsFile(name)
	if err != nil {
		return nil, err
	}
	return claimsfile.Parse(name, data)
}

// importFiles imports claims files in order, each in its own transaction,
// and calls done after each one lands. It stops at the first file that
// fails, with that file's error; the files before it stay imported.
//
// The next files are read and parsed on other goroutines (parsing YAML
// costs more than anchoring and appending) while the current one is
// anchored and appended, so a many-file import keeps every core busy; at
// most parseAhead files wait parsed. While files remain, the projections
// store checkpoints spaced for a bulk load (projections.Store.Bulk).
func (a *app) importFiles(log *events.Log, who string, names []string, done func(importResult)) error {
	type parsed struct {
		f   *claimsfile.File
		err error
	}
	results := make([]chan parsed, len(names))
	for i := range results {
		results[i] = make(chan parsed, 1)
	}
	slots := make(chan struct{}, parseAhead+1) // the file being imported, and those ahead
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for i, name := range names {
			select {
			case slots <- struct{}{}:
			case <-stop:
				return
			}
			go func() {
				var p parsed
				defer func() {
					if r := recover(); r != nil {
						p = parsed{err: fmt.Errorf("%s: internal error while parsing (please report it): %v", name, r)}
					}
					results[i] <- p
				}()
				p.f, p.err = parseClaimsFile(name)
			}()
		}
	}()
	st := a.store()
	defer func() { st.Bulk = false }()
	for i := range names {
		p := <-results[i]
		if p.err != nil {
			return p.err
		}
		st.Bulk = i < len(names)-1
		a.caughtUp = false
		res, err := a.importParsed(log, who, p.f)
		if err != nil {
			return err
		}
		<-slots
		done(res)
	}
	if len(names) > 1 && !a.caughtUp {
		// The last file appended nothing (it was imported before), so
		// its transaction did not bring the checkpoints to the usual
		// spacing: do it now.
		return log.Update(st.CatchUp)
	}
	return nil
}

// parseAhead is how many claims files importFiles parses ahead of the one
// it imports.
const parseAhead = 2

// importClaims imports the claims file data (named name) in one
// transaction: every claim lands, or none does.
func (a *app) importClaims(log *events.Log, who, name string, data []byte) (importResult, error) {
	f, err := claimsfile.Parse(name, data)
	if err != nil {
		return importResult{File: name}, err
	}
	return a.importParsed(log, who, f)
}

// importParsed imports a parsed claims file in one transaction.
func (a *app) importParsed(log *events.Log, who string, f *claimsfile.File) (importResult, error) {
	res := importResult{File: f.Name, Claims: len(f.Claims)}
	err := a.update(log, func(tx *events.Tx) error {
		r := provenance.NewRecorder(tx, who)
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
				return &claimsfile.Error{Pos: p.Pos, Msg: err.Error()}
			}
			if _, ok := defined[p.Name]; !ok {
				defined[p.Name] = p
			}
			if created {
				res.Predicates++
			}
		}
		aliases := &aliasChecker{tx: tx}
		for _, al := range f.Aliases {
			kind, err := events.ParseAliasKind(al.Kind)
			if err != nil {
				return &claimsfile.Error{Pos: al.Pos, Msg: fmt.Sprintf("alias %q: %v", al.Name, err)}
			}
			p := events.AliasDeclared{Name: al.Name, Entity: al.Entity, Kind: kind, Note: al.Note}
			if err := aliases.check(p); err != nil {
				return &claimsfile.Error{Pos: al.Pos, Msg: fmt.Sprintf("alias %q: %v", al.Name, err)}
			}
			created, err := r.DeclareAlias(p)
			if err != nil {
				return &claimsfile.Error{Pos: al.Pos, Msg: fmt.Sprintf("alias %q: %v", al.Name, err)}
			}
			aliases.declared(p)
			if created {
				res.Aliases++
			}
		}
		// seen is the claim of this file that recorded each id, to name
		// both places when a later claim reuses the id.
		seen := map[events.ClaimID]claimsfile.Claim{}
		for _, cl := range f.Claims {
			src := cl.Source
			if src == "" {
				src = f.Source
			}
			in := provenance.ClaimInput{
				ID: cl.ID, Source: src, Subject: cl.Subject, As: cl.As, Predicate: cl.Predicate,
				Value: cl.Value.Scalar, Relation: cl.Value.Relation, Quote: cl.Quote,
				Prefix: cl.Prefix, Suffix: cl.Suffix, Note: cl.Note,
			}
			rec, err := r.Assert(in)
			if first, ok := seen[events.ClaimID(cl.ID)]; ok && cl.ID != "" && errors.Is(err, provenance.ErrClaimChanged) {
				return sameIDError(first, cl)
			}
			if err != nil {
				return claimError(cl, err)
			}
			if _, ok := seen[rec.Claim.ID]; !ok {
				seen[rec.Claim.ID] = cl
			}
			if rec.Created {
				res.Created++
			}
		}
		res.Revision, _ = tx.Head()
		return nil
	})
	if err != nil {
		return res, err
	}
	if res.Revision == 0 {
		res.Revision, _, err = log.Head()
	}
	return res, err
}

// claimError places an import error at the claim (its quote or value when
// that is what is wrong).
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
	msg := err.Error()
	if errors.Is(err, provenance.ErrNoVocabulary) {
		msg += " (a predicates: list in the claims file, or sillok predicate add NAME --kind date|quantity|entity|text)"
	}
	return &claimsfile.Error{Pos: pos, Claim: who, Msg: msg}
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

func (a *app) claimRetract(c *cli.Context) error {
	if err := wantArgs(c, 1, 1); err != nil {
		return err
	}
	if err := requireFlags(c, "reason"); err != nil {
		return err
	}
	if err := events.ValidNote("--reason", c.String("reason")); err != nil {
		return err
	}
	log, err := a.open(c, true)
	if err != nil {
		return err
	}
	defer log.Close()
	id := events.ClaimID(c.Args().First())
	var e events.Event
	err = a.update(log, func(tx *events.Tx) error {
		st, _, err := a.store().Head(tx)
		if err != nil {
			return err
		}
		if cl := st.Claims[id]; cl != nil && cl.Retracted {
			return fmt.Errorf("claim %s is already retracted (%s)", id, term(cl.RetractReason))
		}
		e, err = provenance.NewRecorder(tx, author(c)).Retract(id, c.String("reason"))
		return err
	})
	if err != nil {
		return err
	}
	if c.Bool("json") {
		return a.printJSON(map[string]any{"claim": id, "revision": e.Revision})
	}
	a.printf("retracted claim %s at revision %d\n", id, e.Revision)
	return nil
}

type claimRow struct {
	ID        events.ClaimID  `json:"id"`
	Revision  events.Revision `json:"revision"`
	Source    events.SourceID `json:"source"`
	Subject   string          `json:"subject"`
	As        string          `json:"as,omitempty"`
	Predicate string          `json:"predicate"`
	Value     events.Value    `json:"value"`
	Quote     string          `json:"quote"`
	Status    string          `json:"status"` // standing, retracted, rejected
	Reason    string          `json:"reason,omitempty"`
	Note      string          `json:"note,omitempty"`
}

func (a *app) claimList(c *cli.Context) error {
	if err := wantArgs(c, 0, 0); err != nil {
		return err
	}
	log, err := a.open(c, false)
	if err != nil {
		return err
	}
	defer log.Close()
	var rows []claimRow
	err = a.read(log, atFlag(c), func(r *reader) error {
		var an *projections.Analysis
		var subject *projections.Entity
		if s := c.String("subject"); s != "" {
			an = r.analyze()
			if subject = an.Entity(s); subject == nil {
				return fmt.Errorf("no entity named %q at revision %d", s, r.state.Rev)
			}
		}
		if s := c.String("source"); s != "" && r.state.Sources[events.SourceID(s)] == nil {
			return fmt.Errorf("unknown source %q", s)
		}
		for _, cl := range r.state.SortedClaims() {
			if s := c.String("source"); s != "" && string(cl.Source) != s {
				continue
			}
			if subject != nil && an.Entity(cl.Subject) != subject {
				continue
			}
			row := claimRow{ID: cl.ID, Revision: cl.Rev, Source: cl.Source, Subject: cl.Subject, As: cl.As,
				Predicate: cl.Predicate, Value: cl.Value, Quote: cl.Quote, Status: "standing", Note: cl.Note}
			switch {
			case cl.Retracted:
				row.Status, row.Reason = "retracted", cl.RetractReason
			case cl.RejectedBy != "":
				row.Status, row.Reason = "rejected", "by the verdict on conflict "+string(cl.RejectedBy)
			}
			rows = append(rows, row)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if c.Bool("json") {
		if rows == nil {
			rows = []claimRow{}
		}
		return a.printJSON(map[string]any{"claims": rows})
	}
	for _, r := range rows {
		status := ""
		if r.Status != "standing" {
			status = "  [" + strings.ToUpper(r.Status) + ": " + r.Reason + "]"
		}
		val := r.Value.String()
		if r.Value.Written != "" {
			val += fmt.Sprintf(" (%q)", r.Value.Written)
		}
		a.printf("%-24s %-22s %s / %s = %s%s\n", termArgs(r.ID, r.Source, r.Subject, r.Predicate, val, status)...)
	}
	return nil
}
