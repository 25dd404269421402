package main

import (
	"bufio"
	"bytes"
	"context"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// servedProcess is a `sillok serve` run by the built binary.
type servedProcess struct {
	cmd    *exec.Cmd
	url    string
	mu     sync.Mutex
	stderr bytes.Buffer
	done   chan error
}

func (p *servedProcess) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w lockedWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(b)
}

var servingLine = regexp.MustCompile(`^serving .* at (http://\S+) `)

// startServe runs `sillok serve --addr 127.0.0.1:0` on archive and waits
// until it says where it serves.
func startServe(t *testing.T, ctx context.Context, bin, archive string, extra ...string) *servedProcess {
	t.Helper()
	p := &servedProcess{done: make(chan error, 1)}
	p.cmd = exec.CommandContext(ctx, bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, extra...)...)
	p.cmd.Env = append(cleanEnv(), "SILLOK_ARCHIVE="+archive)
	p.cmd.Stderr = lockedWriter{&p.mu, &p.stderr}
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				urlc <- m[1]
			}
		}
		close(urlc)
	}()
	go func() { p.done <- p.cmd.Wait() }()
	select {
	case u, ok := <-urlc:
		if !ok {
			t.Fatalf("sillok serve did not start: %s", p.log())
		}
		p.url = u
	case <-time.After(20 * time.Second):
		p.cmd.Process.Kill()
		t.Fatalf("sillok serve did not start in 20s: %s", p.log())
	}
	return p
}

// stop sends SIGTERM and waits for a clean exit.
func (p *servedProcess) stop(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("sillok serve after SIGTERM: %v\n%s", err, p.log())
		}
	case <-time.After(40 * time.Second):
		p.cmd.Process.Kill()
		t.Fatalf("sillok serve did not stop on SIGTERM:\n%s", p.log())
	}
	if !strings.Contains(p.log(), "shutting down") {
		t.Errorf("no shutdown in the log:\n%s", p.log())
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *servedProcess) kill() {
	p.cmd.Process.Kill()
	<-p.done
}
