package sources

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/sillok/sillok/events"
)

func TestParseManifestFormats(t *testing.T) {
	want := []ManifestEntry{
		{File: "a.txt", ID: "alpha", Title: "Alpha, the first", Lang: "en", Published: "2024-04-26", Line: 0, N: 1},
		{File: "sub/b.html", ID: "beta", URL: "https://example.com/b", Publisher: "東都新報", Lang: "ja", TranslationOf: "alpha", Translator: "DeepL", N: 2},
	}
	for _, c := range []struct {
		name, data string
		lines      []int
	}{
		{"sources.yaml", `# two sources
- file: a.txt
  id: alpha
  title: "Alpha, the first"
  lang: en
  published: 2024-04-26

- file: sub/b.html
  id: beta
  url: https://example.com/b
  publisher: 東都新報
  lang: ja
  translation-of: alpha
  translator: DeepL
`, []int{2, 8}},
		{"sources.json", `[
  {"file": "a.txt", "id": "alpha", "title": "Alpha, the first", "lang": "en", "published": "2024-04-26"},
  {"file": "sub/b.html", "id": "beta", "url": "https://example.com/b", "publisher": "東都新報",
   "lang": "ja", "translation-of": "alpha", "translator": "DeepL"}
]`, []int{2, 3}},
		{"sources.csv", "file,id,title,url,publisher,lang,published,translation-of,translator\n" +
			"a.txt,alpha,\"Alpha, the first\",,,en,2024-04-26,,\n" +
			"sub/b.html,beta,,https://example.com/b,東都新報,ja,,alpha,DeepL\n", []int{2, 3}},
	} {
		got, err := ParseManifest(c.name, []byte(c.data))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d entries, want %d", c.name, len(got), len(want))
		}
		for i := range want {
			w := want[i]
			w.Manifest, w.Line = c.name, c.lines[i]
			if got[i] != w {
				t.Errorf("%s entry %d:\n got %+v\nwant %+v", c.name, i+1, got[i], w)
			}
		}
		if where := got[1].Where(); where != c.name+":"+strconv.Itoa(c.lines[1])+": entry 2 (sub/b.html)" {
			t.Errorf("%s: Where() = %q", c.name, where)
		}
	}
}

func TestParseManifestRefuses(t *testing.T) {
	for _, c := range []struct{ name, data, want string }{
		{"m.yaml", "- file: a.txt\n  id: a\n- id: b\n", "m.yaml:3: entry 2: no file"},
		{"m.yaml", "- file: a.txt\n  id: a\n- file: b.txt\n  id: a\n", `m.yaml:3: entry 2 (b.txt): id "a" is already given to entry 1`},
		{"m.yaml", "- file: a.txt\n  titel: A\n", `m.yaml:2: entry 1 (a.txt): unknown field "titel"`},
		{"m.yaml", "- file: a.txt\n  title: [A, B]\n", "m.yaml:2: entry 1 (a.txt): title: want text, not a list"},
		{"m.yaml", "file: a.txt\n", "m.yaml:1: a manifest is a list of entries"},
		{"m.yaml", "- file: a.txt\n  title: \"A\n", "m.yaml:"},
		{"m.json", "[\n {\"file\": \"a.txt\",}\n]", "m.json:2: JSON syntax error"},
		{"m.csv", "file,id,colour\na.txt,a,red\n", `m.csv:1: unknown column "colour"`},
		{"m.csv", "id,title\na,A\n", "m.csv:1: the header has no file column"},
		{"m.csv", "file,id\na.txt,a\nb.txt\n", "m.csv:3: wrong number of fields"},
		{"m.txt", "a.txt\n", `m.txt: a manifest is YAML (.yaml, .yml), JSON (.json) or CSV (.csv); this one has extension ".txt"`},
		{"m.yaml", "  \n", "m.yaml: the manifest is empty"},
		{"m.yaml", "[]\n", "m.yaml: the manifest lists no sources"},
	} {
		_, err := ParseManifest(c.name, []byte(c.data))
		var me *ManifestError
		if !errors.As(err, &me) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s %q: %v, want a *ManifestError starting %q", c.name, c.data, err, c.want)
		}
		if !errors.Is(err, events.ErrInvalid) {
			t.Errorf("%s %q: %v is not events.ErrInvalid", c.name, c.data, err)
		}
	}
}
