package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

// The tests run the program in one of two ways:
//
//   - runInProcess (and mustRunInProcess, which fails the test unless the
//     command succeeds quietly) runs it in this test process, through
//     run and a new app with a stepping clock: fast, and what most CLI
//     tests use;
//   - runBinary (binary_test.go) runs the built binary as a separate
//     process, for what only a real process shows (exit statuses, signals,
//     the working directory, the environment); execBinary, which it wraps,
//     can also kill the process at a point (crash_test.go).

// runInProcess runs the program in this process with args (flags may go
// anywhere), on archive (given as --archive first; "" adds no --archive),
// and returns what it printed and its exit status.
func runInProcess(t testing.TB, archive string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	a := newApp(&out, &errb)
	a.now = eventstest.StepClock(eventstest.Epoch)
	a.lockTimeout = 200 * time.Millisecond
	argv := []string{"sillok"}
	if archive != "" {
		argv = append(argv, "--archive", archive)
	}
	code = run(context.Background(), a, append(argv, args...))
	return out.String(), errb.String(), code
}

// mustRunInProcess runs a command in this process (runInProcess) that
// must succeed quietly, and returns its stdout.
func mustRunInProcess(t testing.TB, archive string, args ...string) string {
	t.Helper()
	stdout, stderr, code := runInProcess(t, archive, args...)
	if code != 0 || stderr != "" {
		t.Fatalf("sillok %s: got exit status %d, stderr %q, want 0 and nothing", strings.Join(args, " "), code, stderr)
	}
	return stdout
}

