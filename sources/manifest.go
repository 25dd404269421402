package sources

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/sillok/sillok/events"
)

// ManifestEntry is one source of a manifest (a sources.yaml): the file that
// holds its text, relative to the manifest, and its metadata as written
// there. The bundled demo corpus and the generator (sillok gen) write and
// read manifests of this form, a YAML list of entries in load order;
// ParseManifest reads it from YAML, JSON or CSV.
type ManifestEntry struct {
	File          string `yaml:"file"`
	ID            string `yaml:"id"`
	Title         string `yaml:"title,omitempty"`
	URL           string `yaml:"url,omitempty"`
	Publisher     string `yaml:"publisher,omitempty"`
	Lang          string `yaml:"lang,omitempty"`
	Published     string `yaml:"published,omitempty"`
	Retrieved     string `yaml:"retrieved,omitempty"`
	TranslationOf string `yaml:"translation-of,omitempty"`
	Translator    string `yaml:"translator,omitempty"`

	// Where the entry was read (ParseManifest sets it): the manifest's
	// name, the line the entry starts on, and its number in the manifest,
	// counted from 1. Zero for an entry made in code.
	Manifest string `yaml:"-" json:"-"`
	Line     int    `yaml:"-" json:"-"`
	N        int    `yaml:"-" json:"-"`
}

// Meta returns the metadata the entry gives its source, for Add.
func (m ManifestEntry) Meta() Meta {
	return Meta{
		ID: events.SourceID(m.ID), Title: m.Title, URL: m.URL, Publisher: m.Publisher,
		Lang: m.Lang, Published: m.Published, Retrieved: m.Retrieved,
		TranslationOf: events.SourceID(m.TranslationOf), Translator: m.Translator,
	}
}

// Where names the entry for a message: "sources.yaml:14: entry 3 (a.txt)"
// when ParseManifest read it, else "source a.txt".
func (m ManifestEntry) Where() string {
	if m.Manifest == "" {
		return "source " + m.File
	}
	var b strings.Builder
	b.WriteString(m.Manifest)
	if m.Line > 0 {
		fmt.Fprintf(&b, ":%d", m.Line)
	}
	fmt.Fprintf(&b, ": entry %d", m.N)
	if m.File != "" {
		fmt.Fprintf(&b, " (%s)", m.File)
	}
	return b.String()
}

// ManifestFields are the fields of a manifest entry, in the order a CSV
// manifest's header may name them.
var ManifestFields = []string{"file", "id", "title", "url", "publisher", "lang", "published", "retrieved", "translation-of", "translator"}

// ManifestError is a manifest that cannot be read, or an entry of it that
// is refused before anything is archived. Its message is
// "sources.csv:4: entry 3 (c.txt): the reason".
type ManifestError struct {
	Manifest string
	Line     int // 0 when unknown
	N        int // the entry, counted from 1; 0 for the manifest as a whole
	File     string
	Msg      string
}

func (e *ManifestError) Error() string {
	if e.N > 0 {
		return ManifestEntry{Manifest: e.Manifest, Line: e.Line, N: e.N, File: e.File}.Where() + ": " + e.Msg
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Manifest, e.Line, e.Msg)
	}
	return e.Manifest + ": " + e.Msg
}

// Is makes a ManifestError the input's fault (events.ErrInvalid).
func (e *ManifestError) Is(target error) bool { return target == events.ErrInvalid }

// ParseManifest reads a manifest of sources, name's data: by name's
// extension YAML (.yaml, .yml) or JSON (.json), a list of entries with
// the fields of ManifestEntry, or CSV (.csv), a header row naming fields
// of ManifestFields and one row per entry. Every entry needs a file; an
// unknown field, a value that is not text, and two entries with one id
// are refused. Every error is a *ManifestError with the line.
func ParseManifest(name string, data []byte) ([]ManifestEntry, error) {
	fail := func(line int, format string, args ...any) error {
		return &ManifestError{Manifest: name, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, fail(0, "the manifest is not valid UTF-8: save it as UTF-8")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fail(0, "the manifest is empty")
	}
	var entries []ManifestEntry
	var err error
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".yaml", ".yml":
		entries, err = parseYAMLManifest(name, data)
	case ".json":
		if !json.Valid(data) {
			var raw json.RawMessage
			err := json.Unmarshal(data, &raw)
			var se *json.SyntaxError
			line := 0
			if errors.As(err, &se) {
				line = 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
			}
			return nil, fail(line, "JSON syntax error: %v", err)
		}
		entries, err = parseYAMLManifest(name, data)
	case ".csv":
		entries, err = parseCSVManifest(name, data)
	default:
		return nil, fail(0, "a manifest is YAML (.yaml, .yml), JSON (.json) or CSV (.csv); this one has extension %q", ext)
	}
	if err != nil {
		return nil, err
	}
	ids := map[string]int{}
	for i := range entries {
		e := &entries[i]
		e.Manifest, e.N = name, i+1
		if strings.TrimSpace(e.File) == "" {
			return nil, &ManifestError{Manifest: name, Line: e.Line, N: e.N, Msg: "no file: every entry names the file of its source"}
		}
		if e.ID != "" {
			if first, ok := ids[e.ID]; ok {
				return nil, &ManifestError{Manifest: name, Line: e.Line, N: e.N, File: e.File,
					Msg: fmt.Sprintf("id %q is already given to entry %d", e.ID, first)}
			}
			ids[e.ID] = e.N
		}
	}
	if len(entries) == 0 {
		return nil, fail(0, "the manifest lists no sources")
	}
	return entries, nil
}

