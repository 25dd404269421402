package events

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cockroachdb/apd/v3"
)

// Quantity is an exact decimal with an optional unit as written, possibly
// approximate: "60", "60 countries", "~60 countries", "1.5 trillion won",
// "3.5%", "60개국". The number keeps the digits it was written with
// (60.0 is not 60: it claims more precision). A Quantity is comparable with
// ==, and marshals as its canonical string (String). The zero Quantity has
// no value; it prints as "".
type Quantity struct {
	value  string // canonical decimal: [-]digits[.digits], no leading zeros, no separators
	exp    int32  // the power of ten written after value ("1.5e3"), or 0
	unit   string // as written, trimmed, inner white space folded to one space
	approx bool
}

// maxQuantityDigits bounds the digits of a number, far beyond any real
// claim, so that arithmetic on it stays cheap.
const maxQuantityDigits = 100

// maxQuantityExponent bounds the exponent of a number written in exponent
// form ("1.5e3"): from 1e-100 to 1e100, far beyond any real claim (the
// number of atoms in the observable universe is about 1e80), so that a
// value such as 1e999999 is refused instead of being expanded or rounded.
const maxQuantityExponent = 100

// quantityApprox are the words and signs that make a quantity approximate
// when written before the number. Longer prefixes of the same word first.
var quantityApprox = []string{
	"~", "≈", "about ", "around ", "approximately ", "approx. ", "approx ", "roughly ",
	"some ", "circa ", "ca. ", "c. ", "約", "およそ", "대략", "약",
}

// ParseQuantity parses a number with an optional unit:
//
//	60  60 countries  1.5 trillion won  1,500 billion won  -3.5 percent  3.5%  60개국  60か国
//
// A leading "~", "about", "around", "approximately", "roughly", "some",
// "circa", 約, およそ, 약 or 대략, or a Korean 여 right after the number
// ("60여 개국", sixty-odd), makes it approximate. Commas separate
// thousands (1,500) and nothing else; the decimal mark is ".". Full-width
// digits and signs are read as ASCII.
//
// A number may be written in exponent form, "1.5e3 won" or "2.5E-3 g",
// with the exponent right after the mantissa, between -100 and 100
// (maxQuantityExponent). It means the mantissa's value and precision
// scaled: 1.5e3 is 1500 stated to two significant digits, the interval
// [1450, 1550] like "1.5 thousand", not the [1499.5, 1500.5] of "1500".
// Hexadecimal, octal and binary numbers (0x10), digit separators other
// than thousands commas (1_000), Inf and NaN are refused. The unit is kept as written, trimmed,
// with inner white space folded; trailing punctuation is dropped. Compound
// CJK numbers (1조5000억) and ranges (60-70) are refused.
func ParseQuantity(s string) (Quantity, error) {
	in := s
	fail := func(format string, args ...any) (Quantity, error) {
		return Quantity{}, fmt.Errorf("quantity %q: %s", in, fmt.Sprintf(format, args...))
	}
	if !utf8.ValidString(s) {
		return fail("not valid UTF-8")
	}
	s = strings.TrimRight(strings.TrimSpace(foldWidth(s)), ".,;:。、 \t\r\n")
	if s == "" {
		return fail("empty; want a number with an optional unit, such as 60 countries or ~1.5 trillion won")
	}
	var q Quantity
	for _, p := range quantityApprox {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			q.approx = true
			s = strings.TrimSpace(s[len(p):])
			break
		}
	}
	neg, s := cutSign(s)
	if _, t := cutSign(s); len(t) != len(s) {
		return fail("write one sign before the number")
	}
	n := 0
	for n < len(s) && (s[n] >= '0' && s[n] <= '9' || s[n] == ',' || s[n] == '.') {
		n++
	}
	num, rest := s[:n], s[n:]
	if reason := radixPrefix(num, rest); reason != "" {
		return fail("%s", reason)
	}
	value, reason := canonicalDecimal(num)
	if reason != "" {
		return fail("%s", reason)
	}
	if neg && strings.Trim(value, "0.") != "" {
		value = "-" + value
	}
	q.value = value
	exp, rest, reason := cutExponent(rest)
	if reason != "" {
		return fail("%s", reason)
	}
	q.exp = exp
	if r, ok := strings.CutPrefix(rest, "여"); ok {
		if next, _ := utf8.DecodeRuneInString(r); r == "" || unicode.IsSpace(next) || strings.ContainsRune("개명곳건년만억조천차회번일", next) {
			q.approx, rest = true, r
		}
	}
	q.unit = strings.Join(strings.Fields(rest), " ")
	if q.unit != "" {
		r, _ := utf8.DecodeRuneInString(q.unit)
		if unicode.IsDigit(r) || strings.ContainsRune("-+.,/~−–", r) {
			return fail("the unit %q does not start like a unit; write one number and its unit (ranges are not supported)", q.unit)
		}
		if next, _ := utf8.DecodeRuneInString(q.unit[utf8.RuneLen(r):]); strings.ContainsRune("_'’", r) && unicode.IsDigit(next) {
			return fail("%q is not a digit separator; commas separate thousands (1,000) and the decimal mark is a point (1.5)", r)
		}
		for _, r := range q.unit {
			if !unicode.IsPrint(r) {
				return fail("the unit contains the unprintable character %U", r)
			}
		}
		if _, base := splitScale(q.unit); base != "" {
			if r, _ := utf8.DecodeRuneInString(base); unicode.IsDigit(r) {
				return fail("compound numbers such as 1조5000억 are not supported; write a decimal such as 1.5조")
			}
		}
	}
	return q, nil
}

