package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sillok/sillok/events"
)

// holdEnv names the archive a child copy of the test binary holds open for
// writing (see TestMain and holdArchive).
const holdEnv = "SILLOK_TEST_HOLD"

// binDir holds the sillok binary built for this test run.
var binDir string

func TestMain(m *testing.M) {
	if path := os.Getenv(holdEnv); path != "" {
		os.Exit(holdMain(path))
	}
	dir, err := os.MkdirTemp("", "sillok-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// holdMain is the child process of holdArchive: it opens the archive for
// writing, says "holding" on stdout, and keeps the lock until its standard
// input closes.
func holdMain(path string) int {
	log, err := events.Open(path, events.Options{Timeout: 5 * time.Second})
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("holding")
	io.Copy(io.Discard, os.Stdin)
	if err := log.Close(); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	return 0
}

// holdArchive starts a child process that holds path open for writing and
// returns once it has the lock. release ends the child and waits for it.
func holdArchive(t *testing.T, path string) (release func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holdEnv+"="+path)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start holder: %v", err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			stdin.Close()
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("holder: %v", err)
				}
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				<-done
				t.Errorf("holder did not exit when released")
			}
		})
	}
	t.Cleanup(release)

	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- s
	}()
	select {
	case s := <-line:
		if s != "holding\n" {
			t.Fatalf("holder said %q, want \"holding\"", s)
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("holder did not take the lock within 10s")
	}
	return release
}

var (
	buildOnce sync.Once
	buildErr  error
)

// buildSillok builds the sillok binary once per test run and returns its path.
func buildSillok(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary; skipped in -short mode")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the binary with")
	}
	bin := filepath.Join(binDir, "sillok")
	buildOnce.Do(func() {
		out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return bin
}

// runBinary runs the built binary (buildSillok) as a separate process in
// dir, with env added to the environment, and returns its output, exit
// status and how long it ran; a run over 30 seconds fails the test. It is
// execBinary's wrapper for tests: runInProcess (cli_test.go) runs the
// program in this process instead.
func runBinary(t *testing.T, dir string, env []string, args ...string) (stdout, stderr string, code int, elapsed time.Duration) {
	t.Helper()
	bin := buildSillok(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := execBinary(ctx, bin, binOpts{dir: dir, env: env}, args...)
	if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return r.stdout, r.stderr, r.code, r.elapsed
}

// binResult is how a run of the sillok binary ended (execBinary).
type binResult struct {
	args           []string
	stdout, stderr string
	code           int  // exit status; -1 when killed by a signal
	killed         bool // SIGKILL was delivered while it ran
	// wrote is how many bytes the process was last seen to have written
	// (write system calls: the archive's pages, then its output), when
	// execBinary watched; -1 when unknown.
	wrote   int64
	elapsed time.Duration
}

func (r binResult) String() string {
	return fmt.Sprintf("sillok %s: exit %d, killed %v, after %s\nstdout: %.2000s\nstderr: %.2000s",
		strings.Join(r.args, " "), r.code, r.killed, r.elapsed.Round(time.Millisecond), r.stdout, r.stderr)
}

// binOpts say how execBinary runs the binary: in dir (the test's working
// directory when ""), with env added to the environment (which holds no
// SILLOK_ variables otherwise), and whether and when it kills the process
// with SIGKILL: after a delay, or once it has written at least some bytes
// (polling /proc/PID/io), if it is still running then. The zero value
// never kills; watch alone records in binResult.wrote the most the process
// was seen to have written.
type binOpts struct {
	dir string
	env []string

	after   time.Duration
	atWrite int64
	watch   bool
	// started, when set, is called with the process id once it runs.
	started func(pid int)
}

// execBinary runs the binary bin with args as kill says (binOpts) and
// returns how it ended. ctx bounds the run: when it expires the process is
// killed and execBinary returns an error, so that nothing can hang. It
// never calls t methods, so goroutines may use it; runBinary is the
// test's wrapper.
func execBinary(ctx context.Context, bin string, kill binOpts, args ...string) (binResult, error) {
	r := binResult{args: args, wrote: -1}
	cmd := exec.Command(bin, args...)
	cmd.Dir = kill.dir
	cmd.Env = append(cleanEnv(), kill.env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return r, err
	}
	if kill.started != nil {
		kill.started(cmd.Process.Pid)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var timer, poll <-chan time.Time
	if kill.after > 0 {
		tm := time.NewTimer(kill.after)
		defer tm.Stop()
		timer = tm.C
	}
	if kill.atWrite > 0 || kill.watch {
		tk := time.NewTicker(300 * time.Microsecond)
		defer tk.Stop()
		poll = tk.C
	}
	var err error
wait:
	for {
		select {
		case err = <-done:
			break wait
		case <-timer:
			r.wrote = max(r.wrote, relWritten(cmd.Process.Pid))
			cmd.Process.Signal(syscall.SIGKILL)
			err = <-done
			break wait
		case <-poll:
			n := relWritten(cmd.Process.Pid)
			r.wrote = max(r.wrote, n)
			if kill.atWrite > 0 && n >= kill.atWrite {
				cmd.Process.Signal(syscall.SIGKILL)
				err = <-done
				break wait
			}
		case <-ctx.Done():
			cmd.Process.Kill()
			<-done
			return r, fmt.Errorf("sillok %s did not finish in time: %w", strings.Join(args, " "), ctx.Err())
		}
	}
	r.elapsed = time.Since(start)
	r.stdout, r.stderr = out.String(), errb.String()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			r.killed = true
		}
	default:
		return r, err
	}
	return r, nil
}

// cleanEnv is the environment without SILLOK_ variables.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SILLOK_") {
			env = append(env, kv)
		}
	}
	return env
}

