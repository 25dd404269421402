package projections

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Two kinds of name question that a machine translation or a romanization
// makes, each found through a blocking key of its own (NameIndex keeps a
// map from key to names, so a name meets only the names with its key):
//
//   - a changed function word: names of four or more words, the same but
//     for one or more function words ("of", "for", "the", …) in the same
//     places: "Declaration for the Future of the Internet" / "Declaration
//     of the Future of the Internet". The key is the name with each
//     function word replaced by one placeholder.
//   - a romanization variant: names that are plausibly romanized Korean or
//     Japanese and have the same romanization key: "Yoon Suk-yeol" / "Yoon
//     Seok-youl", "Choi" / "Choe" in a name, "Tōkyō" / "Tokyo" /
//     "Toukyou" / "Tohkyoh". See romanKey for the rules and the gate.

// Reasons of the two kinds.
const (
	ReasonFunctionWord = "function word"
	ReasonRomanization = "romanization"
)

// functionWords are the words a translation engine changes in a long name
// without changing what it names.
var functionWords = map[string]bool{
	"of": true, "for": true, "on": true, "in": true, "the": true, "and": true, "to": true,
	"at": true, "by": true, "from": true, "with": true, "a": true, "an": true, "into": true,
	"over": true, "against": true, "between": true, "about": true, "towards": true, "toward": true,
}

// minFunctionWordName is the fewest words a name needs for a changed
// function word to be a question: "Bank of Korea" / "Bank for Korea" are
// too short to tell.
const minFunctionWordName = 4

// functionKey is words with each function word replaced by a placeholder,
// when words is a name of minFunctionWordName or more words with at least
// one function word and two other words; else "".
func functionKey(words []string) string {
	if len(words) < minFunctionWordName {
		return ""
	}
	fn, other := 0, 0
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		if functionWords[w] {
			fn++
			b.WriteByte(0)
			continue
		}
		other++
		b.WriteString(w)
	}
	if fn == 0 || other < 2 {
		return ""
	}
	return b.String()
}

// functionWordVariant reports two names with one function key whose
// function words differ.
func functionWordVariant(x, y *nameEntry) (Resemblance, bool) {
	if x.fnKey == "" || x.fnKey != y.fnKey || len(x.words) != len(y.words) {
		return Resemblance{}, false
	}
	var diffs []string
	for i, u := range x.words {
		if v := y.words[i]; u != v {
			diffs = append(diffs, fmt.Sprintf("%q / %q", min(u, v), max(u, v))) // either way round, one detail
		}
	}
	if len(diffs) == 0 {
		return Resemblance{}, false
	}
	return Resemblance{Reason: ReasonFunctionWord, Detail: "function words changed: " + strings.Join(diffs, ", ")}, true
}

// Syllable shapes. A word is plausibly romanized Korean when it splits into
// syllables of Revised Romanization or McCune–Reischauer (an initial, a
// vowel with its glide, a final), and plausibly romanized Japanese when it
// splits into Hepburn morae (with long vowels written with a macron, ou, oh,
// oo, uu, and doubled consonants).
var (
	koreanWord   = regexp.MustCompile(`^(?:(?:kk|tt|pp|ss|jj|ch|k|g|n|d|t|r|l|m|b|p|s|j|h)?(?:y|w)?(?:eo|eu|ae|oe|ui|oo|ou|ee|a|e|i|o|u|ŏ|ŭ)(?:ng|ck|k|n|l|m|p|t|g|b|d|r|h)?)+$`)
	japaneseWord = regexp.MustCompile(`^(?:(?:kk|ss|tt|pp|tch|cch|ky|gy|sh|ch|ny|hy|my|ry|by|py|ts|k|g|s|z|j|t|d|n|h|f|b|p|m|y|r|w)?(?:a|i|u|e|o|ā|ī|ū|ē|ō|â|î|û|ê|ô)(?:u|h|o|i)?n?)+$`)
)

