package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/sillok/sillok/archive"
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
				Usage:     "archive source files (plain text or HTML) with their metadata; several files are one transaction",
				ArgsUsage: "FILE... [--id SLUG] [--title T] [--url U] [--publisher P] [--lang L] [--published DATE] [--retrieved DATE] [--translation-of ID] [--translator NAME]",
				Flags: append([]cli.Flag{
					&cli.StringFlag{Name: "id", Usage: "a short slug (default: derived from the digest)"},
				}, metadataFlags()...),
				Action: a.sourceAdd,
			},
			{
				Name:      "import",
				Usage:     "archive the sources a manifest (YAML, JSON or CSV) lists, in one transaction",
				ArgsUsage: "MANIFEST",
				Action:    a.sourceImport,
			},
			{
				Name:      "edit",
				Usage:     "correct a source's metadata (recorded as an event; the source's bytes and history stay)",
				ArgsUsage: "ID [--title T] [--url U] [--publisher P] [--lang L] [--published DATE] [--retrieved DATE] [--translation-of ID] [--translator NAME] [--clear FIELD]... [--note N]",
				Flags: append(metadataFlags(),
					&cli.StringSliceFlag{Name: "clear", Usage: "empty a field: " + strings.Join(editFlagNames(), ", ") + " (repeat for more)"},
					&cli.StringFlag{Name: "note", Usage: "why"},
				),
				Action: a.sourceEdit,
			},
			{
				Name:      "list",
				Usage:     "list archived sources",
				ArgsUsage: " ",
				Flags:     []cli.Flag{wideFlag()},
				Action:    a.sourceList,
			},
			{
				Name:      "show",
				Usage:     "show a source's metadata (--text: the normalized text quotes are matched against)",
				ArgsUsage: "ID [--text [--quotes]]",
				Flags: []cli.Flag{&cli.BoolFlag{Name: "text", Usage: "print the normalized text, in the paragraphs of the source"},
					&cli.BoolFlag{Name: "quotes", Usage: "with --text, mark every anchored quote: «quote»[claim ids]"}},
				Action: a.sourceShow,
			},
		},
	}
}

// metadataFlags are the flags of a source's metadata, for add and edit.
func metadataFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "title"},
		&cli.StringFlag{Name: "url"},
		&cli.StringFlag{Name: "publisher"},
		&cli.StringFlag{Name: "lang", Usage: "BCP 47 language tag (en, ja, ko)"},
		&cli.StringFlag{Name: "published", Usage: "date (2023-01-07) or RFC 3339 date-time with zone"},
		&cli.StringFlag{Name: "retrieved", Usage: "date or RFC 3339 date-time"},
		&cli.StringFlag{Name: "translation-of", Usage: "id of the archived source this translates"},
		&cli.StringFlag{Name: "translator", Usage: "person or machine translation engine (needs --translation-of)"},
	}
}

// metaFromFlags reads the metadata flags.
func metaFromFlags(c *cli.Context) sources.Meta {
	return sources.Meta{
		ID: events.SourceID(c.String("id")), Title: c.String("title"), URL: c.String("url"),
		Publisher: c.String("publisher"), Lang: c.String("lang"), Published: c.String("published"),
		Retrieved: c.String("retrieved"), TranslationOf: events.SourceID(c.String("translation-of")),
		Translator: c.String("translator"),
	}
}

// fieldFlag is the flag of a metadata field (events.SourceFields).
func fieldFlag(field string) string { return strings.ReplaceAll(field, "_", "-") }

// editFlagNames are the flags of the metadata fields, as --clear takes them.
func editFlagNames() []string {
	var out []string
	for _, f := range events.SourceFields {
		out = append(out, fieldFlag(f))
	}
	return out
}

// shellWord quotes s for a shell when it needs it.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// metaMismatchError explains bytes re-added with other metadata, and the
// command that would correct the stored metadata.
func metaMismatchError(name string, mm *sources.MetaMismatch) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %v", name, mm)
	var fix []string
	for _, d := range mm.Diffs {
		if d.Field == "id" {
			fmt.Fprintf(&b, "\n  a source keeps the id it was archived with; drop --id, or use --id %s", mm.ID)
			continue
		}
		fix = append(fix, "--"+fieldFlag(d.Field)+" "+shellWord(d.Given))
	}
	if len(fix) > 0 {
		fmt.Fprintf(&b, "\n  to correct the stored metadata: sillok source edit %s %s", mm.ID, strings.Join(fix, " "))
	}
	return errors.New(b.String())
}

