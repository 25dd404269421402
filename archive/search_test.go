package archive

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/sources"
)

// A small archive in three languages: the same network named in English,
// Japanese and Korean, declared one entity by aliases.
const (
	searchEN = "The Harbour Shield Network was launched in August 2023 at the Kestrel Bay summit.\n"
	searchJA = "港湾防護ネットワークは昨年8月、ケストレル湾首脳会談で発足した。\n"
	searchKO = "항만 방패 네트워크는 지난해 8월 케스트렐 만 정상회의를 계기로 출범했다.\n"

	searchClaims = `predicates:
  - {name: launched, kind: date}
aliases:
  - {name: 港湾防護ネットワーク, entity: Harbour Shield Network, kind: translation}
  - {name: 항만 방패 네트워크, entity: Harbour Shield Network, kind: translation}
claims:
  - {id: en-launched, source: en, subject: Harbour Shield Network, predicate: launched, value: August 2023, quote: launched in August 2023}
  - {id: ja-launched, source: ja, subject: 港湾防護ネットワーク, predicate: launched, value: 昨年8月, quote: 昨年8月、ケストレル湾首脳会談で発足した}
  - {id: ko-launched, source: ko, subject: 항만 방패 네트워크, predicate: launched, value: 지난해 8월, quote: 지난해 8월 케스트렐 만 정상회의를 계기로 출범했다}
  - {id: en-summit, source: en, subject: Kestrel Bay summit, predicate: launched, value: August 2023, quote: at the Kestrel Bay summit}
`
)

