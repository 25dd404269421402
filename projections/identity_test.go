package projections

import (
	"slices"
	"strings"
	"testing"

	"github.com/sillok/sillok/events"
)

// identityState builds a State by hand for the entity resolution tests:
// each call is one event, at the next revision.
type identityState struct{ s *State }

func newIdentityState() *identityState {
	s := NewState()
	s.Predicates["launched"] = &Predicate{Name: "launched", Kind: events.KindDate, Rev: 1}
	s.Sources["catalog"] = &Source{ID: "catalog", Rev: 2}
	s.Rev = 2
	return &identityState{s}
}

func (b *identityState) claim(id, subject, date string) {
	b.s.Rev++
	c := &Claim{ID: events.ClaimID(id), Source: "catalog", Subject: subject,
		Predicate: "launched", Value: events.Value{Kind: events.KindDate, Date: date}, Quote: subject, Rev: b.s.Rev}
	c.parseValue() // as Apply does
	b.s.Claims[c.ID] = c
}

func (b *identityState) alias(name, entity string, kind events.AliasKind) {
	b.s.Rev++
	b.s.Aliases = append(b.s.Aliases, Alias{AliasDeclared: events.AliasDeclared{Name: name, Entity: entity, Kind: kind}, Rev: b.s.Rev})
}

