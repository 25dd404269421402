package archive

import "testing"

// TestRevisionZero: every read takes a revision the same way: 0 is the
// empty archive (the zero value of a filter's At), Head the newest.
func TestRevisionZero(t *testing.T) {
	a := newFixture(t)
	v, err := a.View("", 0)
	if err != nil || v.Revision != 0 || len(v.Entities) != 0 {
		t.Errorf("View at 0: %v, %v; want the empty view", v, err)
	}
	page, err := a.Conflicts(ConflictFilter{})
	if err != nil || page.Revision != 0 || len(page.Conflicts) != 0 {
		t.Errorf("Conflicts of the zero filter: %+v, %v; want none at revision 0", page, err)
	}
	rows, err := a.Claims(ClaimFilter{})
	if err != nil || len(rows) != 0 {
		t.Errorf("Claims of the zero filter: %d, %v; want none", len(rows), err)
	}
	list, err := a.Log(0, 0)
	if err != nil || len(list) != 0 {
		t.Errorf("Log(0, 0): %d events, %v; want none", len(list), err)
	}
	if _, err := a.Log(3, 0); ErrorCode(err) != Invalid {
		t.Errorf("Log(3, 0): %v; want Invalid (3 is after 0)", err)
	}
	head, _, err := a.Head()
	if err != nil {
		t.Fatal(err)
	}
	list, err = a.Log(0, Head)
	if err != nil || Revision(len(list)) != head {
		t.Errorf("Log(0, Head): %d events, %v; want %d", len(list), err, head)
	}
	page, err = a.Conflicts(ConflictFilter{At: Head})
	if err != nil || page.Revision != head || len(page.Conflicts) == 0 {
		t.Errorf("Conflicts at Head: %+v, %v; want the fixture's at %d", page, err, head)
	}
	ch, err := a.Diff(0, Head)
	if err != nil || ch.From != 0 || ch.To != head || len(ch.Facts) == 0 {
		t.Errorf("Diff(0, Head): %+v, %v; want every fact added", ch, err)
	}
}
