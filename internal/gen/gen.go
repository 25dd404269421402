package gen

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/internal/textdist"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/sources"
)

// Version is the version of what Generate writes for given Options (the
// same Options write the same bytes). Bump it whenever that output
// changes, and the digest pinned by the package's tests with it: cached
// benchmark archives are keyed by it.
const Version = 5

// Rates of planted items, per mille of what they can apply to.
const (
	// plantValuePerMille: single-valued facts that get a source giving an
	// incompatible value (a value conflict).
	plantValuePerMille = 20
	// plantTemporalPerMille: relation claims ("launched after X was
	// founded", "first meeting on the day it was launched") that the dates
	// contradict.
	plantTemporalPerMille = 100
	// plantNamePerMille: organizations that one source names with a
	// look-alike (misspelt, words swapped or abbreviated) as if it were
	// another entity.
	plantNamePerMille = 20
	// plantFunctionWordPerMille: organizations that two sources name by
	// long forms one function word apart ("Council of the …" / "Council
	// for the …"), each as if it were another entity.
	plantFunctionWordPerMille = 10
	// plantAliasPerMille: organizations whose look-alike name (a
	// mistranslation) is declared as an alias: not a conflict.
	plantAliasPerMille = 20
	// plantDistinctPerMille: organizations with a look-alike that really is
	// a different organization, declared distinct: not a conflict.
	plantDistinctPerMille = 10
	// translationPerMille and copyPerMille: English articles that get a
	// translation, or a near-verbatim copy by another outlet.
	translationPerMille = 300
	copyPerMille        = 150
)

// Options configure gen.
type Options struct {
	// Claims is the number of claims wanted; gen stops at the end of the
	// first story that reaches it.
	Claims int
	Seed   uint64
	// ClaimsPerFile is about how many claims go in one claims file (a file
	// holds whole sources); 0 means 2000.
	ClaimsPerFile int
	// JSON writes the claims files as JSON (claims/NNNNN.json) instead of
	// YAML: the same claims, in the same files and order. Everything else
	// gen writes is the same either way.
	JSON bool
}

// Summary is what gen reports.
type Summary struct {
	Dir         string         `json:"dir" yaml:"-"`
	Claims      int            `json:"claims"`
	Sources     int            `json:"sources"`
	ClaimsFiles int            `json:"claims_files"`
	Facts       int            `json:"facts"`
	Entities    int            `json:"entities"`
	Planted     map[string]int `json:"planted"`
	// ByKind breaks the planted conflicts and aliases down by kind.
	ByKind map[string]int `json:"by_kind"`
}

// Truth is truth.yaml: what gen planted.
type Truth struct {
	Version int    `yaml:"version"`
	Seed    uint64 `yaml:"seed"`
	Claims  int    `yaml:"claims"`
	Sources int    `yaml:"sources"`
	Facts   int    `yaml:"facts"`
	// Rates are the per-mille rates the plants were drawn at.
	Rates     map[string]int `yaml:"rates"`
	Conflicts struct {
		Value    []TruthValue    `yaml:"value"`
		Temporal []TruthTemporal `yaml:"temporal"`
		Name     []TruthName     `yaml:"name"`
	} `yaml:"conflicts"`
	NonConflicts struct {
		// Refinements are facts whose claims give one value at several
		// precisions (2021, March 2021, March 14, 2021; about 4,700 and
		// 4,712; 12.5 million and 12,500,000).
		Refinements []TruthFact `yaml:"refinements"`
		// Languages are facts with the same date written in two languages
		// (March 14, 2021 and 2021年3月14日).
		Languages []TruthFact `yaml:"languages"`
		// Aliases are declared aliases, among them look-alikes declared as
		// mistranslations.
		Aliases []TruthAlias `yaml:"aliases"`
		// Distinct are look-alike names declared distinct.
		Distinct []TruthName `yaml:"distinct"`
		// Translations and Copies must count as one source with the
		// original they translate or copy.
		Translations []TruthSource `yaml:"translations"`
		Copies       []TruthSource `yaml:"copies"`
	} `yaml:"non_conflicts"`
}

type TruthValue struct {
	Subject   string `yaml:"subject"`
	Predicate string `yaml:"predicate"`
	// Wrong lists the claims that give the planted incompatible value.
	Wrong []string `yaml:"wrong"`
}

type TruthTemporal struct {
	Relation string    `yaml:"relation"`
	Dates    [2]string `yaml:"dates"`
}

type TruthName struct {
	Names  [2]string `yaml:"names"`
	Reason string    `yaml:"reason,omitempty"`
}

type TruthFact struct {
	Subject   string   `yaml:"subject"`
	Predicate string   `yaml:"predicate"`
	Claims    []string `yaml:"claims,flow"`
}

type TruthAlias struct {
	Name   string `yaml:"name"`
	Entity string `yaml:"entity"`
	Kind   string `yaml:"kind"`
}

type TruthSource struct {
	Source string `yaml:"source"`
	Of     string `yaml:"of"`
}

// ErrNotEmpty is returned by Generate for a directory that is not empty.
var ErrNotEmpty = errors.New("not empty")

// Generate writes a synthetic archive's input into dir, which must be
// missing or empty (else the error is ErrNotEmpty).
func Generate(dir string, opt Options) (Summary, error) {
	if opt.Claims <= 0 {
		return Summary{}, errors.New("gen: the number of claims must be at least 1")
	}
	if opt.ClaimsPerFile <= 0 {
		opt.ClaimsPerFile = 2000
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return Summary{}, fmt.Errorf("%s is %w", dir, ErrNotEmpty)
	}
	for _, d := range []string{dir, filepath.Join(dir, "sources"), filepath.Join(dir, "claims")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return Summary{}, err
		}
	}
	g := newGenerator(dir, opt)
	for g.claims < opt.Claims {
		if err := g.story(); err != nil {
			return Summary{}, err
		}
	}
	if err := g.finish(); err != nil {
		return Summary{}, err
	}
	return g.summary(), nil
}

// ---------------------------------------------------------------------------
// Words and names.

type genConsonant struct {
	roman   string
	kana    string // the row a, i, u, e, o
	hangulL int    // Hangul initial consonant index
}

var (
	genConsonants = []genConsonant{
		{"k", "カキクケコ", 15}, {"s", "サシスセソ", 9}, {"t", "タチツテト", 16}, {"n", "ナニヌネノ", 2},
		{"h", "ハヒフヘホ", 18}, {"m", "マミムメモ", 6}, {"r", "ラリルレロ", 5}, {"g", "ガギグゲゴ", 0},
		{"z", "ザジズゼゾ", 12}, {"d", "ダヂヅデド", 3}, {"b", "バビブベボ", 7}, {"p", "パピプペポ", 17},
	}
	genVowels  = "aiueo"
	genHangulV = []int{0, 20, 13, 5, 8} // ㅏ ㅣ ㅜ ㅔ ㅗ
)

// pseudoword is an invented word in its three spellings. Every form is a
// single word of at most 4 kana or hangul syllables, so the Japanese and
// Korean forms are never "spelling variants" (those need 5 code points).
type pseudoword struct {
	roman, kana, hangul string
}

// wordBank hands out invented words at least three edits apart. Two words
// within two edits share a form with at most two letters deleted, so the
// words sharing a deletion form with a candidate are the only ones whose
// edit distance to it must be computed. A planted misspelling joins the
// family of the word it misspells: it may be close to that word only.
type wordBank struct {
	forms  map[uint64][]int32 // hash of a deletion form → words
	words  []string
	fams   []int32
	family int32
}

func newWordBank() *wordBank { return &wordBank{forms: map[uint64][]int32{}} }

// admit adds w to family fam (-1: a new family) unless it is within two
// edits of a word of another family; it returns the family and whether w
// was admitted.
func (b *wordBank) admit(w string, fam int32) (int32, bool) {
	hs := textdist.DeletionForms(w, 2)
	for _, h := range hs {
		for _, id := range b.forms[h] {
			if b.fams[id] == fam {
				continue
			}
			if _, near := textdist.Distance(w, b.words[id], 2, nil); near {
				return 0, false
			}
		}
	}
	if fam < 0 {
		b.family++
		fam = b.family
	}
	id := int32(len(b.words))
	b.words, b.fams = append(b.words, w), append(b.fams, fam)
	for _, h := range hs {
		b.forms[h] = append(b.forms[h], id)
	}
	return fam, true
}

// Type words of organizations and places, in English, Japanese and Korean.
// The Japanese ones are Han characters, whose edits are never spelling
// changes; the Korean ones are at most 4 syllables.
var (
	genOrgTypes = [][3]string{
		{"Council", "評議会", "평의회"}, {"Institute", "研究所", "연구소"}, {"Alliance", "同盟", "동맹"},
		{"Foundation", "財団", "재단"}, {"Agency", "機構", "기구"}, {"Association", "協会", "협회"},
		{"Commission", "委員会", "위원회"}, {"Fund", "基金", "기금"}, {"Coalition", "連合", "연합"},
		{"Forum", "会議", "포럼"}, {"Bureau", "局", "국"}, {"Consortium", "組合", "조합"},
		{"Network", "網", "망"}, {"Authority", "当局", "당국"}, {"Initiative", "構想", "구상"},
		{"Society", "学会", "학회"}, {"Trust", "信託", "신탁"}, {"Union", "組合連合", "노조"},
	}
	genPlaceTypes = [][3]string{{"City", "市", "시"}, {"Port", "港", "항"}, {"Province", "州", "주"}, {"Valley", "谷", "계곡"}}
)

