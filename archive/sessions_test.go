package archive_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sillok/sillok/archive"
	bolt "go.etcd.io/bbolt"
)

// testClock is a clock a test sets and advances; it stands still between.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// mustSessionArchive creates an archive on clk with the accounts ana and
// bob (readers), and returns it with its path.
func mustSessionArchive(t *testing.T, clk *testClock) (*archive.Archive, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sillok.db")
	a, err := archive.Create(path, archive.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	for _, name := range []string{"ana", "bob"} {
		if _, err := a.AddUser("setup", name, archive.RoleReader, "password-"+name); err != nil {
			t.Fatal(err)
		}
	}
	return a, path
}

func mustStartSession(t *testing.T, a *archive.Archive, user string, ttl time.Duration) archive.Session {
	t.Helper()
	s, err := a.StartSession(user, ttl)
	if err != nil {
		t.Fatalf("StartSession(%q): %v", user, err)
	}
	return s
}

func wantNoSession(t *testing.T, a *archive.Archive, id string, ttl time.Duration) {
	t.Helper()
	s, err := a.Session(id, ttl)
	if !errors.Is(err, archive.ErrNoSession) {
		t.Fatalf("Session: got %+v, %v, want ErrNoSession", s, err)
	}
	if got, want := archive.ErrorCode(err), archive.Forbidden; got != want {
		t.Errorf("Session: code %q, want %q", got, want)
	}
}

// storedSessions closes a and returns the keys and values of the records
// in the bucket users/sessions, read with bbolt from the file itself.
func storedSessions(t *testing.T, a *archive.Archive, path string) (keys, values [][]byte) {
	t.Helper()
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		users := tx.Bucket([]byte("users"))
		if users == nil {
			return errors.New("no bucket users")
		}
		b := users.Bucket([]byte("sessions"))
		if b == nil {
			return errors.New("no bucket users/sessions")
		}
		return b.ForEach(func(k, v []byte) error {
			keys = append(keys, bytes.Clone(k))
			values = append(values, bytes.Clone(v))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys, values
}

func TestSessionStartAndLookup(t *testing.T) {
	clk := newTestClock()
	a, path := mustSessionArchive(t, clk)
	const ttl = time.Hour
	s := mustStartSession(t, a, "ana", ttl)
	if len(s.ID) < 40 || s.CSRF == "" || s.CSRF == s.ID || s.User != "ana" {
		t.Fatalf("StartSession: got %+v, want a long id, a CSRF token other than it, user ana", s)
	}
	if want := clk.Now().Add(ttl); !s.Expires.Equal(want) {
		t.Errorf("Expires: got %v, want %v", s.Expires, want)
	}
	if other := mustStartSession(t, a, "ana", ttl); other.ID == s.ID || other.CSRF == s.CSRF {
		t.Errorf("a second session has the same id or CSRF token: %+v, %+v", s, other)
	}
	got, err := a.Session(s.ID, ttl)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != s.ID || got.User != "ana" || got.CSRF != s.CSRF {
		t.Errorf("Session: got %+v, want %+v", got, s)
	}
	if got := archive.SessionCSRF(s.ID); got != s.CSRF {
		t.Errorf("SessionCSRF: got %q, want %q", got, s.CSRF)
	}
	wantNoSession(t, a, s.ID+"x", ttl)
	wantNoSession(t, a, "", ttl)

	// Another handle on the same archive, later, knows the session and
	// derives the same CSRF token.
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	clk.Advance(10 * time.Minute)
	b, err := archive.Open(path, archive.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got, err = b.Session(s.ID, ttl)
	if err != nil {
		t.Fatalf("Session on a second handle: %v", err)
	}
	if got.User != "ana" || got.CSRF != s.CSRF {
		t.Errorf("Session on a second handle: got %+v, want user ana and CSRF %q", got, s.CSRF)
	}
}

func TestSessionRefused(t *testing.T) {
	clk := newTestClock()
	a, _ := mustSessionArchive(t, clk)
	for _, c := range []struct {
		name string
		user string
		ttl  time.Duration
		code archive.Code
	}{
		{"NotFound", "nobody", time.Hour, archive.NotFound},
		{"InvalidTTL", "ana", 0, archive.Invalid},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := a.StartSession(c.user, c.ttl)
			if got := archive.ErrorCode(err); got != c.code {
				t.Errorf("StartSession(%q, %v): got %+v, %v, want code %q", c.user, c.ttl, s, err, c.code)
			}
		})
	}
	t.Run("Disabled", func(t *testing.T) {
		if err := a.DisableUser("setup", "bob"); err != nil {
			t.Fatal(err)
		}
		s, err := a.StartSession("bob", time.Hour)
		if got, want := archive.ErrorCode(err), archive.Forbidden; got != want {
			t.Errorf("StartSession(bob): got %+v, %v, want code %q", s, err, want)
		}
	})
}

func TestSessionExpiry(t *testing.T) {
	clk := newTestClock()
	a, _ := mustSessionArchive(t, clk)
	const ttl = 64 * time.Minute // refreshed every 4 minutes of use
	s := mustStartSession(t, a, "ana", ttl)
	start := clk.Now()

	// Used within ttl/16: nothing is written, the stored expiry stays.
	clk.Advance(3 * time.Minute)
	got, err := a.Session(s.ID, ttl)
	if err != nil {
		t.Fatal(err)
	}
	if want := start.Add(ttl); !got.Expires.Equal(want) {
		t.Errorf("after 3 minutes: Expires %v, want %v (not rewritten yet)", got.Expires, want)
	}
	// Past ttl/16: the expiry slides to now+ttl.
	clk.Advance(2 * time.Minute)
	got, err = a.Session(s.ID, ttl)
	if err != nil {
		t.Fatal(err)
	}
	if want := clk.Now().Add(ttl); !got.Expires.Equal(want) {
		t.Errorf("after 5 minutes: Expires %v, want %v", got.Expires, want)
	}
	// Unused, it lives until then, and not a moment longer: a session
	// started at that moment is live a second before its expiry, and s
	// is not at its own.
	s2 := mustStartSession(t, a, "ana", ttl)
	clk.Advance(ttl - time.Second)
	if _, err := a.Session(s2.ID, ttl); err != nil {
		t.Fatalf("a second before it expires: %v", err)
	}
	clk.Advance(time.Second)
	wantNoSession(t, a, s.ID, ttl)
	clk.Advance(time.Hour)
	wantNoSession(t, a, s.ID, ttl)
	if _, err := a.Session(s2.ID, ttl); err != nil {
		t.Fatalf("the session used a second before its expiry, an hour later: %v (its use should have slid it)", err)
	}
}

func TestSessionPrune(t *testing.T) {
	clk := newTestClock()
	a, path := mustSessionArchive(t, clk)
	for range 10 {
		mustStartSession(t, a, "bob", time.Minute)
	}
	long := mustStartSession(t, a, "ana", time.Hour)
	clk.Advance(2 * time.Minute)
	fresh := mustStartSession(t, a, "ana", time.Hour)
	keys, _ := storedSessions(t, a, path)
	if got, want := len(keys), 2; got != want {
		t.Fatalf("after a sign-in past the expiry of 10 sessions: %d records, want %d (%s and %s)", got, want, long.User, fresh.User)
	}
}

func TestEndSession(t *testing.T) {
	clk := newTestClock()
	a, _ := mustSessionArchive(t, clk)
	const ttl = time.Hour
	s := mustStartSession(t, a, "ana", ttl)
	other := mustStartSession(t, a, "ana", ttl)
	if err := a.EndSession(s.ID); err != nil {
		t.Fatal(err)
	}
	wantNoSession(t, a, s.ID, ttl)
	if _, err := a.Session(other.ID, ttl); err != nil {
		t.Errorf("the other session of the account: %v, want it live", err)
	}
	for _, id := range []string{s.ID, "never-was", ""} {
		if err := a.EndSession(id); err != nil {
			t.Errorf("EndSession(%q) of no session: %v, want nil", id, err)
		}
	}
}

func TestDisableUserEndsSessions(t *testing.T) {
	clk := newTestClock()
	a, path := mustSessionArchive(t, clk)
	const ttl = time.Hour
	one, two := mustStartSession(t, a, "ana", ttl), mustStartSession(t, a, "ana", ttl)
	bob := mustStartSession(t, a, "bob", ttl)
	if err := a.DisableUser("setup", "ana"); err != nil {
		t.Fatal(err)
	}
	wantNoSession(t, a, one.ID, ttl)
	wantNoSession(t, a, two.ID, ttl)
	if _, err := a.Session(bob.ID, ttl); err != nil {
		t.Fatalf("bob's session: %v, want it live", err)
	}
	// Ended, not only refused: only bob's record is left.
	_, values := storedSessions(t, a, path)
	if len(values) != 1 || !strings.Contains(string(values[0]), `"bob"`) {
		t.Errorf("records left: got %q, want bob's alone", values)
	}
}

// TestSessionNotStoredInClear: neither a session's id nor its CSRF token
// is anywhere in the archive: not in the sessions' bucket, not in the file.
func TestSessionNotStoredInClear(t *testing.T) {
	clk := newTestClock()
	a, path := mustSessionArchive(t, clk)
	var started []archive.Session
	for _, user := range []string{"ana", "bob", "ana"} {
		started = append(started, mustStartSession(t, a, user, time.Hour))
	}
	clk.Advance(10 * time.Minute)
	if _, err := a.Session(started[0].ID, time.Hour); err != nil { // slides: a rewrite
		t.Fatal(err)
	}
	keys, values := storedSessions(t, a, path)
	if got, want := len(keys), len(started); got != want {
		t.Fatalf("records: got %d, want %d", got, want)
	}
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range started {
		for _, secret := range []string{s.ID, s.CSRF} {
			for i := range keys {
				if bytes.Contains(keys[i], []byte(secret)) || bytes.Contains(values[i], []byte(secret)) {
					t.Errorf("record %s = %s holds a secret of the session in clear", keys[i], values[i])
				}
			}
			if bytes.Contains(file, []byte(secret)) {
				t.Errorf("the archive file holds a secret of a session (%.6s…) in clear", secret)
			}
		}
	}
}
