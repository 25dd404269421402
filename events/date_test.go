package events_test

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sillok/sillok/events"
)

// day parses YYYY-MM-DD into a Day for test tables.
func day(tb testing.TB, s string) events.Day {
	tb.Helper()
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		tb.Fatal(err)
	}
	return events.DayOf(t.Year(), t.Month(), t.Day())
}

func mustParseDate(tb testing.TB, s string) events.Date {
	tb.Helper()
	d, err := events.ParseDate(s)
	if err != nil {
		tb.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

func TestDay(t *testing.T) {
	tests := []struct {
		name string
		day  events.Day
		want string
	}{
		{"Epoch", events.DayOf(1970, time.January, 1), "1970-01-01"},
		{"LeapDay", events.DayOf(2024, time.February, 29), "2024-02-29"},
		{"Normalized", events.DayOf(2023, time.February, 29), "2023-03-01"},
		{"BeforeEpoch", events.DayOf(1969, time.December, 31), "1969-12-31"},
		{"MinDay", events.MinDay, "0001-01-01"},
		{"MaxDay", events.MaxDay, "9999-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.day.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if got, want := tt.day.Time().Format(time.RFC3339), tt.want+"T00:00:00Z"; got != want {
				t.Errorf("Time() = %s, want %s", got, want)
			}
		})
	}
	if got, want := events.DayOf(1970, time.January, 2), events.Day(1); got != want {
		t.Errorf("DayOf(1970-01-02) = %d, want %d", got, want)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		want        string // canonical String
		first, last string // Days
		prec        events.Precision
		approx      bool
		uncertain   bool
		interval    bool
	}{
		{"Year", "2023", "2023", "2023-01-01", "2023-12-31", events.PrecisionYear, false, false, false},
		{"Month", "2023-04", "2023-04", "2023-04-01", "2023-04-30", events.PrecisionMonth, false, false, false},
		{"Day", "2023-04-25", "2023-04-25", "2023-04-25", "2023-04-25", events.PrecisionDay, false, false, false},
		{"LeapFebruary", "2024-02", "2024-02", "2024-02-01", "2024-02-29", events.PrecisionMonth, false, false, false},
		{"LeapDay", "2024-02-29", "2024-02-29", "2024-02-29", "2024-02-29", events.PrecisionDay, false, false, false},
		{"Approximate", "2023-04~", "2023-04~", "2023-04-01", "2023-04-30", events.PrecisionMonth, true, false, false},
		{"Uncertain", "2023?", "2023?", "2023-01-01", "2023-12-31", events.PrecisionYear, false, true, false},
		{"ApproximateUncertain", "2023-04-25%", "2023-04-25%", "2023-04-25", "2023-04-25", events.PrecisionDay, true, true, false},
		{"Interval", "2023-04/2023-06", "2023-04/2023-06", "2023-04-01", "2023-06-30", events.PrecisionMonth, false, false, true},
		{"IntervalMixedPrecision", "2023/2024-02-10", "2023/2024-02-10", "2023-01-01", "2024-02-10", events.PrecisionYear, false, false, true},
		{"IntervalQualified", "2023-04~/2023-06?", "2023-04~/2023-06?", "2023-04-01", "2023-06-30", events.PrecisionMonth, true, true, true},
		{"OpenEnd", "2023/..", "2023/..", "2023-01-01", "9999-12-31", events.PrecisionYear, false, false, true},
		{"OpenStart", "../2023-04", "../2023-04", "0001-01-01", "2023-04-30", events.PrecisionMonth, false, false, true},
		{"UnknownEnd", "2023-04-25/", "2023-04-25/", "2023-04-25", "9999-12-31", events.PrecisionDay, false, false, true},
		{"UnknownStart", "/2023", "/2023", "0001-01-01", "2023-12-31", events.PrecisionYear, false, false, true},
		{"UnknownStartOpenEnd", "/2023-04", "/2023-04", "0001-01-01", "2023-04-30", events.PrecisionMonth, false, false, true},
		{"UnspecifiedYearDigit", "201X", "201X", "2010-01-01", "2019-12-31", events.PrecisionYear, false, false, false},
		{"UnspecifiedYearDigits", "20XX", "20XX", "2000-01-01", "2099-12-31", events.PrecisionYear, false, false, false},
		{"UnspecifiedLowerCase", "201x", "201X", "2010-01-01", "2019-12-31", events.PrecisionYear, false, false, false},
		{"UnspecifiedFirstCentury", "00XX", "00XX", "0001-01-01", "0099-12-31", events.PrecisionYear, false, false, false},
		{"UnspecifiedMonth", "2004-XX", "2004-XX", "2004-01-01", "2004-12-31", events.PrecisionYear, false, false, false},
		{"UnspecifiedDay", "1985-04-XX", "1985-04-XX", "1985-04-01", "1985-04-30", events.PrecisionMonth, false, false, false},
		{"UnspecifiedMonthAndDay", "1985-XX-XX", "1985-XX-XX", "1985-01-01", "1985-12-31", events.PrecisionYear, false, false, false},
		{"UnspecifiedDecadeMonth", "201X-XX", "201X-XX", "2010-01-01", "2019-12-31", events.PrecisionYear, false, false, false},
		{"UnspecifiedApproximate", "201X~", "201X~", "2010-01-01", "2019-12-31", events.PrecisionYear, true, false, false},
		{"UnspecifiedInterval", "201X/2020-05", "201X/2020-05", "2010-01-01", "2020-05-31", events.PrecisionYear, false, false, true},
		{"SameDayInterval", "2023-04-25/2023-04-25", "2023-04-25/2023-04-25", "2023-04-25", "2023-04-25", events.PrecisionDay, false, false, true},
		{"Spaces", " 2023-04 ", "2023-04", "2023-04-01", "2023-04-30", events.PrecisionMonth, false, false, false},
		{"FirstYear", "0001", "0001", "0001-01-01", "0001-12-31", events.PrecisionYear, false, false, false},
		{"LastYear", "9999-12", "9999-12", "9999-12-01", "9999-12-31", events.PrecisionMonth, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := events.ParseDate(tt.in)
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if got := d.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			first, last := d.Days()
			if got, want := first.String()+".."+last.String(), tt.first+".."+tt.last; got != want {
				t.Errorf("Days() = %s, want %s", got, want)
			}
			if got, want := d.Width(), int(last-first)+1; got != want {
				t.Errorf("Width() = %d, want %d", got, want)
			}
			if got := d.Precision(); got != tt.prec {
				t.Errorf("Precision() = %v, want %v", got, tt.prec)
			}
			if got := d.Approximate(); got != tt.approx {
				t.Errorf("Approximate() = %v, want %v", got, tt.approx)
			}
			if got := d.Uncertain(); got != tt.uncertain {
				t.Errorf("Uncertain() = %v, want %v", got, tt.uncertain)
			}
			if got := d.IsInterval(); got != tt.interval {
				t.Errorf("IsInterval() = %v, want %v", got, tt.interval)
			}
			again, err := events.ParseDate(d.String())
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", d.String(), err)
			}
			if again != d {
				t.Errorf("ParseDate(String()) = %v, want %v", again, d)
			}
		})
	}
}

func TestParseDateErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // in the error message
	}{
		{"ErrFebruary30", "2023-02-30", `date "2023-02-30": February 2023 has 28 days`},
		{"ErrFebruary29NotLeap", "2023-02-29", "February 2023 has 28 days"},
		{"ErrApril31", "2023-04-31", "April 2023 has 30 days"},
		{"ErrDay00", "2023-04-00", "April 2023 has 30 days"},
		{"ErrMonth13", "2023-13", "month 13 is not between 01 and 12"},
		{"ErrMonth00", "2023-00", "month 00 is not between 01 and 12"},
		{"ErrYear0000", "0000", "year 0000 does not exist"},
		{"ErrEmpty", "", "empty"},
		{"ErrGarbage", "next blue moon", "not an EDTF date"},
		{"ErrShortYear", "23-04", "not an EDTF date"},
		{"ErrOneDigitMonth", "2023-4", "two digits"},
		{"ErrTooManyParts", "2023-04-25-01", "not an EDTF date"},
		{"ErrTwoQualifiers", "2023~?", "one qualifier"},
		{"ErrBothOpen", "../..", "at least one known end"},
		{"ErrSlashOnly", "/", "at least one known end"},
		{"ErrTwoSlashes", "2023/2024/2025", "one \"/\""},
		{"ErrBackwards", "2023-06/2023-04", "ends (2023-04) before it starts (2023-06)"},
		{"ErrNegativeYear", "-1985", `"-1985" is a negative year (1986 BCE); years before 0001 are not supported`},
		{"ErrNegativeYearBCE", "-0400", "401 BCE"},
		{"ErrNegativeMonth", "-0400-04", "401 BCE"},
		{"ErrNegativeIntervalEnd", "2023/-0400", "negative year"},
		{"ErrLongYear", "Y170000002", "more than four digits"},
		{"ErrFiveDigitYear", "12023", "years run from 0001 to 9999"},
		{"ErrUnspecifiedYear", "XXXX", "at most the last two digits"},
		{"ErrUnspecifiedMiddle", "2X23", "not an EDTF date"},
		{"ErrSpecifiedAfterUnspecified", "201X-04", "must be unspecified too"},
		{"ErrDayAfterUnspecifiedMonth", "2004-XX-12", "must be unspecified too"},
		{"ErrHalfUnspecifiedMonth", "2004-1X", "or XX when unspecified"},
		{"ErrSpring", "2019-21", "seasons (EDTF level 1"},
		{"ErrWinter", "2019-24", "seasons"},
		{"ErrSeasonNotMonth", "2019-24", "not supported"},
		{"ErrYear0000Unspecified", "0000-XX", "year 0000 does not exist"},
		{"ErrUnknownAndOpen", "/..", "at least one known end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := events.ParseDate(tt.in)
			if err == nil {
				t.Fatalf("ParseDate(%q) = %v, want an error", tt.in, d)
			}
			if got := err.Error(); !strings.Contains(got, tt.want) {
				t.Errorf("error = %q, want it to contain %q", got, tt.want)
			}
			var de *events.DateError
			if !errors.As(err, &de) {
				t.Errorf("error %T is not a *events.DateError", err)
			}
		})
	}
}

