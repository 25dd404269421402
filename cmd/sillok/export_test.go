package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
)

// End-to-end tests of the exchange and preservation commands (issue 19):
// export claimreview, annotations and csv (golden files on the demo
// archive, and the JSON-LD read back field by field), export bag, import
// bag and bag validate.

// TestExportGolden compares each export of the demo archive with its
// golden file (go test -update rewrites them), and checks that --output
// writes the same bytes.
func TestExportGolden(t *testing.T) {
	path := demoArchive(t)
	for _, c := range []struct {
		golden string
		args   []string
	}{
		{"export-claimreview.jsonld", []string{"export", "claimreview", "--organization", "Harbor Desk", "--url", "https://desk.example.org/"}},
		{"export-annotations.jsonld", []string{"export", "annotations"}},
		{"export-claims.csv", []string{"export", "csv", "claims"}},
		{"export-conflicts.csv", []string{"export", "csv", "conflicts"}},
		{"export-view.csv", []string{"export", "csv", "view"}},
		{"export-view-at-53.csv", []string{"export", "csv", "view", "--at", "53"}},
	} {
		t.Run(c.golden, func(t *testing.T) {
			out := mustRunInProcess(t, path, c.args...)
			checkGolden(t, c.golden, out)
			file := filepath.Join(t.TempDir(), "out")
			if got := mustRunInProcess(t, path, append(c.args, "--output", file)...); got != "" {
				t.Errorf("with --output, got stdout %q, want nothing", got)
			}
			b, err := os.ReadFile(file)
			if err != nil || string(b) != out {
				t.Errorf("--output wrote %d bytes (%v), want the %d of stdout", len(b), err, len(out))
			}
			noTemp(t, filepath.Dir(file), "out")
		})
	}
}

// noTemp checks that dir holds only the names given.
func noTemp(t *testing.T, dir string, names ...string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, names) {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}

// TestExportOutputRefused checks that an export that fails leaves no file
// at --output (and no temporary one), and that a file already there is
// untouched.
func TestExportOutputRefused(t *testing.T) {
	path := demoArchive(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "view.csv")
	stdout, stderr, code := runInProcess(t, path, "export", "csv", "view", "--at", "999", "--output", file)
	assertCleanError(t, stdout, stderr, code, 1, "revision 999 is beyond the head revision 54")
	noTemp(t, dir)
	os.WriteFile(file, []byte("before\n"), 0o644)
	runInProcess(t, path, "export", "claimreview", "--at", "999", "--output", file)
	if b, _ := os.ReadFile(file); string(b) != "before\n" {
		t.Errorf("a failed export changed %s: %q", file, b)
	}
	noTemp(t, dir, "view.csv")
	stdout, stderr, code = runInProcess(t, path, "export", "csv", "facts")
	assertCleanError(t, stdout, stderr, code, 2, `export csv writes claims, conflicts or view, not "facts"`)
	stdout, stderr, code = runInProcess(t, path, "export", "claimreview", "--url", "desk.example.org")
	assertCleanError(t, stdout, stderr, code, 2, "is not a URL")
}

// jsonMap walks a parsed JSON document: m.get("a", "b") is doc.a.b.
type jsonMap map[string]any

func (m jsonMap) str(t *testing.T, keys ...string) string {
	t.Helper()
	var v any = map[string]any(m)
	for _, k := range keys {
		obj, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s: not an object", strings.Join(keys, "."))
		}
		v = obj[k]
	}
	s, ok := v.(string)
	if !ok {
		t.Errorf("%s: got %v, want a string", strings.Join(keys, "."), v)
	}
	return s
}