// cutSign cuts one leading sign from s and reports whether it was a minus.
func cutSign(s string) (neg bool, rest string) {
	switch {
	case strings.HasPrefix(s, "-"):
		return true, s[1:]
	case strings.HasPrefix(s, "−"): // U+2212 minus sign
		return true, s[len("−"):]
	case strings.HasPrefix(s, "+"):
		return false, s[1:]
	}
	return false, s
}

// radixPrefix returns why a number written with a radix prefix (0x10,
// 0o17, 0b101) is refused, or "".
func radixPrefix(num, rest string) string {
	if num != "0" || len(rest) < 2 {
		return ""
	}
	digits, name := "", ""
	switch rest[0] {
	case 'x', 'X':
		digits, name = "0123456789abcdefABCDEF", "hexadecimal"
	case 'o', 'O':
		digits, name = "01234567", "octal"
	case 'b', 'B':
		digits, name = "01", "binary"
	default:
		return ""
	}
	if !strings.ContainsRune(digits, rune(rest[1])) {
		return ""
	}
	return fmt.Sprintf("%s numbers are not quantities; write the number in decimal", name)
}

// cutExponent cuts an exponent ("e3", "E-3", "e+03") written right after
// the number from rest. An "e" not followed by digits (or by a sign and
// digits) starts the unit ("3 eggs" is never an exponent: the unit is
// separated by a space or starts with a letter other than e). A lone "e"
// or an "e" with a sign and no digits is refused, as is an exponent
// beyond maxQuantityExponent.
func cutExponent(rest string) (exp int32, after, reason string) {
	if rest == "" || rest[0] != 'e' && rest[0] != 'E' {
		return 0, rest, ""
	}
	t := rest[1:]
	sign := ""
	if t != "" && (t[0] == '+' || t[0] == '-') {
		sign, t = t[:1], t[1:]
	}
	n := 0
	for n < len(t) && t[n] >= '0' && t[n] <= '9' {
		n++
	}
	if n == 0 {
		if sign != "" || t == "" {
			return 0, rest, "an exponent needs digits after the e, as in 1.5e3"
		}
		return 0, rest, "" // a unit such as "eggs"
	}
	digits := strings.TrimLeft(t[:n], "0")
	if len(digits) > 3 {
		return 0, rest, fmt.Sprintf("the exponent %s%s is out of range; exponents run from -%d to %d", sign, t[:n], maxQuantityExponent, maxQuantityExponent)
	}
	v, _ := strconv.Atoi("0" + digits)
	if v > maxQuantityExponent {
		return 0, rest, fmt.Sprintf("the exponent %s%s is out of range; exponents run from -%d to %d", sign, t[:n], maxQuantityExponent, maxQuantityExponent)
	}
	if sign == "-" {
		v = -v
	}
	return int32(v), t[n:], ""
}

