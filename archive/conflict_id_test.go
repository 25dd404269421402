package archive

import (
	"errors"
	"strings"
	"testing"

	"github.com/sillok/sillok/projections"
)

// TestFindConflict: a conflict is found by its id or a unique prefix of 4
// or more hex digits; a shorter prefix asks for 4 (even when it matches),
// a prefix several conflicts share lists them, and what is not hex says so.
func TestFindConflict(t *testing.T) {
	an := &projections.Analysis{Rev: 42, Conflicts: []*projections.Conflict{
		{ID: "abf91dbbdf", Kind: "value", Summary: "launched: 2023-04 vs 2023-08"},
		{ID: "abf9200000", Kind: "name", Summary: `"DTPN" / "Disruptive Technology Protection Network"`},
		{ID: "b4432d0319", Kind: "temporal", Summary: "launched after held"},
	}}
	tests := []struct {
		id, wantID string
		wantErr    []string
	}{
		{id: "abf91dbbdf", wantID: "abf91dbbdf"},
		{id: "b443", wantID: "b4432d0319"},
		{id: "ABF91", wantID: "abf91dbbdf"},
		{id: "ab", wantErr: []string{`conflict id "ab" is too short: give at least 4 of its hex digits`}},
		{id: "b44", wantErr: []string{`conflict id "b44" is too short`}},
		{id: "abf9", wantErr: []string{"conflict id abf9 matches 2 conflicts; give more digits:",
			"\n  abf91dbbdf  value  launched: 2023-04 vs 2023-08", "\n  abf9200000  name  "}},
		{id: "cccc", wantErr: []string{`no conflict "cccc" at revision 42`}},
		{id: "launch", wantErr: []string{`"launch" is not a conflict id`, "hex digits"}},
		{id: "", wantErr: []string{"no conflict id given"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			cf, err := findConflict(an, tt.id)
			if tt.wantID != "" {
				if err != nil || string(cf.ID) != tt.wantID {
					t.Fatalf("got %v, %v, want %s", cf, err, tt.wantID)
				}
				return
			}
			if err == nil {
				t.Fatalf("got conflict %s, want an error", cf.ID)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got %q, want it to say %q", err, w)
				}
			}
		})
	}
}

// TestConflictIDCodes: an id no conflict has is NotFound and
// projections.ErrUnknownConflict; a malformed one is Invalid.
func TestConflictIDCodes(t *testing.T) {
	an := &projections.Analysis{Rev: 1, Conflicts: []*projections.Conflict{{ID: "abf91dbbdf"}}}
	_, err := findConflict(an, "cccc")
	if ErrorCode(err) != NotFound || !errors.Is(err, projections.ErrUnknownConflict) {
		t.Errorf("no match: got %v (code %q), want NotFound and ErrUnknownConflict", err, ErrorCode(err))
	}
	for _, id := range []string{"", "ab", "zzzz"} {
		if _, err := findConflict(an, id); ErrorCode(err) != Invalid || errors.Is(err, projections.ErrUnknownConflict) {
			t.Errorf("%q: got %v (code %q), want Invalid", id, err, ErrorCode(err))
		}
	}
}
