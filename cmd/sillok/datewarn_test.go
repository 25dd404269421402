package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestClaimImportDateWarnings: a date without its month resolved far from
// the publication date, or past a month without the day, lands with a
// warning on stderr placed at its file, line and claim; --json carries it
// in "warnings"; a date the tense settles near the anchor does not warn.
func TestClaimImportDateWarnings(t *testing.T) {
	archive, dir := claimsFixture(t, true)
	// ja-news is published 2024-04-26: "25日に…開いた" is yesterday, no warning;
	// ko-daily 2024-04-27: "3월" in the past tense is March 2024, 27 days
	// back, no warning; "어제" is explicit. en-post has no date.
	mustRunInProcess(t, archive, "source", "add", e2eWrite(t, dir, "may.txt", "The treaty was signed on the 31st, officials said. The forum will meet in March.\n"),
		"--id", "may-post", "--lang", "en", "--published", "2024-05-01")
	file := e2eWrite(t, dir, "claims.yaml", `claims:
  - {id: near, source: ja-news, subject: Harbor Compact secretariat, predicate: first meeting, value: 25日, quote: 事務局は25日、リスボンで初会合を開いた}
  - id: skipped
    source: may-post
    subject: Harbor Compact
    predicate: signed
    value: the 31st
    quote: The treaty was signed on the 31st
  - {id: far, source: may-post, subject: Harbor Forum, predicate: opened, value: in March, quote: The forum will meet in March}
`)
	stdout, stderr, code := runInProcess(t, archive, "claim", "import", file)
	if code != 0 {
		t.Fatalf("claim import: exit status %d, stderr %q", code, stderr)
	}
	want := []string{
		`sillok: warning: ` + file + `:7:12: claim skipped: "the 31st" resolved to 2024-03-31 (rule past-tense): April 2024 has no day 31; check the date`,
		`sillok: warning: ` + file + `:9:82: claim far`,
		`claim far: "in March" resolved to 2025-03 (rule future-tense), 304 days after the publication date 2024-05-01`,
	}
	for _, w := range want {
		if !strings.Contains(stderr, w) {
			t.Errorf("claim import: stderr %q, want it to contain %q", stderr, w)
		}
	}
	if n := strings.Count(stderr, "warning:"); n != 2 {
		t.Errorf("claim import: %d warnings, want 2 (not the claim resolved to the day before publication): %q", n, stderr)
	}
	if !strings.Contains(stdout, "3 claims, 3 new") {
		t.Errorf("claim import: stdout %q, want the claims to land", stdout)
	}

	// --json, on a fresh archive: the warnings are in the document, and
	// the import again adds nothing and warns of nothing.
	archive2, _ := claimsFixture(t, true)
	mustRunInProcess(t, archive2, "source", "add", filepath.Join(dir, "may.txt"), "--id", "may-post", "--lang", "en", "--published", "2024-05-01")
	var got struct {
		Created  int
		Warnings []string
	}
	out, errOut, code := runInProcess(t, archive2, "claim", "import", file, "--json")
	if code != 0 {
		t.Fatalf("claim import --json: exit status %d, stderr %q", code, errOut)
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Created != 3 || len(got.Warnings) != 2 || !strings.Contains(got.Warnings[0], "claim skipped") {
		t.Errorf("claim import --json: created %d, warnings %q, want 3 and the two warnings", got.Created, got.Warnings)
	}
	out, errOut, _ = runInProcess(t, archive2, "claim", "import", file, "--json")
	if strings.Contains(out, "warnings") || errOut != "" {
		t.Errorf("claim import again: stdout %q, stderr %q, want no warnings", out, errOut)
	}
}

// TestYonhapTwentySixth: the issue's own case, through the real program on
// the seed article: "to be held in Washington on the 26th" in a story of
// 2023-04-17 is 2023-04-26.
func TestYonhapTwentySixth(t *testing.T) {
	seed := filepath.Join("..", "..", "..", "shared", "seeds", "002_52a9df57daab576b.txt")
	if _, err := os.Stat(seed); err != nil {
		t.Skipf("no seed article: %v", err)
	}
	archive := e2eArchive(t)
	mustRunInProcess(t, archive, "source", "add", seed, "--id", "yonhap", "--lang", "en", "--published", "2023-04-17")
	mustRunInProcess(t, archive, "predicate", "add", "held", "--kind", "date")
	var got struct{ Value struct{ Date, Rule string } }
	e2eJSON(t, archive, &got, "claim", "add", "--source", "yonhap", "--subject", "Korea-US summit", "--predicate", "held",
		"--value", "the 26th", "--quote", "Korea-US summit to be held in Washington on the 26th")
	if got.Value.Date != "2023-04-26" || got.Value.Rule != "future-tense" {
		t.Errorf("the 26th: got %s by rule %q, want 2023-04-26 by future-tense", got.Value.Date, got.Value.Rule)
	}

	// The story's two names of one declaration are a name question.
	mustRunInProcess(t, archive, "predicate", "add", "supported by", "--kind", "entity", "--many")
	mustRunInProcess(t, archive, "claim", "add", "--source", "yonhap", "--subject", "Declaration of the Future of the Internet",
		"--predicate", "supported by", "--value", "South Korea", "--quote", "Following the support of the 'Declaration of the Future of the Internet'")
	mustRunInProcess(t, archive, "claim", "add", "--source", "yonhap", "--subject", "Declaration for the Future of the Internet",
		"--predicate", "supported by", "--value", "United States", "--quote", "the United States announced the 'Declaration for the Future of the Internet'")
	var queue struct {
		Conflicts []struct {
			Kind, Resemblance string
			Names             []string
		}
	}
	e2eJSON(t, archive, &queue, "conflicts", "--kind", "name")
	if len(queue.Conflicts) != 1 || !strings.HasPrefix(queue.Conflicts[0].Resemblance, "function word") {
		t.Errorf("name conflicts: got %+v, want the two declarations, by a changed function word", queue.Conflicts)
	}
}
