package main

import (
	"os"
	"strconv"
	"strings"
	"unicode"

	"github.com/urfave/cli/v2"
	xterm "golang.org/x/term"
	"golang.org/x/text/width"
)

// Tables: columns padded by display width (an East Asian wide character
// takes two columns of a terminal, a combining mark none), sized from
// their content up to a cap, and fitted to the terminal's width. A line
// of a table never exceeds the width unless --wide: a cell too long for
// its column is cut with "…", the last column (free text) is cut or
// wrapped. With no width (stdout is no terminal and COLUMNS is unset)
// nothing is cut: a script reading a pipe gets every value whole.

// runeWidth is how many columns of a terminal r takes.
func runeWidth(r rune) int {
	switch {
	case r == 0x200B || r == 0x200C || r == 0x200D || r == 0x2060 || r == 0xFEFF:
		return 0
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	case r >= 0x1160 && r <= 0x11FF: // Hangul medial vowels and final consonants join the syllable before
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// dispWidth is how many columns of a terminal s takes (s holds no
// control characters: it went through term).
func dispWidth(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			for _, r := range s[i:] {
				n += runeWidth(r)
			}
			return n
		}
		n++
	}
	return n
}

// truncate cuts s to at most w columns, ending it with "…" when cut.
func truncate(s string, w int) string {
	if dispWidth(s) <= w {
		return s
	}
	if w <= 0 {
		return ""
	}
	n := 0
	for i, r := range s {
		rw := runeWidth(r)
		if n+rw > w-1 {
			return s[:i] + "…"
		}
		n += rw
	}
	return s
}

// wrap breaks s into lines of at most w columns, at spaces where it can
// and anywhere else where it must.
func wrap(s string, w int) []string {
	if w <= 0 || dispWidth(s) <= w {
		return []string{s}
	}
	var lines []string
	for dispWidth(s) > w {
		n, cut, lastSpace := 0, len(s), -1
		for i, r := range s {
			rw := runeWidth(r)
			if n+rw > w {
				cut = i
				break
			}
			if r == ' ' {
				lastSpace = i
			}
			n += rw
		}
		if lastSpace > 0 {
			lines = append(lines, strings.TrimRight(s[:lastSpace], " "))
			s = strings.TrimLeft(s[lastSpace:], " ")
			continue
		}
		if cut == 0 { // one character wider than the column
			_, size := firstRune(s)
			cut = size
		}
		lines = append(lines, s[:cut])
		s = s[cut:]
	}
	if s != "" {
		lines = append(lines, s)
	}
	return lines
}

func firstRune(s string) (rune, int) {
	for i, r := range s {
		if i > 0 {
			return r, i
		}
	}
	return 0, len(s)
}

// column is one column of a table.
type column struct {
	min int // the narrowest it is, even when its content is narrower
	max int // the widest it grows from its content (0: no cap); --wide lifts it
	// right aligns the column on the right (numbers).
	right bool
	// wrap wraps the last column instead of cutting it.
	wrap bool
	// keep: narrowed to fit the width only when no other column can be
	// (an id, a status).
	keep bool
}

// cell is one value of a table: its text (through term) and its colour.
type cell struct {
	text  string
	style string // an SGR parameter ("31" red), "" for none
	from  int    // the style starts at this byte of text
}

// plain makes a row of uncoloured cells.
func plain(texts ...string) []cell {
	row := make([]cell, len(texts))
	for i, t := range texts {
		row[i] = cell{text: t}
	}
	return row
}

// table is a list of rows set in columns, separated by sep.
type table struct {
	// lastMin is the narrowest the last column is made to fit a width
	// (0: a third of the width, at least 16).
	lastMin int
	indent  string
	sep     string
	cols    []column
	rows    [][]cell
}

func (t *table) add(row ...cell) { t.rows = append(t.rows, row) }

// layout is how a table is printed: the width it must fit (0: no limit),
// whether to print every cell whole, and whether to colour.
type layout struct {
	width int
	wide  bool
	color bool
}

// widths sizes the columns from their content: with a width, each
// between its min and its cap, then narrowed to fit the width; with no
// width or --wide, as wide as their widest cell, so that every line
// lines up.
func (t *table) widths(l layout) []int {
	ws := make([]int, len(t.cols))
	for i, c := range t.cols {
		ws[i] = c.min
	}
	for _, row := range t.rows {
		for i := range row {
			if i == len(t.cols)-1 {
				break // the last column is not padded
			}
			w := dispWidth(row[i].text)
			if c := t.cols[i]; !l.wide && l.width > 0 && c.max > 0 && w > c.max {
				w = c.max
			}
			if w > ws[i] {
				ws[i] = w
			}
		}
	}
	if l.wide || l.width <= 0 || len(ws) == 0 {
		return ws
	}
	// The last column gets what is left, at least lastMin; if that is not
	// enough, the widest of the others give up columns (down to 8), the
	// ones to keep last.
	const floor = 8
	lastMin := t.lastMin
	if lastMin == 0 {
		lastMin = max(16, l.width/3)
	}
	for {
		used := dispWidth(t.indent) + (len(ws)-1)*dispWidth(t.sep)
		for _, w := range ws[:len(ws)-1] {
			used += w
		}
		if l.width-used >= lastMin {
			ws[len(ws)-1] = l.width - used
			return ws
		}
		widest := -1
		for _, keep := range []bool{false, true} {
			for i, w := range ws[:len(ws)-1] {
				if t.cols[i].keep == keep && w > floor && (widest < 0 || w > ws[widest]) {
					widest = i
				}
			}
			if widest >= 0 {
				break
			}
		}
		if widest < 0 {
			ws[len(ws)-1] = max(l.width-used, 1)
			return ws
		}
		ws[widest]--
	}
}

