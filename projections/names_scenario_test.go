package projections_test

import (
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
)

// The expectations of testdata/folded-names, kept out of scenario_test.go's
// table.
func init() {
	name := func(status projections.ConflictStatus, a, b string, verdict events.Decision) wantConflict {
		// One source makes every claim: all conflicts are within it.
		return wantConflict{kind: projections.KindName, status: status, names: []string{a, b}, verdict: verdict, within: true}
	}
	fact := func(subject, value string, claim events.ClaimID) wantFact {
		return wantFact{subject: subject, predicate: "launched", value: value, status: projections.StatusSingleSource, claims: ids{claim}}
	}
	open := projections.ConflictOpen
	scenarios["folded-names"] = scenarioWant{
		conflicts: []wantConflict{
			name(projections.ConflictResolved, "C", "C++", events.DecisionDistinct),
			name(open, "C", "C#", ""),
			name(open, "C#", "C++", ""),
			name(projections.ConflictResolved, "Net", "Net😀", events.DecisionSame),
			// Once Net😀 is Net, their dates contradict.
			{kind: projections.KindValue, status: open, subject: "Net", predicate: "launched", claims: ids{"net", "net-emoji"}, within: true},
		},
		facts: []wantFact{
			fact("Disney", "1923", "disney"),
			fact("Disney+", "2019", "disney-plus"),
			fact("C", "1972", "c"),
			fact("C++", "1985", "cpp"),
			fact("C#", "2000", "csharp"),
		},
		aliases: map[string][]string{"Disney": nil, "Disney+": nil, "C": nil, "C++": nil, "C#": nil, "Net": {"Net😀"}},
		at: map[string]stateWant{
			"claims": {conflicts: []wantConflict{
				name(open, "Disney", "Disney+", ""),
				name(open, "C", "C++", ""),
				name(open, "C", "C#", ""),
				name(open, "C#", "C++", ""),
				name(open, "Net", "Net😀", ""),
			}, facts: []wantFact{fact("Disney", "1923", "disney"), fact("Disney+", "2019", "disney-plus"), fact("Net😀", "2021", "net-emoji")}},
			"distinct": {conflicts: []wantConflict{
				name(open, "C", "C++", ""),
				name(open, "C", "C#", ""),
				name(open, "C#", "C++", ""),
				name(open, "Net", "Net😀", ""),
			}},
		},
		diffs: []wantDiff{{name: "distinct",
			conflicts: []wantConflictChange{{projections.OpResolved, projections.KindName, "Disney", ""}}}},
	}
}
