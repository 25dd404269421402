package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	xterm "golang.org/x/term"

	"github.com/sillok/sillok/archive"
)

func (a *app) userCommand() *cli.Command {
	roles := "reader|archivist|fact-checker|admin"
	return &cli.Command{
		Name:  "user",
		Usage: "manage the accounts of sillok serve (kept in the archive file, outside the log)",
		Subcommands: []*cli.Command{
			{
				Name:      "add",
				Usage:     "create an account; the password is read from the terminal (or stdin with --password-stdin)",
				ArgsUsage: "NAME --role " + roles + " [--password-stdin]",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "role", Usage: "reader, archivist, fact-checker or admin"},
					&cli.BoolFlag{Name: "password-stdin", Usage: "read the password from the first line of stdin"},
				},
				Action: a.userAdd,
			},
			{
				Name:      "list",
				Usage:     "list the accounts (with --audit, every change made to them, by whom and when)",
				ArgsUsage: "[--audit]",
				Flags:     []cli.Flag{&cli.BoolFlag{Name: "audit", Usage: "also list the changes to the accounts"}},
				Action:    a.userList,
			},
			{
				Name:      "disable",
				Usage:     "disable an account: it can no longer sign in, and its tokens and sessions stop working",
				ArgsUsage: "NAME",
				Action:    a.userDisable,
			},
			{
				Name:      "token",
				Usage:     "make a new API token for an account and print it (once: only its hash is kept)",
				ArgsUsage: "NAME",
				Action:    a.userToken,
			},
		},
	}
}

// readPassword reads the new password: the first line of stdin with
// --password-stdin, else twice from the terminal without echo.
func (a *app) readPassword(c *cli.Context) (string, error) {
	in := a.stdin
	if in == nil {
		in = os.Stdin
	}
	if c.Bool("password-stdin") {
		line, err := bufio.NewReader(io.LimitReader(in, 4096)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("reading the password from stdin: %w", err)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	f, ok := in.(*os.File)
	if !ok || !xterm.IsTerminal(int(f.Fd())) {
		return "", usagef(c, "no terminal to read the password from: give it on stdin with --password-stdin")
	}
	fmt.Fprint(a.stderr, "password: ")
	p1, err := xterm.ReadPassword(int(f.Fd()))
	fmt.Fprintln(a.stderr)
	if err != nil {
		return "", err
	}
	fmt.Fprint(a.stderr, "again: ")
	p2, err := xterm.ReadPassword(int(f.Fd()))
	fmt.Fprintln(a.stderr)
	if err != nil {
		return "", err
	}
	if string(p1) != string(p2) {
		return "", errors.New("the two passwords differ; nothing was changed")
	}
	return string(p1), nil
}

func (a *app) userAdd(c *cli.Context) error {
	if err := wantArgs(c, 1, 1); err != nil {
		return err
	}
	if err := requireFlags(c, "role"); err != nil {
		return err
	}
	role, err := archive.ParseRole(c.String("role"))
	if err != nil {
		return usagef(c, "--role must be reader, archivist, fact-checker or admin, not %q", c.String("role"))
	}
	name := c.Args().First()
	password, err := a.readPassword(c)
	if err != nil {
		return err
	}
	var acct archive.Account
	if cl, err := a.serverClient(c); err != nil {
		return err
	} else if cl != nil {
		acct, err = cl.AddUser(name, role, password)
		if err != nil {
			return err
		}
	} else {
		ar, err := a.openArchive(c, true)
		if err != nil {
			return err
		}
		defer ar.Close()
		if acct, err = ar.AddUser(author(c), name, role, password); err != nil {
			return err
		}
	}
	if c.Bool("json") {
		return a.printJSON(acct)
	}
	a.printf("added %s (%s); make an API token for it with: sillok user token %s\n", acct.Name, acct.Role, shellWord(acct.Name))
	return nil
}

func (a *app) userList(c *cli.Context) error {
	if err := wantArgs(c, 0, 0); err != nil {
		return err
	}
	var list []archive.Account
	var changes []archive.AccountChange
	if cl, err := a.serverClient(c); err != nil {
		return err
	} else if cl != nil {
		if list, changes, err = cl.Users(c.Bool("audit")); err != nil {
			return err
		}
	} else {
		ar, err := a.openArchive(c, false)
		if err != nil {
			return err
		}
		defer ar.Close()
		if list, err = ar.Users(); err != nil {
			return err
		}
		if c.Bool("audit") {
			if changes, err = ar.UserAudit(); err != nil {
				return err
			}
		}
	}
	if c.Bool("json") {
		out := map[string]any{"users": list}
		if c.Bool("audit") {
			out["audit"] = changes
		}
		return a.printJSON(out)
	}
	if len(list) == 0 {
		a.printf("no accounts; create one with: sillok user add NAME --role admin\n")
	}
	for _, u := range list {
		status := "active"
		if u.Disabled {
			status = "disabled"
		}
		a.printf("%-20s %-13s %-9s %d tokens  created %s by %s\n", term(u.Name), u.Role, status, u.Tokens, u.Created.Format(time.RFC3339), term(u.CreatedBy))
	}
	if c.Bool("audit") {
		a.printf("\nchanges:\n")
		for _, ch := range changes {
			detail := ""
			if ch.Detail != "" {
				detail = " (" + term(ch.Detail) + ")"
			}
			a.printf("  %s  %s: %s %s%s\n", ch.At.Format(time.RFC3339), term(ch.By), ch.Action, term(ch.User), detail)
		}
	}
	return nil
}

func (a *app) userDisable(c *cli.Context) error {
	if err := wantArgs(c, 1, 1); err != nil {
		return err
	}
	name := c.Args().First()
	if cl, err := a.serverClient(c); err != nil {
		return err
	} else if cl != nil {
		if err := cl.DisableUser(name); err != nil {
			return err
		}
	} else {
		ar, err := a.openArchive(c, true)
		if err != nil {
			return err
		}
		defer ar.Close()
		if err := ar.DisableUser(author(c), name); err != nil {
			return err
		}
	}
	if c.Bool("json") {
		return a.printJSON(map[string]any{"name": name, "disabled": true})
	}
	a.printf("disabled %s: it can no longer sign in, and its tokens no longer work\n", term(name))
	return nil
}

func (a *app) userToken(c *cli.Context) error {
	if err := wantArgs(c, 1, 1); err != nil {
		return err
	}
	name := c.Args().First()
	var token string
	if cl, err := a.serverClient(c); err != nil {
		return err
	} else if cl != nil {
		if token, err = cl.NewToken(name); err != nil {
			return err
		}
	} else {
		ar, err := a.openArchive(c, true)
		if err != nil {
			return err
		}
		defer ar.Close()
		if token, err = ar.NewToken(author(c), name); err != nil {
			return err
		}
	}
	if c.Bool("json") {
		return a.printJSON(map[string]any{"name": name, "token": token})
	}
	a.printf("%s\n", token)
	fmt.Fprintf(a.stderr, "a new API token for %s, shown this once: keep it secret (export SILLOK_TOKEN=...)\n", name)
	return nil
}
