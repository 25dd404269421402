package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/provenance/bagit"
)

func (a *app) bagCommand() *cli.Command {
	return &cli.Command{
		Name:  "bag",
		Usage: "work with BagIt bags (RFC 8493)",
		Subcommands: []*cli.Command{
			{
				Name:      "validate",
				Usage:     "check that a directory is a valid BagIt bag (1.0, or 0.97): exit 0 when valid, 1 with what is wrong; warnings on standard error",
				ArgsUsage: "DIR",
				Action:    a.bagValidate,
			},
		},
	}
}

// bagValidateJSON is what bag validate --json prints.
type bagValidateJSON struct {
	Dir      string   `json:"dir"`
	Valid    bool     `json:"valid"`
	Version  string   `json:"version,omitempty"`
	Files    int      `json:"files"`
	Problems []string `json:"problems"`
	Warnings []string `json:"warnings"`
}

// validateBag validates dir, with progress, and prints its warnings on
// stderr.
func (a *app) validateBag(c *cli.Context, dir string) (*bagit.Result, error) {
	var p *progress
	res, err := bagit.Validate(dir, bagit.Options{Progress: func(done, total int64) {
		if p == nil && a.showProgress(c) {
			p = a.newProgress(c, "checking the bag", int(total), "bytes")
		}
		p.set(int(done))
	}})
	p.finish()
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no bag at %s: there is no such directory", dir)
		}
		return nil, err
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(a.stderr, "sillok: warning: "+term(w))
	}
	return res, nil
}

func (a *app) bagValidate(c *cli.Context) error {
	if err := wantArgs(c, 1, 1); err != nil {
		return err
	}
	dir := c.Args().First()
	res, err := a.validateBag(c, dir)
	if err != nil {
		return err
	}
	if c.Bool("json") {
		out := bagValidateJSON{Dir: dir, Valid: res.Valid(), Version: res.Version, Files: len(res.Payload), Problems: res.Problems, Warnings: res.Warnings}
		if out.Problems == nil {
			out.Problems = []string{}
		}
		if out.Warnings == nil {
			out.Warnings = []string{}
		}
		if err := a.printJSON(out); err != nil {
			return err
		}
		if !res.Valid() {
			return &exitError{code: 1}
		}
		return nil
	}
	if !res.Valid() {
		return &exitError{code: 1, msg: fmt.Sprintf("%s is not a valid bag:\n  %s", dir, strings.Join(res.Problems, "\n  "))}
	}
	oxum, _ := res.Info.Get("Payload-Oxum")
	if oxum != "" {
		oxum = ", Payload-Oxum " + oxum
	}
	a.printf("%s is a valid BagIt %s bag: %d payload files%s\n", term(dir), res.Version, len(res.Payload), term(oxum))
	return nil
}

func (a *app) importCommand() *cli.Command {
	return &cli.Command{
		Name:  "import",
		Usage: "build a new archive from an exported one",
		Subcommands: []*cli.Command{
			{
				Name:      "bag",
				Usage:     "check a bag written by sillok export bag and build a new archive (--archive) from it, identical in every event and hash",
				ArgsUsage: "DIR [--archive NEW]",
				Action:    a.importBag,
			},
		},
	}
}

func (a *app) importBag(c *cli.Context) error {
	if err := wantArgs(c, 1, 1); err != nil {
		return err
	}
	dir, path := c.Args().First(), c.String("archive")
	if _, err := os.Lstat(path); err == nil && !events.IsURL(path) {
		return fmt.Errorf("%s already exists; sillok import bag builds a new archive: name another with --archive", path)
	}
	res, err := a.validateBag(c, dir)
	if err != nil {
		return err
	}
	if !res.Valid() {
		return &exitError{code: 1, msg: fmt.Sprintf("%s is not a valid bag, and nothing was imported:\n  %s", dir, strings.Join(res.Problems, "\n  "))}
	}
	defer limitRebuildMemory()()
	ph := a.newPhases(c, "importing the log", "rebuilding the read model")
	rep, err := archive.ImportBag(dir, path, a.archiveOptions(), archive.ImportBagOptions{Validated: res, Progress: ph.report()})
	ph.finish()
	if err != nil {
		if archive.ErrorCode(err) == archive.Invalid {
			return fmt.Errorf("%w; nothing was imported", err)
		}
		return err
	}
	if c.Bool("json") {
		return a.printJSON(rep)
	}
	a.printf("imported the bag %s into %s: revision %s, %d events, %d sources\n",
		term(dir), term(events.Redact(path)), archive.Pin{Rev: rep.Revision, Hash: rep.Hash}, rep.Events, rep.Sources)
	return nil
}
