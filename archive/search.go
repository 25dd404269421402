package archive

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/internal/textdist"
	"github.com/sillok/sillok/projections"
)

// SearchResult is what Search found, best matches first in each group.
type SearchResult struct {
	Revision Revision      `json:"revision"`
	Query    string        `json:"query"`
	Entities []EntityMatch `json:"entities"`
	Quotes   []QuoteMatch  `json:"quotes"`
	Sources  []SourceMatch `json:"sources"`
}

// EntityMatch is an entity one of whose names matches the query.
type EntityMatch struct {
	Name    string   `json:"name"`
	Aliases []string `json:"aliases"`
	// Matched is the name that matched: Name or one of Aliases.
	Matched string `json:"matched"`
	Facts   int    `json:"facts"`
	Score   int    `json:"score"`
}

// QuoteMatch is a claim whose quote matches the query.
type QuoteMatch struct {
	Claim   events.ClaimID  `json:"claim"`
	Source  events.SourceID `json:"source"`
	Subject string          `json:"subject"`
	Quote   string          `json:"quote"`
	Score   int             `json:"score"`
}

// SourceMatch is a source whose title (or id) matches the query.
type SourceMatch struct {
	ID    events.SourceID `json:"id"`
	Title string          `json:"title"`
	Lang  string          `json:"lang,omitempty"`
	Score int             `json:"score"`
}

// Search finds the entities (by their names and aliases), the claims (by
// their quotes) and the sources (by their titles and ids) that match query
// at revision at (Head: the newest). Every word of the query must match a
// word of the same name, quote or title: the word itself or its beginning,
// compared case- and width-folded (ＤＴＰＮ is DTPN, ｶﾒﾗ is カメラ).
// Japanese, Chinese and Korean words, which need not be set apart by
// spaces, match anywhere inside the text. An empty query is Invalid.
func (a *Archive) Search(query string, at Revision) (*SearchResult, error) {
	terms := searchWords(query)
	if len(terms) == 0 {
		return nil, Errorf(Invalid, "nothing to search for in %q: give a word or a name", query)
	}
	var out *SearchResult
	err := a.read(at, func(r *reader) error {
		// With the read model, the names alone (no checks), and each
		// matching entity's facts from the model; else the analysis.
		var an *projections.Analysis
		facts := func(e *projections.Entity) (int, error) { return len(e.Facts), nil }
		if md := r.model; md != nil {
			st, err := r.loadState()
			if err != nil {
				return err
			}
			an = projections.AnalyzeNames(st)
			facts = func(e *projections.Entity) (int, error) {
				stored, err := md.Entity(e.Name)
				if err != nil || stored == nil {
					return 0, err
				}
				return len(stored.Facts), nil
			}
		} else {
			var err error
			if an, err = r.analyze(); err != nil {
				return err
			}
		}
		res := &SearchResult{Revision: an.Rev, Query: query, Entities: []EntityMatch{}, Quotes: []QuoteMatch{}, Sources: []SourceMatch{}}
		for _, e := range an.Entities {
			m := EntityMatch{Name: e.Name, Aliases: []string{}}
			for _, al := range e.Aliases {
				if al.Name != e.Name && !slices.Contains(m.Aliases, al.Name) {
					m.Aliases = append(m.Aliases, al.Name)
				}
			}
			for _, name := range append([]string{e.Name}, m.Aliases...) {
				if s := matchScore(terms, name); s > m.Score {
					m.Score, m.Matched = s, name
				}
			}
			if m.Score > 0 {
				var err error
				if m.Facts, err = facts(e); err != nil {
					return err
				}
				res.Entities = append(res.Entities, m)
			}
		}
		for _, cl := range an.State.Claims {
			if cl.Retracted {
				continue
			}
			if s := matchScore(terms, cl.Quote); s > 0 {
				res.Quotes = append(res.Quotes, QuoteMatch{Claim: cl.ID, Source: cl.Source, Subject: cl.Subject, Quote: cl.Quote, Score: s})
			}
		}
		for _, src := range an.State.Sources {
			s := max(matchScore(terms, src.Title), matchScore(terms, string(src.ID)))
			if s > 0 {
				res.Sources = append(res.Sources, SourceMatch{ID: src.ID, Title: src.Title, Lang: src.Lang, Score: s})
			}
		}
		sort.SliceStable(res.Entities, func(i, j int) bool {
			x, y := res.Entities[i], res.Entities[j]
			if x.Score != y.Score {
				return x.Score > y.Score
			}
			if x.Facts != y.Facts {
				return x.Facts > y.Facts
			}
			return x.Name < y.Name
		})
		sort.Slice(res.Quotes, func(i, j int) bool {
			x, y := res.Quotes[i], res.Quotes[j]
			if x.Score != y.Score {
				return x.Score > y.Score
			}
			return x.Claim < y.Claim
		})
		sort.Slice(res.Sources, func(i, j int) bool {
			x, y := res.Sources[i], res.Sources[j]
			if x.Score != y.Score {
				return x.Score > y.Score
			}
			return x.ID < y.ID
		})
		out = res
		return nil
	})
	return out, err
}

