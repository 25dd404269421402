package events

import "testing"

func TestDescribeVerdict(t *testing.T) {
	names := []string{"Kim Jong-un", "Kim Jong Un"}
	for _, c := range []struct {
		d                   Decision
		asked, done, logged string
	}{
		{DecisionAccept, "accept c1", "accepted c1", "accepted c1"},
		{DecisionReject, "reject c1", "rejected c1", "rejected c1"},
		{DecisionDismiss, "dismiss", "dismissed (not a contradiction)", "dismissed"},
		{DecisionSame, "same entity", "declared the same entity", "same: Kim Jong-un = Kim Jong Un"},
		{DecisionDistinct, "different things", "declared different things", "distinct: Kim Jong-un ≠ Kim Jong Un"},
		{"shrug", "shrug", "shrug", "shrug"},
	} {
		for w, want := range []string{c.asked, c.done, c.logged} {
			if got := DescribeVerdict(c.d, "c1", names, Wording(w)); got != want {
				t.Errorf("DescribeVerdict(%s, wording %d) = %q, want %q", c.d, w, got, want)
			}
		}
	}
}
