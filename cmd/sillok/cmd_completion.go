package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
)

// completionFlag is urfave/cli's hidden flag: the shell scripts below call
// "sillok WORDS... --generate-bash-completion" and read the candidates,
// one a line, from stdout.
const completionFlag = "--generate-bash-completion"

// completionTimeout is how long a completion waits for the archive's lock
// before it gives up (and completes nothing from the archive).
const completionTimeout = 300 * time.Millisecond

func (a *app) completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script (bash, zsh or fish)",
		ArgsUsage: "bash|zsh|fish",
		Description: "Completes commands, flags, and from the archive in effect (--archive or SILLOK_ARCHIVE)\n" +
			"source ids, predicate names, conflict ids and claim ids. Install it with:\n" +
			"  bash: echo 'source <(sillok completion bash)' >> ~/.bashrc\n" +
			"  zsh:  echo 'source <(sillok completion zsh)' >> ~/.zshrc\n" +
			"  fish: sillok completion fish > ~/.config/fish/completions/sillok.fish",
		Action: func(c *cli.Context) error {
			if err := wantArgs(c, 1, 1); err != nil {
				return err
			}
			script, ok := completionScripts[c.Args().First()]
			if !ok {
				return usagef(c, "unknown shell %q: sillok completes in bash, zsh and fish", c.Args().First())
			}
			_, err := io.WriteString(a.stdout, script)
			return err
		},
	}
}

// completionScripts are the scripts of "sillok completion SHELL". Each
// asks the program for the candidates in urfave/cli's way: the words
// before the cursor, the word being typed when it is a flag, then
// --generate-bash-completion.
var completionScripts = map[string]string{
	"bash": `# bash completion for sillok: source <(sillok completion bash)
_sillok_complete() {
  local cur="${COMP_WORDS[COMP_CWORD]}"
  local -a words=("${COMP_WORDS[@]:0:COMP_CWORD}")
  local opts
  if [[ "$cur" == -* ]]; then
    opts=$("${words[0]}" "${words[@]:1}" "$cur" --generate-bash-completion 2>/dev/null)
  else
    opts=$("${words[0]}" "${words[@]:1}" --generate-bash-completion 2>/dev/null)
  fi
  local IFS=$'\n'
  COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  COMPREPLY=("${COMPREPLY[@]// /\\ }")
}
complete -o default -F _sillok_complete sillok
`,
	"zsh": `#compdef sillok
# zsh completion for sillok: source <(sillok completion zsh)
_sillok_complete() {
  local cur=${words[CURRENT]}
  local -a opts
  if [[ "$cur" == -* ]]; then
    opts=("${(@f)$(${words[1,CURRENT-1]} "$cur" --generate-bash-completion 2>/dev/null)}")
  else
    opts=("${(@f)$(${words[1,CURRENT-1]} --generate-bash-completion 2>/dev/null)}")
  fi
  if [[ -n "${opts[1]}" ]]; then
    compadd -a opts
  else
    _files
  fi
}
if (( $+functions[compdef] )); then
  compdef _sillok_complete sillok
else
  autoload -Uz compinit && compinit && compdef _sillok_complete sillok
fi
`,
	"fish": `# fish completion for sillok: sillok completion fish > ~/.config/fish/completions/sillok.fish
function __sillok_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    if string match -q -- '-*' $cur
        $words $cur --generate-bash-completion 2>/dev/null
    else
        $words --generate-bash-completion 2>/dev/null
    end
end
complete -c sillok -f -a '(__sillok_complete)'
`,
}

// isCompletion reports whether args ask for completion candidates.
func isCompletion(args []string) bool {
	return len(args) > 1 && args[len(args)-1] == completionFlag
}