func TestBinaryInitVerify(t *testing.T) {
	dir := t.TempDir()
	// No --archive: the default is sillok.db in the working directory.
	stdout, stderr, code, _ := runBinary(t, dir, nil, "init")
	if want := "created archive sillok.db (format 1)\n"; code != 0 || stdout != want || stderr != "" {
		t.Fatalf("init: got %d, %q, %q, want 0, %q, nothing", code, stdout, stderr, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "sillok.db")); err != nil {
		t.Fatalf("init did not create sillok.db in the working directory: %v", err)
	}
	stdout, stderr, code, _ = runBinary(t, dir, nil, "verify")
	if want := "0 events (head 0), 0 sources, 0 claims: ok\n"; code != 0 || stdout != want || stderr != "" {
		t.Errorf("verify: got %d, %q, %q, want 0, %q, nothing", code, stdout, stderr, want)
	}
	stdout, _, code, _ = runBinary(t, dir, nil, "verify", "--json")
	if code != 0 || !strings.Contains(stdout, `"ok": true`) {
		t.Errorf("verify --json: got %d, %q, want 0 and ok true", code, stdout)
	}

	t.Run("EnvArchive", func(t *testing.T) {
		other := t.TempDir()
		path := filepath.Join(other, "env.db")
		_, stderr, code, _ := runBinary(t, dir, []string{"SILLOK_ARCHIVE=" + path}, "init")
		if code != 0 {
			t.Fatalf("SILLOK_ARCHIVE=%s sillok init: got %d, %q", path, code, stderr)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("init did not create $SILLOK_ARCHIVE: %v", err)
		}
		// --archive wins over the environment.
		stdout, _, code, _ := runBinary(t, dir, []string{"SILLOK_ARCHIVE=" + filepath.Join(other, "nope.db")}, "verify", "--archive", path)
		if code != 0 || !strings.HasSuffix(stdout, "ok\n") {
			t.Errorf("verify --archive with another $SILLOK_ARCHIVE: got %d, %q", code, stdout)
		}
	})
}

func TestBinaryErrors(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("not an archive\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantMsg  string
	}{
		{"ErrNotArchive", []string{"log", "--archive", text}, 1, "not a Sillok archive"},
		{"ErrNoArchive", []string{"verify", "--archive", filepath.Join(dir, "missing.db")}, 1, "archive does not exist"},
		{"ErrUsage", []string{"log", "--bogus", "--archive", text}, 2, "usage: sillok log"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code, _ := runBinary(t, dir, nil, tt.args...)
			assertCleanError(t, stdout, stderr, code, tt.wantCode, tt.wantMsg)
		})
	}
	if got, _ := os.ReadFile(text); string(got) != "not an archive\n" {
		t.Errorf("the text file was changed to %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Errorf("verify created the missing archive")
	}
}

// TestBinaryInUse holds the archive open for writing in another process:
// every command must give up after the lock timeout (2s) with a message
// naming the file, never hang.
func TestBinaryInUse(t *testing.T) {
	buildSillok(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "held.db")
	if _, stderr, code, _ := runBinary(t, dir, nil, "init", "--archive", path); code != 0 {
		t.Fatalf("init: %d, %q", code, stderr)
	}
	release := holdArchive(t, path)

	for _, args := range [][]string{{"log"}, {"verify"}, {"init"}, {"log", "--json"}} {
		t.Run("ErrInUse/"+strings.Join(args, "_"), func(t *testing.T) {
			stdout, stderr, code, elapsed := runBinary(t, dir, nil, append(args, "--archive", path)...)
			assertCleanError(t, stdout, stderr, code, 1, "archive "+path+": archive is in use by another process")
			if elapsed > 10*time.Second {
				t.Errorf("%v gave up after %s, want within 10s", args, elapsed)
			}
			if elapsed < time.Second {
				t.Errorf("%v gave up after %s, want it to wait for the lock about 2s", args, elapsed)
			}
		})
	}

	release()
	t.Run("OK/AfterRelease", func(t *testing.T) {
		stdout, stderr, code, _ := runBinary(t, dir, nil, "verify", "--archive", path)
		if code != 0 || !strings.HasSuffix(stdout, "ok\n") {
			t.Errorf("verify after the holder exited: got %d, %q, %q, want 0 and ok", code, stdout, stderr)
		}
	})
}
