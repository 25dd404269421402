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

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
)

// app holds what the commands share: where output goes and the clock.
// Tests build their own with a stepping clock.
type app struct {
	// ctx is the command's: cancelled on Ctrl-C or SIGTERM, it ends the
	// waits of an archive on a database server (archiveOptions).
	ctx            context.Context
	stdout, stderr io.Writer
	now            func() time.Time
	lockTimeout    time.Duration
	// checkpointInterval is projections.Store.Interval (0: the default).
	checkpointInterval int
	// getenv reads the environment: COLUMNS, NO_COLOR (nil: os.Getenv).
	getenv func(string) string
	// compWords are the words typed before the one being completed, when
	// the shell asks for completions (cmd_completion.go).
	compWords []string
	// self is how to run this program again ("sillok", "go run
	// ./cmd/sillok") and how to install it, for the commands the demo
	// suggests; nil is plain "sillok" (main sets it, see cmd_demo.go).
	self func() (command, install string)
	// stdin is where user add --password-stdin reads (nil: os.Stdin).
	stdin io.Reader
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
	line := strings.TrimSpace(name + " " + strings.TrimSpace(c.Command.ArgsUsage))
	if line == "sillok" { // a global flag
		return "sillok [--archive PATH] [--json] [--author NAME] COMMAND [flags] [args]; see sillok help"
	}
	return line
}

// commandName is the command's name as it is typed after sillok ("claim
// add"; urfave's FullName says only "add" for a subcommand).
func commandName(c *cli.Context) string {
	if c == nil || c.Command == nil {
		return ""
	}
	if name, ok := strings.CutPrefix(c.Command.HelpName, "sillok "); ok && name != "" {
		return name
	}
	return c.Command.Name
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
		EnableBashCompletion: true,
		HideHelpCommand:      false,
		ExitErrHandler:       func(*cli.Context, error) {},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return &usageError{msg: fmt.Sprintf("unknown command %q", c.Args().First()), usage: "sillok COMMAND [flags] [args]; see sillok help"}
			}
			return cli.ShowAppHelp(c)
		},
		OnUsageError: onUsageError,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "archive", Value: "sillok.db", EnvVars: []string{"SILLOK_ARCHIVE"}, Usage: "the archive file"},
			&cli.BoolFlag{Name: "json", Usage: "print one JSON document on stdout"},
			&cli.StringFlag{Name: "author", EnvVars: []string{"SILLOK_AUTHOR"}, Usage: "who is recording (default: the OS user)", Action: checkAuthor},
			&cli.StringFlag{Name: "color", Value: "auto", Usage: "colour statuses and kinds in tables: never, auto (on a terminal, unless NO_COLOR is set) or always", Action: checkColor},
			&cli.BoolFlag{Name: "quiet", EnvVars: []string{"SILLOK_QUIET"}, Usage: "draw no progress on stderr (it is drawn only when stderr is a terminal)"},
			&cli.StringFlag{Name: "server", EnvVars: []string{"SILLOK_SERVER"}, Usage: "send the command to the sillok serve at this URL, with the API token in SILLOK_TOKEN (the token's user is the author)"},
		},
		Commands: []*cli.Command{
			a.initCommand(),
			a.sourceCommand(),
			a.predicateCommand(),
			a.claimCommand(),
			a.aliasCommand(),
			a.viewCommand(),
			a.searchCommand(),
			a.conflictsCommand(),
			a.reviewCommand(),
			a.diffCommand(),
			a.logCommand(),
			a.verifyCommand(),
			a.headCommand(),
			a.rebuildCommand(),
			a.exportCommand(),
			a.importCommand(),
			a.bagCommand(),
			a.demoCommand(),
			a.genCommand(),
			a.completionCommand(),
			a.manCommand(),
			a.serveCommand(),
			a.userCommand(),
		},
	}
	cliApp.BashComplete = a.complete
	a.setCompletion(cliApp.Commands)
	setUsageErrors(cliApp.Commands)
	hideFalseDefaults(cliApp.Flags)
	return cliApp
}

// setUsageErrors makes every command report its usage errors in the
// user's terms, and shows only the defaults in its help that say
// something.
func setUsageErrors(cmds []*cli.Command) {
	for _, c := range cmds {
		c.OnUsageError = onUsageError
		if len(c.Subcommands) > 0 && c.Action == nil {
			c.Action = unknownSubcommand
		}
		hideFalseDefaults(c.Flags)
		setUsageErrors(c.Subcommands)
	}
}

