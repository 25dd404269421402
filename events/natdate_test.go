package events_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Seoul everywhere

	"github.com/sillok/sillok/events"
)

func mustLoadLocation(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

func TestResolveDate(t *testing.T) {
	seoul := mustLoadLocation(t, "Asia/Seoul")
	tokyo := mustLoadLocation(t, "Asia/Tokyo")
	at := func(s string, loc *time.Location) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	var (
		friday    = at("2024-04-26 15:00", seoul) // a Friday
		thursday  = at("2024-04-25 09:00", tokyo) // a Thursday
		earlySeou = at("2024-04-01 00:30", seoul) // still 2024-03-31 in UTC; a Monday
		january   = at("2024-01-10 12:00", seoul)
		leapMarch = at("2024-03-01 12:00", seoul)
		march2025 = at("2025-03-10 12:00", seoul)
		may2023   = at("2023-05-01 12:00", tokyo)
	)
	tests := []struct {
		name       string
		expr       string
		at         time.Time
		want       string // canonical EDTF of the result
		first      string // first day of Days
		last       string // last day of Days
		anchorWant string // Resolved.Anchor
	}{
		// EDTF passes through; absolute forms need no anchor.
		{"EDTFDay", "2023-04-25", friday, "2023-04-25", "2023-04-25", "2023-04-25", ""},
		{"EDTFInterval", "2023-04/2023-06", friday, "2023-04/2023-06", "2023-04-01", "2023-06-30", ""},
		{"EDTFQualified", "2023-04~", friday, "2023-04~", "2023-04-01", "2023-04-30", ""},
		{"EDTFFullWidth", "２０２３－０４", friday, "2023-04", "2023-04-01", "2023-04-30", ""},
		{"EDTFOnPrefix", "on 2023-04-25.", friday, "2023-04-25", "2023-04-25", "2023-04-25", ""},
		{"Year", "2023", friday, "2023", "2023-01-01", "2023-12-31", ""},
		{"InYear", "in 2023", friday, "2023", "2023-01-01", "2023-12-31", ""},
		{"MonthYear", "April 2023", friday, "2023-04", "2023-04-01", "2023-04-30", ""},
		{"InMonthYear", "in April 2023", friday, "2023-04", "2023-04-01", "2023-04-30", ""},
		{"AbbrevMonthYear", "Apr. 2023", friday, "2023-04", "2023-04-01", "2023-04-30", ""},
		{"UpperCase", "APRIL 2023", friday, "2023-04", "2023-04-01", "2023-04-30", ""},
		{"AbbrevMonthDayYear", "Jan. 6, 2023", friday, "2023-01-06", "2023-01-06", "2023-01-06", ""},
		{"MonthDayYear", "January 6, 2023", friday, "2023-01-06", "2023-01-06", "2023-01-06", ""},
		{"MonthZeroDayYear", "Jun. 07, 2024", friday, "2024-06-07", "2024-06-07", "2024-06-07", ""},
		{"OnMonthDayYear", "on January 6, 2023.", friday, "2023-01-06", "2023-01-06", "2023-01-06", ""},
		{"DayMonthYear", "6 January 2023", friday, "2023-01-06", "2023-01-06", "2023-01-06", ""},
		{"OrdinalOfMonthYear", "the 6th of January 2023", friday, "2023-01-06", "2023-01-06", "2023-01-06", ""},
		{"ApproximateMonthYear", "around April 2023", friday, "2023-04~", "2023-04-01", "2023-04-30", ""},
		{"WeekdayChecked", "Thursday, April 25, 2024", friday, "2024-04-25", "2024-04-25", "2024-04-25", ""},

		// The day of the month: the nearest such day (no tense here).
		{"The25th", "the 25th", friday, "2024-04-25", "2024-04-25", "2024-04-25", "2024-04-26"},
		{"OnThe25th", "on the 25th", friday, "2024-04-25", "2024-04-25", "2024-04-25", "2024-04-26"},
		{"25th", "25th", friday, "2024-04-25", "2024-04-25", "2024-04-25", "2024-04-26"},
		{"The25", "the 25", friday, "2024-04-25", "2024-04-25", "2024-04-25", "2024-04-26"},
		{"TheAnchorDay", "the 26th", friday, "2024-04-26", "2024-04-26", "2024-04-26", "2024-04-26"},
		{"AfterAnchorDayIsNearest", "the 27th", friday, "2024-04-27", "2024-04-27", "2024-04-27", "2024-04-26"},
		{"The31stSkipsApril", "the 31st", friday, "2024-03-31", "2024-03-31", "2024-03-31", "2024-04-26"},
		{"OfLastMonth", "the 25th of last month", friday, "2024-03-25", "2024-03-25", "2024-03-25", "2024-04-26"},
		{"WeekdayWithOrdinal", "Thursday the 25th", friday, "2024-04-25", "2024-04-25", "2024-04-25", "2024-04-26"},

		// Weekdays.
		{"Thursday", "Thursday", friday, "2024-04-25", "2024-04-25", "2024-04-25", "2024-04-26"},
		{"OnThursday", "on Thursday", friday, "2024-04-25", "2024-04-25", "2024-04-25", "2024-04-26"},
		{"OnThursdayOnAThursday", "on Thursday", thursday, "2024-04-25", "2024-04-25", "2024-04-25", "2024-04-25"},
		{"Saturday", "Saturday", friday, "2024-04-20", "2024-04-20", "2024-04-20", "2024-04-26"},
		{"LastThursday", "last Thursday", friday, "2024-04-25", "2024-04-25", "2024-04-25", "2024-04-26"},
		{"LastThursdayOnAThursday", "last Thursday", thursday, "2024-04-18", "2024-04-18", "2024-04-18", "2024-04-25"},
		{"NextThursday", "next Thursday", friday, "2024-05-02", "2024-05-02", "2024-05-02", "2024-04-26"},
		{"NextThursdayOnAThursday", "next Thursday", thursday, "2024-05-02", "2024-05-02", "2024-05-02", "2024-04-25"},
		{"NextMarch", "next March", friday, "2025-03", "2025-03-01", "2025-03-31", "2024-04-26"},
		{"NextMay", "next May", friday, "2024-05", "2024-05-01", "2024-05-31", "2024-04-26"},
		{"AbbrevWeekday", "Thurs.", friday, "2024-04-25", "2024-04-25", "2024-04-25", "2024-04-26"},

		// Days, months and years relative to the anchor.
		{"Today", "today", friday, "2024-04-26", "2024-04-26", "2024-04-26", "2024-04-26"},
		{"Yesterday", "Yesterday,", friday, "2024-04-25", "2024-04-25", "2024-04-25", "2024-04-26"},
		{"DayBeforeYesterday", "the day before yesterday", friday, "2024-04-24", "2024-04-24", "2024-04-24", "2024-04-26"},
		{"Tomorrow", "tomorrow", friday, "2024-04-27", "2024-04-27", "2024-04-27", "2024-04-26"},
		{"LastYear", "last year", friday, "2023", "2023-01-01", "2023-12-31", "2024-04-26"},
		{"ThisYear", "this year", friday, "2024", "2024-01-01", "2024-12-31", "2024-04-26"},
		{"LastMonth", "last month", friday, "2024-03", "2024-03-01", "2024-03-31", "2024-04-26"},
		{"ThisMonth", "this month", friday, "2024-04", "2024-04-01", "2024-04-30", "2024-04-26"},
		{"AugustLastYear", "August last year", friday, "2023-08", "2023-08-01", "2023-08-31", "2024-04-26"},
		{"InAugustLastYear", "in August last year", friday, "2023-08", "2023-08-01", "2023-08-31", "2024-04-26"},
		{"InAprilOfLastYear", "in April of last year", friday, "2023-04", "2023-04-01", "2023-04-30", "2024-04-26"},
		{"AprilOfLastYear", "April of last year", friday, "2023-04", "2023-04-01", "2023-04-30", "2024-04-26"},
		{"May21LastYear", "May 21 last year", friday, "2023-05-21", "2023-05-21", "2023-05-21", "2024-04-26"},
		{"OnMay21LastYear", "on May 21 last year", friday, "2023-05-21", "2023-05-21", "2023-05-21", "2024-04-26"},
		{"21MayLastYear", "21 May last year", friday, "2023-05-21", "2023-05-21", "2023-05-21", "2024-04-26"},
		{"AugustThisYear", "August this year", friday, "2024-08", "2024-08-01", "2024-08-31", "2024-04-26"},

		// A month alone: the most recent one; a month and day: the nearest.
		{"August", "August", friday, "2023-08", "2023-08-01", "2023-08-31", "2024-04-26"},
		{"InApril", "in April", friday, "2024-04", "2024-04-01", "2024-04-30", "2024-04-26"},
		{"LastApril", "last April", friday, "2023-04", "2023-04-01", "2023-04-30", "2024-04-26"},
		{"LastMarch", "last March", friday, "2024-03", "2024-03-01", "2024-03-31", "2024-04-26"},
		{"May21", "May 21", friday, "2024-05-21", "2024-05-21", "2024-05-21", "2024-04-26"},
		{"April26", "April 26", friday, "2024-04-26", "2024-04-26", "2024-04-26", "2024-04-26"},
		{"27April", "27 April", friday, "2024-04-27", "2024-04-27", "2024-04-27", "2024-04-26"},

		// Japanese.
		{"JaDay", "2023年1月6日", friday, "2023-01-06", "2023-01-06", "2023-01-06", ""},
		{"JaDayFullWidth", "２０２３年１月６日", friday, "2023-01-06", "2023-01-06", "2023-01-06", ""},
		{"JaDayParticle", "2023年1月6日に", friday, "2023-01-06", "2023-01-06", "2023-01-06", ""},
		{"JaMonth", "2023年1月", friday, "2023-01", "2023-01-01", "2023-01-31", ""},
		{"JaYear", "2023年", friday, "2023", "2023-01-01", "2023-12-31", ""},
		{"JaLastYearAugust", "昨年8月", friday, "2023-08", "2023-08-01", "2023-08-31", "2024-04-26"},
		{"JaLastYearNoAugust", "昨年の8月", friday, "2023-08", "2023-08-01", "2023-08-31", "2024-04-26"},
		{"JaLastYear", "昨年", friday, "2023", "2023-01-01", "2023-12-31", "2024-04-26"},
		{"JaKyonenAugust", "去年8月", friday, "2023-08", "2023-08-01", "2023-08-31", "2024-04-26"},
		{"JaThisYearMarch", "今年3月", friday, "2024-03", "2024-03-01", "2024-03-31", "2024-04-26"},
		{"JaLastMonth", "先月", friday, "2024-03", "2024-03-01", "2024-03-31", "2024-04-26"},
		{"JaThisMonth", "今月", friday, "2024-04", "2024-04-01", "2024-04-30", "2024-04-26"},
		{"JaYesterday", "昨日", friday, "2024-04-25", "2024-04-25", "2024-04-25", "2024-04-26"},
		{"Ja25th", "25日", friday, "2024-04-25", "2024-04-25", "2024-04-25", "2024-04-26"},
		{"Ja27th", "27日", friday, "2024-04-27", "2024-04-27", "2024-04-27", "2024-04-26"},
		{"JaAugust25", "8月25日", friday, "2024-08-25", "2024-08-25", "2024-08-25", "2024-04-26"},
		{"JaApril25", "4月25日", friday, "2024-04-25", "2024-04-25", "2024-04-25", "2024-04-26"},
		{"JaLastMonth25th", "先月25日", friday, "2024-03-25", "2024-03-25", "2024-03-25", "2024-04-26"},
		{"JaThursday", "木曜日", friday, "2024-04-25", "2024-04-25", "2024-04-25", "2024-04-26"},
		{"JaAroundAugust", "8月頃", friday, "2023-08~", "2023-08-01", "2023-08-31", "2024-04-26"},

		// Korean.
		{"KoDay", "2023년 4월 26일", friday, "2023-04-26", "2023-04-26", "2023-04-26", ""},
		{"KoDayNoSpaces", "2023년4월26일", friday, "2023-04-26", "2023-04-26", "2023-04-26", ""},
		{"KoMonth", "2023년 4월", friday, "2023-04", "2023-04-01", "2023-04-30", ""},
		{"KoLastYearAugust", "지난해 8월", friday, "2023-08", "2023-08-01", "2023-08-31", "2024-04-26"},
		{"KoJaknyeonAugust", "작년 8월", friday, "2023-08", "2023-08-01", "2023-08-31", "2024-04-26"},
		{"KoLastYear", "지난해", friday, "2023", "2023-01-01", "2023-12-31", "2024-04-26"},
		{"KoThisYearMarch", "올해 3월", friday, "2024-03", "2024-03-01", "2024-03-31", "2024-04-26"},
		{"KoLastMonth", "지난달", friday, "2024-03", "2024-03-01", "2024-03-31", "2024-04-26"},
		{"KoThisMonth", "이번 달", friday, "2024-04", "2024-04-01", "2024-04-30", "2024-04-26"},
		{"KoYesterday", "어제", friday, "2024-04-25", "2024-04-25", "2024-04-25", "2024-04-26"},
		{"Ko26th", "26일", friday, "2024-04-26", "2024-04-26", "2024-04-26", "2024-04-26"},
		{"Ko26thParticle", "26일에", friday, "2024-04-26", "2024-04-26", "2024-04-26", "2024-04-26"},
		{"KoApril26", "4월 26일", friday, "2024-04-26", "2024-04-26", "2024-04-26", "2024-04-26"},
		{"KoApril27", "4월 27일", friday, "2024-04-27", "2024-04-27", "2024-04-27", "2024-04-26"},
		{"KoLastThursday", "지난 목요일", thursday, "2024-04-18", "2024-04-18", "2024-04-18", "2024-04-25"},
		{"KoLastAugust", "지난 8월", friday, "2023-08", "2023-08-01", "2023-08-31", "2024-04-26"},
		{"KoAroundAugust", "8월께", friday, "2023-08~", "2023-08-01", "2023-08-31", "2024-04-26"},

		// The anchor's own calendar day counts, not UTC's.
		{"ZoneYesterday", "yesterday", earlySeou, "2024-03-31", "2024-03-31", "2024-03-31", "2024-04-01"},
		{"ZoneToday", "today", earlySeou, "2024-04-01", "2024-04-01", "2024-04-01", "2024-04-01"},
		{"ZoneThe25th", "the 25th", earlySeou, "2024-03-25", "2024-03-25", "2024-03-25", "2024-04-01"},
		{"ZoneThe1st", "the 1st", earlySeou, "2024-04-01", "2024-04-01", "2024-04-01", "2024-04-01"},
		{"Zone25日", "25日", earlySeou, "2024-03-25", "2024-03-25", "2024-03-25", "2024-04-01"},
		{"ZoneThursday", "Thursday", earlySeou, "2024-03-28", "2024-03-28", "2024-03-28", "2024-04-01"},
		{"ZoneMonday", "Monday", earlySeou, "2024-04-01", "2024-04-01", "2024-04-01", "2024-04-01"},
		{"ZoneThisMonth", "this month", earlySeou, "2024-04", "2024-04-01", "2024-04-30", "2024-04-01"},
		{"ZoneLastMonth", "last month", earlySeou, "2024-03", "2024-03-01", "2024-03-31", "2024-04-01"},
		{"ZoneApril", "April", earlySeou, "2024-04", "2024-04-01", "2024-04-30", "2024-04-01"},

		// Year boundaries.
		{"JanuaryLastMonth", "last month", january, "2023-12", "2023-12-01", "2023-12-31", "2024-01-10"},
		{"JanuaryKoLastMonth", "지난달", january, "2023-12", "2023-12-01", "2023-12-31", "2024-01-10"},
		{"JanuaryThe15th", "the 15th", january, "2024-01-15", "2024-01-15", "2024-01-15", "2024-01-10"},
		{"JanuaryThe31st", "the 31st", january, "2023-12-31", "2023-12-31", "2023-12-31", "2024-01-10"},
		{"JanuaryDecember", "December", january, "2023-12", "2023-12-01", "2023-12-31", "2024-01-10"},
		{"JanuaryLastYear", "last year", january, "2023", "2023-01-01", "2023-12-31", "2024-01-10"},

		// Leap years.
		{"LeapYesterday", "yesterday", leapMarch, "2024-02-29", "2024-02-29", "2024-02-29", "2024-03-01"},
		{"LeapThe29th", "the 29th", leapMarch, "2024-02-29", "2024-02-29", "2024-02-29", "2024-03-01"},
		{"LeapThe30thNearest", "the 30th", leapMarch, "2024-03-30", "2024-03-30", "2024-03-30", "2024-03-01"},
		{"NoLeapThe29th", "the 29th", march2025, "2025-03-29", "2025-03-29", "2025-03-29", "2025-03-10"},
		{"February29", "February 29", march2025, "2024-02-29", "2024-02-29", "2024-02-29", "2025-03-10"},
		{"JaFebruary29", "2月29日", may2023, "2024-02-29", "2024-02-29", "2024-02-29", "2023-05-01"},
		{"LeapDayAbsolute", "Feb. 29, 2024", friday, "2024-02-29", "2024-02-29", "2024-02-29", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := events.ResolveDate(tt.expr, tt.at, true)
			if err != nil {
				t.Fatalf("ResolveDate(%q): %v", tt.expr, err)
			}
			if got := r.Date.String(); got != tt.want {
				t.Errorf("Date = %s, want %s", got, tt.want)
			}
			first, last := r.Date.Days()
			if got, want := first.String()+".."+last.String(), tt.first+".."+tt.last; got != want {
				t.Errorf("Days() = %s, want %s", got, want)
			}
			if got := r.Anchor; got != tt.anchorWant {
				t.Errorf("Anchor = %q, want %q", got, tt.anchorWant)
			}
			if got := r.Expression; got != tt.expr {
				t.Errorf("Expression = %q, want %q", got, tt.expr)
			}
			if tt.anchorWant == "" {
				noAnchor, err := events.ResolveDate(tt.expr, time.Time{}, false)
				if err != nil {
					t.Fatalf("ResolveDate(%q) without anchor: %v", tt.expr, err)
				}
				if got, want := noAnchor, r; !reflect.DeepEqual(got, want) {
					t.Errorf("without anchor = %+v, want %+v", got, want)
				}
			}
		})
	}
}