// genEntity is an organization, a person or a place.
type genEntity struct {
	name, ja, ko string
	words        []string // the invented words of the name, lower case, in order
	families     []int32  // their word families
	kind         int      // entOrg, entPerson, entPlace
	typ          int      // index in genOrgTypes or genPlaceTypes
	facts        []*genFact
}

const (
	entOrg = iota
	entPerson
	entPlace
)

// nameRegistry keeps the generated names apart by the rules of
// projections.LookAlike that the word bank does not cover: the same words
// in another order, the same letters spaced differently, and
// abbreviations.
type nameRegistry struct {
	keys      map[string]bool
	sorted    map[string]bool
	spaceless map[string]bool
	initials  map[string]int  // initials of multi-word names → how many
	abbrevs   map[string]bool // initials used by a planted abbreviation
	// roman counts the names of each romanization key
	// (projections.RomanizationKey); romanPlanted are the keys of planted
	// romanization variants, which no later name may take.
	roman        map[string]int
	romanPlanted map[string]bool
}

func newNameRegistry() *nameRegistry {
	return &nameRegistry{keys: map[string]bool{}, sorted: map[string]bool{}, spaceless: map[string]bool{},
		initials: map[string]int{}, abbrevs: map[string]bool{}, roman: map[string]int{}, romanPlanted: map[string]bool{}}
}

type nameForms struct {
	key, sorted, spaceless string
	initials               []string
}

func formsOf(name string) nameForms {
	key := projections.NameKey(name)
	words := strings.Fields(key)
	s := slices.Clone(words)
	slices.Sort(s)
	f := nameForms{key: key, sorted: strings.Join(s, " "), spaceless: strings.ReplaceAll(key, " ", "")}
	if len(words) > 1 {
		var b, content strings.Builder
		for _, w := range words {
			r, _ := utf8.DecodeRuneInString(w)
			b.WriteRune(r)
			if !genStopwords[w] {
				content.WriteRune(r)
			}
		}
		f.initials = []string{b.String()}
		// No invented word is a stopword; a planted function-word
		// variant ("Council of the Kamoru Hanami") has both initials.
		if c := content.String(); c != b.String() && utf8.RuneCountInString(c) > 1 {
			f.initials = append(f.initials, c)
		}
	}
	return f
}

// add registers name unless it collides; sameWords allows a name with the
// words of a registered one in another order (a planted word-order
// look-alike).
func (r *nameRegistry) add(name string, sameWords bool) bool {
	f := formsOf(name)
	if r.keys[f.key] || r.spaceless[f.spaceless] || (r.sorted[f.sorted] && !sameWords) {
		return false
	}
	for _, in := range f.initials {
		if r.abbrevs[in] {
			return false
		}
	}
	rk := projections.RomanizationKey(name)
	if rk != "" && r.romanPlanted[rk] {
		return false
	}
	if rk != "" {
		r.roman[rk]++
	}
	r.keys[f.key], r.spaceless[f.spaceless], r.sorted[f.sorted] = true, true, true
	for _, in := range f.initials {
		r.initials[in]++
	}
	return true
}

// genStopwords are the words an abbreviation may leave out, as
// projections' abbreviation rule has them.
var genStopwords = map[string]bool{"a": true, "an": true, "and": true, "at": true, "for": true, "in": true, "of": true, "on": true, "the": true, "to": true}

// addAbbreviation registers the initials of name (a multi-word name) as a
// planted abbreviation, when no other name has them.
func (r *nameRegistry) addAbbreviation(name string) (string, bool) {
	f := formsOf(name)
	if len(f.initials) != 1 {
		return "", false
	}
	in := f.initials[0]
	if r.initials[in] != 1 || r.abbrevs[in] || r.keys[in] || r.spaceless[in] || utf8.RuneCountInString(in) < 2 {
		return "", false
	}
	r.abbrevs[in], r.keys[in], r.spaceless[in], r.sorted[in] = true, true, true, true
	return strings.ToUpper(in), true
}

// capitalize upper-cases the first letter of s (Latin letters only; other
// scripts have no case).
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r < 'a' || r > 'z' {
		return s
	}
	return string(r-'a'+'A') + s[n:]
}

// newWord makes an invented word of 3 or 4 syllables.
func (g *generator) newWord() (pseudoword, int32) {
	for {
		n := 3
		if g.rng.IntN(100) < 45 {
			n = 4
		}
		var roman, kana, hangul strings.Builder
		for i := range n {
			c := genConsonants[g.rng.IntN(len(genConsonants))]
			v := g.rng.IntN(len(genVowels))
			roman.WriteString(c.roman)
			roman.WriteByte(genVowels[v])
			kana.WriteString(string([]rune(c.kana)[v]))
			t := 0
			final := i == n-1 && n == 3 && g.rng.IntN(100) < 30
			if final {
				roman.WriteByte('n')
				t = 4 // ㄴ
			}
			hangul.WriteRune(rune(0xAC00 + (c.hangulL*21+genHangulV[v])*28 + t))
			if final {
				kana.WriteString("ン")
			}
		}
		w := pseudoword{roman.String(), kana.String(), hangul.String()}
		if fam, ok := g.words.admit(w.roman, -1); ok {
			return w, fam
		}
	}
}

// newWordPerMille is how often a name takes a newly invented word rather
// than one of the vocabulary, once the vocabulary has minVocabulary words.
const (
	newWordPerMille = 150
	minVocabulary   = 2000
)

// nameWord returns a word for a name: a word of the vocabulary, or a new one.
func (g *generator) nameWord() (pseudoword, int32) {
	if len(g.vocab) >= minVocabulary && !g.chance(newWordPerMille) {
		i := g.rng.IntN(len(g.vocab))
		return g.vocab[i], g.vocabFams[i]
	}
	w, fam := g.newWord()
	g.vocab, g.vocabFams = append(g.vocab, w), append(g.vocabFams, fam)
	return w, fam
}

// newEntity makes an organization, person or place with a name that does
// not look like any other.
func (g *generator) newEntity(kind int) *genEntity {
	for {
		e := &genEntity{kind: kind}
		var ws []pseudoword
		n := 2
		switch kind {
		case entOrg:
			n = 1 + g.rng.IntN(2)
			e.typ = g.rng.IntN(len(genOrgTypes))
		case entPlace:
			n = 1
			e.typ = g.rng.IntN(len(genPlaceTypes))
		}
		for range n {
			w, fam := g.nameWord()
			ws = append(ws, w)
			e.words = append(e.words, w.roman)
			e.families = append(e.families, fam)
		}
		var en, ja, ko []string
		for _, w := range ws {
			en, ja, ko = append(en, capitalize(w.roman)), append(ja, w.kana), append(ko, w.hangul)
		}
		switch kind {
		case entOrg:
			t := genOrgTypes[e.typ]
			en, ja, ko = append(en, t[0]), append(ja, t[1]), append(ko, t[2])
		case entPlace:
			t := genPlaceTypes[e.typ]
			en, ja, ko = append(en, t[0]), append(ja, t[1]), append(ko, t[2])
		}
		e.name, e.ja, e.ko = strings.Join(en, " "), strings.Join(ja, "・"), strings.Join(ko, " ")
		if !g.names.add(e.name, false) || !g.names.add(e.ja, false) || !g.names.add(e.ko, false) {
			continue
		}
		g.entities++
		return e
	}
}

// misspell returns a look-alike of e's name with one letter of one of its
// invented words changed, registered as a name, or false.
func (g *generator) misspell(e *genEntity) (string, bool) {
	for range 20 {
		i := g.rng.IntN(len(e.words))
		w := []byte(e.words[i])
		p := 1 + g.rng.IntN(len(w)-1) // keep the initial
		if strings.IndexByte(genVowels, w[p]) >= 0 {
			w[p] = genVowels[g.rng.IntN(len(genVowels))]
		} else {
			w[p] = genConsonants[g.rng.IntN(len(genConsonants))].roman[0]
		}
		if string(w) == e.words[i] {
			continue
		}
		if _, ok := g.words.admit(string(w), e.families[i]); !ok {
			continue
		}
		parts := strings.Fields(e.name)
		parts[i] = capitalize(string(w))
		v := strings.Join(parts, " ")
		if r, ok := projections.LookAlike(e.name, v); !ok || r.Reason != projections.ReasonSpelling {
			continue
		}
		if g.names.add(v, false) {
			return v, true
		}
	}
	return "", false
}

// romanize returns e's name as another romanization would write it: every
// o and u of its invented words with a macron (Tōkyō for Tokyo), when that
// is a romanization look-alike of e's name alone, registered as a name.
func (g *generator) romanize(e *genEntity) (string, bool) {
	parts := strings.Fields(e.name)
	for i := range e.words {
		parts[i] = strings.NewReplacer("o", "ō", "u", "ū").Replace(parts[i])
	}
	v := strings.Join(parts, " ")
	if r, ok := projections.LookAlike(e.name, v); !ok || r.Reason != projections.ReasonRomanization {
		return "", false
	}
	rk := projections.RomanizationKey(v)
	if g.names.roman[rk] != 1 || g.names.romanPlanted[rk] || !g.names.add(v, false) {
		return "", false
	}
	g.names.romanPlanted[rk] = true
	return v, true
}