func (a *app) sourceAdd(c *cli.Context) error {
	if err := wantArgs(c, 1, -1); err != nil {
		return err
	}
	if c.NArg() > 1 {
		return a.sourceAddMany(c)
	}
	name := c.Args().First()
	raw, err := archive.ReadSourceFile(name)
	if err != nil {
		return err
	}
	meta := metaFromFlags(c)
	ar, err := a.open(c, true)
	if err != nil {
		return err
	}
	defer ar.Close()
	res, err := ar.AddSource(author(c), raw, meta)
	if mm := (*sources.MetaMismatch)(nil); errors.As(err, &mm) {
		return metaMismatchError(name, mm)
	}
	if errors.Is(err, sources.ErrIDTaken) {
		return fmt.Errorf("%s: %w (choose another --id)", name, err)
	}
	if fe := (*sources.FieldError)(nil); errors.As(err, &fe) {
		return fmt.Errorf("%s: --%s: %w", name, fieldFlag(fe.Field), fe.Err)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if c.Bool("json") {
		return a.printJSON(archive.SourceAddedDoc(res))
	}
	if res.Created {
		a.printf("archived %s as %s (%s, %d bytes) at revision %d\n", name, res.Source.ID, res.Source.Digest, res.Source.Size, res.Revision)
	} else {
		a.printf("%s is already archived as %s (revision %d); nothing added\n", name, res.Source.ID, res.Revision)
	}
	return nil
}

func (a *app) sourceEdit(c *cli.Context) error {
	if err := wantArgs(c, 1, 1); err != nil {
		return err
	}
	id := events.SourceID(c.Args().First())
	meta := metaFromFlags(c)
	var clear []string
	for _, f := range c.StringSlice("clear") {
		for _, f := range strings.Split(f, ",") {
			f = strings.TrimPrefix(strings.TrimSpace(f), "--")
			known := false
			for _, name := range events.SourceFields {
				if f == fieldFlag(name) || f == name {
					clear, known = append(clear, name), true
				}
			}
			if !known {
				return usagef(c, "--clear %s: not a metadata field (want %s)", f, strings.Join(editFlagNames(), ", "))
			}
		}
	}
	ar, err := a.openArchive(c, true)
	if err != nil {
		return err
	}
	defer ar.Close()
	res, err := ar.EditSource(author(c), id, archive.SourceEdit{Set: meta, Clear: clear, Note: c.String("note")})
	if errors.Is(err, sources.ErrNothingChanged) {
		return fmt.Errorf("%w; see sillok source show %s", err, id)
	}
	if err != nil {
		return err
	}
	look := res.NeedsLook
	changes := res.Changes
	for i := range changes {
		changes[i].Field = fieldFlag(changes[i].Field)
	}
	if c.Bool("json") {
		if look == nil {
			look = []archive.Reanchored{}
		}
		return a.printJSON(map[string]any{"id": id, "revision": res.Revision, "edit": res.Event.Edit, "changes": changes, "needs_look": look})
	}
	a.printf("corrected %s at revision %d (edit %d):\n", id, res.Revision, res.Event.Edit)
	for _, ch := range changes {
		a.printf("  %-15s %s → %s\n", ch.Field+":", orNone(ch.Before), orNone(ch.After))
	}
	if len(look) > 0 {
		a.printf("%s resolved against the old publication date; now against %s (check that the words still mean these dates):\n", claimsWere(len(look)), orNone(res.After.Published))
		t := &table{indent: "  ", sep: " ", cols: []column{{min: 20}, {}}}
		for _, l := range look {
			t.add(plain(term(string(l.Claim)), fmt.Sprintf("%q: %s → %s", l.Written, l.Before, l.Date))...)
		}
		a.printf("%s", t.render(layout{}))
	}
	return nil
}

// claimsWere says "1 claim was" or "n claims were".
func claimsWere(n int) string {
	if n == 1 {
		return "1 claim was"
	}
	return fmt.Sprintf("%d claims were", n)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func (a *app) sourceList(c *cli.Context) error {
	if err := wantArgs(c, 0, 0); err != nil {
		return err
	}
	ar, err := a.open(c, false)
	if err != nil {
		return err
	}
	defer ar.Close()
	list, err := ar.Sources()
	if err != nil {
		return err
	}
	if c.Bool("json") {
		return a.printJSON(archive.SourcesDoc(list))
	}
	t := &table{sep: " ", cols: []column{{min: 28, max: 40}, {min: 3, max: 8}, {min: 26, max: 30}, {min: 11, right: true}, {}}}
	for _, s := range list {
		pub := s.Published
		if pub == "" {
			pub = "(undated)"
		}
		title := s.Title
		if s.Corrections > 0 {
			title = strings.TrimSpace(title + " (corrected)")
		}
		t.add(plain(term(string(s.ID)), term(s.Lang), pub, fmt.Sprintf("%d claims ", s.Claims), term(title))...)
	}
	a.printf("%s", t.render(a.layout(c)))
	return nil
}

func (a *app) sourceShow(c *cli.Context) error {
	if err := wantArgs(c, 1, 1); err != nil {
		return err
	}
	ar, err := a.open(c, false)
	if err != nil {
		return err
	}
	defer ar.Close()
	if c.Bool("text") || c.Bool("quotes") {
		st, err := ar.SourceText(events.SourceID(c.Args().First()))
		if err != nil {
			return err
		}
		if c.Bool("json") {
			return a.printJSON(st.Document(c.Bool("quotes")))
		}
		return writeSourceText(a.stdout, st, c.Bool("quotes"), a.layout(c).color)
	}
	info, err := ar.Source(events.SourceID(c.Args().First()), false)
	if err != nil {
		return err
	}
	if c.Bool("json") {
		return a.printJSON(info)
	}
	s := *info
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
	if len(s.Edits) > 0 {
		a.printf("corrections:\n")
		for _, ed := range s.Edits {
			var parts []string
			var set events.SourceArchived
			ed.ApplyTo(&set)
			for _, f := range ed.Changes() {
				v := events.SourceField(&set, f)
				if v == "" {
					v = "(cleared)"
				}
				parts = append(parts, fmt.Sprintf("%s %s", fieldFlag(f), v))
			}
			line := fmt.Sprintf("  revision %d by %s: %s", ed.Revision, ed.Author, strings.Join(parts, ", "))
			if ed.Note != "" {
				line += fmt.Sprintf(" (%s)", ed.Note)
			}
			a.printf("%s\n", line)
		}
	}
	if len(s.NeedsLook) > 0 {
		a.printf("needs a look:     %s resolved against an earlier publication date, now against %s:\n", claimsWere(len(s.NeedsLook)), orNone(s.Published))
		t := &table{indent: "  ", sep: " ", cols: []column{{min: 20}, {}}}
		for _, l := range s.NeedsLook {
			t.add(plain(term(string(l.Claim)), fmt.Sprintf("%q → %s", l.Written, l.Date))...)
		}
		a.printf("%s", t.render(layout{}))
	}
	return nil
}

// sourceAddMany is source add of several files: one transaction for all,
// each with the metadata flags (but --id, which names one source).
func (a *app) sourceAddMany(c *cli.Context) error {
	if c.String("server") != "" {
		return fmt.Errorf("through --server, source add takes one file at a time: %d files are one transaction, made on the archive file", c.NArg())
	}
	if c.IsSet("id") {
		return usagef(c, "--id names one source; with %d files, give each its id in a manifest (sillok source import MANIFEST)", c.NArg())
	}
	meta := metaFromFlags(c)
	var entries []sources.ManifestEntry
	for _, name := range c.Args().Slice() {
		entries = append(entries, sources.ManifestEntry{File: name, Title: meta.Title, URL: meta.URL, Publisher: meta.Publisher,
			Lang: meta.Lang, Published: meta.Published, Retrieved: meta.Retrieved, TranslationOf: string(meta.TranslationOf),
			Translator: meta.Translator})
	}
	return a.addEntries(c, filesIn(""), entries, "")
}

func (a *app) sourceImport(c *cli.Context) error {
	if err := wantArgs(c, 1, 1); err != nil {
		return err
	}
	name := c.Args().First()
	data, err := readManifest(name)
	if err != nil {
		return err
	}
	entries, err := sources.ParseManifest(name, data)
	if err != nil {
		return err
	}
	return a.addEntries(c, filesIn(filepath.Dir(name)), entries, name)
}

// readManifest reads the manifest name, refusing a directory or a file
// over 16 MiB.
func readManifest(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, archive.Errorf(archive.Invalid, "%s is a directory, not a manifest", name)
	}
	const limit = 16 << 20
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if len(data) > limit {
		return nil, archive.Errorf(archive.Invalid, "%s: a manifest may be at most %d MiB", name, limit>>20)
	}
	return data, nil
}

// addEntries archives entries in one transaction and says what it did:
// one line per file (as source add of one file), or in JSON every source
// with created true or false. manifest is the manifest's name ("" for
// files named on the command line).
func (a *app) addEntries(c *cli.Context, fsys fs.FS, entries []sources.ManifestEntry, manifest string) error {
	ar, err := a.openArchive(c, true)
	if err != nil {
		return err
	}
	defer ar.Close()
	added, err := ar.AddSources(author(c), fsys, "", entries)
	if err != nil {
		where := "the files named"
		if manifest != "" {
			where = manifest
		}
		// The outcome goes on the first line, before the details a
		// metadata mismatch lists.
		text := err.Error()
		if fe := (*sources.FieldError)(nil); manifest == "" && errors.As(err, &fe) {
			// The field's value came from its flag.
			text = strings.Replace(text, fe.Error(), "--"+fieldFlag(fe.Field)+": "+fe.Err.Error(), 1)
		}
		msg, details, _ := strings.Cut(text, "\n")
		msg, colon := strings.CutSuffix(msg, ":")
		msg += "; nothing of " + where + " was archived"
		if colon {
			msg += ":"
		}
		var mm *sources.MetaMismatch
		switch {
		case errors.Is(err, sources.ErrIDTaken):
			msg += " (give the source another id)"
		case errors.As(err, &mm):
			var fix []string
			for _, d := range mm.Diffs {
				if d.Field != "id" {
					fix = append(fix, "--"+fieldFlag(d.Field)+" "+shellWord(d.Given))
				}
			}
			if len(fix) > 0 {
				details += fmt.Sprintf("\n  to correct the stored metadata: sillok source edit %s %s", mm.ID, strings.Join(fix, " "))
			}
		}
		if details != "" {
			msg += "\n" + details
		}
		return archive.Errorf(archive.ErrorCode(err), "%s", msg)
	}
	if c.Bool("json") {
		list := make([]map[string]any, len(added))
		var rev archive.Revision
		for i, res := range added {
			list[i] = map[string]any{"file": entries[i].File, "id": res.Source.ID, "sha256": res.Source.Digest.Hex(), "revision": res.Revision, "created": res.Created}
			rev = max(rev, res.Revision)
		}
		return a.printJSON(map[string]any{"revision": rev, "sources": list})
	}
	created := 0
	for i, res := range added {
		name := entries[i].File
		if res.Created {
			created++
			a.printf("archived %s as %s (%s, %d bytes) at revision %d\n", termArgs(name, res.Source.ID, res.Source.Digest, res.Source.Size, res.Revision)...)
		} else {
			a.printf("%s is already archived as %s (revision %d); nothing added\n", termArgs(name, res.Source.ID, res.Revision)...)
		}
	}
	a.printf("%d sources, %d new, in one transaction\n", len(added), created)
	return nil
}

// filesIn is the files on disk for archive.AddSources: a relative name
// is relative to dir, an absolute one is itself.
type filesIn string

func (d filesIn) path(name string) string {
	if filepath.IsAbs(name) || d == "" {
		return filepath.FromSlash(name)
	}
	return filepath.Join(string(d), filepath.FromSlash(name))
}

func (d filesIn) Open(name string) (fs.File, error) { return os.Open(d.path(name)) }

func (d filesIn) Stat(name string) (fs.FileInfo, error) { return os.Stat(d.path(name)) }
