package main

import (
	"encoding/json"
	"strings"
	"testing"
)

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

// TestConflictsPages checks --limit and --after: the pages of one item at
// a time, followed by their cursors, list the whole queue once, in order,
// and each page but the last says how to get the next.
func TestConflictsPages(t *testing.T) {
	path := demoArchive(t)
	var whole struct {
		Items []struct{ ID string } `json:"items"`
	}
	if err := json.Unmarshal([]byte(mustRunInProcess(t, path, "--json", "conflicts")), &whole); err != nil {
		t.Fatal(err)
	}
	if len(whole.Items) < 2 {
		t.Fatalf("the demo's queue has %d items, want at least 2 for pages", len(whole.Items))
	}
	var got []string
	after := ""
	for page := 0; ; page++ {
		if page > len(whole.Items) {
			t.Fatalf("more pages than items: %v", got)
		}
		args := []string{"--json", "conflicts", "--limit", "1"}
		if after != "" {
			args = append(args, "--after", after)
		}
		var p struct {
			Items []struct{ ID string } `json:"items"`
			Next  string                `json:"next"`
		}
		if err := json.Unmarshal([]byte(mustRunInProcess(t, path, args...)), &p); err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 1 {
			t.Fatalf("page %d has %d items, want 1", page, len(p.Items))
		}
		got = append(got, p.Items[0].ID)
		text := mustRunInProcess(t, path, args[1:]...)
		if hint := "more: sillok conflicts --limit 1 --after " + p.Next; (p.Next != "") != strings.Contains(text, hint) {
			t.Errorf("page %d: next %q, text:\n%s", page, p.Next, text)
		}
		if p.Next == "" {
			break
		}
		after = p.Next
	}
	var want []string
	for _, it := range whole.Items {
		want = append(want, it.ID)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("pages listed %v, the whole queue %v", got, want)
	}
	e2eFail(t, path, 2, []string{"--limit must not be negative"}, "conflicts", "--limit", "-1")
	e2eFail(t, path, 1, []string{"is not a cursor of the conflict queue"}, "conflicts", "--after", "zzz")
}
