package projections_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sillok/sillok/projections"
)

func TestNameKey(t *testing.T) {
	tests := []struct {
		name  string
		names []string // all have key want
		want  string
	}{
		{"PunctuationDropped", []string{"Washington DC", "Washington, D.C.", "washington d.c.", "  WASHINGTON   DC "}, "washington dc"},
		{"HyphenIsSpace", []string{"Kim Jong-un", "Kim Jong Un", "kim  jong–un"}, "kim jong un"},
		{"AmpersandIsAnd", []string{"Trade & Technology Council", "Trade and Technology Council"}, "trade and technology council"},
		{"FullCaseFolding", []string{"Straße", "STRASSE"}, "strasse"},
		{"FullWidthLatin", []string{"ＦＯＣ", "FOC", "F.O.C."}, "foc"},
		{"DecimalPointKept", []string{"Web 3.0"}, "web 3.0"},
		{"ApostropheDropped", []string{"Korea's", "Korea’s"}, "koreas"},
		{"HalfWidthKatakana", []string{"ｻﾑｽﾝ電子", "サムスン電子"}, "サムスン電子"},
		{"JapaneseSpaceAndBrackets", []string{"日米韓　「首脳会談」", "日米韓 首脳会談"}, "日米韓 首脳会談"},
		{"JapaneseMiddleDot", []string{"サイバー・セキュリティ"}, "サイバー セキュリティ"},
		{"Korean", []string{"김정은", " 김정은 "}, "김정은"},
		{"CherokeeFoldsToCapitals", []string{"Ꮢ", "ꮢ"}, "Ꮢ"},
		{"InvisibleDropped", []string{"Dis\u00adney", "Dis\u200bney", "Disney"}, "disney"},
		{"SymbolsAndEmojiAreSpaces", []string{"Disney+", "Disney", "Disney 😀"}, "disney"},
		{"Empty", []string{"", " - ", "「」"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, n := range tt.names {
				if got := projections.NameKey(n); got != tt.want {
					t.Errorf("NameKey(%q): got %q, want %q", n, got, tt.want)
				}
			}
		})
	}
}

func TestIdentityKey(t *testing.T) {
	same := []struct {
		name  string
		names []string // all have key want
		want  string
	}{
		{"Case", []string{"ASEAN", "Asean", "asean"}, "asean"},
		{"FullCaseFolding", []string{"Straße", "STRASSE"}, "strasse"},
		{"WhiteSpace", []string{"Kim Jong Un", "  kim\tjong  un ", "Kim\u00a0Jong\u3000Un"}, "kim jong un"},
		{"HyphenBetweenWords", []string{"Kim Jong-un", "Kim Jong–un", "kim jong un"}, "kim jong un"},
		{"AbbreviationStops", []string{"Washington, D.C.", "Washington DC", "washington d.c."}, "washington dc"},
		{"UnitedStates", []string{"U.S.", "US", "u.s"}, "us"},
		{"Apostrophes", []string{"Korea's", "Korea’s", "Koreas"}, "koreas"},
		{"Width", []string{"ＦＯＣ", "FOC"}, "foc"},
		{"HalfWidthKatakana", []string{"ｻﾑｽﾝ電子", "サムスン電子"}, "サムスン電子"},
		{"Invisible", []string{"Dis\u200bney", "Dis\u00adney", "Disney"}, "disney"},
		{"Decomposed", []string{"Tōkyō", "To\u0304kyo\u0304"}, "tōkyō"},
		{"Emoji", []string{"Net😀", "NET😀"}, "net😀"},
		{"CherokeeFoldsToCapitals", []string{"Ꮢ", "ꮢ"}, "Ꮢ"},
	}
	for _, tt := range same {
		t.Run("Same/"+tt.name, func(t *testing.T) {
			for _, n := range tt.names {
				if got := projections.IdentityKey(n); got != tt.want {
					t.Errorf("IdentityKey(%q): got %q, want %q", n, got, tt.want)
				}
			}
		})
	}
	// Each list: different names, though most have one NameKey.
	different := [][]string{
		{"C", "C++", "C#", "C♯", "C*"},
		{"Disney", "Disney+"},
		{"Net", "Net😀", "Net😃", "Net🏳️‍🌈"},
		{"R&D", "R and D", "R+D"},
		{"3.5", "35", "3,5", "3-5"},
		{".NET", "NET"},
		{"A-", "A"},
		{"Yahoo!", "Yahoo"},
		{"AT&T", "ATT"},
		{"日米韓首脳会談", "日米首脳会談"},
	}
	for _, names := range different {
		seen := map[string]string{}
		for _, n := range names {
			k := projections.IdentityKey(n)
			if other, dup := seen[k]; dup {
				t.Errorf("IdentityKey(%q) = IdentityKey(%q) = %q, want different names", n, other, k)
			}
			seen[k] = n
		}
	}
}

