package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/provenance/claimsfile"
)

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
					wideFlag(),
				},
				Action: a.claimList,
			},
		},
	}
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
	if rel, ok := archive.ParseRelation(in.Value); ok {
		in.Relation, in.Value = rel, ""
	}
	ar, err := a.open(c, true)
	if err != nil {
		return err
	}
	defer ar.Close()
	rec, err := ar.AddClaim(author(c), in)
	if errors.Is(err, provenance.ErrNoVocabulary) {
		err = fmt.Errorf("%w (sillok predicate add NAME --kind date|quantity|entity|text)", err)
	}
	if err != nil {
		return err
	}
	if rec.Created {
		for _, w := range rec.Warnings {
			fmt.Fprintf(a.stderr, "sillok: warning: claim %s: %s\n", term(string(rec.Claim.ID)), term(w))
		}
	}
	if c.Bool("json") {
		return a.printJSON(archive.ClaimAddedDoc(rec))
	}
	if rec.Created {
		a.printf("recorded claim %s at revision %d: %s / %s = %s\n", termArgs(rec.Claim.ID, rec.Revision, rec.Claim.Subject, rec.Claim.Predicate, rec.Claim.Value)...)
	} else {
		a.printf("claim %s is already recorded (revision %d); nothing added\n", rec.Claim.ID, rec.Revision)
	}
	return nil
}

func (a *app) claimImport(c *cli.Context) error {
	if err := wantArgs(c, 1, -1); err != nil {
		return err
	}
	ar, err := a.open(c, true)
	if err != nil {
		return err
	}
	defer ar.Close()
	names := c.Args().Slice()
	bars := a.importProgress(c, names)
	results, err := ar.ImportClaimsWith(author(c), claimsFiles(names), archive.ImportOptions{Progress: bars.report(), Done: func(res archive.Imported) {
		bars.finish()
		for _, w := range res.Warnings {
			fmt.Fprintf(a.stderr, "sillok: warning: %s\n", term(w))
		}
		if !c.Bool("json") {
			if res.Created == 0 && res.Predicates == 0 && res.Aliases == 0 {
				a.printf("%s: all %d claims already recorded; nothing added (revision %d)\n", res.File, res.Claims, res.Revision)
			} else {
				a.printf("%s: %d claims, %d new, %d predicates and %d aliases defined; revision %d\n", res.File, res.Claims, res.Created, res.Predicates, res.Aliases, res.Revision)
			}
		}
	}})
	bars.finish()
	if err != nil {
		err = claimsFileHint(err)
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
		sum := archive.Imported{Revision: last.Revision}
		for _, r := range results {
			sum.Claims += r.Claims
			sum.Created += r.Created
			sum.Warnings = append(sum.Warnings, r.Warnings...)
		}
		out["revision"], out["claims"], out["created"] = sum.Revision, sum.Claims, sum.Created
		if len(sum.Warnings) > 0 {
			out["warnings"] = sum.Warnings
		}
		return a.printJSON(out)
	}
	return nil
}

// claimsFileHint adds to an import error for a claim whose predicate is
// not defined how to define it.
func claimsFileHint(err error) error {
	var fe *claimsfile.Error
	if errors.Is(err, provenance.ErrNoVocabulary) && errors.As(err, &fe) && fe.Claim != "" {
		fe.Msg += " (a predicates: list in the claims file, or sillok predicate add NAME --kind date|quantity|entity|text)"
	}
	return err
}

// claimsFiles are the named files for archive.ImportClaims.
func claimsFiles(names []string) []archive.ClaimsFile {
	files := make([]archive.ClaimsFile, len(names))
	for i, name := range names {
		files[i] = archive.ClaimsFileAt(name)
	}
	return files
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
	ar, err := a.open(c, true)
	if err != nil {
		return err
	}
	defer ar.Close()
	id := events.ClaimID(c.Args().First())
	rev, err := ar.Retract(author(c), id, c.String("reason"))
	if re := (*archive.AlreadyRetractedError)(nil); errors.As(err, &re) {
		return fmt.Errorf("claim %s is already retracted (%s)", id, term(re.Reason))
	}
	if err != nil {
		return err
	}
	if c.Bool("json") {
		return a.printJSON(archive.RetractedDocument{Claim: id, Revision: rev})
	}
	a.printf("retracted claim %s at revision %d\n", id, rev)
	return nil
}

func (a *app) claimList(c *cli.Context) error {
	if err := wantArgs(c, 0, 0); err != nil {
		return err
	}
	ar, err := a.open(c, false)
	if err != nil {
		return err
	}
	defer ar.Close()
	rows, err := ar.Claims(archive.ClaimFilter{Source: events.SourceID(c.String("source")), Subject: c.String("subject"), At: atFlag(c)})
	if err != nil {
		return didYouMean(err)
	}
	if c.Bool("json") {
		return a.printJSON(archive.ClaimsDoc(rows))
	}
	t := &table{sep: " ", cols: []column{{min: 24, max: 40}, {min: 22, max: 32}, {}}}
	for _, r := range rows {
		status := ""
		if r.Status != archive.ClaimStanding {
			status = "  [" + strings.ToUpper(string(r.Status)) + ": " + r.Reason + "]"
		}
		val := r.Value.String()
		if r.Value.Written != "" {
			val += fmt.Sprintf(" (%q)", r.Value.Written)
		}
		rest := fmt.Sprintf("%s / %s = %s", termArgs(r.Subject, r.Predicate, val)...)
		t.add(cell{text: term(string(r.ID))}, cell{text: term(string(r.Source))}, cell{text: rest + term(status), style: statusStyle(string(r.Status)), from: len(rest)})
	}
	a.printf("%s", t.render(a.layout(c)))
	return nil
}
