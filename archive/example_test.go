package archive_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/sources"
)

// A small program against the API: archive two sources, import the claims
// they make, and review the conflict between them.
//
// (The conflict list and the diff, archive's reads, are not in the API
// yet: the example names the conflict by its id.)
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

	// Review the conflict about the launch date (01379286 is its id, as
	// sillok conflicts lists it; 4 hex digits or more of it will do):
	// accept the wire's date. Seen says what the reviewer looked at: had
	// the conflict changed since, the review would be refused.
	res, err := a.Review("fact-checker", archive.ReviewRequest{
		Conflict: "01379286", Decision: events.DecisionAccept, Claim: "wire-launched",
		Note: "the founders' statement", Seen: imported[0].Revision,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("conflict %s (%s / %s): accepted %s, rejected %v at revision %d\n",
		res.Conflict.ID, res.Conflict.Subject, res.Conflict.Predicate, res.Verdict.Claim, res.Verdict.Rejected, res.Event.Revision)

	// The same review again is refused: the conflict is resolved.
	_, err = a.Review("fact-checker", archive.ReviewRequest{Conflict: string(res.Conflict.ID), Decision: events.DecisionAccept, Claim: "wire-launched"})
	fmt.Println(archive.ErrorCode(err))

	// Output:
	// archived wire at revision 1
	// archived blog at revision 2
	// claims.yaml: 2 claims, 1 predicate; revision 5
	// conflict 0137928659 (Tidal Network / launched): accepted wire-launched, rejected [blog-launched] at revision 6
	// conflict
}
