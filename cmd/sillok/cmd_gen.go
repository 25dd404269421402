package main

import (
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"
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
	sum, err := generate(dir, genOptions{Claims: c.Int("claims"), Seed: c.Uint64("seed"), ClaimsPerFile: c.Int("per-file")})
	if err != nil {
		return err
	}
	archive := ""
	if c.Bool("load") {
		archive = filepath.Join(dir, "sillok.db")
		if err := loadGenerated(a, archive, dir); err != nil {
			return err
		}
	}
	if c.Bool("json") {
		out := map[string]any{"dir": dir, "version": genVersion, "seed": c.Uint64("seed"), "summary": sum}
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
