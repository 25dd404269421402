package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/events"
)

// checkAuthor refuses an --author (or SILLOK_AUTHOR) that the log would
// refuse, before anything is opened, and says where it came from.
func checkAuthor(_ *cli.Context, s string) error {
	if err := events.ValidAuthor(s); err != nil {
		return fmt.Errorf("--author (or SILLOK_AUTHOR): %w", err)
	}
	return nil
}
