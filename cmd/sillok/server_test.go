package main

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/web"
)

// copyFile copies an archive file (closed) for a second mode of a test.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// serveArchive serves the archive at path in this process, with an admin
// account "fc", and returns its URL and an API token of fc's.
func serveArchive(t *testing.T, path string) (url, token string, ar *archive.Archive) {
	t.Helper()
	ar, err := archive.Open(path, archive.Options{Now: eventstest.StepClock(eventstest.Epoch)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ar.AddUser("setup", "fc", archive.RoleAdmin, "password-fc"); err != nil {
		t.Fatal(err)
	}
	token, err = ar.NewToken("setup", "fc")
	if err != nil {
		t.Fatal(err)
	}
	srv := web.New(ar, web.Options{})
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
		ar.Close()
	})
	return ts.URL, token, ar
}

// runViaServer runs the program in this process as a client of the
// server at url (--server), with token in SILLOK_TOKEN.
func runViaServer(t testing.TB, url, token string, stdin io.Reader, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	a := newApp(&out, &errb)
	a.now = eventstest.StepClock(eventstest.Epoch)
	a.stdin = stdin
	a.getenv = func(k string) string {
		if k == "SILLOK_TOKEN" {
			return token
		}
		return os.Getenv(k)
	}
	// --archive names a file that is not there: nothing may read it.
	argv := append([]string{"sillok", "--archive", filepath.Join(t.TempDir(), "absent.db"), "--server", url}, args...)
	code = run(context.Background(), a, argv)
	return out.String(), errb.String(), code
}

