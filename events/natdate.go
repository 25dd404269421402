package events

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ErrNoAnchor is returned, wrapped in a *DateError, when a date expression
// is relative ("the 25th", "last year") and the source it comes from has no
// publication date to resolve it against.
var ErrNoAnchor = errors.New("relative date and no publication date to resolve it against")

// Resolved is a natural-language or relative date expression resolved
// against an anchor, the publication date of its source.
type Resolved struct {
	Expression string `json:"expression"`       // as written
	Date       Date   `json:"date"`             // what it resolved to
	Anchor     string `json:"anchor,omitempty"` // YYYY-MM-DD of the anchor day; "" when the expression was absolute
	// Rule is the rule that resolved an expression without its month or
	// year ("the 26th", "on Thursday", "in May"), or RuleRelative; ""
	// when the expression was absolute.
	Rule DateRule `json:"rule,omitempty"`
	// Warnings say why a reader should check the resolution: it lies more
	// than WarnDays from the anchor, or it skipped a month that has no
	// such day.
	Warnings []string `json:"warnings,omitempty"`
}

// DateRule names the rule that resolved a date expression, as a claim's
// value records it (events.Value.Rule).
type DateRule string

// The rules of ResolveDateIn.
const (
	// RuleRelative: the expression says where it lies ("last year",
	// "yesterday", "昨年8月", "last Thursday", "next May").
	RuleRelative DateRule = "relative"
	// RuleNearest: a day of the month (with or without its month) and no
	// tense in the quote: the nearest such day to the anchor, the earlier
	// one on a tie.
	RuleNearest DateRule = "nearest"
	// RuleFuture: the quote looks forward ("to be held", "will", "予定",
	// "예정"): the first such day, weekday or month on or after the anchor.
	RuleFuture DateRule = "future-tense"
	// RulePast: the quote looks back ("was held", "했다", "した"): the
	// most recent such day, weekday or month on or before the anchor.
	RulePast DateRule = "past-tense"
	// RuleMostRecent: a weekday or a month and no tense in the quote: the
	// most recent one on or before the anchor.
	RuleMostRecent DateRule = "most-recent"
)

// WarnDays is how far from its anchor (in days) a date resolved by an
// inferred rule (nearest, a tense, most recent) may lie before
// ResolveDateIn warns about it: about six weeks.
const WarnDays = 42

// ResolveDate parses a date expression and resolves it against anchor, the
// publication time of its source in the source's own time zone; hasAnchor
// is false when the source has no publication date. The anchor day is
// anchor's calendar date in anchor.Location(), not in UTC.
//
// EDTF (see ParseDate) is accepted as is. Otherwise expr may be English,
// Japanese or Korean, in any case, with full-width digits, leading "on" or
// "in" and trailing punctuation:
//
//	April 2023, Apr. 2023, Jan. 6, 2023, 6 January 2023, in 2023      absolute
//	2023年1月6日, 2023年1月, 2023年, 2023년 4월 26일, 2023년 4월        absolute
//	today, yesterday, tomorrow, 今日, 昨日, 오늘, 어제                    the anchor day and its neighbours
//	this/last/next year, this/last/next month, 今年, 昨年, 去年, 先月,
//	今月, 올해, 지난해, 작년, 지난달, 이달                                the year or month
//	August last year, in April of last year, May 21 last year,
//	21 May last year, August this year, 昨年8月, 今年3月, 지난해 8월     a month or day of that year
//	the 25th, 25th, 25日, 26일, May 21, 21 May, 8月25日, 4월 26일          the nearest such day to the anchor day (see ResolveDateIn)
//	the 25th of last month, 先月25日                                    that day of that month
//	August, 8月, Thursday, on Thursday, 木曜日, 목요일                     the most recent such month or weekday on or before the anchor
//	last Thursday, last August, 지난 목요일, 지난 8월                     the most recent one strictly before the anchor day or month
//	next Thursday, next August, 다음 목요일                              the first one strictly after the anchor day or month
//
// A leading "around", "about" or "circa", or a trailing 頃, ごろ, 께, 경
// or 쯤 makes the date approximate ("~"). A weekday written beside a full
// date ("Thursday, April 25") is checked against it.
//
// The precision of the result follows the expression: "August last year"
// is a month, "last year" a year. Resolved.Anchor is "" when no anchor was
// needed. A relative expression without an anchor gives an error wrapping
// ErrNoAnchor; every error is a *DateError.
func ResolveDate(expr string, anchor time.Time, hasAnchor bool) (Resolved, error) {
	return ResolveDateIn(expr, "", anchor, hasAnchor)
}