// functionWords returns two long forms of e's name that differ in one
// function word, as two machine translations write one name ("Council of
// the Kamoru Hanami", "Council for the Kamoru Hanami"), registered as
// names, when they look like each other and like no other name.
func (g *generator) functionWords(e *genEntity) (string, string, bool) {
	if e.kind != entOrg {
		return "", "", false
	}
	parts := strings.Fields(e.name)
	typ, rest := parts[len(parts)-1], strings.Join(parts[:len(parts)-1], " ")
	v1, v2 := typ+" of the "+rest, typ+" for the "+rest
	if r, ok := projections.LookAlike(v1, v2); !ok || r.Reason != projections.ReasonFunctionWord {
		return "", "", false
	}
	for _, v := range []string{v1, v2} {
		if _, ok := projections.LookAlike(e.name, v); ok {
			return "", "", false
		}
	}
	if !g.names.add(v1, false) || !g.names.add(v2, false) {
		return "", "", false
	}
	return v1, v2, true
}

// reorder returns e's name with its first two words swapped.
func (g *generator) reorder(e *genEntity) (string, bool) {
	parts := strings.Fields(e.name)
	if len(parts) < 2 {
		return "", false
	}
	parts[0], parts[1] = parts[1], parts[0]
	v := strings.Join(parts, " ")
	if r, ok := projections.LookAlike(e.name, v); !ok || r.Reason != projections.ReasonWordOrder {
		return "", false
	}
	return v, g.names.add(v, true)
}

// abbreviate returns e's initials as an abbreviation, when no other name
// has the same initials.
func (g *generator) abbreviate(e *genEntity) (string, bool) {
	v, ok := g.names.addAbbreviation(e.name)
	if !ok {
		return "", false
	}
	if r, ok := projections.LookAlike(e.name, v); !ok || r.Reason != projections.ReasonAbbreviation {
		return "", false
	}
	return v, true
}

// ---------------------------------------------------------------------------
// Facts, statements and their wording.

type genPred struct {
	name string
	kind events.ValueKind
	many bool
}

var (
	predFounded   = &genPred{"founded", events.KindDate, false}
	predLaunched  = &genPred{"launched", events.KindDate, false}
	predMeeting   = &genPred{"first meeting", events.KindDate, false}
	predStaff     = &genPred{"staff", events.KindQuantity, false}
	predBudget    = &genPred{"budget", events.KindQuantity, false}
	predSeat      = &genPred{"headquarters", events.KindEntity, false}
	predLeader    = &genPred{"led by", events.KindEntity, false}
	predMotto     = &genPred{"motto", events.KindText, false}
	predMember    = &genPred{"member", events.KindEntity, true}
	predTopic     = &genPred{"topic", events.KindText, true}
	predAudited   = &genPred{"audited", events.KindDate, true}
	genPredicates = []*genPred{predFounded, predLaunched, predMeeting, predStaff, predBudget, predSeat, predLeader, predMotto, predMember, predTopic, predAudited}
)

// genFact is one organization's value for one predicate.
type genFact struct {
	ent  *genEntity
	pred *genPred
	// The true value: one of these, by kind. Many-valued facts have values.
	date   time.Time
	num    int64 // staff, or budget in units of 100,000 dollars
	ref    *genEntity
	text   string
	values []genValue // many-valued facts
	// strict: an end of a planted temporal conflict; written without "~".
	strict bool
	// relEnd: an end of some relation; never gets a planted wrong value.
	relEnd bool
	wrong  bool // a planted value conflict
	// The claims recorded, for the ground truth.
	dated    []string // direct claims (dates, or any kind)
	rels     []string // relation claims
	wrongIDs []string
	precs    map[string]bool
	langPair []string // an English and a translated claim of one day
}

type genValue struct {
	date time.Time
	ref  *genEntity
	text string
}

// genRelation is a relation claim's content.
type genRelation struct {
	op      events.RelationOp
	to      *genEntity
	toPred  *genPred
	planted bool
}

// genStatement is what one sentence of a source says, independent of the
// language it is written in.
type genStatement struct {
	subj *genEntity
	fact *genFact // nil for name plants
	pred *genPred
	// surface is the subject as written when it is not subj.name: a
	// look-alike used as a subject (asSubject) or a declared alias (as).
	surface   string
	asSubject bool
	// The value: a date, number, entity or text, or a relation.
	date   time.Time
	num    int64
	ref    *genEntity
	text   string
	rel    *genRelation
	wrong  bool
	form   int // wording: precision of a date, form of a number
	tmpl   int // template
	filler bool
}

// Date forms.
const (
	dateDay = iota
	dateDayAlt
	dateISO
	dateMonth
	dateYear
	dateRelMonth
	dateApproxMonth
)

func datePrecision(form int) string {
	switch form {
	case dateDay, dateDayAlt, dateISO:
		return "day"
	case dateMonth, dateRelMonth:
		return "month"
	case dateYear:
		return "year"
	}
	return "approximate month"
}

// Number forms.
const (
	numExact = iota
	numApprox
	numScaled // budgets: 12.5 million dollars
)

// chooseDateForm picks how a source writes a date.
func (g *generator) chooseDateForm(d time.Time, pub time.Time, strict bool) int {
	x := g.rng.IntN(100)
	switch {
	case x < 25:
		return dateDay
	case x < 35:
		return dateDayAlt
	case x < 45:
		return dateISO
	case x < 72:
		return dateMonth
	case x < 84:
		return dateYear
	case x < 95:
		if d.Year() == pub.Year()-1 {
			return dateRelMonth
		}
		return dateMonth
	}
	if strict {
		return dateMonth
	}
	return dateApproxMonth
}

// enDate returns the value as written and the phrase in the sentence.
func enDate(d time.Time, form int) (value, phrase string) {
	switch form {
	case dateDay:
		v := d.Format("January 2, 2006")
		return v, "on " + v
	case dateDayAlt:
		v := d.Format("2 January 2006")
		return v, "on " + v
	case dateISO:
		v := d.Format("2006-01-02")
		return v, "on " + v
	case dateMonth:
		v := d.Format("January 2006")
		return v, "in " + v
	case dateYear:
		v := d.Format("2006")
		return v, "in " + v
	case dateRelMonth:
		v := d.Format("January") + " last year"
		return v, "in " + v
	}
	v := "around " + d.Format("January 2006")
	return v, v
}

func jaDate(d time.Time, form int) string {
	switch form {
	case dateDay, dateDayAlt, dateISO:
		return fmt.Sprintf("%d年%d月%d日", d.Year(), d.Month(), d.Day())
	case dateYear:
		return fmt.Sprintf("%d年", d.Year())
	case dateRelMonth:
		return fmt.Sprintf("昨年%d月", d.Month())
	}
	return fmt.Sprintf("%d年%d月", d.Year(), d.Month())
}

func koDate(d time.Time, form int) string {
	switch form {
	case dateDay, dateDayAlt, dateISO:
		return fmt.Sprintf("%d년 %d월 %d일", d.Year(), d.Month(), d.Day())
	case dateYear:
		return fmt.Sprintf("%d년", d.Year())
	case dateRelMonth:
		return fmt.Sprintf("지난해 %d월", d.Month())
	}
	return fmt.Sprintf("%d년 %d월", d.Year(), d.Month())
}

