package main

import (
	"fmt"
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
			// From a new app, without urfave's help command: urfave
			// shares one help command among all apps and, once it has run,
			// lists it under itself, which the page would recurse into
			// without end.
			doc := a.cli()
			doc.Setup()
			doc.Commands = withoutHelp(doc.Commands)
			page, err := doc.ToManWithSection(1)
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
			_, err = io.WriteString(a.stdout, page+manEnvironment(doc.Flags))
			return err
		},
	}
}

// withoutHelp copies cmds without the help commands, at every level.
func withoutHelp(cmds []*cli.Command) []*cli.Command {
	var out []*cli.Command
	for _, c := range cmds {
		if c.Name == "help" {
			continue
		}
		cp := *c
		cp.Subcommands = withoutHelp(c.Subcommands)
		out = append(out, &cp)
	}
	return out
}

// manEnvironment is the ENVIRONMENT section of the man page: the
// environment variables the global flags read (urfave's page leaves them
// out).
func manEnvironment(flags []cli.Flag) string {
	var b strings.Builder
	for _, f := range flags {
		sf, ok := f.(*cli.StringFlag)
		if !ok {
			continue
		}
		for _, env := range sf.EnvVars {
			fmt.Fprintf(&b, ".TP\n\\fB%s\\fP\n%s; \\fB--%s\\fP wins over it\n", env, manEscape(sf.Usage), sf.Name)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return "\n.SH ENVIRONMENT\n" + b.String()
}

// manEscape keeps text from being read as roff: backslashes, and a line
// that begins with a dot or a quote.
func manEscape(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}