// assertCleanError checks that a failure was reported as it should be:
// nothing on stdout, one "sillok: ..." message on stderr (plus, for a usage
// error, one usage line), no stack trace.
func assertCleanError(t *testing.T, stdout, stderr string, code, wantCode int, wantMsg ...string) {
	t.Helper()
	if code != wantCode {
		t.Errorf("got exit status %d, want %d; stderr: %q", code, wantCode, stderr)
	}
	if stdout != "" {
		t.Errorf("got stdout %q, want nothing", stdout)
	}
	if !strings.HasPrefix(stderr, "sillok: ") || !strings.HasSuffix(stderr, "\n") {
		t.Errorf("got stderr %q, want one \"sillok: ...\" message ending in a newline", stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	maxLines := 1
	if wantCode == 2 {
		maxLines = 2
	}
	if len(lines) > maxLines {
		t.Errorf("got %d lines on stderr, want at most %d: %q", len(lines), maxLines, stderr)
	}
	for _, bad := range []string{"goroutine", "panic", "internal error", ".go:"} {
		if strings.Contains(stderr, bad) {
			t.Errorf("stderr %q contains %q, want a plain message", stderr, bad)
		}
	}
	for _, w := range wantMsg {
		if !strings.Contains(stderr, w) {
			t.Errorf("got stderr %q, want it to say %q", stderr, w)
		}
	}
}

// newArchive returns the path of a new archive holding the events that
// seed appends (seed may be nil).
func newArchive(t *testing.T, seed func(tx *events.Tx) error) string {
	t.Helper()
	log := eventstest.MustOpenLog(t)
	if seed != nil {
		if err := log.Update(seed); err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
	if err := log.Close(); err != nil {
		t.Fatal(err)
	}
	return log.Path()
}

// seedThree appends a source (with its bytes), a predicate and a claim
// anchored in the source.
func seedThree(tx *events.Tx) error {
	body := "The network was launched in April 2023."
	d, err := tx.PutBlob([]byte(body))
	if err != nil {
		return err
	}
	text, err := sources.Text([]byte(body))
	if err != nil {
		return err
	}
	claim := eventstest.Claim("c1", "alpha", "Network", "launched", "April 2023", "launched in April 2023")
	if claim.Quote, err = provenance.Anchor(d, text, "launched in April 2023", provenance.Context{}); err != nil {
		return err
	}
	for _, p := range []events.Payload{
		eventstest.Source("alpha", body),
		eventstest.Predicate("launched", events.KindText),
		claim,
	} {
		if _, err := tx.Append("archivist", p); err != nil {
			return err
		}
	}
	return nil
}

func readFileOrNil(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	return b
}

func TestInit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")

	stdout, stderr, code := runInProcess(t, path, "init")
	if code != 0 || stderr != "" {
		t.Fatalf("first init: got status %d, stderr %q, want 0 and nothing", code, stderr)
	}
	if want := "created archive " + path + " (format 1)\n"; stdout != want {
		t.Errorf("first init: got %q, want %q", stdout, want)
	}
	log, err := events.Open(path, events.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("the new archive does not open: %v", err)
	}
	if head, _, err := log.Head(); head != 0 || err != nil {
		t.Errorf("new archive: got head %d, %v, want 0, nil", head, err)
	}
	log.Close()
	eventstest.MustCheck(t, path)
	before := readFileOrNil(t, path)

	stdout, stderr, code = runInProcess(t, path, "init")
	if code != 0 || stderr != "" {
		t.Errorf("second init: got status %d, stderr %q, want 0 and nothing", code, stderr)
	}
	if want := "archive " + path + " already exists (revision 0); nothing changed\n"; stdout != want {
		t.Errorf("second init: got %q, want %q", stdout, want)
	}
	if after := readFileOrNil(t, path); !bytes.Equal(after, before) {
		t.Errorf("second init changed the archive file")
	}

	t.Run("JSON", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "new.db")
		for _, want := range []bool{true, false} {
			stdout, stderr, code := runInProcess(t, path, "init", "--json")
			if code != 0 {
				t.Fatalf("init --json: got status %d, stderr %q", code, stderr)
			}
			var got struct {
				Archive  string
				Created  bool
				Revision events.Revision
				Format   int
			}
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("init --json printed %q: %v", stdout, err)
			}
			if got.Archive != path || got.Created != want || got.Revision != 0 || got.Format != events.FormatVersion {
				t.Errorf("init --json: got %+v, want archive %s, created %v, revision 0, format %d", got, path, want, events.FormatVersion)
			}
		}
	})

	t.Run("ExistingWithEvents", func(t *testing.T) {
		path := newArchive(t, seedThree)
		stdout, _, code := runInProcess(t, path, "init")
		if want := "archive " + path + " already exists (revision 3); nothing changed\n"; code != 0 || stdout != want {
			t.Errorf("init on an archive at revision 3: got %d, %q, want 0, %q", code, stdout, want)
		}
	})

	t.Run("ErrUsage/ExtraArgument", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "new.db")
		stdout, stderr, code := runInProcess(t, path, "init", "extra")
		assertCleanError(t, stdout, stderr, code, 2, "usage: sillok init")
		if _, err := os.Stat(path); err == nil {
			t.Errorf("init with a usage error created %s", path)
		}
	})

	t.Run("ErrNoDirectory", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "no", "such", "dir.db")
		stdout, stderr, code := runInProcess(t, path, "init")
		assertCleanError(t, stdout, stderr, code, 1, "sillok: cannot create the archive "+path+": no such file or directory (the directory "+filepath.Dir(path)+" does not exist)\n")
	})
}

// TestInitFullDisk: init on a full disk says it cannot create the archive
// because the disk is full (not that the file is "not a Sillok archive"),
// and leaves no half-written file. It mounts a tiny tmpfs, so it runs as
// root; the message itself is also checked without a disk.
func TestInitFullDisk(t *testing.T) {
	t.Run("Message", func(t *testing.T) {
		path := "/data/news.db"
		for _, err := range []error{
			&events.PathError{Path: path, Err: syscall.ENOSPC},
			syscall.ENOSPC,
		} {
			if got, want := createError(path, err).Error(), "cannot create the archive /data/news.db: no space left on device"; got != want {
				t.Errorf("createError(%v): got %q, want %q", err, got, want)
			}
		}
	})
	// 8 KiB: bbolt's first write of the file fails; 24 KiB: the file is
	// made, and the transaction that writes the archive's buckets fails.
	for _, size := range []string{"8k", "24k"} {
		t.Run("tmpfs-"+size, func(t *testing.T) {
			if os.Geteuid() != 0 {
				t.Skip("mounting a tmpfs to fill needs root; the message is checked by Message")
			}
			dir := t.TempDir()
			if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
				t.Skipf("cannot mount a tmpfs to fill (%v: %s); the message is checked by Message", err, out)
			}
			t.Cleanup(func() {
				if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
					t.Errorf("umount %s: %v: %s", dir, err, out)
				}
			})
			path := filepath.Join(dir, "news.db")
			stdout, stderr, code := runInProcess(t, path, "init")
			assertCleanError(t, stdout, stderr, code, 1, "sillok: cannot create the archive "+path+": no space left on device\n")
			if strings.Contains(stderr, "not a Sillok archive") {
				t.Errorf("stderr %q calls the file it could not write not an archive", stderr)
			}
			if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
				t.Errorf("after the failed init the directory holds %v (%v), want nothing", entries, err)
			}
		})
	}
}