// canonicalDecimal checks a written number (digits, thousands commas, one
// decimal point) and returns it without commas or leading zeros, or a
// reason it is not a number.
func canonicalDecimal(num string) (string, string) {
	if num == "" || num == "." {
		return "", "does not start with a number; want a number with an optional unit, such as 60 countries or ~1.5 trillion won"
	}
	intPart, frac, hasPoint := strings.Cut(num, ".")
	if hasPoint && (frac == "" || strings.ContainsAny(frac, ".,")) {
		if frac == "" {
			return "", fmt.Sprintf("%q: a decimal point needs digits after it", num)
		}
		return "", fmt.Sprintf("%q: write one decimal point and no commas after it", num)
	}
	if strings.Contains(intPart, ",") {
		groups := strings.Split(intPart, ",")
		ok := len(groups[0]) >= 1 && len(groups[0]) <= 3
		for _, g := range groups[1:] {
			ok = ok && len(g) == 3
		}
		if !ok {
			return "", fmt.Sprintf("%q: commas separate thousands (1,500); the decimal mark is a point (1.5)", num)
		}
		intPart = strings.ReplaceAll(intPart, ",", "")
	}
	if len(intPart)+len(frac) > maxQuantityDigits {
		return "", fmt.Sprintf("more than %d digits", maxQuantityDigits)
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	if hasPoint {
		return intPart + "." + frac, ""
	}
	return intPart, ""
}

// IsZero reports whether q is the zero Quantity (not the number 0).
func (q Quantity) IsZero() bool { return q == Quantity{} }

// Unit returns the unit as written ("trillion won", "개국"), or "".
func (q Quantity) Unit() string { return q.unit }

// BaseUnit returns the unit Compatible compares: the unit without its scale
// word, lower-cased, with a few spellings merged ("percent" and "%" are
// "%"; カ国, か国, ヵ国 and ヶ国 are カ国). "1.5 trillion won" has the base
// unit "won".
func (q Quantity) BaseUnit() string {
	_, base := splitScale(q.unit)
	return base
}

// Approximate reports whether q was written as approximate ("~60").
func (q Quantity) Approximate() bool { return q.approx }

// Value returns the number as a canonical decimal string ("1.5", "-3.5",
// "60"), without unit or "~". A number written in exponent form is
// written out: 1.5e3 gives "1500" (String keeps "1.5e3", and with it the
// precision stated).
func (q Quantity) Value() string {
	if q.exp == 0 {
		return q.value
	}
	return q.Decimal().Text('f')
}

// Decimal returns the number as a new apd.Decimal, owned by the caller,
// with the exponent of its last written digit: 1.5e3 gives 1.5E+3, equal
// to 1500. The zero Quantity gives 0.
func (q Quantity) Decimal() *apd.Decimal {
	d, _, err := apd.NewFromString(q.value)
	if err != nil {
		return new(apd.Decimal)
	}
	d.Exponent += q.exp
	return d
}

// String returns q in canonical form: "~" if approximate, the number
// without thousands separators, and the unit after a space, or directly
// after the number when it starts with "%" or a CJK character ("3.5%",
// "60개국"). The zero Quantity gives "".
func (q Quantity) String() string {
	if q.IsZero() {
		return ""
	}
	var b strings.Builder
	if q.approx {
		b.WriteByte('~')
	}
	b.WriteString(q.value)
	if q.exp != 0 {
		b.WriteByte('e')
		b.WriteString(strconv.Itoa(int(q.exp)))
	}
	if q.unit != "" {
		r, _ := utf8.DecodeRuneInString(q.unit)
		if !(r == '%' || isCJK(r) && r != '여') {
			b.WriteByte(' ')
		}
		b.WriteString(q.unit)
	}
	return b.String()
}

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hangul, unicode.Hiragana, unicode.Katakana)
}

// MarshalText implements encoding.TextMarshaler with String.
func (q Quantity) MarshalText() ([]byte, error) { return []byte(q.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseQuantity.
// Empty text gives the zero Quantity.
func (q *Quantity) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*q = Quantity{}
		return nil
	}
	v, err := ParseQuantity(string(b))
	if err != nil {
		return err
	}
	*q = v
	return nil
}

// MarshalBinary implements encoding.BinaryMarshaler (for encoding/gob)
// with String.
func (q Quantity) MarshalBinary() ([]byte, error) { return q.MarshalText() }

// UnmarshalBinary implements encoding.BinaryUnmarshaler with UnmarshalText.
func (q *Quantity) UnmarshalBinary(b []byte) error { return q.UnmarshalText(b) }

