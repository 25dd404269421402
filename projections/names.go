package projections

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/sillok/sillok/internal/textdist"
	"github.com/sillok/sillok/sources"
)

// Name comparison: the "name" kind of contradiction.
//
// Two entity names look like the same thing when, after NameKey folding, they
// have the same words in another order, differ by a small spelling change, or
// one is an abbreviation of the other. The thresholds of the spelling rule:
//
//   - Only names with the same number of words are compared, word by word; a
//     word that differs must differ by a spelling change, not be replaced.
//   - A word may differ only if both forms have at least minSpellingRunes (5)
//     runes and neither contains a digit. So "US"/"UK", "Iran"/"Iraq",
//     "2023 summit"/"2024 summit" and "Korea-US summit"/"Korea-Japan summit"
//     are different things, not misspellings.
//   - A differing word pair may be at most 1 edit apart when the shorter word
//     has 5 runes and at most 2 edits when it has 6 or more (about a third of
//     the word, capped at 2). Distances are the Levenshtein distance over
//     runes (internal/textdist), so a transposition ("Samsung"/"Samsnug")
//     counts 2.
//     "Japan"/"Japanese" (3 edits) and "technology"/"technologies" (3 edits)
//     are therefore not flagged: an adjective or a plural is a different
//     word, and a reviewer is not asked about every one.
//   - The edits over all words total at most max(2, 20% of the shorter key's
//     runes).
//   - An edit that inserts, deletes or replaces a Han character is not a
//     spelling change: each ideograph is a word of its own
//     ("日米韓首脳会談"/"日米首脳会談" are different meetings).
//   - Names whose keys differ only in their spaces ("Jongun"/"Jong-un",
//     "サイバー・セキュリティ"/"サイバーセキュリティ") are reported as spelling.
//
// Short words (under 5 runes) are never treated as misspellings of each other;
// this misses romanization variants such as "Suk"/"Seok", which is the price of
// not flagging every pair of country codes.

// Reasons a Resemblance gives.
const (
	ReasonWordOrder    = "word order"
	ReasonSpelling     = "spelling"
	ReasonAbbreviation = "abbreviation"
	// ReasonFolding: two different names (IdentityKey) with one NameKey,
	// such as "Disney" and "Disney+" or "Kim Jong-un" and "Kim Jong Un".
	ReasonFolding = "folding"
)

// foldingDetail is the Detail of a ReasonFolding resemblance.
const foldingDetail = "the same name once case, punctuation and symbols are ignored"

const (
	// minSpellingRunes is the shortest word that may differ by a spelling change.
	minSpellingRunes = 5
	// maxWordEdits caps the edit distance between two spellings of one word.
	maxWordEdits = 2
	// maxVariantBucket is the largest deletion-variant bucket that is searched;
	// larger buckets are skipped and counted in NameIndexStats.SkippedBuckets.
	maxVariantBucket = 256
	// maxSpellingProbes caps, per name, the spelling candidates looked up;
	// names that hit it are counted in NameIndexStats.TruncatedNames.
	maxSpellingProbes = 256
)

// abbreviationStopwords are the words an abbreviation may leave out
// ("TTC" for "Trade and Technology Council").
var abbreviationStopwords = map[string]bool{
	"a": true, "an": true, "and": true, "at": true, "for": true, "in": true,
	"of": true, "on": true, "the": true, "to": true,
}

