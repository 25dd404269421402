package events

import (
	"fmt"
	"strings"
)

// SourceID is a source's short human slug ("readable-2024-06-07").
type SourceID string

// ClaimID identifies a claim; given in a claims file or derived from its content.
type ClaimID string

// ValueKind is the kind of value a predicate takes.
type ValueKind string

// The value kinds.
const (
	KindDate     ValueKind = "date"
	KindQuantity ValueKind = "quantity"
	KindEntity   ValueKind = "entity"
	KindText     ValueKind = "text"
)

// ParseValueKind parses one of date, quantity, entity, text.
func ParseValueKind(s string) (ValueKind, error) {
	switch k := ValueKind(s); k {
	case KindDate, KindQuantity, KindEntity, KindText:
		return k, nil
	}
	return "", Invalidf("unknown value kind %q (want date, quantity, entity or text)", s)
}

// AliasKind says how an alias relates to its entity.
type AliasKind string

// The alias kinds. AliasDistinct declares that Name and Entity are two
// different things, and AliasSame (recorded by a review verdict) that they
// are one.
const (
	AliasTranslation     AliasKind = "translation"
	AliasTransliteration AliasKind = "transliteration"
	AliasMistranslation  AliasKind = "mistranslation"
	AliasAbbreviation    AliasKind = "abbreviation"
	AliasVariant         AliasKind = "variant"
	AliasSame            AliasKind = "same"
	AliasDistinct        AliasKind = "distinct"
)

// ParseAliasKind parses an alias kind as written in a claims file or on the
// command line ("distinct-from" is accepted for distinct).
func ParseAliasKind(s string) (AliasKind, error) {
	switch k := AliasKind(s); k {
	case AliasTranslation, AliasTransliteration, AliasMistranslation,
		AliasAbbreviation, AliasVariant, AliasSame, AliasDistinct:
		return k, nil
	case "distinct-from":
		return AliasDistinct, nil
	}
	return "", Invalidf("unknown alias kind %q (want translation, transliteration, mistranslation, abbreviation, variant or distinct)", s)
}

// RelationOp is how a relation claim relates two dated facts.
type RelationOp string

// The relations a date value may state instead of a date.
const (
	RelAfter  RelationOp = "after"
	RelBefore RelationOp = "before"
	RelSame   RelationOp = "same"
)

// FactRef names a fact: a subject and a predicate.
type FactRef struct {
	Subject   string `json:"subject"`
	Predicate string `json:"predicate"`
}

// Relation is a date value that relates the claim's fact to another fact.
type Relation struct {
	Op RelationOp `json:"op"`
	To FactRef    `json:"to"`
}

// Value is a claim's value. Dates and quantities are stored in their
// canonical written form (ParseDate, ParseQuantity parse them back), so the
// log holds text that means the same to every version of the program.
type Value struct {
	Kind ValueKind `json:"kind"`
	// Written is the expression as the claim gave it, when it differs from
	// the canonical form ("August last year", "約60カ国").
	Written string `json:"written,omitempty"`
	// Date is the canonical EDTF form of a date value.
	Date string `json:"date,omitempty"`
	// Anchor is the day (YYYY-MM-DD) a relative date was resolved against.
	Anchor string `json:"anchor,omitempty"`
	// Rule is the rule that resolved a date written without its month or
	// year (a DateRule: "nearest", "future-tense", "past-tense",
	// "most-recent", "relative"); empty for an absolute date and in claims
	// recorded before rules were recorded. It is a record of how the date
	// was read and takes no part in the claim's derived id.
	Rule string `json:"rule,omitempty"`
	// Relation replaces Date for a date value that relates to another fact.
	Relation *Relation `json:"relation,omitempty"`
	// Quantity is the canonical form of a quantity value.
	Quantity string `json:"quantity,omitempty"`
	// Entity is the entity name of an entity value, as written.
	Entity string `json:"entity,omitempty"`
	// Text is a text value.
	Text string `json:"text,omitempty"`
}

// String returns the value's canonical written form.
func (v Value) String() string {
	switch {
	case v.Relation != nil:
		return fmt.Sprintf("%s %s %s", v.Relation.Op, v.Relation.To.Subject, v.Relation.To.Predicate)
	case v.Kind == KindDate:
		return v.Date
	case v.Kind == KindQuantity:
		return v.Quantity
	case v.Kind == KindEntity:
		return v.Entity
	}
	return v.Text
}