// runCompletion runs a completion request through urfave/cli, whose
// BashComplete funcs (a.complete) print the candidates. A completion never
// prints an error and always succeeds: whatever goes wrong, it completes
// less.
func (a *app) runCompletion(ctx context.Context, cliApp *cli.App, args []string) (code int) {
	stderr := a.stderr
	a.stderr, cliApp.ErrWriter = io.Discard, io.Discard
	defer func() {
		recover()
		a.stderr = stderr
		code = 0
	}()
	a.compWords = args[1 : len(args)-1]
	if slices.Contains(a.compWords, "--") {
		// After "--" every word is an argument: nothing to complete but
		// file names, and urfave would run the command with the
		// completion flag for an argument.
		return 0
	}
	// Setup adds urfave's help command, shared by every app: this app's
	// completes like the others (a copy, the shared one left alone).
	cliApp.Setup()
	for i, c := range cliApp.Commands {
		if c.Name == "help" {
			help := *c
			help.BashComplete = a.complete
			cliApp.Commands[i] = &help
		}
	}
	_ = cliApp.RunContext(ctx, args)
	return 0
}

// setCompletion gives every command the same completion func: it works
// out the command and the word being completed from the words typed.
func (a *app) setCompletion(cmds []*cli.Command) {
	for _, c := range cmds {
		c.BashComplete = a.complete
		a.setCompletion(c.Subcommands)
	}
}

// complete prints the candidates for the word after a.compWords: the
// values of a flag (source ids after --source, ...), flags, subcommands,
// or the command's argument (conflict ids after conflicts show, ...).
func (a *app) complete(c *cli.Context) {
	words := a.compWords
	root := c.App
	globals := flagArity(root.Flags)
	var (
		path       []string
		cmd        *cli.Command
		commands   = root.Commands
		local      = map[string]bool{}
		positional []string
		archPath   string
	)
	for i := 0; i < len(words); i++ {
		w := words[i]
		if len(w) > 1 && w[0] == '-' && !isNegativeNumber(w) {
			name, hasValue := flagName(w)
			takesValue, ok := globals[name]
			if !ok {
				takesValue = local[name]
			}
			if takesValue && !hasValue && i+1 < len(words) {
				if words[i+1] == "=" && i+2 < len(words) {
					// bash splits --archive=PATH into three words.
					i++
				}
				if name == "archive" {
					archPath = words[i+1]
				}
				i++
			} else if name == "archive" && hasValue {
				archPath = w[strings.IndexByte(w, '=')+1:]
			}
			continue
		}
		if len(positional) == 0 {
			if sub := findCommand(commands, w); sub != nil {
				path = append(path, sub.Name)
				cmd, commands, local = sub, sub.Subcommands, flagArity(sub.Flags)
				continue
			}
		}
		positional = append(positional, w)
	}
	if archPath == "" {
		archPath = c.String("archive")
	}
	out := func(list []string) {
		for _, s := range list {
			if s != "" && !strings.ContainsAny(s, "\n") {
				fmt.Fprintln(a.stdout, s)
			}
		}
	}
	last := ""
	if len(words) > 0 {
		last = words[len(words)-1]
	}
	if len(last) > 1 && last[0] == '-' && !isNegativeNumber(last) {
		name, hasValue := flagName(last)
		takesValue, ok := globals[name]
		if !ok {
			takesValue = local[name]
		}
		if takesValue && !hasValue {
			// "--source <TAB>": the flag's values.
			out(a.flagValues(archPath, strings.Join(path, " "), name, positional))
			return
		}
		// "--so<TAB>": the flags of the command and the global ones.
		var flags []cli.Flag
		if cmd != nil {
			flags = append(flags, cmd.Flags...)
		}
		out(flagNames(append(flags, root.Flags...)))
		return
	}
	if len(path) == 1 && path[0] == "help" {
		commands, cmd = root.Commands, nil
	}
	var names []string
	for _, s := range commands {
		// urfave adds a help command to every command as it runs.
		if !s.Hidden && (s.Name != "help" || cmd == nil) {
			names = append(names, s.Name)
		}
	}
	if len(names) > 0 && len(positional) == 0 {
		out(names)
		return
	}
	if len(positional) == 0 {
		out(a.argValues(archPath, strings.Join(path, " ")))
	}
}

