package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// runOnTerminal runs the built binary in dir with its standard error on
// a pseudo-terminal and its standard output on a pipe, and returns what
// each received and the exit status.
func runOnTerminal(t *testing.T, dir string, env []string, args ...string) (stdout, tty string, code int) {
	t.Helper()
	bin := buildSillok(t)
	ptmx, pts, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal on this system: %v", err)
	}
	defer ptmx.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 24, Cols: 100}); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(append(cleanEnv(), "TERM=xterm"), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, pts
	if err := cmd.Start(); err != nil {
		pts.Close()
		t.Fatal(err)
	}
	pts.Close() // the child holds it
	read := make(chan []byte, 1)
	go func() {
		// Reading the terminal's other end ends with EIO once the child,
		// its last holder, exits.
		b, _ := io.ReadAll(ptmx)
		read <- b
	}()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("sillok %s did not finish in time", strings.Join(args, " "))
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	var b []byte
	select {
	case b = <-read:
	case <-time.After(10 * time.Second):
		t.Fatal("the terminal's output did not end")
	}
	return out.String(), string(b), code
}

// genArchive makes a generated archive in a new directory with the
// binary, in a pipe, and returns the directory and the archive's path.
func genArchive(t *testing.T) (dir, path string) {
	t.Helper()
	dir = t.TempDir()
	set := filepath.Join(dir, "set")
	stdout, stderr, code, _ := runBinary(t, dir, nil, "gen", "--claims", "3000", "--per-file", "1000", "--load", set)
	if code != 0 {
		t.Fatalf("gen --load: %d, %q, %q", code, stdout, stderr)
	}
	if stderr != "" {
		t.Errorf("gen --load in a pipe drew on stderr: %q", stderr)
	}
	return dir, filepath.Join(set, "sillok.db")
}

// wantProgress checks the terminal received the progress of each of
// whats (the description) with a percentage, and that the bar was
// cleared at the end (the last thing written erases the line).
func wantProgress(t *testing.T, cmd, tty string, whats ...string) {
	t.Helper()
	for _, w := range whats {
		if !strings.Contains(tty, w) {
			t.Errorf("%s on a terminal: no %q in its progress: %q", cmd, w, tty)
		}
	}
	if !strings.Contains(tty, "%") {
		t.Errorf("%s on a terminal: no percentage in its progress: %q", cmd, tty)
	}
	if strings.Contains(tty, "sillok:") {
		t.Errorf("%s on a terminal: an error: %q", cmd, tty)
	}
}