// ResolveDateIn is ResolveDate for an expression read in quote, the words
// of the source the claim records: an expression without its month or
// year is resolved as a reader of the article would. A day of the month
// ("the 26th", "26일", "May 21") is the nearest such day to the anchor
// (RuleNearest); a weekday or a month is the most recent one
// (RuleMostRecent); and where the quote's tense says otherwise (see
// QuoteTense), a future tense takes the first one on or after the anchor
// (RuleFuture) and a past tense the most recent one on or before it
// (RulePast). Resolved.Rule records the rule, and Resolved.Warnings why a
// resolution should be checked: it lies more than WarnDays from the
// anchor, or it skipped a month without such a day ("the 31st" in a story
// of May 1, in the past tense, is March 31).
func ResolveDateIn(expr, quote string, anchor time.Time, hasAnchor bool) (Resolved, error) {
	return resolveDate(expr, func() Tense { t, _ := QuoteTense(quote, expr); return t }, anchor, hasAnchor)
}

// ResolveDateEarlier resolves expr by the rules of Sillok before dates
// were read in their quotes: a day, weekday, month or month and day
// without its year is the most recent one on or before the anchor (the
// past-tense rule, whatever the words say). Recording uses it to know a
// claim recorded under those rules when its file is imported again.
func ResolveDateEarlier(expr string, anchor time.Time, hasAnchor bool) (Resolved, error) {
	return resolveDate(expr, func() Tense { return TensePast }, anchor, hasAnchor)
}

// resolveDate is ResolveDateIn with the tense of an inferred expression
// given by tense.
func resolveDate(expr string, tense func() Tense, anchor time.Time, hasAnchor bool) (Resolved, error) {
	folded := trimDateExpr(foldWidth(expr))
	if looksEDTF(folded) {
		d, err := ParseDate(folded)
		if err != nil {
			var de *DateError
			if errors.As(err, &de) {
				de.Input = expr
			}
			return Resolved{}, err
		}
		return Resolved{Expression: expr, Date: d}, nil
	}
	spec, ok := parseNatural(folded)
	if !ok {
		if fix := fixDateWords(folded); fix != "" {
			return Resolved{}, &DateError{Input: expr, Reason: fmt.Sprintf("not a date form Sillok knows; did you mean %q?", fix), Suggestion: fix}
		}
		return Resolved{}, dateError(expr, "not a date form Sillok knows; write an EDTF date (2023, 2023-04, 2023-04-25, 2023-04~, 2023-04/2023-06) or an expression such as \"April 2023\", \"Jan. 6, 2023\", \"the 25th\", \"last Thursday\", \"August last year\", \"2023年1月6日\", \"昨年8月\" or \"지난해 8월\"")
	}
	r := Resolved{Expression: expr}
	var anchorDay Day
	if spec.relative() {
		if !hasAnchor {
			return Resolved{}, &DateError{Input: expr, Err: ErrNoAnchor}
		}
		anchorDay = dayOfTime(anchor)
		if anchorDay < MinDay || anchorDay > MaxDay {
			return Resolved{}, dateError(expr, "the publication date %s is outside the years 0001 to 9999", anchor.Format(time.RFC3339))
		}
		r.Anchor = anchorDay.String()
	}
	t := TenseNone
	if spec.inferred() {
		t = tense()
	}
	p, how, reason := spec.resolve(anchorDay, t)
	if reason != "" {
		return Resolved{}, dateError(expr, "%s", reason)
	}
	r.Date = Date{start: p}
	if spec.relative() {
		r.Rule = how.rule
		r.Warnings = how.warnings(expr, r.Date, anchorDay)
	}
	return r, nil
}

// resolution is how resolveDate chose a date: the rule, and what a
// reader should check.
type resolution struct {
	rule    DateRule
	skipped []string // months passed over for want of the day ("April 2024")
	day     int      // the day of the month looked for
}

// warnings says why a reader should check d, resolved from expr against
// anchor by an inferred rule.
func (h resolution) warnings(expr string, d Date, anchor Day) []string {
	switch h.rule {
	case RuleNearest, RuleFuture, RulePast, RuleMostRecent:
	default:
		return nil
	}
	var out []string
	if len(h.skipped) > 0 {
		out = append(out, fmt.Sprintf("%q resolved to %s (rule %s): %s %s no day %d; check the date",
			expr, d, h.rule, strings.Join(h.skipped, " and "), map[bool]string{true: "have", false: "has"}[len(h.skipped) > 1], h.day))
	}
	first, last := d.Days()
	switch {
	case first > anchor+WarnDays:
		out = append(out, fmt.Sprintf("%q resolved to %s (rule %s), %d days after the publication date %s; check the date or write it in full",
			expr, d, h.rule, int(first-anchor), anchor))
	case last < anchor-WarnDays:
		out = append(out, fmt.Sprintf("%q resolved to %s (rule %s), %d days before the publication date %s; check the date or write it in full",
			expr, d, h.rule, int(anchor-last), anchor))
	}
	return out
}

// foldWidth maps full-width ASCII (U+FF01 to U+FF5E) to ASCII and the
// ideographic space to a space, so that "２０２３年" reads as "2023年".
func foldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
}

