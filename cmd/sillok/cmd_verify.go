package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/events"
)

type verifyReport struct {
	OK       bool             `json:"ok"`
	Events   int              `json:"events"`
	Sources  int              `json:"sources"`
	Claims   int              `json:"claims"`
	Head     events.Revision  `json:"head"`
	HeadHash string           `json:"head_hash"`
	Problems []events.Problem `json:"problems"`
}

func (a *app) verifyCommand() *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "check the hash chain, the fixity of every source and every quote anchor",
		ArgsUsage: " ",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "replay", Usage: "also replay the log and compare every stored projection checkpoint with it (as slow as a rebuild)"},
			&cli.StringSliceFlag{Name: "expect", Usage: "`REV:HASH` (as sillok head prints it): fail unless the log still holds that event with that hash; may be repeated"},
		},
		Action: func(c *cli.Context) error {
			if err := wantArgs(c, 0, 0); err != nil {
				return err
			}
			var pins []expectedPin
			for _, v := range c.StringSlice("expect") {
				p, err := parsePin(v)
				if err != nil {
					return usagef(c, "--expect %q: %v", v, err)
				}
				pins = append(pins, p)
			}
			log, err := a.open(c, false)
			var damaged *events.DamagedError
			if errors.As(err, &damaged) {
				// Nothing can be read: the damage is the report.
				return a.printVerify(c, verifyReport{Problems: []events.Problem{{Message: "the archive file is damaged: " + damaged.What}}}, c.String("archive"))
			}
			if err != nil {
				return err
			}
			defer log.Close()
			var rep verifyReport
			err = log.View(func(tx *events.Tx) error {
				r, err := a.verifyArchive(tx, c.Bool("replay"))
				rep = r
				if err != nil {
					return err
				}
				head, hash := tx.Head()
				rep.HeadHash = hash.String()
				for _, p := range pins {
					if msg := p.check(tx, head); msg != "" {
						rep.Problems = append(rep.Problems, events.Problem{Revision: p.rev, Message: msg})
					}
				}
				return nil
			})
			if errors.As(err, &damaged) {
				// The walk stopped at the damage: report it with what
				// was found before it.
				rep.Problems = append(rep.Problems, events.Problem{Message: "the archive file is damaged: " + damaged.What})
				err = nil
			}
			if err != nil {
				return err
			}
			return a.printVerify(c, rep, log.Path())
		},
	}
}

// printVerify prints the report and returns the exit status's error.
func (a *app) printVerify(c *cli.Context, rep verifyReport, path string) error {
	rep.OK = len(rep.Problems) == 0
	if rep.Problems == nil {
		rep.Problems = []events.Problem{}
	}
	if c.Bool("json") {
		if err := a.printJSON(rep); err != nil {
			return err
		}
	} else {
		for _, p := range rep.Problems {
			a.printf("PROBLEM %s\n", p)
		}
		// The head as head prints it, to pin (verify --expect).
		head := strconv.FormatUint(uint64(rep.Head), 10)
		if rep.Head > 0 && rep.HeadHash != "" {
			head += ":" + rep.HeadHash
		}
		a.printf("%d events (head %s), %d sources, %d claims: ", rep.Events, head, rep.Sources, rep.Claims)
		if rep.OK {
			a.printf("ok\n")
		} else {
			a.printf("%d problem(s)\n", len(rep.Problems))
		}
	}
	if !rep.OK {
		return &exitError{code: 1, msg: fmt.Sprintf("verify found %d problem(s) in %s", len(rep.Problems), path)}
	}
	return nil
}

// expectedPin is a --expect REV:HASH.
type expectedPin struct {
	rev  events.Revision
	hash events.Digest
}

// parsePin parses REV:HASH, HASH with or without its "sha256:" prefix.
func parsePin(s string) (expectedPin, error) {
	revText, hashText, ok := strings.Cut(s, ":")
	if !ok {
		return expectedPin{}, errors.New("want REV:HASH, a revision and its hash as sillok head prints them")
	}
	rev, err := strconv.ParseUint(revText, 10, 64)
	if err != nil || rev == 0 {
		return expectedPin{}, fmt.Errorf("%q is not a revision (a whole number from 1)", revText)
	}
	hash, err := events.ParseDigest(hashText)
	if err != nil {
		return expectedPin{}, fmt.Errorf("%q is not a hash (64 hex digits, optionally after \"sha256:\")", hashText)
	}
	return expectedPin{events.Revision(rev), hash}, nil
}

// check says what is wrong with the pin in the log ("" when the log holds
// the event with that hash).
func (p expectedPin) check(tx *events.Tx, head events.Revision) string {
	if p.rev > head {
		return fmt.Sprintf("the log was cut short after revision %d: the expected revision %d (hash %s) is not in it", head, p.rev, p.hash)
	}
	e, err := tx.Event(p.rev)
	if err != nil {
		return fmt.Sprintf("the expected event (hash %s) cannot be read: %v", p.hash, err)
	}
	if e.Hash != p.hash {
		return fmt.Sprintf("the event's hash is %s, not the expected %s: the log was rewritten", e.Hash, p.hash)
	}
	return ""
}