// commas writes n with thousands separators.
func commas(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// round2 rounds n to two significant digits.
func round2(n int64) int64 {
	unit := int64(1)
	for n/unit >= 100 {
		unit *= 10
	}
	return (n + unit/2) / unit * unit
}

// quantity returns the value as written (with its unit, in English) and
// the number as a sentence in lang writes it (without the unit).
func quantity(st *genStatement, lang string) (value, number string) {
	about := map[string]string{"en": "about ", "ja": "約", "ko": "약 "}[lang]
	if st.pred == predStaff {
		if st.form == numApprox {
			n := commas(round2(st.num))
			return "about " + n + " staff", about + n
		}
		return commas(st.num) + " staff", commas(st.num)
	}
	// Budgets, in units of 100,000 dollars.
	switch st.form {
	case numApprox:
		m := (st.num + 5) / 10
		if lang == "en" {
			return fmt.Sprintf("about %d million dollars", m), fmt.Sprintf("about %d million", m)
		}
		return fmt.Sprintf("about %d million dollars", m), about + commas(m*1000000)
	case numScaled:
		s := fmt.Sprintf("%d.%d million", st.num/10, st.num%10)
		if st.num%10 == 0 {
			s = fmt.Sprintf("%d million", st.num/10)
		}
		if lang == "en" {
			return s + " dollars", s
		}
		return s + " dollars", commas(st.num * 100000)
	}
	n := commas(st.num * 100000)
	return n + " dollars", n
}

func numPrecision(form int) string {
	return [...]string{"exact", "approximate", "scaled"}[form]
}

// English, Japanese and Korean templates. {S} is the subject, {D} a date
// phrase, {Q} a number, {E} an entity, {T} a text or, in relations, the
// other organization.
var genTemplates = map[string]map[*genPred][]string{
	"en": {
		predFounded:  {"{S} was founded {D}", "{S} was established {D}", "{S} was set up {D}"},
		predLaunched: {"{S} was launched {D}", "{S} began operating {D}", "{S} started work {D}"},
		predMeeting:  {"{S} held its first meeting {D}", "The first meeting of {S} took place {D}"},
		predAudited:  {"{S} was audited {D}", "Auditors examined the books of {S} {D}"},
		predStaff:    {"{S} employs {Q} staff", "{S} has a workforce of {Q} staff", "{S} now counts {Q} staff"},
		predBudget:   {"{S} has an annual budget of {Q} dollars", "The yearly budget of {S} is {Q} dollars"},
		predSeat:     {"{S} is headquartered in {E}", "{S} has its seat in {E}", "{S} is based in {E}"},
		predLeader:   {"{S} is led by {E}", "{S} is headed by {E}", "{E} chairs {S}"},
		predMotto:    {"The motto of {S} is \"{T}\"", "{S} works under the slogan \"{T}\""},
		predMember:   {"{E} is a member of {S}", "{S} counts {E} among its members"},
		predTopic:    {"{S} works on {T}", "{S} focuses on {T}"},
	},
	"ja": {
		predFounded:  {"{S}は{D}に設立された"},
		predLaunched: {"{S}は{D}に発足した"},
		predMeeting:  {"{S}は{D}に初会合を開いた"},
		predAudited:  {"{S}は{D}に監査を受けた"},
		predStaff:    {"{S}の職員数は{Q}人だ"},
		predBudget:   {"{S}の年間予算は{Q}ドルだ"},
		predSeat:     {"{S}は{E}に本部を置く"},
		predLeader:   {"{S}のトップは{E}氏だ"},
		predMotto:    {"{S}の標語は「{T}」だ"},
		predMember:   {"{E}は{S}に加盟している"},
		predTopic:    {"{S}は「{T}」に取り組む"},
	},
	"ko": {
		predFounded:  {"{S}는 {D}에 설립됐다"},
		predLaunched: {"{S}는 {D}에 출범했다"},
		predMeeting:  {"{S}는 {D}에 첫 회의를 열었다"},
		predAudited:  {"{S}는 {D}에 감사를 받았다"},
		predStaff:    {"{S}의 직원 수는 {Q}명이다"},
		predBudget:   {"{S}의 연간 예산은 {Q}달러다"},
		predSeat:     {"{S}는 {E}에 본부를 두고 있다"},
		predLeader:   {"{S}의 대표는 {E}이다"},
		predMotto:    {"{S}의 표어는 '{T}'이다"},
		predMember:   {"{E}는 {S}의 회원이다"},
		predTopic:    {"{S}는 '{T}' 분야에서 활동한다"},
	},
}

var genRelTemplates = map[string]map[events.RelationOp][]string{
	"en": {
		events.RelAfter: {"{S} was launched after {T} was founded", "{S} began operating only after {T} had been founded"},
		events.RelSame:  {"{S} held its first meeting on the day it was launched", "{S} met for the first time on the day of its launch"},
	},
	"ja": {events.RelAfter: {"{S}は{T}の設立後に発足した"}, events.RelSame: {"{S}は発足当日に初会合を開いた"}},
	"ko": {events.RelAfter: {"{S}는 {T} 설립 이후 출범했다"}, events.RelSame: {"{S}는 출범 당일 첫 회의를 열었다"}},
}

// Words for filler sentences, mottos and topics.
var (
	genFillerEN = strings.Fields(`officials said the talks would continue next month while partners reviewed
		plans for shared research export controls and data protection ministers welcomed progress critics
		asked for more transparency a spokesperson declined to comment further details were expected later
		observers noted growing interest among regional governments in closer cooperation on security trade
		and technology agreements the report also mentioned budget pressures staffing questions and delays`)
	genFillerJA = strings.Fields(`関係者 によると 協議 は 来月 も 続く 見通し だ 各国 は 輸出 管理 と データ 保護 で
		協力 を 強化 する 方針 を 確認 した 詳細 は 明らか に されて いない 専門家 は 透明性 を 求めた`)
	genFillerKO = strings.Fields(`관계자 에 따르면 협의 는 다음 달 에도 이어질 전망 이다 각국 은 수출 통제 와 데이터
		보호 에서 협력 을 강화 하기로 했다 세부 내용 은 공개 되지 않았다 전문가 들은 투명성 을 요구 했다`)
	genMottoWords = strings.Fields(`bridges before walls open doors shared future trust through work
		steady hands clear water common ground one harbor many voices light for all strength in numbers
		patience and purpose facts first people over paper together we build the long view`)
	genTopics = []string{
		"export controls", "undersea cables", "chip supply chains", "port security", "data protection",
		"critical minerals", "satellite navigation", "quantum research", "grid resilience", "vaccine logistics",
		"fisheries management", "border inspections", "customs data", "cyber defense", "water rights",
		"rail standards", "battery recycling", "spectrum policy", "research security", "trade finance",
	}
)

// Outlets: slug, publisher, language.
var (
	genOutletsEN = [][2]string{
		{"harbor-ledger", "Harbor Ledger"}, {"pacific-wire", "Pacific Wire Service"}, {"bayside-courier", "Bayside Courier"},
		{"tidewater-review", "Tidewater Review"}, {"meridian-post", "Meridian Post"}, {"northgate-times", "Northgate Times"},
		{"cobalt-herald", "Cobalt Herald"}, {"lantern-daily", "Lantern Daily"}, {"granite-gazette", "Granite Gazette"},
		{"estuary-news", "Estuary News"}, {"summit-observer", "Summit Observer"}, {"copperline", "Copperline"},
		{"riverbend-journal", "Riverbend Journal"}, {"signal-and-noise", "Signal and Noise"}, {"the-quayside", "The Quayside"},
		{"foghorn-weekly", "Foghorn Weekly"}, {"atlas-dispatch", "Atlas Dispatch"}, {"kestrel-report", "Kestrel Report"},
		{"ironwood-press", "Ironwood Press"}, {"starboard", "Starboard"},
	}
	genOutletsJA = [][2]string{{"toto-shimpo", "東都新報"}, {"kaiyo-nippo", "海洋日報"}, {"minato-times", "みなとタイムズ"}, {"asahi-kogyo", "旭光業新聞"}}
	genOutletsKO = [][2]string{{"seoul-morning-post", "서울모닝포스트"}, {"hanbit-ilbo", "한빛일보"}, {"daehan-wire", "대한통신"}, {"nuri-news", "누리뉴스"}}
)

// ---------------------------------------------------------------------------
// Sources and claims.

type genClaim struct {
	id, source, subject, as, pred string
	value                         string
	rel                           *genRelation
	quote                         string
}

type genAlias struct{ name, entity, kind string }

// genSource is one generated document with its claims.
type genSource struct {
	id, lang, published, title, url, publisher string
	translationOf, translator                  string
	stmts                                      []*genStatement
	sentences                                  []string // as written, without final punctuation
	claims                                     []*genClaim
	claimOf                                    []int // the claim index of each statement, -1 for fillers
	aliases                                    []genAlias
	pub                                        time.Time
}

type generator struct {
	dir   string
	opt   Options
	rng   *rand.Rand
	words *wordBank
	names *nameRegistry

	persons, places []*genEntity
	vocab           []pseudoword // words names are made of
	vocabFams       []int32
	stories         int
	entities        int
	claims          int
	facts           int
	nextClaim       int

	manifest  []sources.ManifestEntry
	fileSrcs  []*genSource
	fileCount int
	truth     Truth
	planted   map[string]int
	declared  map[genAlias]bool
	serial    int // numbers translations and copies
}

func newGenerator(dir string, opt Options) *generator {
	g := &generator{dir: dir, opt: opt, rng: rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x5111_0c)),
		words: newWordBank(), names: newNameRegistry(), planted: map[string]int{}, declared: map[genAlias]bool{}}
	// Type words are words too: invented words keep three edits from them.
	for _, t := range genOrgTypes {
		if _, ok := g.words.admit(strings.ToLower(t[0]), -1); !ok {
			panic("gen: type word " + t[0] + " is within two edits of another")
		}
	}
	for _, t := range genPlaceTypes {
		if _, ok := g.words.admit(strings.ToLower(t[0]), -1); !ok {
			panic("gen: type word " + t[0] + " is within two edits of another")
		}
	}
	g.truth.Version, g.truth.Seed = Version, opt.Seed
	g.truth.Rates = map[string]int{
		"value_per_mille_of_single_valued_facts": plantValuePerMille,
		"temporal_per_mille_of_relations":        plantTemporalPerMille,
		"name_per_mille_of_organizations":        plantNamePerMille,
		"alias_per_mille_of_organizations":       plantAliasPerMille,
		"distinct_per_mille_of_organizations":    plantDistinctPerMille,
		"translation_per_mille_of_articles":      translationPerMille,
		"copy_per_mille_of_articles":             copyPerMille,
	}
	return g
}

