package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sillok/sillok/events/eventstest"
)

// runEnv runs a command in this process with an environment of its own
// (COLUMNS, NO_COLOR): the way a terminal's width reaches the tables.
func runEnv(t *testing.T, archive string, env map[string]string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	a := newApp(&out, &errb)
	a.now = eventstest.StepClock(eventstest.Epoch)
	a.lockTimeout = 200 * time.Millisecond
	a.getenv = func(k string) string { return env[k] }
	code := run(context.Background(), a, append([]string{"sillok", "--archive", archive}, args...))
	if code != 0 || errb.Len() > 0 {
		t.Fatalf("sillok %q: exit status %d, stderr %q", args, code, errb.String())
	}
	return out.String()
}

const (
	tableJa = "東京都は2024年4月1日に新しい会場を開設した。\n会場の名前は「臨海ホール」である。\n\n定員は500人。\n\n\n関係者によると、会場は2024年4月1日に開設された。\n"
	tableKo = "<html><body><h1>서울 소식</h1><p>서울시는 2024년 4월 2일에 새 회장을 열었다.</p><p>정원은 600명이다.</p></body></html>"
	tableEn = "The venue opened on 3 April 2024 after a long delay caused by a dispute over the contract for the roof.\nIt seats 500 people.\n"
)

// tableArchive is an archive whose tables hold Japanese and Korean
// names, claim ids longer than 24 characters and a long predicate.
func tableArchive(t *testing.T) (archive, dir string) {
	t.Helper()
	dir = t.TempDir()
	archive = filepath.Join(dir, "t.db")
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mustRunInProcess(t, archive, "init")
	mustRunInProcess(t, archive, "source", "add", write("ja.txt", tableJa), "--id", "tokyo-metropolitan-press-release-2024", "--lang", "ja", "--title", "会場の開設について", "--published", "2024-04-01")
	mustRunInProcess(t, archive, "source", "add", write("ko.html", tableKo), "--id", "seoul", "--lang", "ko", "--published", "2024-04-02")
	mustRunInProcess(t, archive, "source", "add", write("en.txt", tableEn), "--id", "wire", "--lang", "en", "--title", "Venue opens after a long delay caused by a dispute over the contract for the roof")
	mustRunInProcess(t, archive, "predicate", "add", "opened", "--kind", "date")
	mustRunInProcess(t, archive, "predicate", "add", "seating-capacity-of-the-main-hall-in-persons", "--kind", "text")
	claims := `claims:
  - {id: tokyo-venue-opened-first-of-april-2024, source: tokyo-metropolitan-press-release-2024, subject: 会場, predicate: opened, value: 2024-04-01, quote: 2024年4月1日に新しい会場を開設した}
  - {id: tokyo-venue-opened-again, source: tokyo-metropolitan-press-release-2024, subject: 会場, predicate: opened, value: 2024-04-01, quote: 会場は2024年4月1日に開設された}
  - {id: tokyo-capacity, source: tokyo-metropolitan-press-release-2024, subject: 会場, predicate: seating-capacity-of-the-main-hall-in-persons, value: "500", quote: 定員は500人}
  - {id: seoul-venue-opened-on-the-second-of-april, source: seoul, subject: 会場, predicate: opened, value: 2024-04-02, quote: 2024년 4월 2일에 새 회장을 열었다}
  - {id: seoul-capacity, source: seoul, subject: 회장, predicate: seating-capacity-of-the-main-hall-in-persons, value: "600", quote: 정원은 600명이다}
  - {id: wire-opened, source: wire, subject: Rinkai Hall, predicate: opened, value: 2024-04-03, quote: opened on 3 April 2024}
`
	mustRunInProcess(t, archive, "claim", "import", write("claims.yaml", claims))
	return archive, dir
}