// flagNames lists the long names of flags as they are typed (--source).
func flagNames(flags []cli.Flag) []string {
	var names []string
	seen := map[string]bool{}
	for _, f := range flags {
		if vf, ok := f.(cli.VisibleFlag); ok && !vf.IsVisible() {
			continue
		}
		for _, n := range f.Names() {
			if d := dashed(n); !seen[d] {
				seen[d] = true
				names = append(names, d)
			}
		}
	}
	return names
}

// completionArgs are the commands whose argument completes from the
// archive, and what it is.
var completionArgs = map[string]string{
	"conflicts show": "conflict",
	"review":         "conflict",
	"source show":    "source",
	"source edit":    "source",
	"claim retract":  "claim",
}

// completionFlags are the flags whose value completes from the archive.
var completionFlags = map[string]string{
	"source":         "source",
	"translation-of": "source",
	"predicate":      "predicate",
	"accept":         "claim-of-conflict",
	"reject":         "claim-of-conflict",
}

// completionChoices are the fixed values of arguments ("completion") and
// flags ("conflicts --status").
var completionChoices = map[string][]string{
	"completion":           {"bash", "zsh", "fish"},
	"conflicts --status":   {"open", "resolved", "all"},
	"conflicts --kind":     {"value", "temporal", "name"},
	"predicate add --kind": {"date", "quantity", "entity", "text"},
	"alias add --kind":     {"translation", "transliteration", "mistranslation", "abbreviation", "variant", "distinct"},
	"source edit --clear":  editFlagNames(),
}

func (a *app) argValues(path, cmd string) []string {
	if choices, ok := completionChoices[cmd]; ok {
		return choices
	}
	if kind, ok := completionArgs[cmd]; ok {
		return a.archiveIDs(path, kind, nil)
	}
	return nil
}

func (a *app) flagValues(path, cmd, flag string, positional []string) []string {
	if choices, ok := completionChoices[cmd+" --"+flag]; ok {
		return choices
	}
	if kind, ok := completionFlags[flag]; ok {
		return a.archiveIDs(path, kind, positional)
	}
	return nil
}

// archiveIDs lists ids of a kind from the archive at path, opened
// read-only with a short timeout; nothing on any error.
func (a *app) archiveIDs(path, kind string, positional []string) []string {
	if _, err := os.Stat(path); err != nil && !events.IsURL(path) {
		return nil
	}
	ar, err := archive.Open(path, archive.Options{ReadOnly: true, Timeout: completionTimeout})
	if err != nil {
		return nil
	}
	defer ar.Close()
	var ids []string
	switch kind {
	case "source":
		list, err := ar.Sources()
		if err != nil {
			return nil
		}
		for _, s := range list {
			ids = append(ids, string(s.ID))
		}
	case "predicate":
		list, err := ar.Predicates()
		if err != nil {
			return nil
		}
		for _, p := range list {
			ids = append(ids, p.Name)
		}
	case "conflict":
		page, err := ar.Conflicts(archive.ConflictFilter{Status: archive.StatusAll, At: archive.Head})
		if err != nil {
			return nil
		}
		for _, cf := range page.Conflicts {
			ids = append(ids, string(cf.ID))
		}
		for _, it := range page.Items {
			if len(it.Conflicts) > 1 {
				ids = append(ids, string(it.ID)) // a root cause's item
			}
		}
	case "claim-of-conflict":
		if len(positional) > 0 {
			if d, err := ar.ConflictDetail(positional[0], archive.Head); err == nil {
				for _, cl := range d.Claims {
					ids = append(ids, string(cl.ID))
				}
				return ids
			}
		}
		fallthrough
	case "claim":
		rows, err := ar.Claims(archive.ClaimFilter{At: archive.Head})
		if err != nil {
			return nil
		}
		for _, r := range rows {
			if r.Status != archive.ClaimRetracted || kind != "claim" {
				ids = append(ids, string(r.ID))
			}
		}
	}
	return ids
}
