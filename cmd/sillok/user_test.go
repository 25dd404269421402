package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sillok/sillok/events/eventstest"
)

// runWithStdin is runInProcess with stdin.
func runWithStdin(t testing.TB, archive string, stdin io.Reader, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	a := newApp(&out, &errb)
	a.now = eventstest.StepClock(eventstest.Epoch)
	a.lockTimeout = 200 * time.Millisecond
	a.stdin = stdin
	code = run(context.Background(), a, append([]string{"sillok", "--archive", archive}, args...))
	return out.String(), errb.String(), code
}

// runInProcessFor is runInProcess with stdin (if not "") and, for a
// command that runs until it is stopped, a time after which its context
// ends (if not 0).
func runInProcessFor(t testing.TB, archive, stdin string, d time.Duration, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	if stdin == "" && d == 0 {
		return runInProcess(t, archive, args...)
	}
	var out, errb bytes.Buffer
	a := newApp(&out, &errb)
	a.now = eventstest.StepClock(eventstest.Epoch)
	a.lockTimeout = 200 * time.Millisecond
	a.stdin = strings.NewReader(stdin)
	ctx := context.Background()
	if d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	code = run(ctx, a, append([]string{"sillok", "--archive", archive}, args...))
	return out.String(), errb.String(), code
}

func TestUserCommands(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sillok.db")
	mustRunInProcess(t, path, "init")
	out, errs, code := runWithStdin(t, path, strings.NewReader("a-long-password\n"), "--author", "boss", "user", "add", "maria", "--role", "admin", "--password-stdin")
	if code != 0 || errs != "" || !strings.Contains(out, "added maria (admin)") {
		t.Fatalf("user add: %d %q %q", code, out, errs)
	}
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		code  int
		msg   string
	}{
		{"NoRole", "a-long-password\n", []string{"user", "add", "ken", "--password-stdin"}, 2, "user add needs --role"},
		{"BadRole", "a-long-password\n", []string{"user", "add", "ken", "--role", "boss", "--password-stdin"}, 2, "--role must be reader, archivist, fact-checker or admin"},
		{"Short", "short\n", []string{"user", "add", "ken", "--role", "reader", "--password-stdin"}, 1, "at least 8 characters"},
		{"NoTerminal", "", []string{"user", "add", "ken", "--role", "reader"}, 2, "--password-stdin"},
		{"Taken", "a-long-password\n", []string{"user", "add", "maria", "--role", "reader", "--password-stdin"}, 1, `already an account "maria"`},
		{"UnknownToken", "", []string{"user", "token", "nobody"}, 1, `no account "nobody"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runWithStdin(t, path, strings.NewReader(tc.stdin), tc.args...)
			assertCleanError(t, stdout, stderr, code, tc.code, tc.msg)
		})
	}
	token := strings.TrimSpace(mustRunInProcessErr(t, path, "user", "token", "maria"))
	if !strings.HasPrefix(token, "sillok_") || len(token) < 40 {
		t.Fatalf("user token: got %q", token)
	}
	runWithStdin(t, path, strings.NewReader("another-password\n"), "user", "add", "ken", "--role", "archivist", "--password-stdin")
	mustRunInProcess(t, path, "--author", "boss", "user", "disable", "ken")
	list := mustRunInProcess(t, path, "user", "list", "--audit")
	for _, want := range []string{"maria", "admin", "active", "1 tokens", "ken", "disabled", "boss: add maria (role admin)", "boss: disable ken", "token maria"} {
		if !strings.Contains(list, want) {
			t.Errorf("user list --audit: no %q in\n%s", want, list)
		}
	}
	raw, _ := os.ReadFile(path)
	for _, secret := range []string{"a-long-password", "another-password", token} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("the archive file holds %q", secret)
		}
	}
	if log := mustRunInProcess(t, path, "log"); log != "" {
		t.Errorf("accounts entered the log:\n%s", log)
	}

	// Through a server, as the admin and as someone else.
	served := filepath.Join(t.TempDir(), "served.db")
	mustRunInProcess(t, served, "init")
	url, adminToken, ar := serveArchive(t, served)
	stdout, stderr, code := runViaServer(t, url, adminToken, strings.NewReader("newbie-password\n"), "user", "add", "newbie", "--role", "reader", "--password-stdin")
	if code != 0 || !strings.Contains(stdout, "added newbie (reader)") {
		t.Fatalf("user add through the server: %d %q %q", code, stdout, stderr)
	}
	stdout, _, _ = runViaServer(t, url, adminToken, nil, "user", "list", "--audit")
	if !strings.Contains(stdout, "fc: add newbie (role reader)") {
		t.Errorf("user list --audit through the server: want the admin as the author of the change:\n%s", stdout)
	}
	readerToken, err := ar.NewToken("setup", "newbie")
	if err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code = runViaServer(t, url, readerToken, nil, "user", "list")
	assertCleanError(t, stdout, stderr, code, 1, "newbie is a reader: this needs the role admin")
	stdout, stderr, code = runViaServer(t, url, "sillok_wrong", nil, "user", "list")
	assertCleanError(t, stdout, stderr, code, 1, "did not accept the API token")
	stdout, stderr, code = runViaServer(t, url, readerToken, nil, "verify")
	assertCleanError(t, stdout, stderr, code, 1, "works on an archive file, not through --server")
}

// mustRunInProcessErr runs a command that must succeed, and returns its
// stdout (stderr may say something).
func mustRunInProcessErr(t testing.TB, archive string, args ...string) string {
	t.Helper()
	stdout, stderr, code := runInProcess(t, archive, args...)
	if code != 0 {
		t.Fatalf("sillok %s: got exit status %d, stderr %q", strings.Join(args, " "), code, stderr)
	}
	return stdout
}
