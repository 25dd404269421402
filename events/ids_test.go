package events_test

import (
	"strings"
	"testing"

	"github.com/sillok/sillok/events"
)

func TestValidIDs(t *testing.T) {
	for _, tt := range []struct {
		id string
		ok bool
	}{
		{"readable-2024-06-07", true}, {"a", true}, {"a1-b2", true},
		{"", false}, {"-a", false}, {"a-", false}, {"a--b", false}, {"A", false}, {"a_b", false},
		{"a b", false}, {"é", false}, {strings.Repeat("a", 64), true}, {strings.Repeat("a", 65), false},
	} {
		if got := events.ValidSourceID(events.SourceID(tt.id)) == nil; got != tt.ok {
			t.Errorf("ValidSourceID(%q) ok = %v, want %v", tt.id, got, tt.ok)
		}
	}
	for _, tt := range []struct {
		id string
		ok bool
	}{
		{"hl-launched", true}, {"c-0a1b2c3d4e5f", true}, {"A.b_c:d-e", true}, {"9", true},
		{"", false}, {"-a", false}, {".a", false}, {"a b", false}, {"a/b", false}, {"ä", false},
		{strings.Repeat("x", 128), true}, {strings.Repeat("x", 129), false},
	} {
		if got := events.ValidClaimID(events.ClaimID(tt.id)) == nil; got != tt.ok {
			t.Errorf("ValidClaimID(%q) ok = %v, want %v", tt.id, got, tt.ok)
		}
	}
}
