package archive

import (
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/sources"
)

// The fixture: three sources that disagree about a network's launch, its
// budget, a summit's venue and two organizations' names.
const (
	textAlpha = "The Tidal Network was set up in April 2023, in the wake of the Lisbon summit. " +
		"Japan is a member of the Online Freedom Coalition. The Harbour Authority opened its office in May 2023. " +
		"The network has a budget of 1.5 billion dollars.\n"
	textBeta = "The Tidal Network was launched in August 2023. The Lisbon summit was held on August 18, 2023, in Lisbon. " +
		"Japan joined the Freedom Online Coalition. The Harbor Authority opened its office in June 2023. " +
		"Its budget is 2.5 billion dollars.\n"
	textGamma = "The Tidal Network began work in August 2023, a spokesperson said. " +
		"Others say the Tidal Network dates from February 2023. The summit took place in Porto. " +
		"The budget has grown to 4 billion dollars. The Harbour Authority is a member of the Online Freedom Coalition.\n"

	fixtureClaims = `predicates:
  - {name: launched, kind: date}
  - {name: held, kind: date}
  - {name: venue, kind: entity}
  - {name: budget, kind: quantity}
  - {name: office opened, kind: date}
  - {name: member, kind: entity, many: true}
claims:
  - {id: a-launched, source: alpha, subject: Tidal Network, predicate: launched, value: April 2023, quote: set up in April 2023}
  - {id: a-after, source: alpha, subject: Tidal Network, predicate: launched, value: {after: {subject: Lisbon summit, predicate: held}}, quote: in the wake of the Lisbon summit}
  - {id: a-ofc, source: alpha, subject: Online Freedom Coalition, predicate: member, value: Japan, quote: Japan is a member of the Online Freedom Coalition}
  - {id: a-office, source: alpha, subject: Harbour Authority, predicate: office opened, value: May 2023, quote: opened its office in May 2023}
  - {id: a-budget, source: alpha, subject: Tidal Network, predicate: budget, value: 1.5 billion dollars, quote: a budget of 1.5 billion dollars}
  - {id: b-launched, source: beta, subject: Tidal Network, predicate: launched, value: August 2023, quote: launched in August 2023}
  - {id: b-held, source: beta, subject: Lisbon summit, predicate: held, value: "August 18, 2023", quote: "held on August 18, 2023"}
  - {id: b-venue, source: beta, subject: Lisbon summit, predicate: venue, value: Lisbon, quote: "held on August 18, 2023, in Lisbon"}
  - {id: b-foc, source: beta, subject: Freedom Online Coalition, predicate: member, value: Japan, quote: Japan joined the Freedom Online Coalition}
  - {id: b-office, source: beta, subject: Harbor Authority, predicate: office opened, value: June 2023, quote: opened its office in June 2023}
  - {id: b-budget, source: beta, subject: Tidal Network, predicate: budget, value: 2.5 billion dollars, quote: Its budget is 2.5 billion dollars}
  - {id: c-venue, source: gamma, subject: Lisbon summit, predicate: venue, value: Porto, quote: The summit took place in Porto}
`
)

// fixtureHead is the head revision of the fixture: three sources, six
// predicates, twelve claims.
const fixtureHead = 21

var fixture struct {
	once sync.Once
	dir  string
	err  error
}

// clock is a clock that steps one second a call, from a fixed time.
func clock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixture.dir != "" {
		os.RemoveAll(fixture.dir)
	}
	os.Exit(code)
}

// buildFixture writes the fixture archive at path through the API.
func buildFixture(path string) error {
	a, err := Create(path, Options{Now: clock()})
	if err != nil {
		return err
	}
	defer a.Close()
	for _, s := range []struct{ id, text, published string }{
		{"alpha", textAlpha, "2024-04-26"}, {"beta", textBeta, "2024-05-01"}, {"gamma", textGamma, "2024-05-03"},
	} {
		if _, err := a.AddSource("archivist", []byte(s.text), sources.Meta{ID: events.SourceID(s.id), Published: s.published}); err != nil {
			return err
		}
	}
	_, err = a.ImportClaims("archivist", []ClaimsFile{{Name: "claims.yaml", Data: []byte(fixtureClaims)}}, nil)
	return err
}

// openFixture opens a copy of the fixture archive of its own: a test may
// change it as it likes.
func openFixture(t *testing.T) *Archive {
	t.Helper()
	fixture.once.Do(func() {
		if fixture.dir, fixture.err = os.MkdirTemp("", "sillok-archive-test-"); fixture.err == nil {
			fixture.err = buildFixture(filepath.Join(fixture.dir, "fixture.db"))
		}
	})
	if fixture.err != nil {
		t.Fatalf("building the fixture: %v", fixture.err)
	}
	path := eventstest.ArchivePath(t, "archive.db")
	if eventstest.Postgres() {
		// A database cannot be copied as a file: built again.
		if err := buildFixture(path); err != nil {
			t.Fatalf("building the fixture: %v", err)
		}
	} else {
		copyFile(t, filepath.Join(fixture.dir, "fixture.db"), path)
	}
	a, err := Open(path, Options{Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if got := head(t, a); got != fixtureHead {
		t.Fatalf("the fixture's head: got %d, want %d", got, fixtureHead)
	}
	return a
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// head is the archive's head revision.
func head(t *testing.T, a *Archive) events.Revision {
	t.Helper()
	rev, _, err := a.log.Head()
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

// conflictOf finds the one conflict of kind about subject and predicate
// (value, temporal) or between the two names (name), at the head.
func conflictOf(t *testing.T, a *Archive, kind projections.ConflictKind, x, y string) *projections.Conflict {
	t.Helper()
	var found []*projections.Conflict
	err := a.read(Head, func(r *reader) error {
		an, err := r.analyze()
		if err != nil {
			return err
		}
		for _, cf := range an.Conflicts {
			if cf.Kind != kind {
				continue
			}
			if kind == projections.KindName && len(cf.Names) == 2 && (cf.Names[0] == x && cf.Names[1] == y || cf.Names[0] == y && cf.Names[1] == x) ||
				kind != projections.KindName && cf.Subject == x && cf.Predicate == y {
				found = append(found, cf)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 {
		t.Fatalf("got %d %s conflicts about %q, %q, want 1: %+v", len(found), kind, x, y, found)
	}
	return found[0]
}

// wantCode fails unless err has code.
func wantCode(t *testing.T, what string, err error, code Code) {
	t.Helper()
	if got := ErrorCode(err); got != code {
		t.Fatalf("%s: got error %v (code %q), want code %q", what, err, got, code)
	}
}

// wantUnchanged fails unless the head is still rev.
func wantUnchanged(t *testing.T, a *Archive, rev events.Revision) {
	t.Helper()
	if got := head(t, a); got != rev {
		t.Errorf("a refused write changed the archive: head %d, want %d", got, rev)
	}
}
