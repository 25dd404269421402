package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Tests of sillok search, of "did you mean" for unknown names and
// misspelled months, and of adding many sources (issue #21, "Finding
// things" and "Adding many sources").

func TestSearchDemoCorpus(t *testing.T) {
	_, _, archive := runDemo(t)
	for _, c := range []struct {
		query []string
		want  []string // in this order in the output
	}{
		// English, by a word's beginning, any case.
		{[]string{"camp"}, []string{"entities (1):\n  Camp David summit  (1 fact)\n    aka US Canon\n", "quotes (4):", "mi-summit-held", "sources (1):\n  tidewater-review-2024-05-02"}},
		// Japanese, inside an alias: the entity it names, the quotes, the source.
		{[]string{"保護"}, []string{"entities (1):\n  Disruptive Technology Protection Network  (9 facts)\n", "日米韓革新技術保護ネットワーク", "quotes (3):", "jp-launched"}},
		// Korean.
		{[]string{"네트워크"}, []string{"entities (1):\n  Disruptive Technology Protection Network", "파괴적 기술 보호 네트워크", "quotes (2):", "ko-venue", "sources (1):\n  seoul-morning-post-2024-04-27"}},
		// Full-width Latin, several words.
		{[]string{"ｏｎｌｉｎｅ", "freedom"}, []string{"entities (2):\n  Freedom Online Coalition  (2 facts)\n    aka オンライン自由連合\n  Online Freedom Coalition  (1 fact)\n"}},
	} {
		out := mustRunInProcess(t, archive, append([]string{"search"}, c.query...)...)
		at := 0
		for _, w := range c.want {
			i := strings.Index(out[at:], w)
			if i < 0 {
				t.Errorf("search %q:\n%s\nwant %q (in order)", c.query, out, w)
				break
			}
			at += i + len(w)
		}
	}
	// --limit 1 shows the best of each kind and says how many more.
	out := mustRunInProcess(t, archive, "search", "camp", "--limit", "1")
	if !strings.Contains(out, "quotes (4):\n  hl-launched-after-summit") || !strings.Contains(out, "  … and 3 more (--limit 0 shows all)\n") {
		t.Errorf("search camp --limit 1:\n%s", out)
	}
	if out := mustRunInProcess(t, archive, "search", "zebra"); out != "nothing matches \"zebra\" at revision 54\n" {
		t.Errorf("search zebra: %q", out)
	}
	var res struct {
		Revision int `json:"revision"`
		Entities []struct {
			Name    string   `json:"name"`
			Aliases []string `json:"aliases"`
			Matched string   `json:"matched"`
			Facts   int      `json:"facts"`
		} `json:"entities"`
		Quotes  []struct{ Claim, Source, Quote string } `json:"quotes"`
		Sources []struct{ ID, Title string }            `json:"sources"`
	}
	if err := json.Unmarshal([]byte(mustRunInProcess(t, archive, "--json", "search", "파괴적")), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Entities) != 1 || res.Entities[0].Matched != "파괴적 기술 보호 네트워크" || res.Entities[0].Facts != 9 || len(res.Sources) != 1 {
		t.Errorf("search --json 파괴적: %+v", res)
	}
	stdout, stderr, code := runInProcess(t, archive, "search")
	assertCleanError(t, stdout, stderr, code, 2, "search needs at least 1 argument", "usage: sillok search TEXT...")
	stdout, stderr, code = runInProcess(t, archive, "search", "--", "-- ,")
	assertCleanError(t, stdout, stderr, code, 1, `nothing to search for in "-- ,"`)
}