// TestTablesFitWidth: the tables pad by display width (a Japanese or
// Korean character takes two columns), size their columns from the
// content, and at a width (COLUMNS) no line is wider; the golden files
// show them at 80 and 120 columns, and with no width (a pipe).
func TestTablesFitWidth(t *testing.T) {
	archive, _ := tableArchive(t)
	cmds := [][]string{
		{"view"}, {"conflicts"}, {"claim", "list"}, {"source", "list"}, {"predicate", "list"}, {"log"},
	}
	for _, width := range []string{"80", "120", ""} {
		var all strings.Builder
		for _, args := range cmds {
			out := runEnv(t, archive, map[string]string{"COLUMNS": width}, args...)
			all.WriteString("$ sillok " + strings.Join(args, " ") + "\n" + out)
			if strings.Contains(out, "\x1b[") {
				t.Errorf("%s at width %q: colour, not on a terminal: %q", args, width, out)
			}
			for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
				w := dispWidth(line)
				if width != "" && w > atoi(t, width) {
					t.Errorf("%s at width %s: a line of %d columns: %q", args, width, w, line)
				}
				if width == "" && strings.Contains(line, "…") {
					t.Errorf("%s with no width: a cut cell in %q", args, line)
				}
			}
		}
		name := "tables-" + width + ".golden"
		if width == "" {
			name = "tables-pipe.golden"
		}
		checkGolden(t, name, all.String())
	}
}

func atoi(t *testing.T, s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// TestTablesAlignWide: in every row of the view and the conflicts, the
// status column starts at the same display column, Japanese or not.
func TestTablesAlignWide(t *testing.T) {
	archive, _ := tableArchive(t)
	out := runEnv(t, archive, map[string]string{"COLUMNS": "200"}, "view")
	col := -1
	for _, line := range strings.Split(out, "\n") {
		i := strings.Index(line, "[")
		if !strings.HasPrefix(line, "  ") || i < 0 || strings.HasPrefix(line, "  also:") {
			continue
		}
		c := dispWidth(line[:i])
		if col >= 0 && c != col {
			t.Errorf("view: the status of %q starts at column %d, others at %d", line, c, col)
		}
		col = c
	}
	if col < 0 {
		t.Fatalf("view: no facts in %q", out)
	}
	// --wide: nothing cut, whatever the width.
	wide := runEnv(t, archive, map[string]string{"COLUMNS": "40"}, "claim", "list", "--wide")
	if strings.Contains(wide, "…") || !strings.Contains(wide, "seoul-venue-opened-on-the-second-of-april") {
		t.Errorf("claim list --wide at 40 columns: got %q, want every id whole", wide)
	}
	narrow := runEnv(t, archive, map[string]string{"COLUMNS": "40"}, "claim", "list")
	if !strings.Contains(narrow, "…") {
		t.Errorf("claim list at 40 columns: got %q, want cut cells", narrow)
	}
}

// TestTableColour: --color=always colours statuses and kinds, keeping the
// padding of the visible text; never, auto off a terminal and NO_COLOR do
// not colour.
func TestTableColour(t *testing.T) {
	archive, _ := tableArchive(t)
	plainOut := runEnv(t, archive, nil, "conflicts")
	coloured := runEnv(t, archive, nil, "--color=always", "conflicts")
	if !strings.Contains(coloured, "\x1b[36mvalue\x1b[0m") || !strings.Contains(coloured, "\x1b[31mopen\x1b[0m") {
		t.Errorf("conflicts --color=always: got %q, want value and open coloured", coloured)
	}
	if stripSGR(coloured) != plainOut {
		t.Errorf("conflicts --color=always less its colour:\n%s\nwant:\n%s", stripSGR(coloured), plainOut)
	}
	view := runEnv(t, archive, nil, "--color", "always", "view")
	if !strings.Contains(view, "\x1b[31m[conflict ") {
		t.Errorf("view --color always: got %q, want the conflict status coloured", view)
	}
	if stripSGR(view) != runEnv(t, archive, nil, "view") {
		t.Errorf("view --color always: the padding changed with colour")
	}
	for _, tc := range []struct {
		env  map[string]string
		args []string
	}{
		{nil, []string{"--color=never", "conflicts"}},
		{nil, []string{"--color=auto", "conflicts"}},
		{map[string]string{"NO_COLOR": "1"}, []string{"conflicts"}},
	} {
		if out := runEnv(t, archive, tc.env, tc.args...); strings.Contains(out, "\x1b[") {
			t.Errorf("%v %s: got colour %q", tc.env, tc.args, out)
		}
	}
	// On a terminal: auto colours unless NO_COLOR has a value.
	for _, tc := range []struct {
		flag    string
		tty     bool
		noColor string
		want    bool
	}{
		{"auto", true, "", true}, {"auto", true, "1", false}, {"auto", true, "0", false}, {"auto", false, "", false},
		{"always", false, "1", true}, {"never", true, "", false},
	} {
		if got := colorOn(tc.flag, tc.tty, tc.noColor); got != tc.want {
			t.Errorf("--color=%s, terminal %v, NO_COLOR=%q: colour %v, want %v", tc.flag, tc.tty, tc.noColor, got, tc.want)
		}
	}
	stdout, stderr, code := runInProcess(t, archive, "--color=sometimes", "conflicts")
	assertCleanError(t, stdout, stderr, code, 2, `--color is "sometimes"; it takes never, auto or always`)
}

func stripSGR(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return b.String() + s
		}
		b.WriteString(s[:i])
		s = s[i:]
		s = s[strings.IndexByte(s, 'm')+1:]
	}
}