var recordedAt = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z`)

// TestCommandsThroughServer runs the commands that go through a server,
// on a local archive and through a server holding a copy of it, and
// compares their output and exit statuses: the same, errors and the
// command line's advice included, but for the times events were recorded
// at (each side has its clock) and the hashes that cover them.
func TestCommandsThroughServer(t *testing.T) {
	_, dir, demo := runDemo(t)
	local := filepath.Join(t.TempDir(), "local.db")
	served := filepath.Join(t.TempDir(), "served.db")
	copyFile(t, demo, local)
	copyFile(t, demo, served)
	url, token, _ := serveArchive(t, served)

	id := func(args ...string) string {
		out := mustRunInProcess(t, local, args...)
		return strings.Fields(strings.Split(out, "\n")[1])[0]
	}
	launch := id("conflicts", "--status", "all", "--kind", "value", "--subject", "Disruptive Technology Protection Network")
	name := id("conflicts", "--kind", "name")
	claimsDir := t.TempDir()
	mustWrite := func(name, text string) string {
		p := filepath.Join(claimsDir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	c1 := mustWrite("c1.yaml", "source: harbor-ledger-2024-06-07\npredicates:\n  - {name: praised by, kind: text}\nclaims:\n  - id: cli-one\n    subject: Disruptive Technology Protection Network\n    predicate: praised by\n    value: its supporters\n    quote: its supporters like to stress\n")
	c2 := mustWrite("c2.json", `{"source": "harbor-ledger-2024-06-07", "claims": [{"id": "cli-two", "subject": "Disruptive Technology Protection Network", "predicate": "mission", "value": "a shield", "quote": "technology shield"}]}`)
	bad := mustWrite("bad.yaml", "source: harbor-ledger-2024-06-07\nclaims:\n  - subject: X\n    predicate: launched\n    value: April 2023\n    quote: not a quote of this source at all\n")
	src := mustWrite("new-source.txt", "A new source, written for this test, about the Camp David summit.\n")
	sourceFile := filepath.Join(dir, "corpus-copy.txt")
	_ = sourceFile

	// The bag: the same report, and the same payload, through the server.
	lbag, sbag := filepath.Join(t.TempDir(), "bag"), filepath.Join(t.TempDir(), "bag")
	lout, lerr, lcode := runInProcess(t, local, "export", "bag", lbag, "--organization", "The Desk", "--json")
	sout, serr, scode := runViaServer(t, url, token, nil, "export", "bag", sbag, "--organization", "The Desk", "--json")
	if lcode != 0 || scode != 0 || strings.ReplaceAll(lout, lbag, "DIR") != strings.ReplaceAll(sout, sbag, "DIR") {
		t.Errorf("export bag: through the server (%d) %s%s\non the file (%d) %s%s", scode, sout, serr, lcode, lout, lerr)
	}
	for _, f := range []string{"manifest-sha256.txt", "manifest-sha512.txt", "bagit.txt", "data/log.jsonl"} {
		l, lerr := os.ReadFile(filepath.Join(lbag, f))
		s, serr := os.ReadFile(filepath.Join(sbag, f))
		if lerr != nil || serr != nil || !bytes.Equal(l, s) {
			t.Errorf("export bag: %s differs through the server (%v, %v)", f, serr, lerr)
		}
	}
	if _, serr, scode := runViaServer(t, url, token, nil, "export", "bag", sbag); scode == 0 || !strings.Contains(serr, "already exists") {
		t.Errorf("export bag into an existing directory through the server: got %d %s", scode, serr)
	}

	steps := [][]string{
		{"head"},
		{"export", "claimreview"},
		{"export", "claimreview", "--at", "30", "--organization", "The Desk", "--url", "https://desk.example"},
		{"export", "claimreview", "--at", "99999"},
		{"export", "annotations", "--url", "https://desk.example"},
		{"export", "csv", "claims"},
		{"export", "csv", "conflicts", "--at", "25"},
		{"export", "csv", "view"},
		{"export", "csv", "view", "--at", "99999"},
		{"export", "csv", "sources"},
		{"conflicts"},
		{"conflicts", "--status", "all", "--json"},
		{"conflicts", "--kind", "name", "--status", "all"},
		{"conflicts", "--status", "maybe"},
		{"conflicts", "--subject", "Nobody At All"},
		{"conflicts", "show", launch},
		{"conflicts", "show", launch, "--json"},
		{"conflicts", "show", launch, "--at", "30"},
		{"conflicts", "show", "zz"},
		{"conflicts", "show", ""},
		{"conflicts", "show", "a"},
		{"review", "", "--dismiss"},
		{"conflicts", "show", "0000000"},
		{"view"},
		{"view", "Camp David summit", "--json"},
		{"view", "--at", "25"},
		{"view", "Nobody At All"},
		{"diff", "10"},
		{"diff", "10", "20", "--json"},
		{"diff", "10", "--text"},
		{"diff", "20", "10"},
		{"diff", "10", "9999"},
		{"log", "--from", "5", "--to", "12"},
		{"log", "--from", "1", "--to", "3", "--json"},
		{"log", "--from", "9999"},
		{"source", "list"},
		{"source", "list", "--json"},
		{"source", "show", "harbor-ledger-2024-06-07"},
		{"source", "show", "harbor-ledger-2024-06-07", "--json"},
		{"source", "show", "toto-shimpo-2024-04-26", "--text"},
		{"source", "show", "harbor-ledger-2024-06-07", "--quotes", "--json"},
		{"source", "show", "nosuch"},
		{"source", "add", src, "--id", "cli-new", "--title", "A new source", "--lang", "en", "--published", "2024-06-10"},
		{"source", "add", src, "--id", "cli-new", "--title", "A new source", "--lang", "en", "--published", "2024-06-10", "--json"},
		{"source", "add", src, "--id", "other-id"},
		{"claim", "import", c1, c2},
		{"claim", "import", c1, c2, "--json"},
		{"claim", "import", bad},
		{"claim", "import", c1, bad},
		{"review", name, "--same", "--note", "one coalition"},
		{"review", name, "--distinct"},
		{"review", name, "--distinct", "--override", "--json"},
		{"review", launch, "--same"},
		{"review", launch, "--accept", "nosuch-claim"},
		{"search", "Camp David"},
		{"search", "技術", "--json"},
		{"search", ""},
		{"claim", "list", "--source", "harbor-ledger-2024-06-07"},
		{"claim", "list", "--subject", "Camp David summit", "--json"},
		{"claim", "list", "--subject", "Nobody At All"},
		{"predicate", "list"},
		{"predicate", "list", "--json"},
		{"predicate", "add", "cli note", "--kind", "text"},
		{"predicate", "add", "cli note", "--kind", "text", "--json"},
		{"predicate", "add", "cli note", "--kind", "date"},
		{"alias", "add", "DTPN", "--entity", "Disruptive Technology Protection Network", "--kind", "abbreviation"},
		{"alias", "add", "DTPN", "--entity", "Disruptive Technology Protection Network", "--kind", "abbreviation", "--json"},
		{"claim", "add", "--source", "harbor-ledger-2024-06-07", "--subject", "DTPN", "--predicate", "cli note", "--value", "supporters", "--quote", "its supporters like to stress", "--id", "cli-three"},
		{"claim", "add", "--source", "harbor-ledger-2024-06-07", "--subject", "DTPN", "--predicate", "cli note", "--value", "supporters", "--quote", "its supporters like to stress", "--id", "cli-three", "--json"},
		{"claim", "add", "--source", "harbor-ledger-2024-06-07", "--subject", "DTPN", "--predicate", "launched", "--value", "after:Camp David summit/held", "--quote", "in the wake of the Camp David summit", "--id", "cli-four"},
		{"claim", "add", "--source", "harbor-ledger-2024-06-07", "--subject", "DTPN", "--predicate", "cli note", "--value", "x", "--quote", "words that are not there"},
		{"claim", "retract", "cli-three", "--reason", "a test"},
		{"claim", "retract", "cli-three", "--reason", "again"},
		{"claim", "retract", "nosuch", "--reason", "a test"},
		{"log", "--from", "55"},
		{"log", "--from", "55", "--json"},
		{"conflicts", "--status", "all"},
		{"view", "Disruptive Technology Protection Network"},
		{"export", "csv", "view"},
		{"export", "csv", "conflicts"},
	}
	for _, args := range steps {
		lout, lerr, lcode := runInProcess(t, local, append([]string{"--author", "fc"}, args...)...)
		sout, serr, scode := runViaServer(t, url, token, nil, args...)
		what := "sillok " + strings.Join(args, " ")
		if lcode != scode {
			t.Errorf("%s: exit status %d through the server, %d on the file\nserver stderr: %s\nlocal stderr: %s", what, scode, lcode, serr, lerr)
			continue
		}
		lout, sout = recordedAt.ReplaceAllString(lout, "TIME"), recordedAt.ReplaceAllString(sout, "TIME")
		if strings.Contains(strings.Join(args, " "), "log") || args[0] == "head" {
			// Hashes cover the recorded-at times.
			hash := regexp.MustCompile(`sha256:[0-9a-f]{64}`)
			lout, sout = hash.ReplaceAllString(lout, "HASH"), hash.ReplaceAllString(sout, "HASH")
		}
		if lout != sout {
			t.Errorf("%s: stdout differs\nthrough the server:\n%s\non the file:\n%s", what, sout, lout)
		}
		if serr != lerr {
			t.Errorf("%s: stderr differs\nthrough the server: %s\non the file:        %s", what, serr, lerr)
		}
	}
}

// TestCommandsThroughServerEmpty compares the two modes on an empty
// archive, where the advice about the vocabulary shows.
func TestCommandsThroughServerEmpty(t *testing.T) {
	local := filepath.Join(t.TempDir(), "local.db")
	served := filepath.Join(t.TempDir(), "served.db")
	mustRunInProcess(t, local, "init")
	mustRunInProcess(t, served, "init")
	url, token, _ := serveArchive(t, served)
	dir := t.TempDir()
	src := filepath.Join(dir, "s.txt")
	os.WriteFile(src, []byte("The network was launched in April 2023.\n"), 0o644)
	claims := filepath.Join(dir, "c.yaml")
	os.WriteFile(claims, []byte("source: s\nclaims:\n  - subject: The network\n    predicate: launched\n    value: April 2023\n    quote: launched in April 2023\n"), 0o644)
	for _, args := range [][]string{
		{"conflicts"}, {"view"}, {"source", "list"}, {"predicate", "list"}, {"log"}, {"head"},
		{"source", "add", src, "--id", "s", "--published", "2024-01-02"},
		{"claim", "import", claims},
		{"claim", "add", "--source", "s", "--subject", "The network", "--predicate", "launched", "--value", "April 2023", "--quote", "launched in April 2023"},
	} {
		lout, lerr, lcode := runInProcess(t, local, append([]string{"--author", "fc"}, args...)...)
		sout, serr, scode := runViaServer(t, url, token, nil, args...)
		what := "sillok " + strings.Join(args, " ")
		if lcode != scode || lout != sout || lerr != serr {
			t.Errorf("%s:\nthrough the server: %d %q %q\non the file:        %d %q %q", what, scode, sout, serr, lcode, lout, lerr)
		}
	}
}

// TestServedArchiveHint: a command pointed at an archive that a running
// sillok serve holds says where the server is, not "in use".
func TestServedArchiveHint(t *testing.T) {
	_, _, demo := runDemo(t)
	bin := buildSillok(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := startServe(t, ctx, bin, demo)
	_, stderr, code, _ := runBinary(t, t.TempDir(), []string{"SILLOK_ARCHIVE=" + demo}, "conflicts")
	if code != 1 || !strings.Contains(stderr, "held by sillok serve") || !strings.Contains(stderr, "--server "+srv.url) {
		t.Fatalf("got %d %q, want 1 and where the server is", code, stderr)
	}
	srv.stop(t)
	if _, err := os.Stat(demo + ".serve"); !os.IsNotExist(err) {
		t.Errorf("%s.serve is still there after shutdown: %v", demo, err)
	}
	e2eVerifyFile(t, demo)
	_ = time.Second
}
