package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/urfave/cli/v2"
)

// normalizeArgs moves every flag in front of the positional arguments of
// the command it belongs to, and global flags in front of the command name,
// so that "sillok source add FILE --id x" means what it says. urfave/cli v2
// stops parsing flags at the first positional argument (its issues #976
// and #1177) and would otherwise silently drop --id.
//
// It needs to know which flags take a value, so it reads the flag
// definitions of the app and of the command being called. "--" ends the
// flags: everything after it stays positional.
func normalizeArgs(app *cli.App, args []string) []string {
	if len(args) == 0 || isCompletion(args) {
		// A shell asking for completions: urfave/cli reads the words as
		// they are, the completion flag last (cmd_completion.go).
		return args
	}
	globals := flagArity(app.Flags)
	// --help and -h belong to the command they follow: "sillok claim add
	// --help" is the help of claim add, not of sillok.
	delete(globals, "help")
	delete(globals, "h")
	var (
		global, path, local, positional []string
		trailing                        string
		help                            bool
		commands                        = app.Commands
		leaf                            map[string]bool
	)
	rest := args[1:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" {
			positional = append(positional, rest[i+1:]...)
			break
		}
		if len(a) > 1 && a[0] == '-' && !isNegativeNumber(a) {
			name, hasValue := flagName(a)
			if (name == "help" || name == "h") && !hasValue {
				help = true
			}
			dst := &local
			takesValue, isGlobal := globals[name]
			if isGlobal {
				dst = &global
			} else {
				takesValue = leaf[name]
			}
			if takesValue && !hasValue && i+1 == len(rest) {
				// A value flag with nothing after it: leave it last, so
				// urfave reports "flag needs an argument" rather than
				// taking a command name as its value.
				if isGlobal {
					// Among the global flags, so that the error is about
					// its value, not an unknown flag of the command.
					return append(append([]string{args[0]}, global...), a)
				}
				trailing = a
				continue
			}
			*dst = append(*dst, a)
			if takesValue && !hasValue {
				*dst = append(*dst, rest[i+1])
				i++
			}
			continue
		}
		if len(positional) == 0 {
			if cmd := findCommand(commands, a); cmd != nil {
				path = append(path, a)
				commands = cmd.Subcommands
				leaf = flagArity(cmd.Flags)
				continue
			}
		}
		positional = append(positional, a)
	}
	out := append([]string{args[0]}, global...)
	out = append(out, path...)
	if help {
		// Help for the command, whatever else was typed: urfave would
		// take the first argument for a help topic.
		return append(out, "--help")
	}
	out = append(out, local...)
	if trailing != "" {
		// Last, and with no positional arguments after it (the flag would
		// take "--" for its value): urfave reports the missing value.
		return append(out, trailing)
	}
	if len(positional) > 0 {
		out = append(out, "--")
		out = append(out, positional...)
	}
	return out
}

// isNegativeNumber reports whether a is like "-1": an argument (a
// revision, say), not a flag, since no flag is named with digits.
func isNegativeNumber(a string) bool {
	return len(a) > 1 && a[0] == '-' && strings.Trim(a[1:], "0123456789") == ""
}

// flagName returns the name of a flag argument ("--id=x" → "id", true).
func flagName(a string) (name string, hasValue bool) {
	a = strings.TrimLeft(a, "-")
	if i := strings.IndexByte(a, '='); i >= 0 {
		return a[:i], true
	}
	return a, false
}

// flagArity maps every name and alias of flags to whether it takes a value.
func flagArity(flags []cli.Flag) map[string]bool {
	m := map[string]bool{"help": false, "h": false}
	for _, f := range flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			m[n] = !isBool
		}
	}
	return m
}

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// The errors of the standard flag package, which urfave/cli v2 passes on
// as they are: they name a flag with one dash ("-at") whatever the user
// typed, and say "parse error" for a value that is not a number.
var (
	flagUndefinedRE = regexp.MustCompile(`^flag provided but not defined: -+(.+)$`)
	flagNoValueRE   = regexp.MustCompile(`^flag needs an argument: -+(.+)$`)
	flagValueRE     = regexp.MustCompile(`^invalid (?:boolean )?value ("(?:[^"\\]|\\.)*") for (?:flag )?-+([^:]+): (.*)$`)
)

// flagError rewrites a flag parsing error in the user's terms: the flag
// as it is written on the command line (--at, -h) and what its value
// should be. Other errors are returned as they are.
func flagError(flags []cli.Flag, err error) string {
	msg := err.Error()
	if m := flagUndefinedRE.FindStringSubmatch(msg); m != nil {
		return "unknown flag " + dashed(m[1])
	}
	if m := flagNoValueRE.FindStringSubmatch(msg); m != nil {
		return dashed(m[1]) + " needs a value"
	}
	if m := flagValueRE.FindStringSubmatch(msg); m != nil {
		value, name, why := m[1], m[2], m[3]
		var want string
		switch f := findFlag(flags, name); f.(type) {
		case *cli.BoolFlag:
			want = "true or false"
		case *cli.Uint64Flag, *cli.UintFlag:
			want = "a whole number (0 or more)"
		case *cli.IntFlag, *cli.Int64Flag:
			want = "a whole number"
		default:
			return fmt.Sprintf("invalid value %s for %s: %s", value, dashed(name), why)
		}
		if strings.Contains(why, "out of range") {
			return fmt.Sprintf("%s takes %s; %s is too large", dashed(name), want, value)
		}
		return fmt.Sprintf("%s takes %s, not %s", dashed(name), want, value)
	}
	return msg
}

// dashed writes a flag name as it is typed: --at, -h.
func dashed(name string) string {
	if len([]rune(name)) == 1 {
		return "-" + name
	}
	return "--" + name
}

func findFlag(flags []cli.Flag, name string) cli.Flag {
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				return f
			}
		}
	}
	return nil
}
