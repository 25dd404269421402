package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sillok/sillok/events"
)

// TestServedHintHostileURL: the serve file beside an archive is read by
// every command that finds the archive locked, and its URL is shown to
// the user. A URL that is not a plain http(s) address (a terminal escape,
// a newline, another scheme) is not shown: the plain "in use" error is.
func TestServedHintHostileURL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	base := errors.Join(events.ErrInUse)
	for _, u := range []string{
		"http://127.0.0.1:8080/\x1b]0;owned\x07",
		"http://127.0.0.1:8080\nrun: rm -rf ~",
		"javascript:alert(1)",
		"file:///etc/passwd",
		"http://",
	} {
		data, _ := json.Marshal(serveInfo{URL: u, PID: os.Getpid()})
		if err := os.WriteFile(serveFile(path), data, 0o600); err != nil {
			t.Fatal(err)
		}
		err := servedHint(base, path)
		if err != base || strings.Contains(err.Error(), "\x1b") {
			t.Errorf("URL %q: got %q, want the plain in-use error", u, err)
		}
	}
	data, _ := json.Marshal(serveInfo{URL: "http://127.0.0.1:8080", PID: os.Getpid()})
	os.WriteFile(serveFile(path), data, 0o600)
	if err := servedHint(base, path); !strings.Contains(err.Error(), "--server http://127.0.0.1:8080") {
		t.Errorf("a plain URL: got %q", err)
	}
}