// declare records that source s's claims file declares an alias, and the
// first declaration of each alias in the ground truth.
func (g *generator) declare(s *genSource, al genAlias) {
	s.aliases = append(s.aliases, al)
	if !g.declared[al] {
		g.declared[al] = true
		g.truth.NonConflicts.Aliases = append(g.truth.NonConflicts.Aliases, TruthAlias{al.name, al.entity, al.kind})
	}
}

func (g *generator) chance(perMille int) bool { return g.rng.IntN(1000) < perMille }

func (g *generator) day(lo, hi time.Time) time.Time {
	n := int(hi.Sub(lo).Hours() / 24)
	if n <= 0 {
		return lo
	}
	return lo.AddDate(0, 0, g.rng.IntN(n+1))
}

func (g *generator) person() *genEntity {
	if len(g.persons) > 20 && g.rng.IntN(2) == 0 {
		return g.persons[g.rng.IntN(len(g.persons))]
	}
	p := g.newEntity(entPerson)
	g.persons = append(g.persons, p)
	return p
}

func (g *generator) place() *genEntity {
	if len(g.places) > 30 && g.rng.IntN(4) != 0 {
		return g.places[g.rng.IntN(len(g.places))]
	}
	p := g.newEntity(entPlace)
	g.places = append(g.places, p)
	return p
}

func (g *generator) motto() string {
	n := 3 + g.rng.IntN(3)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = genMottoWords[g.rng.IntN(len(genMottoWords))]
	}
	return strings.Join(ws, " ")
}

// story generates one story: its organizations and facts, its articles,
// their translations and copies, and the ground truth of what it planted.
func (g *generator) story() error {
	g.stories++
	pub := g.day(time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC))
	orgs := make([]*genEntity, 2+g.rng.IntN(3))
	for i := range orgs {
		orgs[i] = g.newEntity(entOrg)
	}
	// Facts with true values.
	for _, o := range orgs {
		founded := g.day(pub.AddDate(-15, 0, 0), pub.AddDate(0, 0, -90))
		g.addFact(o, predFounded).date = founded
		if g.rng.IntN(100) < 55 {
			launched := g.day(founded, founded.AddDate(0, 0, 600))
			g.addFact(o, predLaunched).date = launched
			if g.rng.IntN(100) < 40 {
				g.addFact(o, predMeeting).date = launched
			}
		}
		if g.rng.IntN(100) < 60 {
			g.addFact(o, predStaff).num = int64(40 + g.rng.IntN(20000))
		}
		if g.rng.IntN(100) < 40 {
			g.addFact(o, predBudget).num = int64(10 + g.rng.IntN(5000))
		}
		if g.rng.IntN(100) < 60 {
			g.addFact(o, predSeat).ref = g.place()
		}
		if g.rng.IntN(100) < 60 {
			g.addFact(o, predLeader).ref = g.person()
		}
		if g.rng.IntN(100) < 30 {
			g.addFact(o, predMotto).text = g.motto()
		}
		if g.rng.IntN(100) < 40 {
			f := g.addFact(o, predMember)
			seen := map[*genEntity]bool{}
			for range 2 + g.rng.IntN(3) {
				if p := g.place(); !seen[p] {
					seen[p] = true
					f.values = append(f.values, genValue{ref: p})
				}
			}
		}
		if g.rng.IntN(100) < 30 {
			f := g.addFact(o, predTopic)
			for _, i := range g.rng.Perm(len(genTopics))[:2+g.rng.IntN(2)] {
				f.values = append(f.values, genValue{text: genTopics[i]})
			}
		}
		if g.rng.IntN(100) < 20 {
			f := g.addFact(o, predAudited)
			for range 2 {
				f.values = append(f.values, genValue{date: g.day(founded, pub.AddDate(0, 0, -1))})
			}
			if f.values[0].date.Equal(f.values[1].date) {
				f.values = f.values[:1]
			}
		}
	}
	// Relations, some planted to be contradicted by the dates.
	var relStmts []*genStatement
	for _, x := range orgs {
		launched := x.fact(predLaunched)
		if launched == nil {
			continue
		}
		if meeting := x.fact(predMeeting); meeting != nil && g.rng.IntN(100) < 60 {
			r := &genRelation{op: events.RelSame, to: x, toPred: predLaunched, planted: g.chance(plantTemporalPerMille)}
			if r.planted {
				meeting.date = launched.date.AddDate(0, 0, 400+g.rng.IntN(300))
				meeting.strict, launched.strict = true, true
			}
			meeting.relEnd, launched.relEnd = true, true
			relStmts = append(relStmts, &genStatement{subj: x, fact: meeting, pred: predMeeting, rel: r})
		}
	}
	if x, y := orgs[0], orgs[1]; x.fact(predLaunched) != nil && g.rng.IntN(100) < 70 {
		// x was launched after y was founded. Only y's founding date is
		// moved, and it is the end of no other relation.
		launched, founded := x.fact(predLaunched), y.fact(predFounded)
		r := &genRelation{op: events.RelAfter, to: y, toPred: predFounded, planted: g.chance(plantTemporalPerMille)}
		if r.planted {
			founded.date = launched.date.AddDate(0, 0, 400+g.rng.IntN(500)) // another year
			founded.strict, launched.strict = true, true
		} else {
			founded.date = launched.date.AddDate(0, 0, -g.rng.IntN(900))
		}
		founded.relEnd, launched.relEnd = true, true
		relStmts = append(relStmts, &genStatement{subj: x, fact: launched, pred: predLaunched, rel: r})
	}
	// Planted wrong values.
	for _, o := range orgs {
		for _, f := range o.facts {
			if !f.pred.many && !f.relEnd && g.chance(plantValuePerMille) {
				f.wrong = true
			}
		}
	}
	// The English articles.
	outlets := g.rng.Perm(len(genOutletsEN))[:2+g.rng.IntN(3)]
	var arts []*genSource
	for i, oi := range outlets {
		o := genOutletsEN[oi]
		p := pub.AddDate(0, 0, g.rng.IntN(3))
		arts = append(arts, &genSource{
			id:        fmt.Sprintf("%s-%s-%d", o[0], p.Format("2006-01-02"), g.stories),
			lang:      "en",
			published: p.Format("2006-01-02"),
			pub:       p,
			publisher: o[1],
			title:     fmt.Sprintf("%s and partners: what we know (%d)", orgs[i%len(orgs)].name, g.stories),
			url:       fmt.Sprintf("https://%s.example.com/%s/story-%d", o[0], p.Format("2006/01/02"), g.stories),
		})
	}
	// Each fact is claimed by two or more of the articles.
	for _, o := range orgs {
		for _, f := range o.facts {
			if f.pred.many {
				for _, v := range f.values {
					for _, ai := range g.rng.Perm(len(arts))[:1+g.rng.IntN(2)] {
						st := &genStatement{subj: o, fact: f, pred: f.pred, date: v.date, ref: v.ref, text: v.text}
						g.word(st, arts[ai].pub, f)
						arts[ai].stmts = append(arts[ai].stmts, st)
					}
				}
				continue
			}
			k := 2 + g.rng.IntN(len(arts)-1)
			for n, ai := range g.rng.Perm(len(arts))[:k] {
				st := &genStatement{subj: o, fact: f, pred: f.pred, date: f.date, num: f.num, ref: f.ref, text: f.text}
				if f.wrong && n == 0 {
					g.falsify(st)
					if st.pred.kind == events.KindQuantity {
						if err := incompatibleQuantities(st.pred, f.num, st.num); err != nil {
							return err
						}
					}
				}
				g.word(st, arts[ai].pub, f)
				arts[ai].stmts = append(arts[ai].stmts, st)
			}
		}
	}
	for _, st := range relStmts {
		a := arts[g.rng.IntN(len(arts))]
		st.tmpl = g.rng.IntN(8)
		a.stmts = append(a.stmts, st)
	}
	// Planted look-alike names.
	var names []TruthName
	for _, o := range orgs {
		a := arts[g.rng.IntN(len(arts))]
		founded := o.fact(predFounded)
		switch {
		case g.chance(plantNamePerMille):
			var v, reason string
			ok := false
			for _, kind := range g.rng.Perm(4) {
				switch kind {
				case 0:
					v, ok = g.misspell(o)
					reason = projections.ReasonSpelling
				case 1:
					v, ok = g.reorder(o)
					reason = projections.ReasonWordOrder
				case 2:
					v, ok = g.abbreviate(o)
					reason = projections.ReasonAbbreviation
				case 3:
					v, ok = g.romanize(o)
					reason = projections.ReasonRomanization
				}
				if ok {
					break
				}
			}
			if ok {
				st := &genStatement{subj: o, pred: predFounded, surface: v, asSubject: true, date: founded.date}
				g.word(st, a.pub, founded)
				a.stmts = append(a.stmts, st)
				names = append(names, TruthName{Names: [2]string{o.name, v}, Reason: reason})
				g.planted["name:"+reason]++
			}
		case g.chance(plantFunctionWordPerMille):
			// Two long forms of the name, one function word apart,
			// each taken for an entity of its own.
			if v1, v2, ok := g.functionWords(o); ok {
				for _, v := range []string{v1, v2} {
					st := &genStatement{subj: o, pred: predFounded, surface: v, asSubject: true, date: founded.date}
					g.word(st, a.pub, founded)
					a.stmts = append(a.stmts, st)
				}
				names = append(names, TruthName{Names: [2]string{v1, v2}, Reason: projections.ReasonFunctionWord})
				g.planted["name:"+projections.ReasonFunctionWord]++
			}
		case g.chance(plantAliasPerMille):
			if v, ok := g.misspell(o); ok {
				st := &genStatement{subj: o, fact: founded, pred: predFounded, surface: v, date: founded.date}
				g.word(st, a.pub, founded)
				a.stmts = append(a.stmts, st)
				g.declare(a, genAlias{v, o.name, string(events.AliasMistranslation)})
				g.planted["alias:mistranslation"]++
			}
		case g.chance(plantDistinctPerMille):
			if v, ok := g.misspell(o); ok {
				other := founded.date.AddDate(-1-g.rng.IntN(5), 0, 0)
				st := &genStatement{subj: o, pred: predFounded, surface: v, asSubject: true, date: other}
				g.word(st, a.pub, founded)
				a.stmts = append(a.stmts, st)
				a.aliases = append(a.aliases, genAlias{v, o.name, string(events.AliasDistinct)})
				g.declared[genAlias{v, o.name, string(events.AliasDistinct)}] = true
				g.truth.NonConflicts.Distinct = append(g.truth.NonConflicts.Distinct, TruthName{Names: [2]string{o.name, v}})
				g.planted["distinct"]++
			}
		}
	}
	// Write the articles, then their translations and copies. Articles
	// written independently are kept well below the copy threshold of
	// projections (estimated similarity 0.5): below 0.3, with more
	// sentences that claim nothing where needed.
	var all []*genSource
	for _, a := range arts {
		g.rng.Shuffle(len(a.stmts), func(i, j int) { a.stmts[i], a.stmts[j] = a.stmts[j], a.stmts[i] })
		for range 1 + g.rng.IntN(3) {
			at := g.rng.IntN(len(a.stmts) + 1)
			a.stmts = slices.Insert(a.stmts, at, &genStatement{filler: true, tmpl: g.rng.IntN(1 << 20)})
		}
		g.render(a)
		all = append(all, a)
	}
	var translations []*genSource
	for _, a := range arts {
		if g.chance(translationPerMille) {
			t := g.translate(a)
			translations = append(translations, t)
			g.truth.NonConflicts.Translations = append(g.truth.NonConflicts.Translations, TruthSource{t.id, a.id})
		}
	}
	all = append(all, translations...)
	if err := g.keepApart(all); err != nil {
		return err
	}
	for _, a := range arts {
		if g.chance(copyPerMille) {
			c, err := g.copyOf(a)
			if err != nil {
				return err
			}
			all = append(all, c)
			g.truth.NonConflicts.Copies = append(g.truth.NonConflicts.Copies, TruthSource{c.id, a.id})
		}
	}
	// The ground truth of the story.
	g.truth.Conflicts.Name = append(g.truth.Conflicts.Name, names...)
	for _, o := range orgs {
		for _, f := range o.facts {
			g.facts++
			if f.wrong {
				g.truth.Conflicts.Value = append(g.truth.Conflicts.Value, TruthValue{Subject: o.name, Predicate: f.pred.name, Wrong: f.wrongIDs})
				g.planted["value:"+string(f.pred.kind)]++
				continue
			}
			if len(f.precs) > 1 {
				g.truth.NonConflicts.Refinements = append(g.truth.NonConflicts.Refinements, TruthFact{o.name, f.pred.name, f.dated})
			}
			if len(f.langPair) == 2 {
				g.truth.NonConflicts.Languages = append(g.truth.NonConflicts.Languages, TruthFact{o.name, f.pred.name, f.langPair})
			}
		}
	}
	for _, st := range relStmts {
		if !st.rel.planted {
			continue
		}
		from, to := st.fact, st.rel.to.fact(st.rel.toPred)
		if len(st.fact.rels) > 0 {
			g.planted["temporal:"+string(st.rel.op)]++
		}
		for _, r := range from.rels {
			for _, x := range from.dated {
				for _, y := range to.dated {
					g.truth.Conflicts.Temporal = append(g.truth.Conflicts.Temporal, TruthTemporal{Relation: r, Dates: [2]string{x, y}})
				}
			}
		}
	}
	for _, s := range all {
		if err := g.writeSource(s); err != nil {
			return err
		}
	}
	return nil
}