// lines returns the table's lines, without line ends.
func (t *table) lines(l layout) []string {
	ws := t.widths(l)
	limited := !l.wide && l.width > 0
	var out []string
	for _, row := range t.rows {
		var b strings.Builder
		b.WriteString(t.indent)
		var cont []string // the last column's wrapped lines after the first
		lastStart := dispWidth(t.indent)
		for i, c := range row {
			last := i == len(row)-1
			if i > 0 {
				b.WriteString(t.sep)
			}
			text := c.text
			col := t.cols[min(i, len(t.cols)-1)]
			if limited {
				if last && col.wrap {
					parts := wrap(text, ws[i])
					text, cont = parts[0], parts[1:]
				} else {
					text = truncate(text, ws[i])
				}
			}
			pad := ""
			if !last {
				if n := ws[i] - dispWidth(text); n > 0 {
					pad = strings.Repeat(" ", n)
				}
				lastStart += ws[i] + dispWidth(t.sep)
			}
			if col.right {
				b.WriteString(pad)
				pad = ""
			}
			from := min(c.from, len(text))
			b.WriteString(text[:from] + paint(text[from:], c.style, l.color))
			b.WriteString(pad)
		}
		out = append(out, strings.TrimRight(b.String(), " "))
		for _, c := range cont {
			out = append(out, strings.Repeat(" ", lastStart)+c)
		}
	}
	return out
}

// String is the table, each line ended.
func (t *table) render(l layout) string {
	var b strings.Builder
	for _, line := range t.lines(l) {
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// paint colours s with an SGR style when colour is on.
func paint(s, style string, on bool) string {
	if !on || style == "" || s == "" {
		return s
	}
	return "\x1b[" + style + "m" + s + "\x1b[0m"
}

// Styles of statuses and kinds.
const (
	styleRed    = "31"
	styleGreen  = "32"
	styleYellow = "33"
	styleBlue   = "34"
	styleCyan   = "36"
	styleDim    = "2"
)

// statusStyle is the colour of a status or a kind word.
func statusStyle(s string) string {
	switch s {
	case "conflict", "open", "reopened", "rejected", "retracted", "disputed", "contested":
		return styleRed
	case "resolved", "agreed", "corroborated", "standing":
		return styleGreen
	case "single-source", "single", "superseded":
		return styleYellow
	case "value", "temporal":
		return styleCyan
	case "name":
		return styleBlue
	}
	return ""
}

// wideFlag is --wide, on every command that prints a table.
func wideFlag() cli.Flag {
	return &cli.BoolFlag{Name: "wide", Usage: "print every column whole, however wide the terminal"}
}

// getenv reads the environment (tests set their own).
func (a *app) env(key string) string {
	if a.getenv != nil {
		return a.getenv(key)
	}
	return os.Getenv(key)
}

// stdoutTerminal reports whether stdout is a terminal, and its width.
func (a *app) stdoutTerminal() (bool, int) {
	f, ok := a.stdout.(*os.File)
	if !ok || !xterm.IsTerminal(int(f.Fd())) {
		return false, 0
	}
	w, _, err := xterm.GetSize(int(f.Fd()))
	if err != nil {
		return true, 0
	}
	return true, w
}

// layout is how the command's tables are printed: the width of the
// terminal (COLUMNS when set, a terminal's own width, otherwise no
// limit), --wide, and colour (--color, NO_COLOR).
func (a *app) layout(c *cli.Context) layout {
	tty, w := a.stdoutTerminal()
	if cols, err := strconv.Atoi(strings.TrimSpace(a.env("COLUMNS"))); err == nil && cols > 0 {
		w = cols
	}
	return layout{width: w, wide: c.Bool("wide"), color: colorOn(c.String("color"), tty, a.env("NO_COLOR"))}
}

// colorOn decides colour from --color, whether stdout is a terminal and
// NO_COLOR (https://no-color.org: any value but empty turns colour off,
// unless --color=always).
func colorOn(flag string, tty bool, noColor string) bool {
	switch flag {
	case "always":
		return true
	case "never":
		return false
	}
	return tty && noColor == ""
}

// checkColor checks --color's value.
func checkColor(c *cli.Context, v string) error {
	switch v {
	case "auto", "always", "never":
		return nil
	}
	return usagef(c, "--color is %q; it takes never, auto or always", v)
}
