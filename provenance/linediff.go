package provenance

import (
	"fmt"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// UnifiedDiff is a unified line diff from text a (named nameA) to text b
// (nameB), with three lines of context around each change, or "" when
// the texts have the same lines. It runs go-diff's line mode without a
// time limit, so the result does not depend on the machine's load.
func UnifiedDiff(nameA, nameB, a, b string) string {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	ca, cb, lines := dmp.DiffLinesToChars(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), lines)
	type line struct {
		op   byte
		text string
	}
	var all []line
	for _, d := range diffs {
		op := byte(' ')
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = '-'
		case diffmatchpatch.DiffInsert:
			op = '+'
		}
		for _, l := range strings.SplitAfter(d.Text, "\n") {
			if l != "" {
				all = append(all, line{op, strings.TrimSuffix(l, "\n")})
			}
		}
	}
	const ctx = 3
	keep := make([]bool, len(all))
	changed := false
	for i, l := range all {
		if l.op != ' ' {
			changed = true
			for j := max(0, i-ctx); j <= min(len(all)-1, i+ctx); j++ {
				keep[j] = true
			}
		}
	}
	if !changed {
		return ""
	}
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", nameA, nameB)
	na, nb := 1, 1
	for i := 0; i < len(all); {
		if !keep[i] {
			if all[i].op != '+' {
				na++
			}
			if all[i].op != '-' {
				nb++
			}
			i++
			continue
		}
		j := i
		ca, cb := 0, 0
		for ; j < len(all) && keep[j]; j++ {
			if all[j].op != '+' {
				ca++
			}
			if all[j].op != '-' {
				cb++
			}
		}
		fmt.Fprintf(&out, "@@ -%d,%d +%d,%d @@\n", na, ca, nb, cb)
		for k := i; k < j; k++ {
			out.WriteString(string(all[k].op) + all[k].text + "\n")
		}
		na, nb = na+ca, nb+cb
		i = j
	}
	return out.String()
}