func TestNameLookAlike(t *testing.T) {
	tests := []struct {
		name       string
		a, b       string
		wantReason string // "" for not alike
		wantDetail string // checked when not ""
	}{
		{"WordOrder/MachineTranslation", "Online Freedom Coalition", "Freedom Online Coalition", projections.ReasonWordOrder, "same words in another order"},
		{"Spelling/InnovationInnovative", "Innovation Technology Protection Network", "Innovative Technology Protection Network", projections.ReasonSpelling, "edit distance 2 of 40"},
		{"Spelling/OneLetterDropped", "Disruptive Tecnology Protection Network", "Disruptive Technology Protection Network", projections.ReasonSpelling, "edit distance 1 of 40"},
		{"Spelling/DavidDavis", "Camp David Summit", "Camp Davis summit", projections.ReasonSpelling, "edit distance 1 of 17"},
		{"Spelling/SingleWordTransposition", "Samsung", "Samsnug", projections.ReasonSpelling, "edit distance 2 of 7"},
		{"Spelling/EveryWordDiffers", "Quillory Wexmantle", "Quilory Wexmantel", projections.ReasonSpelling, "edit distance 3 of 18"},
		{"Spelling/Spacing", "Kim Jongun", "Kim Jong-un", projections.ReasonSpelling, "same letters, spaced differently"},
		{"Spelling/JapaneseMiddleDot", "サイバー・セキュリティ", "サイバーセキュリティ", projections.ReasonSpelling, ""},
		{"Spelling/KatakanaTypo", "サイバーセキュリティ協力", "サイバーセキユリティ協力", projections.ReasonSpelling, "edit distance 1 of 12"},
		{"Abbreviation/DTPN", "DTPN", "Disruptive Technology Protection Network", projections.ReasonAbbreviation, `"DTPN" abbreviates "Disruptive Technology Protection Network"`},
		{"Abbreviation/FOC", "Freedom Online Coalition", "FOC", projections.ReasonAbbreviation, `"FOC" abbreviates "Freedom Online Coalition"`},
		{"Abbreviation/FullStops", "U.S.", "United States", projections.ReasonAbbreviation, `"U.S." abbreviates "United States"`},
		{"Abbreviation/WithoutStopwords", "TTC", "Trade and Technology Council", projections.ReasonAbbreviation, ""},
		{"Abbreviation/WithStopwords", "DoD", "Department of Defense", projections.ReasonAbbreviation, ""},

		{"Folding/Plus", "Disney", "Disney+", projections.ReasonFolding, "the same name once case, punctuation and symbols are ignored"},
		{"Folding/CPlusPlus", "C", "C++", projections.ReasonFolding, ""},
		{"Folding/CSharp", "C#", "C++", projections.ReasonFolding, ""},
		{"Folding/Emoji", "Net", "Net😀", projections.ReasonFolding, ""},
		{"Folding/Ampersand", "R&D", "R and D", projections.ReasonFolding, ""},

		{"FunctionWord/DeclarationForOf", "Declaration for the Future of the Internet", "Declaration of the Future of the Internet", projections.ReasonFunctionWord, `function words changed: "for" / "of"`},
		{"FunctionWord/TwoChanged", "Ministry of Trade and Industry of Korea", "Ministry for Trade and Industry in Korea", projections.ReasonFunctionWord, `function words changed: "for" / "of", "in" / "of"`},
		{"Romanization/YoonSukYeol", "Yoon Suk-yeol", "Yoon Seok-youl", projections.ReasonRomanization, "the same name in another romanization"},
		{"Romanization/ChoiChoe", "Choi Sang-mok", "Choe Sang-mok", projections.ReasonRomanization, ""},
		{"Romanization/LeeYi", "Lee Jae-myung", "Yi Jae-myeong", projections.ReasonRomanization, ""},
		{"Romanization/TokyoMacron", "Tōkyō", "Tokyo", projections.ReasonRomanization, ""},
		{"Romanization/TokyoOu", "Toukyou", "Tokyo", projections.ReasonRomanization, ""},
		{"Romanization/TokyoOh", "Tohkyoh", "Tōkyō", projections.ReasonRomanization, ""},
		{"NotAlike/FunctionWordShortName", "Bank of Korea", "Bank for Korea", "", ""},
		{"NotAlike/FunctionWordAndAWord", "Declaration for the Future of the Internet", "Declaration of the Past of the Internet", "", ""},
		{"NotAlike/RomanizedOtherPerson", "Kim Jong-un", "Kim Jong-il", "", ""},
		{"NotAlike/EnglishNoSign", "Rome", "Lome", "", ""},
		{"NotAlike/IranIraq", "Iran", "Iraq", "", ""},
		{"NotAlike/UsUk", "US", "UK", "", ""},
		{"NotAlike/SameName", "Washington DC", "Washington, D.C.", "", ""},
		{"NotAlike/SameNameFullStops", "U.S.", "us", "", ""},
		{"NotAlike/WordReplaced", "Korea-US summit", "Korea-Japan summit", "", ""},
		{"NotAlike/OtherNetwork", "Innovation Technology Protection Network", "Disruptive Technology Protection Network", "", ""},
		{"NotAlike/NumbersDiffer", "2023 summit", "2024 summit", "", ""},
		{"NotAlike/TooShort", "US", "UK", "", ""},
		{"NotAlike/ShortWordInName", "Iran summit", "Iraq summit", "", ""},
		{"NotAlike/AdjectiveOfNoun", "Japan", "Japanese", "", ""},
		{"NotAlike/ExtraWord", "Camp David", "Camp David summit", "", ""},
		{"NotAlike/HanCharacterDropped", "日米韓首脳会談", "日米首脳会談", "", ""},
		{"NotAlike/HanCharacterReplaced", "日米韓首脳会談", "日米韓外相会談", "", ""},
		{"NotAlike/KoreanNames", "김정은", "김정일", "", ""},
		{"NotAlike/LowerCaseWord", "fox", "Freedom of Xanadu", "", ""},
		{"NotAlike/AbbreviationIsAWord", "US", "US Steel", "", ""},
		{"NotAlike/InitialsDiffer", "FOC", "Freedom Online Council Group", "", ""},
		{"NotAlike/Empty", "", "-", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, args := range [][2]string{{tt.a, tt.b}, {tt.b, tt.a}} {
				got, ok := projections.LookAlike(args[0], args[1])
				if tt.wantReason == "" {
					if ok {
						t.Errorf("LookAlike(%q, %q): got %+v, want not alike", args[0], args[1], got)
					}
					continue
				}
				if !ok || got.Reason != tt.wantReason {
					t.Errorf("LookAlike(%q, %q): got %+v (%v), want reason %q", args[0], args[1], got, ok, tt.wantReason)
				}
				if tt.wantDetail != "" && got.Detail != tt.wantDetail {
					t.Errorf("LookAlike(%q, %q) detail: got %q, want %q", args[0], args[1], got.Detail, tt.wantDetail)
				}
			}
		})
	}
}