var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// TestExportClaimReviewFields reads the ClaimReview export of the demo
// archive, after a second verdict (on a temporal conflict), back as JSON
// and checks the fields Google Fact Check Tools read, one by one.
func TestExportClaimReviewFields(t *testing.T) {
	path := demoArchive(t)
	mustRunInProcess(t, path, "review", "1f6ae431ab", "--reject", "hl-first-meeting-same-day", "--note", "the first meeting was on 2024-04-25")
	out := mustRunInProcess(t, path, "export", "claimreview", "--organization", "Harbor Desk", "--url", "https://desk.example.org")
	var doc struct {
		Context  string    `json:"@context"`
		Type     string    `json:"@type"`
		Elements []jsonMap `json:"dataFeedElement"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if doc.Context != "https://schema.org" || doc.Type != "DataFeed" {
		t.Errorf("got @context %q, @type %q, want https://schema.org and DataFeed", doc.Context, doc.Type)
	}
	ar, err := archive.Open(path, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ar.Close()
	srcs, _ := ar.Sources()
	sources := map[string]*events.SourceArchived{}
	for _, s := range srcs {
		sources[s.URL] = s.SourceArchived
	}
	want := map[string]string{"hl-launched": "https://desk.example.org/conflicts/abf91dbbdf", "hl-first-meeting-same-day": "https://desk.example.org/conflicts/1f6ae431ab"}
	got := map[string]string{}
	for _, e := range doc.Elements {
		if e.str(t, "@type") != "ClaimReview" {
			t.Errorf("@type %q, want ClaimReview", e.str(t, "@type"))
		}
		claim := ""
		for _, id := range e["identifier"].([]any) {
			if pv := id.(map[string]any); pv["propertyID"] == "sillok:claim" {
				claim = pv["value"].(string)
			}
		}
		got[claim] = e.str(t, "url")
		if cr := e.str(t, "claimReviewed"); cr == "" || utf8.RuneCountInString(cr) >= 75 {
			t.Errorf("claim %s: claimReviewed %q, want a sentence under 75 characters", claim, cr)
		}
		if e.str(t, "reviewRating", "@type") != "Rating" || e.str(t, "reviewRating", "alternateName") != "Incorrect" {
			t.Errorf("claim %s: reviewRating %v, want a Rating with alternateName Incorrect", claim, e["reviewRating"])
		}
		if e.str(t, "itemReviewed", "@type") != "Claim" {
			t.Errorf("claim %s: itemReviewed.@type %q, want Claim", claim, e.str(t, "itemReviewed", "@type"))
		}
		appearance := e.str(t, "itemReviewed", "appearance", "url")
		src := sources[appearance]
		if src == nil {
			t.Fatalf("claim %s: itemReviewed.appearance.url %q is no source's URL", claim, appearance)
		}
		if e.str(t, "itemReviewed", "author", "name") != src.Publisher || src.Publisher == "" {
			t.Errorf("claim %s: itemReviewed.author.name %q, want the publisher %q", claim, e.str(t, "itemReviewed", "author", "name"), src.Publisher)
		}
		if d := e.str(t, "itemReviewed", "datePublished"); d != src.Published[:10] {
			t.Errorf("claim %s: itemReviewed.datePublished %q, want %q", claim, d, src.Published[:10])
		}
		if e.str(t, "author", "@type") != "Organization" || e.str(t, "author", "name") != "Harbor Desk" {
			t.Errorf("claim %s: author %v, want the Organization Harbor Desk", claim, e["author"])
		}
		if !isoDate.MatchString(e.str(t, "datePublished")) {
			t.Errorf("claim %s: datePublished %q, want YYYY-MM-DD", claim, e.str(t, "datePublished"))
		}
	}
	if len(got) != len(want) {
		t.Errorf("got reviews of %v, want %v", got, want)
	}
	for c, url := range want {
		if got[c] != url {
			t.Errorf("claim %s: url %q, want %q", c, got[c], url)
		}
	}
}

// TestExportAnnotationsFields reads the annotations of the demo archive
// back and checks each against the archive: one per standing claim, its
// source as the target, and both selectors finding the quote in the
// source's normalized text.
func TestExportAnnotationsFields(t *testing.T) {
	path := demoArchive(t)
	mustRunInProcess(t, path, "claim", "retract", "bc-mission", "--reason", "a test")
	mustRunInProcess(t, path, "source", "edit", "harbor-ledger-2024-06-07", "--url", "https://harbor-ledger.example.com/moved")
	mustRunInProcess(t, path, "source", "edit", "pacific-wire-2024-04-26", "--clear", "url")
	out := mustRunInProcess(t, path, "export", "annotations")
	var doc struct {
		Context string `json:"@context"`
		ID      string `json:"id"`
		Type    string `json:"type"`
		Total   int    `json:"total"`
		First   struct {
			Type  string `json:"type"`
			Items []struct {
				ID         string `json:"id"`
				Type       string `json:"type"`
				Motivation string `json:"motivation"`
				Body       struct {
					Type  string `json:"type"`
					Value string `json:"value"`
				} `json:"body"`
				Target struct {
					Source   string `json:"source"`
					Selector []struct {
						Type   string `json:"type"`
						Exact  string `json:"exact"`
						Prefix string `json:"prefix"`
						Suffix string `json:"suffix"`
						Start  *int   `json:"start"`
						End    *int   `json:"end"`
					} `json:"selector"`
				} `json:"target"`
			} `json:"items"`
		} `json:"first"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if doc.Context != "http://www.w3.org/ns/anno.jsonld" || doc.Type != "AnnotationCollection" || doc.First.Type != "AnnotationPage" || doc.ID == "" {
		t.Errorf("got @context %q, type %q, first.type %q, id %q", doc.Context, doc.Type, doc.First.Type, doc.ID)
	}
	ar, err := archive.Open(path, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ar.Close()
	claims, _ := ar.Claims(archive.ClaimFilter{At: archive.Head})
	srcs, _ := ar.Sources()
	byID := map[events.SourceID]*events.SourceArchived{}
	for _, s := range srcs {
		byID[s.ID] = s.SourceArchived
	}
	var standing []archive.ClaimRow
	for _, c := range claims {
		if c.Status != archive.ClaimRetracted {
			standing = append(standing, c)
		}
	}
	if doc.Total != len(standing) || len(doc.First.Items) != len(standing) {
		t.Fatalf("got total %d and %d items, want one per claim not retracted, %d", doc.Total, len(doc.First.Items), len(standing))
	}
	for i, c := range standing {
		a := doc.First.Items[i]
		if a.ID != "urn:sillok:claim:"+string(c.ID) || a.Type != "Annotation" || a.Motivation != "describing" || a.Body.Type != "TextualBody" || !strings.HasPrefix(a.Body.Value, c.Subject+" "+c.Predicate+" ") {
			t.Errorf("item %d: got %+v, want claim %s", i, a, c.ID)
		}
		src := byID[c.Source]
		wantTarget := src.URL
		if wantTarget == "" {
			wantTarget = "urn:sha256:" + src.Digest.Hex()
		}
		if a.Target.Source != wantTarget {
			t.Errorf("claim %s: target %q, want %q", c.ID, a.Target.Source, wantTarget)
		}
		if len(a.Target.Selector) != 2 || a.Target.Selector[0].Type != "TextQuoteSelector" || a.Target.Selector[1].Type != "TextPositionSelector" {
			t.Fatalf("claim %s: selectors %+v", c.ID, a.Target.Selector)
		}
		text, err := ar.SourceText(c.Source)
		if err != nil {
			t.Fatal(err)
		}
		runes := []rune(text.Text)
		q, p := a.Target.Selector[0], a.Target.Selector[1]
		if p.Start == nil || p.End == nil || *p.Start < 0 || *p.End > len(runes) || *p.Start > *p.End {
			t.Fatalf("claim %s: TextPositionSelector %v..%v outside the text of %d code points", c.ID, p.Start, p.End, len(runes))
		}
		if got := string(runes[*p.Start:*p.End]); got != q.Exact || q.Exact != c.Quote {
			t.Errorf("claim %s: text[start:end] = %q, exact %q, want both the quote %q", c.ID, got, q.Exact, c.Quote)
		}
		if before := string(runes[:*p.Start]); !strings.HasSuffix(before, q.Prefix) {
			t.Errorf("claim %s: prefix %q does not end the text before the quote", c.ID, q.Prefix)
		}
		if after := string(runes[*p.End:]); !strings.HasPrefix(after, q.Suffix) {
			t.Errorf("claim %s: suffix %q does not start the text after the quote", c.ID, q.Suffix)
		}
	}
}

// TestExportCSVFields parses the CSV exports back.
func TestExportCSVFields(t *testing.T) {
	path := demoArchive(t)
	ar, err := archive.Open(path, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	claims, _ := ar.Claims(archive.ClaimFilter{At: archive.Head})
	page, _ := ar.Conflicts(archive.ConflictFilter{At: archive.Head})
	view, _ := ar.View("", archive.Head)
	ar.Close()
	facts := 0
	for _, e := range view.Entities {
		facts += len(e.Facts)
	}
	for _, c := range []struct {
		table  string
		header []string
		rows   int
		check  func(t *testing.T, rows [][]string)
	}{
		{"claims", archive.ClaimsCSVHeader, len(claims), func(t *testing.T, rows [][]string) {
			for _, r := range rows {
				if r[0] == "hl-launched" && (r[8] != "set up in April 2023" || r[9] != "rejected" || r[6] != "2023-04" || r[7] != "April 2023") {
					t.Errorf("the row of hl-launched: %q", r)
				}
			}
		}},
		{"conflicts", archive.ConflictsCSVHeader, len(page.Conflicts), func(t *testing.T, rows [][]string) {
			for _, r := range rows {
				if r[0] == "abf91dbbdf" && (r[2] != "resolved" || r[10] != "accept" || r[11] != "jp-launched" || r[7] != "hl-launched") {
					t.Errorf("the row of abf91dbbdf: %q", r)
				}
			}
		}},
		{"view", archive.ViewCSVHeader, facts, nil},
	} {
		t.Run(c.table, func(t *testing.T) {
			out := mustRunInProcess(t, path, "export", "csv", c.table)
			if !strings.HasSuffix(out, "\r\n") || !utf8.ValidString(out) {
				t.Errorf("want UTF-8 lines ended by CR LF")
			}
			r := csv.NewReader(strings.NewReader(out))
			recs, err := r.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(recs[0], c.header) {
				t.Errorf("header %q, want %q", recs[0], c.header)
			}
			if len(recs)-1 != c.rows || c.rows == 0 {
				t.Errorf("got %d rows, want %d", len(recs)-1, c.rows)
			}
			if c.check != nil {
				c.check(t, recs[1:])
			}
		})
	}
}

// TestBagCommands moves the demo archive through a bag with the commands,
// and checks the refusals.
func TestBagCommands(t *testing.T) {
	path := demoArchive(t)
	dir := t.TempDir()
	bag := filepath.Join(dir, "bag")
	out := mustRunInProcess(t, path, "export", "bag", bag, "--organization", "Harbor Desk")
	head := strings.TrimSpace(mustRunInProcess(t, path, "head"))
	if !strings.Contains(out, "exported revision "+head+" to the bag ") {
		t.Errorf("export bag printed %q, want the head %s", out, head)
	}
	if out := mustRunInProcess(t, "", "bag", "validate", bag); !strings.Contains(out, "is a valid BagIt 1.0 bag: 9 payload files") {
		t.Errorf("bag validate printed %q", out)
	}
	imported := filepath.Join(dir, "imported.db")
	mustRunInProcess(t, imported, "import", "bag", bag)
	if got := strings.TrimSpace(mustRunInProcess(t, imported, "head")); got != head {
		t.Errorf("the imported archive's head is %s, want %s", got, head)
	}
	mustRunInProcess(t, imported, "verify", "--replay", "--expect", head)
	for _, args := range [][]string{{"view"}, {"conflicts", "--status", "all"}, {"claim", "list"}, {"log", "--json"}} {
		if a, b := mustRunInProcess(t, path, args...), mustRunInProcess(t, imported, args...); a != b {
			t.Errorf("sillok %s differs on the imported archive:\n%s\nwant\n%s", strings.Join(args, " "), b, a)
		}
	}

	stdout, stderr, code := runInProcess(t, imported, "import", "bag", bag)
	assertCleanError(t, stdout, stderr, code, 1, "already exists")
	stdout, stderr, code = runInProcess(t, path, "export", "bag", bag)
	assertCleanError(t, stdout, stderr, code, 1, "already exists")

	// A damaged bag: refused with what is wrong, and nothing written.
	log := filepath.Join(bag, "data", "log.jsonl")
	b, _ := os.ReadFile(log)
	b[100] ^= 1
	os.WriteFile(log, b, 0o644)
	target := filepath.Join(t.TempDir(), "new.db")
	stdout, stderr, code = runInProcess(t, target, "import", "bag", bag)
	if code != 1 || stdout != "" || !strings.Contains(stderr, "is not a valid bag, and nothing was imported") || !strings.Contains(stderr, "data/log.jsonl: its sha256 checksum is") {
		t.Errorf("import of a damaged bag: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	noTemp(t, filepath.Dir(target))
	stdout, stderr, code = runInProcess(t, "", "bag", "validate", bag)
	if code != 1 || !strings.Contains(stderr, "data/log.jsonl: its sha256 checksum is") {
		t.Errorf("bag validate of a damaged bag: exit %d, stderr %q", code, stderr)
	}
	stdout, stderr, code = runInProcess(t, "", "bag", "validate", filepath.Join(dir, "nosuch"))
	assertCleanError(t, stdout, stderr, code, 1, "no bag at")
}

// TestBagValidateConformance runs bag validate on the conformance suite's
// bags (the Go test of provenance/bagit walks all of them): its exit
// status and warnings.
func TestBagValidateConformance(t *testing.T) {
	root := "../../../shared/conformance/bagit"
	if _, err := os.Stat(root); err != nil {
		t.Skipf("the BagIt conformance suite is not at %s", root)
	}
	for _, c := range []struct {
		bag     string
		code    int
		warning bool
	}{
		{"v1.0/valid/basicBag", 0, false},
		{"v0.97/valid/UTF-16-encoded-tag-files", 0, false},
		{"v0.97/invalid/corrupt-data-file", 1, false},
		{"v0.97/linux-only/out-of-scope-file-paths-using-absolute-path", 1, false},
		{"v1.0/invalid/notAllManifestsListAllFiles", 1, false},
		{"v0.97/warning/made-with-md5sum-tools", 0, true},
	} {
		stdout, stderr, code := runInProcess(t, "", "bag", "validate", filepath.Join(root, c.bag))
		if code != c.code {
			t.Errorf("%s: exit %d, want %d; stderr %q", c.bag, code, c.code, stderr)
		}
		if got := strings.Contains(stderr, "sillok: warning: "); got != c.warning {
			t.Errorf("%s: warning on stderr %v, want %v: %q", c.bag, got, c.warning, stderr)
		}
		if (code == 0) != strings.Contains(stdout, "is a valid BagIt") {
			t.Errorf("%s: stdout %q", c.bag, stdout)
		}
	}
}