// onUsageError reports a flag that could not be parsed as a usage error,
// naming the flag as it is typed (--at, not urfave's -at).
func onUsageError(c *cli.Context, err error, _ bool) error {
	var flags []cli.Flag
	if c.Command != nil {
		flags = append(flags, c.Command.Flags...)
	}
	if c.App != nil {
		flags = append(flags, c.App.Flags...)
	}
	return usagef(c, "%s", flagError(flags, err))
}

// hideFalseDefaults drops "(default: false)" from the help of switches:
// a switch is off unless given. (A number flag whose zero means "unset"
// says what it means with DefaultText, e.g. --at's "the head".)
func hideFalseDefaults(flags []cli.Flag) {
	for _, f := range flags {
		if b, ok := f.(*cli.BoolFlag); ok {
			b.DisableDefaultText = true
		}
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
		return &usageError{msg: fmt.Sprintf("unknown command %q after sillok %s", c.Args().First(), commandName(c)),
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
	a.ctx = ctx
	cliApp := a.cli()
	if isCompletion(args) {
		return a.runCompletion(ctx, cliApp, args)
	}
	err := cliApp.RunContext(ctx, normalizeArgs(cliApp, args))
	if err == nil {
		return 0
	}
	if topic, ok := strings.CutPrefix(err.Error(), "No help topic for "); ok {
		// urfave's "sillok help nosuch": a usage error like any unknown
		// command.
		err = &usageError{msg: fmt.Sprintf("unknown command %s", strings.ReplaceAll(topic, "'", `"`)), usage: "sillok help [COMMAND]; sillok help lists the commands"}
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(a.stderr, "sillok: "+termLines(ee.msg))
		}
		return ee.code
	}
	msg := strings.TrimRight(err.Error(), "\n")
	if errors.Is(err, events.ErrDamaged) {
		msg += " (sillok verify lists what it finds)"
	}
	msg += hint(err)
	fmt.Fprintln(a.stderr, "sillok: "+termLines(msg))
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

// openArchive opens the archive named by --archive through the archive
// API, read-only unless write.
func (a *app) openArchive(c *cli.Context, write bool) (*archive.Archive, error) {
	if err := notThroughServer(c); err != nil {
		return nil, err
	}
	path := c.String("archive")
	opts := a.archiveOptions()
	opts.ReadOnly = !write
	ar, err := archive.Open(path, opts)
	if err != nil {
		return nil, servedHint(noArchiveHint(err, path), path)
	}
	return ar, nil
}

// noArchiveHint adds to an error for an archive that is not there how to
// create it.
func noArchiveHint(err error, path string) error {
	if errors.Is(err, events.ErrNoArchive) {
		return fmt.Errorf("%w; create it with: sillok init --archive %s", err, shellWord(events.Redact(path)))
	}
	return err
}

// archiveOptions are the options the app opens archives with (for
// writing).
func (a *app) archiveOptions() archive.Options {
	return archive.Options{Timeout: a.lockTimeout, Now: a.now, CheckpointInterval: a.checkpointInterval, Context: a.ctx}
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
		return usagef(c, "%s needs %s, got %d", commandName(c), arguments(min), n)
	case n < min:
		return usagef(c, "%s needs at least %s, got %d", commandName(c), arguments(min), n)
	case max == 0 && n > 0:
		return usagef(c, "%s takes no arguments, got %d: %q", commandName(c), n, c.Args().Slice())
	case max >= 0 && n > max:
		return usagef(c, "%s takes at most %s, got %d: %q", commandName(c), arguments(max), n, c.Args().Slice()[max:])
	}
	return nil
}

// arguments says "1 argument", "2 arguments".
func arguments(n int) string {
	if n == 1 {
		return "1 argument"
	}
	return fmt.Sprintf("%d arguments", n)
}

// requireFlags reports the first of the named flags that was not given, as
// a usage error.
func requireFlags(c *cli.Context, names ...string) error {
	for _, n := range names {
		if !c.IsSet(n) || c.String(n) == "" {
			return usagef(c, "%s needs --%s", commandName(c), n)
		}
	}
	return nil
}
