package projections_test

import (
	"strings"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
)

func TestAliasGraphCheck(t *testing.T) {
	al := func(name, entity string) events.AliasDeclared {
		return events.AliasDeclared{Name: name, Entity: entity, Kind: events.AliasVariant}
	}
	g := projections.NewAliasGraph()
	for _, p := range []events.AliasDeclared{al("A", "B"), al("B", "C"), al("X", "Y"), {Name: "P", Entity: "Q", Kind: events.AliasDistinct}} {
		if err := g.Check(p); err != nil {
			t.Fatalf("Check(%v) = %v", p, err)
		}
		g.Add(p)
	}
	for _, tc := range []struct {
		p    events.AliasDeclared
		want string // "" for no error
	}{
		{al("C", "A"), "circular alias chain: C → A → B → C"},
		{al("c", "a."), "circular alias chain: c → a. → B → c"},
		{al("B", "A"), "circular alias chain: B → A → B"},
		{al("Y", "X"), "circular alias chain: Y → X → Y"},
		{al("Washington, D.C.", "washington DC"), "cannot be an alias of itself"},
		{events.AliasDeclared{Name: "US", Entity: "US", Kind: events.AliasDistinct}, "cannot be distinct from itself"},
		// Two spellings of one identity may be declared distinct (it
		// splits them); names that only fold together for comparison
		// are two names already.
		{events.AliasDeclared{Name: "US", Entity: "U.S.", Kind: events.AliasDistinct}, ""},
		{events.AliasDeclared{Name: "Disney+", Entity: "Disney", Kind: events.AliasDistinct}, ""},
		{al("C++", "C"), ""},
		{al("D", "A"), ""},
		// Names that only fold alike are different names (IdentityKey):
		// they may be declared different things, or aliases.
		{events.AliasDeclared{Name: "Disney+", Entity: "Disney", Kind: events.AliasDistinct}, ""},
		{al("C++", "C"), ""},
		{al("Q", "P"), ""}, // a distinct declaration is no alias
		{al("A", "C"), ""}, // another path the same way is no cycle
	} {
		err := g.Check(tc.p)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("Check(%q → %q) = %v, want nil", tc.p.Name, tc.p.Entity, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("Check(%q → %q) = %v, want %q", tc.p.Name, tc.p.Entity, err, tc.want)
		}
	}
}
