package events

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Day counts days since 1970-01-01 in the proleptic Gregorian calendar.
// Days before the epoch are negative.
type Day int32

// MinDay and MaxDay are the first and last days a Date can name,
// 0001-01-01 and 9999-12-31. They stand for the open ends of an interval
// ("../2023" starts at MinDay) and bound the widening of approximate dates.
const (
	MinDay Day = -719162
	MaxDay Day = 2932896
)

const secondsPerDay = 24 * 60 * 60

// DayOf returns the day of the given calendar date. Out-of-range months and
// days are normalized the way time.Date normalizes them.
func DayOf(year int, month time.Month, day int) Day {
	return dayOfTime(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// dayOfTime returns the day of t's calendar date in t's location.
func dayOfTime(t time.Time) Day {
	y, m, d := t.Date()
	u := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()
	return Day(u / secondsPerDay) // exact: u is a multiple of a day
}

// Time returns midnight UTC at the start of d.
func (d Day) Time() time.Time { return time.Unix(int64(d)*secondsPerDay, 0).UTC() }

// Date returns the calendar date of d.
func (d Day) Date() (year int, month time.Month, day int) { return d.Time().Date() }

// Weekday returns the day of the week of d.
func (d Day) Weekday() time.Weekday { return d.Time().Weekday() }

// String returns d as YYYY-MM-DD.
func (d Day) String() string { return d.Time().Format(time.DateOnly) }

// Precision is the unit a date is stated in. The zero Precision stands for
// an open or unknown end of an interval.
type Precision uint8

// Precisions, from the coarsest to the finest.
const (
	PrecisionYear Precision = iota + 1
	PrecisionMonth
	PrecisionDay
)

// String returns "year", "month", "day", or "" for the zero Precision.
func (p Precision) String() string {
	switch p {
	case PrecisionYear:
		return "year"
	case PrecisionMonth:
		return "month"
	case PrecisionDay:
		return "day"
	}
	return ""
}

// qualifier holds the EDTF level 1 qualifiers of one date.
type qualifier uint8

const (
	qualApprox    qualifier = 1 << iota // "~"
	qualUncertain                       // "?"
)

func (q qualifier) String() string {
	switch q {
	case qualApprox:
		return "~"
	case qualUncertain:
		return "?"
	case qualApprox | qualUncertain:
		return "%"
	}
	return ""
}

// unspecified records which digits of a date were written as X (EDTF
// level 1 unspecified digits): the low two bits count the unspecified
// last digits of the year (201X, 20XX), then the month (2004-XX) and the
// day (1985-04-XX).
type unspecified uint8

const (
	unspecYearDigits unspecified = 3 // mask: 0, 1 or 2 year digits
	unspecMonth      unspecified = 4
	unspecDay        unspecified = 8
)

// datePoint is one EDTF date (a year, a month or a day) with its
// qualifiers, or an interval end that is open ("..") or unknown ("")
// when prec is zero.
//
// Unspecified digits are stored as zeros (201X has year 2010) and prec is
// the precision of the digits that are known: 201X and 2004-XX are years,
// 1985-04-XX is a month.
type datePoint struct {
	year    int16
	month   uint8 // 0 below month precision
	day     uint8 // 0 below day precision
	prec    Precision
	qual    qualifier
	unspec  unspecified
	unknown bool // with prec 0: an unknown end ("2023/"), not an open one ("2023/..")
}

// years returns the first and last year the point's year covers: one
// year, or ten or a hundred with unspecified digits, from 0001 at least.
func (p datePoint) years() (first, last int) {
	first, last = int(p.year), int(p.year)
	switch p.unspec & unspecYearDigits {
	case 1:
		last += 9
	case 2:
		last += 99
	}
	return max(first, 1), last
}

// days returns the first and last day the point covers at its precision.
// An open point covers nothing; callers check prec first.
func (p datePoint) days() (first, last Day) {
	switch p.prec {
	case PrecisionYear:
		y1, y2 := p.years()
		return DayOf(y1, time.January, 1), DayOf(y2, time.December, 31)
	case PrecisionMonth:
		y, m := int(p.year), time.Month(p.month)
		return DayOf(y, m, 1), DayOf(y, m+1, 0)
	default:
		d := DayOf(int(p.year), time.Month(p.month), int(p.day))
		return d, d
	}
}

// widened returns days() widened by one unit of the precision on each side
// when the point is approximate, clamped to MinDay and MaxDay.
func (p datePoint) widened() (first, last Day) {
	first, last = p.days()
	if p.qual&qualApprox == 0 {
		return first, last
	}
	y, m, d := int(p.year), time.Month(p.month), int(p.day)
	switch p.prec {
	case PrecisionYear:
		y1, y2 := p.years()
		first, last = DayOf(y1-1, time.January, 1), DayOf(y2+1, time.December, 31)
	case PrecisionMonth:
		first, last = DayOf(y, m-1, 1), DayOf(y, m+2, 0)
	default:
		first, last = DayOf(y, m, d-1), DayOf(y, m, d+1)
	}
	return max(first, MinDay), min(last, MaxDay)
}

func (p datePoint) String() string {
	if p.prec == 0 {
		if p.unknown {
			return ""
		}
		return ".."
	}
	year := fmt.Sprintf("%04d", p.year)
	if n := int(p.unspec & unspecYearDigits); n > 0 {
		year = year[:4-n] + "XX"[:n]
	}
	var b strings.Builder
	b.WriteString(year)
	switch {
	case p.unspec&unspecMonth != 0:
		b.WriteString("-XX")
	case p.prec >= PrecisionMonth:
		fmt.Fprintf(&b, "-%02d", p.month)
	}
	switch {
	case p.unspec&unspecDay != 0:
		b.WriteString("-XX")
	case p.prec >= PrecisionDay:
		fmt.Fprintf(&b, "-%02d", p.day)
	}
	b.WriteString(p.qual.String())
	return b.String()
}

// Date is an EDTF date or interval: a closed interval of days plus its
// stated precision and qualifiers. A single date ("2023-04", "2023-04-25~")
// covers every day of its year, month or day; an interval ("2023-04/2023-06",
// "2023/..") runs from the first day of its start to the last day of its end.
//
// A Date is comparable with == and marshals as its canonical EDTF string
// (String). The zero Date is not a valid date: it prints as "" and IsZero
// reports it.
type Date struct {
	start    datePoint // the date itself when !interval
	end      datePoint // zero when !interval
	interval bool
}

// DateOfDay returns the day-precision Date of d, clamped to MinDay and
// MaxDay.
func DateOfDay(d Day) Date {
	d = max(MinDay, min(d, MaxDay))
	y, m, dd := d.Date()
	return Date{start: datePoint{year: int16(y), month: uint8(m), day: uint8(dd), prec: PrecisionDay}}
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Precision returns the stated precision of d. For an interval it is the
// coarser precision of its known ends.
func (d Date) Precision() Precision {
	if !d.interval {
		return d.start.prec
	}
	switch {
	case d.start.prec == 0:
		return d.end.prec
	case d.end.prec == 0:
		return d.start.prec
	}
	return min(d.start.prec, d.end.prec)
}

// Approximate reports whether d, or either end of the interval d, carries
// the EDTF qualifier "~" (or "%", approximate and uncertain).
func (d Date) Approximate() bool { return (d.start.qual|d.end.qual)&qualApprox != 0 }

// Uncertain reports whether d, or either end of the interval d, carries
// the EDTF qualifier "?" (or "%", approximate and uncertain).
func (d Date) Uncertain() bool { return (d.start.qual|d.end.qual)&qualUncertain != 0 }

// IsInterval reports whether d was written as an interval "A/B".
func (d Date) IsInterval() bool { return d.interval }

// Days returns the closed interval of days d covers at its stated
// precision, ignoring qualifiers. Open interval ends are MinDay and MaxDay.
func (d Date) Days() (first, last Day) {
	if d.IsZero() {
		return MinDay, MaxDay
	}
	if !d.interval {
		return d.start.days()
	}
	first, last = MinDay, MaxDay
	if d.start.prec != 0 {
		first, _ = d.start.days()
	}
	if d.end.prec != 0 {
		_, last = d.end.days()
	}
	return first, last
}

// Bounds returns the days d can possibly mean: Days, with an approximate
// ("~" or "%") date or interval end widened by one unit of its precision on
// each side (2023-04~ gives 2023-03-01..2023-05-31). An uncertain date ("?")
// is not widened: it names its days, only less surely. Open ends are MinDay
// and MaxDay.
func (d Date) Bounds() (first, last Day) {
	if d.IsZero() {
		return MinDay, MaxDay
	}
	if !d.interval {
		return d.start.widened()
	}
	first, last = MinDay, MaxDay
	if d.start.prec != 0 {
		first, _ = d.start.widened()
	}
	if d.end.prec != 0 {
		_, last = d.end.widened()
	}
	return first, last
}

// Overlaps reports whether the Bounds of d and o intersect, that is whether
// a claim of d and a claim of o can both be true.
func (d Date) Overlaps(o Date) bool {
	f1, l1 := d.Bounds()
	f2, l2 := o.Bounds()
	return f1 <= l2 && f2 <= l1
}

// Refines reports whether the Days of d lie inside the Days of o: d says
// what o says, at least as precisely (2023-04-25 refines 2023-04).
func (d Date) Refines(o Date) bool {
	f1, l1 := d.Days()
	f2, l2 := o.Days()
	return f2 <= f1 && l1 <= l2
}

// Width returns the number of days in Days. Of two agreeing dates the one
// with the smaller width is the more precise.
func (d Date) Width() int {
	f, l := d.Days()
	return int(l) - int(f) + 1
}

// String returns d in canonical EDTF form: "2023", "2023-04~",
// "2023-04-25?", "2023-04/2023-06", "2023/..", "2023/", "201X",
// "1985-04-XX". An unknown interval end ("2023/") stays unknown and an
// open one ("2023/..") open. The zero Date gives "".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	if !d.interval {
		return d.start.String()
	}
	return d.start.String() + "/" + d.end.String()
}

// MarshalText implements encoding.TextMarshaler with String.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseDate. Empty
// text gives the zero Date, so that an absent date survives a round trip.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalBinary implements encoding.BinaryMarshaler (for encoding/gob)
// with String.
func (d Date) MarshalBinary() ([]byte, error) { return d.MarshalText() }

// UnmarshalBinary implements encoding.BinaryUnmarshaler with UnmarshalText.
func (d *Date) UnmarshalBinary(b []byte) error { return d.UnmarshalText(b) }

// DateError reports a date that could not be parsed or resolved: Input is
// the text as given, Reason what is wrong with it. Err is ErrNoAnchor for a
// relative expression without a publication date, else nil.
type DateError struct {
	Input  string
	Reason string
	Err    error
	// Suggestion is the expression with its misspelled month or weekday
	// names put right ("April 2023" for "Apirl 2023"), when that is a date
	// Sillok reads; else "".
	Suggestion string
}

func (e *DateError) Error() string {
	if errors.Is(e.Err, ErrNoAnchor) {
		return fmt.Sprintf("date %q is relative and the source has no publication date; give an absolute date such as 2024-04-25", e.Input)
	}
	return fmt.Sprintf("date %q: %s", e.Input, e.Reason)
}

// Unwrap returns Err.
func (e *DateError) Unwrap() error { return e.Err }

func dateError(input, format string, args ...any) error {
	return &DateError{Input: input, Reason: fmt.Sprintf(format, args...)}
}

// ParseDate parses an EDTF date (level 0, and of level 1 the qualifiers,
// unknown and open interval ends and unspecified digits):
//
//	2023  2023-04  2023-04-25            a year, month or day
//	2023-04~  2023-04?  2023-04%         approximate, uncertain, both
//	2023-04/2023-06                      an interval
//	2023/..  ../2023                     an open end: the interval has no end (or start)
//	2023/  /2023                         an unknown end: it has one, but it is not known
//	201X  20XX                           unspecified year digits: 2010-2019, 2000-2099
//	2004-XX  1985-04-XX  1985-XX-XX      an unspecified month or day: 2004, April 1985, 1985
//
// An open and an unknown end cover the same days (everything after the
// start, or before the end) and compare the same way in Overlaps and
// Refines; they differ in meaning ("still in force" against "ended, we
// don't know when"), which String keeps. Unspecified digits are the
// interval they denote, written as they were: 201X stays 201X. At most two
// year digits can be unspecified, and a month or day after an unspecified
// part must be unspecified too (201X-04 is level 2).
//
// Years run from 0001 to 9999: negative years (-0400, which EDTF counts as
// 401 BCE), year 0000, years of more than four digits (Y12345) and seasons
// (2019-21 to 2019-41) are refused. Surrounding white space is ignored.
// Natural language is not accepted here; see ResolveDate.
func ParseDate(s string) (Date, error) {
	if p, ok := plainDatePoint(s); ok {
		return Date{start: p}, nil
	}
	return parseDate(s)
}

// plainDatePoint parses YYYY, YYYY-MM or YYYY-MM-DD, all digits and a
// valid date, without qualifier or white space: the form of most stored
// dates, read without the allocations of the general grammar (parseDate,
// which gives the same Date for these: TestPlainDate). ok is false for
// anything else, valid or not.
func plainDatePoint(s string) (p datePoint, ok bool) {
	n := len(s)
	if n != 4 && n != 7 && n != 10 {
		return p, false
	}
	digit := func(i int) int {
		if c := s[i]; '0' <= c && c <= '9' {
			return int(c - '0')
		}
		return -1
	}
	two := func(i int) int {
		a, b := digit(i), digit(i+1)
		if a < 0 || b < 0 {
			return -1
		}
		return a*10 + b
	}
	hi, lo := two(0), two(2)
	if hi < 0 || lo < 0 || hi == 0 && lo == 0 {
		return p, false
	}
	year := hi*100 + lo
	p.year, p.prec = int16(year), PrecisionYear
	if n == 4 {
		return p, true
	}
	month := two(5)
	if s[4] != '-' || month < 1 || month > 12 {
		return p, false
	}
	p.month, p.prec = uint8(month), PrecisionMonth
	if n == 7 {
		return p, true
	}
	day := two(8)
	if s[7] != '-' || day < 1 || day > plainDaysIn(year, month) {
		return p, false
	}
	p.day, p.prec = uint8(day), PrecisionDay
	return p, true
}

// plainDaysIn is daysIn without a time.Time, for years 1 to 9999.
func plainDaysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// parseDate is ParseDate by the general grammar.
func parseDate(s string) (Date, error) {
	in := s
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, dateError(in, "empty; want an EDTF date such as 2023, 2023-04 or 2023-04-25")
	}
	a, b, isInterval := strings.Cut(s, "/")
	if !isInterval {
		p, err := parseDatePoint(in, a)
		if err != nil {
			return Date{}, err
		}
		return Date{start: p}, nil
	}
	if strings.Contains(b, "/") {
		return Date{}, dateError(in, "an interval has one \"/\", between its start and its end")
	}
	var d Date
	d.interval = true
	var err error
	switch a {
	case "":
		d.start.unknown = true
	case "..":
	default:
		if d.start, err = parseDatePoint(in, a); err != nil {
			return Date{}, err
		}
	}
	switch b {
	case "":
		d.end.unknown = true
	case "..":
	default:
		if d.end, err = parseDatePoint(in, b); err != nil {
			return Date{}, err
		}
	}
	switch {
	case d.start.prec == 0 && d.end.prec == 0:
		return Date{}, dateError(in, "an interval needs at least one known end")
	case d.start.prec != 0 && d.end.prec != 0:
		first, _ := d.start.days()
		_, last := d.end.days()
		if last < first {
			return Date{}, dateError(in, "the interval ends (%s) before it starts (%s)", d.end, d.start)
		}
	}
	return d, nil
}

