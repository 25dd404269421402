package archive

import (
	"strings"
	"testing"

	"github.com/sillok/sillok/events"
)

// TestAliasGraphAcrossWrites: the alias graph kept from one write to the
// next holds the declarations of the writes that committed, and none of
// one that was rolled back.
func TestAliasGraphAcrossWrites(t *testing.T) {
	a := openFixture(t)
	defer a.Close()
	file := func(name, body string) ClaimsFile { return ClaimsFile{Name: name, Data: []byte(body)} }
	// One import: the second file closes a chain the first began.
	_, err := a.ImportClaims("kim", []ClaimsFile{
		file("1.yaml", "aliases:\n  - {name: TN, entity: Tidal Network, kind: abbreviation}\nclaims: []\n"),
		file("2.yaml", "aliases:\n  - {name: Tidal Network, entity: TN, kind: variant}\nclaims: []\n"),
	}, nil)
	if err == nil || !strings.Contains(err.Error(), "circular alias chain") {
		t.Fatalf("got %v, want the second file refused for a circular alias chain", err)
	}
	// A file that declares an alias and then fails is rolled back: its
	// alias must not refuse the reverse declaration afterwards.
	_, err = a.ImportClaims("kim", []ClaimsFile{
		file("3.yaml", "aliases:\n  - {name: LS, entity: Lisbon summit, kind: abbreviation}\nclaims:\n  - {source: nowhere, subject: X, predicate: launched, value: 2023, quote: set up in April 2023}\n"),
	}, nil)
	if ErrorCode(err) != NotFound {
		t.Fatalf("got %v, want the file refused for its unknown source", err)
	}
	if _, err := a.ImportClaims("kim", []ClaimsFile{
		file("4.yaml", "aliases:\n  - {name: Lisbon summit, entity: LS, kind: variant}\nclaims: []\n"),
	}, nil); err != nil {
		t.Fatalf("the reverse of a rolled-back alias: %v", err)
	}
	// And through DeclareAlias, one write at a time.
	if _, err := a.DeclareAlias("kim", aliasOf("HA", "Harbour Authority")); err != nil {
		t.Fatal(err)
	}
	if _, err := a.DeclareAlias("kim", aliasOf("Harbour Authority", "HA")); err == nil || ErrorCode(err) != Invalid {
		t.Fatalf("got %v, want the cycle refused as Invalid", err)
	}
}

func aliasOf(name, entity string) events.AliasDeclared {
	return events.AliasDeclared{Name: name, Entity: entity, Kind: events.AliasAbbreviation}
}
