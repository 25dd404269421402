package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The README's walkthroughs are run as a test: every command of every
// ```sh block under a "## Walkthrough" heading, as written and in order, in
// one bash session (so that export and cd carry over), from the root of
// the repository (a stand-in for it: see TestREADME), with the sillok
// built for this test run first on PATH.
// Other blocks are never run: ```text shows output, ```yaml a file, and the
// blocks of other sections (go run, go test, the benchmarks) are run by
// other means or by hand.

// readmeCommand is one command of the README: its text (continued lines
// and heredocs included) and the line it starts on.
type readmeCommand struct {
	line int
	text string
}

// heredocRE finds a heredoc in a command line: <<EOF, <<'EOF', <<-"EOF".
var heredocRE = regexp.MustCompile(`<<-?\s*['"]?([A-Za-z_][A-Za-z0-9_]*)['"]?`)

// readmeCommands returns the commands of the ```sh blocks under the
// "## Walkthrough" headings of a README, in order.
func readmeCommands(readme string) ([]readmeCommand, error) {
	var (
		cmds        []readmeCommand
		walkthrough bool   // under a "## Walkthrough" heading
		fence       string // the open fence's info string; "" outside a block
		inBlock     bool
		cur         *readmeCommand
		heredoc     string // the delimiter that ends the heredoc being read
	)
	lines := strings.Split(readme, "\n")
	for i, line := range lines {
		n := i + 1
		if !inBlock {
			if strings.HasPrefix(line, "## ") {
				walkthrough = strings.HasPrefix(line, "## Walkthrough")
			}
			if info, ok := strings.CutPrefix(line, "```"); ok {
				inBlock, fence = true, strings.TrimSpace(info)
			}
			continue
		}
		if heredoc == "" && strings.TrimSpace(line) == "```" {
			if cur != nil {
				return nil, fmt.Errorf("README.md:%d: the command ends with a backslash at the end of its block", cur.line)
			}
			inBlock = false
			continue
		}
		if !walkthrough || fence != "sh" {
			continue
		}
		switch {
		case heredoc != "":
			cur.text += "\n" + line
			if line == heredoc {
				heredoc = ""
				cmds = append(cmds, *cur)
				cur = nil
			}
			continue
		case cur == nil && (strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#")):
			continue
		case cur == nil:
			cur = &readmeCommand{line: n, text: line}
		default:
			cur.text += "\n" + line
		}
		if m := heredocRE.FindStringSubmatch(line); m != nil {
			heredoc = m[1]
			continue
		}
		if !strings.HasSuffix(line, "\\") {
			cmds = append(cmds, *cur)
			cur = nil
		}
	}
	if inBlock {
		return nil, errors.New("README.md: a code block is not closed")
	}
	return cmds, nil
}

func TestReadmeCommands(t *testing.T) {
	readme := "# X\n\n```sh\ngo test ./...\n```\n\n## Walkthrough: one\n\ntext\n\n```sh\n" +
		"export A=1   # a comment\n\n# a comment line\nsillok source add f.txt --id x \\\n    --lang en\n" +
		"cat > c.yaml <<'EOF'\na: 1\n```not a fence\nEOF\nsillok verify\n```\n\n```text\nsillok: output\n```\n\n" +
		"## Other\n\n```sh\nsillok gen --claims 1000000\n```\n"
	got, err := readmeCommands(readme)
	if err != nil {
		t.Fatal(err)
	}
	want := []readmeCommand{
		{12, "export A=1   # a comment"},
		{15, "sillok source add f.txt --id x \\\n    --lang en"},
		{17, "cat > c.yaml <<'EOF'\na: 1\n```not a fence\nEOF"},
		{21, "sillok verify"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %+v,\nwant %+v", got, want)
	}
	if _, err := readmeCommands("## Walkthrough\n\n```sh\nsillok init \\\n```\n"); err == nil {
		t.Errorf("a command continued past the end of its block: got no error")
	}
}

// TestREADME runs the README's walkthroughs and fails with the README line,
// the command and its output at the first command that fails.
func TestREADME(t *testing.T) {
	bin := buildSillok(t)
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash to run the README's commands with")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	cmds, err := readmeCommands(string(readme))
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for _, c := range cmds {
		if f := strings.Fields(c.text); len(f) > 0 {
			words = append(words, f[0])
			if f[0] == "go" {
				t.Fatalf("README.md:%d: %q: a walkthrough runs sillok, not go (go test would run this test again)", c.line, c.text)
			}
		}
	}
	joined := " " + strings.Join(words, " ") + " "
	if len(cmds) < 20 || !strings.Contains(joined, " sillok ") {
		t.Fatalf("found %d commands in the walkthroughs (%s), want both walkthroughs", len(cmds), joined)
	}

	const marker = "@@README.md line "
	var script strings.Builder
	script.WriteString("exec 2>&1\n")
	for _, c := range cmds {
		fmt.Fprintf(&script, "printf '\\n%s%d@@\\n'\n%s\n", marker, c.line, c.text)
	}
	fmt.Fprintf(&script, "printf '\\n%send@@\\n'\n", marker)

	// The commands run in a stand-in for the root of a fresh clone: a
	// directory whose entries link to the repository's, so that a command
	// that writes in the current directory (as the walkthroughs should
	// not) leaves nothing in the repository.
	clone := t.TempDir()
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == ".git" {
			continue
		}
		if err := os.Symlink(filepath.Join(root, e.Name()), filepath.Join(clone, e.Name())); err != nil {
			t.Fatal(err)
		}
	}

	tmp := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, "-e", "-c", script.String())
	cmd.Dir = clone
	cmd.Env = append(cleanEnv(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"), "TMPDIR="+tmp)
	var out bytes.Buffer
	cmd.Stdout = &out
	runErr := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("the README's commands did not finish within 5 minutes")
	}

	// Split the output by command.
	outputs := map[int]string{}
	last := 0
	for _, part := range strings.Split(out.String(), "\n"+marker)[1:] {
		num, rest, _ := strings.Cut(part, "@@\n")
		if num == "end" {
			last = -1
			continue
		}
		line, err := strconv.Atoi(num)
		if err != nil {
			t.Fatalf("garbled output marker %q", num)
		}
		outputs[line], last = rest, line
	}
	if runErr != nil || last != -1 {
		for _, c := range cmds {
			if c.line == last {
				t.Fatalf("README.md:%d: the command\n%s\nfailed (%v) with the output:\n%s", c.line, c.text, runErr, outputs[c.line])
			}
		}
		t.Fatalf("the README's commands failed before the first one ran (%v): %s", runErr, out.String())
	}

	// A few outputs that say the walkthroughs did what they describe.
	find := func(prefix string) string {
		for _, c := range cmds {
			if strings.HasPrefix(c.text, prefix) {
				return outputs[c.line]
			}
		}
		t.Fatalf("no command %q in the walkthroughs", prefix)
		return ""
	}
	for prefix, want := range map[string]string{
		"sillok claim import claims.yaml":                  "3 claims, 3 new",
		"sillok verify":                                    ": ok",
		"sillok review 1f6ae431ab":                         "rejected hl-first-meeting-same-day",
		"sillok review b4432d0319":                         "same: Freedom Online Coalition = Online Freedom Coalition",
		"sillok log --from 53":                             "review abf91dbbdf by fact-checker: accepted jp-launched",
		`sillok view "Disruptive Technology Protection Ne`: "2023-04 | 2023-08",
	} {
		if got := find(prefix); !strings.Contains(got, want) {
			t.Errorf("%s: got %q, want it to say %q", prefix, got, want)
		}
	}
	// The walkthroughs work in scratch directories, not in the clone.
	if after, err := os.ReadDir(clone); err != nil || len(after) != len(entries)-countGit(entries) {
		var names []string
		for _, e := range after {
			names = append(names, e.Name())
		}
		t.Errorf("after the walkthroughs the root of the clone holds %v (%v), want only the repository's files", names, err)
	}
}

func countGit(entries []os.DirEntry) int {
	for _, e := range entries {
		if e.Name() == ".git" {
			return 1
		}
	}
	return 0
}
