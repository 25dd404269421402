package sources

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NormalizationVersion identifies the rules Normalize applies. An anchor
// records the version its offsets were computed with; any change to the
// rules below must increase it.
const NormalizationVersion = 1

// Normalize returns s in the normalized form that quotes are matched
// against. The rules, applied in this order, are (version 1):
//
//  1. Invalid UTF-8 bytes become U+FFFD, so the result is valid UTF-8.
//  2. Invisible characters are removed: U+200B ZERO WIDTH SPACE, U+2060
//     WORD JOINER, U+FEFF ZERO WIDTH NO-BREAK SPACE (a byte order mark) and
//     U+00AD SOFT HYPHEN. They are removed before NFKC so that a letter and
//     a combining mark they separated compose. U+200C and U+200D (zero width
//     non-joiner and joiner) are kept: they change meaning in some scripts
//     and in emoji.
//  3. Double primes, which NFKC would turn into two primes, become a
//     straight double quote: ″ U+2033 and ‶ U+2036 → ".
//  4. Unicode NFKC (golang.org/x/text/unicode/norm): compatibility
//     characters become their plain form (full-width Ａ１ → A1, half-width
//     ｶﾅ → カナ, ligatures ﬁ → fi, NBSP and ideographic space U+3000 →
//     space), and decomposed sequences compose (decomposed Hangul jamo →
//     one syllable; e + U+0301 → é).
//  5. Curly single quotes and primes become a straight apostrophe:
//     ‘ ’ ‚ ‛ ′ ‵ → '. Curly double quotes become a straight double quote:
//     “ ” „ ‟ → ". Japanese brackets 「」『』, the CJK quotation marks 〝〞〟
//     and guillemets «» ‹› are kept.
//  6. Dashes become a hyphen-minus "-": ‐ ‑ ‒ – — ― − (minus sign), the
//     two- and three-em dashes ⸺ ⸻ and the dash-like marks ⸗ ⸚ ⹀ ⹝ ﹘ ﹣ －
//     (see dashes). The katakana long vowel mark ー, the wave dash 〜, the
//     wavy dash 〰 and ゠ are kept.
//  7. Every white space character (unicode.IsSpace: tab, newline, carriage
//     return, form feed, U+0085, no-break spaces, U+2000–U+200A, U+2028,
//     U+2029, U+3000, ...) becomes a space, and a run of them becomes one
//     space.
//  8. Leading and trailing spaces are removed.
//
// Normalize is deterministic and idempotent: Normalize(Normalize(s)) ==
// Normalize(s). It does not fold case.
func Normalize(s string) string {
	if plainASCII(s) {
		return normalizeASCII(s)
	}
	return normalizeGeneral(s)
}

// plainASCII reports whether s is all ASCII.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// normalizeASCII is Normalize for ASCII text, in one pass: rules 1-6
// change no ASCII character (ASCII is valid UTF-8, has no invisible
// characters, quotes or dashes that the rules replace, and is its own
// NFKC form), so only rules 7 and 8 apply, to the ASCII white space
// unicode.IsSpace knows: tab, newline, vertical tab, form feed, carriage
// return and space. Text that needs no change is returned as it is.
func normalizeASCII(s string) string {
	clean := true
	for i := 0; i < len(s) && clean; i++ {
		switch c := s[i]; c {
		case '\t', '\n', '\v', '\f', '\r':
			clean = false
		case ' ':
			clean = i > 0 && i < len(s)-1 && s[i+1] != ' '
		}
	}
	if clean {
		return s
	}
	out := make([]byte, 0, len(s))
	space := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\t', '\n', '\v', '\f', '\r', ' ':
			space = len(out) > 0
		default:
			if space {
				out = append(out, ' ')
				space = false
			}
			out = append(out, c)
		}
	}
	return string(out)
}

// normalizeGeneral is Normalize for any text.
func normalizeGeneral(s string) string {
	// Rules 1-3.
	var pre strings.Builder
	pre.Grow(len(s))
	for _, r := range s { // range yields U+FFFD for each invalid byte (rule 1)
		switch {
		case isInvisible(r):
			continue
		case r == '\u2033' || r == '\u2036':
			r = '"'
		}
		pre.WriteRune(r)
	}

	// Rule 4.
	n := norm.NFKC.String(pre.String())

	// Rules 5-8.
	var out strings.Builder
	out.Grow(len(n))
	space := false // a space is pending: written only before a non-space
	for _, r := range n {
		if unicode.IsSpace(r) {
			space = out.Len() > 0 // rule 8: no leading space
			continue
		}
		if space {
			out.WriteByte(' ')
			space = false
		}
		switch {
		case r < utf8.RuneSelf:
			out.WriteByte(byte(r))
		case isSingleQuote(r):
			out.WriteByte('\'')
		case isDoubleQuote(r):
			out.WriteByte('"')
		case isDash(r):
			out.WriteByte('-')
		default:
			out.WriteRune(r)
		}
	}
	// A pending trailing space is dropped (rule 8).
	return out.String()
}

// isInvisible reports whether r is removed by rule 2.
func isInvisible(r rune) bool {
	switch r {
	case '\u200B', '\u2060', '\uFEFF', '\u00AD':
		return true
	}
	return false
}

// isSingleQuote reports whether r becomes ' by rule 5.
func isSingleQuote(r rune) bool {
	switch r {
	case '\u2018', '\u2019', '\u201A', '\u201B', '\u2032', '\u2035':
		return true
	}
	return false
}

// isDoubleQuote reports whether r becomes " by rule 5.
func isDoubleQuote(r rune) bool {
	switch r {
	case '\u201C', '\u201D', '\u201E', '\u201F':
		return true
	}
	return false
}

// dashes lists the characters that become "-" by rule 6. The list is
// explicit rather than Unicode's Dash_Punctuation category, so that a new
// Unicode version cannot change the rule, and so that the Japanese marks
// in that category (〜 〰 ゠) and the hyphens of other scripts (Armenian,
// Hebrew maqaf, Mongolian, Canadian syllabics) are kept.
var dashes = map[rune]bool{
	'\u2010': true, // ‐ HYPHEN
	'\u2011': true, // ‑ NON-BREAKING HYPHEN (NFKC makes it U+2010)
	'\u2012': true, // ‒ FIGURE DASH
	'\u2013': true, // – EN DASH
	'\u2014': true, // — EM DASH
	'\u2015': true, // ― HORIZONTAL BAR
	'\u2212': true, // − MINUS SIGN
	'\u2E17': true, // ⸗ DOUBLE OBLIQUE HYPHEN
	'\u2E1A': true, // ⸚ HYPHEN WITH DIAERESIS
	'\u2E3A': true, // ⸺ TWO-EM DASH
	'\u2E3B': true, // ⸻ THREE-EM DASH
	'\u2E40': true, // ⹀ DOUBLE HYPHEN
	'\u2E5D': true, // ⹝ OBLIQUE HYPHEN
	'\uFE31': true, // ︱ PRESENTATION FORM FOR VERTICAL EM DASH (NFKC: U+2014)
	'\uFE32': true, // ︲ PRESENTATION FORM FOR VERTICAL EN DASH (NFKC: U+2013)
	'\uFE58': true, // ﹘ SMALL EM DASH (NFKC: U+2014)
	'\uFE63': true, // ﹣ SMALL HYPHEN-MINUS (NFKC: "-")
	'\uFF0D': true, // － FULLWIDTH HYPHEN-MINUS (NFKC: "-")
}

func isDash(r rune) bool { return dashes[r] }