func TestLog(t *testing.T) {
	t.Run("Empty", func(t *testing.T) {
		path := newArchive(t, nil)
		stdout, stderr, code := runInProcess(t, path, "log")
		if code != 0 || stdout != "" || stderr != "" {
			t.Errorf("log on an empty archive: got %d, %q, %q, want 0 and no output", code, stdout, stderr)
		}
		stdout, stderr, code = runInProcess(t, path, "log", "--json")
		if code != 0 || stderr != "" {
			t.Fatalf("log --json: got %d, %q", code, stderr)
		}
		var got map[string]json.RawMessage
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatalf("log --json printed %q: %v", stdout, err)
		}
		if string(got["events"]) != "[]" {
			t.Errorf("log --json on an empty archive: got events %s, want []", got["events"])
		}
	})

	path := newArchive(t, seedThree)
	tests := []struct {
		name string
		args []string
		want []events.Revision
	}{
		{"All", []string{"log"}, []events.Revision{1, 2, 3}},
		{"From", []string{"log", "--from", "2"}, []events.Revision{2, 3}},
		{"FromTo", []string{"log", "--from=1", "--to=2"}, []events.Revision{1, 2}},
		{"ToOnly", []string{"log", "--to", "1"}, []events.Revision{1}},
		{"Head", []string{"log", "--from", "3", "--to", "3"}, []events.Revision{3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runInProcess(t, path, tt.args...)
			if code != 0 || stderr != "" {
				t.Fatalf("%v: got status %d, stderr %q", tt.args, code, stderr)
			}
			lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
			if got, want := len(lines), len(tt.want); got != want {
				t.Fatalf("%v: got %d lines, want %d:\n%s", tt.args, got, want, stdout)
			}
			for i, line := range lines {
				if got := strings.Fields(line)[0]; got != strconv.FormatUint(uint64(tt.want[i]), 10) {
					t.Errorf("%v: line %d: got revision %s, want %d: %q", tt.args, i, got, tt.want[i], line)
				}
			}

			// The same with --json, given after the other flags.
			stdout, stderr, code = runInProcess(t, path, append(tt.args, "--json")...)
			if code != 0 {
				t.Fatalf("%v --json: got status %d, stderr %q", tt.args, code, stderr)
			}
			var doc struct {
				Events []struct {
					Revision   events.Revision
					Type       events.Type
					RecordedAt time.Time `json:"recorded_at"`
					Author     string
					Payload    json.RawMessage
					Prev, Hash string
				}
			}
			if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
				t.Fatalf("%v --json printed %q: %v", tt.args, stdout, err)
			}
			var got []events.Revision
			for _, e := range doc.Events {
				got = append(got, e.Revision)
				if e.Author != "archivist" || !e.RecordedAt.Equal(eventstest.Epoch) || !strings.HasPrefix(e.Hash, "sha256:") || !strings.HasPrefix(e.Prev, "sha256:") || len(e.Payload) == 0 {
					t.Errorf("%v --json: event %d: got %+v, want author, time, hashes and payload", tt.args, e.Revision, e)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%v --json: got revisions %v, want %v", tt.args, got, tt.want)
			}
		})
	}

	t.Run("Summaries", func(t *testing.T) {
		stdout, _, _ := runInProcess(t, path, "log")
		for _, want := range []string{
			"2024-06-07T09:00:00Z", "archivist",
			"source.archived", "source alpha (text/plain; charset=utf-8, 39 bytes)",
			"predicate.defined", `predicate "launched" (text)`,
			"claim.asserted", "claim c1: Network / launched = April 2023 [alpha]",
		} {
			if !strings.Contains(stdout, want) {
				t.Errorf("log: got\n%s\nwant it to contain %q", stdout, want)
			}
		}
	})

	errTests := []struct {
		name    string
		archive string
		args    []string
		wantMsg string
	}{
		{"ErrRange/FromBeyondEmptyHead", newArchive(t, nil), []string{"log", "--from", "5"}, "--from 5 is beyond the head revision 0"},
		{"ErrRange/FromBeyondHead", path, []string{"log", "--from", "4"}, "--from 4 is beyond the head revision 3"},
		{"ErrRange/ToBeyondHead", path, []string{"log", "--to", "9"}, "--to 9 is beyond the head revision 3"},
		{"ErrRange/FromAfterTo", path, []string{"log", "--from", "3", "--to", "2"}, "--from 3 is after --to 2"},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runInProcess(t, tt.archive, tt.args...)
			assertCleanError(t, stdout, stderr, code, 1, tt.wantMsg)
		})
	}
}

