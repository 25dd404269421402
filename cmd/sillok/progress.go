package main

import (
	"fmt"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"
	xterm "golang.org/x/term"
)

// Progress of long work (claim import, rebuild, verify, gen --load) is
// drawn on standard error, and only when it is a terminal: what is being
// done, how far (a bar, a count and a percentage), the rate and the time
// left. A pipe or a file gets none of it, nor does --quiet (or
// SILLOK_QUIET=1), and standard output, where --json prints, never does.
// The bar is cleared when the work is done, so what stays on the screen
// is the command's own output. The archive package reports progress
// through callbacks (archive.VerifyOptions.Progress and the like); this
// file draws it.

// progressThrottle is how often a bar is redrawn at most.
const progressThrottle = 100 * time.Millisecond

// showProgress says whether the command is to draw progress: stderr is a
// terminal that can redraw a line, and --quiet was not given.
func (a *app) showProgress(c *cli.Context) bool {
	if (c != nil && c.Bool("quiet")) || os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := a.stderr.(*os.File)
	return ok && xterm.IsTerminal(int(f.Fd()))
}

// progress is one bar on stderr, or a status line when the total is not
// known. A nil *progress draws nothing, so a command calls its methods
// without asking whether progress is shown.
type progress struct {
	bar *progressbar.ProgressBar
	// line is the status line drawn instead of a bar, "" once cleared.
	line string
	a    *app
}

// newProgress starts a bar that counts total units (claims, events,
// files: unit names them) of the work what describes ("verifying the
// log"). It returns nil when progress is not shown (showProgress). A
// total below 1 (not known) draws a status line ("what…") instead of a
// bar, until finish. Commands that handle many files (source add of many files, source
// import) use it the same way: one unit a file.
func (a *app) newProgress(c *cli.Context, what string, total int, unit string) *progress {
	if !a.showProgress(c) {
		return nil
	}
	if total < 1 {
		line := what + "…"
		fmt.Fprint(a.stderr, "\r\x1b[K"+line)
		return &progress{a: a, line: line}
	}
	bar := progressbar.NewOptions(total,
		progressbar.OptionSetWriter(a.stderr),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString(unit),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(progressThrottle),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionFullWidth(),
		progressbar.OptionSetRenderBlankState(true),
		progressbar.OptionUseANSICodes(true),
	)
	return &progress{bar: bar, a: a}
}

// set moves the bar to done (of the total it was started with).
func (p *progress) set(done int) {
	if p == nil || p.bar == nil {
		return
	}
	_ = p.bar.Set(done)
}

// finish clears the bar from the terminal. It may be called more than
// once.
func (p *progress) finish() {
	if p == nil {
		return
	}
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
	if p.line != "" {
		fmt.Fprint(p.a.stderr, "\r\x1b[K")
		p.line = ""
	}
}

// phases draws the progress of a walk over the log reported by an
// archive callback (done of total events), then, once the walk is done,
// a spinner saying what follows (then, "" for nothing) until finish.
type phases struct {
	a        *app
	c        *cli.Context
	what     string
	then     string
	cur      *progress
	walkDone bool
}

func (a *app) newPhases(c *cli.Context, what, then string) *phases {
	if !a.showProgress(c) {
		return nil
	}
	return &phases{a: a, c: c, what: what, then: then}
}

// report is the archive's progress callback; nil when nothing is shown
// (so that the archive does not call it at all).
func (ph *phases) report() func(done, total int) {
	if ph == nil {
		return nil
	}
	return func(done, total int) {
		if ph.walkDone {
			return
		}
		if ph.cur == nil {
			ph.cur = ph.a.newProgress(ph.c, ph.what, total, "events")
		}
		ph.cur.set(done)
		if done >= total {
			ph.walkDone = true
			ph.cur.finish()
			ph.cur = nil
			if ph.then != "" {
				ph.cur = ph.a.newProgress(ph.c, ph.then, 0, "")
			}
		}
	}
}

// finish clears whatever is drawn.
func (ph *phases) finish() {
	if ph == nil {
		return
	}
	ph.cur.finish()
	ph.cur = nil
	ph.walkDone = true
}

// fileBars draws the progress of an import of files (archive.ImportOptions
// .Progress): one bar a file, over its claims, named by the file and its
// place among the files.
type fileBars struct {
	a     *app
	c     *cli.Context
	names []string
	file  int
	cur   *progress
}

// importProgress returns the bars of an import of the named files, nil
// when progress is not shown.
func (a *app) importProgress(c *cli.Context, names []string) *fileBars {
	if !a.showProgress(c) {
		return nil
	}
	return &fileBars{a: a, c: c, names: names, file: -1}
}

// report is the import's progress callback; nil when nothing is shown.
func (fb *fileBars) report() func(file, done, total int) {
	if fb == nil {
		return nil
	}
	return func(file, done, total int) {
		if file != fb.file {
			fb.cur.finish()
			fb.file = file
			// A quarter of the width for the name: wide characters
			// count two, and the bar, count, rate and times take the
			// rest.
			name := fitName(fb.names[file], fb.a.stderrWidth()/4)
			what := "importing " + name
			if len(fb.names) > 1 {
				what = fmt.Sprintf("importing %s (file %d of %d)", name, file+1, len(fb.names))
			}
			fb.cur = fb.a.newProgress(fb.c, what, total, "claims")
		}
		fb.cur.set(done)
	}
}

// finish clears the bar drawn, before a line is printed or at the end.
func (fb *fileBars) finish() {
	if fb == nil {
		return
	}
	fb.cur.finish()
	fb.cur = nil
}

// stderrWidth is the width of the terminal on stderr, 0 when unknown.
func (a *app) stderrWidth() int {
	if f, ok := a.stderr.(*os.File); ok {
		if w, _, err := xterm.GetSize(int(f.Fd())); err == nil {
			return w
		}
	}
	return 0
}

// fitName shortens a file name to at most max characters, keeping its
// end (what says most) after "…", so that the progress line fits the
// terminal's width and redraws in place rather than wrapping. A max
// below 8 (the width is unknown, or tiny) keeps the name whole.
func fitName(what string, max int) string {
	r := []rune(what)
	if max < 8 || len(r) <= max {
		return what
	}
	return "…" + string(r[len(r)-max+1:])
}
