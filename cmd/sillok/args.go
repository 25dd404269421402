package main

import (
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
	if len(args) == 0 {
		return args
	}
	globals := flagArity(app.Flags)
	var (
		global, path, local, positional []string
		trailing                        string
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
		if len(a) > 1 && a[0] == '-' {
			name, hasValue := flagName(a)
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
	out = append(out, local...)
	if len(positional) > 0 {
		out = append(out, "--")
		out = append(out, positional...)
	}
	if trailing != "" {
		out = append(out, trailing)
	}
	return out
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