func TestVerify(t *testing.T) {
	t.Run("OK/Empty", func(t *testing.T) {
		path := newArchive(t, nil)
		stdout, stderr, code := runInProcess(t, path, "verify")
		if want := "0 events (head 0), 0 sources, 0 claims: ok\n"; code != 0 || stdout != want || stderr != "" {
			t.Errorf("verify: got %d, %q, %q, want 0, %q, nothing", code, stdout, stderr, want)
		}
		for _, args := range [][]string{{"verify", "--json"}, {"--json", "verify"}} {
			stdout, stderr, code := runInProcess(t, path, args...)
			if code != 0 || stderr != "" {
				t.Errorf("%v: got status %d, stderr %q", args, code, stderr)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("%v printed %q: %v", args, stdout, err)
			}
			want := map[string]any{"ok": true, "events": 0.0, "sources": 0.0, "claims": 0.0, "head": 0.0, "problems": []any{}}
			for k, w := range want {
				if g, ok := got[k]; !ok || !jsonEqual(g, w) {
					t.Errorf("%v: got %s = %v, want %v", args, k, g, w)
				}
			}
		}
	})

	t.Run("OK/Events", func(t *testing.T) {
		path := newArchive(t, seedThree)
		stdout, stderr, code := runInProcess(t, path, "verify")
		_, hash := relHeadHash(t, path)
		if want := "3 events (head 3:" + hash.String() + "), 1 sources, 1 claims: ok\n"; code != 0 || stdout != want || stderr != "" {
			t.Errorf("verify: got %d, %q, %q, want 0, %q, nothing", code, stdout, stderr, want)
		}
	})

	tests := []struct {
		name        string
		tamper      func(tx *bolt.Tx) error
		wantProblem events.Problem
	}{
		{"ErrChain/EditedPayload", func(tx *bolt.Tx) error {
			b := tx.Bucket([]byte("log"))
			k := binary.BigEndian.AppendUint64(nil, 2)
			rec := slices.Clone(b.Get(k))
			i := bytes.Index(rec, []byte("launched"))
			rec[i] = 'L'
			return b.Put(k, rec)
		}, events.Problem{Revision: 2}},
		{"ErrFixity/AlteredBytes", func(tx *bolt.Tx) error {
			b := tx.Bucket([]byte("blobs"))
			d := events.DigestOf([]byte("The network was launched in April 2023."))
			return b.Put(d[:], []byte("The network was launched in April 2024."))
		}, events.Problem{Revision: 1, Source: "alpha"}},
		{"ErrFixity/MissingBytes", func(tx *bolt.Tx) error {
			d := events.DigestOf([]byte("The network was launched in April 2023."))
			return tx.Bucket([]byte("blobs")).Delete(d[:])
		}, events.Problem{Revision: 1, Source: "alpha"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := newArchive(t, seedThree)
			db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Update(tt.tamper); err != nil {
				t.Fatalf("tamper: %v", err)
			}
			db.Close()

			stdout, stderr, code := runInProcess(t, path, "verify")
			if code != 1 {
				t.Errorf("verify of a tampered archive: got status %d, want 1", code)
			}
			if want := "sillok: verify found 1 problem(s) in " + path + "\n"; stderr != want {
				t.Errorf("got stderr %q, want %q", stderr, want)
			}
			if want := "PROBLEM " + tt.wantProblem.String(); !strings.Contains(stdout, want) {
				t.Errorf("got stdout %q, want it to report %q", stdout, want)
			}
			if !strings.HasSuffix(stdout, "1 problem(s)\n") {
				t.Errorf("got stdout %q, want it to end with the count of problems", stdout)
			}

			stdout, _, code = runInProcess(t, path, "--json", "verify")
			if code != 1 {
				t.Errorf("verify --json of a tampered archive: got status %d, want 1", code)
			}
			var rep verifyReport
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatalf("verify --json printed %q: %v", stdout, err)
			}
			if rep.OK || len(rep.Problems) != 1 {
				t.Fatalf("verify --json: got ok %v with problems %v, want not ok with one problem", rep.OK, rep.Problems)
			}
			if got := rep.Problems[0]; got.Revision != tt.wantProblem.Revision || got.Source != tt.wantProblem.Source || got.Message == "" {
				t.Errorf("verify --json: got problem %+v, want revision %d, source %q and a message", got, tt.wantProblem.Revision, tt.wantProblem.Source)
			}
		})
	}
}

func jsonEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

// badArchives are paths that are not usable archives, each with what the
// error must say about it.
func badArchives(t *testing.T) []struct {
	name, path, wantMsg string
} {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	other := filepath.Join(dir, "other.db")
	db, err := bolt.Open(other, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("widgets")); return err }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	tooNew := newArchive(t, nil)
	db, err = bolt.Open(tooNew, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("format"), binary.AppendUvarint(nil, 99))
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	sub := filepath.Join(dir, "subdir")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	return []struct{ name, path, wantMsg string }{
		{"ErrNotArchive/TextFile", write("notes.txt", []byte("claims:\n  - id: x\n")), "not a Sillok archive"},
		{"ErrNotArchive/EmptyFile", write("empty.db", nil), "the file is empty"},
		{"ErrNotArchive/Directory", sub, "it is a directory"},
		{"ErrNotArchive/OtherBoltFile", other, "not a Sillok archive"},
		{"ErrTooNew", tooNew, "use a newer sillok"},
	}
}

func TestBadArchive(t *testing.T) {
	for _, args := range [][]string{{"log"}, {"verify"}, {"init"}, {"log", "--json"}} {
		for _, tt := range badArchives(t) {
			t.Run(strings.Join(args, "_")+"/"+tt.name, func(t *testing.T) {
				before := readFileOrNil(t, tt.path)
				stdout, stderr, code := runInProcess(t, tt.path, args...)
				assertCleanError(t, stdout, stderr, code, 1, "sillok: archive "+tt.path+": ", tt.wantMsg)
				if after := readFileOrNil(t, tt.path); !bytes.Equal(after, before) {
					t.Errorf("%v changed %s: %d bytes before, %d after", args, tt.path, len(before), len(after))
				}
			})
		}
	}
	for _, cmd := range []string{"log", "verify"} {
		t.Run(cmd+"/ErrNoArchive", func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "missing.db")
			stdout, stderr, code := runInProcess(t, path, cmd)
			assertCleanError(t, stdout, stderr, code, 1, "archive "+path+": archive does not exist", "sillok init --archive "+path)
			if _, err := os.Stat(path); err == nil {
				t.Errorf("%s created %s, want it left missing", cmd, path)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	path := newArchive(t, nil)
	tests := []struct {
		name    string
		args    []string
		wantMsg []string
	}{
		{"UnknownFlagAfterCommand", []string{"log", "--bogus"}, []string{"sillok: unknown flag --bogus\n", "usage: sillok log"}},
		{"UnknownFlagBeforeCommand", []string{"--bogus", "verify"}, []string{"sillok: unknown flag --bogus\n", "usage: sillok verify"}},
		{"UnknownOneLetterFlag", []string{"log", "-x"}, []string{"sillok: unknown flag -x\n", "usage: sillok log"}},
		{"BadFlagValue", []string{"log", "--from", "x"}, []string{`sillok: --from takes a whole number (0 or more), not "x"`, "usage: sillok log"}},
		{"NegativeFlagValue", []string{"log", "--from", "-1"}, []string{`sillok: --from takes a whole number (0 or more), not "-1"`, "usage: sillok log"}},
		{"NegativeAt", []string{"view", "--at", "-1"}, []string{`sillok: --at takes a whole number (0 or more), not "-1"`, "usage: sillok view"}},
		{"AtOneDash", []string{"view", "-at", "x"}, []string{`sillok: --at takes a whole number (0 or more), not "x"`, "usage: sillok view"}},
		{"HugeFlagValue", []string{"log", "--to", "99999999999999999999999"}, []string{`sillok: --to takes a whole number (0 or more); "99999999999999999999999" is too large`}},
		{"IntFlagValue", []string{"gen", "--claims", "many", "dir"}, []string{`sillok: --claims takes a whole number, not "many"`, "usage: sillok gen"}},
		{"BoolFlagValue", []string{"--json=maybe", "log"}, []string{`sillok: --json takes true or false, not "maybe"`, "usage: sillok [--archive PATH]"}},
		{"MissingFlagValue", []string{"log", "--from"}, []string{"sillok: --from needs a value\n", "usage: sillok log"}},
		{"MissingGlobalFlagValue", []string{"log", "--archive"}, []string{"sillok: --archive needs a value\n"}},
		{"ExtraArgument", []string{"verify", "extra"}, []string{`sillok: verify takes no arguments, got 1: ["extra"]`, "usage: sillok verify"}},
		{"ExtraArgumentBeforeFlag", []string{"log", "extra", "--from", "1"}, []string{"extra", "usage: sillok log"}},
		{"HelpUnknownTopic", []string{"help", "nosuch"}, []string{`sillok: unknown command "nosuch"`, "usage: sillok help [COMMAND]"}},
		{"SubcommandName", []string{"conflicts", "show"}, []string{"sillok: conflicts show needs 1 argument, got 0"}},
		{"MissingFlagValueAfterArgument", []string{"predicate", "add", "colour", "--kind"}, []string{"sillok: --kind needs a value\n", "usage: sillok predicate add"}},
		{"NegativeRevision", []string{"diff", "-1"}, []string{`revision "-1"`, "usage: sillok diff"}},
		{"SubcommandRequiredFlag", []string{"claim", "retract", "c1"}, []string{"sillok: claim retract needs --reason"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runInProcess(t, path, tt.args...)
			assertCleanError(t, stdout, stderr, code, 2, tt.wantMsg...)
			// urfave/cli and the flag package name flags with one dash
			// ("-from"); the user types two.
			if m := oneDashFlag.FindString(stderr); m != "" {
				t.Errorf("stderr %q names a flag as %q, with one dash", stderr, m)
			}
		})
	}
	t.Run("UnknownCommand", func(t *testing.T) {
		stdout, stderr, code := runInProcess(t, path, "nosuch")
		if code == 0 {
			t.Errorf("got exit status 0, want non-zero")
		}
		if stdout != "" || !strings.Contains(stderr, "nosuch") {
			t.Errorf("got stdout %q, stderr %q, want nothing and a message naming the command", stdout, stderr)
		}
	})
}

// oneDashFlag matches a long flag name written with one dash, as the flag
// package writes it ("for flag -at").
var oneDashFlag = regexp.MustCompile(`(^|[\s:])-[a-z][a-z-]+`)

// TestHelpOfSubcommand: --help anywhere on the line shows the help of the
// command it follows, with its flags, not the help of sillok or of the
// group above it.
func TestHelpOfSubcommand(t *testing.T) {
	path := newArchive(t, nil)
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"claim", "add", "--help"}, []string{"sillok claim add - record one claim", "--quote value"}},
		{[]string{"conflicts", "show", "-h"}, []string{"sillok conflicts show - ", "--at value"}},
		{[]string{"conflicts", "--help"}, []string{"sillok conflicts - ", "COMMANDS:", "show", "--status value"}},
		{[]string{"source", "add", "file.txt", "--help"}, []string{"sillok source add - ", "--published value"}},
		{[]string{"claim", "add", "--note", "-h", "--help"}, []string{"sillok claim add - "}},
		{[]string{"--help"}, []string{"COMMANDS:", "GLOBAL OPTIONS:"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			stdout, stderr, code := runInProcess(t, path, tt.args...)
			if code != 0 || stderr != "" {
				t.Fatalf("got exit status %d, stderr %q, want the help", code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("help %q does not say %q", stdout, w)
				}
			}
		})
	}
}