// romanSurnames maps each romanization of a Korean surname (and a few
// Japanese name words written several ways) to one form. Sources: the
// National Institute of Korean Language's survey of surname romanizations
// (2009) and the spellings in common use in English-language news.
var romanSurnames = surnameTable(map[string]string{
	"lee": "lee yi rhee rhie ri i", "park": "park pak bak bahk", "choi": "choi choe chey",
	"jeong": "jeong chung jung chong cheong", "kwon": "kwon gwon", "kim": "kim gim ghim",
	"kang": "kang gang", "cho": "cho jo joh", "yoon": "yoon yun youn", "jang": "jang chang",
	"lim": "lim im rim yim", "han": "han hahn", "oh": "oh o", "seo": "seo suh so",
	"shin": "shin sin", "hwang": "hwang whang", "ahn": "ahn an", "ryu": "ryu yu yoo ryoo",
	"jeon": "jeon chun jun chon", "ko": "ko go koh goh", "moon": "moon mun", "son": "son sohn",
	"bae": "bae pae", "baek": "baek paik paek baik", "heo": "heo hur huh", "noh": "noh roh no ro",
	"kwak": "kwak gwak", "seong": "seong sung", "woo": "woo wu", "jin": "jin chin", "na": "na ra",
})

// surnameTable maps every form of forms (canonical form → its forms, space
// separated) to its canonical form.
func surnameTable(forms map[string]string) map[string]string {
	t := map[string]string{}
	for canon, fs := range forms {
		for _, f := range strings.Fields(fs) {
			t[f] = canon
		}
	}
	return t
}

// romanKey is the romanization key of a name whose NameKey words are words
// and whose original is name, or "" when the name is not shaped like
// romanized Korean or Japanese: every word must be a syllable shape
// (Korean or Japanese) or, first in the name, a surname of the table. So
// "US", "Iran", "2023 summit" and English words with letters no
// romanization writes (q, v, x, c alone, final s) have no key. sign
// reports whether the name shows a sign of romanization: a surname of the
// table before another word, a given name written with a hyphen between
// syllables ("Suk-yeol"), a long-vowel mark, or a romanization digraph
// (eo, eu, ae, ou, uu, yeo, kyo, ryu, ryo, tsu, shi, chi, a final oh). Two
// names are a romanization question when their keys are equal and one of
// them shows a sign: "Rome" and "Lome" show none and stay quiet.
//
// The key: a surname of the table is its one form; every other word is
// lower-cased, its vowel marks dropped, a final h after a vowel dropped,
// then ee→i, ae→e, eo/eu/oo/ou/oh/u→o, wh→hw, ck→k, ch→j, k/g→k, p/b→p,
// t/d→t, r/l→l and doubled letters made single; the words are joined
// without spaces, so hyphens and spaces inside a given name do not count.
func romanKey(name string, words []string) (key string, sign bool) {
	return romanKeyCached(name, words, nil)
}

// romanWord is a word of a name as the romanization key reads it: ok when
// it is a syllable shape, its folded form, and whether it shows a sign.
type romanWord struct {
	ok, sign bool
	folded   string
}

// readRomanWord reads w, a word that is neither generic nor a leading
// surname.
func readRomanWord(w string) romanWord {
	for _, r := range w {
		if r > unicode.MaxASCII && !strings.ContainsRune("āīūēōâîûêôŏŭ", r) {
			return romanWord{}
		}
	}
	if !koreanWord.MatchString(w) && !japaneseWord.MatchString(w) {
		return romanWord{}
	}
	plain := stripMarks(w)
	return romanWord{ok: true, sign: plain != w || hasDigraph(plain), folded: romanFold(plain)}
}

// romanKeyCached is romanKey with each word's reading remembered in cache
// (nil: not remembered): a name index meets the same words again and again.
func romanKeyCached(name string, words []string, cache map[string]romanWord) (key string, sign bool) {
	if len(words) == 0 || len(words) > 5 {
		return "", false
	}
	var b strings.Builder
	romanized := 0
	for i, w := range words {
		if genericWords[w] {
			// "Hyundai Motor", "Kamōru Forum": kept as written.
			b.WriteString(w)
			b.WriteByte('.')
			continue
		}
		romanized++
		if s, ok := romanSurnames[w]; ok && i == 0 {
			b.WriteString(s)
			b.WriteByte('.')
			if len(words) > 1 {
				sign = true
			}
			continue
		}
		rw, cached := cache[w]
		if !cached {
			rw = readRomanWord(w)
			if cache != nil {
				cache[w] = rw
			}
		}
		if !rw.ok {
			return "", false
		}
		sign = sign || rw.sign
		b.WriteString(rw.folded)
	}
	if romanized == 0 {
		return "", false
	}
	if hyphenatedSyllables(name) {
		sign = true
	}
	return b.String(), sign
}