func TestDateUnknownAndOpenEnds(t *testing.T) {
	unknown, open := mustParseDate(t, "1985-04-12/"), mustParseDate(t, "1985-04-12/..")
	if unknown == open {
		t.Fatalf("1985-04-12/ == 1985-04-12/..: an unknown end must stay distinct from an open one")
	}
	if got, want := unknown.String(), "1985-04-12/"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	// Both cover every day from the start on, and compare the same way.
	for _, other := range []string{"1985-04-12", "2000", "../1985-04-12", "1990/"} {
		o := mustParseDate(t, other)
		if got, want := unknown.Overlaps(o), open.Overlaps(o); got != want || !got {
			t.Errorf("Overlaps(%s): unknown end %v, open end %v, want both true", o, got, want)
		}
	}
	if o := mustParseDate(t, "1985-04-11"); unknown.Overlaps(o) {
		t.Errorf("1985-04-12/ overlaps 1985-04-11, want not")
	}
	f1, l1 := unknown.Days()
	f2, l2 := open.Days()
	if f1 != f2 || l1 != l2 {
		t.Errorf("Days() = %s..%s (unknown), %s..%s (open), want equal", f1, l1, f2, l2)
	}
	if !unknown.Refines(open) || !open.Refines(unknown) {
		t.Errorf("an unknown and an open end with the same start should refine each other")
	}
}

func TestResolveDateRefusesNegativeYears(t *testing.T) {
	anchor := time.Date(2024, 4, 26, 0, 0, 0, 0, time.UTC)
	for _, in := range []string{"-0400", "-1985", "-1985-04-12"} {
		r, err := events.ResolveDate(in, anchor, true)
		if err == nil {
			t.Errorf("ResolveDate(%q) = %v, want a negative-year error", in, r.Date)
			continue
		}
		if !strings.Contains(err.Error(), "negative year") {
			t.Errorf("ResolveDate(%q): error %q, want it to say negative year", in, err)
		}
	}
	r, err := events.ResolveDate("201X", anchor, true)
	if err != nil || r.Date.String() != "201X" {
		t.Errorf("ResolveDate(201X) = %v, %v; want 201X", r.Date, err)
	}
}

func TestDateBounds(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		first, last string
	}{
		{"Exact", "2023-04", "2023-04-01", "2023-04-30"},
		{"ApproximateMonth", "2023-04~", "2023-03-01", "2023-05-31"},
		{"ApproximateMonthAcrossYear", "2023-01~", "2022-12-01", "2023-02-28"},
		{"ApproximateDay", "2024-03-01~", "2024-02-29", "2024-03-02"},
		{"ApproximateYear", "2023~", "2022-01-01", "2024-12-31"},
		{"UncertainDoesNotWiden", "2023-04?", "2023-04-01", "2023-04-30"},
		{"BothWidens", "2023-04%", "2023-03-01", "2023-05-31"},
		{"IntervalWidensEachEnd", "2023-04~/2023-06", "2023-03-01", "2023-06-30"},
		{"IntervalOpenEnd", "2023-04/..", "2023-04-01", "9999-12-31"},
		{"ClampedAtMinDay", "0001~", "0001-01-01", "0002-12-31"},
		{"ClampedAtMaxDay", "9999-12-31~", "9999-12-30", "9999-12-31"},
		{"ApproximateDecade", "201X~", "2009-01-01", "2020-12-31"},
		{"ApproximateUnspecifiedMonth", "2004-XX~", "2003-01-01", "2005-12-31"},
		{"ApproximateUnspecifiedDay", "1985-04-XX~", "1985-03-01", "1985-05-31"},
		{"ClampedUnspecified", "00XX~", "0001-01-01", "0100-12-31"},
		{"UnknownEnd", "2023-04/", "2023-04-01", "9999-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first, last := mustParseDate(t, tt.in).Bounds()
			if got, want := first.String()+".."+last.String(), tt.first+".."+tt.last; got != want {
				t.Errorf("Bounds(%s) = %s, want %s", tt.in, got, want)
			}
		})
	}
}