func TestNormalizeArgs(t *testing.T) {
	cliApp := newApp(io.Discard, io.Discard).cli()
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"Empty", "sillok", "sillok"},
		{"FlagsAfterCommand", "sillok log --from 1 --to 2", "sillok log --from 1 --to 2"},
		{"GlobalBeforeCommand", "sillok --json log", "sillok --json log"},
		{"GlobalAfterCommand", "sillok log --json", "sillok --json log"},
		{"GlobalWithValueBeforeCommand", "sillok --archive x init", "sillok --archive x init"},
		{"GlobalWithValueAfterCommand", "sillok init --archive x", "sillok --archive x init"},
		{"GlobalsMixed", "sillok log --to 2 --archive=x --json --from 1", "sillok --archive=x --json log --to 2 --from 1"},
		{"EqualsForm", "sillok log --from=3", "sillok log --from=3"},
		{"SingleDash", "sillok log -from 3", "sillok log -from 3"},
		{"NegativeValue", "sillok log --from -1", "sillok log --from -1"},
		{"ValueNamesACommand", "sillok --archive log log", "sillok --archive log log"},
		{"PositionalBeforeFlags", "sillok log extra --from 3", "sillok log --from 3 -- extra"},
		{"DoubleDash", "sillok log -- --from 3", "sillok log -- --from 3"},
		{"DoubleDashAfterFlags", "sillok log --to 2 -- x --json", "sillok log --to 2 -- x --json"},
		{"DashIsPositional", "sillok log -", "sillok log -- -"},
		{"CommandNameAsPositional", "sillok log init", "sillok log -- init"},
		{"MissingValueAtEnd", "sillok log --from", "sillok log --from"},
		{"UnknownCommand", "sillok nosuch --json", "sillok --json -- nosuch"},
		{"HelpAfterSubcommand", "sillok claim add --help", "sillok claim add --help"},
		{"HelpAfterArgument", "sillok source add f.txt --id x -h", "sillok source add --help"},
		{"HelpAsFlagValue", "sillok claim add --note -h", "sillok claim add --note -h"},
		{"HelpAlone", "sillok --help", "sillok --help"},
		{"NegativeNumberIsAnArgument", "sillok diff -1", "sillok diff -- -1"},
		{"NegativeValueOfTo", "sillok log --to -1", "sillok log --to -1"},
		{"MissingValueAfterArgument", "sillok predicate add x --kind", "sillok predicate add --kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(normalizeArgs(cliApp, strings.Fields(tt.in)), " ")
			if got != tt.want {
				t.Errorf("normalizeArgs(%q): got %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	t.Run("EmptyArgs", func(t *testing.T) {
		if got := normalizeArgs(cliApp, nil); len(got) != 0 {
			t.Errorf("normalizeArgs(nil): got %q, want nothing", got)
		}
	})
}