// indexNames is a small set of names with the look-alikes in it written out.
var indexNames = []string{
	"Online Freedom Coalition",
	"Freedom Online Coalition",
	"FOC",
	"Innovation Technology Protection Network",
	"Innovative Technology Protection Network",
	"Disruptive Technology Protection Network",
	"Disruptive Tecnology Protection Network",
	"DTPN",
	"Camp David Summit",
	"Camp Davis summit",
	"camp david summit", // same key as "Camp David Summit"
	"Korea-US summit",
	"Korea-Japan summit",
	"2023 summit",
	"2024 summit",
	"US",
	"U.S.",
	"UK",
	"United States",
	"United Kingdom",
	"Japan",
	"Japanese",
	"Trade and Technology Council",
	"TTC",
	"Samsung",
	"Samsnug",
	"サイバー・セキュリティ",
	"サイバーセキュリティ",
	"日米韓首脳会談",
	"日米首脳会談",
}

var indexWant = []projections.NamePair{
	{A: "Camp David Summit", B: "Camp Davis summit", Resemblance: projections.Resemblance{Reason: "spelling", Detail: "edit distance 1 of 17"}},
	{A: "Disruptive Technology Protection Network", B: "Disruptive Tecnology Protection Network", Resemblance: projections.Resemblance{Reason: "spelling", Detail: "edit distance 1 of 40"}},
	{A: "Disruptive Technology Protection Network", B: "DTPN", Resemblance: projections.Resemblance{Reason: "abbreviation", Detail: `"DTPN" abbreviates "Disruptive Technology Protection Network"`}},
	{A: "Disruptive Tecnology Protection Network", B: "DTPN", Resemblance: projections.Resemblance{Reason: "abbreviation", Detail: `"DTPN" abbreviates "Disruptive Tecnology Protection Network"`}},
	{A: "FOC", B: "Freedom Online Coalition", Resemblance: projections.Resemblance{Reason: "abbreviation", Detail: `"FOC" abbreviates "Freedom Online Coalition"`}},
	{A: "Freedom Online Coalition", B: "Online Freedom Coalition", Resemblance: projections.Resemblance{Reason: "word order", Detail: "same words in another order"}},
	{A: "Innovation Technology Protection Network", B: "Innovative Technology Protection Network", Resemblance: projections.Resemblance{Reason: "spelling", Detail: "edit distance 2 of 40"}},
	{A: "Samsnug", B: "Samsung", Resemblance: projections.Resemblance{Reason: "spelling", Detail: "edit distance 2 of 7"}},
	{A: "Trade and Technology Council", B: "TTC", Resemblance: projections.Resemblance{Reason: "abbreviation", Detail: `"TTC" abbreviates "Trade and Technology Council"`}},
	{A: "UK", B: "United Kingdom", Resemblance: projections.Resemblance{Reason: "abbreviation", Detail: `"UK" abbreviates "United Kingdom"`}},
	{A: "United States", B: "U.S.", Resemblance: projections.Resemblance{Reason: "abbreviation", Detail: `"U.S." abbreviates "United States"`}},
	{A: "サイバー・セキュリティ", B: "サイバーセキュリティ", Resemblance: projections.Resemblance{Reason: "spelling", Detail: "same letters, spaced differently"}},
}