func TestDidYouMean(t *testing.T) {
	_, _, archive := runDemo(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"view", "Camp"}, `sillok: no entity named "Camp" at revision 54; did you mean "Camp David summit"?` + "\n"},
		{[]string{"view", "Disruptve Technology Protection Network"}, `did you mean "Disruptive Technology Protection Network"?`},
		{[]string{"conflicts", "--subject", "freedom"}, `sillok: no entity named "freedom" at revision 54; did you mean "Freedom Online Coalition" or "Online Freedom Coalition"?` + "\n"},
		{[]string{"claim", "list", "--subject", "파괴적 기술 보호 네트웍"}, `did you mean "파괴적 기술 보호 네트워크"?`},
		{[]string{"view", "zebra crossing"}, `sillok: no entity named "zebra crossing" at revision 54 (sillok search 'zebra crossing' looks for it by words)` + "\n"},
	} {
		stdout, stderr, code := runInProcess(t, archive, c.args...)
		assertCleanError(t, stdout, stderr, code, 1, c.want)
	}
	// conflicts --subject keeps the conflicts of the entity named by any
	// of its names.
	out := mustRunInProcess(t, archive, "--json", "conflicts", "--status", "all", "--subject", "革新技術保護ネットワーク")
	var page struct {
		Conflicts []struct{ Subject string } `json:"conflicts"`
	}
	if err := json.Unmarshal([]byte(out), &page); err != nil || len(page.Conflicts) == 0 {
		t.Fatalf("conflicts --subject: %v, %s", err, out)
	}
	// A misspelled month in a claim's date.
	stdout, stderr, code := runInProcess(t, archive, "claim", "add", "--source", "pacific-wire-2024-04-26", "--subject", "X",
		"--predicate", "launched", "--value", "Apirl 2023", "--quote", "the Camp David summit in August 2023")
	assertCleanError(t, stdout, stderr, code, 1, `date "Apirl 2023": not a date form Sillok knows; did you mean "April 2023"?`)
}

// writeFiles writes files (name → text) into dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSourceAddMany(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.txt": "The first source says the network was launched in 2021.\n",
		"b.txt": "The second source says it was launched in 2022.\n",
		"c.txt": "The third source says it was launched in 2023.\n",
	})
	a, b, c := filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt"), filepath.Join(dir, "c.txt")
	path := newArchive(t, nil)
	out := mustRunInProcess(t, path, "source", "add", a, b, c, "--lang", "en")
	if n := strings.Count(out, "archived "); n != 3 || !strings.HasSuffix(out, "3 sources, 3 new, in one transaction\n") {
		t.Errorf("source add a b c:\n%s", out)
	}
	list := mustRunInProcess(t, path, "--json", "source", "list")
	if strings.Count(list, `"lang": "en"`) != 3 {
		t.Errorf("the three sources do not all have --lang en:\n%s", list)
	}
	// Again, with --json: each listed, none created.
	var res struct {
		Revision int `json:"revision"`
		Sources  []struct {
			File    string `json:"file"`
			ID      string `json:"id"`
			Created bool   `json:"created"`
		} `json:"sources"`
	}
	if err := json.Unmarshal([]byte(mustRunInProcess(t, path, "--json", "source", "add", a, b, c, "--lang", "en")), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Sources) != 3 || res.Sources[1].File != b || res.Sources[0].Created || res.Sources[2].Created || res.Revision != 3 {
		t.Errorf("source add again --json: %+v", res)
	}
	// A missing file among them: nothing is archived.
	before := readFileOrNil(t, path)
	d := filepath.Join(dir, "d.txt")
	writeFiles(t, dir, map[string]string{"d.txt": "A fourth source.\n"})
	stdout, stderr, code := runInProcess(t, path, "source", "add", d, filepath.Join(dir, "missing.txt"))
	assertCleanError(t, stdout, stderr, code, 1, "missing.txt", "nothing of the files named was archived")
	if !bytes.Equal(before, readFileOrNil(t, path)) {
		t.Errorf("the archive changed though a file was missing")
	}
	// A bad flag value is named as the flag.
	stdout, stderr, code = runInProcess(t, path, "source", "add", d, a, "--published", "2024-13-01")
	assertCleanError(t, stdout, stderr, code, 1, "source "+d+`: --published: "2024-13-01": month 13 does not exist`)
	// --id names one source.
	stdout, stderr, code = runInProcess(t, path, "source", "add", a, b, "--id", "x")
	assertCleanError(t, stdout, stderr, code, 2, "--id names one source")
}

