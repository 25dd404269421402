package sources_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/sources"
)

func addSource(t *testing.T, log *events.Log, raw string, meta sources.Meta) (sources.Added, error) {
	t.Helper()
	var res sources.Added
	err := log.Update(func(tx *events.Tx) error {
		var err error
		res, err = sources.Add(tx, "t", []byte(raw), meta)
		return err
	})
	return res, err
}

func head(t *testing.T, log *events.Log) events.Revision {
	t.Helper()
	var rev events.Revision
	if err := log.View(func(tx *events.Tx) error { rev, _ = tx.Head(); return nil }); err != nil {
		t.Fatal(err)
	}
	return rev
}

// Re-adding archived bytes checks the metadata as a first add would, is a
// no-op when it is what is stored, and an error naming each differing
// field otherwise.
func TestReAddChecksMetadata(t *testing.T) {
	log := eventstest.MustOpenLog(t)
	meta := sources.Meta{ID: "gazette", Title: "Port news", Published: "2024-04-26", Lang: "en"}
	if _, err := addSource(t, log, "The port opened in May.", meta); err != nil {
		t.Fatal(err)
	}
	rev := head(t, log)
	res, err := addSource(t, log, "The port opened in May.", meta)
	if err != nil || res.Created {
		t.Fatalf("same bytes, same metadata: created %v, err %v; want a no-op", res.Created, err)
	}
	if res, err := addSource(t, log, "The port opened in May.", sources.Meta{Lang: "en"}); err != nil || res.Created {
		t.Fatalf("same bytes, a subset of the metadata: created %v, err %v; want a no-op", res.Created, err)
	}
	for _, tc := range []struct {
		name string
		meta sources.Meta
		want []string
	}{
		{"InvalidDate", sources.Meta{ID: "gazette", Published: "2023-02-29"}, []string{"published: ", "2023-02-29"}},
		{"TranslatorAlone", sources.Meta{Translator: "DeepL"}, []string{"translator", "translation-of"}},
		{"BadLang", sources.Meta{Lang: "english"}, []string{"lang: ", `"english" is not a BCP 47 language tag`}},
		{"UnknownOriginal", sources.Meta{TranslationOf: "nowhere"}, []string{"unknown source"}},
		{"OtherDateAndTitle", sources.Meta{Published: "2024-04-27", Title: "Port news!"},
			[]string{"already archived as gazette", `published: stored "2024-04-26", given "2024-04-27"`, `title: stored "Port news", given "Port news!"`}},
		{"OtherID", sources.Meta{ID: "gazette-2"}, []string{`id: stored "gazette", given "gazette-2"`}},
		{"NewField", sources.Meta{Publisher: "Gazette"}, []string{`publisher: stored "(none)", given "Gazette"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := addSource(t, log, "The port opened in May.", tc.meta)
			if err == nil {
				t.Fatal("err = nil, want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v, want it to contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "--") {
				t.Errorf("err = %v: the library speaks in command-line flags", err)
			}
			if got := head(t, log); got != rev {
				t.Errorf("head moved from %d to %d", rev, got)
			}
		})
	}
	var mm *sources.MetaMismatch
	if _, err := addSource(t, log, "The port opened in May.", sources.Meta{Published: "2024-04-27"}); !errors.As(err, &mm) || !errors.Is(err, sources.ErrMetaDiffers) {
		t.Errorf("err = %v, want a *MetaMismatch wrapping ErrMetaDiffers", err)
	}
}

// A first add refuses a translator without the source it translates.
func TestAddTranslatorNeedsOriginal(t *testing.T) {
	log := eventstest.MustOpenLog(t)
	if _, err := addSource(t, log, "Some text here.", sources.Meta{ID: "x", Translator: "DeepL"}); err == nil || !strings.Contains(err.Error(), "translator") {
		t.Fatalf("err = %v, want the translator refused", err)
	}
	if got := head(t, log); got != 0 {
		t.Errorf("head = %d, want nothing appended", got)
	}
}

// An edit records the changed fields only; Lookup and LookupAt follow the
// corrections; re-adding with the corrected metadata is a no-op.
func TestEditSource(t *testing.T) {
	log := eventstest.MustOpenLog(t)
	if _, err := addSource(t, log, "Original text of the article.", sources.Meta{ID: "orig", Published: "2024-01-01"}); err != nil {
		t.Fatal(err)
	}
	if _, err := addSource(t, log, "Translated text of the article.", sources.Meta{ID: "tr", Published: "2025-01-01", Title: "T"}); err != nil {
		t.Fatal(err)
	}
	var ed sources.Edited
	err := log.Update(func(tx *events.Tx) error {
		var err error
		ed, err = sources.EditSource(tx, "kim", "tr", sources.Meta{Published: "2024-01-02", Title: "T", TranslationOf: "orig", Translator: "DeepL"}, nil, "wrong date")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(ed.Event.Changes(), ","), "published,translation_of,translator"; got != want {
		t.Errorf("changes = %s, want %s (the unchanged title left out)", got, want)
	}
	if ed.Event.Edit != 1 {
		t.Errorf("edit number = %d, want 1", ed.Event.Edit)
	}
	err = log.View(func(tx *events.Tx) error {
		src, rev, err := sources.Lookup(tx, "tr")
		if err != nil {
			return err
		}
		if src.Published != "2024-01-02" || src.TranslationOf != "orig" || src.Title != "T" || rev != 2 {
			t.Errorf("Lookup = %+v at %d, want the corrected metadata, archived at 2", src, rev)
		}
		old, _, err := sources.LookupAt(tx, "tr", 2)
		if err != nil {
			return err
		}
		if old.Published != "2025-01-01" || old.TranslationOf != "" {
			t.Errorf("LookupAt(2) = %+v, want the metadata as archived", old)
		}
		edits, err := sources.Edits(tx, "tr", 0)
		if err != nil || len(edits) != 1 || edits[0].Author != "kim" || edits[0].Revision != 3 || edits[0].Note != "wrong date" {
			t.Errorf("Edits = %+v, %v; want one by kim at revision 3", edits, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := addSource(t, log, "Translated text of the article.", sources.Meta{Published: "2024-01-02", TranslationOf: "orig"}); err != nil || res.Created {
		t.Errorf("re-add with the corrected metadata: %v, %v; want a no-op", res.Created, err)
	}
	rev := head(t, log)
	for _, tc := range []struct {
		name  string
		id    events.SourceID
		meta  sources.Meta
		clear []string
		want  string
	}{
		{"NothingChanged", "tr", sources.Meta{Published: "2024-01-02"}, nil, "nothing changed"},
		{"Unknown", "nope", sources.Meta{Title: "x"}, nil, "unknown source"},
		{"BadDate", "tr", sources.Meta{Published: "2024-13-01"}, nil, "published"},
		{"BadLang", "tr", sources.Meta{Lang: "en_US!"}, nil, "not a BCP 47 language tag"},
		{"Cycle", "orig", sources.Meta{TranslationOf: "tr"}, nil, "orig → tr → orig"},
		{"Self", "orig", sources.Meta{TranslationOf: "orig"}, nil, "itself"},
		{"TranslatorAlone", "orig", sources.Meta{Translator: "DeepL"}, nil, "not a translation"},
		{"ClearOriginalKeepTranslator", "tr", sources.Meta{}, []string{"translation_of"}, "not a translation"},
		{"ClearUnknownField", "tr", sources.Meta{}, []string{"digest"}, "cannot clear"},
		{"ClearEmpty", "orig", sources.Meta{}, []string{"title"}, "nothing changed"},
		{"ChangeID", "tr", sources.Meta{ID: "tr2"}, nil, "id cannot be changed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := log.Update(func(tx *events.Tx) error {
				_, err := sources.EditSource(tx, "kim", tc.id, tc.meta, tc.clear, "")
				return err
			})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one containing %q", err, tc.want)
			}
			if got := head(t, log); got != rev {
				t.Errorf("head moved from %d to %d", rev, got)
			}
		})
	}
	// Clearing both translation fields is a correction.
	err = log.Update(func(tx *events.Tx) error {
		_, err := sources.EditSource(tx, "kim", "tr", sources.Meta{}, []string{"translation_of", "translator"}, "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = log.View(func(tx *events.Tx) error {
		src, _, err := sources.Lookup(tx, "tr")
		if err == nil && (src.TranslationOf != "" || src.Translator != "") {
			t.Errorf("after clearing: %+v", src)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