func TestResolveDateErrors(t *testing.T) {
	anchor := time.Date(2024, time.April, 26, 15, 0, 0, 0, time.FixedZone("KST", 9*60*60))
	tests := []struct {
		name      string
		expr      string
		hasAnchor bool
		want      string // in the error message
		noAnchor  bool   // errors.Is(err, ErrNoAnchor)
	}{
		{"ErrEmpty", "", true, "empty", false},
		{"ErrUnknown", "next blue moon", true, `date "next blue moon": not a date form Sillok knows; write an EDTF date`, false},
		{"ErrThreeDigitYear", "April 202", true, "not a date form Sillok knows", false},
		{"ErrEDTFFebruary30", "2023-02-30", true, `date "2023-02-30": February 2023 has 28 days`, false},
		{"ErrEDTFMonth13", "2023-13", true, "month 13 is not between 01 and 12", false},
		{"ErrEDTFYear0", "0000", true, "year 0000 does not exist", false},
		{"ErrFebruary30", "February 30, 2023", true, "February 2023 has 28 days", false},
		{"ErrJaFebruary30", "2023年2月30日", true, "February 2023 has 28 days", false},
		{"ErrJaMonth13", "13月", true, "month 13 does not exist", false},
		{"ErrKoMonth13", "2023년 13월", true, "month 13 does not exist", false},
		{"ErrThe32nd", "the 32nd", true, "day 32 does not exist", false},
		{"ErrFebruary30Relative", "February 30", true, "February has no day 30", false},
		{"ErrWrongWeekday", "Friday, April 25, 2024", true, "2024-04-25 is a Thursday, not a Friday", false},
		{"ErrWeekdayWithMonth", "Friday, April", true, "a weekday goes with a full date", false},
		{"ErrNoAnchorThe25th", "the 25th", false, `date "the 25th" is relative and the source has no publication date; give an absolute date such as 2024-04-25`, true},
		{"ErrNoAnchorThursday", "on Thursday", false, "is relative", true},
		{"ErrNoAnchorLastYear", "August last year", false, "is relative", true},
		{"ErrNoAnchorMay21", "May 21", false, "is relative", true},
		{"ErrNoAnchorJa", "昨年8月", false, "is relative", true},
		{"ErrNoAnchorKo", "지난해 8월", false, "is relative", true},
		{"ErrNoAnchorUnknownStillUnknown", "next blue moon", false, "not a date form Sillok knows", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := events.ResolveDate(tt.expr, anchor, tt.hasAnchor)
			if err == nil {
				t.Fatalf("ResolveDate(%q) = %+v, want an error", tt.expr, r)
			}
			if got := err.Error(); !strings.Contains(got, tt.want) {
				t.Errorf("error = %q, want it to contain %q", got, tt.want)
			}
			if got := errors.Is(err, events.ErrNoAnchor); got != tt.noAnchor {
				t.Errorf("errors.Is(err, ErrNoAnchor) = %v, want %v", got, tt.noAnchor)
			}
			var de *events.DateError
			if !errors.As(err, &de) {
				t.Fatalf("error %T is not a *events.DateError", err)
			}
			if got, want := de.Input, tt.expr; got != want {
				t.Errorf("DateError.Input = %q, want %q", got, want)
			}
		})
	}
}