func TestNameIndexPairs(t *testing.T) {
	reversed := slices.Clone(indexNames)
	slices.Reverse(reversed)
	orders := map[string][]string{
		"InOrder":  indexNames,
		"Reversed": reversed,
	}
	for _, name := range []string{"InOrder", "Reversed"} {
		t.Run(name, func(t *testing.T) {
			ix := projections.NewNameIndex()
			for _, n := range orders[name] {
				ix.Add(n)
			}
			got := ix.Pairs()
			if !slices.Equal(got, indexWant) {
				t.Errorf("Pairs:\ngot  %s\nwant %s", formatPairs(got), formatPairs(indexWant))
			}
			if got, want := ix.Stats().Names, len(indexNames)-2; got != want {
				t.Errorf("Stats().Names: got %d, want %d", got, want)
			}
		})
	}
}

func TestNameIndexMatches(t *testing.T) {
	ix := projections.NewNameIndex()
	for _, n := range indexNames {
		ix.Add(n)
	}
	tests := []struct {
		name  string
		query string
		want  []string // the other names, in order
	}{
		{"Indexed", "Disruptive Technology Protection Network", []string{"Disruptive Tecnology Protection Network", "DTPN"}},
		{"IndexedUnderAnotherSpelling", "disruptive technology protection network", []string{"Disruptive Tecnology Protection Network", "DTPN"}},
		{"NotIndexed", "Freedom Online Coalitoin", []string{"FOC", "Freedom Online Coalition"}},
		{"NotIndexedAbbreviation", "CDS", []string{"Camp David Summit", "Camp Davis summit"}},
		{"None", "Korea-China summit", nil},
		{"Empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			key := projections.NameKey(tt.query)
			for _, p := range ix.Matches(tt.query) {
				if projections.NameKey(p.A) == key {
					got = append(got, p.B)
				} else {
					got = append(got, p.A)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Matches(%q): got %q, want %q", tt.query, got, tt.want)
			}
		})
	}
}

