package main

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"
	"go.yaml.in/yaml/v3"

	archive "github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/sources"
)

// corpus is the bundled example corpus: sources in English, Japanese and
// Korean, their manifest, and claims files. See corpus/README.md.
//
//go:embed corpus
var corpus embed.FS

// demoReview is the verdict the demo records (corpus/expected.yaml).
type demoReview struct {
	Review struct {
		Conflict struct {
			Subject   string `yaml:"subject"`
			Predicate string `yaml:"predicate"`
		} `yaml:"conflict"`
		Accept string `yaml:"accept"`
		Note   string `yaml:"note"`
	} `yaml:"review"`
}

func (a *app) demoCommand() *cli.Command {
	return &cli.Command{
		Name:      "demo",
		Usage:     "build a throw-away archive from the bundled example corpus and walk through it",
		ArgsUsage: "[--dir DIR]",
		Flags:     []cli.Flag{&cli.StringFlag{Name: "dir", Usage: "where to create the demo archive (default: a new temporary directory)"}},
		Action:    a.demo,
	}
}

func (a *app) demo(c *cli.Context) error {
	if err := wantArgs(c, 0, 0); err != nil {
		return err
	}
	if url := c.String("archive"); events.IsURL(url) {
		// sillok --archive postgres://… demo: the demo in that database.
		return a.demoIn(c, url, events.Redact(url))
	}
	dir := c.String("dir")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "sillok-demo-"); err != nil {
			return err
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	dbPath := filepath.Join(dir, "demo.db")
	return a.demoIn(c, dbPath, dbPath)
}

// demoIn runs the demo in a new archive at dbPath (a file or a database
// URL), shown as shown.
func (a *app) demoIn(c *cli.Context, dbPath, shown string) error {
	ar, err := archive.Create(dbPath, a.archiveOptions())
	if err != nil {
		if events.IsURL(dbPath) {
			return fmt.Errorf("%w (the demo needs a database without an archive)", err)
		}
		return fmt.Errorf("%w (give another --dir, or remove the old demo archive)", err)
	}
	defer ar.Close()
	who := "demo"
	a.printf("Sillok demo: a throw-away archive at %s\n\n", shown)

	// 1. Archive the sources.
	var manifest []sources.ManifestEntry
	if err := readCorpusYAML("corpus/sources.yaml", &manifest); err != nil {
		return err
	}
	if _, err := ar.AddSources(who, corpus, "corpus", manifest); err != nil {
		return fmt.Errorf("the corpus: %w", err)
	}
	langs := map[string]int{}
	for _, m := range manifest {
		langs[m.Lang]++
	}
	a.printf("1. Archived %d sources (%d English, %d Japanese, %d Korean), among them a machine translation,\n   a wire story and an outlet's copy of it, and an undated explainer.\n",
		len(manifest), langs["en"], langs["ja"], langs["ko"])

	// 2. Import the claims files.
	files, err := fs.Glob(corpus, "corpus/claims/*.yaml")
	if err != nil {
		return err
	}
	var claimsFiles []archive.ClaimsFile
	for _, f := range files {
		data, err := corpus.ReadFile(f)
		if err != nil {
			return err
		}
		claimsFiles = append(claimsFiles, archive.ClaimsFile{Name: strings.TrimPrefix(f, "corpus/"), Data: data})
	}
	imported, err := ar.ImportClaims(who, claimsFiles, nil)
	if err != nil {
		return err
	}
	claims := 0
	var rev events.Revision
	for _, res := range imported {
		claims += res.Claims
		rev = res.Revision
	}
	a.printf("2. Imported %d claims from %d claims files, each quote anchored in its source (revision %d).\n\n", claims, len(files), rev)
	// 3. The conflicts.
	before, err := ar.Conflicts(archive.ConflictFilter{Status: projections.ConflictOpen, At: archive.Head})
	if err != nil {
		return err
	}
	a.printf("3. The checker flags these contradictions (sillok conflicts):\n\n")
	a.printf("%s\n", indent(renderQueue(before.Items, before.Conflicts, layout{}), "   "))

	// 4. The launch-date conflict in detail.
	var review demoReview
	if err := readCorpusYAML("corpus/expected.yaml", &review); err != nil {
		return err
	}
	var target *projections.Conflict
	for _, cf := range before.Conflicts {
		if cf.Kind == projections.KindValue && cf.Subject == review.Review.Conflict.Subject && cf.Predicate == review.Review.Conflict.Predicate {
			target = cf
		}
	}
	if target == nil {
		return fmt.Errorf("demo: the corpus no longer produces the %s / %s conflict", review.Review.Conflict.Subject, review.Review.Conflict.Predicate)
	}
	d, err := ar.ConflictDetail(string(target.ID), before.Revision)
	if err != nil {
		return err
	}
	a.printf("4. The launch-date conflict side by side (sillok conflicts show %s):\n\n%s\n", target.ID, indent(renderConflictDetail(d), "   "))

	// 5. A fact-checker's verdict.
	reviewed, err := ar.Review("fact-checker", archive.ReviewRequest{Conflict: string(target.ID), Decision: events.DecisionAccept,
		Claim: events.ClaimID(review.Review.Accept), Note: review.Review.Note, Seen: before.Revision})
	if err != nil {
		return err
	}
	a.printf("5. A fact-checker records a verdict (sillok review %s --accept %s --note ...):\n   %s\n\n", target.ID, review.Review.Accept, summarize(reviewed.Event))

	// 6. What the verdict changed.
	ch, err := ar.Diff(before.Revision, reviewed.Event.Revision)
	if err != nil {
		return err
	}
	a.printf("6. What it changed (sillok diff %d):\n\n%s\n", before.Revision, indent(renderChanges(ch), "   "))
	self, install := "sillok", ""
	if a.self != nil {
		self, install = a.self()
	}
	a.printf("Try next:\n")
	for _, cmd := range []string{
		"view 'Disruptive Technology Protection Network'",
		"conflicts --status all",
		"conflicts show " + string(target.ID),
		fmt.Sprintf("diff %d --text", before.Revision),
		"log --from " + fmt.Sprint(before.Revision),
		"verify",
	} {
		a.printf("  %s --archive %s %s\n", self, shellQuote(shown), cmd)
	}
	if install != "" {
		a.printf("\n%s\n", install)
	}
	return nil
}

