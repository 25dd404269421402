package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
)

// app holds what the commands share: where output goes and the clock.
// Tests build their own with a stepping clock.
type app struct {
	stdout, stderr io.Writer
	now            func() time.Time
	lockTimeout    time.Duration
	// checkpointInterval is projections.Store.Interval (0: the default).
	checkpointInterval int
	// projections is the store, made on first use (see store).
	projections *projections.Store
	// caughtUp is set when update brings the stored projections up to a
	// new head (importFiles watches it).
	caughtUp bool
}

// usageError is a mistake in how a command was called: exit status 2.
type usageError struct {
	msg   string
	usage string
}

func (e *usageError) Error() string {
	if e.usage == "" {
		return e.msg
	}
	return e.msg + "\nusage: " + e.usage
}

func usagef(c *cli.Context, format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...), usage: usageLine(c)}
}

func usageLine(c *cli.Context) string {
	if c == nil || c.Command == nil {
		return ""
	}
	name := c.Command.HelpName
	if name == "" {
		name = "sillok " + c.Command.Name
	}
	return strings.TrimSpace(name + " " + strings.TrimSpace(c.Command.ArgsUsage))
}

// exitError carries an exit status for a failure that already printed
// what it had to say (verify finding problems).
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func newApp(stdout, stderr io.Writer) *app {
	return &app{stdout: stdout, stderr: stderr, now: time.Now, lockTimeout: 2 * time.Second}
}

// cli builds the urfave/cli application. Every command is listed here.
func (a *app) cli() *cli.App {
	cliApp := &cli.App{
		Name:                 "sillok",
		Usage:                "an event-sourced archive of news sources, their claims, and where they contradict each other",
		Writer:               a.stdout,
		ErrWriter:            a.stderr,
		EnableBashCompletion: false,
		HideHelpCommand:      false,
		ExitErrHandler:       func(*cli.Context, error) {},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return &usageError{msg: fmt.Sprintf("unknown command %q", c.Args().First()), usage: "sillok COMMAND [flags] [args]; see sillok help"}
			}
			return cli.ShowAppHelp(c)
		},
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return usagef(c, "%v", err)
		},
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "archive", Value: "sillok.db", EnvVars: []string{"SILLOK_ARCHIVE"}, Usage: "the archive file"},
			&cli.BoolFlag{Name: "json", Usage: "print one JSON document on stdout"},
			&cli.StringFlag{Name: "author", EnvVars: []string{"SILLOK_AUTHOR"}, Usage: "who is recording (default: the OS user)"},
		},
		Commands: []*cli.Command{
			a.initCommand(),
			a.sourceCommand(),
			a.predicateCommand(),
			a.claimCommand(),
			a.aliasCommand(),
			a.viewCommand(),
			a.conflictsCommand(),
			a.reviewCommand(),
			a.diffCommand(),
			a.logCommand(),
			a.verifyCommand(),
			a.headCommand(),
			a.rebuildCommand(),
			a.demoCommand(),
			a.genCommand(),
		},
	}
	setUsageErrors(cliApp.Commands)
	return cliApp
}

func setUsageErrors(cmds []*cli.Command) {
	for _, c := range cmds {
		c.OnUsageError = func(c *cli.Context, err error, _ bool) error { return usagef(c, "%v", err) }
		if len(c.Subcommands) > 0 && c.Action == nil {
			c.Action = unknownSubcommand
		}
		setUsageErrors(c.Subcommands)
	}
}

// unknownSubcommand is the action of a command that only groups others
// (source, claim, ...): a word that is none of them is a usage error.
func unknownSubcommand(c *cli.Context) error {
	var names []string
	for _, s := range c.Command.Subcommands {
		if s.Name != "help" {
			names = append(names, s.Name)
		}
	}
	if c.NArg() > 0 {
		return &usageError{msg: fmt.Sprintf("unknown command %q after sillok %s", c.Args().First(), c.Command.FullName()),
			usage: fmt.Sprintf("sillok %s %s ...", c.Command.Name, strings.Join(names, "|"))}
	}
	return cli.ShowSubcommandHelp(c)
}

// run runs the program and returns its exit status. Errors are printed on
// stderr as one "sillok: ..." message, never as a stack trace.
func run(ctx context.Context, a *app, args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(a.stderr, "sillok: internal error: %v\nThis is a bug in sillok; the archive was not changed by the failed command.\n", r)
			code = 70
		}
	}()
	cliApp := a.cli()
	err := cliApp.RunContext(ctx, normalizeArgs(cliApp, args))
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(a.stderr, "sillok: "+ee.msg)
		}
		return ee.code
	}
	msg := strings.TrimRight(err.Error(), "\n")
	if errors.Is(err, events.ErrDamaged) {
		msg += " (sillok verify lists what it finds)"
	}
	fmt.Fprintln(a.stderr, "sillok: "+msg)
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// author returns --author, $SILLOK_AUTHOR or the OS user name.
func author(c *cli.Context) string {
	if s := c.String("author"); s != "" {
		return s
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if s := os.Getenv("USER"); s != "" {
		return s
	}
	return "unknown"
}

// open opens the archive named by --archive, read-only unless write.
func (a *app) open(c *cli.Context, write bool) (*events.Log, error) {
	path := c.String("archive")
	log, err := events.Open(path, events.Options{
		ReadOnly: !write,
		Timeout:  a.lockTimeout,
		Now:      a.now,
	})
	if errors.Is(err, events.ErrNoArchive) {
		return nil, fmt.Errorf("%w; create it with: sillok init --archive %s", err, path)
	}
	return log, err
}

// printJSON writes v as indented JSON on stdout.
func (a *app) printJSON(v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// printf writes human output on stdout.
func (a *app) printf(format string, args ...any) {
	fmt.Fprintf(a.stdout, format, args...)
}

// wantArgs checks the number of positional arguments.
func wantArgs(c *cli.Context, min, max int) error {
	n := c.NArg()
	switch {
	case n < min && min == max:
		return usagef(c, "%s needs %d argument(s), got %d", c.Command.FullName(), min, n)
	case n < min:
		return usagef(c, "%s needs at least %d argument(s), got %d", c.Command.FullName(), min, n)
	case max >= 0 && n > max:
		return usagef(c, "%s takes at most %d argument(s), got %d: %q", c.Command.FullName(), max, n, c.Args().Slice()[max:])
	}
	return nil
}

// requireFlags reports the first of the named flags that was not given, as
// a usage error.
func requireFlags(c *cli.Context, names ...string) error {
	for _, n := range names {
		if !c.IsSet(n) || c.String(n) == "" {
			return usagef(c, "%s needs --%s", c.Command.FullName(), n)
		}
	}
	return nil
}
