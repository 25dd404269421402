package events

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestResolveDateSuggestsMisspelledMonth(t *testing.T) {
	anchor := time.Date(2024, 4, 26, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct{ in, want string }{
		{"Apirl 2023", "April 2023"},
		{"Agust 2023", "August 2023"},
		{"septmber 12, 2023", "september 12, 2023"},
		{"25 Febuary 2024", "25 February 2024"},
		{"last Thrusday", "last Thursday"},
		{"Octobre 2023", "October 2023"},
		{"Ｍａｒｃｈｈ 2023", "March 2023"},
	} {
		_, err := ResolveDate(c.in, anchor, true)
		var de *DateError
		if !errors.As(err, &de) {
			t.Fatalf("%q: error %v, want a *DateError", c.in, err)
		}
		if de.Suggestion != c.want {
			t.Errorf("%q: suggestion %q, want %q", c.in, de.Suggestion, c.want)
		}
		if want := `did you mean "` + c.want + `"?`; !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %q does not say %s", c.in, err, want)
		}
		if _, err := ResolveDate(de.Suggestion, anchor, true); err != nil {
			t.Errorf("%q: the suggestion %q does not resolve: %v", c.in, de.Suggestion, err)
		}
	}
	// Nothing near a month or weekday, or an unknown word beside one that
	// would still not parse: no suggestion, the usual advice.
	for _, in := range []string{"next blue moon", "Apirl blue 2023", "Jnu 2023"} {
		_, err := ResolveDate(in, anchor, true)
		var de *DateError
		if !errors.As(err, &de) || de.Suggestion != "" || !strings.Contains(err.Error(), "write an EDTF date") {
			t.Errorf("%q: error %v, want no suggestion", in, err)
		}
	}
}