// trimDateExpr trims white space, trailing punctuation (but not the ".."
// of an open interval end, nor the EDTF qualifiers) and a leading "on" or
// "in" from a date expression.
func trimDateExpr(s string) string {
	s = strings.TrimSpace(s)
	for {
		t := strings.TrimRight(s, ",;:!。、 ")
		if strings.HasSuffix(t, ".") && !strings.HasSuffix(t, "..") {
			t = t[:len(t)-1]
		}
		if t == s {
			break
		}
		s = t
	}
	for _, w := range []string{"on ", "in "} {
		if len(s) > len(w) && strings.EqualFold(s[:len(w)], w) {
			s = strings.TrimSpace(s[len(w):])
			break
		}
	}
	return s
}

// looksEDTF reports whether s is made only of the characters of EDTF and
// starts like one, so that its errors are EDTF errors.
func looksEDTF(s string) bool {
	if s == "" {
		return true
	}
	if !(s[0] >= '0' && s[0] <= '9' || strings.IndexByte("./-XY", s[0]) >= 0) {
		return false
	}
	return strings.Trim(s, "0123456789-/.~?%XxY") == ""
}

// natSpec is a parsed natural-language date before resolution.
type natSpec struct {
	year        int // absolute year, when hasYear
	hasYear     bool
	yearRel     int // offset from the anchor's year, when hasYearRel
	hasYearRel  bool
	month       int // 1 to 12, 0 if none
	monthRel    int // offset from the anchor's month, when hasMonthRel
	hasMonthRel bool
	day         int // day of the month, 0 if none
	dayRel      int // offset from the anchor day, when hasDayRel
	hasDayRel   bool
	weekday     time.Weekday
	hasWeekday  bool
	before      bool // "last August", "last Thursday": strictly before the anchor
	after       bool // "next August", "next Thursday": strictly after the anchor
	approx      bool
}

func (s natSpec) relative() bool { return !s.hasYear }

// inferred reports whether s leaves its month or year to be inferred
// (a day, a weekday, a month, a month and day), not said by the words.
func (s natSpec) inferred() bool {
	return !s.hasYear && !s.hasYearRel && !s.hasMonthRel && !s.hasDayRel && !s.before && !s.after
}

// resolve turns s into a date point, given the anchor day (unused when s
// is absolute) and the tense of the quote. It returns how the date was
// chosen, or a reason when the date does not exist.
func (s natSpec) resolve(anchor Day, tense Tense) (datePoint, resolution, string) {
	p, how, reason := s.resolveDate(anchor, tense)
	if reason != "" {
		return p, how, reason
	}
	if p.year < 1 || p.year > 9999 {
		return p, how, "it falls outside the years 0001 to 9999"
	}
	if s.hasWeekday && !(s.weekdayOnly()) {
		if p.prec != PrecisionDay {
			return p, how, "a weekday goes with a full date, such as \"Thursday, April 25, 2024\""
		}
		d, _ := p.days()
		if w := d.Weekday(); w != s.weekday {
			return p, how, fmt.Sprintf("%s is a %s, not a %s", d, w, s.weekday)
		}
	}
	if s.approx {
		p.qual = qualApprox
	}
	return p, how, ""
}

func (s natSpec) weekdayOnly() bool {
	return !s.hasYear && !s.hasYearRel && s.month == 0 && !s.hasMonthRel && s.day == 0 && !s.hasDayRel
}

// point returns the date point for a year and optional month and day,
// checking that the day exists.
func point(year, month, day int) (datePoint, string) {
	if year < 1 || year > 9999 {
		return datePoint{}, "it falls outside the years 0001 to 9999"
	}
	p := datePoint{year: int16(year), prec: PrecisionYear}
	if month == 0 {
		return p, ""
	}
	if month < 1 || month > 12 {
		return p, fmt.Sprintf("month %d does not exist", month)
	}
	p.month, p.prec = uint8(month), PrecisionMonth
	if day == 0 {
		return p, ""
	}
	if r := checkDay(year, time.Month(month), day); r != "" {
		return p, r
	}
	p.day, p.prec = uint8(day), PrecisionDay
	return p, ""
}

// dayPoint returns the date point of d, checking its range.
func dayPoint(d Day) (datePoint, string) {
	if d < MinDay || d > MaxDay {
		return datePoint{}, "it falls outside the years 0001 to 9999"
	}
	return DateOfDay(d).start, ""
}

