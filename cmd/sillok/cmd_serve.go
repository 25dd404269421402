package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/web"
)

func (a *app) serveCommand() *cli.Command {
	return &cli.Command{
		Name:      "serve",
		Usage:     "serve the team's review desk: the HTTP API and the pages, over the archive",
		ArgsUsage: "[--addr 127.0.0.1:8080] [--public-read] [--trust-proxy]",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8080", Usage: "the address to listen on (host:port; port 0 picks a free one)"},
			&cli.BoolFlag{Name: "public-read", Usage: "let anyone read without signing in (writes still need an account)"},
			&cli.BoolFlag{Name: "trust-proxy", Usage: "behind a reverse proxy that terminates https and sets X-Forwarded-Proto: make the session cookie Secure when it says https"},
		},
		Action: func(c *cli.Context) error {
			if err := wantArgs(c, 0, 0); err != nil {
				return err
			}
			// Ctrl-C stops the server, which lets the requests under way
			// finish: their reads and writes must not be cancelled with it.
			if a.ctx != nil {
				a.ctx = context.WithoutCancel(a.ctx)
			}
			ar, err := a.openArchive(c, true)
			if err != nil {
				return err
			}
			defer ar.Close()
			logger := slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{}))
			srv := web.New(ar, web.Options{Addr: c.String("addr"), PublicRead: c.Bool("public-read"),
				TrustForwardedProto: c.Bool("trust-proxy"), Logger: logger})
			if err := srv.Open(); err != nil {
				return err
			}
			path := c.String("archive")
			if !events.IsURL(path) {
				// A database is not locked by one process: commands
				// open it themselves, and need no pointer to the server.
				info, _ := json.Marshal(serveInfo{URL: srv.URL(), PID: os.Getpid()})
				sf := serveFile(path)
				if err := os.WriteFile(sf, append(info, '\n'), 0o644); err != nil {
					srv.Close()
					return fmt.Errorf("writing %s: %w", sf, err)
				}
				defer os.Remove(sf)
			}
			a.printf("serving %s at %s (stop with Ctrl-C)\n", events.Redact(path), srv.URL())
			if f, ok := a.stdout.(interface{ Sync() error }); ok {
				_ = f.Sync()
			}
			<-c.Context.Done()
			logger.Info("shutting down: the requests under way finish, then the archive closes")
			if err := srv.Close(); err != nil {
				return fmt.Errorf("shutting down: %w", err)
			}
			return nil
		},
	}
}
