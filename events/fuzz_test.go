package events_test

import (
	"errors"
	"testing"
	"time"

	"github.com/sillok/sillok/events"
)

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"2023", "2023-04", "2023-04-25", "2023-04~", "2023?", "2023-04-25%",
		"2023-04/2023-06", "2023/..", "../2023-04", "2023-04-25/", "/2023",
		"2023-02-30", "2023-13", "0000", "", "next blue moon", "../..", "2023~?",
		"9999-12-31~", "0001~", " 2024-02-29 ", "201X", "20XX~", "2004-XX", "1985-04-XX/", "-0400", "2019-21", "00XX", "/2023?",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := events.ParseDate(s)
		if err != nil {
			var de *events.DateError
			if !errors.As(err, &de) {
				t.Fatalf("ParseDate(%q): error %T is not a *events.DateError", s, err)
			}
			return
		}
		checkDate(t, s, d)
	})
}

// checkDate checks the invariants of a valid Date.
func checkDate(t *testing.T, s string, d events.Date) {
	t.Helper()
	again, err := events.ParseDate(d.String())
	if err != nil {
		t.Fatalf("ParseDate(%q) = %v, but ParseDate(String() = %q): %v", s, d, d.String(), err)
	}
	if again != d {
		t.Fatalf("ParseDate(%q).String() = %q parses to %#v, want %#v", s, d.String(), again, d)
	}
	first, last := d.Days()
	bf, bl := d.Bounds()
	if first > last || bf > first || bl < last || bf < events.MinDay || bl > events.MaxDay {
		t.Fatalf("%q: Days() = %s..%s, Bounds() = %s..%s: want MinDay <= bounds <= days <= bounds <= MaxDay", s, first, last, bf, bl)
	}
	if !d.Overlaps(d) || !d.Refines(d) {
		t.Fatalf("%q: a date must overlap and refine itself", s)
	}
	if d.Width() < 1 {
		t.Fatalf("%q: Width() = %d, want >= 1", s, d.Width())
	}
}

func FuzzResolveDate(f *testing.F) {
	for _, s := range []string{
		"April 2023", "Apr. 2023", "Jan. 6, 2023", "6 January 2023", "the 25th", "on Thursday",
		"last Thursday", "August last year", "in April of last year", "May 21 last year",
		"2023年1月6日", "昨年8月", "25日", "8月頃", "2023년 4월 26일", "지난해 8월", "26일에",
		"２０２３年", "the day before yesterday", "Friday, April 25, 2024", "2023-04~/2023-06",
		"next blue moon", "", "on ", "the", "last", "February 29",
	} {
		f.Add(s, int64(1714111200), int32(9*60*60), true)
	}
	f.Add("yesterday", int64(-62135596800), int32(0), true) // 0001-01-01
	f.Add("tomorrow", int64(253402300799), int32(0), true)  // 9999-12-31
	f.Fuzz(func(t *testing.T, s string, unix int64, offset int32, hasAnchor bool) {
		anchor := time.Unix(unix, 0).In(time.FixedZone("", int(offset%(48*60*60))))
		r, err := events.ResolveDate(s, anchor, hasAnchor)
		if err != nil {
			var de *events.DateError
			if !errors.As(err, &de) {
				t.Fatalf("ResolveDate(%q): error %T is not a *events.DateError", s, err)
			}
			if errors.Is(err, events.ErrNoAnchor) && hasAnchor {
				t.Fatalf("ResolveDate(%q) with an anchor: %v", s, err)
			}
			return
		}
		if r.Expression != s {
			t.Fatalf("Expression = %q, want %q", r.Expression, s)
		}
		if r.Anchor != "" && !hasAnchor {
			t.Fatalf("ResolveDate(%q) without anchor gave Anchor %q", s, r.Anchor)
		}
		checkDate(t, s, r.Date)
	})
}

func FuzzParseQuantity(f *testing.F) {
	for _, s := range []string{
		"60", "60 countries", "~60 countries", "about 60 countries", "some 60", "1.5 trillion won",
		"1,500 billion won", "60개국", "약 60개국", "60か国", "約60カ国", "-3.5 percent", "3.5%",
		"60여 개국", "60 여", "６０％", "1조5000억 원", "1,5", ".5", "-0.0", "", "~",
		"1.5e3 won", "-2.5E-3 g", "1e999999", "0x10", "1_000", "+-1", "1e", "1 e3", "~1.5e3여 개국",
	} {
		f.Add(s, "62")
	}
	f.Fuzz(func(t *testing.T, s, other string) {
		q, err := events.ParseQuantity(s)
		if err != nil {
			return
		}
		again, err := events.ParseQuantity(q.String())
		if err != nil {
			t.Fatalf("ParseQuantity(%q) = %#v, but ParseQuantity(String() = %q): %v", s, q, q.String(), err)
		}
		if again != q {
			t.Fatalf("ParseQuantity(%q).String() = %q parses to %#v, want %#v", s, q.String(), again, q)
		}
		if !q.Compatible(q) {
			t.Fatalf("%q is not compatible with itself", s)
		}
		if o, err := events.ParseQuantity(other); err == nil && q.Compatible(o) != o.Compatible(q) {
			t.Fatalf("Compatible(%q, %q) is not symmetric", s, other)
		}
	})
}
