package gen

import (
	"fmt"
	"sort"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
)

// Accuracy is what Check found wrong.
type Accuracy struct {
	// Problems are examples of each kind of mismatch (at most 10 of each,
	// with a line counting them all when there are more): planted
	// conflicts missed, non-conflicts flagged, sources taken for copies,
	// and unplanted conflicts.
	Problems []string
	// Unexpected counts the conflicts found that were not planted.
	Unexpected int
}

// maxExamples caps the examples listed of each kind of mismatch.
const maxExamples = 10

func (r *Accuracy) addf(count *int, format string, args ...any) {
	*count++
	if *count <= maxExamples {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	}
}

func namePairKey(a, b string) string {
	x, y := projections.NameKey(a), projections.NameKey(b)
	if y < x {
		x, y = y, x
	}
	return x + " | " + y
}

func factKeyOf(subject, predicate string) string { return subject + " / " + predicate }

func temporalKey(relation string, x, y string) string { return relation + " " + x + " " + y }

// Check compares the conflicts of an analysis of a loaded generated set
// with its ground truth: every planted conflict is found, by kind and
// identity (value: subject and predicate; temporal: the relation claim and
// the two date claims; name: the two names); no planted non-conflict is
// flagged (precision refinements, one date in two languages, declared
// aliases and distinct names); translations and copies count as one
// source with their original and no independent source is taken for a
// copy; and no other conflict is found.
func Check(an *projections.Analysis, truth *Truth) Accuracy {
	var rep Accuracy
	// The conflicts found, by identity.
	found := map[string]*projections.Conflict{}
	for _, cf := range an.Conflicts {
		switch cf.Kind {
		case projections.KindValue:
			found["value "+factKeyOf(cf.Subject, cf.Predicate)] = cf
		case projections.KindTemporal:
			var rels, dates []string
			for _, cc := range cf.Claims {
				if cc.Role == "relation" {
					rels = append(rels, string(cc.ID))
				} else {
					dates = append(dates, string(cc.ID))
				}
			}
			if len(rels) != 1 || len(dates) != 2 {
				rep.Problems = append(rep.Problems, fmt.Sprintf("temporal conflict %s has %d relation and %d date claims; the generator makes no chains", cf.ID, len(rels), len(dates)))
				continue
			}
			found["temporal "+temporalKey(rels[0], dates[0], dates[1])] = cf
		case projections.KindName:
			found["name "+namePairKey(cf.Names[0], cf.Names[1])] = cf
		}
	}
	// Every planted conflict is found.
	planted := map[string]bool{}
	var missing int
	for _, v := range truth.Conflicts.Value {
		k := "value " + factKeyOf(v.Subject, v.Predicate)
		planted[k] = true
		if found[k] == nil {
			rep.addf(&missing, "missed planted value conflict %s (wrong claims %v)", factKeyOf(v.Subject, v.Predicate), v.Wrong)
		}
	}
	for _, v := range truth.Conflicts.Temporal {
		k := "temporal " + temporalKey(v.Relation, v.Dates[0], v.Dates[1])
		planted[k] = true
		if found[k] == nil {
			rep.addf(&missing, "missed planted temporal conflict: relation %s with dates %s and %s", v.Relation, v.Dates[0], v.Dates[1])
		}
	}
	for _, v := range truth.Conflicts.Name {
		k := "name " + namePairKey(v.Names[0], v.Names[1])
		planted[k] = true
		if found[k] == nil {
			rep.addf(&missing, "missed planted name conflict %q / %q (%s)", v.Names[0], v.Names[1], v.Reason)
		}
	}
	// No planted non-conflict is flagged.
	var flagged int
	for what, list := range map[string][]TruthFact{"precision refinement": truth.NonConflicts.Refinements, "same date in two languages": truth.NonConflicts.Languages} {
		for _, f := range list {
			if cf := found["value "+factKeyOf(f.Subject, f.Predicate)]; cf != nil {
				rep.addf(&flagged, "flagged a %s: %s (%s)", what, factKeyOf(f.Subject, f.Predicate), cf.Summary)
			}
		}
	}
	for _, al := range truth.NonConflicts.Aliases {
		if cf := found["name "+namePairKey(al.Name, al.Entity)]; cf != nil {
			rep.addf(&flagged, "flagged a declared %s alias: %s", al.Kind, cf.Summary)
		}
		if an.Canonical(al.Name) != an.Canonical(al.Entity) {
			rep.addf(&flagged, "declared %s alias %q of %q resolves to %q, not to its entity's %q", al.Kind, al.Name, al.Entity, an.Canonical(al.Name), an.Canonical(al.Entity))
		}
	}
	for _, d := range truth.NonConflicts.Distinct {
		if cf := found["name "+namePairKey(d.Names[0], d.Names[1])]; cf != nil {
			rep.addf(&flagged, "flagged names declared distinct: %s", cf.Summary)
		}
	}
	dependent := map[events.SourceID]bool{}
	for what, list := range map[string][]TruthSource{"translation": truth.NonConflicts.Translations, "copy": truth.NonConflicts.Copies} {
		for _, s := range list {
			dependent[events.SourceID(s.Source)] = true
			if x, y := an.Independent(events.SourceID(s.Source)), an.Independent(events.SourceID(s.Of)); x != y {
				rep.addf(&flagged, "%s %s of %s counts as another independent source (%s vs %s)", what, s.Source, s.Of, x, y)
			}
		}
	}
	var falseCopies int
	for id := range an.State.Sources {
		if !dependent[id] && an.Independent(id) != id {
			rep.addf(&falseCopies, "source %s is taken for a copy of %s, but the generator wrote it independently", id, an.Independent(id))
		}
	}
	// Nothing else is flagged.
	var unexpected []string
	for k, cf := range found {
		if !planted[k] {
			unexpected = append(unexpected, fmt.Sprintf("unplanted %s conflict %s: %s", cf.Kind, cf.ID, cf.Summary))
		}
	}
	sort.Strings(unexpected)
	rep.Unexpected = len(unexpected)
	rep.Problems = append(rep.Problems, unexpected[:min(len(unexpected), maxExamples)]...)
	if missing > maxExamples || flagged > maxExamples || falseCopies > maxExamples {
		rep.Problems = append(rep.Problems, fmt.Sprintf("in all: %d planted conflicts missed, %d non-conflicts flagged, %d false copies", missing, flagged, falseCopies))
	}
	return rep
}
