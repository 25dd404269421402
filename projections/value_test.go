package projections

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sillok/sillok/events"
)

// applyJSON folds an event whose payload is p, as the log would hold it.
func applyJSON(t *testing.T, s *State, p events.Payload) {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	e := events.Event{Revision: s.Rev + 1, Type: p.EventType(), Author: "t", Payload: b}
	if err := s.Apply(e, nil); err != nil {
		t.Fatal(err)
	}
}

func valueClaim(id events.ClaimID, pred string, v events.Value) *events.ClaimAsserted {
	return &events.ClaimAsserted{ID: id, Source: "s", Subject: "Port", Predicate: pred, Value: v,
		Quote: events.Anchor{Digest: events.Digest{1}, Quote: events.TextQuoteSelector{Exact: "q"}}}
}

// TestParsedOnce checks that a claim carries its value parsed when it is
// folded in, that a checkpoint round trip keeps it, and that a stored
// value that no longer parses is listed as a problem, not dropped: it
// stays in the view as written, equal only to the same string.
func TestParsedOnce(t *testing.T) {
	s := NewState()
	applyJSON(t, s, &events.PredicateDefined{Name: "opened", Kind: events.KindDate})
	applyJSON(t, s, &events.PredicateDefined{Name: "cost", Kind: events.KindQuantity})
	applyJSON(t, s, valueClaim("d1", "opened", events.Value{Kind: events.KindDate, Date: "2021-05"}))
	applyJSON(t, s, valueClaim("d2", "opened", events.Value{Kind: events.KindDate, Date: "2021-05-32"}))
	applyJSON(t, s, valueClaim("q1", "cost", events.Value{Kind: events.KindQuantity, Quantity: "1.5 million won"}))
	applyJSON(t, s, valueClaim("q2", "cost", events.Value{Kind: events.KindQuantity, Quantity: "1..5 won"}))
	// The same values again: a checkpoint parses each distinct one once.
	applyJSON(t, s, valueClaim("d3", "opened", events.Value{Kind: events.KindDate, Date: "2021-05-32"}))
	applyJSON(t, s, valueClaim("q3", "cost", events.Value{Kind: events.KindQuantity, Quantity: "1.5 million won"}))
	applyJSON(t, s, valueClaim("d4", "opened", events.Value{Kind: events.KindDate, Date: "2021-05"}))
	applyJSON(t, s, valueClaim("q4", "cost", events.Value{Kind: events.KindQuantity, Quantity: "1..5 won"}))

	check := func(what string, s *State) {
		t.Helper()
		for _, id := range []events.ClaimID{"d1", "d4"} {
			if d, ok := s.Claims[id].Date(); !ok || d.String() != "2021-05" {
				t.Errorf("%s: %s date = %v, %v", what, id, d, ok)
			}
		}
		for _, id := range []events.ClaimID{"q1", "q3"} {
			if q, ok := s.Claims[id].Quantity(); !ok || q.String() != "1.5 million won" {
				t.Errorf("%s: %s quantity = %v, %v", what, id, q, ok)
			}
		}
		if _, ok := s.Claims["d1"].Quantity(); ok {
			t.Errorf("%s: a date claim has a quantity", what)
		}
		if _, ok := s.Claims["d2"].Date(); ok {
			t.Errorf("%s: d2's date 2021-05-32 parsed", what)
		}
		var got []string
		for _, c := range s.ValueProblems() {
			got = append(got, string(c.ID))
			if !strings.Contains(c.ValueProblem(), "does not parse") {
				t.Errorf("%s: problem of %s = %q", what, c.ID, c.ValueProblem())
			}
		}
		if strings.Join(got, " ") != "d2 q2 d3 q4" {
			t.Errorf("%s: ValueProblems = %v, want [d2 q2 d3 q4]", what, got)
		}
		if p := s.Claims["d1"].ValueProblem(); p != "" {
			t.Errorf("%s: d1 has a problem: %s", what, p)
		}
	}
	check("folded", s)
	d, err := decodeState(encodeState(s), nil)
	if err != nil {
		t.Fatal(err)
	}
	check("from a checkpoint", d)

	// The view keeps the unparsable values as written, and the value
	// check sees them differ from the parsed ones.
	an := Analyze(s)
	var kinds []string
	for _, cf := range an.Conflicts {
		kinds = append(kinds, string(cf.Kind)+" "+cf.Predicate)
	}
	if strings.Join(kinds, ", ") != "value cost, value opened" {
		t.Errorf("conflicts = %v, want a value conflict on cost and on opened", kinds)
	}
}
