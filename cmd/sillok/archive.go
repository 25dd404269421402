package main

import (
	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
)

// atFlag returns the revision --at asks for, or archive.Head when it is
// not set.
func atFlag(c *cli.Context) events.Revision {
	if !c.IsSet("at") {
		return archive.Head
	}
	return events.Revision(c.Uint64("at"))
}