func (s natSpec) resolveDate(anchor Day, tense Tense) (datePoint, resolution, string) {
	ay, am, _ := anchor.Date()
	how := resolution{rule: RuleRelative}
	inferred := func(dflt DateRule) DateRule {
		switch tense {
		case TenseFuture:
			return RuleFuture
		case TensePast:
			return RulePast
		}
		return dflt
	}
	switch {
	case s.weekdayOnly() && s.hasWeekday:
		d := anchor
		switch {
		case s.before:
			d--
		case s.after:
			d++
		default:
			how.rule = inferred(RuleMostRecent)
		}
		if s.after || how.rule == RuleFuture {
			d += Day((int(s.weekday) - int(d.Weekday()) + 7) % 7)
		} else {
			d -= Day((int(d.Weekday()) - int(s.weekday) + 7) % 7)
		}
		p, r := dayPoint(d)
		return p, how, r
	case s.hasDayRel:
		p, r := dayPoint(anchor + Day(s.dayRel))
		return p, how, r
	case s.hasYear:
		how.rule = ""
		p, r := point(s.year, s.month, s.day)
		return p, how, r
	case s.hasYearRel:
		p, r := point(ay+s.yearRel, s.month, s.day)
		return p, how, r
	case s.hasMonthRel:
		t := time.Date(ay, am+time.Month(s.monthRel), 1, 0, 0, 0, 0, time.UTC)
		p, r := point(t.Year(), int(t.Month()), s.day)
		return p, how, r
	case s.month != 0 && s.day != 0:
		// The nearest such day, or by the tense the first on or after
		// the anchor or the most recent on or before it; February 29 may
		// need a few years either way.
		if s.month > 12 {
			return datePoint{}, how, fmt.Sprintf("month %d does not exist", s.month)
		}
		m := time.Month(s.month)
		if s.day < 1 || s.day > daysIn(2024, m) {
			return datePoint{}, how, fmt.Sprintf("%s has no day %d", m, s.day)
		}
		how.rule = inferred(RuleNearest)
		var cands []Day
		for y := ay - 8; y <= ay+8; y++ {
			if y >= 1 && y <= 9999 && s.day <= daysIn(y, m) {
				cands = append(cands, DayOf(y, m, s.day))
			}
		}
		d, ok := pickDay(cands, anchor, how.rule)
		if !ok {
			return datePoint{}, how, checkDay(ay, m, s.day)
		}
		p, r := dayPoint(d)
		return p, how, r
	case s.month != 0:
		y := ay
		switch {
		case s.before:
			if s.month >= int(am) {
				y--
			}
		case s.after:
			if s.month <= int(am) {
				y++
			}
		default:
			how.rule = inferred(RuleMostRecent)
			if how.rule == RuleFuture {
				if s.month < int(am) {
					y++
				}
			} else if s.month > int(am) {
				y--
			}
		}
		p, r := point(y, s.month, 0)
		return p, how, r
	case s.day != 0:
		// A day of a month: the nearest such day to the anchor, or by the
		// tense the first on or after it or the most recent on or before
		// it; months without the day are passed over, and named.
		if s.day < 1 || s.day > 31 {
			return datePoint{}, how, fmt.Sprintf("day %d does not exist", s.day)
		}
		how.rule, how.day = inferred(RuleNearest), s.day
		var cands []Day
		for off := -13; off <= 13; off++ {
			t := time.Date(ay, am+time.Month(off), 1, 0, 0, 0, 0, time.UTC)
			y, m := t.Year(), t.Month()
			if y >= 1 && y <= 9999 && s.day <= daysIn(y, m) {
				cands = append(cands, DayOf(y, m, s.day))
			}
		}
		d, ok := pickDay(cands, anchor, how.rule)
		if !ok {
			break
		}
		// The months between the anchor's and the chosen one's that have
		// no such day were skipped.
		dy, dm, _ := d.Date()
		step := 1
		if DayOf(dy, dm, 1) < DayOf(ay, am, 1) {
			step = -1
		}
		for t := time.Date(ay, am, 1, 0, 0, 0, 0, time.UTC); ; t = t.AddDate(0, step, 0) {
			if t.Year() == dy && t.Month() == dm {
				break
			}
			first := t.Year() == ay && t.Month() == am
			if !first && s.day > daysIn(t.Year(), t.Month()) {
				how.skipped = append(how.skipped, fmt.Sprintf("%s %d", t.Month(), t.Year()))
			}
		}
		p, r := dayPoint(d)
		return p, how, r
	}
	return datePoint{}, how, "it names no date"
}

// pickDay chooses among cands, days in ascending order, by rule: the
// first on or after the anchor (RuleFuture), the last on or before it
// (RulePast), or the nearest (the earlier on a tie).
func pickDay(cands []Day, anchor Day, rule DateRule) (Day, bool) {
	var before, after Day
	hasBefore, hasAfter := false, false
	for _, d := range cands {
		if d <= anchor {
			before, hasBefore = d, true
		}
		if d >= anchor && !hasAfter {
			after, hasAfter = d, true
		}
	}
	switch rule {
	case RuleFuture:
		return after, hasAfter
	case RulePast:
		return before, hasBefore
	}
	switch {
	case hasBefore && hasAfter:
		if after-anchor < anchor-before {
			return after, true
		}
		return before, true
	case hasBefore:
		return before, true
	}
	return after, hasAfter
}

// tokKind is the kind of a natural-language date token.
type tokKind uint8

