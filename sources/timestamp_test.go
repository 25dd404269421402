package sources_test

import (
	"strings"
	"testing"

	"github.com/sillok/sillok/sources"
)

func TestParseTimestamp(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string // RFC 3339 of the result, or "" for an error
		hasTime bool
		err     string
	}{
		{"Date", "2024-06-07", "2024-06-07T00:00:00Z", false, ""},
		{"DateTime", "2024-04-26T09:10:00+09:00", "2024-04-26T09:10:00+09:00", true, ""},
		{"UTC", "2024-04-26T00:10:00Z", "2024-04-26T00:10:00Z", true, ""},
		{"FirstYear", "0001-01-01", "0001-01-01T00:00:00Z", false, ""},
		{"LastYear", "9999-12-31T23:59:59-12:00", "9999-12-31T23:59:59-12:00", true, ""},
		{"Kiribati", "2024-01-01T00:00:00+14:00", "2024-01-01T00:00:00+14:00", true, ""},
		{"MinusFourteen", "2024-01-01T00:00:00-14:00", "2024-01-01T00:00:00-14:00", true, ""},
		{"ErrYear0000", "0000-01-01", "", false, "year 0000 is out of range; years run from 0001 to 9999"},
		{"ErrYear0000DateTime", "0000-12-31T10:00:00Z", "", false, "year 0000 is out of range"},
		{"ErrOffsetFifteen", "2024-01-01T00:00:00+15:00", "", false, "the zone offset +15:00 is beyond ±14:00"},
		{"ErrOffsetNegative", "2024-01-01T00:00:00-14:30", "", false, "the zone offset -14:30 is beyond ±14:00"},
		{"ErrOffsetSixtyMinutes", "2024-01-01T00:00:00+13:60", "", false, "the zone offset +13:60 has 60 minutes"},
		{"ErrOffsetLarge", "2024-01-01T00:00:00+23:59", "", false, "beyond ±14:00"},
		{"ErrGarbage", "yesterday", "", false, "neither a date"},
		{"ErrNoSuchDay", "2023-02-29", "", false, `"2023-02-29": February 2023 has no day 29 (it has 28 days)`},
		{"ErrNoSuchDayDateTime", "2024-04-31T10:00:00+09:00", "", false, "April 2024 has no day 31 (it has 30 days)"},
		{"ErrNoSuchMonth", "2024-13-01", "", false, "month 13 does not exist"},
		{"LeapDay", "2024-02-29", "2024-02-29T00:00:00Z", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, hasTime, err := sources.ParseTimestamp(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ParseTimestamp(%q) = %v, %v; want an error containing %q", tt.in, got, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseTimestamp(%q): %v", tt.in, err)
			}
			if s := got.Format("2006-01-02T15:04:05Z07:00"); s != tt.want || hasTime != tt.hasTime {
				t.Errorf("ParseTimestamp(%q) = %s, %v; want %s, %v", tt.in, s, hasTime, tt.want, tt.hasTime)
			}
		})
	}
}