func (e *genEntity) fact(p *genPred) *genFact {
	for _, f := range e.facts {
		if f.pred == p {
			return f
		}
	}
	return nil
}

func (g *generator) addFact(e *genEntity, p *genPred) *genFact {
	f := &genFact{ent: e, pred: p, precs: map[string]bool{}}
	e.facts = append(e.facts, f)
	return f
}

// falsify makes a statement give a value incompatible with the fact's.
func (g *generator) falsify(st *genStatement) {
	st.wrong = true
	switch st.pred.kind {
	case events.KindDate:
		st.date = st.date.AddDate(3+g.rng.IntN(3), g.rng.IntN(12), 0)
	case events.KindQuantity:
		// At least three times the true number, and written "about" with
		// two significant digits: "~20,000" has one (10,000 to 30,000 by
		// the rule of ~) and might cover the truth.
		w := st.num*3 + 7 + g.rng.Int64N(st.num+1)
		for !twoSignificant(st.pred, w) {
			w++
		}
		st.num = w
	case events.KindEntity:
		for st.ref == st.fact.ref {
			if st.pred == predLeader {
				st.ref = g.person()
			} else {
				st.ref = g.place()
			}
		}
	case events.KindText:
		for projections.NameKey(st.text) == projections.NameKey(st.fact.text) {
			st.text = g.motto()
		}
	}
}

// twoSignificant reports whether n, written "about" as quantity writes it,
// keeps two significant digits (a last digit that is not zero).
func twoSignificant(p *genPred, n int64) bool {
	if p == predBudget {
		m := (n + 5) / 10 // whole millions
		return m >= 10 && m%10 != 0
	}
	d := strconv.FormatInt(round2(n), 10)
	return len(d) >= 2 && d[1] != '0'
}

// incompatibleQuantities checks a planted wrong number against the true one
// in every form either may be written in.
func incompatibleQuantities(p *genPred, truth, wrong int64) error {
	forms := []int{numExact, numApprox}
	if p == predBudget {
		forms = append(forms, numScaled)
	}
	for _, f := range forms {
		for _, g := range forms {
			x, _ := quantity(&genStatement{pred: p, num: truth, form: f}, "en")
			y, _ := quantity(&genStatement{pred: p, num: wrong, form: g}, "en")
			qx, err1 := events.ParseQuantity(x)
			qy, err2 := events.ParseQuantity(y)
			if err1 != nil || err2 != nil || qx.Compatible(qy) {
				return fmt.Errorf("gen: planted wrong %s %q is compatible with the true %q (a generator bug)", p.name, y, x)
			}
		}
	}
	return nil
}

// word picks the wording of a statement: the template, and the form of a
// date or number.
func (g *generator) word(st *genStatement, pub time.Time, f *genFact) {
	st.tmpl = g.rng.IntN(8)
	switch st.pred.kind {
	case events.KindDate:
		st.form = g.chooseDateForm(st.date, pub, f != nil && f.strict)
	case events.KindQuantity:
		switch x := g.rng.IntN(100); {
		case x < 55:
			st.form = numExact
		case x < 80 || st.pred == predStaff:
			st.form = numApprox
		default:
			st.form = numScaled
		}
	case events.KindText:
		if st.pred == predMotto && g.rng.IntN(3) == 0 {
			st.text = capitalize(st.text) + "!" // the same text after normalization
		}
	}
}

// render writes an article's sentences and claims.
func (g *generator) render(s *genSource) {
	for _, st := range s.stmts {
		if st.filler {
			s.sentences = append(s.sentences, filler(s.lang, st.tmpl))
			s.claimOf = append(s.claimOf, -1)
			continue
		}
		sentence, c := g.statement(s, st)
		s.sentences = append(s.sentences, sentence)
		s.claimOf = append(s.claimOf, len(s.claims))
		s.claims = append(s.claims, c)
	}
}

// filler returns a sentence that claims nothing, chosen by seed.
func filler(lang string, seed int) string {
	rng := rand.New(rand.NewPCG(uint64(seed), 7))
	words, sep := genFillerEN, " "
	switch lang {
	case "ja":
		words, sep = genFillerJA, ""
	case "ko":
		words = genFillerKO
	}
	n := 8 + rng.IntN(8)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = words[rng.IntN(len(words))]
	}
	return capitalize(strings.Join(ws, sep)) // a no-op but for English
}

