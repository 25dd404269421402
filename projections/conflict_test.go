package projections

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestParseConflictValues checks that the parsers take every valid value
// and refuse anything else, saying what the valid values are.
func TestParseConflictValues(t *testing.T) {
	for _, k := range ConflictKinds {
		if got, err := ParseConflictKind(string(k)); err != nil || got != k {
			t.Errorf("ParseConflictKind(%q) = %q, %v", k, got, err)
		}
	}
	for _, s := range ConflictStatuses {
		if got, err := ParseConflictStatus(string(s)); err != nil || got != s {
			t.Errorf("ParseConflictStatus(%q) = %q, %v", s, got, err)
		}
	}
	for _, s := range FactStatuses {
		if got, err := ParseFactStatus(string(s)); err != nil || got != s {
			t.Errorf("ParseFactStatus(%q) = %q, %v", s, got, err)
		}
	}
	for _, bad := range []string{"", "all", "Value", " open", "opened", "agree"} {
		if _, err := ParseConflictKind(bad); err == nil || !strings.Contains(err.Error(), "value, temporal or name") {
			t.Errorf("ParseConflictKind(%q): %v", bad, err)
		}
		if _, err := ParseConflictStatus(bad); err == nil || !strings.Contains(err.Error(), "open or resolved") {
			t.Errorf("ParseConflictStatus(%q): %v", bad, err)
		}
		if _, err := ParseFactStatus(bad); err == nil || !strings.Contains(err.Error(), "single-source, agreed, conflict or resolved") {
			t.Errorf("ParseFactStatus(%q): %v", bad, err)
		}
	}
}

// TestConflictJSON checks that the typed fields marshal as the strings
// they replaced.
func TestConflictJSON(t *testing.T) {
	cf := Conflict{ID: "abf91dbbdf", Kind: KindTemporal, Status: ConflictResolved,
		Claims: []ConflictClaim{{ID: "c1", Role: RoleRelation}}}
	b, err := json.Marshal(&cf)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"id":"abf91dbbdf"`, `"kind":"temporal"`, `"status":"resolved"`, `"role":"relation"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s: no %s", b, want)
		}
	}
	var back Conflict
	if err := json.Unmarshal(b, &back); err != nil || back.Kind != KindTemporal || back.Status != ConflictResolved {
		t.Errorf("round trip: %+v, %v", back, err)
	}
}

// TestConflictIDStable pins the conflict id hash: ids are stored in
// verdict events, so the hash of what a conflict concerns never changes
// (sha256 of the kind and the parts joined by NUL, first five bytes).
func TestConflictIDStable(t *testing.T) {
	if got := conflictID(KindValue, "harbor summit", "held"); got != "91c4295e83" {
		t.Errorf("conflictID = %s", got)
	}
}
