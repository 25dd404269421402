package main

import "testing"

// TestConflictsFlagValues checks that --status and --kind take exactly the
// values projections.ParseConflictStatus and ParseConflictKind take (and
// "all"), and refuse others as usage errors.
func TestConflictsFlagValues(t *testing.T) {
	archive := newArchive(t, seedThree)
	for _, args := range [][]string{
		{"conflicts", "--status", "open"}, {"conflicts", "--status", "resolved"}, {"conflicts", "--status", "all"},
		{"conflicts", "--kind", "value"}, {"conflicts", "--kind", "temporal"}, {"conflicts", "--kind", "name"},
	} {
		if out := mustRunInProcess(t, archive, args...); out != "no conflicts\n" {
			t.Errorf("sillok %v printed %q", args, out)
		}
	}
	for _, bad := range []string{"Open", "opened", "", "all "} {
		e2eFail(t, archive, 2, []string{`--status must be open, resolved or all, not "` + bad + `"`}, "conflicts", "--status", bad)
	}
	for _, bad := range []string{"Value", "all", "names"} {
		e2eFail(t, archive, 2, []string{`--kind must be value, temporal or name, not "` + bad + `"`}, "conflicts", "--kind", bad)
	}
}
