package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMan checks sillok man: a roff page that begins with its title line
// and has a section for every command and subcommand, which man -l reads
// without a warning when man is installed.
func TestMan(t *testing.T) {
	// urfave's help command, once run, lists itself under itself: the
	// page must not recurse into it.
	mustRunInProcess(t, "", "help")
	mustRunInProcess(t, "", "help", "conflicts")
	page := mustRunInProcess(t, "", "man")
	if !strings.HasPrefix(page, ".TH sillok 1\n") {
		t.Errorf("sillok man: got %.60q, want it to begin with .TH sillok 1", page)
	}
	for name := range appCommands("", newApp(io.Discard, io.Discard).cli().Commands) {
		words := strings.Fields(name)
		head := ".SH " + words[0] + "\n"
		if len(words) > 1 {
			head = ".SS " + words[len(words)-1] + "\n"
		}
		if !strings.Contains(page, head) {
			t.Errorf("sillok man: no %q for the command %s", head, name)
		}
	}
	for _, want := range []string{".SH GLOBAL OPTIONS", "--archive", "SILLOK_ARCHIVE"} {
		if !strings.Contains(page, want) {
			t.Errorf("sillok man: no %q", want)
		}
	}
	t.Run("ManL", func(t *testing.T) {
		man, err := exec.LookPath("man")
		if err != nil {
			t.Skip("man is not installed: the page is not rendered with man -l")
		}
		file := filepath.Join(t.TempDir(), "sillok.1")
		if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, man, "--warnings", "-l", file)
		cmd.Env = append(os.Environ(), "MANPAGER=cat", "PAGER=cat", "MANWIDTH=100", "LC_ALL=C.UTF-8")
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil || errb.Len() > 0 {
			t.Fatalf("man -l sillok.1: %v\n%s", err, errb.String())
		}
		text := out.String()
		for _, want := range []string{"NAME", "sillok - an event-sourced archive", "COMMANDS", "completion", "conflicts"} {
			if !strings.Contains(text, want) {
				t.Errorf("man -l sillok.1: no %q in\n%s", want, text)
			}
		}
		if strings.Contains(text, ".SH") || strings.Contains(text, `\fB`) {
			t.Errorf("man -l sillok.1: roff left in the rendered page:\n%s", text)
		}
	})
}
