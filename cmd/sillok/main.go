// Command sillok is the command-line program of the Sillok archive.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	a := newApp(os.Stdout, os.Stderr)
	a.self = selfCommand
	code := run(ctx, a, os.Args)
	stop()
	os.Exit(code)
}