func TestProgressOnTerminal(t *testing.T) {
	dir, path := genArchive(t)

	t.Run("verify", func(t *testing.T) {
		stdout, tty, code := runOnTerminal(t, dir, nil, "verify", "--archive", path)
		if code != 0 || !strings.HasSuffix(stdout, ": ok\n") {
			t.Fatalf("verify: %d, %q, %q", code, stdout, tty)
		}
		wantProgress(t, "verify", tty, "verifying the log", "events", "checking the stored checkpoints")
		if strings.Contains(stdout, "\x1b") || strings.Contains(stdout, "\r") {
			t.Errorf("verify: progress on stdout: %q", stdout)
		}
	})
	t.Run("verify --json", func(t *testing.T) {
		stdout, tty, code := runOnTerminal(t, dir, nil, "verify", "--replay", "--json", "--archive", path)
		var rep verifyReport
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != 0 || !rep.OK {
			t.Fatalf("verify --json with progress on the terminal: %d, %v, stdout %q", code, err, stdout)
		}
		wantProgress(t, "verify --json", tty, "verifying the log", "replaying the log")
	})
	t.Run("rebuild", func(t *testing.T) {
		stdout, tty, code := runOnTerminal(t, dir, nil, "rebuild", "--json", "--archive", path)
		var rep map[string]any
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != 0 {
			t.Fatalf("rebuild --json: %d, %v, stdout %q, tty %q", code, err, stdout, tty)
		}
		wantProgress(t, "rebuild", tty, "checking the log", "replaying the log")
	})
	t.Run("claim import", func(t *testing.T) {
		set := filepath.Dir(path)
		files, err := filepath.Glob(filepath.Join(set, "claims", "*.yaml"))
		if err != nil || len(files) < 2 {
			t.Fatalf("claims files of the set: %v, %v", files, err)
		}
		// The same files again into the archive that holds them: every
		// claim is checked and nothing added.
		stdout, tty, code := runOnTerminal(t, dir, nil, append([]string{"claim", "import", "--archive", path}, files...)...)
		if code != 0 {
			t.Fatalf("claim import: %d, %q, %q", code, stdout, tty)
		}
		// The terminal is 100 wide: a file name is shortened to 25.
		wantProgress(t, "claim import", tty, "importing …"+files[0][len(files[0])-24:]+" (file 1 of "+strconv.Itoa(len(files))+")", "claims")
		if strings.Count(stdout, "\n") != len(files) || strings.Contains(stdout, "\x1b") {
			t.Errorf("claim import: stdout is not one line a file: %q", stdout)
		}
	})
	t.Run("gen --load", func(t *testing.T) {
		stdout, tty, code := runOnTerminal(t, dir, nil, "gen", "--claims", "2000", "--load", "--json", filepath.Join(t.TempDir(), "g"))
		var out map[string]any
		if err := json.Unmarshal([]byte(stdout), &out); err != nil || code != 0 {
			t.Fatalf("gen --load --json: %d, %v, %q, %q", code, err, stdout, tty)
		}
		wantProgress(t, "gen --load", tty, "archiving the sources", "importing")
	})
	t.Run("quiet", func(t *testing.T) {
		for _, c := range []struct {
			env  []string
			args []string
		}{
			{nil, []string{"verify", "--quiet", "--archive", path}},
			{nil, []string{"--quiet", "rebuild", "--archive", path}},
			{[]string{"SILLOK_QUIET=1"}, []string{"verify", "--archive", path}},
		} {
			stdout, tty, code := runOnTerminal(t, dir, c.env, c.args...)
			if code != 0 || stdout == "" {
				t.Errorf("%v %v: %d, %q", c.env, c.args, code, stdout)
			}
			if tty != "" {
				t.Errorf("%v %v: drew on the terminal: %q", c.env, c.args, tty)
			}
		}
	})
}

// TestProgressNotInPipe: with standard error a pipe (or a file), no
// progress is drawn.
func TestProgressNotInPipe(t *testing.T) {
	dir, path := genArchive(t)
	for _, args := range [][]string{
		{"verify", "--archive", path},
		{"verify", "--replay", "--json", "--archive", path},
		{"rebuild", "--archive", path},
	} {
		stdout, stderr, code, _ := runBinary(t, dir, nil, args...)
		if code != 0 || stdout == "" || stderr != "" {
			t.Errorf("%v in a pipe: %d, %q, stderr %q (want none)", args, code, stdout, stderr)
		}
	}
	// stderr a file.
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command(buildSillok(t), "verify", "--archive", path)
	cmd.Env = append(cleanEnv(), "TERM=xterm")
	cmd.Stderr = f
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(f.Name()); len(b) != 0 {
		t.Errorf("verify with stderr a file wrote %q to it", b)
	}
}

// TestProgressInProcess: the app's stderr is not a terminal in the
// in-process tests, and nothing is drawn there either (the progress
// callbacks are not even set).
func TestProgressInProcess(t *testing.T) {
	a := newApp(io.Discard, io.Discard)
	if a.showProgress(nil) {
		t.Error("showProgress with stderr io.Discard")
	}
	var ph *phases
	if ph.report() != nil {
		t.Error("a nil phases' report is not nil")
	}
	ph.finish()
	var fb *fileBars
	if fb.report() != nil {
		t.Error("a nil fileBars' report is not nil")
	}
	fb.finish()
	var p *progress
	p.set(1)
	p.finish()
}

func TestFitName(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"claims/00001.yaml", 40, "claims/00001.yaml"},
		{"/tmp/set/claims/00001.yaml", 12, "…/00001.yaml"},
		{"claims/会場の記録.yaml", 10, "…場の記録.yaml"},
		{"/a/long/path/name.yaml", 0, "/a/long/path/name.yaml"},
	} {
		if got := fitName(c.in, c.max); got != c.want {
			t.Errorf("fitName(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}
