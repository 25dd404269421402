package claimsfile

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sillok/sillok/events"
)

// nestingMsg is the error for a file nested deeper than MaxDepth. It says
// what the file does (more than MaxDepth levels, at the place of the
// error), the limit, and what a claims file really needs.
var nestingMsg = fmt.Sprintf("nesting is too deep: lists and mappings nest more than %d levels deep here; the limit is %d (a claims file needs 6 at most)", MaxDepth, MaxDepth)

// The fields each mapping knows, in the order messages list them.
var (
	fileFields      = []string{"source", "predicates", "aliases", "claims"}
	predicateFields = []string{"name", "kind", "many"}
	aliasFields     = []string{"name", "entity", "kind", "note"}
	claimFields     = []string{"id", "subject", "as", "predicate", "value", "quote", "source", "note", "prefix", "suffix"}
	relationFields  = []string{"after", "before", "same"}
	factFields      = []string{"subject", "predicate"}
)

const (
	topLevelMsg = "a claims file is a mapping with source, predicates, aliases and claims"
	valueMsg    = "value must be a date/quantity/text written as a string, or a mapping {after|before|same: {subject, predicate}}"
)

// decoder turns a node tree into a File.
type decoder struct {
	name string
	// The claim being decoded, for errors: its id, or its index (0
	// outside the claims list).
	claimID    string
	claimIndex int
}

// label names the claim being decoded in errors: its id or "claim #N";
// "" outside the claims list.
func (d *decoder) label() string {
	switch {
	case d.claimID != "":
		return d.claimID
	case d.claimIndex > 0:
		return "claim #" + strconv.Itoa(d.claimIndex)
	}
	return ""
}

func (d *decoder) pos(n *node) Pos {
	return Pos{File: d.name, Line: int(n.line), Column: int(n.column)}
}

func (d *decoder) errorf(n *node, format string, args ...any) *Error {
	return &Error{Pos: d.pos(n), Claim: d.label(), Msg: fmt.Sprintf(format, args...)}
}

// describe names a node's kind for messages.
func describe(n *node) string {
	switch {
	case n.kind == mappingNode:
		return "a mapping"
	case n.kind == sequenceNode:
		return "a list"
	case isNull(n):
		return "empty"
	}
	return "text"
}

// isNull reports whether n is a null or empty scalar: a missing value.
func isNull(n *node) bool {
	return n.kind == scalarNode && (n.tag == tagNull || strings.TrimSpace(n.value) == "")
}