// Two languages, one date: agreement.
func TestResolveDateAcrossLanguages(t *testing.T) {
	anchor := time.Date(2024, time.April, 26, 15, 0, 0, 0, time.FixedZone("KST", 9*60*60))
	groups := [][]string{
		{"2023年1月6日", "January 6, 2023", "Jan. 6, 2023", "6 January 2023", "2023년 1월 6일", "2023-01-06"},
		{"August last year", "昨年8月", "去年8月", "지난해 8월", "작년 8월", "2023-08"},
		{"the 25th", "25日", "25일", "2024-04-25"},
	}
	for _, g := range groups {
		t.Run(g[len(g)-1], func(t *testing.T) {
			for _, expr := range g {
				r, err := events.ResolveDate(expr, anchor, true)
				if err != nil {
					t.Fatalf("ResolveDate(%q): %v", expr, err)
				}
				if got, want := r.Date.String(), g[len(g)-1]; got != want {
					t.Errorf("ResolveDate(%q) = %s, want %s", expr, got, want)
				}
			}
		})
	}
}

func ExampleResolveDate() {
	published := time.Date(2024, time.April, 26, 9, 0, 0, 0, time.FixedZone("KST", 9*60*60))
	for _, expr := range []string{"in August last year", "昨年8月", "the 25th", "2023년 4월 26일"} {
		r, err := events.ResolveDate(expr, published, true)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s -> %s (anchor %q)\n", r.Expression, r.Date, r.Anchor)
	}
	_, err := events.ResolveDate("the 25th", time.Time{}, false)
	fmt.Println(err)
	// Output:
	// in August last year -> 2023-08 (anchor "2024-04-26")
	// 昨年8月 -> 2023-08 (anchor "2024-04-26")
	// the 25th -> 2024-04-25 (anchor "2024-04-26")
	// 2023년 4월 26일 -> 2023-04-26 (anchor "")
	// date "the 25th" is relative and the source has no publication date; give an absolute date such as 2024-04-25
}
