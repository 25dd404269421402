package archive

import (
	"errors"
	"io"
	"io/fs"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

// TestErrorCodesOfMistakes: what a user gets wrong comes back Invalid,
// NotFound or Conflict, never Internal (which a server answers with 500
// and "not your fault").
func TestErrorCodesOfMistakes(t *testing.T) {
	a := openFixture(t)
	defer a.Close()
	text := []byte("A new source, not yet archived. It says the Tidal Network was launched in May 2023.\n")
	claims := func(body string) []ClaimsFile {
		return []ClaimsFile{{Name: "c.yaml", Data: []byte(body)}}
	}
	tests := []struct {
		name string
		run  func() error
		want Code
	}{
		{"AddSource/TranslatorAlone", func() error {
			_, err := a.AddSource("kim", text, sources.Meta{ID: "delta", Translator: "DeepL"})
			return err
		}, Invalid},
		{"AddSource/NoSuchDay", func() error {
			_, err := a.AddSource("kim", text, sources.Meta{ID: "delta", Published: "2023-02-29"})
			return err
		}, Invalid},
		{"AddSource/NotADate", func() error {
			_, err := a.AddSource("kim", text, sources.Meta{ID: "delta", Published: "yesterday"})
			return err
		}, Invalid},
		{"AddSource/BadLang", func() error {
			_, err := a.AddSource("kim", text, sources.Meta{ID: "delta", Lang: "not a lang"})
			return err
		}, Invalid},
		{"AddSource/ControlInTitle", func() error {
			_, err := a.AddSource("kim", text, sources.Meta{ID: "delta", Title: "a\x1b[31mb"})
			return err
		}, Invalid},
		{"AddSource/UnknownOriginal", func() error {
			_, err := a.AddSource("kim", text, sources.Meta{ID: "delta", TranslationOf: "nowhere"})
			return err
		}, NotFound},
		{"EditSource/ClearUnknownField", func() error {
			_, err := a.EditSource("kim", "alpha", SourceEdit{Clear: []string{"digest"}})
			return err
		}, Invalid},
		{"EditSource/TranslationOfItself", func() error {
			_, err := a.EditSource("kim", "alpha", SourceEdit{Set: sources.Meta{TranslationOf: "alpha"}})
			return err
		}, Invalid},
		{"EditSource/TranslatorAlone", func() error {
			_, err := a.EditSource("kim", "alpha", SourceEdit{Set: sources.Meta{Translator: "DeepL"}})
			return err
		}, Invalid},
		{"EditSource/NoSuchDay", func() error {
			_, err := a.EditSource("kim", "alpha", SourceEdit{Set: sources.Meta{Published: "2024-02-30"}})
			return err
		}, Invalid},
		{"EditSource/UnknownSource", func() error {
			_, err := a.EditSource("kim", "nowhere", SourceEdit{Set: sources.Meta{Title: "x"}})
			return err
		}, NotFound},
		{"DefinePredicate/UnknownKind", func() error {
			_, err := a.DefinePredicate("kim", events.PredicateDefined{Name: "height", Kind: "colour"})
			return err
		}, Invalid},
		{"DefinePredicate/NoName", func() error {
			_, err := a.DefinePredicate("kim", events.PredicateDefined{Kind: events.KindDate})
			return err
		}, Invalid},
		{"DefinePredicate/OtherKind", func() error {
			_, err := a.DefinePredicate("kim", events.PredicateDefined{Name: "launched", Kind: events.KindText})
			return err
		}, Conflict},
		{"DeclareAlias/UnknownKind", func() error {
			_, err := a.DeclareAlias("kim", events.AliasDeclared{Name: "TN", Entity: "Tidal Network", Kind: "nickname"})
			return err
		}, Invalid},
		{"AddClaim/EmptyValue", func() error {
			_, err := a.AddClaim("kim", provenance.ClaimInput{Source: "alpha", Subject: "Tidal Network", Predicate: "launched", Quote: "set up in April 2023"})
			return err
		}, Invalid},
		{"AddClaim/NoSource", func() error {
			_, err := a.AddClaim("kim", provenance.ClaimInput{Subject: "Tidal Network", Predicate: "launched", Value: "2023", Quote: "set up in April 2023"})
			return err
		}, Invalid},
		{"AddClaim/NoSubject", func() error {
			_, err := a.AddClaim("kim", provenance.ClaimInput{Source: "alpha", Predicate: "launched", Value: "2023", Quote: "set up in April 2023"})
			return err
		}, Invalid},
		{"AddClaim/BadID", func() error {
			_, err := a.AddClaim("kim", provenance.ClaimInput{ID: "no spaces allowed", Source: "alpha", Subject: "Tidal Network", Predicate: "launched", Value: "2023", Quote: "set up in April 2023"})
			return err
		}, Invalid},
		{"Import/ReusedID", func() error {
			_, err := a.ImportClaims("kim", claims("source: alpha\nclaims:\n  - {id: a-launched, subject: Tidal Network, predicate: launched, value: May 2023, quote: set up in April 2023}\n"), nil)
			return err
		}, Conflict},
		{"Import/PredicateOtherKind", func() error {
			_, err := a.ImportClaims("kim", claims("predicates:\n  - {name: launched, kind: text}\nclaims: []\n"), nil)
			return err
		}, Conflict},
		{"Import/UnknownSource", func() error {
			_, err := a.ImportClaims("kim", claims("source: nowhere\nclaims:\n  - {subject: Tidal Network, predicate: launched, value: May 2023, quote: set up in April 2023}\n"), nil)
			return err
		}, NotFound},
		{"Import/Malformed", func() error {
			_, err := a.ImportClaims("kim", claims("claims: [\n"), nil)
			return err
		}, Invalid},
		{"Import/NoFile", func() error {
			_, err := a.ImportClaims("kim", []ClaimsFile{{Name: "gone.yaml", Open: func() (io.ReadCloser, error) { return nil, fs.ErrNotExist }}}, nil)
			return err
		}, NotFound},
	}
	before := head(t, a)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if err == nil {
				t.Fatalf("got no error, want %s", tt.want)
			}
			if got := ErrorCode(err); got != tt.want {
				t.Errorf("got code %q for %v, want %q", got, err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("got %T, want an *archive.Error", err)
			}
		})
	}
	wantUnchanged(t, a, before)
}
