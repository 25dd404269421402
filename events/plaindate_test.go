package events

import (
	"fmt"
	"testing"
	"time"
)

// TestPlainDate checks the plain-date path of ParseDate against the
// general grammar on every day, month and year form around the edges, and
// on near misses, which it must leave to the general grammar.
func TestPlainDate(t *testing.T) {
	check := func(s string, wantPlain bool) {
		t.Helper()
		p, ok := plainDatePoint(s)
		want, err := parseDate(s)
		if ok != wantPlain {
			t.Errorf("plainDatePoint(%q) ok = %v, want %v", s, ok, wantPlain)
		}
		if ok && (err != nil || (Date{start: p}) != want) {
			t.Errorf("%q: plain path %#v, general grammar %#v, %v", s, Date{start: p}, want, err)
		}
		got, gotErr := ParseDate(s)
		if got != want || (gotErr == nil) != (err == nil) {
			t.Errorf("ParseDate(%q) = %v, %v; general grammar %v, %v", s, got, gotErr, want, err)
		}
	}
	for _, y := range []int{1, 4, 99, 100, 400, 1000, 1582, 1600, 1700, 1900, 2000, 2023, 2024, 2100, 9999} {
		check(fmt.Sprintf("%04d", y), true)
		for m := 0; m <= 13; m++ {
			check(fmt.Sprintf("%04d-%02d", y, m), m >= 1 && m <= 12)
			for d := 0; d <= 32; d++ {
				valid := m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, time.Month(m))
				check(fmt.Sprintf("%04d-%02d-%02d", y, m, d), valid)
			}
		}
	}
	for _, s := range []string{"0000", "0000-01", "0000-01-01", "2023-4", "2023-04-1", "2023/04/01", "2023-04-01~", " 2023", "2023 ",
		"202X", "2023-XX", "2023-04-XX", "-2023", "Y2023", "20230", "2023-004", "2023-04-001", "2023_04", "2023-04_01", "", "abcd", "2023-0a", "2023-04-0a"} {
		check(s, false)
	}
}

func FuzzPlainDate(f *testing.F) {
	for _, s := range []string{"2023", "2023-04", "2024-02-29", "2023-02-29", "0001-01-01", "9999-12-31", "2023-13", "1900-02-29"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := plainDatePoint(s)
		want, err := parseDate(s)
		if ok && (err != nil || (Date{start: p}) != want) {
			t.Fatalf("%q: plain path %#v, general grammar %#v, %v", s, Date{start: p}, want, err)
		}
	})
}