// NameKey returns the folded form names compare by when looking for name
// questions (and text values compare by); it is not what makes two names one
// entity (that is IdentityKey). It is Unicode NFKC, full case
// folding, full stops and apostrophes removed ("D.C." becomes "dc"), "&"
// written "and", the invisible characters sources.Normalize removes
// removed, every other punctuation mark, symbol and space turned into one
// space, and no leading or trailing space. So "Washington, D.C." and
// "washington DC" have the same key, and so have "Kim Jong-un" and
// "Kim Jong Un". Scripts without case (Japanese, Korean) keep their
// characters; NFKC turns half-width katakana and full-width Latin letters
// into their usual forms.
func NameKey(name string) string {
	// An invalid byte is U+FFFD first: x/text's norm leaves the runes after
	// one unnormalized, so that the key would change when keyed again.
	s := norm.NFKC.String(strings.ToValidUTF8(name, "\uFFFD"))
	s = cases.Fold().String(s)
	s = norm.NFKC.String(s)

	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is pending before the next kept rune
	var prev rune
	for i, r := range s {
		if r >= 0x13a0 && unicode.Is(unicode.Cherokee, r) {
			// Case folding maps Cherokee to capitals, but x/text's Fold swaps
			// its cases, so that folding twice would undo the first.
			r = unicode.ToUpper(r)
		}
		switch {
		case unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsNumber(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		case r == '.':
			// Dropped, joining "d.c." into "dc"; kept between digits ("3.5").
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if unicode.IsDigit(prev) && unicode.IsDigit(next) && !space {
				b.WriteByte('.')
			}
		case r == '\'' || r == '\u2019' || r == '\u2018' || r == '\u02bc':
			// Dropped: "Korea's" is "koreas".
		case r == '\u200b' || r == '\u2060' || r == '\ufeff' || r == '\u00ad':
			// Invisible, dropped as sources.Normalize drops them, so that a
			// name and its IdentityKey have one NameKey.
		case r == '&':
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString("and")
			space = true
		default:
			space = true
		}
		prev = r
	}
	return b.String()
}

// IdentityKey returns the key that says which names are one name, and so
// one entity without an alias. It is the name in sources.Normalize form
// (NFKC, so full-width and half-width forms are the usual ones; invisible
// characters removed; curly quotes straight; dashes "-"; white space folded
// to one space and trimmed), with full case folding, and with the
// punctuation that only writes a word differently folded away: a full stop
// or an apostrophe after a letter is dropped ("D.C." is "dc", "Korea's" is
// "koreas"), a comma after a letter is a space, and a hyphen
// between two letters or digits is a space ("Jong-un" is "jong un"). So
// "Washington, D.C." and "washington DC" are one name, and so are "U.S."
// and "US". Every other character is kept, symbols and emoji included: "C",
// "C++" and "C#", "Disney" and "Disney+", "Net" and "Net😀", "R&D" and "R and
// D", "3.5", "3,5" and "35" are different names. Names that differ only in what
// NameKey folds away are at most a name question (ReasonFolding), never one
// entity.
//
// A change to sources.Normalize changes these keys; they are not stored.
func IdentityKey(name string) string {
	s := cases.Fold().String(sources.Normalize(name))
	// Folding can undo the normal form (NameKey renormalizes too).
	s = sources.Normalize(s)
	var b strings.Builder
	b.Grow(len(s))
	var last rune // the last rune written
	changed := false
	for i, r := range s {
		switch {
		case r >= 0x13a0 && unicode.Is(unicode.Cherokee, r):
			// As in NameKey: x/text's Fold swaps Cherokee cases.
			r = unicode.ToUpper(r)
		case (r == '.' || r == '\'') && inWord(last):
			changed = true
			continue
		case r == ',' && inWord(last):
			r = ' '
		case r == '-' && (inWord(last) || unicode.IsDigit(last)):
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if inWord(next) || unicode.IsDigit(next) {
				r = ' '
			}
		}
		if r == ' ' && (last == ' ' || b.Len() == 0) {
			continue
		}
		b.WriteRune(r)
		last = r
	}
	out := strings.TrimSuffix(b.String(), " ")
	if changed {
		// A dropped mark of punctuation can bring a letter and a combining
		// mark together.
		out = norm.NFC.String(out)
	}
	return out
}

// inWord reports whether r is part of a word for IdentityKey: a letter or
// a combining mark.
func inWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsMark(r) }

// Resemblance says why two names look like the same thing.
type Resemblance struct {
	// Reason is ReasonWordOrder, ReasonSpelling or ReasonAbbreviation.
	Reason string
	// Detail explains the reason for a reviewer, e.g. "edit distance 2 of 40"
	// or "\"FOC\" abbreviates \"Freedom Online Coalition\"".
	Detail string
}