const (
	tkWord      tokKind = iota // unknown
	tkNum                      // a number; n, digits
	tkOrdSuffix                // st, nd, rd, th
	tkMonthName                // n = 1..12
	tkWeekday                  // n = time.Weekday
	tkYearMark                 // 年 년
	tkMonthMark                // 月 월
	tkDayMark                  // 日 일
	tkYearRel                  // n = offset in years
	tkMonthRel                 // n = offset in months
	tkDayRel                   // n = offset in days
	tkLast                     // last, 지난
	tkThis                     // this, 이번
	tkNext                     // next, 다음
	tkYearWord                 // year, 해
	tkMonthWord                // month, 달
	tkDayWord                  // day
	tkBefore                   // before
	tkAfter                    // after
	tkThe                      // the
	tkFiller                   // on, in, of, particles
	tkApprox                   // around, 頃, 께
)

type natTok struct {
	kind   tokKind
	n      int
	digits int
	ord    bool
}

var natWords = map[string]natTok{
	"january": {kind: tkMonthName, n: 1}, "jan": {kind: tkMonthName, n: 1},
	"february": {kind: tkMonthName, n: 2}, "feb": {kind: tkMonthName, n: 2},
	"march": {kind: tkMonthName, n: 3}, "mar": {kind: tkMonthName, n: 3},
	"april": {kind: tkMonthName, n: 4}, "apr": {kind: tkMonthName, n: 4},
	"may":  {kind: tkMonthName, n: 5},
	"june": {kind: tkMonthName, n: 6}, "jun": {kind: tkMonthName, n: 6},
	"july": {kind: tkMonthName, n: 7}, "jul": {kind: tkMonthName, n: 7},
	"august": {kind: tkMonthName, n: 8}, "aug": {kind: tkMonthName, n: 8},
	"september": {kind: tkMonthName, n: 9}, "sep": {kind: tkMonthName, n: 9}, "sept": {kind: tkMonthName, n: 9},
	"october": {kind: tkMonthName, n: 10}, "oct": {kind: tkMonthName, n: 10},
	"november": {kind: tkMonthName, n: 11}, "nov": {kind: tkMonthName, n: 11},
	"december": {kind: tkMonthName, n: 12}, "dec": {kind: tkMonthName, n: 12},

	"sunday": {kind: tkWeekday, n: 0}, "sun": {kind: tkWeekday, n: 0},
	"monday": {kind: tkWeekday, n: 1}, "mon": {kind: tkWeekday, n: 1},
	"tuesday": {kind: tkWeekday, n: 2}, "tue": {kind: tkWeekday, n: 2}, "tues": {kind: tkWeekday, n: 2},
	"wednesday": {kind: tkWeekday, n: 3}, "wed": {kind: tkWeekday, n: 3},
	"thursday": {kind: tkWeekday, n: 4}, "thu": {kind: tkWeekday, n: 4}, "thur": {kind: tkWeekday, n: 4}, "thurs": {kind: tkWeekday, n: 4},
	"friday": {kind: tkWeekday, n: 5}, "fri": {kind: tkWeekday, n: 5},
	"saturday": {kind: tkWeekday, n: 6}, "sat": {kind: tkWeekday, n: 6},

	"st": {kind: tkOrdSuffix}, "nd": {kind: tkOrdSuffix}, "rd": {kind: tkOrdSuffix}, "th": {kind: tkOrdSuffix},
	"today": {kind: tkDayRel, n: 0}, "yesterday": {kind: tkDayRel, n: -1}, "tomorrow": {kind: tkDayRel, n: 1},
	"last": {kind: tkLast}, "this": {kind: tkThis}, "next": {kind: tkNext},
	"year": {kind: tkYearWord}, "month": {kind: tkMonthWord}, "day": {kind: tkDayWord},
	"before": {kind: tkBefore}, "after": {kind: tkAfter},
	"the": {kind: tkThe},
	"on":  {kind: tkFiller}, "in": {kind: tkFiller}, "of": {kind: tkFiller}, "during": {kind: tkFiller},
	"around": {kind: tkApprox}, "about": {kind: tkApprox}, "circa": {kind: tkApprox}, "ca": {kind: tkApprox},
	"c": {kind: tkApprox}, "approximately": {kind: tkApprox}, "roughly": {kind: tkApprox},

	// Japanese.
	"年": {kind: tkYearMark}, "月": {kind: tkMonthMark}, "日": {kind: tkDayMark},
	"昨年": {kind: tkYearRel, n: -1}, "去年": {kind: tkYearRel, n: -1}, "今年": {kind: tkYearRel, n: 0},
	"本年": {kind: tkYearRel, n: 0}, "来年": {kind: tkYearRel, n: 1},
	"先月": {kind: tkMonthRel, n: -1}, "今月": {kind: tkMonthRel, n: 0}, "本月": {kind: tkMonthRel, n: 0},
	"来月":  {kind: tkMonthRel, n: 1},
	"一昨日": {kind: tkDayRel, n: -2}, "おととい": {kind: tkDayRel, n: -2}, "昨日": {kind: tkDayRel, n: -1},
	"きのう": {kind: tkDayRel, n: -1}, "今日": {kind: tkDayRel, n: 0}, "本日": {kind: tkDayRel, n: 0},
	"きょう": {kind: tkDayRel, n: 0}, "明日": {kind: tkDayRel, n: 1}, "あす": {kind: tkDayRel, n: 1},
	"あした": {kind: tkDayRel, n: 1},
	"日曜日": {kind: tkWeekday, n: 0}, "日曜": {kind: tkWeekday, n: 0},
	"月曜日": {kind: tkWeekday, n: 1}, "月曜": {kind: tkWeekday, n: 1},
	"火曜日": {kind: tkWeekday, n: 2}, "火曜": {kind: tkWeekday, n: 2},
	"水曜日": {kind: tkWeekday, n: 3}, "水曜": {kind: tkWeekday, n: 3},
	"木曜日": {kind: tkWeekday, n: 4}, "木曜": {kind: tkWeekday, n: 4},
	"金曜日": {kind: tkWeekday, n: 5}, "金曜": {kind: tkWeekday, n: 5},
	"土曜日": {kind: tkWeekday, n: 6}, "土曜": {kind: tkWeekday, n: 6},
	"に": {kind: tkFiller}, "には": {kind: tkFiller}, "の": {kind: tkFiller}, "は": {kind: tkFiller},
	"頃": {kind: tkApprox}, "ごろ": {kind: tkApprox},

	// Korean.
	"년": {kind: tkYearMark}, "월": {kind: tkMonthMark}, "일": {kind: tkDayMark},
	"지난해": {kind: tkYearRel, n: -1}, "작년": {kind: tkYearRel, n: -1}, "올해": {kind: tkYearRel, n: 0},
	"금년": {kind: tkYearRel, n: 0}, "내년": {kind: tkYearRel, n: 1},
	"지난달": {kind: tkMonthRel, n: -1}, "이달": {kind: tkMonthRel, n: 0}, "이번달": {kind: tkMonthRel, n: 0},
	"다음달": {kind: tkMonthRel, n: 1},
	"그저께": {kind: tkDayRel, n: -2}, "그제": {kind: tkDayRel, n: -2}, "어제": {kind: tkDayRel, n: -1},
	"오늘": {kind: tkDayRel, n: 0}, "내일": {kind: tkDayRel, n: 1},
	"지난": {kind: tkLast}, "이번": {kind: tkThis}, "다음": {kind: tkNext},
	"해": {kind: tkYearWord}, "달": {kind: tkMonthWord},
	"일요일": {kind: tkWeekday, n: 0}, "월요일": {kind: tkWeekday, n: 1}, "화요일": {kind: tkWeekday, n: 2},
	"수요일": {kind: tkWeekday, n: 3}, "목요일": {kind: tkWeekday, n: 4}, "금요일": {kind: tkWeekday, n: 5},
	"토요일": {kind: tkWeekday, n: 6},
	"에":   {kind: tkFiller}, "에는": {kind: tkFiller}, "의": {kind: tkFiller}, "은": {kind: tkFiller}, "는": {kind: tkFiller},
	"께": {kind: tkApprox}, "경": {kind: tkApprox}, "쯤": {kind: tkApprox}, "약": {kind: tkApprox}, "대략": {kind: tkApprox},
}

