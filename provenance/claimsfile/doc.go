// Package claimsfile parses claims files: Parse turns one into a File of
// Predicates, Aliases and Claims, each with the Pos it was written at, or
// reports the first problem as an *Error at its Pos.
//
// # Basics
//
// A claims file is YAML (.yaml, .yml) or JSON (.json); the extension
// decides. It is one mapping with up to four fields:
//
//	source: readable-2024-06-07          # default source for every claim below
//	predicates:                          # optional: define predicates before use
//	  - {name: launched, kind: date}
//	  - {name: member, kind: entity, many: true}
//	aliases:                             # optional
//	  - {name: US Canon, entity: Camp David summit, kind: mistranslation}
//	claims:
//	  - id: dtpn-launch                  # optional; default derived from content
//	    subject: Disruptive Technology Protection Network
//	    predicate: launched
//	    value: April 2023
//	    quote: Launched in April 2023 following the Camp David summit
//	  - subject: Disruptive Technology Protection Network
//	    predicate: launched
//	    value: {after: {subject: Camp David summit, predicate: held}}
//	    quote: following the Camp David summit
//	    prefix: April 2023                # optional: picks one occurrence of a repeated quote
//	    source: another-source-id        # a claim may name its own source
//
// The fields of each mapping:
//
//	file        source, predicates, aliases, claims
//	predicate   name, kind (required); many (true or false, default false)
//	alias       name, entity, kind (required); note
//	claim       subject, predicate, value, quote (required); id, as, source,
//	            note, prefix, suffix
//	value       text, or a mapping with one of after, before, same, whose
//	            value is a mapping {subject, predicate} (both required)
//
// A claim without a source takes the file's; a claim that has neither is an
// error. Either predicates, aliases or claims must be non-empty.
//
// Parse is a parser, nothing more: values, kinds, names and ids come back as
// written, and the importer interprets them (a value "2023-04-25" is a date
// or a text according to its predicate's kind). Where the file has text,
// Parse takes the literal text of any scalar: YAML 60 gives "60",
// 2023-04-25 gives "2023-04-25", true gives "true". A null, empty or blank
// scalar is a missing value.
//
// # Caveats
//
// Parse is strict so that a typo is never silently ignored: an unknown
// field, a duplicate field, or a list where a mapping belongs is an error
// naming the field, its line and column, the claim (by id, or as "claim #3")
// and the fields that are known. It stops at the first problem.
//
// A claims file may come from anywhere, so Parse refuses what could hurt:
// YAML anchors, aliases and merge keys (an alias bomb expands nothing here),
// nesting deeper than MaxDepth, YAML tags other than the core ones, more
// than one YAML document, NUL bytes, invalid UTF-8 and, in YAML, the
// control characters YAML forbids. A leading byte order mark is skipped.
// Names (subject, as, predicate, alias name and entity, the subject and
// predicate of a relation) and notes are checked as the log checks them
// (events.ValidName, events.ValidNote), so that an escaped line break,
// tab or bidirectional override ("a\n[9] ...") is reported at its line and
// column, with the character as U+XXXX.
//
// YAML reads plain text its own way, so quote values that contain ": " or
// " #", that start with one of - ? : , [ ] { } # & * ! | > ' " % @ `, or
// that are just ~ or null:
//
//	quote: "Launched: April 2023"
//
// Columns count code points, not bytes. yaml.v3 reports syntax errors with
// an approximate line and no column, so Parse finds the place again by
// parsing prefixes of the file (files up to 256 KiB; a column only in lines
// up to 4 KiB). That is exact in block style; inside a flow {...} or [...]
// it may point one token early, or give only the line.
//
// JSON is read by a scanner of the package's own, in one pass, not by
// yaml.v3, which refuses some valid JSON (the escapes \/ and surrogate
// pairs such as \ud83d\ude00) and is several times slower. It accepts what
// encoding/json accepts, words syntax errors as encoding/json does, and
// builds the same tree as YAML files give, so both formats follow the same
// rules. A lone surrogate escape (\ud800, or a high one not followed by a
// low one), which encoding/json would read as U+FFFD, is refused at its
// place, as yaml.v3 refuses it.
package claimsfile