func searchArchive(t *testing.T) *Archive {
	t.Helper()
	a := emptyArchive(t)
	for _, s := range []struct{ id, lang, title, text string }{
		{"en", "en", "Allies launch the harbour shield", searchEN},
		{"ja", "ja", "港湾防護網が発足　首脳会談で合意", searchJA},
		{"ko", "ko", "항만 방패 네트워크 출범", searchKO},
	} {
		meta := sources.Meta{ID: events.SourceID(s.id), Lang: s.lang, Title: s.title, Published: "2024-04-26"}
		if _, err := a.AddSource("kim", []byte(s.text), meta); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.ImportClaims("kim", []ClaimsFile{{Name: "claims.yaml", Data: []byte(searchClaims)}}, nil); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestSearchAcrossLanguages(t *testing.T) {
	a := searchArchive(t)
	for _, c := range []struct {
		query    string
		entities []string // the entities found, best first
		matched  string   // the name the first matched by
		quotes   []events.ClaimID
		sources  []events.SourceID
	}{
		// English: words and word prefixes, any case, full width folded.
		{query: "harbour shield", entities: []string{"Harbour Shield Network"}, matched: "Harbour Shield Network", sources: []events.SourceID{"en"}},
		{query: "harb", entities: []string{"Harbour Shield Network"}, matched: "Harbour Shield Network", sources: []events.SourceID{"en"}},
		{query: "ＳＨＩＥＬＤ", entities: []string{"Harbour Shield Network"}, matched: "Harbour Shield Network", sources: []events.SourceID{"en"}},
		{query: "kestrel", entities: []string{"Kestrel Bay summit"}, matched: "Kestrel Bay summit", quotes: []events.ClaimID{"en-summit"}},
		// Japanese: no spaces between words, found inside the name.
		{query: "防護", entities: []string{"Harbour Shield Network"}, matched: "港湾防護ネットワーク", sources: []events.SourceID{"ja"}},
		{query: "ネットワーク", entities: []string{"Harbour Shield Network"}, matched: "港湾防護ネットワーク"},
		{query: "ｹｽﾄﾚﾙ", quotes: []events.ClaimID{"ja-launched"}}, // half-width katakana
		// Korean: by words and inside words.
		{query: "방패", entities: []string{"Harbour Shield Network"}, matched: "항만 방패 네트워크", sources: []events.SourceID{"ko"}},
		{query: "케스트렐", quotes: []events.ClaimID{"ko-launched"}},
		{query: "nothing here", entities: nil},
	} {
		res, err := a.Search(c.query, Head)
		if err != nil {
			t.Fatalf("Search(%q): %v", c.query, err)
		}
		var names []string
		for _, e := range res.Entities {
			names = append(names, e.Name)
		}
		if !slices.Equal(names, c.entities) {
			t.Errorf("Search(%q) entities %q, want %q", c.query, names, c.entities)
		} else if len(names) > 0 && res.Entities[0].Matched != c.matched {
			t.Errorf("Search(%q) matched by %q, want %q", c.query, res.Entities[0].Matched, c.matched)
		}
		var quotes []events.ClaimID
		for _, q := range res.Quotes {
			quotes = append(quotes, q.Claim)
		}
		if c.quotes != nil && !slices.Equal(quotes, c.quotes) {
			t.Errorf("Search(%q) quotes %q, want %q", c.query, quotes, c.quotes)
		}
		var srcs []events.SourceID
		for _, s := range res.Sources {
			srcs = append(srcs, s.ID)
		}
		if c.sources != nil && !slices.Equal(srcs, c.sources) {
			t.Errorf("Search(%q) sources %q, want %q", c.query, srcs, c.sources)
		}
	}
	// The entity comes with its aliases and facts.
	res, _ := a.Search("network", Head)
	if len(res.Entities) != 1 || res.Entities[0].Facts != 1 ||
		!slices.Equal(res.Entities[0].Aliases, []string{"港湾防護ネットワーク", "항만 방패 네트워크"}) {
		t.Errorf("Search(network): %+v, want the network with its two aliases and one fact", res.Entities)
	}
	// A word must match from its beginning: "ield" is inside "Shield", not a prefix.
	if res, _ := a.Search("ield", Head); len(res.Entities) != 0 {
		t.Errorf("Search(ield) found %+v, want nothing", res.Entities)
	}
	// At revision 3 there are sources and no claims yet.
	if res, err := a.Search("harbour", 3); err != nil || len(res.Entities) != 0 || len(res.Sources) != 1 || res.Revision != 3 {
		t.Errorf("Search at 3: %+v, %v", res, err)
	}
	_, err := a.Search(" ,; ", Head)
	wantCode(t, "an empty query", err, Invalid)
}

func TestSearchBestFirst(t *testing.T) {
	a := searchArchive(t)
	// "summit" is a whole word of the summit's name; "Kestrel Bay summit"
	// exactly scores more than a name it only begins.
	res, err := a.Search("Kestrel Bay summit", Head)
	if err != nil || len(res.Entities) != 1 || res.Entities[0].Name != "Kestrel Bay summit" {
		t.Fatalf("Search: %+v, %v", res, err)
	}
	exact := res.Entities[0].Score
	res, _ = a.Search("Kestrel Bay summ", Head)
	if len(res.Entities) != 1 || res.Entities[0].Score >= exact {
		t.Errorf("a prefix scores %+v, want less than the whole name's %d", res.Entities, exact)
	}
}

func TestUnknownNameSuggests(t *testing.T) {
	a := searchArchive(t)
	for _, c := range []struct {
		name string
		want []string
	}{
		{"Harbor Shield Network", []string{"Harbour Shield Network"}},  // one edit
		{"harbour sheild network", []string{"Harbour Shield Network"}}, // a transposition, another case
		{"Kestrel", []string{"Kestrel Bay summit"}},                    // a word of the name
		{"港湾防護", []string{"港湾防護ネットワーク"}},                               // the beginning of an alias
		{"zzz", nil},
	} {
		_, err := a.View(c.name, Head)
		var un *UnknownNameError
		if !errors.As(err, &un) || ErrorCode(err) != NotFound {
			t.Fatalf("View(%q): %v, want a NotFound UnknownNameError", c.name, err)
		}
		if !slices.Equal(un.Suggestions, c.want) {
			t.Errorf("View(%q) suggests %q, want %q", c.name, un.Suggestions, c.want)
		}
		// The conflict queue and the claim list say the same.
		_, err = a.Conflicts(ConflictFilter{Subject: c.name, At: Head})
		if !errors.As(err, &un) || !slices.Equal(un.Suggestions, c.want) {
			t.Errorf("Conflicts(subject %q): %v, want the suggestions %q", c.name, err, c.want)
		}
		_, err = a.Claims(ClaimFilter{Subject: c.name, At: Head})
		if !errors.As(err, &un) || !slices.Equal(un.Suggestions, c.want) {
			t.Errorf("Claims(subject %q): %v, want the suggestions %q", c.name, err, c.want)
		}
	}
}

// TestSearchWithoutTheModel checks that a search answered from the read
// model (the names, and each matching entity's facts from its record)
// equals one answered by analysing the whole state, which is what a read
// does when the model cannot answer (here: a model a stopped rebuild left
// unfinished).
func TestSearchWithoutTheModel(t *testing.T) {
	a := searchArchive(t)
	queries := []string{"harbour", "network", "kestrel", "防護", "방패", "launched", "summit", "bay"}
	withModel := map[string][]byte{}
	for _, q := range queries {
		res, err := a.Search(q, Head)
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		withModel[q] = mustMarshal(t, res)
	}
	if err := a.log.Update(func(tx *events.Tx) error {
		return tx.KV().Bucket([]byte("projections")).Bucket([]byte("model")).Delete([]byte("rev"))
	}); err != nil {
		t.Fatal(err)
	}
	if err := a.log.View(func(tx *events.Tx) error {
		head, _ := tx.Head()
		if _, ok := a.store.OpenModel(tx, head); ok {
			t.Fatal("the unfinished model still answers reads")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, q := range queries {
		res, err := a.Search(q, Head)
		if err != nil {
			t.Fatalf("Search(%q) without the model: %v", q, err)
		}
		if got := mustMarshal(t, res); !bytes.Equal(got, withModel[q]) {
			t.Errorf("Search(%q):\nwith the model    %s\nwithout the model %s", q, withModel[q], got)
		}
	}
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