// parseDatePoint parses one EDTF date with an optional qualifier. in is the
// whole input, for errors.
func parseDatePoint(in, s string) (datePoint, error) {
	var p datePoint
	body := strings.TrimRight(s, "~?%")
	switch q := s[len(body):]; q {
	case "":
	case "~":
		p.qual = qualApprox
	case "?":
		p.qual = qualUncertain
	case "%":
		p.qual = qualApprox | qualUncertain
	default:
		return p, dateError(in, "%q: write one qualifier: ~ (approximate), ? (uncertain) or %% (both)", s)
	}
	if rest, ok := strings.CutPrefix(body, "-"); ok && rest != "" && isDigits(rest[:1]) {
		y, _ := strings.CutSuffix(rest, "-")
		y, _, _ = strings.Cut(y, "-")
		if n, err := strconv.Atoi(y); err == nil && len(y) <= 6 {
			return p, dateError(in, "%q is a negative year (%d BCE); years before 0001 are not supported", s, n+1)
		}
		return p, dateError(in, "%q is a negative year; years before 0001 are not supported", s)
	}
	if strings.HasPrefix(body, "Y") {
		return p, dateError(in, "%q: years of more than four digits (EDTF Y notation) are not supported; years run from 0001 to 9999", s)
	}
	parts := strings.Split(body, "-")
	yearDigits := strings.TrimRight(parts[0], "Xx")
	nx := len(parts[0]) - len(yearDigits)
	if len(parts) > 3 || len(parts[0]) != 4 || !isDigits(yearDigits) && nx < 4 {
		if len(parts) <= 3 && len(parts[0]) > 4 && isDigits(parts[0]) {
			return p, dateError(in, "%q: years run from 0001 to 9999", s)
		}
		return p, dateError(in, "%q is not an EDTF date; want YYYY, YYYY-MM or YYYY-MM-DD, optionally followed by ~, ? or %%, or an interval A/B", s)
	}
	if nx > 2 {
		return p, dateError(in, "%q: at most the last two digits of a year can be unspecified (201X, 20XX)", s)
	}
	for _, part := range parts[1:] {
		if len(part) != 2 || !isDigits(part) && part != "XX" && part != "xx" {
			return p, dateError(in, "%q is not an EDTF date; months and days have two digits (YYYY-MM-DD), or XX when unspecified", s)
		}
	}
	year, _ := strconv.Atoi(yearDigits + "00"[:nx])
	if year == 0 && nx == 0 {
		return p, dateError(in, "year 0000 does not exist; years run from 0001 to 9999")
	}
	p.year, p.prec, p.unspec = int16(year), PrecisionYear, unspecified(nx)
	unspec := nx > 0
	if len(parts) > 1 {
		switch month, _ := strconv.Atoi(parts[1]); {
		case !isDigits(parts[1]):
			p.unspec |= unspecMonth
			unspec = true
		case unspec:
			return p, dateError(in, "%q: after unspecified digits the month and day must be unspecified too (XX)", s)
		case month >= 21 && month <= 41 && len(parts) == 2:
			return p, dateError(in, "%q: seasons (EDTF level 1, 21 to 41 in place of the month) are not supported; give the months, such as 2019-03/2019-05", s)
		case month < 1 || month > 12:
			return p, dateError(in, "month %s is not between 01 and 12", parts[1])
		default:
			p.month, p.prec = uint8(month), PrecisionMonth
		}
	}
	if len(parts) > 2 {
		switch day, _ := strconv.Atoi(parts[2]); {
		case !isDigits(parts[2]):
			p.unspec |= unspecDay
		case unspec:
			return p, dateError(in, "%q: after unspecified digits the month and day must be unspecified too (XX)", s)
		default:
			if err := checkDay(year, time.Month(p.month), day); err != "" {
				return p, dateError(in, "%s", err)
			}
			p.day, p.prec = uint8(day), PrecisionDay
		}
	}
	return p, nil
}

// checkDay returns what is wrong with day in the given month, or "".
func checkDay(year int, month time.Month, day int) string {
	n := daysIn(year, month)
	if day < 1 || day > n {
		return fmt.Sprintf("%s %d has %d days", month, year, n)
	}
	return ""
}

// daysIn returns the number of days in the month.
func daysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