// formatPairs writes pairs one a line for failure messages.
func formatPairs(ps []projections.NamePair) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "\n  %q / %q: %s (%s)", p.A, p.B, p.Reason, p.Detail)
	}
	return b.String()
}

// generatedNames returns n distinct names (by key) made of words from a
// vocabulary of syllable words, many of which are a letter or two apart.
func generatedNames(seed uint64, n int) []string {
	rng := rand.New(rand.NewPCG(seed, 0x51110c))
	consonants := "bdfgklmnprstvz"
	vowels := "aeiou"
	vocabulary := make([]string, 4000)
	for i := range vocabulary {
		var b strings.Builder
		for range 2 + rng.IntN(3) {
			b.WriteByte(consonants[rng.IntN(len(consonants))])
			b.WriteByte(vowels[rng.IntN(len(vowels))])
		}
		w := b.String()
		vocabulary[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	seen := make(map[string]bool, n)
	out := make([]string, 0, n)
	for len(out) < n {
		words := 2 + rng.IntN(3)
		if rng.IntN(20) == 0 {
			words = 1
		}
		parts := make([]string, words)
		for i := range parts {
			parts[i] = vocabulary[rng.IntN(len(vocabulary))]
		}
		name := strings.Join(parts, " ")
		if k := projections.NameKey(name); !seen[k] {
			seen[k] = true
			out = append(out, name)
		}
	}
	return out
}

// plantedPairs are look-alikes made of letters the generated names never use.
var plantedPairs = [][2]string{
	{"Quixwold Harbour Yachting Club", "Quixwold Harbor Yachting Club"},
	{"Wyxhamptonshire", "Wyxhamptonshrie"},
	{"Yellowquist Jazz Quartet", "Jazz Yellowquist Quartet"},
	{"QXWJ", "Quorl Xylo Wyvern Jinx"},
	{"Quenwyth Yarrowdale Fellowship", "Quenwith Yarowdale Fellowship"},
	{"Yxcalibur Wharf", "Yxcaliburwharf"},
	{"Quillory Wexmantle", "Quilory Wexmantel"},
	{"WQHY", "Wexford Quay of the Harbour of Yoxley"},
}

func TestNameIndexFindsPlantedPairs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds indexes of 10,000 and 50,000 names")
	}
	work := map[int]int{}
	for _, n := range []int{10_000, 50_000} {
		t.Run(fmt.Sprintf("Found%d", n), func(t *testing.T) {
			ix := projections.NewNameIndex()
			for _, name := range generatedNames(1, n) {
				ix.Add(name)
			}
			for _, p := range plantedPairs {
				ix.Add(p[0])
				ix.Add(p[1])
			}
			found := map[[2]string]string{}
			for _, p := range ix.Pairs() {
				found[[2]string{projections.NameKey(p.A), projections.NameKey(p.B)}] = p.Reason
			}
			for _, p := range plantedPairs {
				a, b := projections.NameKey(p[0]), projections.NameKey(p[1])
				if b < a {
					a, b = b, a
				}
				if _, ok := found[[2]string{a, b}]; !ok {
					t.Errorf("planted pair %q / %q: got not found, want found", p[0], p[1])
				}
			}
			st := ix.Stats()
			// Comparisons grow with the look-alikes found, which in a fixed
			// vocabulary grow faster than the names; the work besides them
			// must not.
			work[n] = st.Comparisons - len(found) + st.WordComparisons + st.Probes
			if got, want := st.Comparisons-len(found), n/100; got > want {
				t.Errorf("comparisons that found nothing: got %d, want at most %d", got, want)
			}
			t.Logf("%d names: %d pairs, stats %+v", n, len(found), st)
			if st.SkippedBuckets != 0 || st.TruncatedNames != 0 {
				t.Errorf("caps hit: got %d skipped buckets, %d truncated names, want 0", st.SkippedBuckets, st.TruncatedNames)
			}
		})
	}
	t.Run("WorkAboutLinear", func(t *testing.T) {
		if work[10_000] == 0 {
			t.Fatalf("work for 10,000 names: got 0, want > 0")
		}
		if got, want := float64(work[50_000])/float64(work[10_000]), 8.0; got >= want {
			t.Errorf("work ratio 50k/10k: got %.2f (%d/%d), want < %.0f", got, work[50_000], work[10_000], want)
		}
	})
}