// entityNames returns the names of the analysis's entities, each with its
// aliases after a "=", sorted.
func entityNames(an *Analysis) []string {
	var out []string
	for _, e := range an.Entities {
		n := e.Name
		for _, al := range e.Aliases {
			n += "=" + al.Name
		}
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// conflictList describes the conflicts: "value Subject" or "name A / B
// (reason)", sorted.
func conflictList(an *Analysis) []string {
	var out []string
	for _, cf := range an.Conflicts {
		if cf.Status != ConflictOpen {
			continue
		}
		switch cf.Kind {
		case KindName:
			names := slices.Sorted(slices.Values(cf.Names))
			out = append(out, "name "+strings.Join(names, " / ")+" ("+strings.SplitN(cf.Resemblance, ":", 2)[0]+")")
		default:
			out = append(out, string(cf.Kind)+" "+cf.Subject)
		}
	}
	slices.Sort(out)
	return out
}

func checkList(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

// The example: folding for comparison made "Disney" and "Disney+"
// one entity (with a value conflict between their dates), "C", "C++" and
// "C#" one, and "Net😀" the same as "Net".
func TestFoldedNamesAreNotOneEntity(t *testing.T) {
	b := newIdentityState()
	b.claim("disney", "Disney", "1923-10-16")
	b.claim("disney-plus", "Disney+", "2019-11-12")
	b.claim("c", "C", "1972")
	b.claim("cpp", "C++", "1985")
	b.claim("csharp", "C#", "2000")
	b.claim("net", "Net", "1995")
	b.claim("net-emoji", "Net😀", "2021")
	an := Analyze(b.s)
	checkList(t, "entities", entityNames(an), []string{"C", "C#", "C++", "Disney", "Disney+", "Net", "Net😀"})
	checkList(t, "conflicts", conflictList(an), []string{
		"name C / C# (folding)", "name C / C++ (folding)", "name C# / C++ (folding)",
		"name Disney / Disney+ (folding)", "name Net / Net😀 (folding)",
	})
	for _, name := range []string{"Disney+", "C++", "C#", "Net😀"} {
		if e := an.Entity(name); e == nil || e.Name != name {
			t.Errorf("Entity(%q): got %+v, want the entity %q", name, e, name)
		}
	}

	// A distinct declaration removes the name question and keeps them two.
	b.alias("Disney+", "Disney", events.AliasDistinct)
	an = Analyze(b.s)
	checkList(t, "entities after Disney+ distinct from Disney", entityNames(an), []string{"C", "C#", "C++", "Disney", "Disney+", "Net", "Net😀"})
	checkList(t, "conflicts after Disney+ distinct from Disney", conflictList(an), []string{
		"name C / C# (folding)", "name C / C++ (folding)", "name C# / C++ (folding)", "name Net / Net😀 (folding)",
	})
}

// Names that only write a word differently are still one name.
func TestSpellingsOfOneNameAreOneEntity(t *testing.T) {
	b := newIdentityState()
	b.claim("a", "Washington, D.C.", "1790")
	b.claim("b", "washington DC", "1791")
	b.claim("c", "ＷＡＳＨＩＮＧＴＯＮ  D.C.", "1790")
	an := Analyze(b.s)
	checkList(t, "entities", entityNames(an), []string{"Washington, D.C."})
	checkList(t, "conflicts", conflictList(an), []string{"value Washington, D.C."})
}

// A distinct declaration keeps two names apart even when aliases chain
// them together, whichever came first.
func TestDistinctBeatsLinks(t *testing.T) {
	b := newIdentityState()
	b.claim("disney", "Disney", "1923")
	b.claim("disney-plus", "Disney+", "2019")
	b.claim("c", "C", "1972")
	b.claim("csharp", "C#", "2000")
	// Before: the chain Disney = Mouse House = Disney+ and the alias
	// C# = C make one entity of each, with a value conflict.
	b.alias("Mouse House", "Disney", events.AliasVariant)
	b.alias("Mouse House", "Disney+", events.AliasVariant)
	b.alias("C#", "C", events.AliasVariant)
	an := Analyze(b.s)
	checkList(t, "entities before", entityNames(an), []string{"C=C#", "Disney=Disney+=Mouse House"})
	checkList(t, "conflicts before", conflictList(an), []string{"value C", "value Disney"})

	b.alias("Disney+", "Disney", events.AliasDistinct)
	b.alias("C", "C#", events.AliasDistinct)
	an = Analyze(b.s)
	// The earlier link stands (Mouse House is Disney's), the later one that
	// would join Disney+ is not followed.
	checkList(t, "entities after", entityNames(an), []string{"C", "C#", "Disney+", "Disney=Mouse House"})
	checkList(t, "conflicts after", conflictList(an), nil)

	// A reviewer's "same" between two names declared distinct, and a claim's
	// "as", do not join them either.
	b.s.Rev++
	b.s.Verdicts = append(b.s.Verdicts, Verdict{VerdictRecorded: events.VerdictRecorded{Conflict: "0123456789", Kind: string(KindName),
		Decision: events.DecisionSame, Names: []string{"Disney", "Disney+"}}, Rev: b.s.Rev})
	b.claim("as", "C", "1972")
	b.s.Claims["as"].As = "C#"
	an = Analyze(b.s)
	checkList(t, "entities after same and as", entityNames(an), []string{"C", "C#", "Disney+", "Disney=Mouse House"})
}

// Two names declared distinct are kept apart even when they are one name
// by IdentityKey: "ASEAN" and "Asean".
func TestDistinctSplitsOneIdentityKey(t *testing.T) {
	b := newIdentityState()
	b.claim("upper", "ASEAN", "1967")
	b.claim("mixed", "Asean", "2000")
	an := Analyze(b.s)
	checkList(t, "entities before", entityNames(an), []string{"ASEAN"})
	checkList(t, "conflicts before", conflictList(an), []string{"value ASEAN"})

	b.alias("Asean", "ASEAN", events.AliasDistinct)
	an = Analyze(b.s)
	checkList(t, "entities after", entityNames(an), []string{"ASEAN", "Asean"})
	checkList(t, "conflicts after", conflictList(an), nil)
	if e := an.Entity("Asean"); e == nil || e.Name != "Asean" {
		t.Errorf("Entity(\"Asean\"): got %+v, want the entity Asean", e)
	}
	// A third spelling is neither: it is asked about against both.
	b.claim("lower", "asean", "2001")
	an = Analyze(b.s)
	checkList(t, "entities with asean", entityNames(an), []string{"ASEAN", "Asean", "asean"})
	checkList(t, "conflicts with asean", conflictList(an), []string{"name ASEAN / asean (folding)", "name Asean / asean (folding)"})
}

// A name conflict between names whose NameKeys each belong to one entity
// keeps the id it had when entities were NameKeys, so verdicts recorded on
// it still apply; with more than one entity on a NameKey the ids differ.
func TestNameConflictIDs(t *testing.T) {
	b := newIdentityState()
	b.claim("disney", "Disney", "1923")
	b.claim("disny", "Disny Studios", "1923")
	b.claim("disney-studios", "Disney Studios!", "1923")
	b.alias("Disney Studios", "Disney Studios!", events.AliasVariant)
	an := Analyze(b.s)
	var got []string
	for _, cf := range an.Conflicts {
		got = append(got, string(cf.ID)+" "+strings.Join(cf.Names, " / "))
	}
	want := []string{string(conflictID(KindName, "disney studios", "disny studios")) + " Disney Studios! / Disny Studios"}
	checkList(t, "conflicts", got, want)

	b.claim("plus", "Disney Studios+", "1923")
	an = Analyze(b.s)
	got = nil
	for _, cf := range an.Conflicts {
		got = append(got, string(cf.ID)+" "+strings.Join(cf.Names, " / "))
	}
	slices.Sort(got)
	want = []string{
		string(conflictID(KindName, "disney studios!", "disny studios")) + " Disney Studios! / Disny Studios",
		string(conflictID(KindName, "disney studios!", "disney studios+")) + " Disney Studios! / Disney Studios+",
		string(conflictID(KindName, "disney studios+", "disny studios")) + " Disney Studios+ / Disny Studios",
	}
	slices.Sort(want)
	checkList(t, "conflicts with Disney Studios+", got, want)
}

// Many entities on one NameKey are asked about without every pair.
func TestFoldingQuestionsAreLinear(t *testing.T) {
	b := newIdentityState()
	marks := []string{"", "+", "#", "*", "$", "%", "@", "~", "^", "=", "|", "<", ">"}
	for i, m := range marks {
		b.claim("c"+string(rune('a'+i)), "C"+m, "1972")
	}
	an := Analyze(b.s)
	n := 0
	for _, cf := range an.Conflicts {
		if cf.Kind == KindName {
			n++
			if !slices.Contains(cf.Names, "C") {
				t.Errorf("name conflict %q: want every one against the first name, C", cf.Names)
			}
		}
	}
	if want := len(marks) - 1; n != want {
		t.Errorf("name conflicts: got %d, want %d", n, want)
	}
}

// A look-alike found for one name of a NameKey is asked about for every
// entity with a name of that NameKey, each with its own resemblance.
func TestLookAlikeForEachEntityOfANameKey(t *testing.T) {
	b := newIdentityState()
	b.claim("long", "Disruptive Technology Protection Network", "2023")
	b.claim("short", "DTPN", "2023")
	b.claim("plus", "DTPN+", "2024")
	an := Analyze(b.s)
	var got []string
	for _, cf := range an.Conflicts {
		got = append(got, strings.Join(cf.Names, " / ")+": "+cf.Resemblance)
	}
	slices.Sort(got)
	checkList(t, "conflicts", got, []string{
		`DTPN / DTPN+: folding: ` + foldingDetail,
		`Disruptive Technology Protection Network / DTPN+: abbreviation: "DTPN+" abbreviates "Disruptive Technology Protection Network"`,
		`Disruptive Technology Protection Network / DTPN: abbreviation: "DTPN" abbreviates "Disruptive Technology Protection Network"`,
	})
}

// A value conflict's id is made of its entity's NameKey, as when entities
// were keyed by NameKey, while no other entity has that NameKey; so the
// verdicts recorded on it still apply.
func TestValueConflictIDs(t *testing.T) {
	b := newIdentityState()
	b.claim("a", "R&D Council", "2019")
	b.claim("b", "R&D Council", "2020")
	an := Analyze(b.s)
	var got []string
	for _, cf := range an.Conflicts {
		got = append(got, string(cf.ID)+" "+string(cf.Kind)+" "+cf.Subject)
	}
	checkList(t, "conflicts", got, []string{string(conflictID(KindValue, "r and d council", "launched")) + " value R&D Council"})

	b.claim("c", "R and D Council", "2021")
	b.claim("d", "R and D Council", "2022")
	an = Analyze(b.s)
	got = nil
	for _, cf := range an.Conflicts {
		if cf.Kind == KindValue {
			got = append(got, string(cf.ID)+" "+cf.Subject)
		}
	}
	slices.Sort(got)
	want := []string{string(conflictID(KindValue, "r&d council", "launched")) + " R&D Council", string(conflictID(KindValue, "r and d council", "launched")) + " R and D Council"}
	slices.Sort(want)
	checkList(t, "value conflicts of two entities with one NameKey", got, want)
}
