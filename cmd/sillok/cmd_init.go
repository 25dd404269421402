package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
)

func (a *app) initCommand() *cli.Command {
	return &cli.Command{
		Name:      "init",
		Usage:     "create a new, empty archive",
		ArgsUsage: " ",
		Action: func(c *cli.Context) error {
			if err := wantArgs(c, 0, 0); err != nil {
				return err
			}
			if err := notThroughServer(c); err != nil {
				return err
			}
			path := c.String("archive")
			ar, err := archive.Create(path, a.archiveOptions())
			if errors.Is(err, events.ErrExists) {
				// An existing archive is fine; anything else at that path is not.
				ar, oerr := a.openArchive(c, false)
				if oerr != nil {
					return oerr
				}
				rev, _, herr := ar.Head()
				ar.Close()
				if herr != nil {
					return herr
				}
				return a.reportInit(c, events.Redact(path), false, rev)
			}
			if err != nil {
				return createError(events.Redact(path), err)
			}
			if err := ar.Close(); err != nil {
				if !events.IsURL(path) {
					os.Remove(path) // a half-written archive is no archive
				}
				return createError(events.Redact(path), err)
			}
			return a.reportInit(c, events.Redact(path), true, 0)
		},
	}
}

func (a *app) reportInit(c *cli.Context, path string, created bool, rev events.Revision) error {
	if c.Bool("json") {
		return a.printJSON(map[string]any{"archive": path, "created": created, "revision": rev, "format": events.FormatVersion})
	}
	if created {
		a.printf("created archive %s (format %d)\n", path, events.FormatVersion)
	} else {
		a.printf("archive %s already exists (revision %d); nothing changed\n", path, rev)
	}
	return nil
}

// createError says why init could not create the archive at path, in the
// user's terms: "cannot create the archive X: no space left on device".
func createError(path string, err error) error {
	var pe *events.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	var hint string
	if errors.Is(err, fs.ErrNotExist) {
		hint = fmt.Sprintf(" (the directory %s does not exist)", filepath.Dir(path))
	}
	return fmt.Errorf("cannot create the archive %s: %w%s", path, err, hint)
}