// TestNameIndexAgreesWithAllPairs checks that blocking loses nothing: on a
// small index, Pairs equals LookAlike applied to every pair.
func TestNameIndexAgreesWithAllPairs(t *testing.T) {
	names := generatedNames(2, 600)
	for _, p := range plantedPairs {
		names = append(names, p[0], p[1])
	}
	names = append(names, indexNames...)
	names = append(names, "GK", "BD", "BK", "Bada Kolu", "Gamo Kefi")

	ix := projections.NewNameIndex()
	byKey := map[string]string{}
	for _, n := range names {
		ix.Add(n)
	}
	for _, p := range ix.Pairs() {
		byKey[projections.NameKey(p.A)+"\x00"+projections.NameKey(p.B)] = p.Reason
	}
	// One name per key, as the index reports it.
	rep := map[string]string{}
	for _, n := range names {
		k := projections.NameKey(n)
		if old, ok := rep[k]; !ok || n < old {
			rep[k] = n
		}
	}
	keys := make([]string, 0, len(rep))
	for k := range rep {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := 0
	for i, a := range keys {
		for _, b := range keys[i+1:] {
			r, ok := projections.LookAlike(rep[a], rep[b])
			if !ok {
				continue
			}
			want++
			if got := byKey[a+"\x00"+b]; got != r.Reason {
				t.Errorf("pair %q / %q: got %q from the index, want %q", rep[a], rep[b], got, r.Reason)
			}
		}
	}
	if got := len(byKey); got != want {
		t.Errorf("pairs: got %d from the index, want %d", got, want)
	}
	t.Logf("%d names, %d look-alike pairs", len(keys), want)
}

// TestNameIndexSeedNames indexes the capitalised phrases of the seed articles
// and logs the look-alikes found.
func TestNameIndexSeedNames(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "seeds", "*.txt"))
	if len(files) == 0 {
		t.Skip("no seed articles in ../../shared/seeds")
	}
	phrase := regexp.MustCompile(`[A-Z][\w’'-]*(?:\s+(?:of\s+|the\s+|and\s+)*[A-Z][\w’'-]*)+`)
	ix := projections.NewNameIndex()
	names := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range phrase.FindAllString(string(b), -1) {
			m = strings.Join(strings.Fields(m), " ")
			names[m] = true
			ix.Add(m)
		}
	}
	for _, p := range ix.Pairs() {
		t.Logf("%q / %q: %s (%s)", p.A, p.B, p.Reason, p.Detail)
	}
	a, b := "Innovation Technology Protection Network", "Innovative Technology Protection Network"
	if names[a] && names[b] {
		if got := ix.Matches(a); !slices.ContainsFunc(got, func(p projections.NamePair) bool { return p.A == a && p.B == b }) {
			t.Errorf("Matches(%q): got %s, want %q among them", a, formatPairs(got), b)
		}
	}
}