func TestSourceImportManifest(t *testing.T) {
	files := map[string]string{}
	for i, w := range []string{"one", "two", "three", "four", "five"} {
		files["texts/"+w+".txt"] = "Source " + w + " says the harbour network was launched in 202" + string(rune('1'+i)) + ".\n"
	}
	manifests := map[string]string{
		"sources.yaml": `- {file: texts/one.txt, id: one, lang: en, published: "2024-01-01"}
- {file: texts/two.txt, id: two, title: "The second"}
- {file: texts/three.txt, id: three, published: "2024-03-03", translation-of: one, translator: Kim}
- {file: texts/four.txt, id: four}
- {file: texts/five.txt, id: five}
`,
		"sources.json": `[
  {"file": "texts/one.txt", "id": "one", "lang": "en", "published": "2024-01-01"},
  {"file": "texts/two.txt", "id": "two", "title": "The second"},
  {"file": "texts/three.txt", "id": "three", "published": "2024-03-03", "translation-of": "one", "translator": "Kim"},
  {"file": "texts/four.txt", "id": "four"},
  {"file": "texts/five.txt", "id": "five"}
]`,
		"sources.csv": "file,id,title,lang,published,translation-of,translator\n" +
			"texts/one.txt,one,,en,2024-01-01,,\n" +
			"texts/two.txt,two,The second,,,,\n" +
			"texts/three.txt,three,,,2024-03-03,one,Kim\n" +
			"texts/four.txt,four,,,,,\n" +
			"texts/five.txt,five,,,,,\n",
	}
	for name, manifest := range manifests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, files)
			path := newArchive(t, nil)
			before := readFileOrNil(t, path)

			// A bad date in entry 3 of 5: refused, placed, nothing written.
			bad := strings.Replace(manifest, "2024-03-03", "2024-13-03", 1)
			writeFiles(t, dir, map[string]string{name: bad})
			mpath := filepath.Join(dir, name)
			stdout, stderr, code := runInProcess(t, path, "source", "import", mpath)
			line := map[string]string{"sources.yaml": ":3:", "sources.json": ":4:", "sources.csv": ":4:"}[name]
			assertCleanError(t, stdout, stderr, code, 1, mpath+line+" entry 3 (texts/three.txt): published: \"2024-13-03\"",
				"nothing of "+mpath+" was archived")
			if !bytes.Equal(before, readFileOrNil(t, path)) {
				t.Fatalf("the archive file changed though the manifest was refused")
			}

			// The manifest put right: five sources in one transaction.
			writeFiles(t, dir, map[string]string{name: manifest})
			out := mustRunInProcess(t, path, "source", "import", mpath)
			if !strings.Contains(out, "archived texts/three.txt as three (") || !strings.HasSuffix(out, "5 sources, 5 new, in one transaction\n") {
				t.Errorf("source import:\n%s", out)
			}
			show := mustRunInProcess(t, path, "--json", "source", "show", "three")
			if !strings.Contains(show, `"translation_of": "one"`) || !strings.Contains(show, `"translator": "Kim"`) {
				t.Errorf("source three:\n%s", show)
			}
			var res struct {
				Sources []struct {
					ID      string `json:"id"`
					Created bool   `json:"created"`
				} `json:"sources"`
			}
			if err := json.Unmarshal([]byte(mustRunInProcess(t, path, "--json", "source", "import", mpath)), &res); err != nil {
				t.Fatal(err)
			}
			if len(res.Sources) != 5 || res.Sources[4].ID != "five" || res.Sources[4].Created {
				t.Errorf("source import again --json: %+v", res)
			}
			// Other metadata for bytes already archived: refused, with the
			// correction to make instead.
			writeFiles(t, dir, map[string]string{name: strings.Replace(manifest, "The second", "The 2nd", 1)})
			before = readFileOrNil(t, path)
			stdout, stderr, code = runInProcess(t, path, "source", "import", mpath)
			if code != 1 || stdout != "" || !strings.Contains(stderr, "entry 2 (texts/two.txt): these bytes are already archived as two") ||
				!strings.Contains(stderr, "nothing of "+mpath+" was archived") || !strings.Contains(stderr, "sillok source edit two --title 'The 2nd'\n") {
				t.Errorf("other metadata: %d, %q, %q", code, stdout, stderr)
			}
			if !bytes.Equal(before, readFileOrNil(t, path)) {
				t.Errorf("the archive file changed though the manifest was refused")
			}
		})
	}
}