// TestGlobalFlagValueMissing: "--archive" given last, without its value,
// must be a usage error, not swallow the command name as its value.
func TestGlobalFlagValueMissing(t *testing.T) {
	t.Chdir(t.TempDir())
	stdout, stderr, code := runInProcess(t, "", "log", "--archive")
	if code != 2 {
		t.Errorf("sillok log --archive: got exit status %d, stdout %q, stderr %q, want 2 and a usage error", code, stdout, stderr)
	}
}

// TestEmptyVocabularyHint: a claim whose predicate is undefined in an
// archive with no predicates at all says how to define one; the command
// line's hint comes from the program, not from the provenance library.
func TestEmptyVocabularyHint(t *testing.T) {
	dir := t.TempDir()
	archive := filepath.Join(dir, "v.db")
	src := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(src, []byte("The network was launched in April 2023.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	claims := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(claims, []byte("source: alpha\nclaims:\n  - {subject: Net, predicate: launched, value: April 2023, quote: launched in April 2023}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"init"}, {"source", "add", src, "--id", "alpha", "--published", "2024-01-01"}} {
		if _, stderr, code := runInProcess(t, archive, args...); code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
	}
	stdout, stderr, code := runInProcess(t, archive, "claim", "import", claims)
	assertCleanError(t, stdout, stderr, code, 1, "c.yaml:3:", `undefined predicate "launched": the vocabulary is empty`,
		"(a predicates: list in the claims file, or sillok predicate add NAME --kind date|quantity|entity|text)")
	stdout, stderr, code = runInProcess(t, archive, "claim", "add", "--source", "alpha", "--subject", "Net", "--predicate", "launched",
		"--value", "April 2023", "--quote", "launched in April 2023")
	assertCleanError(t, stdout, stderr, code, 1, `undefined predicate "launched": the vocabulary is empty`,
		"(sillok predicate add NAME --kind date|quantity|entity|text)\n")
}