func BenchmarkNameIndex(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		names := generatedNames(3, n)
		b.Run(fmt.Sprintf("names=%d", n), func(b *testing.B) {
			for b.Loop() {
				ix := projections.NewNameIndex()
				for _, name := range names {
					ix.Add(name)
				}
				ix.Pairs()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/name")
		})
	}
}

func FuzzNameKey(f *testing.F) {
	for _, n := range indexNames {
		f.Add(n)
	}
	f.Add("Washington, D.C.")
	f.Add("Web 3.0 & R.&D.")
	f.Add("000000Ꮢ") // Cherokee: x/text's Fold swaps its cases
	f.Add("\xf2Ǌ")   // an invalid byte before a compatibility character
	f.Fuzz(func(t *testing.T, name string) {
		key := projections.NameKey(name)
		if got := projections.NameKey(key); got != key {
			t.Errorf("NameKey(NameKey(%q)): got %q, want %q", name, got, key)
		}
		if got, want := strings.Join(strings.Fields(key), " "), key; got != want {
			t.Errorf("NameKey(%q) spacing: got %q, want %q", name, key, want)
		}
	})
}

func FuzzIdentityKey(f *testing.F) {
	for _, n := range indexNames {
		f.Add(n)
	}
	for _, n := range []string{"Washington, D.C.", "C++", "Net😀", "Kim Jong-un", "A-", "Inc.,", "000000Ꮢ", "Dis\u00adney"} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, name string) {
		key := projections.IdentityKey(name)
		if got := projections.IdentityKey(key); got != key {
			t.Errorf("IdentityKey(IdentityKey(%q)): got %q, want %q", name, got, key)
		}
		if got, want := strings.Join(strings.Fields(key), " "), key; got != want {
			t.Errorf("IdentityKey(%q) spacing: got %q, want %q", name, key, want)
		}
	})
}

func FuzzNameLookAlike(f *testing.F) {
	for i := 0; i+1 < len(indexNames); i++ {
		f.Add(indexNames[i], indexNames[i+1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ab, okAB := projections.LookAlike(a, b)
		ba, okBA := projections.LookAlike(b, a)
		if okAB != okBA || ab != ba {
			t.Errorf("LookAlike(%q, %q): got %+v %v one way, %+v %v the other, want the same", a, b, ab, okAB, ba, okBA)
		}
		ka, kb := projections.IdentityKey(a), projections.IdentityKey(b)
		if okAB && ka == kb {
			t.Errorf("LookAlike(%q, %q): got %+v, want not alike (same IdentityKey)", a, b, ab)
		}
		if f := projections.NameKey(a); f != "" && f == projections.NameKey(b) && ka != kb && (!okAB || ab.Reason != projections.ReasonFolding) {
			t.Errorf("LookAlike(%q, %q): got %+v %v, want reason %q (same NameKey, different names)", a, b, ab, okAB, projections.ReasonFolding)
		}
	})
}
