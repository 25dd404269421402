package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// Tests of sillok completion and of the candidates a shell gets (issue
// #21: "No completion and no manual").

// complete runs a completion request in this process, as the scripts do:
// the words typed, then --generate-bash-completion. It must succeed and
// print nothing on stderr, whatever it finds.
func complete(t *testing.T, archive string, words ...string) []string {
	t.Helper()
	stdout, stderr, code := runInProcess(t, archive, append(words, completionFlag)...)
	if code != 0 || stderr != "" {
		t.Fatalf("completion of %q: got exit status %d, stderr %q, want 0 and nothing", words, code, stderr)
	}
	return strings.Fields(strings.ReplaceAll(stdout, " ", "_"))
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestCompletionScripts(t *testing.T) {
	checks := map[string]struct {
		marker string
		syntax []string // a shell command that checks the script's syntax
	}{
		"bash": {"complete -o default -F _sillok_complete sillok", []string{"bash", "-n"}},
		"zsh":  {"compdef _sillok_complete sillok", []string{"zsh", "-n"}},
		"fish": {"complete -c sillok", []string{"fish", "--no-execute"}},
	}
	for shell, want := range checks {
		t.Run(shell, func(t *testing.T) {
			out := mustRunInProcess(t, "", "completion", shell)
			if !strings.Contains(out, want.marker) || !strings.Contains(out, completionFlag) {
				t.Errorf("completion %s: got\n%s\nwant %q and a call of %s", shell, out, want.marker, completionFlag)
			}
			if _, err := exec.LookPath(want.syntax[0]); err != nil {
				t.Skipf("%s is not installed: the script's syntax is not checked", want.syntax[0])
			}
			file := filepath.Join(t.TempDir(), "sillok."+shell)
			if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			if b, err := exec.Command(want.syntax[0], append(want.syntax[1:], file)...).CombinedOutput(); err != nil {
				t.Errorf("%s %s: %v\n%s", strings.Join(want.syntax, " "), file, err, b)
			}
		})
	}
	t.Run("UnknownShell", func(t *testing.T) {
		e2eFail(t, "", 2, []string{`unknown shell "tcsh"`, "bash, zsh and fish"}, "completion", "tcsh")
		e2eFail(t, "", 2, []string{"completion needs 1 argument"}, "completion")
	})
}

// completableConflictIDs are the ids a conflict id completes to: every
// conflict's, and the root id of each item of the queue that holds several
// combinations.
func completableConflictIDs(t *testing.T, archive string) []string {
	t.Helper()
	var queue struct {
		Conflicts []struct{ ID string }
		Items     []struct {
			ID        string
			Conflicts []string
		}
	}
	e2eJSON(t, archive, &queue, "conflicts", "--status", "all")
	var ids []string
	for _, c := range queue.Conflicts {
		ids = append(ids, c.ID)
	}
	for _, it := range queue.Items {
		if len(it.Conflicts) > 1 {
			ids = append(ids, it.ID)
		}
	}
	return ids
}

// TestCompletionCandidates checks what each place on the command line
// completes to, on the demo archive.
func TestCompletionCandidates(t *testing.T) {
	_, _, archive := runDemo(t)
	conflicts := e2eConflicts(t, archive, "--status", "all")
	conflictIDs := completableConflictIDs(t, archive)
	var sources struct{ Sources []struct{ ID string } }
	e2eJSON(t, archive, &sources, "source", "list")
	var sourceIDs []string
	for _, s := range sources.Sources {
		sourceIDs = append(sourceIDs, s.ID)
	}
	if len(conflictIDs) < 2 || len(sourceIDs) < 2 {
		t.Fatalf("demo archive: %d conflicts, %d sources, want several", len(conflictIDs), len(sourceIDs))
	}

	if got := complete(t, archive); !slices.Contains(got, "conflicts") || !slices.Contains(got, "completion") || !slices.Contains(got, "man") || !slices.Contains(got, "help") {
		t.Errorf("sillok <TAB>: got %q, want the commands", got)
	}
	if got, want := complete(t, archive, "source"), []string{"add", "import", "edit", "list", "show"}; !slices.Equal(got, want) {
		t.Errorf("sillok source <TAB>: got %q, want %q", got, want)
	}
	if got := complete(t, archive, "help"); !slices.Contains(got, "review") {
		t.Errorf("sillok help <TAB>: got %q, want the commands", got)
	}
	for _, words := range [][]string{{"conflicts", "show"}, {"review"}} {
		if got := complete(t, archive, words...); !slices.Equal(sorted(got), sorted(conflictIDs)) {
			t.Errorf("sillok %s <TAB>: got %q, want the conflict ids %q", strings.Join(words, " "), got, conflictIDs)
		}
	}
	for _, words := range [][]string{{"source", "show"}, {"source", "edit"}, {"claim", "list", "--source"}, {"source", "add", "--translation-of"}} {
		if got := complete(t, archive, words...); !slices.Equal(sorted(got), sorted(sourceIDs)) {
			t.Errorf("sillok %s <TAB>: got %q, want the source ids %q", strings.Join(words, " "), got, sourceIDs)
		}
	}
	// Predicate names have spaces: complete prints one a line.
	if got := complete(t, archive, "claim", "add", "--source", sourceIDs[0], "--predicate"); !slices.Contains(got, "first_high-level_meeting_venue") {
		t.Errorf("sillok claim add --predicate <TAB>: got %q, want the predicates", got)
	}
	target := conflicts[0]
	var claimIDs []string
	for _, c := range target.Claims {
		claimIDs = append(claimIDs, c.ID)
	}
	for _, flag := range []string{"--accept", "--reject"} {
		if got := complete(t, archive, "review", target.ID, flag); !slices.Equal(sorted(got), sorted(claimIDs)) {
			t.Errorf("sillok review %s %s <TAB>: got %q, want its claims %q", target.ID, flag, got, claimIDs)
		}
	}
	if got := complete(t, archive, "claim", "retract"); !slices.Contains(got, claimIDs[0]) {
		t.Errorf("sillok claim retract <TAB>: got %q, want the claim ids (%s among them)", got, claimIDs[0])
	}
	for words, want := range map[string][]string{
		"completion":              {"bash", "zsh", "fish"},
		"conflicts --status":      {"open", "resolved", "all"},
		"conflicts --at 3 --kind": {"value", "temporal", "name"},
		"predicate add x --kind":  {"date", "quantity", "entity", "text"},
		"source edit --clear":     {"title", "url", "publisher", "lang", "published", "retrieved", "translation-of", "translator"},
		"alias add Foo --kind":    {"translation", "transliteration", "mistranslation", "abbreviation", "variant", "distinct"},
	} {
		if got := complete(t, archive, strings.Fields(words)...); !slices.Equal(got, want) {
			t.Errorf("sillok %s <TAB>: got %q, want %q", words, got, want)
		}
	}
	if got := complete(t, archive, "conflicts", "--st"); !slices.Contains(got, "--status") || !slices.Contains(got, "--archive") {
		t.Errorf("sillok conflicts --st<TAB>: got %q, want the command's and the global flags", got)
	}
	// A flag whose value is not from the archive, or an argument that is
	// not: nothing, so that the shell completes file names.
	if got := complete(t, archive, "source", "add"); len(got) != 0 {
		t.Errorf("sillok source add <TAB>: got %q, want nothing (file names)", got)
	}
	if got := complete(t, archive, "conflicts", "show", "--archive"); len(got) != 0 {
		t.Errorf("sillok conflicts show --archive <TAB>: got %q, want nothing (file names)", got)
	}
	// --archive on the command line is the archive completed from.
	other := filepath.Join(t.TempDir(), "none.db")
	if got := complete(t, other, "conflicts", "--archive", archive, "show"); len(got) != len(conflictIDs) {
		t.Errorf("sillok conflicts --archive DEMO show <TAB>: got %q, want the demo's conflict ids", got)
	}
	if got := complete(t, other, "--archive", "=", archive, "conflicts", "show"); len(got) != len(conflictIDs) {
		t.Errorf("sillok --archive=DEMO conflicts show <TAB> (as bash splits it): got %q, want the demo's conflict ids", got)
	}
	// No archive: nothing, and no error.
	if got := complete(t, other, "conflicts", "show"); len(got) != 0 {
		t.Errorf("completion without an archive: got %q, want nothing", got)
	}
	// After "--": nothing, and the command does not run.
	for _, words := range [][]string{{"init", "--"}, {"init", "--", "x"}, {"--", "init"}} {
		if got := complete(t, other, words...); len(got) != 0 {
			t.Errorf("completion of %q: got %q, want nothing", words, got)
		}
	}
	if _, err := os.Stat(other); err == nil {
		t.Errorf("completion created %s", other)
	}
	// gen takes its directory for an argument: a completion after "--"
	// must not run it with the completion flag for the directory.
	t.Chdir(t.TempDir())
	if got := complete(t, other, "gen", "--claims", "5", "--"); len(got) != 0 {
		t.Errorf("completion of gen --claims 5 -- : got %q, want nothing", got)
	}
	if _, err := os.Stat(completionFlag); err == nil {
		t.Errorf("completion of gen --claims 5 -- ran gen: it made %s", completionFlag)
	}
}

// TestCompletionLocked: an archive another process is writing completes
// nothing, quickly, and says nothing.
func TestCompletionLocked(t *testing.T) {
	_, _, archive := runDemo(t)
	release := holdArchive(t, archive)
	defer release()
	start := time.Now()
	if got := complete(t, archive, "conflicts", "show"); len(got) != 0 {
		t.Errorf("completion of a locked archive: got %q, want nothing", got)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("completion of a locked archive took %v, want well under 2s", d)
	}
}

// TestCompletionBash sources the bash script in bash, checks complete -p,
// and completes "sillok conflicts show <TAB>" with the built binary on the
// PATH.
func TestCompletionBash(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed: the bash completion is not exercised")
	}
	bin := buildSillok(t)
	_, _, archive := runDemo(t)
	want := completableConflictIDs(t, archive)
	script := filepath.Join(t.TempDir(), "sillok.bash")
	stdout, stderr, code, _ := runBinary(t, t.TempDir(), nil, "completion", "bash")
	if code != 0 || stderr != "" {
		t.Fatalf("completion bash: got %d, %q", code, stderr)
	}
	if err := os.WriteFile(script, []byte(stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(t *testing.T, body string) []string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bash, "--norc", "--noprofile", "-c", "source "+shellQuote(script)+"\n"+body)
		cmd.Env = append(cleanEnv(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"), "SILLOK_ARCHIVE="+archive)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil || errb.Len() > 0 {
			t.Fatalf("bash: %v\n%s%s", err, out.String(), errb.String())
		}
		return strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	}
	if got := run(t, "complete -p sillok"); len(got) != 1 || got[0] != "complete -o default -F _sillok_complete sillok" {
		t.Errorf("complete -p sillok: got %q", got)
	}
	complete := func(t *testing.T, words string, cword int) []string {
		t.Helper()
		return run(t, "COMP_WORDS=("+words+"); COMP_CWORD="+string(rune('0'+cword))+"; COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}\n"+
			"_sillok_complete; printf '%s\\n' \"${COMPREPLY[@]}\"")
	}
	if got := complete(t, `sillok conflicts show ""`, 3); !slices.Equal(sorted(got), sorted(want)) {
		t.Errorf("sillok conflicts show <TAB>: got %q, want the demo's conflict ids %q", got, want)
	}
	if got := complete(t, `sillok conflicts show `+want[0][:4], 3); !slices.Equal(got, []string{want[0]}) {
		t.Errorf("sillok conflicts show %s<TAB>: got %q, want %q", want[0][:4], got, want[0])
	}
	if got := complete(t, `sillok confl`, 1); !slices.Equal(got, []string{"conflicts"}) {
		t.Errorf("sillok confl<TAB>: got %q, want conflicts", got)
	}
	if got := complete(t, `sillok claim add --predicate "first high"`, 4); !slices.Equal(got, []string{`first\ high-level\ meeting`, `first\ high-level\ meeting\ venue`}) {
		t.Errorf("sillok claim add --predicate first high<TAB>: got %q", got)
	}
}

// TestCompletionZshFish completes "sillok conflicts show <TAB>" in zsh and
// fish, when they are installed, with the built binary on the PATH. (zsh
// runs the completion function with compadd standing in for the builtin,
// which only a completion widget may call.)
func TestCompletionZshFish(t *testing.T) {
	shells := map[string]func(script string) []string{
		"zsh": func(script string) []string {
			return []string{"-f", "-c", "source " + shellQuote(script) + "\n" +
				`compadd() { shift; print -l -- "${(@P)1}"; }; _files() { print FILES; }` + "\n" +
				`words=(sillok conflicts show ""); CURRENT=4; _sillok_complete`}
		},
		"fish": func(script string) []string {
			return []string{"--no-config", "-c", "source " + shellQuote(script) + "; complete -C 'sillok conflicts show '"}
		},
	}
	for shell, argv := range shells {
		t.Run(shell, func(t *testing.T) {
			path, err := exec.LookPath(shell)
			if err != nil {
				t.Skipf("%s is not installed: its completion is not exercised", shell)
			}
			bin := buildSillok(t)
			_, _, archive := runDemo(t)
			want := completableConflictIDs(t, archive)
			script := filepath.Join(t.TempDir(), "sillok."+shell)
			if err := os.WriteFile(script, []byte(mustRunInProcess(t, "", "completion", shell)), 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, path, argv(script)...)
			cmd.Dir = t.TempDir()
			cmd.Env = append(cleanEnv(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"), "SILLOK_ARCHIVE="+archive, "HOME="+cmd.Dir)
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			if err := cmd.Run(); err != nil || errb.Len() > 0 {
				t.Fatalf("%s: %v\n%s%s", shell, err, out.String(), errb.String())
			}
			if got := strings.Fields(out.String()); !slices.Equal(sorted(got), sorted(want)) {
				t.Errorf("%s: sillok conflicts show <TAB>: got %q, want the demo's conflict ids %q", shell, got, want)
			}
		})
	}
}