// natSuffixes are particles and approximation marks that may be written
// onto a CJK word ("8월에", "8月頃"), tried when the whole word is unknown.
var natSuffixes = []string{"에는", "에", "의", "은", "는", "께", "경", "쯤", "頃"}

type runeClass uint8

const (
	classSep runeClass = iota
	classDigit
	classLatin
	classHangul
	classHan
	classKana
)

func classOf(r rune) runeClass {
	switch {
	case r >= '0' && r <= '9':
		return classDigit
	case unicode.Is(unicode.Hangul, r):
		return classHangul
	case unicode.Is(unicode.Han, r):
		return classHan
	case unicode.In(r, unicode.Hiragana, unicode.Katakana) || r == 'ー':
		return classKana
	case unicode.IsLetter(r):
		return classLatin
	}
	return classSep
}

// lexNatural splits s into tokens at spaces, punctuation and changes of
// script (so "2023年1月" is 2023, 年, 1, 月).
func lexNatural(s string) []natTok {
	var pieces []string
	start, prev := 0, classSep
	for i, r := range s {
		c := classOf(r)
		if c != prev {
			if prev != classSep {
				pieces = append(pieces, s[start:i])
			}
			start, prev = i, c
		}
	}
	if prev != classSep {
		pieces = append(pieces, s[start:])
	}
	var toks []natTok
	for _, p := range pieces {
		if classOf([]rune(p)[0]) == classDigit {
			t := natTok{kind: tkWord, digits: len(p)}
			if len(p) <= 9 {
				t.kind = tkNum
				t.n, _ = strconv.Atoi(p)
			}
			toks = append(toks, t)
			continue
		}
		if t, ok := natWords[p]; ok {
			toks = append(toks, t)
			continue
		}
		found := false
		for _, suf := range natSuffixes {
			w, ok := strings.CutSuffix(p, suf)
			if !ok {
				continue
			}
			if t, ok := natWords[w]; ok {
				toks = append(toks, t, natWords[suf])
				found = true
				break
			}
		}
		if !found {
			toks = append(toks, natTok{kind: tkWord})
		}
	}
	return toks
}