// LookAlike reports whether two names look like the same thing, and why.
// Names with the same IdentityKey are the same name and are not reported;
// different names with the same NameKey are, with ReasonFolding.
func LookAlike(a, b string) (Resemblance, bool) {
	x, y := newNameEntry(a), newNameEntry(b)
	if x.key == y.key && x.key != "" {
		if IdentityKey(a) == IdentityKey(b) {
			return Resemblance{}, false
		}
		return Resemblance{Reason: ReasonFolding, Detail: foldingDetail}, true
	}
	return lookAlike(&x, &y)
}

// nameEntry is a name prepared for comparison.
type nameEntry struct {
	name  string   // the original name reported
	key   string   // NameKey(name)
	words []string // the words of key
	// abbrev: key is one word of letters and the original writes it with
	// at least two capitals ("FOC", "U.S.", "DoD").
	abbrev bool
	// fnKey and romKey are the blocking keys of a changed function word and
	// of a romanization variant (namevariants.go); "" when none applies.
	// romSign: the name shows a sign of romanization.
	fnKey, romKey string
	romSign       bool
}

func newNameEntry(name string) nameEntry { return newNameEntryCached(name, nil) }

// newNameEntryCached is newNameEntry with the romanization of each word
// remembered in words (nil: not remembered).
func newNameEntryCached(name string, cache map[string]romanWord) nameEntry {
	key := NameKey(name)
	words := strings.Fields(key)
	rom, sign := romanKeyCached(name, words, cache)
	return nameEntry{
		name:    name,
		key:     key,
		words:   words,
		abbrev:  isAbbreviationForm(name, key),
		fnKey:   functionKey(words),
		romKey:  rom,
		romSign: sign,
	}
}