// TestSourceShowText: --text prints the source's lines, a blank line
// between paragraphs, and --quotes marks every anchored quote with its
// claims, Japanese and Korean (an HTML source) alike.
func TestSourceShowText(t *testing.T) {
	archive, _ := tableArchive(t)
	ja := runEnv(t, archive, nil, "source", "show", "tokyo-metropolitan-press-release-2024", "--text")
	if want := "東京都は2024年4月1日に新しい会場を開設した。\n会場の名前は「臨海ホール」である。\n\n定員は500人。\n\n関係者によると、会場は2024年4月1日に開設された。\n"; ja != want {
		t.Errorf("source show --text:\ngot  %q\nwant %q", ja, want)
	}
	jaq := runEnv(t, archive, nil, "source", "show", "tokyo-metropolitan-press-release-2024", "--text", "--quotes")
	if want := "東京都は«2024年4月1日に新しい会場を開設した»[tokyo-venue-opened-first-of-april-2024]。\n会場の名前は「臨海ホール」である。\n\n«定員は500人»[tokyo-capacity]。\n\n関係者によると、«会場は2024年4月1日に開設された»[tokyo-venue-opened-again]。\n"; jaq != want {
		t.Errorf("source show --text --quotes:\ngot  %q\nwant %q", jaq, want)
	}
	ko := runEnv(t, archive, nil, "source", "show", "seoul", "--quotes")
	if want := "서울 소식\n\n서울시는 «2024년 4월 2일에 새 회장을 열었다»[seoul-venue-opened-on-the-second-of-april].\n\n«정원은 600명이다»[seoul-capacity].\n"; ko != want {
		t.Errorf("source show seoul --quotes:\ngot  %q\nwant %q", ko, want)
	}
	en := runEnv(t, archive, nil, "--color=always", "source", "show", "wire", "--quotes")
	if !strings.Contains(en, "The venue \x1b[36m«\x1b[0mopened on 3 April 2024\x1b[36m»[wire-opened]\x1b[0m after") {
		t.Errorf("source show wire --quotes --color=always: got %q", en)
	}
}

// TestDisplayWidth: wide characters count two, combining marks and
// joiners none; cutting and wrapping never split a wide character over
// the width.
func TestDisplayWidth(t *testing.T) {
	for s, want := range map[string]int{
		"abc": 3, "会場": 4, "회장": 4, "Ｈａｌｌ": 8, "ﾊﾙ": 2, "e\u0301": 1, "\u1112\u1161\u11ab": 2, "🙂": 2, "": 0,
	} {
		if got := dispWidth(s); got != want {
			t.Errorf("dispWidth(%q) = %d, want %d", s, got, want)
		}
	}
	for _, tc := range []struct {
		s    string
		w    int
		want string
	}{
		{"会場の開設", 6, "会場…"}, {"会場の開設", 5, "会場…"}, {"会場", 4, "会場"}, {"abcdef", 4, "abc…"}, {"abc", 0, ""},
	} {
		if got := truncate(tc.s, tc.w); got != tc.want || dispWidth(got) > tc.w {
			t.Errorf("truncate(%q, %d) = %q, want %q", tc.s, tc.w, got, tc.want)
		}
	}
	for _, tc := range []struct {
		s    string
		w    int
		want []string
	}{
		{"opened: 2024-04-01 (tokyo) vs 2024-04-02 (seoul)", 20, []string{"opened: 2024-04-01", "(tokyo) vs", "2024-04-02 (seoul)"}},
		{"会場は2024年4月1日に開設", 9, []string{"会場は202", "4年4月1日", "に開設"}},
		{"short", 20, []string{"short"}},
	} {
		got := wrap(tc.s, tc.w)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrap(%q, %d) = %q, want %q", tc.s, tc.w, got, tc.want)
		}
		for _, l := range got {
			if dispWidth(l) > tc.w {
				t.Errorf("wrap(%q, %d): line %q is %d wide", tc.s, tc.w, l, dispWidth(l))
			}
		}
	}
}