// parseNatural parses a folded expression into a natSpec.
func parseNatural(s string) (natSpec, bool) {
	var spec natSpec
	raw := lexNatural(strings.ToLower(s))
	// Combine: "the 25" and "25th" are ordinals; "last year", "this
	// month", "day before yesterday" are one token; fillers go.
	var toks []natTok
	for i := 0; i < len(raw); i++ {
		t := raw[i]
		next := func(k tokKind) bool { return i+1 < len(raw) && raw[i+1].kind == k }
		switch t.kind {
		case tkThe:
			if next(tkNum) && raw[i+1].digits <= 2 {
				raw[i+1].ord = true
			}
			continue
		case tkFiller:
			continue
		case tkApprox:
			spec.approx = true
			continue
		case tkNum:
			if next(tkOrdSuffix) && t.digits <= 2 {
				t.ord = true
				i++
			}
		case tkLast, tkThis, tkNext:
			off := map[tokKind]int{tkLast: -1, tkThis: 0, tkNext: 1}[t.kind]
			switch {
			case next(tkYearWord):
				t, i = natTok{kind: tkYearRel, n: off}, i+1
			case next(tkMonthWord):
				t, i = natTok{kind: tkMonthRel, n: off}, i+1
			}
		case tkDayWord:
			// "day before yesterday", "day after tomorrow"
			if i+2 < len(raw) && raw[i+2].kind == tkDayRel {
				if raw[i+1].kind == tkBefore && raw[i+2].n == -1 {
					t, i = natTok{kind: tkDayRel, n: -2}, i+2
				} else if raw[i+1].kind == tkAfter && raw[i+2].n == 1 {
					t, i = natTok{kind: tkDayRel, n: 2}, i+2
				}
			}
		}
		toks = append(toks, t)
	}
	// A weekday beside a date is kept aside and checked after resolving.
	if len(toks) > 1 {
		rest := toks[:0:0]
		for _, t := range toks {
			if t.kind == tkWeekday && !spec.hasWeekday {
				spec.weekday, spec.hasWeekday = time.Weekday(t.n), true
				continue
			}
			rest = append(rest, t)
		}
		for _, t := range rest {
			if t.kind == tkWeekday {
				return spec, false // two weekdays
			}
		}
		if len(rest) == 1 && (rest[0].kind == tkLast || rest[0].kind == tkNext) {
			rest = toks // "last Thursday", "next Thursday"
			spec.hasWeekday = false
		}
		toks = rest
	}
	var sym []string
	for _, t := range toks {
		sym = append(sym, t.symbol())
	}
	build, ok := natForms[strings.Join(sym, " ")]
	if !ok {
		return spec, false
	}
	build(&spec, toks)
	return spec, true
}

// symbol names a token in the patterns of natForms.
func (t natTok) symbol() string {
	switch t.kind {
	case tkNum:
		switch {
		case t.ord && t.digits <= 2:
			return "O"
		case t.digits <= 2:
			return "N"
		case t.digits == 4:
			return "Y"
		}
		return "?"
	case tkMonthName:
		return "MON"
	case tkWeekday:
		return "WD"
	case tkYearMark:
		return "年"
	case tkMonthMark:
		return "月"
	case tkDayMark:
		return "日"
	case tkYearRel:
		return "YR"
	case tkMonthRel:
		return "MR"
	case tkDayRel:
		return "DR"
	case tkLast:
		return "LAST"
	case tkNext:
		return "NEXT"
	}
	return "?"
}

type natBuild func(s *natSpec, t []natTok)

// Builders for natForms; each reads its tokens by position.
func setYear(i int) natBuild {
	return func(s *natSpec, t []natTok) { s.year, s.hasYear = t[i].n, true }
}
func setMonth(i int) natBuild { return func(s *natSpec, t []natTok) { s.month = t[i].n } }
func setDay(i int) natBuild   { return func(s *natSpec, t []natTok) { s.day = t[i].n } }
func setYearRel(i int) natBuild {
	return func(s *natSpec, t []natTok) { s.yearRel, s.hasYearRel = t[i].n, true }
}
func setMonthRel(i int) natBuild {
	return func(s *natSpec, t []natTok) { s.monthRel, s.hasMonthRel = t[i].n, true }
}
func setDayRel(i int) natBuild {
	return func(s *natSpec, t []natTok) { s.dayRel, s.hasDayRel = t[i].n, true }
}
func setWeekday(i int) natBuild {
	return func(s *natSpec, t []natTok) { s.weekday, s.hasWeekday = time.Weekday(t[i].n), true }
}
func setBefore(s *natSpec, _ []natTok) { s.before = true }
func setAfter(s *natSpec, _ []natTok)  { s.after = true }

func all(bs ...natBuild) natBuild {
	return func(s *natSpec, t []natTok) {
		for _, b := range bs {
			b(s, t)
		}
	}
}

