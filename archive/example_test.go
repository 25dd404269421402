package archive_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/sources"
)

// A small program against the API: archive two sources, import the claims
// they make, list the conflicts between them, review one, and see what the
// verdict changed.
func Example_review() {
	dir, err := os.MkdirTemp("", "sillok-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	now := time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC)
	a, err := archive.Create(filepath.Join(dir, "sillok.db"), archive.Options{Now: func() time.Time { return now }})
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()

	// Archive the sources.
	for _, s := range []struct{ id, text string }{
		{"wire", "The Tidal Network was launched in August 2023, its founders said.\n"},
		{"blog", "The Tidal Network was set up in April 2023.\n"},
	} {
		res, err := a.AddSource("archivist", []byte(s.text), sources.Meta{ID: events.SourceID(s.id), Published: "2024-04-26"})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("archived %s at revision %d\n", res.Source.ID, res.Revision)
	}

	// Import the claims they make: each file lands whole, or not at all.
	claims := `predicates:
  - {name: launched, kind: date}
claims:
  - {id: wire-launched, source: wire, subject: Tidal Network, predicate: launched, value: August 2023, quote: launched in August 2023}
  - {id: blog-launched, source: blog, subject: Tidal Network, predicate: launched, value: April 2023, quote: set up in April 2023}
`
	imported, err := a.ImportClaims("archivist", []archive.ClaimsFile{{Name: "claims.yaml", Data: []byte(claims)}}, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d claims, %d predicate; revision %d\n", imported[0].File, imported[0].Claims, imported[0].Predicates, imported[0].Revision)

	// List the open conflicts at the head. (At is a revision: its zero
	// value is the empty archive, so the newest is asked for as Head.)
	page, err := a.Conflicts(archive.ConflictFilter{Status: projections.ConflictOpen, At: archive.Head})
	if err != nil {
		log.Fatal(err)
	}
	for _, cf := range page.Conflicts {
		fmt.Printf("open at revision %d: %s %s conflict %s: %s\n", page.Revision, cf.Kind, cf.Predicate, cf.ID, cf.Summary)
	}

	// Review the first: accept the wire's date. Seen says what the
	// reviewer looked at: had the conflict changed since, the review
	// would be refused.
	cf := page.Conflicts[0]
	res, err := a.Review("fact-checker", archive.ReviewRequest{
		Conflict: string(cf.ID), Decision: events.DecisionAccept, Claim: "wire-launched",
		Note: "the founders' statement", Seen: page.Revision,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("accepted %s, rejected %v at revision %d\n", res.Verdict.Claim, res.Verdict.Rejected, res.Event.Revision)

	// The same review again is refused: the conflict is resolved.
	_, err = a.Review("fact-checker", archive.ReviewRequest{Conflict: string(cf.ID), Decision: events.DecisionAccept, Claim: "wire-launched"})
	fmt.Println("again:", archive.ErrorCode(err))

	// What the verdict changed, from the revision the reviewer saw to the
	// newest.
	ch, err := a.Diff(page.Revision, archive.Head)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range ch.Facts {
		fmt.Printf("fact %s: %s / %s: %s → %s\n", f.Op, f.Subject, f.Predicate, show(f.Before, f.BeforeStatus), show(f.After, f.AfterStatus))
	}
	for _, c := range ch.Conflicts {
		fmt.Printf("conflict %s: %s\n", c.Op, c.ID)
	}

	// Output:
	// archived wire at revision 1
	// archived blog at revision 2
	// claims.yaml: 2 claims, 1 predicate; revision 5
	// open at revision 5: value launched conflict 0137928659: launched: 2023-08 (wire) vs 2023-04 (blog)
	// accepted wire-launched, rejected [blog-launched] at revision 6
	// again: conflict
	// fact changed: Tidal Network / launched: 2023-08 | 2023-04 [conflict] → 2023-08 [resolved]
	// conflict resolved: 0137928659
}

// show writes a fact's value and status, as a diff gives them.
func show(v *string, status projections.FactStatus) string {
	if v == nil {
		return "(none)"
	}
	if status != "" {
		return *v + " [" + string(status) + "]"
	}
	return *v
}
