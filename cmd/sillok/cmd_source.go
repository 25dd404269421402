package main

import (
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/sources"
)

func (a *app) sourceCommand() *cli.Command {
	return &cli.Command{
		Name:  "source",
		Usage: "archive sources and look at them",
		Subcommands: []*cli.Command{
			{
				Name:      "add",
				Usage:     "archive a source file (plain text or HTML) with its metadata",
				ArgsUsage: "FILE [--id SLUG] [--title T] [--url U] [--publisher P] [--lang L] [--published DATE] [--retrieved DATE] [--translation-of ID] [--translator NAME]",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "id", Usage: "a short slug (default: derived from the digest)"},
					&cli.StringFlag{Name: "title"},
					&cli.StringFlag{Name: "url"},
					&cli.StringFlag{Name: "publisher"},
					&cli.StringFlag{Name: "lang", Usage: "BCP 47 language tag (en, ja, ko)"},
					&cli.StringFlag{Name: "published", Usage: "date (2023-01-07) or RFC 3339 date-time with zone"},
					&cli.StringFlag{Name: "retrieved", Usage: "date or RFC 3339 date-time"},
					&cli.StringFlag{Name: "translation-of", Usage: "id of the archived source this translates"},
					&cli.StringFlag{Name: "translator", Usage: "person or machine translation engine"},
				},
				Action: a.sourceAdd,
			},
			{
				Name:      "list",
				Usage:     "list archived sources",
				ArgsUsage: " ",
				Action:    a.sourceList,
			},
			{
				Name:      "show",
				Usage:     "show a source's metadata (--text: the normalized text quotes are matched against)",
				ArgsUsage: "ID [--text]",
				Flags:     []cli.Flag{&cli.BoolFlag{Name: "text", Usage: "print the normalized text"}},
				Action:    a.sourceShow,
			},
		},
	}
}

// readSourceFile reads at most MaxSourceBytes+1 bytes of a file.
func readSourceFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%s is a directory, not a source file", name)
	}
	raw, err := io.ReadAll(io.LimitReader(f, sources.MaxSourceBytes+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > sources.MaxSourceBytes {
		return nil, fmt.Errorf("%s: %w", name, sources.ErrTooLarge)
	}
	return raw, nil
}

func (a *app) sourceAdd(c *cli.Context) error {
	if err := wantArgs(c, 1, 1); err != nil {
		return err
	}
	name := c.Args().First()
	raw, err := readSourceFile(name)
	if err != nil {
		return err
	}
	meta := sources.Meta{
		ID: events.SourceID(c.String("id")), Title: c.String("title"), URL: c.String("url"),
		Publisher: c.String("publisher"), Lang: c.String("lang"), Published: c.String("published"),
		Retrieved: c.String("retrieved"), TranslationOf: events.SourceID(c.String("translation-of")),
		Translator: c.String("translator"),
	}
	log, err := a.open(c, true)
	if err != nil {
		return err
	}
	defer log.Close()
	var res sources.Added
	err = a.update(log, func(tx *events.Tx) error {
		var err error
		res, err = sources.Add(tx, author(c), raw, meta)
		return err
	})
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if c.Bool("json") {
		return a.printJSON(map[string]any{"id": res.Source.ID, "sha256": res.Source.Digest.Hex(), "revision": res.Revision, "created": res.Created})
	}
	if res.Created {
		a.printf("archived %s as %s (%s, %d bytes) at revision %d\n", name, res.Source.ID, res.Source.Digest, res.Source.Size, res.Revision)
	} else {
		a.printf("%s is already archived as %s (revision %d); nothing added\n", name, res.Source.ID, res.Revision)
		if meta.ID != "" && meta.ID != res.Source.ID {
			a.printf("note: --id %s was not used; the bytes keep their id %s\n", meta.ID, res.Source.ID)
		}
	}
	return nil
}

type sourceInfo struct {
	*events.SourceArchived
	Revision events.Revision `json:"revision"`
	Claims   int             `json:"claims"`
}

// listSources reads every archived source in revision order.
func listSources(tx *events.Tx) ([]sourceInfo, error) {
	var out []sourceInfo
	err := tx.IndexKeys(events.IndexSourceID, func(key string, rev events.Revision) error {
		src, _, err := sources.Lookup(tx, events.SourceID(key))
		if err != nil {
			return err
		}
		out = append(out, sourceInfo{SourceArchived: src, Revision: rev})
		return nil
	})
	sortBy(out, func(s sourceInfo) events.Revision { return s.Revision })
	return out, err
}

func (a *app) sourceList(c *cli.Context) error {
	if err := wantArgs(c, 0, 0); err != nil {
		return err
	}
	log, err := a.open(c, false)
	if err != nil {
		return err
	}
	defer log.Close()
	var list []sourceInfo
	err = a.read(log, headRev, func(r *reader) error {
		var err error
		if list, err = listSources(r.tx); err != nil {
			return err
		}
		counts := r.state.ClaimsCiting()
		for i := range list {
			list[i].Claims = counts[list[i].ID]
		}
		return nil
	})
	if err != nil {
		return err
	}
	if c.Bool("json") {
		if list == nil {
			list = []sourceInfo{}
		}
		return a.printJSON(map[string]any{"sources": list})
	}
	for _, s := range list {
		pub := s.Published
		if pub == "" {
			pub = "(undated)"
		}
		a.printf("%-28s %-3s %-26s %3d claims  %s\n", s.ID, term(s.Lang), pub, s.Claims, term(s.Title))
	}
	return nil
}

func (a *app) sourceShow(c *cli.Context) error {
	if err := wantArgs(c, 1, 1); err != nil {
		return err
	}
	log, err := a.open(c, false)
	if err != nil {
		return err
	}
	defer log.Close()
	var info sourceInfo
	var text string
	err = a.read(log, headRev, func(r *reader) error {
		src, rev, err := sources.Lookup(r.tx, events.SourceID(c.Args().First()))
		if err != nil {
			return err
		}
		info = sourceInfo{SourceArchived: src, Revision: rev, Claims: r.state.ClaimsCiting()[src.ID]}
		text, err = sources.StoredText(r.tx, src)
		return err
	})
	if err != nil {
		return err
	}
	if c.Bool("text") {
		if c.Bool("json") {
			return a.printJSON(map[string]any{"id": info.ID, "normalization": sources.NormalizationVersion, "text": text})
		}
		a.printf("%s\n", text)
		return nil
	}
	if c.Bool("json") {
		return a.printJSON(info)
	}
	s := info
	rows := [][2]string{
		{"id", string(s.ID)}, {"title", s.Title}, {"publisher", s.Publisher}, {"url", s.URL},
		{"language", s.Lang}, {"published", s.Published}, {"retrieved", s.Retrieved},
		{"translation of", string(s.TranslationOf)}, {"translator", s.Translator},
		{"digest", s.Digest.String()}, {"size", fmt.Sprintf("%d bytes (%s)", s.Size, s.MediaType)},
		{"archived at", fmt.Sprintf("revision %d", s.Revision)}, {"claims citing it", fmt.Sprint(s.Claims)},
	}
	for _, r := range rows {
		if r[1] != "" {
			a.printf("%-17s %s\n", r[0]+":", term(r[1]))
		}
	}
	return nil
}