// natForms maps a sequence of token symbols to what it means. Y is a
// four-digit number, N a one- or two-digit number, O an ordinal (25th, the
// 25), MON a month name, WD a weekday, YR/MR/DR a year, month or day
// relative to the anchor, 年月日 the CJK year, month and day marks (년월일
// too).
var natForms = map[string]natBuild{
	// English, absolute.
	"Y":           setYear(0),
	"MON Y":       all(setMonth(0), setYear(1)),
	"MON N Y":     all(setMonth(0), setDay(1), setYear(2)),
	"MON O Y":     all(setMonth(0), setDay(1), setYear(2)),
	"N MON Y":     all(setDay(0), setMonth(1), setYear(2)),
	"O MON Y":     all(setDay(0), setMonth(1), setYear(2)),
	"Y MON N":     all(setYear(0), setMonth(1), setDay(2)),
	"MON YR":      all(setMonth(0), setYearRel(1)),
	"MON N YR":    all(setMonth(0), setDay(1), setYearRel(2)),
	"MON O YR":    all(setMonth(0), setDay(1), setYearRel(2)),
	"N MON YR":    all(setDay(0), setMonth(1), setYearRel(2)),
	"O MON YR":    all(setDay(0), setMonth(1), setYearRel(2)),
	"MON":         setMonth(0),
	"LAST MON":    all(setMonth(1), setBefore),
	"NEXT MON":    all(setMonth(1), setAfter),
	"MON N":       all(setMonth(0), setDay(1)),
	"MON O":       all(setMonth(0), setDay(1)),
	"N MON":       all(setDay(0), setMonth(1)),
	"O MON":       all(setDay(0), setMonth(1)),
	"O":           setDay(0),
	"O MR":        all(setDay(0), setMonthRel(1)),
	"WD":          setWeekday(0),
	"LAST WD":     all(setWeekday(1), setBefore),
	"NEXT WD":     all(setWeekday(1), setAfter),
	"YR":          setYearRel(0),
	"MR":          setMonthRel(0),
	"DR":          setDayRel(0),
	"Y 年":         setYear(0),
	"Y 年 N 月":     all(setYear(0), setMonth(2)),
	"Y 年 N 月 N 日": all(setYear(0), setMonth(2), setDay(4)),
	"YR N 月":      all(setYearRel(0), setMonth(1)),
	"YR N 月 N 日":  all(setYearRel(0), setMonth(1), setDay(3)),
	"MR N 日":      all(setMonthRel(0), setDay(1)),
	"N 月":         setMonth(0),
	"LAST N 月":    all(setMonth(1), setBefore),
	"NEXT N 月":    all(setMonth(1), setAfter),
	"N 月 N 日":     all(setMonth(0), setDay(2)),
	"N 日":         setDay(0),
}

// spelledDateWords are the month and weekday names a misspelled word of a
// date expression is compared with (abbreviations are too short to tell a
// slip of the finger from another word).
var spelledDateWords = []string{
	"january", "february", "march", "april", "may", "june", "july", "august",
	"september", "october", "november", "december",
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
}

// fixDateWords returns s, a folded date expression that does not parse,
// with each Latin word that is no date word and is within an edit or two
// of exactly one month or weekday name replaced by that name (capitalized
// as the word was), if the result parses; else "".
func fixDateWords(s string) string {
	var b strings.Builder
	fixed := false
	start, prev := 0, classSep
	flush := func(end int) {
		piece := s[start:end]
		if prev != classLatin {
			b.WriteString(piece)
			return
		}
		if w := nearestDateWord(piece); w != "" {
			if r, _ := utf8.DecodeRuneInString(piece); unicode.IsUpper(r) {
				w = strings.ToUpper(w[:1]) + w[1:]
			}
			b.WriteString(w)
			fixed = true
			return
		}
		b.WriteString(piece)
	}
	for i, r := range s {
		if c := classOf(r); c != prev {
			flush(i)
			start, prev = i, c
		}
	}
	flush(len(s))
	if !fixed {
		return ""
	}
	if _, ok := parseNatural(b.String()); !ok {
		return ""
	}
	return b.String()
}

// nearestDateWord is the one month or weekday name within a bounded edit
// distance of word, a word of four letters or more that is no date word;
// "" when there is none or more than one.
func nearestDateWord(word string) string {
	lw := strings.ToLower(word)
	if _, known := natWords[lw]; known || utf8.RuneCountInString(lw) < 4 {
		return ""
	}
	bound := 1
	if utf8.RuneCountInString(lw) >= 5 {
		bound = 2 // a transposition ("Apirl") is two edits
	}
	best, bestD, ties := "", bound+1, 0
	for _, w := range spelledDateWords {
		d := editDistance(lw, w)
		if d > bound {
			continue
		}
		switch {
		case d < bestD:
			best, bestD, ties = w, d, 1
		case d == bestD:
			ties++
		}
	}
	if ties != 1 {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b over runes
// (events imports only the standard library, so not internal/textdist;
// the words compared here are short).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