// statement renders one statement in s's language and records its claim.
func (g *generator) statement(s *genSource, st *genStatement) (string, *genClaim) {
	g.nextClaim++
	c := &genClaim{id: fmt.Sprintf("c%07d", g.nextClaim), source: s.id, subject: st.subj.name, pred: st.pred.name}
	surface := st.subj.name
	switch {
	case st.asSubject:
		surface, c.subject = st.surface, st.surface
	case st.surface != "":
		surface, c.as = st.surface, st.surface
	case s.lang == "ja":
		surface, c.as = st.subj.ja, st.subj.ja
		g.declare(s, genAlias{st.subj.ja, st.subj.name, string(events.AliasTranslation)})
	case s.lang == "ko":
		surface, c.as = st.subj.ko, st.subj.ko
		g.declare(s, genAlias{st.subj.ko, st.subj.name, string(events.AliasTranslation)})
	}
	var tmpl string
	r := strings.NewReplacer()
	if st.rel != nil {
		ts := genRelTemplates[s.lang][st.rel.op]
		tmpl = ts[st.tmpl%len(ts)]
		target := st.rel.to.name
		switch s.lang {
		case "ja":
			target = st.rel.to.ja
		case "ko":
			target = st.rel.to.ko
		}
		r = strings.NewReplacer("{S}", surface, "{T}", target)
		c.rel = st.rel
	} else {
		ts := genTemplates[s.lang][st.pred]
		tmpl = ts[st.tmpl%len(ts)]
		switch st.pred.kind {
		case events.KindDate:
			var phrase string
			switch s.lang {
			case "ja":
				c.value = jaDate(st.date, st.form)
				phrase = c.value
			case "ko":
				c.value = koDate(st.date, st.form)
				phrase = c.value
			default:
				c.value, phrase = enDate(st.date, st.form)
			}
			r = strings.NewReplacer("{S}", surface, "{D}", phrase)
		case events.KindQuantity:
			var n string
			c.value, n = quantity(st, s.lang)
			r = strings.NewReplacer("{S}", surface, "{Q}", n)
		case events.KindEntity:
			c.value = st.ref.name
			e := st.ref.name
			switch s.lang {
			case "ja":
				c.value, e = st.ref.ja, st.ref.ja
				g.declare(s, genAlias{st.ref.ja, st.ref.name, string(events.AliasTranslation)})
			case "ko":
				c.value, e = st.ref.ko, st.ref.ko
				g.declare(s, genAlias{st.ref.ko, st.ref.name, string(events.AliasTranslation)})
			}
			r = strings.NewReplacer("{S}", surface, "{E}", e)
		case events.KindText:
			c.value = st.text
			r = strings.NewReplacer("{S}", surface, "{T}", st.text)
		}
	}
	sentence := r.Replace(tmpl)
	if s.lang == "en" {
		sentence = capitalize(sentence)
	}
	c.quote = sentence
	// The ground truth.
	if f := st.fact; f != nil && !st.asSubject {
		switch {
		case st.rel != nil:
			f.rels = append(f.rels, c.id)
		default:
			f.dated = append(f.dated, c.id)
			if st.wrong {
				f.wrongIDs = append(f.wrongIDs, c.id)
			}
			switch st.pred.kind {
			case events.KindDate:
				f.precs[datePrecision(st.form)] = true
			case events.KindQuantity:
				f.precs[numPrecision(st.form)] = true
			}
		}
	}
	return sentence, c
}

// translate makes a Japanese or Korean translation of an article. It
// translates the statements about the story's organizations; look-alike
// names stay out of it.
func (g *generator) translate(a *genSource) *genSource {
	lang, outlets := "ja", genOutletsJA
	if g.rng.IntN(2) == 0 {
		lang, outlets = "ko", genOutletsKO
	}
	o := outlets[g.rng.IntN(len(outlets))]
	g.serial++
	t := &genSource{
		id:            fmt.Sprintf("%s-%s-%d-%s%d", o[0], a.pub.Format("2006-01-02"), g.stories, lang, g.serial),
		lang:          lang,
		pub:           a.pub,
		publisher:     o[1],
		translationOf: a.id,
		title:         a.title + " (" + lang + ")",
		url:           fmt.Sprintf("https://%s.example.org/%s/%d", o[0], a.pub.Format("20060102"), g.stories),
		translator:    "DeepL (machine translation)",
	}
	t.published = a.published
	if lang == "ja" {
		t.published = a.pub.Format("2006-01-02") + "T09:10:00+09:00"
		t.translator = "staff translator"
	}
	for _, st := range a.stmts {
		if !st.asSubject && st.surface == "" {
			t.stmts = append(t.stmts, st)
		}
	}
	g.render(t)
	// Pairs of one date written in two languages, for the ground truth.
	for i, st := range t.stmts {
		if st.filler || st.rel != nil || st.pred.kind != events.KindDate || st.pred.many || st.fact == nil {
			continue
		}
		if st.form == dateDay || st.form == dateDayAlt || st.form == dateISO {
			orig := a.claims[a.claimOf[slices.Index(a.stmts, st)]]
			st.fact.langPair = []string{orig.id, t.claims[t.claimOf[i]].id}
		}
	}
	return t
}

// Similarity bounds the generator keeps to, on projections' own estimate:
// sources written independently stay below maxIndependentSimilarity,
// copies stay at or above minCopySimilarity (the checker's threshold is 0.5).
const (
	maxIndependentSimilarity = 0.3
	minCopySimilarity        = 0.7
)

func sketchOf(s *genSource) (projections.Sketch, error) {
	text, err := sources.Text([]byte(s.text()))
	if err != nil {
		return projections.Sketch{}, err
	}
	return projections.SketchText(text), nil
}