func (v Value) validate() error {
	set := 0
	for _, s := range []string{v.Date, v.Quantity, v.Entity, v.Text} {
		if s != "" {
			set++
		}
	}
	if v.Relation != nil {
		set++
	}
	if set != 1 {
		return Invalidf("value must have exactly one of date, relation, quantity, entity, text")
	}
	if v.Rule != "" {
		switch DateRule(v.Rule) {
		case RuleRelative, RuleNearest, RuleFuture, RulePast, RuleMostRecent:
		default:
			return Invalidf("unknown date rule %q", v.Rule)
		}
		if v.Date == "" {
			return Invalidf("a date rule on a value without a date")
		}
	}
	switch v.Kind {
	case KindDate:
		if v.Date == "" && v.Relation == nil {
			return Invalidf("date value without a date or relation")
		}
		if r := v.Relation; r != nil {
			if r.Op != RelAfter && r.Op != RelBefore && r.Op != RelSame {
				return Invalidf("unknown relation %q (want after, before or same)", r.Op)
			}
			if err := ValidName("relation subject", r.To.Subject); err != nil {
				return err
			}
			if err := ValidName("relation predicate", r.To.Predicate); err != nil {
				return err
			}
		}
	case KindQuantity:
		if v.Quantity == "" {
			return Invalidf("quantity value without a quantity")
		}
	case KindEntity:
		return ValidName("entity", v.Entity)
	case KindText:
		if v.Text == "" {
			return Invalidf("text value is empty")
		}
		return validFreeText("text", v.Text, MaxTextLen)
	default:
		return Invalidf("unknown value kind %q", v.Kind)
	}
	return nil
}

// isSlug reports whether s is lower-case ASCII letters and digits in runs
// joined by single hyphens (a byte loop: this runs for every appended
// event).
func isSlug(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-' && s[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// ValidSourceID checks a source slug: lower-case ASCII letters, digits and
// single hyphens, 1 to 64 characters.
func ValidSourceID(s SourceID) error {
	if len(s) == 0 || len(s) > 64 || !isSlug(string(s)) {
		return Invalidf("source id %q is not a slug: use 1 to 64 lower-case letters, digits and single hyphens, like readable-2024-06-07", string(s))
	}
	return nil
}

func isClaimID(s string) bool {
	if len(s) == 0 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || (c != '.' && c != '_' && c != ':' && c != '-')) {
			return false
		}
	}
	return true
}

// ValidClaimID checks a claim id: 1 to 128 ASCII letters, digits, '.', '_',
// ':' and '-', starting with a letter or digit.
func ValidClaimID(s ClaimID) error {
	if !isClaimID(string(s)) {
		return Invalidf("claim id %q is not valid: use up to 128 letters, digits, '.', '_', ':' and '-', starting with a letter or digit", string(s))
	}
	return nil
}

// SourceArchived records a source: its bytes (stored by digest in the
// archive) and its metadata.
type SourceArchived struct {
	ID        SourceID `json:"id"`
	Digest    Digest   `json:"digest"`
	Size      int64    `json:"size"`
	MediaType string   `json:"media_type"`
	Title     string   `json:"title,omitempty"`
	URL       string   `json:"url,omitempty"`
	Publisher string   `json:"publisher,omitempty"`
	Lang      string   `json:"lang,omitempty"`
	// Published and Retrieved are "YYYY-MM-DD" or RFC 3339 with the zone as given.
	Published     string   `json:"published,omitempty"`
	Retrieved     string   `json:"retrieved,omitempty"`
	TranslationOf SourceID `json:"translation_of,omitempty"`
	Translator    string   `json:"translator,omitempty"`
}

// EventType implements Payload.
func (*SourceArchived) EventType() Type { return TypeSourceArchived }

// Validate implements Payload.
func (p *SourceArchived) Validate() error {
	if err := ValidSourceID(p.ID); err != nil {
		return err
	}
	if p.Digest.IsZero() {
		return Invalidf("source has no digest")
	}
	for _, f := range [...]struct{ what, s string }{{"title", p.Title}, {"url", p.URL}, {"publisher", p.Publisher}, {"lang", p.Lang}, {"translator", p.Translator}} {
		if err := validText(f.what, f.s, MaxNameLen*4); err != nil {
			return err
		}
	}
	if p.TranslationOf != "" {
		if err := ValidSourceID(p.TranslationOf); err != nil {
			return Invalidf("translation-of: %w", err)
		}
	}
	return nil
}

// PredicateDefined adds a predicate to the vocabulary.
type PredicateDefined struct {
	Name string    `json:"name"`
	Kind ValueKind `json:"kind"`
	Many bool      `json:"many,omitempty"`
}

// EventType implements Payload.
func (*PredicateDefined) EventType() Type { return TypePredicateDefined }

// Validate implements Payload.
func (p *PredicateDefined) Validate() error {
	if err := ValidName("predicate name", p.Name); err != nil {
		return err
	}
	_, err := ParseValueKind(string(p.Kind))
	return err
}

