package main

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// The example of issue #14: folding names for comparison made "Disney" and
// "Disney+" one entity (with a value conflict between their dates), "C",
// "C++" and "C#" one, and "Net😀" the same as "Net"; and
// `alias add "Disney+" --entity Disney --kind distinct` left the conflict.
func TestFoldedNamesStayApart(t *testing.T) {
	archive := e2eArchive(t)
	dir := t.TempDir()
	text := "Disney was founded on October 16, 1923. Disney+ launched on November 12, 2019.\n" +
		"C appeared in 1972, C++ in 1985 and C# in 2000. Net started in 1995 and Net😀 in 2021.\n"
	mustRunInProcess(t, archive, "source", "add", e2eWrite(t, dir, "catalog.txt", text), "--id", "catalog", "--lang", "en")
	mustRunInProcess(t, archive, "predicate", "add", "launched", "--kind", "date")
	for _, c := range [][3]string{
		{"Disney", "1923-10-16", "Disney was founded on October 16, 1923"},
		{"Disney+", "2019-11-12", "Disney+ launched on November 12, 2019"},
		{"C", "1972", "C appeared in 1972"},
		{"C++", "1985", "C++ in 1985"},
		{"C#", "2000", "C# in 2000"},
		{"Net", "1995", "Net started in 1995"},
		{"Net😀", "2021", "Net😀 in 2021"},
	} {
		mustRunInProcess(t, archive, "claim", "add", "--source", "catalog", "--subject", c[0], "--predicate", "launched", "--value", c[1], "--quote", c[2])
	}

	type entity struct {
		Name  string
		Facts []struct {
			Predicate string
			Value     *string
			Status    string
		}
	}
	type conflict struct {
		ID, Kind, Status, Subject string
		Names                     []string
		Resemblance               string
	}
	view := func() map[string]entity {
		var doc struct{ Entities []entity }
		e2eJSON(t, archive, &doc, "view")
		m := map[string]entity{}
		for _, e := range doc.Entities {
			m[e.Name] = e
		}
		return m
	}
	conflicts := func() (list []string, byNames map[string]conflict) {
		var doc struct{ Conflicts []conflict }
		e2eJSON(t, archive, &doc, "conflicts", "--status", "open")
		byNames = map[string]conflict{}
		for _, c := range doc.Conflicts {
			if c.Kind != "name" {
				list = append(list, c.Kind+" "+c.Subject)
				continue
			}
			names := strings.Join(slices.Sorted(slices.Values(c.Names)), " / ")
			list = append(list, "name "+names)
			byNames[names] = c
			if !strings.HasPrefix(c.Resemblance, "folding") {
				t.Errorf("name conflict %s: resemblance %q, want folding", names, c.Resemblance)
			}
		}
		slices.Sort(list)
		return list, byNames
	}

	ents := view()
	for _, name := range []string{"Disney", "Disney+", "C", "C++", "C#", "Net", "Net😀"} {
		e, ok := ents[name]
		if !ok {
			t.Errorf("view: no entity %q, want each name its own entity; got %q", name, slices.Sorted(maps.Keys(ents)))
			continue
		}
		if len(e.Facts) != 1 || e.Facts[0].Value == nil || e.Facts[0].Status != "single-source" {
			t.Errorf("view: entity %q has facts %+v, want one single-source date", name, e.Facts)
		}
	}
	wantAll := []string{"name C / C#", "name C / C++", "name C# / C++", "name Disney / Disney+", "name Net / Net😀"}
	got, byNames := conflicts()
	if !slices.Equal(got, wantAll) {
		t.Errorf("conflicts: got %q, want %q (name questions, no value conflicts)", got, wantAll)
	}
	if out := mustRunInProcess(t, archive, "view", "Disney+"); !strings.Contains(out, "2019-11-12") || strings.Contains(out, "1923") {
		t.Errorf("view Disney+: got\n%s\nwant Disney+'s launch only", out)
	}

	// The distinct declaration removes the question and keeps two entities.
	mustRunInProcess(t, archive, "alias", "add", "Disney+", "--entity", "Disney", "--kind", "distinct")
	got, byNames = conflicts()
	if want := slices.DeleteFunc(slices.Clone(wantAll), func(s string) bool { return strings.Contains(s, "Disney") }); !slices.Equal(got, want) {
		t.Errorf("conflicts after the distinct alias: got %q, want %q", got, want)
	}
	ents = view()
	if _, ok := ents["Disney+"]; !ok {
		t.Errorf("view after the distinct alias: no entity Disney+")
	}

	// A reviewer's --distinct resolves a question; --same joins two names.
	mustRunInProcess(t, archive, "review", byNames["C / C++"].ID, "--distinct")
	mustRunInProcess(t, archive, "review", byNames["Net / Net😀"].ID, "--same")
	got, _ = conflicts()
	if want := []string{"name C / C#", "name C# / C++", "value Net"}; !slices.Equal(got, want) {
		t.Errorf("conflicts after the reviews: got %q, want %q", got, want)
	}
	ents = view()
	if _, ok := ents["C++"]; !ok {
		t.Errorf("view after --distinct: no entity C++")
	}
	if _, ok := ents["Net😀"]; ok {
		t.Errorf("view after --same: Net😀 is still its own entity")
	}

	// An alias declared after the distinct declaration does not join them.
	mustRunInProcess(t, archive, "alias", "add", "Disney+", "--entity", "Disney", "--kind", "variant")
	if ents = view(); len(ents["Disney+"].Facts) != 1 || len(ents["Disney"].Facts) != 1 {
		t.Errorf("view after a variant alias of two names declared distinct: Disney %+v, Disney+ %+v, want them apart",
			ents["Disney"], ents["Disney+"])
	}
}
