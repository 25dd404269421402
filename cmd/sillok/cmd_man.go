package main

import (
	"io"
	"strings"

	"github.com/urfave/cli/v2"
)

func (a *app) manCommand() *cli.Command {
	return &cli.Command{
		Name:  "man",
		Usage: "print the manual page (roff): sillok man > sillok.1, or read it with sillok man | man -l -",
		Action: func(c *cli.Context) error {
			if err := wantArgs(c, 0, 0); err != nil {
				return err
			}
			page, err := c.App.ToManWithSection(1)
			if err != nil {
				return err
			}
			// urfave's page begins with .nh (no hyphenation); the title
			// line first, as man pages begin.
			if rest, ok := strings.CutPrefix(page, ".nh\n"); ok {
				if th, body, ok := strings.Cut(rest, "\n"); ok && strings.HasPrefix(th, ".TH ") {
					page = th + "\n.nh\n" + body
				}
			}
			_, err = io.WriteString(a.stdout, page)
			return err
		},
	}
}