// Compatible reports whether q and o can both be true.
//
// Each quantity stands for an interval. Written exactly, it means its value
// to within half a unit of its last written digit: 60 is [59.5, 60.5], 1.5
// is [1.45, 1.55], 60.0 is [59.95, 60.05]. Written approximately ("~"), it
// means its value give or take one unit of its last significant digit,
// where the trailing zeros of an integer are not significant: ~60 is
// [50, 70], ~62 is [61, 63], ~1.5 is [1.4, 1.6], ~1500 is [1400, 1600].
//
// A scale word at the start of the unit multiplies the interval and is not
// part of the unit compared: thousand, million, billion, trillion; 百, 千,
// 万, 億, 兆; 백, 천, 만, 억, 조 (so "1.5 trillion won" and "1,500 billion won"
// agree, both in won). The units left (BaseUnit) must be equal after
// lower-casing; an empty unit matches only an empty unit. Units are not
// translated: "60 countries" and "60개국" have different units and are not
// compatible.
//
// A number in exponent form is scaled the same way: 1.5e3 is [1450, 1550]
// and ~1.5e3 is [1400, 1600].
//
// Two quantities are compatible when their units match and their
// intervals, which are closed, intersect.
func (q Quantity) Compatible(o Quantity) bool {
	if q.IsZero() || o.IsZero() || q.BaseUnit() != o.BaseUnit() {
		return false
	}
	lo1, hi1, ok1 := q.interval()
	lo2, hi2, ok2 := o.interval()
	if !ok1 || !ok2 {
		return false
	}
	return lo1.Cmp(hi2) <= 0 && lo2.Cmp(hi1) <= 0
}

// interval returns the closed interval q stands for, scale applied (see
// Compatible).
func (q Quantity) interval() (lo, hi *apd.Decimal, ok bool) {
	x, _, err := apd.NewFromString(q.value)
	if err != nil {
		return nil, nil, false
	}
	_, frac, _ := strings.Cut(q.value, ".")
	var w *apd.Decimal // the half-width
	switch {
	case !q.approx:
		w = apd.New(5, int32(-len(frac)-1))
	case frac != "":
		w = apd.New(1, int32(-len(frac)))
	default:
		digits := strings.TrimPrefix(q.value, "-")
		zeros := len(digits) - len(strings.TrimRight(digits, "0"))
		if zeros == len(digits) { // ~0
			zeros = 0
		}
		w = apd.New(1, int32(zeros))
	}
	lo, hi = new(apd.Decimal), new(apd.Decimal)
	ctx := apd.BaseContext // no rounding: exact
	if _, err := ctx.Sub(lo, x, w); err != nil {
		return nil, nil, false
	}
	if _, err := ctx.Add(hi, x, w); err != nil {
		return nil, nil, false
	}
	scale, _ := splitScale(q.unit)
	lo.Exponent += scale + q.exp
	hi.Exponent += scale + q.exp
	return lo, hi, true
}

var (
	scaleWords = map[string]int32{"thousand": 3, "million": 6, "billion": 9, "trillion": 12}
	scaleRunes = map[rune]int32{
		'百': 2, '千': 3, '万': 4, '萬': 4, '億': 8, '兆': 12,
		'백': 2, '천': 3, '만': 4, '억': 8, '조': 12,
	}
	unitSpellings = map[string]string{
		"percent": "%", "per cent": "%", "pct": "%", "퍼센트": "%", "パーセント": "%",
		"か国": "カ国", "ヵ国": "カ国", "ヶ国": "カ国", "ケ国": "カ国", "カ国": "カ国",
	}
)

// splitScale splits a unit into the power of ten of its leading scale word
// and the normalized base unit left.
func splitScale(unit string) (exp int32, base string) {
	u := strings.ToLower(unit)
	word, rest, _ := strings.Cut(u, " ")
	if e, ok := scaleWords[word]; ok {
		exp, u = e, rest
	} else {
		for i := 0; i < 2 && len(u) > 0; i++ { // 千万, 백만: at most two
			r, size := utf8.DecodeRuneInString(u)
			e, ok := scaleRunes[r]
			if !ok {
				break
			}
			exp += e
			u = u[size:]
		}
	}
	u = strings.TrimSpace(u)
	if s, ok := unitSpellings[u]; ok {
		u = s
	}
	return exp, u
}

// MorePrecise reports whether q states a narrower interval than o (see
// Compatible for the intervals), scale words applied: "60.4 million" is more
// precise than "60 million", and "1,500 billion won" than "1.5 trillion won".
func (q Quantity) MorePrecise(o Quantity) bool {
	lo1, hi1, ok1 := q.interval()
	lo2, hi2, ok2 := o.interval()
	if !ok1 || !ok2 {
		return ok1
	}
	ctx := apd.BaseContext
	var w1, w2 apd.Decimal
	if _, err := ctx.Sub(&w1, hi1, lo1); err != nil {
		return false
	}
	if _, err := ctx.Sub(&w2, hi2, lo2); err != nil {
		return false
	}
	return w1.Cmp(&w2) < 0
}