// installHint is the one line that says how to put sillok on the PATH.
const installHint = "Install sillok once with: go install ./cmd/sillok (from the module's root directory); then it is sillok ..."

// selfCommand says how to run this program again, for the commands the
// demo suggests, and how to install it when it is not installed. A
// program built by "go run" lives in a temporary go-build directory that
// is gone when it exits: from the module's root the suggestions say
// "go run ./cmd/sillok"; elsewhere "sillok" and how to install it. An
// installed program is named as it is found on the PATH, or by its path.
func selfCommand() (command, install string) {
	exe, err := os.Executable()
	if err != nil {
		return "sillok", ""
	}
	if isGoRunBuild(exe) {
		if atModuleRoot() {
			return "go run ./cmd/sillok", installHint
		}
		return "sillok", installHint
	}
	name := filepath.Base(exe)
	if found, err := exec.LookPath(name); err == nil && sameFile(found, exe) {
		return name, ""
	}
	return shellQuote(exe), ""
}

// isGoRunBuild reports whether exe is where "go run" builds a program:
// $TMPDIR/go-build.../b001/exe/NAME.
func isGoRunBuild(exe string) bool {
	dir := filepath.Dir(exe)
	if filepath.Base(dir) != "exe" {
		return false
	}
	for d := filepath.Dir(dir); d != filepath.Dir(d); d = filepath.Dir(d) {
		if strings.HasPrefix(filepath.Base(d), "go-build") {
			return true
		}
	}
	return false
}

// atModuleRoot reports whether the working directory is the root of the
// module sillok is built from, where "go run ./cmd/sillok" works.
func atModuleRoot() bool {
	mod := "github.com/sillok/sillok"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Path != "" {
		mod = bi.Main.Path
	}
	data, err := os.ReadFile("go.mod")
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "module" {
			if _, err := os.Stat(filepath.Join("cmd", "sillok")); err == nil {
				return strings.Trim(f[1], `"`) == mod
			}
			return false
		}
	}
	return false
}

func sameFile(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

func readCorpusYAML(name string, v any) error {
	data, err := corpus.ReadFile(name)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if l != "" && l != "\n" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "")
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./+:") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