// isAbbreviationForm reports whether name, with key key, can stand as an
// abbreviation: a single token of two or more letters, written with at least
// two capitals.
func isAbbreviationForm(name, key string) bool {
	if utf8.RuneCountInString(key) < 2 {
		return false
	}
	for _, r := range key {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	upper := 0
	for _, r := range name {
		if unicode.IsUpper(r) {
			upper++
		}
	}
	return upper >= 2
}

func lookAlike(x, y *nameEntry) (Resemblance, bool) {
	if x.key == y.key || x.key == "" || y.key == "" {
		return Resemblance{}, false
	}
	if len(x.words) == len(y.words) && sortedWordsKey(x.words) == sortedWordsKey(y.words) {
		return Resemblance{Reason: ReasonWordOrder, Detail: "same words in another order"}, true
	}
	if spacelessKey(x.key) == spacelessKey(y.key) {
		return Resemblance{Reason: ReasonSpelling, Detail: "same letters, spaced differently"}, true
	}
	if r, ok := spellingVariant(x, y); ok {
		return r, true
	}
	if r, ok := abbreviates(x, y); ok {
		return r, true
	}
	if r, ok := abbreviates(y, x); ok {
		return r, true
	}
	if r, ok := functionWordVariant(x, y); ok {
		return r, true
	}
	if r, ok := romanizationVariant(x, y); ok {
		return r, true
	}
	return Resemblance{}, false
}

func sortedWordsKey(words []string) string {
	s := slices.Clone(words)
	slices.Sort(s)
	return strings.Join(s, " ")
}

func spacelessKey(key string) string {
	return strings.ReplaceAll(key, " ", "")
}

// initials returns the first runes of words, leaving out the stopwords when
// skipStopwords is set, or "" when fewer than two words count.
func initials(words []string, skipStopwords bool) string {
	var b strings.Builder
	n := 0
	for _, w := range words {
		if skipStopwords && abbreviationStopwords[w] {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		b.WriteRune(r)
		n++
	}
	if n < 2 {
		return ""
	}
	return b.String()
}

// initialsKeys returns the distinct initials of a multi-word name, with and
// without stopwords.
func initialsKeys(words []string) []string {
	if len(words) < 2 {
		return nil
	}
	all := initials(words, false)
	short := initials(words, true)
	if short == "" || short == all {
		return []string{all}
	}
	return []string{all, short}
}

// abbreviates reports whether short abbreviates long. A name that contains
// the abbreviation as a word is not what it abbreviates ("US" and "US Steel").
func abbreviates(short, long *nameEntry) (Resemblance, bool) {
	if !short.abbrev || len(long.words) < 2 || slices.Contains(long.words, short.key) {
		return Resemblance{}, false
	}
	for _, k := range initialsKeys(long.words) {
		if k == short.key {
			return Resemblance{
				Reason: ReasonAbbreviation,
				Detail: fmt.Sprintf("%q abbreviates %q", short.name, long.name),
			}, true
		}
	}
	return Resemblance{}, false
}

// spellingVariant applies the spelling rule described at the top of this file.
func spellingVariant(x, y *nameEntry) (Resemblance, bool) {
	if len(x.words) != len(y.words) {
		return Resemblance{}, false
	}
	total := 0
	for i, u := range x.words {
		v := y.words[i]
		if u == v {
			continue
		}
		limit := pairEditLimit(u, v)
		if limit == 0 {
			return Resemblance{}, false
		}
		d, ok := wordDistance(u, v, limit)
		if !ok {
			return Resemblance{}, false
		}
		total += d
	}
	lx, ly := utf8.RuneCountInString(x.key), utf8.RuneCountInString(y.key)
	if total > totalEditLimit(min(lx, ly)) {
		return Resemblance{}, false
	}
	return Resemblance{
		Reason: ReasonSpelling,
		Detail: fmt.Sprintf("edit distance %d of %d", total, max(lx, ly)),
	}, true
}

// totalEditLimit is the most edits, over all words, between two spellings of
// a name whose shorter key has n runes.
func totalEditLimit(n int) int {
	return max(2, n/5)
}

// wordEditLimit is the most edits a spelling of w may be from w: 0 when w may
// not differ at all (too short, or holding a digit).
func wordEditLimit(w string) int {
	n := 0
	for _, r := range w {
		if unicode.IsNumber(r) {
			return 0
		}
		n++
	}
	if n < minSpellingRunes {
		return 0
	}
	return min(maxWordEdits, n/3)
}

func pairEditLimit(u, v string) int {
	return min(wordEditLimit(u), wordEditLimit(v))
}

// wordDistance returns the Levenshtein distance between two words over
// runes when it is at most limit, and false when it is more or when every
// alignment within limit inserts, deletes or replaces a Han character. It
// is symmetric, so LookAlike(a, b) and LookAlike(b, a) always agree.
func wordDistance(u, v string, limit int) (int, bool) {
	return textdist.Distance(u, v, limit, isHan)
}

// isHan reports whether r is a Han character, which no spelling change
// touches: each ideograph is a word of its own.
func isHan(r rune) bool { return r >= 0x2e80 && unicode.Is(unicode.Han, r) }

// NamePair is two names that look alike.
type NamePair struct {
	// A and B are the original names, A's key sorting before B's.
	A, B string
	Resemblance
}

// NameIndexStats counts the work a NameIndex has done since it was created.
type NameIndexStats struct {
	Names int // distinct name keys
	Words int // distinct words in them
	// Comparisons counts the name pairs compared (LookAlike evaluations).
	Comparisons int
	// WordComparisons counts the word pairs whose edit distance was computed
	// while finding the spellings of a word.
	WordComparisons int
	// Probes counts the look-ups of name prefixes and whole names made while
	// searching for spellings of names.
	Probes int
	// SkippedBuckets counts deletion-variant buckets too large to search.
	SkippedBuckets int
	// TruncatedNames counts names whose spelling candidates were cut short at
	// the probe cap.
	TruncatedNames int
}

// NameIndex finds look-alike names without comparing every name with every
// other. Candidates come from blocks, and only candidates are compared:
//
//   - word order: names with the same sorted words;
//   - spacing: names with the same key without spaces;
//   - abbreviation: a one-word name against the multi-word names whose
//     initials (with or without stopwords) spell it; since names with one key
//     are one entry, each multi-word name meets at most two abbreviations;
//   - spelling: the distinct words of all names are indexed by their deletion
//     neighbourhood (every form with up to 1 rune deleted for 5-rune words,
//     up to 2 for longer ones: two words within the edit limit always share
//     one), so the spellings of a word are found by looking up its own
//     deletion forms. For each name, the names made by replacing some of its
//     words with their spellings, within the total edit limit, are looked up
//     by key, word by word, dropping a branch as soon as no indexed name of
//     as many words starts with the words chosen so far. This finds pairs
//     that differ in every word, and single-word typos, at a cost that
//     follows the words' spellings and the names that exist, not the size of
//     the index. (Blocking by shared rare words was not used: its blocks grow
//     with the index, so its work grows faster than the names, and it misses
//     names that differ in every word.)
//
// Deletion buckets holding more than 256 words are skipped, and the spelling
// search of one name stops after 256 look-ups; both are counted in Stats, so
// the work stays about linear in the number of names even on odd input.
//
// A NameIndex is not safe for concurrent use.
type NameIndex struct {
	entries []nameEntry
	byKey   map[string]int32

	byOrder    map[string][]int32 // sorted words → multi-word names
	bySpacing  map[string][]int32 // key without spaces → names
	byInitials map[string][]int32 // initials → multi-word names
	byFunction map[string][]int32 // functionKey → long names with function words
	byRoman    map[string][]int32 // romanKey → plausibly romanized names

	wordIDs map[string]int32
	words   []string
	// variants maps a deletion-form hash to its latest entry in
	// variantChain, plus one; a bucket's entries are linked through next.
	variants     map[uint64]int32
	variantChain []variantEntry
	prefixes     map[uint64]struct{} // hashes of the proper prefixes of names

	// spellings caches the spellings of a word; reset when a word is added.
	spellings map[string][]spelling
	// romanWords caches the romanization of each word of the names added.
	romanWords map[string]romanWord

	stats NameIndexStats
}

// variantEntry is one word in a deletion-form bucket.
type variantEntry struct {
	word int32 // index in words
	next int32 // the bucket's previous entry in variantChain, plus one; 0 for none
}

// spelling is another word within the edit limit of a word.
type spelling struct {
	word string
	dist int
}

// NewNameIndex returns an empty index.
func NewNameIndex() *NameIndex {
	return &NameIndex{
		byKey:      make(map[string]int32),
		byOrder:    make(map[string][]int32),
		bySpacing:  make(map[string][]int32),
		byInitials: make(map[string][]int32),
		byFunction: make(map[string][]int32),
		byRoman:    make(map[string][]int32),
		romanWords: make(map[string]romanWord),
		wordIDs:    make(map[string]int32),
		variants:   make(map[uint64]int32),
		prefixes:   make(map[uint64]struct{}),
	}
}

// Add adds a name. Adding a name whose NameKey is already present adds
// nothing new; the name reported for the key is the one that can stand as an
// abbreviation if any can, else the least in byte order, so the result does
// not depend on the order of Add calls. A name whose key is empty is ignored.
//
// The index holds names by NameKey: different names with one NameKey
// ("Disney" and "Disney+") are one entry, so Pairs and Matches never report
// them (LookAlike does, with ReasonFolding).
func (ix *NameIndex) Add(name string) { ix.add(name) }

// add is Add, returning NameKey(name).
func (ix *NameIndex) add(name string) string {
	e := newNameEntryCached(name, ix.romanWords)
	if e.key == "" {
		return ""
	}
	if id, ok := ix.byKey[e.key]; ok {
		old := &ix.entries[id]
		if e.abbrev != old.abbrev {
			if e.abbrev {
				old.name, old.abbrev = e.name, true
			}
		} else if e.name < old.name {
			old.name = e.name
		}
		return e.key
	}
	id := int32(len(ix.entries))
	ix.entries = append(ix.entries, e)
	ix.byKey[e.key] = id
	if len(e.words) > 1 {
		k := sortedWordsKey(e.words)
		ix.byOrder[k] = append(ix.byOrder[k], id)
		for _, k := range initialsKeys(e.words) {
			ix.byInitials[k] = append(ix.byInitials[k], id)
		}
	}
	k := spacelessKey(e.key)
	ix.bySpacing[k] = append(ix.bySpacing[k], id)
	if e.fnKey != "" {
		ix.byFunction[e.fnKey] = append(ix.byFunction[e.fnKey], id)
	}
	if e.romKey != "" {
		ix.byRoman[e.romKey] = append(ix.byRoman[e.romKey], id)
	}
	h := firstPrefixHash(len(e.words))
	for i, w := range e.words {
		ix.addWord(w)
		if i+1 < len(e.words) {
			h = nextPrefixHash(h, w)
			ix.prefixes[h] = struct{}{}
		}
	}
	ix.stats.Names = len(ix.entries)
	return e.key
}

func (ix *NameIndex) addWord(w string) {
	if _, ok := ix.wordIDs[w]; ok {
		return
	}
	id := int32(len(ix.words))
	ix.words = append(ix.words, w)
	ix.wordIDs[w] = id
	ix.stats.Words = len(ix.words)
	ix.spellings = nil
	for _, h := range deletionForms(w) {
		ix.variantChain = append(ix.variantChain, variantEntry{word: id, next: ix.variants[h]})
		ix.variants[h] = int32(len(ix.variantChain))
	}
}

// deletionForms returns the hashes of the distinct forms of w with up to
// wordEditLimit(w) runes deleted, sorted; none when w may not differ.
func deletionForms(w string) []uint64 {
	k := wordEditLimit(w)
	if k == 0 {
		return nil
	}
	return textdist.DeletionForms(w, k)
}

// spellingsOf returns the indexed words that are spellings of w within the
// edit limits, sorted by distance then word.
func (ix *NameIndex) spellingsOf(w string) []spelling {
	if s, ok := ix.spellings[w]; ok {
		return s
	}
	var out []spelling
	if wordEditLimit(w) > 0 {
		self, hasSelf := ix.wordIDs[w]
		var cands []int32
		for _, h := range deletionForms(w) {
			n := len(cands)
			for e := ix.variants[h]; e != 0; e = ix.variantChain[e-1].next {
				if len(cands)-n == maxVariantBucket {
					ix.stats.SkippedBuckets++
					cands = cands[:n]
					break
				}
				cands = append(cands, ix.variantChain[e-1].word)
			}
		}
		slices.Sort(cands)
		cands = slices.Compact(cands)
		for _, c := range cands {
			if hasSelf && c == self {
				continue
			}
			v := ix.words[c]
			limit := pairEditLimit(w, v)
			if diff := utf8.RuneCountInString(w) - utf8.RuneCountInString(v); diff > limit || -diff > limit {
				continue
			}
			ix.stats.WordComparisons++
			if d, ok := wordDistance(w, v, limit); ok {
				out = append(out, spelling{word: v, dist: d})
			}
		}
		slices.SortFunc(out, func(a, b spelling) int {
			if a.dist != b.dist {
				return a.dist - b.dist
			}
			return strings.Compare(a.word, b.word)
		})
	}
	if ix.spellings == nil {
		ix.spellings = make(map[string][]spelling)
	}
	ix.spellings[w] = out
	return out
}

// candidates returns the ids of the indexed names that may look like e,
// sorted, without e itself.
func (ix *NameIndex) candidates(e *nameEntry) []int32 {
	var out []int32
	if len(e.words) > 1 {
		out = append(out, ix.byOrder[sortedWordsKey(e.words)]...)
		for _, k := range initialsKeys(e.words) {
			if id, ok := ix.byKey[k]; ok && ix.entries[id].abbrev {
				out = append(out, id)
			}
		}
	}
	out = append(out, ix.bySpacing[spacelessKey(e.key)]...)
	if e.fnKey != "" {
		out = append(out, ix.byFunction[e.fnKey]...)
	}
	if e.romKey != "" {
		out = append(out, ix.byRoman[e.romKey]...)
	}
	if e.abbrev {
		out = append(out, ix.byInitials[e.key]...)
	}
	out = append(out, ix.spellingCandidates(e)...)
	slices.Sort(out)
	out = slices.Compact(out)
	if id, ok := ix.byKey[e.key]; ok {
		if i, found := slices.BinarySearch(out, id); found {
			out = slices.Delete(out, i, i+1)
		}
	}
	return out
}

// spellingCandidates looks up the names made from e by replacing some of its
// words with their spellings, within the total edit limit. The search goes
// word by word and stops as soon as no indexed name of as many words starts
// with the words chosen so far, so its cost follows the names that exist, not
// the combinations that could.
func (ix *NameIndex) spellingCandidates(e *nameEntry) []int32 {
	options := make([][]spelling, len(e.words))
	found := false
	for i, w := range e.words {
		options[i] = ix.spellingsOf(w)
		found = found || len(options[i]) > 0
	}
	if !found {
		return nil
	}
	limit := totalEditLimit(utf8.RuneCountInString(e.key))
	n := len(e.words)
	words := slices.Clone(e.words)
	var out []int32
	probes := 0
	truncated := false
	// walk chooses word i, given the prefix hash h of words[:i].
	var walk func(i int, h uint64, used int, changed bool)
	try := func(i int, h uint64, used int, changed bool) {
		if i+1 == n {
			if !changed {
				return
			}
			probes++
			if id, ok := ix.byKey[strings.Join(words, " ")]; ok {
				out = append(out, id)
			}
			return
		}
		h = nextPrefixHash(h, words[i])
		probes++
		if _, ok := ix.prefixes[h]; ok {
			walk(i+1, h, used, changed)
		}
	}
	walk = func(i int, h uint64, used int, changed bool) {
		if probes >= maxSpellingProbes {
			truncated = true
			return
		}
		try(i, h, used, changed)
		for _, s := range options[i] {
			if used+s.dist > limit {
				break // sorted by distance
			}
			words[i] = s.word
			try(i, h, used+s.dist, true)
			words[i] = e.words[i]
		}
	}
	walk(0, firstPrefixHash(n), 0, false)
	ix.stats.Probes += probes
	if truncated {
		ix.stats.TruncatedNames++
	}
	return out
}

// firstPrefixHash and nextPrefixHash hash the first words of a name of n
// words; NameIndex.prefixes holds the hashes of the proper prefixes of every
// indexed name. A collision only costs a look-up.
func firstPrefixHash(n int) uint64 {
	return mix64(uint64(n) + 0x632be59bd9b4e019)
}

func nextPrefixHash(h uint64, word string) uint64 {
	return mix64(h ^ textdist.Hash(word))
}

// mix64 is the splitmix64 finalizer.
func mix64(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// Pairs returns every pair of indexed names that look alike, sorted by the
// keys of A then B.
func (ix *NameIndex) Pairs() []NamePair {
	// Each candidate pair, found from either side, is compared once.
	var cands []uint64
	for id := range ix.entries {
		for _, c := range ix.candidates(&ix.entries[id]) {
			lo, hi := uint64(min(int32(id), c)), uint64(max(int32(id), c))
			cands = append(cands, lo<<32|hi)
		}
	}
	slices.Sort(cands)
	cands = slices.Compact(cands)
	var out []keyedPair
	for _, c := range cands {
		if p, ok := ix.compare(&ix.entries[c>>32], &ix.entries[uint32(c)]); ok {
			out = append(out, p)
		}
	}
	return sortedPairs(out)
}

// Matches returns the indexed names that look like name (which need not be
// in the index), as pairs sorted like Pairs.
func (ix *NameIndex) Matches(name string) []NamePair {
	e := newNameEntry(name)
	if e.key == "" {
		return nil
	}
	if id, ok := ix.byKey[e.key]; ok {
		e = ix.entries[id]
	}
	var out []keyedPair
	for _, c := range ix.candidates(&e) {
		if p, ok := ix.compare(&e, &ix.entries[c]); ok {
			out = append(out, p)
		}
	}
	return sortedPairs(out)
}

// keyedPair is a NamePair with the keys it sorts by.
type keyedPair struct {
	keyA, keyB string
	pair       NamePair
}

func (ix *NameIndex) compare(x, y *nameEntry) (keyedPair, bool) {
	ix.stats.Comparisons++
	r, ok := lookAlike(x, y)
	if !ok {
		return keyedPair{}, false
	}
	if y.key < x.key {
		x, y = y, x
	}
	return keyedPair{keyA: x.key, keyB: y.key, pair: NamePair{A: x.name, B: y.name, Resemblance: r}}, true
}

func sortedPairs(ps []keyedPair) []NamePair {
	slices.SortFunc(ps, func(a, b keyedPair) int {
		if c := strings.Compare(a.keyA, b.keyA); c != 0 {
			return c
		}
		return strings.Compare(a.keyB, b.keyB)
	})
	out := make([]NamePair, len(ps))
	for i, p := range ps {
		out[i] = p.pair
	}
	return out
}

// Stats returns the counts of the work done so far.
func (ix *NameIndex) Stats() NameIndexStats {
	return ix.stats
}