// ClaimAsserted records that a source, at a quote, says subject has
// predicate with value.
type ClaimAsserted struct {
	ID        ClaimID  `json:"id"`
	Source    SourceID `json:"source"`
	Subject   string   `json:"subject"`
	As        string   `json:"as,omitempty"`
	Predicate string   `json:"predicate"`
	Value     Value    `json:"value"`
	Quote     Anchor   `json:"quote"`
	Note      string   `json:"note,omitempty"`
}

// EventType implements Payload.
func (*ClaimAsserted) EventType() Type { return TypeClaimAsserted }

// Validate implements Payload.
func (p *ClaimAsserted) Validate() error {
	if err := ValidClaimID(p.ID); err != nil {
		return err
	}
	if err := ValidSourceID(p.Source); err != nil {
		return err
	}
	if err := ValidName("subject", p.Subject); err != nil {
		return err
	}
	if p.As != "" {
		if err := ValidName("as", p.As); err != nil {
			return err
		}
	}
	if err := ValidName("predicate", p.Predicate); err != nil {
		return err
	}
	if err := p.Value.validate(); err != nil {
		return err
	}
	if p.Quote.Quote.Exact == "" {
		return Invalidf("claim has no quote")
	}
	return ValidNote("note", p.Note)
}

// ClaimRetracted withdraws a claim, with the reason.
type ClaimRetracted struct {
	Claim  ClaimID `json:"claim"`
	Reason string  `json:"reason"`
}

// EventType implements Payload.
func (*ClaimRetracted) EventType() Type { return TypeClaimRetracted }

// Validate implements Payload.
func (p *ClaimRetracted) Validate() error {
	if err := ValidClaimID(p.Claim); err != nil {
		return err
	}
	if strings.TrimSpace(p.Reason) == "" {
		return Invalidf("a retraction needs a reason")
	}
	return ValidNote("reason", p.Reason)
}

// AliasDeclared says Name is another name of Entity (or, for
// AliasDistinct, that the two are different things).
type AliasDeclared struct {
	Name   string    `json:"name"`
	Entity string    `json:"entity"`
	Kind   AliasKind `json:"kind"`
	Note   string    `json:"note,omitempty"`
	// Claim is set when the alias comes from a claim's "as".
	Claim ClaimID `json:"claim,omitempty"`
}

// EventType implements Payload.
func (*AliasDeclared) EventType() Type { return TypeAliasDeclared }

// Validate implements Payload.
func (p *AliasDeclared) Validate() error {
	if err := ValidName("alias name", p.Name); err != nil {
		return err
	}
	if err := ValidName("alias entity", p.Entity); err != nil {
		return err
	}
	if _, err := ParseAliasKind(string(p.Kind)); err != nil {
		return err
	}
	return ValidNote("note", p.Note)
}

// Decision is a reviewer's verdict on a conflict.
type Decision string

// The decisions. Accept keeps one claim and rejects the others of the
// conflict; Reject rejects one claim and leaves the others standing;
// Dismiss says the conflict is not a contradiction; Same and Distinct
// settle a name conflict.
const (
	DecisionAccept   Decision = "accept"
	DecisionReject   Decision = "reject"
	DecisionDismiss  Decision = "dismiss"
	DecisionSame     Decision = "same"
	DecisionDistinct Decision = "distinct"
)

// VerdictRecorded is a reviewer's verdict on a conflict.
type VerdictRecorded struct {
	Conflict string   `json:"conflict"`
	Kind     string   `json:"kind"` // the conflict's kind: value, temporal, name
	Decision Decision `json:"decision"`
	// Claim is the accepted (or, for reject, the rejected) claim.
	Claim ClaimID `json:"claim,omitempty"`
	// Rejected lists the claims the verdict rejects.
	Rejected []ClaimID `json:"rejected,omitempty"`
	// Claims lists every claim the conflict held when the reviewer saw it.
	Claims []ClaimID `json:"claims,omitempty"`
	// Names are the two names of a name conflict.
	Names []string `json:"names,omitempty"`
	Note  string   `json:"note,omitempty"`
	// Seen is the revision the reviewer saw.
	Seen Revision `json:"seen"`
}

// EventType implements Payload.
func (*VerdictRecorded) EventType() Type { return TypeVerdictRecorded }

// Validate implements Payload.
func (p *VerdictRecorded) Validate() error {
	if p.Conflict == "" {
		return Invalidf("verdict without a conflict id")
	}
	switch p.Decision {
	case DecisionAccept, DecisionReject:
		if p.Claim == "" {
			return Invalidf("%s verdict without a claim", p.Decision)
		}
	case DecisionDismiss:
	case DecisionSame, DecisionDistinct:
		if len(p.Names) != 2 {
			return Invalidf("%s verdict needs the two names", p.Decision)
		}
	default:
		return Invalidf("unknown decision %q", p.Decision)
	}
	return ValidNote("note", p.Note)
}