// keepApart adds sentences that claim nothing to sources written
// independently until every pair of them is estimated below
// maxIndependentSimilarity.
func (g *generator) keepApart(srcs []*genSource) error {
	sk := make([]projections.Sketch, len(srcs))
	for i, s := range srcs {
		var err error
		if sk[i], err = sketchOf(s); err != nil {
			return err
		}
	}
	for i := range srcs {
		for j := i + 1; j < len(srcs); j++ {
			for n := 0; sk[i].Similarity(sk[j]) >= maxIndependentSimilarity; n++ {
				if n == 50 {
					return fmt.Errorf("gen: sources %s and %s stay alike (a generator bug)", srcs[i].id, srcs[j].id)
				}
				s := srcs[j]
				s.sentences = append(s.sentences, filler(s.lang, g.rng.IntN(1<<20)))
				s.claimOf = append(s.claimOf, -1)
				var err error
				if sk[j], err = sketchOf(s); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// copyOf makes another outlet's near-verbatim copy of an article: a new
// headline and, in a long enough article, one sentence rewritten; the same
// quotes.
func (g *generator) copyOf(a *genSource) (*genSource, error) {
	var o [2]string
	for {
		o = genOutletsEN[g.rng.IntN(len(genOutletsEN))]
		if !strings.HasPrefix(a.id, o[0]+"-") {
			break
		}
	}
	g.serial++
	c := &genSource{
		id:        fmt.Sprintf("%s-%s-%d-copy%d", o[0], a.pub.Format("2006-01-02"), g.stories, g.serial),
		lang:      "en",
		published: a.published,
		pub:       a.pub,
		publisher: o[1],
		title:     "Republished: " + a.title,
		url:       fmt.Sprintf("https://%s.example.com/syndicated/%d", o[0], g.stories),
		aliases:   slices.Clone(a.aliases),
	}
	c.stmts = slices.Clone(a.stmts)
	g.render(c) // the claims, in the order of a's
	c.sentences, c.claimOf = slices.Clone(a.sentences), slices.Clone(a.claimOf)
	orig, err := sketchOf(a)
	if err != nil {
		return nil, err
	}
	// Rewrite one sentence that claims nothing, if the copy stays a copy.
	for i, ci := range c.claimOf {
		if ci >= 0 {
			continue
		}
		was := c.sentences[i]
		c.sentences[i] = filler(c.lang, g.rng.IntN(1<<20))
		if sk, err := sketchOf(c); err != nil {
			return nil, err
		} else if sk.Similarity(orig) < minCopySimilarity {
			c.sentences[i] = was
		}
		break
	}
	if sk, err := sketchOf(c); err != nil {
		return nil, err
	} else if sim := sk.Similarity(orig); sim < minCopySimilarity {
		return nil, fmt.Errorf("gen: copy %s of %s is only %.2f similar (a generator bug)", c.id, a.id, sim)
	}
	return c, nil
}

// text returns a source's document.
func (s *genSource) text() string {
	var b strings.Builder
	b.WriteString(s.title)
	b.WriteString("\n\n")
	end, sep := ".", " "
	switch s.lang {
	case "ja":
		end, sep = "。", ""
	}
	for i, sen := range s.sentences {
		b.WriteString(sen)
		b.WriteString(end)
		if i%4 == 3 {
			b.WriteString("\n\n")
		} else if i < len(s.sentences)-1 {
			b.WriteString(sep)
		}
	}
	b.WriteString("\n")
	return b.String()
}

// writeSource writes a source's document, adds it to the manifest and its
// claims to the current claims file.
func (g *generator) writeSource(s *genSource) error {
	file := "sources/" + s.id + ".txt"
	text := s.text()
	if norm, err := sources.Text([]byte(text)); err != nil {
		return fmt.Errorf("gen: source %s: %w", s.id, err)
	} else {
		for _, c := range s.claims {
			if !strings.Contains(norm, sources.Normalize(c.quote)) {
				return fmt.Errorf("gen: source %s: quote %q is not in the text (a generator bug)", s.id, c.quote)
			}
		}
	}
	if err := os.WriteFile(filepath.Join(g.dir, file), []byte(text), 0o644); err != nil {
		return err
	}
	g.manifest = append(g.manifest, sources.ManifestEntry{
		File: file, ID: s.id, Title: s.title, URL: s.url, Publisher: s.publisher, Lang: s.lang,
		Published: s.published, Retrieved: "2026-01-15", TranslationOf: s.translationOf, Translator: s.translator,
	})
	g.claims += len(s.claims)
	g.fileSrcs = append(g.fileSrcs, s)
	n := 0
	for _, fs := range g.fileSrcs {
		n += len(fs.claims)
	}
	if n >= g.opt.ClaimsPerFile {
		return g.flushClaims()
	}
	return nil
}

// yq quotes a string for YAML: a JSON string is a YAML double-quoted
// scalar.
func yq(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// flushClaims writes the claims of the sources gathered so far as one
// claims file. The first file defines the predicates.
func (g *generator) flushClaims() error {
	if len(g.fileSrcs) == 0 {
		return nil
	}
	g.fileCount++
	ext := "yaml"
	if g.opt.JSON {
		ext = "json"
	}
	name := filepath.Join(g.dir, "claims", fmt.Sprintf("%05d.%s", g.fileCount, ext))
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if g.opt.JSON {
		g.writeJSONClaims(w)
	} else {
		g.writeYAMLClaims(w)
	}
	g.fileSrcs = g.fileSrcs[:0]
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeYAMLClaims writes the claims of the sources gathered as YAML.
func (g *generator) writeYAMLClaims(w *bufio.Writer) {
	fmt.Fprintf(w, "# Generated by sillok gen (version %d, seed %d): claims of %d sources.\n", Version, g.opt.Seed, len(g.fileSrcs))
	fmt.Fprintf(w, "source: %s\n", yq(g.fileSrcs[0].id))
	if g.fileCount == 1 {
		w.WriteString("predicates:\n")
		for _, p := range genPredicates {
			many := ""
			if p.many {
				many = ", many: true"
			}
			fmt.Fprintf(w, "  - {name: %s, kind: %s%s}\n", yq(p.name), p.kind, many)
		}
	}
	seen := map[genAlias]bool{}
	first := true
	for _, s := range g.fileSrcs {
		for _, al := range s.aliases {
			if seen[al] {
				continue
			}
			seen[al] = true
			if first {
				w.WriteString("aliases:\n")
				first = false
			}
			fmt.Fprintf(w, "  - {name: %s, entity: %s, kind: %s}\n", yq(al.name), yq(al.entity), al.kind)
		}
	}
	w.WriteString("claims:\n")
	for _, s := range g.fileSrcs {
		for _, c := range s.claims {
			fmt.Fprintf(w, "  - id: %s\n", c.id)
			if s != g.fileSrcs[0] {
				fmt.Fprintf(w, "    source: %s\n", c.source)
			}
			fmt.Fprintf(w, "    subject: %s\n", yq(c.subject))
			if c.as != "" {
				fmt.Fprintf(w, "    as: %s\n", yq(c.as))
			}
			fmt.Fprintf(w, "    predicate: %s\n", yq(c.pred))
			if c.rel != nil {
				fmt.Fprintf(w, "    value: {%s: {subject: %s, predicate: %s}}\n", c.rel.op, yq(c.rel.to.name), yq(c.rel.toPred.name))
			} else {
				fmt.Fprintf(w, "    value: %s\n", yq(c.value))
			}
			fmt.Fprintf(w, "    quote: %s\n", yq(c.quote))
		}
	}
}

// aliasesOf returns the aliases of the sources gathered, each once, in
// order.
func (g *generator) aliasesOf() []genAlias {
	seen := map[genAlias]bool{}
	var out []genAlias
	for _, s := range g.fileSrcs {
		for _, al := range s.aliases {
			if !seen[al] {
				seen[al] = true
				out = append(out, al)
			}
		}
	}
	return out
}

// writeJSONClaims writes the claims of the sources gathered as JSON, one
// claim a line.
func (g *generator) writeJSONClaims(w *bufio.Writer) {
	fmt.Fprintf(w, "{\"source\": %s", yq(g.fileSrcs[0].id))
	if g.fileCount == 1 {
		w.WriteString(",\n\"predicates\": [")
		for i, p := range genPredicates {
			if i > 0 {
				w.WriteString(",")
			}
			many := ""
			if p.many {
				many = ", \"many\": true"
			}
			fmt.Fprintf(w, "\n  {\"name\": %s, \"kind\": %s%s}", yq(p.name), yq(string(p.kind)), many)
		}
		w.WriteString("]")
	}
	if aliases := g.aliasesOf(); len(aliases) > 0 {
		w.WriteString(",\n\"aliases\": [")
		for i, al := range aliases {
			if i > 0 {
				w.WriteString(",")
			}
			fmt.Fprintf(w, "\n  {\"name\": %s, \"entity\": %s, \"kind\": %s}", yq(al.name), yq(al.entity), yq(string(al.kind)))
		}
		w.WriteString("]")
	}
	w.WriteString(",\n\"claims\": [")
	first := true
	for _, s := range g.fileSrcs {
		for _, c := range s.claims {
			if !first {
				w.WriteString(",")
			}
			first = false
			fmt.Fprintf(w, "\n  {\"id\": %s", yq(c.id))
			if s != g.fileSrcs[0] {
				fmt.Fprintf(w, ", \"source\": %s", yq(string(c.source)))
			}
			fmt.Fprintf(w, ", \"subject\": %s", yq(c.subject))
			if c.as != "" {
				fmt.Fprintf(w, ", \"as\": %s", yq(c.as))
			}
			fmt.Fprintf(w, ", \"predicate\": %s", yq(c.pred))
			if c.rel != nil {
				fmt.Fprintf(w, ", \"value\": {%s: {\"subject\": %s, \"predicate\": %s}}", yq(string(c.rel.op)), yq(c.rel.to.name), yq(c.rel.toPred.name))
			} else {
				fmt.Fprintf(w, ", \"value\": %s", yq(c.value))
			}
			fmt.Fprintf(w, ", \"quote\": %s}", yq(c.quote))
		}
	}
	w.WriteString("]}\n")
}

// finish writes the last claims file, the manifest and the ground truth.
func (g *generator) finish() error {
	if err := g.flushClaims(); err != nil {
		return err
	}
	mf, err := yaml.Marshal(g.manifest)
	if err != nil {
		return err
	}
	head := fmt.Sprintf("# Generated by sillok gen (version %d, seed %d, %d claims): the sources, in load order.\n", Version, g.opt.Seed, g.claims)
	if err := os.WriteFile(filepath.Join(g.dir, "sources.yaml"), append([]byte(head), mf...), 0o644); err != nil {
		return err
	}
	t := &g.truth
	t.Claims, t.Sources, t.Facts = g.claims, len(g.manifest), g.facts
	tb, err := yaml.Marshal(t)
	if err != nil {
		return err
	}
	head = "# Generated by sillok gen: the contradictions it planted (conflicts) and the agreements\n# that must not be flagged (non_conflicts). Claims are named by id.\n"
	return os.WriteFile(filepath.Join(g.dir, "truth.yaml"), append([]byte(head), tb...), 0o644)
}

func (g *generator) summary() Summary {
	t := &g.truth
	p := map[string]int{
		"value":        len(t.Conflicts.Value),
		"temporal":     len(t.Conflicts.Temporal),
		"name":         len(t.Conflicts.Name),
		"refinements":  len(t.NonConflicts.Refinements),
		"languages":    len(t.NonConflicts.Languages),
		"aliases":      len(t.NonConflicts.Aliases),
		"distinct":     len(t.NonConflicts.Distinct),
		"translations": len(t.NonConflicts.Translations),
		"copies":       len(t.NonConflicts.Copies),
	}
	return Summary{Dir: g.dir, Claims: g.claims, Sources: len(g.manifest), ClaimsFiles: g.fileCount,
		Facts: g.facts, Entities: g.entities, Planted: p, ByKind: g.planted}
}

// ---------------------------------------------------------------------------
// Reading a generated set back.

// ReadManifest reads dir/sources.yaml, the manifest Generate wrote, in load
// order.
func ReadManifest(dir string) ([]sources.ManifestEntry, error) {
	name := filepath.Join(dir, "sources.yaml")
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var manifest []sources.ManifestEntry
	if err := yaml.Unmarshal(data, &manifest); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return manifest, nil
}

// ClaimsFiles lists the claims files Generate wrote in dir, in load order
// (the first one defines the predicates).
func ClaimsFiles(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "claims", "*.yaml"))
	if err != nil {
		return nil, err
	}
	json, err := filepath.Glob(filepath.Join(dir, "claims", "*.json"))
	files = append(files, json...)
	slices.Sort(files)
	return files, err
}

// ReadTruth reads dir/truth.yaml, the ground truth Generate wrote.
func ReadTruth(dir string) (*Truth, error) {
	name := filepath.Join(dir, "truth.yaml")
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var t Truth
	if err := yaml.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &t, nil
}
