package claimsfile

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/sillok/sillok/events"
)

// MaxDepth is how deeply a claims file may nest mappings and lists. A
// well-formed file needs 6 levels (file, claims, claim, value, relation,
// fact); the limit refuses absurd input early.
const MaxDepth = 32

// Pos is a place in a claims file. Line and Column are 1-based; Column
// counts Unicode code points, not bytes. A zero Line or Column is unknown.
type Pos struct {
	File         string
	Line, Column int
}

// String returns "claims.yaml:12:5", or "claims.yaml:12" when the column is
// unknown, or "claims.yaml" when the line is too.
func (p Pos) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		if b.Len() > 0 {
			b.WriteByte(':')
		}
		b.WriteString(strconv.Itoa(p.Line))
		if p.Column > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(p.Column))
		}
	}
	return b.String()
}

// File is a parsed claims file. Names, kinds and values are as written;
// the importer checks them against the archive.
type File struct {
	Name       string
	Source     string // the default source id for the claims, "" if absent
	SourcePos  Pos
	Predicates []Predicate
	Aliases    []Alias
	Claims     []Claim
}

// Predicate is a predicate the file defines. Kind is as written (date,
// quantity, entity, text); Many is false unless the file says true.
type Predicate struct {
	Name, Kind string
	Many       bool
	Pos        Pos // the entry's mapping
}

// Alias is an alias the file declares. Kind is as written, "distinct" and
// "distinct-from" included (see events.ParseAliasKind).
type Alias struct {
	Name, Entity, Kind, Note string
	Pos                      Pos // the entry's mapping
}

// Claim is one entry of the claims list.
type Claim struct {
	Index  int    // 1-based position in the claims list
	ID     string // "" when not given
	Source string // the claim's own source, or "": then File.Source applies

	Subject, As, Predicate, Quote, Note string
	// Prefix and Suffix are optional context (words just before or just
	// after the quote) that pick one occurrence of a quote the source
	// repeats.
	Prefix, Suffix string
	Value          Value

	Pos                           Pos // the claim's mapping
	ValuePos, QuotePos, SourcePos Pos // SourcePos is zero when the claim names no source
}

// Value is a claim's value as written: a scalar, or a relation to another
// fact. Exactly one of the two is set.
type Value struct {
	// Scalar is the literal text of a scalar value: YAML 60 gives "60" and
	// 2023-04-25 gives "2023-04-25", never a number or a time.
	Scalar string
	// Relation is set for {after|before|same: {subject, predicate}}.
	Relation *events.Relation
}

// Label names the claim in messages: "claim ID", or "claim #N" when it has
// no id.
func (c *Claim) Label() string {
	if c.ID != "" {
		return "claim " + c.ID
	}
	return "claim #" + strconv.Itoa(c.Index)
}

// Error is a problem at a place in a claims file.
type Error struct {
	Pos Pos
	// Claim is the id of the claim the problem is in, or "claim #N" for a
	// claim without an id; "" outside the claims list.
	Claim string
	Msg   string
}

// Error returns "claims.yaml:12:5: claim dtpn-launch: msg".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Pos.String())
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Claim != "" {
		if !strings.HasPrefix(e.Claim, "claim #") {
			b.WriteString("claim ")
		}
		b.WriteString(e.Claim)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Parse parses a claims file. name is used for the format (by extension:
// .yaml and .yml are YAML, .json is JSON) and in positions. Every error
// Parse returns is an *Error; it stops at the first problem.
func Parse(name string, data []byte) (*File, error) {
	var json bool
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".yaml", ".yml":
	case ".json":
		json = true
	default:
		what := fmt.Sprintf("extension %q", ext)
		if ext == "" {
			what = "no extension"
		}
		return nil, &Error{Pos: Pos{File: name}, Msg: fmt.Sprintf("a claims file is YAML (.yaml, .yml) or JSON (.json); this one has %s", what)}
	}
	text, err := checkText(name, data, !json)
	if err != nil {
		return nil, err
	}
	var top *node
	if json {
		top, err = scanJSON(name, text)
	} else {
		top, err = decodeYAML(name, text)
	}
	if err != nil {
		return nil, err
	}
	d := &decoder{name: name}
	return d.file(top)
}