func parseYAMLManifest(name string, data []byte) ([]ManifestEntry, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := err.Error()
		line := 0
		if _, rest, ok := strings.Cut(msg, "line "); ok {
			if n, _, ok := strings.Cut(rest, ":"); ok {
				line, _ = strconv.Atoi(n)
			}
		}
		msg = strings.TrimPrefix(msg, "yaml: ")
		if line > 0 {
			if _, after, ok := strings.Cut(msg, ": "); ok {
				msg = after
			}
		}
		return nil, &ManifestError{Manifest: name, Line: line, Msg: "syntax error: " + msg}
	}
	if len(doc.Content) == 0 {
		return nil, &ManifestError{Manifest: name, Msg: "the manifest is empty"}
	}
	root := doc.Content[0]
	if root.Kind != yaml.SequenceNode {
		return nil, &ManifestError{Manifest: name, Line: root.Line, Msg: "a manifest is a list of entries (- file: a.txt, id: ...)"}
	}
	entries := make([]ManifestEntry, 0, len(root.Content))
	for i, n := range root.Content {
		e := ManifestEntry{Line: n.Line}
		bad := func(line int, format string, args ...any) error {
			return &ManifestError{Manifest: name, Line: line, N: i + 1, File: e.File, Msg: fmt.Sprintf(format, args...)}
		}
		if n.Kind != yaml.MappingNode {
			return nil, bad(n.Line, "an entry is a mapping of fields (file, id, title, ...)")
		}
		// The file first, so that every message names it.
		for j := 0; j+1 < len(n.Content); j += 2 {
			if n.Content[j].Value == "file" && n.Content[j+1].Kind == yaml.ScalarNode {
				e.File = n.Content[j+1].Value
			}
		}
		seen := map[string]bool{}
		for j := 0; j+1 < len(n.Content); j += 2 {
			k, v := n.Content[j], n.Content[j+1]
			if seen[k.Value] {
				return nil, bad(k.Line, "field %q is given twice", k.Value)
			}
			seen[k.Value] = true
			field := e.field(k.Value)
			if field == nil {
				return nil, bad(k.Line, "unknown field %q (the fields are %s)", k.Value, strings.Join(ManifestFields, ", "))
			}
			if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
				return nil, bad(v.Line, "%s: want text, not %s", k.Value, kindWord(v))
			}
			*field = v.Value
		}
		entries = append(entries, e)
	}
	return entries, nil
}

func kindWord(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Tag == "!!null":
		return "nothing"
	}
	return "this"
}

// field is the entry's field of a manifest's name for it; nil for an
// unknown name.
func (m *ManifestEntry) field(name string) *string {
	switch name {
	case "file":
		return &m.File
	case "id":
		return &m.ID
	case "title":
		return &m.Title
	case "url":
		return &m.URL
	case "publisher":
		return &m.Publisher
	case "lang":
		return &m.Lang
	case "published":
		return &m.Published
	case "retrieved":
		return &m.Retrieved
	case "translation-of", "translation_of":
		return &m.TranslationOf
	case "translator":
		return &m.Translator
	}
	return nil
}

func parseCSVManifest(name string, data []byte) ([]ManifestEntry, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = 0
	header, err := r.Read()
	if err != nil {
		return nil, csvError(name, err)
	}
	var probe ManifestEntry
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		header[i] = h
		if probe.field(h) == nil {
			return nil, &ManifestError{Manifest: name, Line: 1, Msg: fmt.Sprintf("unknown column %q in the header (the columns are %s)", h, strings.Join(ManifestFields, ", "))}
		}
		if seen[h] {
			return nil, &ManifestError{Manifest: name, Line: 1, Msg: fmt.Sprintf("column %q is named twice in the header", h)}
		}
		seen[h] = true
	}
	if !seen["file"] {
		return nil, &ManifestError{Manifest: name, Line: 1, Msg: "the header has no file column"}
	}
	var entries []ManifestEntry
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := r.FieldPos(0)
		e := ManifestEntry{Line: line}
		for i, v := range rec {
			*e.field(header[i]) = strings.TrimSpace(v)
		}
		entries = append(entries, e)
	}
	return entries, nil
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ManifestError{Manifest: name, Line: pe.Line, Msg: pe.Err.Error()}
	}
	return &ManifestError{Manifest: name, Msg: err.Error()}
}
