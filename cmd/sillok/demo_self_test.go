package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The commands the demo suggests at its end name the program as it can be
// run again: "go run ./cmd/sillok" for a go run build at the module's root
// (with the one-line install), the installed name or path otherwise.

// demoTail runs the binary bin as `demo --dir` in dir with env and returns
// what it prints after "Try next:".
func demoTail(t *testing.T, bin, dir string, env ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	demoDir := filepath.Join(t.TempDir(), "demo")
	r, err := execBinary(ctx, bin, binOpts{dir: dir, env: env}, "demo", "--dir", demoDir)
	if err != nil || r.code != 0 || r.stderr != "" {
		t.Fatalf("%s demo: %v, %s", bin, err, r)
	}
	_, tail, ok := strings.Cut(r.stdout, "Try next:\n")
	if !ok {
		t.Fatalf("demo printed no \"Try next:\":\n%s", r.stdout)
	}
	return strings.ReplaceAll(tail, filepath.Join(demoDir, "demo.db"), "DB")
}

// goRunCopy copies the built binary to where go run would build it:
// $TMPDIR/go-build.../b001/exe/sillok.
func goRunCopy(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(buildSillok(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "go-build1234", "b001", "exe")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "sillok")
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}

func TestDemoTryNextGoRun(t *testing.T) {
	bin := goRunCopy(t)
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ModuleRoot", func(t *testing.T) {
		tail := demoTail(t, bin, root)
		if !strings.HasPrefix(tail, "  go run ./cmd/sillok --archive DB view ") || !strings.Contains(tail, "\n  go run ./cmd/sillok --archive DB verify\n") {
			t.Errorf("go run demo at the module root: got\n%s\nwant go run ./cmd/sillok commands", tail)
		}
		if !strings.HasSuffix(tail, "\n\n"+installHint+"\n") {
			t.Errorf("go run demo at the module root: got\n%s\nwant it to end with the install line %q", tail, installHint)
		}
	})
	t.Run("Elsewhere", func(t *testing.T) {
		tail := demoTail(t, bin, t.TempDir())
		if !strings.HasPrefix(tail, "  sillok --archive DB view ") || strings.Contains(tail, "go run") {
			t.Errorf("go run demo outside the module: got\n%s\nwant sillok commands (go run ./cmd/sillok does not work there)", tail)
		}
		if !strings.HasSuffix(tail, "\n\n"+installHint+"\n") {
			t.Errorf("go run demo outside the module: got\n%s\nwant the install line %q", tail, installHint)
		}
	})
}

func TestDemoTryNextInstalled(t *testing.T) {
	bin := buildSillok(t)
	t.Run("OnPath", func(t *testing.T) {
		tail := demoTail(t, bin, t.TempDir(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
		if !strings.HasPrefix(tail, "  sillok --archive DB view ") || strings.Contains(tail, "install") {
			t.Errorf("installed demo: got\n%s\nwant sillok commands and no install line", tail)
		}
	})
	t.Run("NotOnPath", func(t *testing.T) {
		tail := demoTail(t, bin, t.TempDir(), "PATH=/nonexistent")
		want := regexp.QuoteMeta("  "+shellQuote(bin)+" --archive DB ") + `verify\n$`
		if !strings.HasPrefix(tail, "  "+shellQuote(bin)+" --archive DB view ") || !regexp.MustCompile(want).MatchString(tail) {
			t.Errorf("demo of %s, not on the PATH: got\n%s\nwant commands that name it by its path", bin, tail)
		}
	})
}

func TestIsGoRunBuild(t *testing.T) {
	for path, want := range map[string]bool{
		"/tmp/go-build123/b001/exe/sillok":     true,
		"/var/tmp/x/go-build9/b001/exe/sillok": true,
		"/tmp/go-build123/b001/sillok.test":    false,
		"/usr/local/bin/sillok":                false,
		"/home/me/go/bin/sillok":               false,
		"/home/me/exe/sillok":                  false,
	} {
		if got := isGoRunBuild(path); got != want {
			t.Errorf("isGoRunBuild(%s) = %v, want %v", path, got, want)
		}
	}
}
