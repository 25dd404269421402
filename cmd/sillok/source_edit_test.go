package main

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sourceEditArchive builds an archive where "gazette" was archived with
// the wrong publication date, so that "August last year" resolves to
// 2024-08 and contradicts the wire's 2023-08-18. It returns the archive
// and the gazette's file.
func sourceEditArchive(t *testing.T) (archive, gazette string) {
	t.Helper()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	archive = filepath.Join(dir, "edit.db")
	gazette = write("gazette.txt", "The Harbor Summit, held in August last year, set up the data exchange.\n")
	wire := write("wire.txt", "The Harbor Summit was held on August 18, 2023, in the old customs house.\n")
	claims := write("claims.yaml", `predicates:
  - {name: held, kind: date}
claims:
  - {id: gazette-held, source: gazette, subject: Harbor Summit, predicate: held, value: August last year, quote: held in August last year}
  - {id: wire-held, source: wire, subject: Harbor Summit, predicate: held, value: "August 18, 2023", quote: "was held on August 18, 2023"}
`)
	for _, args := range [][]string{
		{"init"},
		{"source", "add", gazette, "--id", "gazette", "--lang", "en", "--published", "2025-01-10", "--title", "Port news"},
		{"source", "add", wire, "--id", "wire", "--lang", "en", "--published", "2023-09-01"},
		{"claim", "import", claims},
	} {
		if _, stderr, code := runInProcess(t, archive, args...); code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
	}
	return archive, gazette
}

func fileSum(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(b))
}

