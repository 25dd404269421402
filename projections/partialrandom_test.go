package projections

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
)

// TestIncrementalRandom interleaves, at random (seeded), claims on names
// that look alike (in forms of one name, with "as", as entity values, in
// relations, from two sources), retractions, declarations (distinct, and
// other names), verdicts on value and temporal conflicts, and name
// verdicts (dismiss, distinct, same; some from a stale analysis), and after every write compares the
// stored model with a replay's, key for key: the incremental paths of
// retractions and name verdicts against the full analysis, where the
// write's conditions for them are met and where they are not.
// One seed in three names only distinct names, with mostly "same"
// verdicts on conflicts with none yet, which a merge takes incrementally
// (partialsame.go): half of those seeds with no "as", declarations or
// entity values (entities of one name each), half with "as" and alias
// declarations (translations among them) joining the names, names seen
// only as aliases, and entity values.
// SILLOK_RANDOM_SEEDS=N runs N seeds instead of 12.
func TestIncrementalRandom(t *testing.T) {
	seeds := 12
	if testing.Short() {
		seeds = 3
	}
	if n, err := strconv.Atoi(os.Getenv("SILLOK_RANDOM_SEEDS")); err == nil && n > 0 {
		seeds = n // a longer soak
	}
	plainPool := []string{"Agency for the Nudepasa", "Agency of the Nudepasa", "Agency of the Nudepaza", "Agency for the Nudepaza",
		"Bakamobu Institute", "Bakamobu Institut", "Loop", "Hub"}
	// Names the aliased seeds add as aliases only.
	aliasPool := []string{"ヌデパサ庁", "바카모부 연구소", "Nudepasa Agency", "Bakamobu"}
	pool := []string{"Hyundai Motor", "HYUNDAI MOTOR", "Hyundai Motors", "Hyundai Motar", "Hyundai Motor Company",
		"Hyundai Motors Company", "ASEAN", "Asean", "Samsung Electronics", "Samsung Electronic", "Loop", "Hub"}
	// How many retractions, distinct declarations and name verdicts took
	// each path.
	incremental, full := 0, 0
	// How many "same" verdicts between entities with aliases took each.
	aliasedSame := [2]int{}
	defer func() {
		t.Logf("retractions, distinct declarations and name verdicts: %d incremental, %d full", incremental, full)
		t.Logf("same between entities with aliases: %d incremental, %d full", aliasedSame[1], aliasedSame[0])
		if !t.Failed() && (incremental == 0 || full == 0) {
			t.Errorf("retractions, distinct declarations and name verdicts took the incremental path %d times and the full one %d times; want both", incremental, full)
		}
		if !t.Failed() && aliasedSame[1] == 0 {
			t.Errorf("no \"same\" between entities with aliases took the incremental path")
		}
	}()
	// Seeds beyond the default that once found a fault, run always.
	// 37: a fact whose value conflict was kept from a verdict on claims
	// that a later split of names put on another entity; 353: the other
	// way round, a conflict rebuilt from its verdict where the checks
	// find one of that id on an entity the write does not own. 35: an
	// aliased seed whose merges of entities with aliases take the
	// incremental path.
	all := make([]int, seeds)
	for i := range all {
		all[i] = i
	}
	for _, seed := range []int{35, 37, 353} {
		if seed >= seeds {
			all = append(all, seed)
		}
	}
	for _, seed := range all {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(seed), 16))
			m := newModelLog(t, 1000)
			m.fatal = true
			st, step, analysis := m.st, m.step, m.analysis
			step("the vocabulary", eventstest.Predicate("founded", events.KindDate), eventstest.Predicate("led by", events.KindEntity),
				eventstest.Predicate("opened", events.KindDate), m.source("wire", "some words"), m.source("daily", "other words"))
			var claims []events.ClaimID
			retracted := map[events.ClaimID]bool{}
			declared := map[string]bool{}
			var stale *Analysis
			count := func(partial bool) {
				if partial {
					incremental++
				} else {
					full++
				}
			}
			names := pool
			// One seed in three names entities of one name each (above).
			plain := seed%3 == 2
			aliased := plain && seed/3%2 == 1
			if plain {
				names = plainPool
			}
			name := func() string { return names[rng.IntN(len(names))] }
			aliasName := func() string {
				if rng.IntN(2) == 0 {
					return aliasPool[rng.IntN(len(aliasPool))]
				}
				return name()
			}
			// Odd seeds write longer, so that names gather more claims than
			// a name conflict shows (keepsNameUsers).
			writes := 50
			if seed%2 == 1 {
				writes = 150
			}
			for i := range writes {
				switch k := rng.IntN(11); {
				case k < 4: // a claim
					c := eventstest.Claim(fmt.Sprintf("c%d", i), "wire", name(), "founded", "", "some words")
					c.Value = events.Value{Kind: events.KindDate, Date: fmt.Sprint(2000 + rng.IntN(3))}
					if rng.IntN(3) == 0 && (!plain || aliased) {
						c.Predicate = "led by"
						c.Value = events.Value{Kind: events.KindEntity, Entity: name()}
					}
					switch rng.IntN(6) {
					case 0:
						if !plain {
							c.As = name()
						} else if aliased {
							c.As = aliasName()
						}
					case 1:
						c.Predicate = "opened"
						c.Value = events.Value{Kind: events.KindDate, Relation: &events.Relation{Op: events.RelAfter,
							To: events.FactRef{Subject: name(), Predicate: "opened"}}}
					case 2:
						c.Predicate = "opened"
					}
					if rng.IntN(2) == 0 {
						c.Source = "daily"
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
				case k < 7 && (!plain || aliased): // a declaration: distinct, or another name
					kind := events.AliasDistinct
					if rng.IntN(3) == 0 {
						kind = events.AliasVariant
					}
					al := &events.AliasDeclared{Name: name(), Entity: name(), Kind: kind}
					if aliased {
						// Mostly names that join, translations among them.
						al.Name = aliasName()
						switch rng.IntN(8) {
						case 0:
						case 1, 2:
							al.Kind = events.AliasVariant
						default:
							al.Kind = events.AliasTranslation
						}
						kind = al.Kind
					}
					if key := al.Name + "\x00" + al.Entity + "\x00" + string(kind); declared[key] {
						continue // the log refuses a declaration made already
					} else {
						declared[key] = true
					}
					p := st.PartialWrites
					step("alias "+string(kind), al)
					if kind == events.AliasDistinct {
						count(st.PartialWrites > p)
					}
				case k < 8: // a verdict on a value or temporal conflict
					an := analysis()
					var open []*Conflict
					for _, cf := range an.Conflicts {
						if cf.Kind != KindName && len(cf.Claims) > 0 {
							open = append(open, cf)
						}
					}
					if len(open) == 0 {
						continue
					}
					cf := open[rng.IntN(len(open))]
					d := []events.Decision{events.DecisionAccept, events.DecisionReject, events.DecisionDismiss}[rng.IntN(3)]
					claim := events.ClaimID("")
					if d != events.DecisionDismiss {
						claim = cf.Claims[rng.IntN(len(cf.Claims))].ID
					}
					v, err := an.Verdict(cf, d, claim, "", true)
					if err != nil {
						t.Fatal(err)
					}
					step(fmt.Sprintf("%s on %s", d, cf.ID), v)
				default: // a name verdict
					an := analysis()
					if stale != nil && rng.IntN(3) == 0 && (!aliased || rng.IntN(3) == 0) {
						an = stale
					}
					stale = analysis()
					var open []*Conflict
					for _, cf := range an.Conflicts {
						// The plain seeds ask mostly about conflicts with
						// no verdict yet.
						if cf.Kind == KindName && (!plain || cf.Verdict == nil || rng.IntN(4) == 0 && !aliased) {
							open = append(open, cf)
						}
					}
					if len(open) == 0 {
						continue
					}
					cf := open[rng.IntN(len(open))]
					d := []events.Decision{events.DecisionDismiss, events.DecisionDistinct, events.DecisionDistinct, events.DecisionSame}[rng.IntN(4)]
					if plain && rng.IntN(2) == 0 {
						d = events.DecisionSame
					}
					v, err := an.Verdict(cf, d, "", "", true)
					if err != nil {
						t.Fatal(err)
					}
					p := st.PartialWrites
					step(fmt.Sprintf("%s on %s %v", d, cf.ID, cf.Names), v)
					count(st.PartialWrites > p)
					if ea, eb := an.Entity(cf.Names[0]), an.Entity(cf.Names[1]); d == events.DecisionSame && ea != nil && eb != nil &&
						len(ea.Aliases)+len(eb.Aliases) > 0 {
						if st.PartialWrites > p {
							aliasedSame[1]++
						} else {
							aliasedSame[0]++
						}
					}
				}
			}
		})
	}
}