// SourceEdited corrects the metadata of an archived source. The source's
// bytes and its source.archived event never change: the correction is a
// new event, and readers apply a source's edits in order on top of what
// was archived. Only the fields given change; Cleared names the fields
// the edit empties (by their JSON names: "title", "translation_of", ...).
type SourceEdited struct {
	ID SourceID `json:"id"`
	// Edit numbers a source's edits: 1 for its first, 2 for its second.
	Edit          int      `json:"edit"`
	Title         string   `json:"title,omitempty"`
	URL           string   `json:"url,omitempty"`
	Publisher     string   `json:"publisher,omitempty"`
	Lang          string   `json:"lang,omitempty"`
	Published     string   `json:"published,omitempty"`
	Retrieved     string   `json:"retrieved,omitempty"`
	TranslationOf SourceID `json:"translation_of,omitempty"`
	Translator    string   `json:"translator,omitempty"`
	Cleared       []string `json:"cleared,omitempty"`
	// Note says why (optional).
	Note string `json:"note,omitempty"`
}

// EventType implements Payload.
func (*SourceEdited) EventType() Type { return TypeSourceEdited }

// SourceFields are the names of the metadata fields a SourceEdited may
// set or clear, in their order in the payload.
var SourceFields = []string{"title", "url", "publisher", "lang", "published", "retrieved", "translation_of", "translator"}

// fields returns pointers to the edit's values of SourceFields, in order.
func (p *SourceEdited) fields() [8]*string {
	return [8]*string{&p.Title, &p.URL, &p.Publisher, &p.Lang, &p.Published, &p.Retrieved, (*string)(&p.TranslationOf), &p.Translator}
}

func sourceFields(src *SourceArchived) [8]*string {
	return [8]*string{&src.Title, &src.URL, &src.Publisher, &src.Lang, &src.Published, &src.Retrieved, (*string)(&src.TranslationOf), &src.Translator}
}

// Changes returns the names of the fields the edit sets or clears, in the
// order of SourceFields.
func (p *SourceEdited) Changes() []string {
	var out []string
	for i, f := range p.fields() {
		if *f != "" || slicesContains(p.Cleared, SourceFields[i]) {
			out = append(out, SourceFields[i])
		}
	}
	return out
}

// ApplyTo sets the fields of src the edit sets, and empties those it clears.
func (p *SourceEdited) ApplyTo(src *SourceArchived) {
	to := sourceFields(src)
	for i, f := range p.fields() {
		switch {
		case *f != "":
			*to[i] = *f
		case slicesContains(p.Cleared, SourceFields[i]):
			*to[i] = ""
		}
	}
}

// SourceField returns the value of the named field (one of SourceFields)
// of src.
func SourceField(src *SourceArchived, name string) string {
	for i, f := range sourceFields(src) {
		if SourceFields[i] == name {
			return *f
		}
	}
	return ""
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Validate implements Payload. What depends on the archive (the source
// exists, translation_of names another source, no cycle of translations,
// a translator only with a translation_of) is checked by package sources.
func (p *SourceEdited) Validate() error {
	if err := ValidSourceID(p.ID); err != nil {
		return err
	}
	if p.Edit < 1 || p.Edit > 1<<31 {
		return Invalidf("edit number %d is out of range", p.Edit)
	}
	vals := p.fields()
	for i, f := range vals {
		if err := validText(SourceFields[i], *f, MaxNameLen*4); err != nil {
			return err
		}
	}
	for i, c := range p.Cleared {
		k := -1
		for j, name := range SourceFields {
			if c == name {
				k = j
			}
		}
		switch {
		case k < 0:
			return Invalidf("cannot clear %q: not a source field (want one of %s)", c, strings.Join(SourceFields, ", "))
		case *vals[k] != "":
			return Invalidf("%s is both set and cleared", c)
		case slicesContains(p.Cleared[:i], c):
			return Invalidf("%s is cleared twice", c)
		}
	}
	if len(p.Changes()) == 0 {
		return Invalidf("a source edit changes nothing")
	}
	if p.TranslationOf != "" {
		if err := ValidSourceID(p.TranslationOf); err != nil {
			return Invalidf("translation_of: %w", err)
		}
		if p.TranslationOf == p.ID {
			return Invalidf("source %s cannot be a translation of itself", p.ID)
		}
	}
	return validText("note", p.Note, MaxTextLen)
}
