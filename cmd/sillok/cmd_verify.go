package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
)

// verifyReport is what verify --json prints.
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
			var pins []archive.Pin
			for _, v := range c.StringSlice("expect") {
				p, err := parsePin(v)
				if err != nil {
					return usagef(c, "--expect %q: %v", v, err)
				}
				pins = append(pins, p)
			}
			if err := notThroughServer(c); err != nil {
				return err
			}
			path := c.String("archive")
			then := "checking the stored checkpoints"
			if c.Bool("replay") {
				then = "replaying the log to compare the stored checkpoints"
			}
			ph := a.newPhases(c, "verifying the log", then)
			rep, err := archive.VerifyFile(path, a.archiveOptions(), archive.VerifyOptions{Replay: c.Bool("replay"), Expect: pins, Progress: ph.report()})
			ph.finish()
			if err != nil {
				return servedHint(noArchiveHint(err, path), path)
			}
			return a.printVerify(c, cliVerifyReport(rep), events.Redact(path))
		},
	}
}

// cliVerifyReport is the report as verify prints it: each problem with
// the command that repairs it, or says it refuses.
func cliVerifyReport(rep *archive.VerifyReport) verifyReport {
	out := verifyReport{Events: rep.Events, Sources: rep.Sources, Claims: rep.Claims, Head: rep.Head}
	if !rep.Damaged {
		out.HeadHash = rep.HeadHash.String()
	}
	for _, p := range rep.Problems {
		q := p.Problem
		switch p.Remedy {
		case archive.RemedyRebuild:
			q.Message += " (sillok rebuild repairs it)"
		case archive.RemedyRestore:
			q.Message += "; restore the archive from a copy (sillok rebuild refuses it)"
		}
		out.Problems = append(out.Problems, q)
	}
	return out
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

// parsePin parses --expect's REV:HASH.
func parsePin(s string) (archive.Pin, error) {
	if !strings.Contains(s, ":") {
		return archive.Pin{}, errors.New("want REV:HASH, a revision and its hash as sillok head prints them")
	}
	return archive.ParsePin(s)
}