// RomanizationKey is the romanization key of name ("" when the name is not
// shaped like romanized Korean or Japanese), whether or not the name shows
// a sign of romanization: two names with one key are a name question when
// either shows one. The generator keeps its invented names apart by it.
func RomanizationKey(name string) string {
	key, _ := romanKey(name, strings.Fields(NameKey(name)))
	return key
}

// genericWords are English words of institution and place names that a
// romanized name keeps as they are ("Hyundai Motor", "Tokyo Station").
var genericWords = map[string]bool{
	"council": true, "forum": true, "bureau": true, "consortium": true, "network": true, "authority": true,
	"initiative": true, "society": true, "trust": true, "union": true, "city": true, "port": true,
	"province": true, "valley": true, "summit": true, "group": true, "bank": true, "university": true,
	"motor": true, "motors": true, "electronics": true, "corporation": true, "company": true, "party": true,
	"ministry": true, "agency": true, "foundation": true, "institute": true, "center": true, "centre": true,
	"airport": true, "station": true, "river": true, "mountain": true, "island": true, "temple": true,
	"palace": true, "shrine": true, "prefecture": true, "county": true, "district": true, "bridge": true,
	"tower": true, "hospital": true, "school": true, "association": true, "federation": true,
	"committee": true, "news": true, "times": true, "daily": true, "herald": true,
}

var romanDigraphs = []string{"eo", "eu", "ae", "ou", "uu", "yeo", "kyo", "ryu", "ryo", "tsu", "shi", "chi"}

func hasDigraph(w string) bool {
	for _, d := range romanDigraphs {
		if strings.Contains(w, d) {
			return true
		}
	}
	return strings.HasSuffix(w, "oh") && len(w) > 3
}

// hyphenatedSyllables reports whether name writes a hyphen between two
// lower-case letters ("Suk-yeol", "Jong-un"), as Korean given names are
// written; "Korea-US" is not.
func hyphenatedSyllables(name string) bool {
	rs := []rune(name)
	for i := 1; i+1 < len(rs); i++ {
		if rs[i] == '-' && unicode.IsLower(rs[i-1]) && unicode.IsLower(rs[i+1]) {
			return true
		}
	}
	return false
}

// stripMarks drops the combining marks of w's decomposition: ō → o.
func stripMarks(w string) string {
	d := norm.NFD.String(w)
	var b strings.Builder
	for _, r := range d {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var romanReplacer = strings.NewReplacer(
	"ee", "i", "ae", "e", "eo", "o", "eu", "o", "oo", "o", "ou", "o", "uu", "o",
	"wh", "hw", "ck", "k", "ch", "j", "g", "k", "b", "p", "d", "t", "r", "l", "u", "o",
)

// romanFold applies the key's letter rules to a word without marks.
func romanFold(w string) string {
	// "oh" is a long o before a consonant or at the end ("Tohkyoh"), not
	// before a vowel ("Ohio" keeps it).
	var b strings.Builder
	for i := 0; i < len(w); i++ {
		if w[i] == 'h' && i > 0 && w[i-1] == 'o' && (i+1 == len(w) || !strings.ContainsRune("aeiouy", rune(w[i+1]))) {
			continue
		}
		b.WriteByte(w[i])
	}
	t := b.String()
	if n := len(t); n > 2 && t[n-1] == 'h' && strings.IndexByte("aeiu", t[n-2]) >= 0 {
		t = t[:n-1] // "Hankyoreh"
	}
	s := romanReplacer.Replace(t)
	s = romanReplacer.Replace(s) // "eoo" and the like, once more
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if i > 0 && s[i] == s[i-1] {
			continue
		}
		out = append(out, s[i])
	}
	return string(out)
}

// romanizationVariant reports two different names with one romanization
// key.
func romanizationVariant(x, y *nameEntry) (Resemblance, bool) {
	if x.romKey == "" || x.romKey != y.romKey || !x.romSign && !y.romSign {
		return Resemblance{}, false
	}
	return Resemblance{Reason: ReasonRomanization, Detail: "the same name in another romanization"}, true
}
