package sources_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sillok/sillok/sources"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"ASCIIUnchanged", "The council met on 3 May.", "The council met on 3 May."},
		{"CurlyDoubleQuotesStraight", "\u201cLet it be,\u201d she said \u201eso\u201f", `"Let it be," she said "so"`},
		{"CurlySingleQuotesStraight", "the mayor\u2019s \u2018plan\u2019 \u201areal\u201b", "the mayor's 'plan' 'real'"},
		{"PrimesStraight", "5\u2032 11\u2033 and \u2035x\u2036", `5' 11" and 'x"`},
		{"EmDashHyphen", "north\u2014south", "north-south"},
		{"AllDashesHyphen", "a\u2010b\u2011c\u2012d\u2013e\u2015f\u2212g\u2E3Ah\uFE58i\uFF0Dj", "a-b-c-d-e-f-g-h-i-j"},
		{"KatakanaLongVowelKept", "データー", "データー"},
		{"WaveDashKept", "3〜5日", "3〜5日"},
		{"NoBreakSpaceSpace", "10\u00a0km\u202fnorth", "10 km north"},
		{"IdeographicSpaceSpace", "東京\u3000大阪", "東京 大阪"},
		{"ZeroWidthSpaceRemoved", "pro\u200btect\ufeffion\u00ad", "protection"},
		{"ZeroWidthJoinerKept", "a\u200db", "a\u200db"},
		{"FullWidthLettersDigits", "ＡＢＣ１２３ｘ", "ABC123x"},
		{"FullWidthPunctuation", "（注）！？", "(注)!?"},
		{"HalfWidthKatakanaFull", "ｶﾀｶﾅ", "カタカナ"},
		{"JapanesePunctuationKept", "会議は、東京で開かれた。「合意」と『発表』", "会議は、東京で開かれた。「合意」と『発表』"},
		{"GuillemetsKept", "« page »", "« page »"},
		{"HangulComposedStays", "대한민국", "대한민국"},
		{"HangulJamoComposed", "\u1100\u1161\u11a8", "각"},
		{"CombiningAccentComposed", "cafe\u0301", "café"},
		{"ZeroWidthSpaceBetweenLetterAndAccent", "e\u200b\u0301", "é"},
		{"LigatureExpanded", "\ufb01nal", "final"},
		{"CRLFOneSpace", "line one\r\nline two\r\n", "line one line two"},
		{"WhiteSpaceRunsFolded", "a \t\n\n  b\u2028c\u0085d", "a b c d"},
		{"Trimmed", " \u3000\n text \u00a0\n", "text"},
		{"OnlySpacesEmpty", " \t\u00a0\u3000\u200b\n", ""},
		{"Empty", "", ""},
		{"InvalidUTF8Replaced", "a\xffb", "a\ufffdb"},
		{"CaseKept", "Camp David", "Camp David"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sources.Normalize(tt.in)
			if got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := sources.Normalize(got); again != got {
				t.Errorf("Normalize(Normalize(%q)) = %q, want %q", tt.in, again, got)
			}
		})
	}
}

func TestNormalizeStraightMatchesCurly(t *testing.T) {
	curly := "He called it \u201cthe network\u2019s first step\u201d \u2014 nothing more."
	typed := `He called it "the network's first step" - nothing more.`
	if got, want := sources.Normalize(curly), sources.Normalize(typed); got != want {
		t.Errorf("Normalize(curly) = %q, want %q (the typed form)", got, want)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"",
		"plain ascii",
		"\u201cquoted\u201d \u2014 dash\u00a0nbsp",
		"日本語、テキスト。「引用」\u3000全角ＡＢＣ",
		"\u1100\u1161 e\u200b\u0301",
		" \u00b4\u0301 trailing \u0301 ",
		"\u2033\u0338 \u2034",
		"a\xffb\xe3\x81",
		"=\u200b\u0338",
		"\ufb01\u0301",
		strings.Repeat("\u0301", 40) + "x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := sources.Normalize(s)
		if want := sources.NormalizeGeneral(s); got != want {
			t.Fatalf("Normalize(%q) = %q, but without its ASCII fast path %q", s, got, want)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("Normalize(%q) = %q, which is not valid UTF-8", s, got)
		}
		if again := sources.Normalize(got); again != got {
			t.Fatalf("Normalize(Normalize(%q)) = %q, want %q", s, again, got)
		}
		if strings.TrimSpace(got) != got || strings.Contains(got, "  ") {
			t.Fatalf("Normalize(%q) = %q, want no leading, trailing or doubled spaces", s, got)
		}
	})
}

// TestNormalizeASCII holds Normalize's ASCII fast path to the general one
// on every ASCII character, in runs and at the ends.
func TestNormalizeASCII(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 20000 {
		b := make([]byte, rng.IntN(12))
		for j := range b {
			if rng.IntN(3) == 0 {
				b[j] = " \t\n\v\f\r"[rng.IntN(6)]
			} else {
				b[j] = byte(rng.IntN(128))
			}
		}
		s := string(b)
		if i%2 == 0 {
			s = "Word " + s + " end"
		}
		if got, want := sources.Normalize(s), sources.NormalizeGeneral(s); got != want {
			t.Fatalf("Normalize(%q) = %q, want %q", s, got, want)
		}
	}
}