// searchFold folds s for searching: compatibility forms (full- and
// half-width) to their plain form, and case.
func searchFold(s string) string {
	return norm.NFKC.String(cases.Fold().String(norm.NFKC.String(s)))
}

// isCJK reports whether r is written without spaces between words.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) || r == 'ー'
}

// searchWords splits s, folded, into its words: runs of letters, marks
// and digits.
func searchWords(s string) []string {
	return strings.FieldsFunc(searchFold(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
}

// matchScore is how well text matches every one of terms (0: it does
// not). A term that is a whole word of text scores 3, the beginning of one
// 2, and a Japanese, Chinese or Korean term found inside text 2; a match
// of the whole text scores 2 more.
func matchScore(terms []string, text string) int {
	if text == "" {
		return 0
	}
	words := searchWords(text)
	folded := strings.Join(words, " ")
	score := 0
	for _, t := range terms {
		best := 0
		for _, w := range words {
			switch {
			case w == t:
				best = 3
			case strings.HasPrefix(w, t):
				best = max(best, 2)
			}
		}
		if best == 0 {
			if r, _ := utf8.DecodeRuneInString(t); isCJK(r) && strings.Contains(folded, t) {
				best = 2
			}
		}
		if best == 0 {
			return 0
		}
		score += best
	}
	if folded == strings.Join(terms, " ") {
		score += 2
	}
	return score
}

// UnknownNameError is the error, wrapped in a NotFound *Error, for a name
// that no entity has. Suggestions are the nearest names the archive
// knows, nearest first (at most three; none when nothing is near).
type UnknownNameError struct {
	Name        string
	Rev         Revision
	Suggestions []string
}

func (e *UnknownNameError) Error() string {
	return fmt.Sprintf("no entity named %q at revision %d", e.Name, e.Rev)
}

// unknownName is the NotFound error for name, with the names of an
// nearest to it.
func unknownName(an *projections.Analysis, name string) error {
	return &Error{Code: NotFound, Err: &UnknownNameError{Name: name, Rev: an.Rev, Suggestions: nearestNames(an, name, 3)}}
}

// nearestNames returns up to n names (canonical names and aliases) of an's
// entities nearest to name: first those within a few edits of it (compared
// by their name keys), then those of which it is a word or the beginning of
// a word (as Search matches), each entity once.
func nearestNames(an *projections.Analysis, name string, n int) []string {
	key := projections.NameKey(name)
	bound := min(3, max(1, utf8.RuneCountInString(key)/4))
	terms := searchWords(name)
	type cand struct {
		name  string
		rank  int // lower is nearer
		facts int
	}
	var cands []cand
	for _, e := range an.Entities {
		best := cand{rank: -1}
		names := []string{e.Name}
		for _, al := range e.Aliases {
			names = append(names, al.Name)
		}
		for _, nm := range names {
			rank := -1
			if d, ok := textdist.Distance(key, projections.NameKey(nm), bound, nil); ok {
				rank = d
			} else if len(terms) > 0 {
				if s := matchScore(terms, nm); s > 0 {
					rank = bound + 1 + (100 - s)
				}
			}
			if rank >= 0 && (best.rank < 0 || rank < best.rank) {
				best = cand{name: nm, rank: rank, facts: len(e.Facts)}
			}
		}
		if best.rank >= 0 {
			cands = append(cands, best)
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		x, y := cands[i], cands[j]
		if x.rank != y.rank {
			return x.rank < y.rank
		}
		if x.facts != y.facts {
			return x.facts > y.facts
		}
		return x.name < y.name
	})
	var out []string
	for _, c := range cands {
		if len(out) == n {
			break
		}
		out = append(out, c.name)
	}
	return out
}
