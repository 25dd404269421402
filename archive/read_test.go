package archive

import (
	"slices"
	"strings"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
)

func TestView(t *testing.T) {
	a := newFixture(t)
	v, err := a.View("", Head)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range v.Entities {
		names = append(names, e.Name)
	}
	if len(names) != fixtureProbes || !slices.IsSorted(names) {
		t.Errorf("entities %v, want the %d probes in order", names, fixtureProbes)
	}
	one, err := a.View("alpha one", Head)
	if err != nil {
		t.Fatal(err)
	}
	if len(one.Entities) != 1 || one.Entities[0].Name != "Probe Alpha-1" || one.Revision != v.Revision {
		t.Errorf("the view of an alias: %+v, want Probe Alpha-1 at %d", one, v.Revision)
	}
	empty, err := a.View("", 0)
	if err != nil || empty.Revision != 0 || len(empty.Entities) != 0 {
		t.Errorf("the view at revision 0: %+v, %v; want no entities", empty, err)
	}
	if _, err := a.View("Probe Omega", Head); ErrorCode(err) != NotFound || strings.Contains(err.Error(), "sillok") {
		t.Errorf("an unknown subject: %v, want NotFound in the API's terms", err)
	}
	if _, err := a.View("", v.Revision+1); ErrorCode(err) != NotFound {
		t.Errorf("beyond the head: %v, want NotFound", err)
	}
}

func TestHeadLogDiff(t *testing.T) {
	a := newFixture(t)
	head, hash, err := a.Head()
	if err != nil {
		t.Fatal(err)
	}
	list, err := a.Log(0, Head)
	if err != nil {
		t.Fatal(err)
	}
	if Revision(len(list)) != head || list[len(list)-1].Hash != hash || list[0].Revision != 1 {
		t.Fatalf("Log holds %d events ending in %s, want %d ending in the head's %s", len(list), list[len(list)-1].Hash, head, hash)
	}
	last := list[len(list)-1]
	if last.Type != events.TypeVerdictRecorded {
		t.Errorf("the last event is a %s, want the verdict", last.Type)
	}
	part, err := a.Log(2, 4)
	if err != nil || len(part) != 3 || part[0].Revision != 2 || part[2].Revision != 4 {
		t.Errorf("Log(2, 4): %d events, %v", len(part), err)
	}
	for _, r := range [][2]Revision{{head + 1, 0}, {1, head + 1}} {
		if _, err := a.Log(r[0], r[1]); ErrorCode(err) != NotFound {
			t.Errorf("Log(%d, %d): %v, want NotFound", r[0], r[1], err)
		}
	}
	if _, err := a.Log(4, 2); ErrorCode(err) != Invalid {
		t.Errorf("Log(4, 2): %v, want Invalid", err)
	}

	ch, err := a.Diff(head-1, Head)
	if err != nil {
		t.Fatal(err)
	}
	if ch.From != head-1 || ch.To != head || len(ch.Conflicts) != 1 || ch.Conflicts[0].Op == "" {
		t.Errorf("the verdict's diff: %+v, want the one conflict it resolved", ch)
	}
	if _, err := a.Diff(head, head-1); ErrorCode(err) != Invalid {
		t.Errorf("Diff backwards: %v, want Invalid", err)
	}
	if _, err := a.Diff(1, head+1); ErrorCode(err) != NotFound {
		t.Errorf("Diff beyond the head: %v, want NotFound", err)
	}
}

func TestSourcesRead(t *testing.T) {
	a := newFixture(t)
	list, err := a.Sources()
	if err != nil {
		t.Fatal(err)
	}
	var ids []events.SourceID
	for _, s := range list {
		ids = append(ids, s.ID)
	}
	if want := []events.SourceID{"north-gazette", "south-courier", "east-herald"}; !slices.Equal(ids, want) {
		t.Fatalf("sources %v, want %v in the order archived", ids, want)
	}
	if list[0].Claims != fixtureProbes+1 || list[2].Claims != 1 {
		t.Errorf("claims citing them: %d and %d, want %d and 1", list[0].Claims, list[2].Claims, fixtureProbes+1)
	}
	s, err := a.Source("south-courier", true)
	if err != nil {
		t.Fatal(err)
	}
	if s.Publisher != "South Courier" || s.Revision != 2 || !strings.Contains(s.Text, "Agency South") {
		t.Errorf("south-courier: %+v", s)
	}
	if s, err := a.Source("south-courier", false); err != nil || s.Text != "" {
		t.Errorf("without its text: %q, %v", s.Text, err)
	}
	if _, err := a.Source("nowhere", false); ErrorCode(err) != NotFound {
		t.Errorf("an unknown source: %v, want NotFound", err)
	}
}

// TestReadsAreCopies checks that what the reads return outlives their
// transactions and later writes: a write after a read does not change it.
func TestReadsAreCopies(t *testing.T) {
	a := newFixture(t)
	page, err := a.Conflicts(ConflictFilter{At: Head})
	if err != nil {
		t.Fatal(err)
	}
	before := conflictIDs(page.Conflicts)
	statuses := make([]projections.ConflictStatus, len(page.Conflicts))
	for i, cf := range page.Conflicts {
		statuses[i] = cf.Status
	}
	mustVerdict(t, a, "Probe Alpha-2", "operator", events.DecisionDismiss, "")
	for i, cf := range page.Conflicts {
		if string(cf.ID) != before[i] || cf.Status != statuses[i] {
			t.Errorf("conflict %d changed under the caller: %s %s, was %s %s", i, cf.ID, cf.Status, before[i], statuses[i])
		}
	}
	now, err := a.Conflicts(ConflictFilter{At: Head, Status: projections.ConflictResolved})
	if err != nil || len(now.Conflicts) != 2 {
		t.Errorf("after a second dismissal: %d resolved, %v; want 2", len(now.Conflicts), err)
	}
}