func TestDateOverlaps(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"SameMonth", "2023-04", "2023-04", true},
		{"DayInMonth", "2023-04-25", "2023-04", true},
		{"AdjacentMonths", "2023-04", "2023-05", false},
		{"ApproximateReachesNextMonth", "2023-04~", "2023-05", true},
		{"ApproximateReachesPreviousMonth", "2023-04~", "2023-03-31", true},
		{"ApproximateNotTwoMonths", "2023-04~", "2023-06-01", false},
		{"UncertainDoesNotReach", "2023-04?", "2023-05", false},
		{"AprilVsAugust", "2023-04", "2023-08", false},
		{"YearVsMonth", "2023", "2023-08", true},
		{"ApproximateYear", "2022~", "2023-08", true},
		{"IntervalContains", "2023-04/2023-08", "2023-06-15", true},
		{"IntervalMisses", "2023-04/2023-06", "2023-08", false},
		{"OpenEndReaches", "2023/..", "2050-01-01", true},
		{"OpenStartMisses", "../2022", "2023-01-01", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := mustParseDate(t, tt.a), mustParseDate(t, tt.b)
			if got := a.Overlaps(b); got != tt.want {
				t.Errorf("%s.Overlaps(%s) = %v, want %v", a, b, got, tt.want)
			}
			if got := b.Overlaps(a); got != tt.want {
				t.Errorf("%s.Overlaps(%s) = %v, want %v", b, a, got, tt.want)
			}
		})
	}
}

func TestDateRefines(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"DayRefinesMonth", "2023-04-25", "2023-04", true},
		{"MonthDoesNotRefineDay", "2023-04", "2023-04-25", false},
		{"MonthRefinesYear", "2023-04", "2023", true},
		{"SameRefinesSame", "2023-04", "2023-04", true},
		{"QualifiersIgnored", "2023-04-25~", "2023-04", true},
		{"ApproximateDoesNotWiden", "2023-05-01", "2023-04~", false},
		{"OtherMonth", "2023-05-01", "2023-04", false},
		{"DayRefinesInterval", "2023-05-01", "2023-04/2023-06", true},
		{"IntervalRefinesOpen", "2023-04/2023-06", "2023/..", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := mustParseDate(t, tt.a), mustParseDate(t, tt.b)
			if got := a.Refines(b); got != tt.want {
				t.Errorf("%s.Refines(%s) = %v, want %v", a, b, got, tt.want)
			}
		})
	}
}

func TestDateWidth(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"2023", 365},
		{"2024", 366},
		{"2024-02", 29},
		{"2023-02", 28},
		{"2023-04-25", 1},
		{"2023-04-25~", 1},
		{"2023-04/2023-06", 91},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := mustParseDate(t, tt.in).Width(); got != tt.want {
				t.Errorf("Width(%s) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestDateEncoding(t *testing.T) {
	type record struct {
		When  events.Date `json:"when"`
		Maybe events.Date `json:"maybe"`
	}
	in := record{When: mustParseDate(t, "2023-04~/2023-06")}
	t.Run("JSON", func(t *testing.T) {
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := string(b), `{"when":"2023-04~/2023-06","maybe":""}`; got != want {
			t.Errorf("json = %s, want %s", got, want)
		}
		var out record
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		if out != in {
			t.Errorf("round trip = %+v, want %+v", out, in)
		}
	})
	t.Run("ErrJSON", func(t *testing.T) {
		var out record
		err := json.Unmarshal([]byte(`{"when":"2023-02-30"}`), &out)
		if err == nil || !strings.Contains(err.Error(), "February 2023 has 28 days") {
			t.Errorf("error = %v, want February 2023 has 28 days", err)
		}
	})
	t.Run("Gob", func(t *testing.T) {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(in); err != nil {
			t.Fatal(err)
		}
		var out record
		if err := gob.NewDecoder(&buf).Decode(&out); err != nil {
			t.Fatal(err)
		}
		if out != in {
			t.Errorf("round trip = %+v, want %+v", out, in)
		}
	})
	t.Run("Zero", func(t *testing.T) {
		var d events.Date
		if got, want := d.IsZero(), true; got != want {
			t.Errorf("IsZero() = %v, want %v", got, want)
		}
		if got, want := d.String(), ""; got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	})
}

func TestDateOfDay(t *testing.T) {
	d := events.DateOfDay(day(t, "2024-02-29"))
	if got, want := d, mustParseDate(t, "2024-02-29"); got != want {
		t.Errorf("DateOfDay = %v, want %v", got, want)
	}
}
