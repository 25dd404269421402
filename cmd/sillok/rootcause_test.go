package main

import (
	"strings"
	"testing"
)

// TestQueueOneItemPerRootCause: on the demo's archive (after its verdict),
// the three open combinations of "first meeting on the same day as the
// launch" are one item of the queue, in the table and in --json; conflicts
// show of the root lists them; review of the root settles all three, and
// each combination's own id still works.
func TestQueueOneItemPerRootCause(t *testing.T) {
	_, _, archive := runDemo(t)
	var page struct {
		Conflicts []struct {
			ID, Kind, Root string
		}
		Items []struct {
			ID, Kind, Status string
			Conflicts        []string
		}
	}
	e2eJSON(t, archive, &page, "conflicts", "--kind", "temporal")
	if len(page.Conflicts) != 3 || len(page.Items) != 1 {
		t.Fatalf("open temporal conflicts: got %d conflicts in %d items, want 3 in 1: %+v", len(page.Conflicts), len(page.Items), page)
	}
	root := page.Items[0].ID
	for _, cf := range page.Conflicts {
		if cf.Root != root {
			t.Errorf("conflict %s: root %q, want the item's id %q", cf.ID, cf.Root, root)
		}
	}
	table := mustRunInProcess(t, archive, "conflicts", "--kind", "temporal")
	if n := strings.Count(table, "\n"); n != 2 || !strings.Contains(table, root) || !strings.Contains(table, "3 combinations") {
		t.Errorf("conflicts --kind temporal: got %q, want a header and one row %s with 3 combinations", table, root)
	}
	show := mustRunInProcess(t, archive, "conflicts", "show", root)
	for _, cf := range page.Conflicts {
		if !strings.Contains(show, cf.ID) {
			t.Errorf("conflicts show %s: got %q, want combination %s listed", root, show, cf.ID)
		}
	}
	out := mustRunInProcess(t, archive, "review", root, "--reject", "hl-first-meeting-same-day", "--note", "the meeting came later")
	if n := strings.Count(out, "review "); n != 3 {
		t.Errorf("review %s: got %q, want one verdict line per combination", root, out)
	}
	if got := mustRunInProcess(t, archive, "conflicts", "--kind", "temporal"); got != "no conflicts\n" {
		t.Errorf("open temporal conflicts after the review: got %q, want none", got)
	}
	e2eFail(t, archive, 1, []string{"already resolved"}, "review", page.Conflicts[0].ID, "--dismiss")
}
