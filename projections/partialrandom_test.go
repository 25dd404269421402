package projections

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
)

// TestIncrementalRandom interleaves, at random (seeded), claims on names
// that look alike (in forms of one name, with "as", as entity values),
// retractions, distinct declarations and name verdicts (dismiss, distinct,
// same; some from a stale analysis), and after every write compares the
// stored model with a replay's, key for key: the incremental paths of
// retractions and name verdicts against the full analysis, where the
// write's conditions for them are met and where they are not.
func TestIncrementalRandom(t *testing.T) {
	seeds := 12
	if testing.Short() {
		seeds = 3
	}
	pool := []string{"Hyundai Motor", "HYUNDAI MOTOR", "Hyundai Motors", "Hyundai Motar", "Hyundai Motor Company",
		"Hyundai Motors Company", "ASEAN", "Asean", "Samsung Electronics", "Samsung Electronic", "Loop", "Hub"}
	// How many retractions, distinct declarations and name verdicts took
	// each path.
	incremental, full := 0, 0
	defer func() {
		t.Logf("retractions, distinct declarations and name verdicts: %d incremental, %d full", incremental, full)
		if !t.Failed() && (incremental == 0 || full == 0) {
			t.Errorf("retractions, distinct declarations and name verdicts took the incremental path %d times and the full one %d times; want both", incremental, full)
		}
	}()
	for seed := range seeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(seed), 16))
			m := newModelLog(t, 1000)
			m.fatal = true
			st, step, analysis := m.st, m.step, m.analysis
			step("the vocabulary", eventstest.Predicate("founded", events.KindDate), eventstest.Predicate("led by", events.KindEntity),
				m.source("wire", "some words"))
			var claims []events.ClaimID
			retracted := map[events.ClaimID]bool{}
			var stale *Analysis
			count := func(partial bool) {
				if partial {
					incremental++
				} else {
					full++
				}
			}
			name := func() string { return pool[rng.IntN(len(pool))] }
			for i := range 40 {
				switch k := rng.IntN(10); {
				case k < 4: // a claim
					c := eventstest.Claim(fmt.Sprintf("c%d", i), "wire", name(), "founded", "", "some words")
					c.Value = events.Value{Kind: events.KindDate, Date: fmt.Sprint(2000 + rng.IntN(3))}
					if rng.IntN(3) == 0 {
						c.Predicate = "led by"
						c.Value = events.Value{Kind: events.KindEntity, Entity: name()}
					}
					if rng.IntN(5) == 0 {
						c.As = name()
					}
					claims = append(claims, c.ID)
					step("claim "+string(c.ID), c)
				case k < 6: // a retraction
					if len(claims) == 0 {
						continue
					}
					id := claims[rng.IntN(len(claims))]
					if retracted[id] {
						continue
					}
					retracted[id] = true
					p := st.PartialWrites
					step("retract "+string(id), &events.ClaimRetracted{Claim: id, Reason: "test"})
					count(st.PartialWrites > p)
				case k < 7: // a distinct declaration
					p := st.PartialWrites
					step("alias distinct", &events.AliasDeclared{Name: name(), Entity: name(), Kind: events.AliasDistinct})
					count(st.PartialWrites > p)
				default: // a name verdict
					an := analysis()
					if stale != nil && rng.IntN(3) == 0 {
						an = stale
					}
					stale = analysis()
					var open []*Conflict
					for _, cf := range an.Conflicts {
						if cf.Kind == KindName {
							open = append(open, cf)
						}
					}
					if len(open) == 0 {
						continue
					}
					cf := open[rng.IntN(len(open))]
					d := []events.Decision{events.DecisionDismiss, events.DecisionDistinct, events.DecisionDistinct, events.DecisionSame}[rng.IntN(4)]
					v, err := an.Verdict(cf, d, "", "", true)
					if err != nil {
						t.Fatal(err)
					}
					p := st.PartialWrites
					step(fmt.Sprintf("%s on %s %v", d, cf.ID, cf.Names), v)
					count(st.PartialWrites > p)
				}
			}
		})
	}
}