// fields returns the key and value nodes of mapping m in order, refusing
// keys that are not text, unknown keys and duplicate keys. what prefixes
// the messages ("predicate #2: ").
func (d *decoder) fields(m *node, known []string, what string) ([][2]*node, error) {
	pairs := make([][2]*node, 0, len(m.content)/2)
	for i := 0; i+1 < len(m.content); i += 2 {
		k, v := m.content[i], m.content[i+1]
		if k.kind != scalarNode || isNull(k) {
			return nil, d.errorf(k, "%sa field name must be text, not %s (known: %s)", what, describe(k), strings.Join(known, ", "))
		}
		// The fields before are known and distinct, so there are fewer
		// than len(known): a search is as quick as a map.
		for _, p := range pairs {
			if first := p[0]; first.value == k.value {
				return nil, d.errorf(k, "%sduplicate field %q (first at line %d)", what, k.value, first.line)
			}
		}
		if !contains(known, k.value) {
			return nil, d.errorf(k, "%sunknown field %q (known: %s)", what, k.value, strings.Join(known, ", "))
		}
		pairs = append(pairs, [2]*node{k, v})
	}
	return pairs, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// text returns the literal text of a scalar, "" for a missing one.
func (d *decoder) text(n *node, what string) (string, error) {
	if n.kind != scalarNode {
		return "", d.errorf(n, "%s must be text, not %s", what, describe(n))
	}
	if isNull(n) {
		return "", nil
	}
	return n.value, nil
}

// nameText returns the text of a scalar that is a name (a subject, an entity,
// a predicate or alias name), refusing the characters events.ValidName
// refuses. A blank name is left to the caller's check for missing fields.
func (d *decoder) nameText(n *node, what string) (string, error) {
	s, err := d.text(n, what)
	if err != nil || strings.TrimSpace(s) == "" {
		return s, err
	}
	if err := events.ValidName(what, s); err != nil {
		return "", d.errorf(n, "%v", err)
	}
	return s, nil
}

// note returns the text of a scalar that is a note, refusing the
// characters events.ValidNote refuses.
func (d *decoder) note(n *node, what string) (string, error) {
	s, err := d.text(n, what)
	if err != nil {
		return s, err
	}
	if err := events.ValidNote(what, s); err != nil {
		return "", d.errorf(n, "%v", err)
	}
	return s, nil
}

// list returns the items of a list; a missing list has none.
func (d *decoder) list(n *node, what string) ([]*node, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.kind != sequenceNode {
		return nil, d.errorf(n, "%s must be a list, not %s", what, describe(n))
	}
	return n.content, nil
}

// missing returns "a and b" for the names of the required fields left
// empty, or "".
func missing(fields []string, values ...string) string {
	var out []string
	for i, v := range values {
		if v == "" {
			out = append(out, fields[i])
		}
	}
	switch len(out) {
	case 0:
		return ""
	case 1:
		return out[0]
	}
	return strings.Join(out[:len(out)-1], ", ") + " and " + out[len(out)-1]
}

// file decodes the top node, nil for an empty file.
func (d *decoder) file(top *node) (*File, error) {
	if top == nil {
		return nil, &Error{Pos: Pos{File: d.name}, Msg: "file is empty"}
	}
	if isNull(top) && top.value == "" { // "---", or a bare tag

		return nil, &Error{Pos: Pos{File: d.name}, Msg: "file is empty"}
	}
	if top.kind != mappingNode {
		return nil, d.errorf(top, "%s, not %s", topLevelMsg, describe(top))
	}
	pairs, err := d.fields(top, fileFields, "")
	if err != nil {
		return nil, err
	}
	f := &File{Name: d.name}
	nodes := make(map[string]*node, len(pairs))
	for _, p := range pairs {
		nodes[p[0].value] = p[1]
	}
	// The default source first: claims before it in the file use it too.
	if n := nodes["source"]; n != nil {
		if f.Source, err = d.text(n, "source"); err != nil {
			return nil, err
		}
		if f.Source != "" {
			f.SourcePos = d.pos(n)
		}
	}
	if n := nodes["predicates"]; n != nil {
		items, err := d.list(n, "predicates")
		if err != nil {
			return nil, err
		}
		if len(items) > 0 {
			f.Predicates = make([]Predicate, 0, len(items))
		}
		for i, item := range items {
			p, err := d.predicate(item, i+1)
			if err != nil {
				return nil, err
			}
			f.Predicates = append(f.Predicates, p)
		}
	}
	if n := nodes["aliases"]; n != nil {
		items, err := d.list(n, "aliases")
		if err != nil {
			return nil, err
		}
		if len(items) > 0 {
			f.Aliases = make([]Alias, 0, len(items))
		}
		for i, item := range items {
			a, err := d.alias(item, i+1)
			if err != nil {
				return nil, err
			}
			f.Aliases = append(f.Aliases, a)
		}
	}
	if n := nodes["claims"]; n != nil {
		items, err := d.list(n, "claims")
		if err != nil {
			return nil, err
		}
		if len(items) > 0 {
			f.Claims = make([]Claim, 0, len(items))
		}
		for i, item := range items {
			c, err := d.claimAt(item, i+1, f.Source)
			if err != nil {
				return nil, err
			}
			f.Claims = append(f.Claims, c)
		}
	}
	if len(f.Predicates)+len(f.Aliases)+len(f.Claims) == 0 {
		return nil, d.errorf(top, "file defines nothing: give it claims, predicates or aliases")
	}
	return f, nil
}

func (d *decoder) predicate(n *node, index int) (Predicate, error) {
	what := "predicate #" + strconv.Itoa(index)
	if n.kind != mappingNode {
		return Predicate{}, d.errorf(n, "%s must be a mapping {name, kind, many}, not %s", what, describe(n))
	}
	pairs, err := d.fields(n, predicateFields, what+": ")
	if err != nil {
		return Predicate{}, err
	}
	p := Predicate{Pos: d.pos(n)}
	for _, kv := range pairs {
		k, v := kv[0], kv[1]
		switch k.value {
		case "name":
			p.Name, err = d.nameText(v, what+": name")
		case "kind":
			p.Kind, err = d.text(v, what+": kind")
		case "many":
			p.Many, err = d.bool(v, what+": many")
		}
		if err != nil {
			return Predicate{}, err
		}
	}
	if p.Name != "" {
		what = fmt.Sprintf("predicate %q", p.Name)
	}
	if m := missing([]string{"name", "kind"}, p.Name, p.Kind); m != "" {
		return Predicate{}, d.errorf(n, "%s: missing %s (write {name: ..., kind: date|quantity|entity|text})", what, m)
	}
	return p, nil
}

// bool reads a YAML (or JSON) boolean; a missing one is false.
func (d *decoder) bool(n *node, what string) (bool, error) {
	if isNull(n) {
		return false, nil
	}
	if n.kind == scalarNode && n.tag == tagBool {
		return strings.EqualFold(n.value, "true"), nil
	}
	v := "text " + strconv.Quote(n.value)
	if n.kind != scalarNode {
		v = describe(n)
	}
	return false, d.errorf(n, "%s must be true or false, not %s", what, v)
}

func (d *decoder) alias(n *node, index int) (Alias, error) {
	what := "alias #" + strconv.Itoa(index)
	if n.kind != mappingNode {
		return Alias{}, d.errorf(n, "%s must be a mapping {name, entity, kind, note}, not %s", what, describe(n))
	}
	pairs, err := d.fields(n, aliasFields, what+": ")
	if err != nil {
		return Alias{}, err
	}
	a := Alias{Pos: d.pos(n)}
	for _, kv := range pairs {
		k, v := kv[0], kv[1]
		switch k.value {
		case "name":
			a.Name, err = d.nameText(v, what+": name")
		case "entity":
			a.Entity, err = d.nameText(v, what+": entity")
		case "kind":
			a.Kind, err = d.text(v, what+": kind")
		case "note":
			a.Note, err = d.note(v, what+": note")
		}
		if err != nil {
			return Alias{}, err
		}
	}
	if a.Name != "" {
		what = fmt.Sprintf("alias %q", a.Name)
	}
	if m := missing([]string{"name", "entity", "kind"}, a.Name, a.Entity, a.Kind); m != "" {
		return Alias{}, d.errorf(n, "%s: missing %s (write {name: ..., entity: ..., kind: ...})", what, m)
	}
	return a, nil
}

// claimAt decodes the index-th claim; source is the file's default.
func (d *decoder) claimAt(n *node, index int, source string) (Claim, error) {
	c := Claim{Index: index, Pos: d.pos(n)}
	d.claimID, d.claimIndex = "", index
	defer func() { d.claimID, d.claimIndex = "", 0 }()
	if n.kind != mappingNode {
		return c, d.errorf(n, "a claim must be a mapping with %s, not %s", strings.Join(claimFields, ", "), describe(n))
	}
	// The id first, so every message names the claim by it.
	for i := 0; i+1 < len(n.content); i += 2 {
		if k, v := n.content[i], n.content[i+1]; k.kind == scalarNode && k.value == "id" && v.kind == scalarNode && !isNull(v) {
			d.claimID = v.value
			break
		}
	}
	pairs, err := d.fields(n, claimFields, "")
	if err != nil {
		return c, err
	}
	for _, kv := range pairs {
		k, v := kv[0], kv[1]
		switch k.value {
		case "id":
			c.ID, err = d.text(v, "id")
		case "source":
			c.Source, err = d.text(v, "source")
			if c.Source != "" {
				c.SourcePos = d.pos(v)
			}
		case "subject":
			c.Subject, err = d.nameText(v, "subject")
		case "as":
			c.As, err = d.nameText(v, "as")
		case "predicate":
			c.Predicate, err = d.nameText(v, "predicate")
		case "value":
			c.Value, err = d.value(v)
			c.ValuePos = d.pos(v)
		case "quote":
			c.Quote, err = d.text(v, "quote")
			c.QuotePos = d.pos(v)
		case "note":
			c.Note, err = d.note(v, "note")
		case "prefix":
			c.Prefix, err = d.text(v, "prefix")
		case "suffix":
			c.Suffix, err = d.text(v, "suffix")
		}
		if err != nil {
			return c, err
		}
	}
	value := c.Value.Scalar
	if c.Value.Relation != nil {
		value = "relation"
	}
	if m := missing([]string{"subject", "predicate", "value", "quote"}, c.Subject, c.Predicate, value, c.Quote); m != "" {
		return c, d.errorf(n, "missing %s (a claim needs subject, predicate, value and quote)", m)
	}
	if c.Source == "" && source == "" {
		return c, d.errorf(n, "no source: give the claim a source, or the file a default source at the top")
	}
	return c, nil
}

// value decodes a claim's value: the literal text of a scalar, or a
// relation {after|before|same: {subject, predicate}}.
func (d *decoder) value(n *node) (Value, error) {
	switch n.kind {
	case scalarNode:
		if isNull(n) {
			return Value{}, nil
		}
		return Value{Scalar: n.value}, nil
	case mappingNode:
	default:
		return Value{}, d.errorf(n, "%s, not %s", valueMsg, describe(n))
	}
	pairs, err := d.fields(n, relationFields, "value: ")
	if err != nil {
		return Value{}, err
	}
	switch len(pairs) {
	case 0:
		return Value{}, d.errorf(n, "%s, not an empty mapping", valueMsg)
	case 1:
	default:
		return Value{}, d.errorf(pairs[1][0], "a value relates to one fact: give only one of after, before and same")
	}
	op, to := pairs[0][0].value, pairs[0][1]
	what := "value: " + op
	if to.kind != mappingNode {
		return Value{}, d.errorf(to, "%s must be a mapping {subject, predicate}, not %s", what, describe(to))
	}
	fields, err := d.fields(to, factFields, what+": ")
	if err != nil {
		return Value{}, err
	}
	var ref events.FactRef
	for _, kv := range fields {
		switch kv[0].value {
		case "subject":
			ref.Subject, err = d.nameText(kv[1], what+": subject")
		case "predicate":
			ref.Predicate, err = d.nameText(kv[1], what+": predicate")
		}
		if err != nil {
			return Value{}, err
		}
	}
	if m := missing(factFields, ref.Subject, ref.Predicate); m != "" {
		return Value{}, d.errorf(to, "%s: missing %s (write {%s: {subject: ..., predicate: ...}})", what, m, op)
	}
	return Value{Relation: &events.Relation{Op: events.RelationOp(op), To: ref}}, nil
}
