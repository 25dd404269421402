package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/archive"
)

// outputFlag is --output of the exports that write a document.
func outputFlag() cli.Flag {
	return &cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to `FILE` (whole or not at all: a temporary file renamed at the end) instead of standard output"}
}

func (a *app) exportCommand() *cli.Command {
	at := func() cli.Flag {
		return &cli.Uint64Flag{Name: "at", Usage: "as it was at this revision", DefaultText: "the head"}
	}
	return &cli.Command{
		Name:  "export",
		Usage: "write the archive, or what it concludes, in a form other tools read: a BagIt bag, ClaimReview, Web Annotations, CSV",
		Subcommands: []*cli.Command{
			{
				Name:      "bag",
				Usage:     "write the whole archive (the log and the sources' bytes) as a BagIt 1.0 bag in a new directory; sillok import bag reads it back",
				ArgsUsage: "DIR [--organization NAME] [--description TEXT]",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "organization", Usage: "the bag's Source-Organization: who keeps the archive"},
					&cli.StringFlag{Name: "description", Usage: "the bag's External-Description", DefaultText: "what the bag holds"},
				},
				Action: a.exportBag,
			},
			{
				Name:      "claimreview",
				Usage:     "write schema.org ClaimReview JSON-LD for every claim a verdict rejected, as fact-checkers publish them",
				ArgsUsage: "[--at REV] [--organization NAME --url URL] [--output FILE]",
				Flags: []cli.Flag{
					at(),
					&cli.StringFlag{Name: "organization", Usage: "who publishes the reviews (their author)", DefaultText: "each verdict's reviewer"},
					&cli.StringFlag{Name: "url", Usage: "where the archive's pages are served (sillok serve): each review's url is URL/conflicts/ID"},
					outputFlag(),
				},
				Action: a.exportDocument(backend.ExportClaimReview, "writing ClaimReviews", "reviews"),
			},
			{
				Name:      "annotations",
				Usage:     "write a W3C Web Annotation for every claim: its quote in its source, as a JSON-LD AnnotationCollection",
				ArgsUsage: "[--url URL] [--output FILE]",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "url", Usage: "where the archive's pages are served (sillok serve): each annotation's id is URL/claims/ID"},
					outputFlag(),
				},
				Action: a.exportDocument(backend.ExportAnnotations, "writing annotations", "events"),
			},
			{
				Name:      "csv",
				Usage:     "write the claims, the conflicts or the reconciled view as CSV (RFC 4180) with a header row",
				ArgsUsage: "claims|conflicts|view [--at REV] [--output FILE]",
				Flags:     []cli.Flag{at(), outputFlag()},
				Action:    a.exportCSV,
			},
		},
	}
}

// exportDocument is the action of an export that writes one document.
func (a *app) exportDocument(export func(backend, io.Writer, archive.ExportOptions) error, what, unit string) cli.ActionFunc {
	return func(c *cli.Context) error {
		if err := wantArgs(c, 0, 0); err != nil {
			return err
		}
		return a.runExport(c, what, unit, export)
	}
}

func (a *app) exportCSV(c *cli.Context) error {
	if err := wantArgs(c, 1, 1); err != nil {
		return err
	}
	var export func(backend, io.Writer, archive.ExportOptions) error
	switch table := c.Args().First(); table {
	case "claims":
		export = backend.ExportClaimsCSV
	case "conflicts":
		export = backend.ExportConflictsCSV
	case "view":
		export = backend.ExportViewCSV
	default:
		return usagef(c, "export csv writes claims, conflicts or view, not %q", table)
	}
	return a.runExport(c, "writing CSV", "rows", export)
}

// runExport opens the archive read-only and runs export into standard
// output or --output.
func (a *app) runExport(c *cli.Context, what, unit string, export func(backend, io.Writer, archive.ExportOptions) error) error {
	if c.IsSet("url") && c.String("url") != "" && !strings.Contains(c.String("url"), "://") {
		return usagef(c, "--url %q is not a URL (https://...)", c.String("url"))
	}
	// An export reads the whole state at a revision (as rebuild does),
	// and the collector keeps it near what is live.
	defer limitRebuildMemory()()
	ar, err := a.open(c, false)
	if err != nil {
		return err
	}
	defer ar.Close()
	opts := archive.ExportOptions{At: archive.Head, Organization: c.String("organization"), URL: c.String("url")}
	if c.IsSet("at") {
		opts.At = atFlag(c)
	}
	var p *progress
	defer func() { p.finish() }()
	opts.Progress = func(done, total int) {
		if p == nil && a.showProgress(c) {
			p = a.newProgress(c, what, total, unit)
		}
		p.set(done)
	}
	return a.writeOutput(c, func(w io.Writer) error { return export(ar, w, opts) })
}

// writeOutput runs write into standard output, or into --output FILE: a
// temporary file in the same directory, synced and renamed to FILE once
// write succeeded, so that FILE is whole or untouched.
func (a *app) writeOutput(c *cli.Context, write func(io.Writer) error) error {
	name := c.String("output")
	if name == "" || name == "-" {
		return write(a.stdout)
	}
	if fi, err := os.Stat(name); err == nil && fi.IsDir() {
		return fmt.Errorf("--output %s is a directory", name)
	}
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-")
	if err != nil {
		return fmt.Errorf("--output %s: %w", name, err)
	}
	done := false
	defer func() {
		if !done {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := write(bw); err != nil {
		return err
	}
	err = bw.Flush()
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		return fmt.Errorf("--output %s: %w", name, err)
	}
	done = true
	if d, err := os.Open(filepath.Dir(name)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

func (a *app) exportBag(c *cli.Context) error {
	if err := wantArgs(c, 1, 1); err != nil {
		return err
	}
	dir := c.Args().First()
	ar, err := a.open(c, false)
	if err != nil {
		return err
	}
	defer ar.Close()
	ph := a.newPhases(c, "writing the log", "writing the sources")
	rep, err := ar.ExportBag(dir, archive.BagOptions{Organization: c.String("organization"), Description: c.String("description"), Now: a.now, Progress: ph.report()})
	ph.finish()
	if err != nil {
		return err
	}
	if c.Bool("json") {
		return a.printJSON(rep)
	}
	a.printf("exported revision %s to the bag %s: %d events, %d sources, Payload-Oxum %s\n",
		archive.Pin{Rev: rep.Revision, Hash: rep.Hash}, term(dir), rep.Events, rep.Sources, rep.PayloadOxum)
	return nil
}
