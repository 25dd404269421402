package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/internal/gen"
)

func (a *app) genCommand() *cli.Command {
	return &cli.Command{
		Name:  "gen",
		Usage: "generate a synthetic archive's input (sources, claims files and the ground truth of planted conflicts) for benchmarks and accuracy tests",
		Description: "gen writes DIR/sources/*.txt, DIR/sources.yaml (the manifest, in load order), DIR/claims/*.yaml\n" +
			"(claims files, the first one defining the predicates) and DIR/truth.yaml (the conflicts planted,\n" +
			"and the agreements that must not be flagged). The same --claims and --seed give the same files.\n" +
			"With --load it also loads them into DIR/sillok.db, as `sillok init`, `source add` for each entry of\n" +
			"sources.yaml and `claim import` for each claims file would.",
		ArgsUsage: "--claims N [--seed S] [--per-file N] [--load] DIR",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "claims", Value: 10000, Usage: "how many claims (gen stops at the end of the story that reaches it)"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "the random seed"},
			&cli.IntFlag{Name: "per-file", Value: 2000, Usage: "about how many claims go in one claims file"},
			&cli.BoolFlag{Name: "load", Usage: "also load the set into DIR/sillok.db"},
		},
		Action: a.gen,
	}
}

func (a *app) gen(c *cli.Context) error {
	if err := wantArgs(c, 1, 1); err != nil {
		return err
	}
	if c.Int("claims") < 1 {
		return usagef(c, "--claims must be at least 1")
	}
	if c.Int("per-file") < 1 {
		return usagef(c, "--per-file must be at least 1")
	}
	dir := c.Args().First()
	sum, err := gen.Generate(dir, gen.Options{Claims: c.Int("claims"), Seed: c.Uint64("seed"), ClaimsPerFile: c.Int("per-file")})
	if errors.Is(err, gen.ErrNotEmpty) {
		return fmt.Errorf("%w: give gen a new directory", err)
	}
	if err != nil {
		return err
	}
	archive := ""
	if c.Bool("load") {
		archive = filepath.Join(dir, "sillok.db")
		if err := loadGenerated(a, c, archive, dir); err != nil {
			return err
		}
	}
	if c.Bool("json") {
		out := map[string]any{"dir": dir, "version": gen.Version, "seed": c.Uint64("seed"), "summary": sum}
		if archive != "" {
			out["archive"] = archive
		}
		return a.printJSON(out)
	}
	a.printf("generated %d claims from %d sources in %d claims files under %s (%d facts, %d entities)\n",
		sum.Claims, sum.Sources, sum.ClaimsFiles, dir, sum.Facts, sum.Entities)
	var kinds []string
	for k := range sum.Planted {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var parts []string
	for _, k := range kinds {
		parts = append(parts, k+" "+strconv.Itoa(sum.Planted[k]))
	}
	a.printf("planted (truth.yaml): %s\n", strings.Join(parts, ", "))
	if archive != "" {
		a.printf("loaded into %s\n", archive)
	}
	return nil
}

// loadGenerated creates the archive at path and loads the set gen wrote in
// dir into it, as `sillok init`, `sillok source add` for each entry of
// sources.yaml (one transaction each) and `sillok claim import` for each
// claims file (one transaction each) would.
func loadGenerated(a *app, c *cli.Context, path, dir string) error {
	if err := notThroughServer(c); err != nil {
		return err
	}
	ar, err := archive.Create(path, a.archiveOptions())
	if err != nil {
		return err
	}
	defer ar.Close()
	// gen.Load, with progress: the sources, then the claims files.
	line := a.newProgress(c, "archiving the sources", 0, "")
	err = gen.AddSources(ar, "gen", dir)
	line.finish()
	if err != nil {
		return err
	}
	names, err := gen.ClaimsFiles(dir)
	if err != nil {
		return err
	}
	bars := a.importProgress(c, names)
	defer bars.finish()
	_, err = ar.ImportClaimsWith("gen", gen.ArchiveFiles(names), archive.ImportOptions{Progress: bars.report(), Done: func(archive.Imported) { bars.finish() }})
	return err
}