// Refused source metadata: an error that says what, exit 1 (2 for a
// usage error), and the archive untouched.
func TestSourceMetadataRefused(t *testing.T) {
	archive, gazette := sourceEditArchive(t)
	other := filepath.Join(t.TempDir(), "other.txt")
	if err := os.WriteFile(other, []byte("Another article about the port.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"ReAdd/InvalidDate", []string{"source", "add", gazette, "--published", "2023-02-29"}, 1,
			[]string{"gazette.txt", `"2023-02-29": February 2023 has no day 29`}},
		{"ReAdd/OtherDate", []string{"source", "add", gazette, "--published", "2024-04-26", "--title", "Port news, April"}, 1,
			[]string{"already archived as gazette", `published: stored "2025-01-10", given "2024-04-26"`,
				`title: stored "Port news", given "Port news, April"`,
				"sillok source edit gazette --title 'Port news, April' --published 2024-04-26"}},
		{"ReAdd/OtherID", []string{"source", "add", gazette, "--id", "gazette-2"}, 1,
			[]string{`id: stored "gazette", given "gazette-2"`, "keeps the id it was archived with"}},
		{"ReAdd/TranslatorAlone", []string{"source", "add", gazette, "--translator", "DeepL"}, 1,
			[]string{"translator", "translation-of"}},
		{"Add/TranslatorAlone", []string{"source", "add", other, "--id", "other", "--translator", "DeepL"}, 1,
			[]string{"translator", "translation-of"}},
		{"Edit/NothingChanged", []string{"source", "edit", "gazette", "--published", "2025-01-10", "--title", "Port news"}, 1,
			[]string{"nothing changed", "sillok source show gazette"}},
		{"Edit/InvalidDate", []string{"source", "edit", "gazette", "--published", "2024-02-30"}, 1,
			[]string{"published", `"2024-02-30": February 2024 has no day 30`}},
		{"Edit/UnknownSource", []string{"source", "edit", "nowhere", "--title", "x"}, 1,
			[]string{`unknown source "nowhere"`}},
		{"Edit/TranslatorAlone", []string{"source", "edit", "gazette", "--translator", "DeepL"}, 1,
			[]string{"not a translation", "translation-of"}},
		{"Edit/TranslationOfItself", []string{"source", "edit", "gazette", "--translation-of", "gazette"}, 1,
			[]string{"translation of itself"}},
		{"Edit/UnknownOriginal", []string{"source", "edit", "gazette", "--translation-of", "nowhere"}, 1,
			[]string{`unknown source "nowhere"`}},
		{"Edit/ClearUnknown", []string{"source", "edit", "gazette", "--clear", "digest"}, 2,
			[]string{"--clear digest: not a metadata field"}},
		{"Edit/NoID", []string{"source", "edit", "--title", "x"}, 2, nil},
		{"Alias/Itself", []string{"alias", "add", "Harbor summit", "--entity", "harbor  Summit", "--kind", "variant"}, 1,
			[]string{"a name cannot be an alias of itself"}},
		{"Alias/DistinctFromItself", []string{"alias", "add", "Harbor Summit", "--entity", "Harbor  Summit", "--kind", "distinct"}, 1,
			[]string{"cannot be distinct from itself"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := fileSum(t, archive)
			stdout, stderr, code := runInProcess(t, archive, tc.args...)
			if code != tc.code {
				t.Errorf("exit status %d, want %d; stderr %q", code, tc.code, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if strings.Count(stderr, "sillok: ") != 1 || !strings.HasPrefix(stderr, "sillok: ") {
				t.Errorf("stderr %q, want one \"sillok: ...\" message", stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q, want it to say %q", stderr, w)
				}
			}
			if after := fileSum(t, archive); after != before {
				t.Errorf("the archive changed")
			}
		})
	}
	// The same bytes with the same (or part of the) metadata: a no-op.
	stdout, stderr, code := runInProcess(t, archive, "--json", "source", "add", gazette, "--published", "2025-01-10", "--lang", "en")
	var res struct {
		ID      string `json:"id"`
		Created bool   `json:"created"`
	}
	if code != 0 || json.Unmarshal([]byte(stdout), &res) != nil || res.ID != "gazette" || res.Created {
		t.Errorf("re-add with the stored metadata: exit %d, %s %s; want created false", code, stdout, stderr)
	}
}

// source edit corrects the publication date: the conflict that rested on
// the old date closes, the claim is listed as needing a look (edit, show,
// --json), --at before the edit still shows the conflict, and re-adding
// with the corrected metadata is a no-op.
func TestSourceEdit(t *testing.T) {
	archive, gazette := sourceEditArchive(t)
	out, stderr, code := runInProcess(t, archive, "conflicts")
	if code != 0 || !strings.Contains(out, "held: 2024-08 (gazette) vs 2023-08-18 (wire)") {
		t.Fatalf("before the edit: conflicts = %q, %q", out, stderr)
	}
	before := relHead(t, archive)
	out, stderr, code = runInProcess(t, archive, "--author", "kim", "source", "edit", "gazette", "--published", "2024-04-26", "--note", "the print edition's date")
	if code != 0 {
		t.Fatalf("source edit: %d %s", code, stderr)
	}
	for _, w := range []string{"corrected gazette at revision", "published:", "2025-01-10 → 2024-04-26",
		"gazette-held", `"August last year": 2024-08 → 2023-08`} {
		if !strings.Contains(out, w) {
			t.Errorf("source edit printed %q, want %q", out, w)
		}
	}
	if out, _, _ := runInProcess(t, archive, "conflicts"); !strings.Contains(out, "no conflicts") {
		t.Errorf("after the edit: conflicts = %q, want none", out)
	}
	if out, _, _ := runInProcess(t, archive, "conflicts", "--at", fmt.Sprint(before)); !strings.Contains(out, "2024-08 (gazette)") {
		t.Errorf("conflicts --at %d = %q, want the conflict as it was", before, out)
	}
	out, _, _ = runInProcess(t, archive, "source", "show", "gazette")
	for _, w := range []string{"published:        2024-04-26", "corrections:", "by kim: published 2024-04-26 (the print edition's date)",
		"needs a look:", "gazette-held"} {
		if !strings.Contains(out, w) {
			t.Errorf("source show = %q, want %q", out, w)
		}
	}
	out, _, _ = runInProcess(t, archive, "--json", "source", "show", "gazette")
	var shown struct {
		Published string `json:"published"`
		Edits     []struct {
			Revision  int    `json:"revision"`
			Author    string `json:"author"`
			Published string `json:"published"`
		} `json:"edits"`
		NeedsLook []struct {
			Claim string `json:"claim"`
			Date  string `json:"date"`
		} `json:"needs_look"`
	}
	if err := json.Unmarshal([]byte(out), &shown); err != nil {
		t.Fatal(err)
	}
	if shown.Published != "2024-04-26" || len(shown.Edits) != 1 || shown.Edits[0].Author != "kim" ||
		len(shown.NeedsLook) != 1 || shown.NeedsLook[0].Claim != "gazette-held" || shown.NeedsLook[0].Date != "2023-08" {
		t.Errorf("source show --json = %s", out)
	}
	out, _, _ = runInProcess(t, archive, "source", "list")
	if !strings.Contains(out, "2024-04-26") || !strings.Contains(out, "(corrected)") {
		t.Errorf("source list = %q, want the corrected date, marked", out)
	}
	out, _, _ = runInProcess(t, archive, "log", "--from", fmt.Sprint(before+1))
	if !strings.Contains(out, "source gazette corrected (edit 1): published") {
		t.Errorf("log = %q, want the correction summarized", out)
	}
	if _, stderr, code := runInProcess(t, archive, "source", "add", gazette, "--published", "2024-04-26"); code != 0 {
		t.Errorf("re-add with the corrected date: %d %s, want a no-op", code, stderr)
	}
	if rep, code := relVerify(t, archive); code != 0 {
		t.Errorf("verify: %v", rep.Problems)
	}
}

// Circular alias chains are refused, through alias add and claims files.
func TestAliasCycleRefused(t *testing.T) {
	archive, _ := sourceEditArchive(t)
	for _, args := range [][]string{
		{"alias", "add", "A", "--entity", "B", "--kind", "variant"},
		{"alias", "add", "B", "--entity", "C", "--kind", "variant"},
	} {
		if _, stderr, code := runInProcess(t, archive, args...); code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
	}
	file := filepath.Join(t.TempDir(), "aliases.yaml")
	if err := os.WriteFile(file, []byte("aliases:\n  - {name: X, entity: Y, kind: variant}\n  - {name: Y, entity: X, kind: variant}\nclaims: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"alias", "add", "C", "--entity", "A", "--kind", "variant"}, "circular alias chain: C → A → B → C"},
		{[]string{"alias", "add", "B", "--entity", "A", "--kind", "translation"}, "circular alias chain: B → A → B"},
		{[]string{"claim", "import", file}, `aliases.yaml:3:5: alias "Y": declaring "Y" an alias of "X" would make a circular alias chain: Y → X → Y`},
	} {
		before := fileSum(t, archive)
		stdout, stderr, code := runInProcess(t, archive, tc.args...)
		if code != 1 || stdout != "" || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 1 and %q", tc.args, code, stdout, stderr, tc.want)
		}
		if fileSum(t, archive) != before {
			t.Errorf("%v: the archive changed", tc.args)
		}
	}
	if out, stderr, code := runInProcess(t, archive, "alias", "add", "A", "--entity", "B", "--kind", "variant"); code != 0 || !strings.Contains(out, "already declared") {
		t.Errorf("re-declaring: %d %q %q, want a no-op", code, out, stderr)
	}
}
