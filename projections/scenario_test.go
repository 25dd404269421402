package projections_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

var update = flag.Bool("update", false, "rewrite the golden files of the scenario tests (testdata/<scenario>/want.json, diff.json)")

// Golden scenarios: testdata/<name>/scenario.yaml is a list of steps, each
// one write transaction on a real archive, as the program runs them
// (append, then Store.CatchUp in the same transaction). want.json is the
// final view and conflict list; diff.json the diffs between labelled steps.
//
// Every scenario also checks the projection properties: after each step the
// stored state equals a full replay and Store.Check is clean; the state at
// every revision (read from a checkpoint) equals a replay of the events up
// to it and gives the analysis seen when that revision was the head; and
// Rebuild changes nothing.

const scenarioAuthor = "scenario-test"

// scenarioInterval is small so that checkpoints are stored and used.
const scenarioInterval = 3

type scenarioFile struct {
	Steps []scenarioStep `yaml:"steps"`
	// Diffs are written to diff.json: the diff between the revisions of
	// two labelled steps.
	Diffs []diffSpec `yaml:"diffs"`
}

type diffSpec struct {
	Name string `yaml:"name"`
	From string `yaml:"from"`
	To   string `yaml:"to"`
}

// scenarioStep is one write transaction. Its parts run in the order of
// the fields.
type scenarioStep struct {
	// Label names the revision after the step, for diffs.
	Label      string          `yaml:"label"`
	Source     *sourceStep     `yaml:"source"`
	Predicates []predicateStep `yaml:"predicates"`
	Alias      *aliasStep      `yaml:"alias"`
	Claims     []claimStep     `yaml:"claims"`
	Retract    *retractStep    `yaml:"retract"`
	Review     *reviewStep     `yaml:"review"`
	Edit       *editStep       `yaml:"edit"`
	// Error, when set, is part of the error the step must fail with; the
	// transaction then appends nothing.
	Error string `yaml:"error"`
}

type sourceStep struct {
	ID            string `yaml:"id"`
	Published     string `yaml:"published"`
	Lang          string `yaml:"lang"`
	Title         string `yaml:"title"`
	TranslationOf string `yaml:"translation_of"`
	Translator    string `yaml:"translator"`
	Text          string `yaml:"text"`
	raw           []byte // the seed test's file contents, instead of Text
}

// editStep corrects a source's metadata (sources.EditSource).
type editStep struct {
	ID            string   `yaml:"id"`
	Published     string   `yaml:"published"`
	Title         string   `yaml:"title"`
	TranslationOf string   `yaml:"translation_of"`
	Translator    string   `yaml:"translator"`
	Clear         []string `yaml:"clear"`
	Note          string   `yaml:"note"`
}

type predicateStep struct {
	Name string `yaml:"name"`
	Kind string `yaml:"kind"`
	Many bool   `yaml:"many"`
}

type aliasStep struct {
	Name   string `yaml:"name"`
	Entity string `yaml:"entity"`
	Kind   string `yaml:"kind"`
	Note   string `yaml:"note"`
}

type claimStep struct {
	ID        string    `yaml:"id"`
	Source    string    `yaml:"source"`
	Subject   string    `yaml:"subject"`
	As        string    `yaml:"as"`
	Predicate string    `yaml:"predicate"`
	Value     yaml.Node `yaml:"value"` // a string, or {after|before|same: {subject, predicate}}
	Quote     string    `yaml:"quote"`
	Note      string    `yaml:"note"`
	value     string
	relation  *events.Relation
}

type retractStep struct {
	Claim  string `yaml:"claim"`
	Reason string `yaml:"reason"`
}

type reviewStep struct {
	Conflict conflictSelector `yaml:"conflict"`
	Accept   string           `yaml:"accept"`
	Reject   string           `yaml:"reject"`
	Dismiss  bool             `yaml:"dismiss"`
	Same     bool             `yaml:"same"`
	Distinct bool             `yaml:"distinct"`
	Note     string           `yaml:"note"`
	Override bool             `yaml:"override"`
}

// conflictSelector finds one conflict of the current analysis: by kind and
// subject and predicate, or names (name conflicts), or claims (temporal).
type conflictSelector struct {
	Kind      projections.ConflictKind `yaml:"kind"`
	Subject   string                   `yaml:"subject"`
	Predicate string                   `yaml:"predicate"`
	Names     []string                 `yaml:"names"`
	Claims    []string                 `yaml:"claims"`
}

func (s conflictSelector) matches(cf *projections.Conflict) bool {
	if s.Kind != "" && cf.Kind != s.Kind {
		return false
	}
	if s.Subject != "" && cf.Subject != s.Subject {
		return false
	}
	if s.Predicate != "" && cf.Predicate != s.Predicate {
		return false
	}
	if s.Names != nil && !sameSet(s.Names, cf.Names) {
		return false
	}
	if s.Claims != nil && !sameSet(s.Claims, conflictClaimIDs(cf)) {
		return false
	}
	return true
}

func loadScenario(t *testing.T, dir string) scenarioFile {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, "scenario.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	var sc scenarioFile
	if err := dec.Decode(&sc); err != nil {
		t.Fatalf("%s/scenario.yaml: %v", dir, err)
	}
	for i := range sc.Steps {
		for j := range sc.Steps[i].Claims {
			c := &sc.Steps[i].Claims[j]
			if err := c.decodeValue(); err != nil {
				t.Fatalf("%s/scenario.yaml: step %d, claim %s: %v", dir, i+1, c.ID, err)
			}
		}
	}
	return sc
}

func (c *claimStep) decodeValue() error {
	switch c.Value.Kind {
	case yaml.ScalarNode:
		c.value = c.Value.Value
		return nil
	case yaml.MappingNode:
		var m map[string]events.FactRef
		if err := c.Value.Decode(&m); err != nil {
			return err
		}
		if len(m) != 1 {
			return fmt.Errorf("a relation value has one key (after, before or same), got %d", len(m))
		}
		for op, to := range m {
			c.relation = &events.Relation{Op: events.RelationOp(op), To: to}
		}
		return nil
	}
	return fmt.Errorf("value must be a string or a relation mapping")
}

// archive is a real archive on disk with the store the program uses, and
// what the steps saw.
type archive struct {
	t      *testing.T
	log    *events.Log
	store  *projections.Store
	labels map[string]events.Revision
	// seen is the analysis (analysisJSON) at the end of each step, by its
	// head revision.
	seen map[events.Revision][]byte
}

func newArchive(t *testing.T) *archive {
	t.Helper()
	return &archive{
		t:      t,
		log:    eventstest.MustOpenLog(t),
		store:  &projections.Store{Interval: scenarioInterval, Text: sources.StoredText},
		labels: map[string]events.Revision{},
		seen:   map[events.Revision][]byte{},
	}
}

func (a *archive) head() events.Revision {
	a.t.Helper()
	rev, _, err := a.log.Head()
	if err != nil {
		a.t.Fatal(err)
	}
	return rev
}

// run runs the steps, checking the stored projection after each.
func (a *archive) run(steps []scenarioStep) {
	t := a.t
	t.Helper()
	for i, st := range steps {
		before := a.head()
		err := a.log.Update(func(tx *events.Tx) error {
			if err := a.apply(tx, st); err != nil {
				return err
			}
			if len(tx.Appended()) == 0 {
				return nil
			}
			return a.store.CatchUp(tx)
		})
		switch {
		case st.Error != "" && err == nil:
			t.Fatalf("step %d: error = nil, want an error containing %q", i+1, st.Error)
		case st.Error != "" && !strings.Contains(err.Error(), st.Error):
			t.Fatalf("step %d: error = %v, want an error containing %q", i+1, err, st.Error)
		case st.Error == "" && err != nil:
			t.Fatalf("step %d: %v", i+1, err)
		}
		if st.Error != "" {
			if got := a.head(); got != before {
				t.Fatalf("step %d failed, yet the head moved from %d to %d", i+1, before, got)
			}
		}
		a.checkHead(fmt.Sprintf("step %d", i+1))
		if st.Label != "" {
			if _, dup := a.labels[st.Label]; dup {
				t.Fatalf("step %d: label %q used twice", i+1, st.Label)
			}
			a.labels[st.Label] = a.head()
		}
	}
}

func (a *archive) apply(tx *events.Tx, st scenarioStep) error {
	rec := provenance.NewRecorder(tx, scenarioAuthor)
	if s := st.Source; s != nil {
		raw := s.raw
		if raw == nil {
			raw = []byte(s.Text)
		}
		if _, err := sources.Add(tx, scenarioAuthor, raw, sources.Meta{
			ID: events.SourceID(s.ID), Title: s.Title, Lang: s.Lang, Published: s.Published,
			TranslationOf: events.SourceID(s.TranslationOf), Translator: s.Translator,
		}); err != nil {
			return fmt.Errorf("source %s: %w", s.ID, err)
		}
	}
	for _, p := range st.Predicates {
		kind, err := events.ParseValueKind(p.Kind)
		if err != nil {
			return err
		}
		if _, err := rec.DefinePredicate(events.PredicateDefined{Name: p.Name, Kind: kind, Many: p.Many}); err != nil {
			return err
		}
	}
	if al := st.Alias; al != nil {
		kind, err := events.ParseAliasKind(al.Kind)
		if err != nil {
			return err
		}
		if _, err := rec.DeclareAlias(events.AliasDeclared{Name: al.Name, Entity: al.Entity, Kind: kind, Note: al.Note}); err != nil {
			return err
		}
	}
	for _, c := range st.Claims {
		if _, err := rec.Assert(provenance.ClaimInput{
			ID: c.ID, Source: c.Source, Subject: c.Subject, As: c.As, Predicate: c.Predicate,
			Value: c.value, Relation: c.relation, Quote: c.Quote, Note: c.Note,
		}); err != nil {
			return fmt.Errorf("claim %s: %w", c.ID, err)
		}
	}
	if r := st.Retract; r != nil {
		if _, err := rec.Retract(events.ClaimID(r.Claim), r.Reason); err != nil {
			return err
		}
	}
	if ed := st.Edit; ed != nil {
		if _, err := sources.EditSource(tx, scenarioAuthor, events.SourceID(ed.ID), sources.Meta{
			Published: ed.Published, Title: ed.Title, TranslationOf: events.SourceID(ed.TranslationOf), Translator: ed.Translator,
		}, ed.Clear, ed.Note); err != nil {
			return fmt.Errorf("edit %s: %w", ed.ID, err)
		}
	}
	if rv := st.Review; rv != nil {
		s, _, err := a.store.Head(tx)
		if err != nil {
			return err
		}
		an := projections.Analyze(s)
		cf, err := findConflict(an, rv.Conflict)
		if err != nil {
			return err
		}
		var d events.Decision
		var claim events.ClaimID
		n := 0
		if rv.Accept != "" {
			d, claim, n = events.DecisionAccept, events.ClaimID(rv.Accept), n+1
		}
		if rv.Reject != "" {
			d, claim, n = events.DecisionReject, events.ClaimID(rv.Reject), n+1
		}
		for _, x := range []struct {
			on bool
			d  events.Decision
		}{{rv.Dismiss, events.DecisionDismiss}, {rv.Same, events.DecisionSame}, {rv.Distinct, events.DecisionDistinct}} {
			if x.on {
				d, n = x.d, n+1
			}
		}
		if n != 1 {
			return fmt.Errorf("a review step needs exactly one decision, has %d", n)
		}
		v, err := an.Verdict(cf, d, claim, rv.Note, rv.Override)
		if err != nil {
			return err
		}
		if _, err := tx.Append(scenarioAuthor, v); err != nil {
			return err
		}
	}
	return nil
}

func findConflict(an *projections.Analysis, sel conflictSelector) (*projections.Conflict, error) {
	var found []*projections.Conflict
	for _, cf := range an.Conflicts {
		if sel.matches(cf) {
			found = append(found, cf)
		}
	}
	if len(found) != 1 {
		var all []string
		for _, cf := range an.Conflicts {
			all = append(all, fmt.Sprintf("%s %s %q/%q %v %v", cf.Kind, cf.Status, cf.Subject, cf.Predicate, cf.Names, conflictClaimIDs(cf)))
		}
		return nil, fmt.Errorf("conflict %+v: %d match at revision %d, want 1; conflicts: %s", sel, len(found), an.Rev, strings.Join(all, "; "))
	}
	return found[0], nil
}

// replay folds events 1..to of the log into a fresh state: the state of an
// archive holding only those events.
func (a *archive) replay(tx *events.Tx, to events.Revision) *projections.State {
	a.t.Helper()
	s := projections.NewState()
	if to == 0 {
		return s
	}
	text := func(src *events.SourceArchived) (string, error) { return sources.StoredText(tx, src) }
	if err := tx.Scan(1, to, func(e events.Event) error { return s.Apply(e, text) }); err != nil {
		a.t.Fatal(err)
	}
	return s
}

// checkHead checks the stored (incremental) path against a full replay at
// the head, runs Store.Check, and remembers the analysis of the head.
func (a *archive) checkHead(where string) {
	t := a.t
	t.Helper()
	err := a.log.View(func(tx *events.Tx) error {
		head, _ := tx.Head()
		stored, _, err := a.store.Head(tx)
		if err != nil {
			return err
		}
		if stored.Rev != head {
			t.Errorf("%s: Head().Rev = %d, want the head %d", where, stored.Rev, head)
		}
		full := a.replay(tx, head)
		if got, want := mustJSON(t, stored), mustJSON(t, full); !bytes.Equal(got, want) {
			t.Errorf("%s: stored state differs from a full replay at revision %d:\n%s", where, head, lineDiff(string(want), string(got)))
		}
		if got, want := analysisJSON(t, projections.Analyze(stored)), analysisJSON(t, projections.Analyze(full)); !bytes.Equal(got, want) {
			t.Errorf("%s: analysis of the stored state differs from that of a full replay:\n%s", where, lineDiff(string(want), string(got)))
		}
		bad, err := a.store.Check(tx)
		if err != nil {
			return err
		}
		if len(bad) > 0 {
			t.Errorf("%s: Store.Check = %v, want no bad checkpoints", where, bad)
		}
		a.checkModel(tx, where, head, full)
		checkAnalyzeEntity(t, where, full)
		a.seen[head] = analysisJSON(t, projections.Analyze(stored))
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
}

// checkAnalyzeEntity checks that AnalyzeEntity finds, by each of its
// names, every entity of the analysis of s as the analysis has it.
func checkAnalyzeEntity(t *testing.T, where string, s *projections.State) {
	t.Helper()
	for _, e := range projections.Analyze(s).Entities {
		names := []string{e.Name}
		for _, n := range e.Aliases {
			names = append(names, n.Name)
		}
		want := mustJSON(t, e)
		names0 := projections.AnalyzeNames(s)
		for _, n := range names {
			if got := names0.Entity(n); got == nil || got.Name != e.Name || !reflect.DeepEqual(got.Aliases, e.Aliases) {
				t.Errorf("%s: AnalyzeNames resolves %q to %v, Analyze to %q", where, n, got, e.Name)
			}
			got := projections.AnalyzeEntity(s, n)
			if got == nil {
				t.Errorf("%s: AnalyzeEntity(%q) found no entity; Analyze has %q", where, n, e.Name)
				continue
			}
			if g := mustJSON(t, got); !bytes.Equal(g, want) || got.Name != e.Name || !reflect.DeepEqual(got.Aliases, e.Aliases) {
				t.Errorf("%s: AnalyzeEntity(%q) differs from Analyze's entity:\n%s", where, n, lineDiff(string(want), string(g)))
			}
		}
	}
	if e := projections.AnalyzeEntity(s, "no such name anywhere"); e != nil {
		t.Errorf("%s: AnalyzeEntity of an unknown name: got %q", where, e.Name)
	}
}

// checkModel compares the stored read model with that of the full
// replay, key for key: the property the incremental writes must keep.
func (a *archive) checkModel(tx *events.Tx, where string, head events.Revision, full *projections.State) {
	t := a.t
	t.Helper()
	got, ok, err := a.store.ModelAt(tx, head)
	if err != nil {
		t.Errorf("%s: ModelAt(head): %v", where, err)
		return
	}
	if !ok {
		t.Errorf("%s: no stored read model at the head %d", where, head)
		return
	}
	want, err := projections.ModelKeys(full)
	if err != nil {
		t.Fatal(err)
	}
	if d := projections.CompareModel(got, want); d != "" {
		t.Errorf("%s: the stored read model differs from that of a full replay at revision %d: %s", where, head, d)
	}
}

// checkpointRevs lists the stored checkpoints (bucket "projections",
// sub-bucket "checkpoints", keys big-endian revisions; see doc.go). It
// returns ok false when the layout is not there.
func checkpointRevs(tx *events.Tx) (revs []events.Revision, ok bool) {
	root := tx.KV().Bucket([]byte("projections"))
	if root == nil {
		return nil, false
	}
	b := root.Bucket([]byte("checkpoints"))
	if b == nil {
		return nil, false
	}
	b.ForEach(func(k, _ []byte) error {
		if len(k) == 8 {
			revs = append(revs, events.Revision(binary.BigEndian.Uint64(k)))
		}
		return nil
	})
	return revs, true
}

// checkTimeTravel reads every revision through Store.At and compares it
// with a replay of the events up to it, and with what the step that ended
// at that revision saw.
func (a *archive) checkTimeTravel(where string) {
	t := a.t
	t.Helper()
	err := a.log.View(func(tx *events.Tx) error {
		head, _ := tx.Head()
		cps, haveLayout := checkpointRevs(tx)
		usedCheckpoint := false
		var modeled []events.Revision
		analyses := map[events.Revision]*projections.Analysis{}
		text := func(src *events.SourceArchived) (string, error) { return sources.StoredText(tx, src) }
		fresh := projections.NewState()
		for r := events.Revision(0); r <= head; r++ {
			if r > 0 {
				e, err := tx.Event(r)
				if err != nil {
					return err
				}
				if err := fresh.Apply(e, text); err != nil {
					return err
				}
			}
			got, from, err := a.store.At(tx, r)
			if err != nil {
				return fmt.Errorf("At(%d): %w", r, err)
			}
			if from > r {
				t.Errorf("%s: At(%d) started from checkpoint %d, after the revision", where, r, from)
			}
			if haveLayout {
				var want events.Revision
				for _, c := range cps {
					if c <= r {
						want = max(want, c)
					}
				}
				if r > 0 && from != want {
					t.Errorf("%s: At(%d) started from checkpoint %d, want the nearest one at or before it, %d (checkpoints %v)", where, r, from, want, cps)
				}
			}
			usedCheckpoint = usedCheckpoint || from > 0
			if got.Rev != r {
				t.Errorf("%s: At(%d).Rev = %d", where, r, got.Rev)
			}
			if g, w := mustJSON(t, got), mustJSON(t, fresh); !bytes.Equal(g, w) {
				t.Errorf("%s: At(%d) differs from a replay of revisions 1..%d:\n%s", where, r, r, lineDiff(string(w), string(g)))
				continue
			}
			ga := analysisJSON(t, projections.Analyze(got))
			if wa := analysisJSON(t, projections.Analyze(fresh)); !bytes.Equal(ga, wa) {
				t.Errorf("%s: analysis at %d differs from that of a replay:\n%s", where, r, lineDiff(string(wa), string(ga)))
			}
			if seen, ok := a.seen[r]; ok && !bytes.Equal(ga, seen) {
				t.Errorf("%s: analysis at %d differs from the one seen when %d was the head:\n%s", where, r, r, lineDiff(string(seen), string(ga)))
			}
			if got, ok, err := a.store.ModelAt(tx, r); err != nil {
				t.Errorf("%s: ModelAt(%d): %v", where, r, err)
			} else if ok {
				want, err := projections.ModelKeys(fresh)
				if err != nil {
					return err
				}
				if d := projections.CompareModel(got, want); d != "" {
					t.Errorf("%s: the read model at %d differs from that of a replay of revisions 1..%d: %s", where, r, r, d)
				}
				modeled = append(modeled, r)
			}
			analyses[r] = projections.Analyze(fresh)
			fresh = a.replay(tx, r) // Analyze must not see later events through shared claims
		}
		if len(modeled) < 2 && head > 3 && !strings.Contains(where, "Rebuild") && !strings.Contains(where, "schema") { // the versions start again there
			t.Errorf("%s: the read model answers for only %v of revisions 0..%d", where, modeled, head)
		}
		// diff A B from the versions of the keys equals the diff of fresh
		// analyses, for every pair of revisions the model answers for.
		for i, x := range modeled {
			for _, y := range modeled[i:] {
				ch, ok, err := a.store.ModelDiff(tx, x, y)
				if err != nil {
					return fmt.Errorf("ModelDiff(%d, %d): %w", x, y, err)
				}
				if !ok {
					t.Errorf("%s: ModelDiff(%d, %d) cannot answer, yet ModelAt can at both", where, x, y)
					continue
				}
				want := mustJSON(t, projections.Diff(analyses[x], analyses[y]))
				if got := mustJSON(t, ch); !bytes.Equal(got, want) {
					t.Errorf("%s: diff %d %d from the model differs from the diff of replays:\n%s", where, x, y, lineDiff(string(want), string(got)))
				}
			}
		}
		if head >= 2*scenarioInterval && !usedCheckpoint {
			t.Errorf("%s: no read of revisions 0..%d started from a checkpoint (interval %d)", where, head, scenarioInterval)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
}

// checkRebuild rebuilds the projection and checks that nothing changed.
func (a *archive) checkRebuild() {
	t := a.t
	t.Helper()
	var before []byte
	if err := a.log.View(func(tx *events.Tx) error {
		s, _, err := a.store.Head(tx)
		before = mustJSON(t, s)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := a.log.Update(func(tx *events.Tx) error {
		s, err := a.store.Rebuild(tx)
		if err != nil {
			return err
		}
		if got := mustJSON(t, s); !bytes.Equal(got, before) {
			t.Errorf("Rebuild state differs from the stored head state:\n%s", lineDiff(string(before), string(got)))
		}
		return nil
	}); err != nil {
		t.Fatalf("Rebuild: %v", err)
	}
	if err := a.log.View(func(tx *events.Tx) error {
		s, _, err := a.store.Head(tx)
		if err != nil {
			return err
		}
		if got := mustJSON(t, s); !bytes.Equal(got, before) {
			t.Errorf("Head after Rebuild differs from before:\n%s", lineDiff(string(before), string(got)))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	a.checkHead("after Rebuild")
	a.checkTimeTravel("after Rebuild")
}

// analysisAt returns the analysis at rev read as the program reads it
// (Store.At, then Analyze).
func (a *archive) analysisAt(rev events.Revision) *projections.Analysis {
	a.t.Helper()
	var an *projections.Analysis
	if err := a.log.View(func(tx *events.Tx) error {
		s, _, err := a.store.At(tx, rev)
		if err != nil {
			return err
		}
		an = projections.Analyze(s)
		return nil
	}); err != nil {
		a.t.Fatal(err)
	}
	return an
}

// analysisJSON is everything an analysis shows, for comparisons.
func analysisJSON(t *testing.T, an *projections.Analysis) []byte {
	t.Helper()
	type entity struct {
		Name    string                   `json:"name"`
		Aliases []projections.EntityName `json:"aliases"`
		Facts   []*projections.Fact      `json:"facts"`
	}
	out := struct {
		Rev       events.Revision         `json:"rev"`
		Entities  []entity                `json:"entities"`
		Conflicts []*projections.Conflict `json:"conflicts"`
	}{Rev: an.Rev, Conflicts: an.Conflicts}
	for _, e := range an.Entities {
		out.Entities = append(out.Entities, entity{e.Name, e.Aliases, e.Facts})
	}
	return mustJSON(t, out)
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Golden output: the final view and conflicts, in the shape of the
// program's JSON output plus a few fields that make review easier.

type goldenView struct {
	Revision  events.Revision  `json:"revision"`
	Entities  []goldenEntity   `json:"entities"`
	Conflicts []goldenConflict `json:"conflicts"`
}

type goldenEntity struct {
	Name    string       `json:"name"`
	Aliases []string     `json:"aliases"`
	Facts   []goldenFact `json:"facts"`
}

type goldenFact struct {
	Predicate   string                 `json:"predicate"`
	Value       *string                `json:"value"`
	Status      projections.FactStatus `json:"status"`
	Claims      []events.ClaimID       `json:"claims"`
	Sources     []events.SourceID      `json:"sources"`
	Independent int                    `json:"independent_sources"`
	Rejected    []events.ClaimID       `json:"rejected,omitempty"`
	Values      []string               `json:"values,omitempty"`
	Relation    bool                   `json:"relation,omitempty"`
}

type goldenConflict struct {
	ID           projections.ConflictID     `json:"id"`
	Kind         projections.ConflictKind   `json:"kind"`
	Status       projections.ConflictStatus `json:"status"`
	Subject      string                     `json:"subject"`
	Predicate    string                     `json:"predicate"`
	WithinSource bool                       `json:"within_source"`
	Claims       []events.ClaimID           `json:"claims"`
	Names        []string                   `json:"names,omitempty"`
	Summary      string                     `json:"summary"`
	Verdict      string                     `json:"verdict,omitempty"`
	Reopened     bool                       `json:"reopened,omitempty"`
	Joined       []events.ClaimID           `json:"joined,omitempty"`
}

func golden(an *projections.Analysis) goldenView {
	g := goldenView{Revision: an.Rev, Entities: []goldenEntity{}, Conflicts: []goldenConflict{}}
	for _, e := range an.Entities {
		ge := goldenEntity{Name: e.Name, Aliases: []string{}, Facts: []goldenFact{}}
		for _, al := range e.Aliases {
			ge.Aliases = append(ge.Aliases, al.Name)
		}
		for _, f := range e.Facts {
			ge.Facts = append(ge.Facts, goldenFact{f.Predicate, f.Value, f.Status, f.Claims, f.Sources,
				f.Independent, f.Rejected, f.Values, f.Relation})
		}
		g.Entities = append(g.Entities, ge)
	}
	for _, cf := range an.Conflicts {
		gc := goldenConflict{ID: cf.ID, Kind: cf.Kind, Status: cf.Status, Subject: cf.Subject, Predicate: cf.Predicate,
			WithinSource: cf.WithinSource, Claims: conflictClaimIDsTyped(cf), Names: cf.Names, Summary: cf.Summary,
			Reopened: cf.Reopened, Joined: cf.Joined}
		if v := cf.Verdict; v != nil {
			gc.Verdict = string(v.Decision)
			if v.Claim != "" {
				gc.Verdict += " " + string(v.Claim)
			}
		}
		g.Conflicts = append(g.Conflicts, gc)
	}
	return g
}

// checkGolden compares got, indented, with the file, or rewrites it with
// -update.
func checkGolden(t *testing.T, path string, got any) {
	t.Helper()
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./projections -run Scenario -update to write it)", err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("%s differs (-want +got):\n%s", path, lineDiff(string(want), string(b)))
	}
}

// lineDiff is a unified line diff of want and got.
func lineDiff(want, got string) string {
	if d := provenance.UnifiedDiff("want", "got", want, got); d != "" {
		return d
	}
	return "(no line differences)"
}

func conflictClaimIDs(cf *projections.Conflict) []string {
	var out []string
	for _, cc := range cf.Claims {
		out = append(out, string(cc.ID))
	}
	return out
}

func conflictClaimIDsTyped(cf *projections.Conflict) []events.ClaimID {
	out := []events.ClaimID{}
	for _, cc := range cf.Claims {
		out = append(out, cc.ID)
	}
	return out
}

func sameSet[T ~string, U ~string](a []T, b []U) bool {
	x := make([]string, 0, len(a))
	for _, s := range a {
		x = append(x, string(s))
	}
	y := make([]string, 0, len(b))
	for _, s := range b {
		y = append(y, string(s))
	}
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

func subset[T ~string, U ~string](sub []T, of []U) bool {
	for _, s := range sub {
		if !slices.ContainsFunc(of, func(u U) bool { return string(u) == string(s) }) {
			return false
		}
	}
	return true
}

// Explicit expectations: what DESIGN.md says each scenario must show,
// written by hand so that the test does not merely echo the golden files.

type wantConflict struct {
	kind               projections.ConflictKind
	status             projections.ConflictStatus
	subject, predicate string
	claims             []events.ClaimID // the set of claims; nil: not checked
	names              []string         // the set of names; nil: not checked
	within             bool
	verdict            events.Decision // "": no verdict
	reopened           bool
	joined             []events.ClaimID // must be among Joined
}

func (w wantConflict) String() string {
	return fmt.Sprintf("%s %s %q/%q claims=%v names=%v within=%v verdict=%q reopened=%v joined⊇%v",
		w.kind, w.status, w.subject, w.predicate, w.claims, w.names, w.within, w.verdict, w.reopened, w.joined)
}

func (w wantConflict) matches(cf *projections.Conflict) bool {
	if cf.Kind != w.kind || cf.Status != w.status || cf.WithinSource != w.within || cf.Reopened != w.reopened {
		return false
	}
	if w.subject != "" && cf.Subject != w.subject {
		return false
	}
	if w.predicate != "" && cf.Predicate != w.predicate {
		return false
	}
	if w.claims != nil && !sameSet(w.claims, conflictClaimIDs(cf)) {
		return false
	}
	if w.names != nil && !sameSet(w.names, cf.Names) {
		return false
	}
	if (w.verdict == "") != (cf.Verdict == nil) || cf.Verdict != nil && cf.Verdict.Decision != w.verdict {
		return false
	}
	return subset(w.joined, cf.Joined)
}

type wantFact struct {
	subject, predicate string
	relation           bool
	value              string // nilValue: no reconciled value; "": not checked (see bugs)
	status             projections.FactStatus
	claims             []events.ClaimID // set; nil: not checked
	sources            []events.SourceID
	rejected           []events.ClaimID // set; nil: none
	independent        int              // 0: not checked
	values             []string         // competing values (set); nil: not checked
}

const nilValue = "<nil>"

type wantFactChange struct {
	op                 projections.ChangeOp
	subject, predicate string
	after              string // "": not checked
}

type wantConflictChange struct {
	op                 projections.ChangeOp
	kind               projections.ConflictKind
	subject, predicate string
}

type wantDiff struct {
	name      string
	facts     []wantFactChange     // must be listed
	conflicts []wantConflictChange // exactly these, in any order
}

type scenarioWant struct {
	conflicts []wantConflict // the complete conflict list
	facts     []wantFact
	aliases   map[string][]string // entity → exactly these aliases
	diffs     []wantDiff
	// at holds expectations at labelled revisions before the last.
	at map[string]stateWant
	// checks are further expectations on the archive and the final
	// analysis; each reports what is wrong, or "".
	checks []scenarioCheck
}

type scenarioCheck func(t *testing.T, a *archive, an *projections.Analysis) string

// stateWant is what the analysis at a labelled revision must show.
type stateWant struct {
	conflicts []wantConflict // the complete list
	facts     []wantFact
}

// nameConflictsHaveNoPredicate checks, at every labelled revision and the
// head, that name conflicts have no predicate: they concern two names,
// not a fact.
func nameConflictsHaveNoPredicate(t *testing.T, a *archive, an *projections.Analysis) string {
	ans := []*projections.Analysis{an}
	for _, rev := range a.labels {
		ans = append(ans, a.analysisAt(rev))
	}
	for _, x := range ans {
		for _, cf := range x.Conflicts {
			if cf.Kind == projections.KindName && cf.Predicate != "" {
				return fmt.Sprintf("at revision %d the %s name conflict %s %q has predicate %q (Analysis.fromVerdict takes it from the verdict's first claim); want \"\"",
					x.Rev, cf.Status, cf.ID, cf.Names, cf.Predicate)
			}
		}
	}
	return ""
}

// aliasFrom checks that entity has the alias name of the given kind, made
// by claim (or by no claim: "") at the revision of the labelled step.
func aliasFrom(entity, name string, kind events.AliasKind, claim events.ClaimID, label, note string) scenarioCheck {
	return func(t *testing.T, a *archive, an *projections.Analysis) string {
		e := an.Entity(entity)
		if e == nil || e.Name != entity {
			return fmt.Sprintf("no entity named %q", entity)
		}
		rev, ok := a.labels[label]
		if !ok {
			return fmt.Sprintf("no step labelled %q", label)
		}
		want := projections.EntityName{Name: name, Kind: kind, Claim: claim, Rev: rev, Note: note}
		for _, al := range e.Aliases {
			if al.Name == name {
				if al != want {
					return fmt.Sprintf("%s: alias %+v, want %+v", entity, al, want)
				}
				return ""
			}
		}
		return fmt.Sprintf("%s: no alias %q in %+v", entity, name, e.Aliases)
	}
}

// acceptedClaim checks that the value conflict on subject / predicate
// was last settled by accepting claim.
func acceptedClaim(subject, predicate string, claim events.ClaimID) scenarioCheck {
	return func(t *testing.T, a *archive, an *projections.Analysis) string {
		for _, cf := range an.Conflicts {
			if cf.Kind == projections.KindValue && cf.Subject == subject && cf.Predicate == predicate {
				if v := cf.Verdict; v == nil || v.Decision != events.DecisionAccept || v.Claim != claim {
					return fmt.Sprintf("%s / %s: verdict = %+v, want accept %s", subject, predicate, v, claim)
				}
				return ""
			}
		}
		return fmt.Sprintf("%s / %s: no value conflict", subject, predicate)
	}
}

func checkConflicts(t *testing.T, an *projections.Analysis, want []wantConflict) {
	t.Helper()
	used := make([]bool, len(an.Conflicts))
	ok := len(want) == len(an.Conflicts)
	for _, w := range want {
		found := false
		for i, cf := range an.Conflicts {
			if !used[i] && w.matches(cf) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			ok = false
			t.Errorf("no conflict matches %v", w)
		}
	}
	if !ok {
		var got []string
		for _, cf := range an.Conflicts {
			v := ""
			if cf.Verdict != nil {
				v = string(cf.Verdict.Decision)
			}
			got = append(got, fmt.Sprintf("\n\t%s %s %q/%q claims=%v names=%v within=%v verdict=%q reopened=%v joined=%v",
				cf.Kind, cf.Status, cf.Subject, cf.Predicate, conflictClaimIDs(cf), cf.Names, cf.WithinSource, v, cf.Reopened, cf.Joined))
		}
		t.Errorf("conflicts: got %d, want %d:%s", len(an.Conflicts), len(want), strings.Join(got, ""))
	}
}

func checkFacts(t *testing.T, an *projections.Analysis, want []wantFact) {
	t.Helper()
	for _, w := range want {
		e := an.Entity(w.subject)
		if e == nil {
			t.Errorf("no entity %q", w.subject)
			continue
		}
		var f *projections.Fact
		for _, x := range e.Facts {
			if x.Predicate == w.predicate && x.Relation == w.relation {
				if f != nil {
					t.Errorf("%s / %s: more than one fact", w.subject, w.predicate)
				}
				f = x
			}
		}
		if f == nil {
			t.Errorf("%s / %s (relation %v): no such fact in entity %q", w.subject, w.predicate, w.relation, e.Name)
			continue
		}
		where := fmt.Sprintf("%s / %s", w.subject, w.predicate)
		got := nilValue
		if f.Value != nil {
			got = *f.Value
		}
		if w.value != "" && got != w.value {
			t.Errorf("%s: value = %q, want %q", where, got, w.value)
		}
		if f.Status != w.status {
			t.Errorf("%s: status = %q, want %q", where, f.Status, w.status)
		}
		if w.claims != nil && !sameSet(w.claims, f.Claims) {
			t.Errorf("%s: claims = %v, want %v", where, f.Claims, w.claims)
		}
		if w.sources != nil && !sameSet(w.sources, f.Sources) {
			t.Errorf("%s: sources = %v, want %v", where, f.Sources, w.sources)
		}
		if !sameSet(w.rejected, f.Rejected) {
			t.Errorf("%s: rejected = %v, want %v", where, f.Rejected, w.rejected)
		}
		if w.independent != 0 && f.Independent != w.independent {
			t.Errorf("%s: independent sources = %d, want %d", where, f.Independent, w.independent)
		}
		if w.values != nil && !sameSet(w.values, f.Values) {
			t.Errorf("%s: values = %v, want %v", where, f.Values, w.values)
		}
	}
}

func checkDiff(t *testing.T, ch *projections.Changes, w wantDiff) {
	t.Helper()
	for _, wf := range w.facts {
		found := false
		for _, f := range ch.Facts {
			if f.Op == wf.op && f.Subject == wf.subject && f.Predicate == wf.predicate &&
				(wf.after == "" || f.After != nil && *f.After == wf.after) {
				found = true
			}
		}
		if !found {
			t.Errorf("diff %s: no fact change %+v in %s", w.name, wf, mustJSON(t, ch.Facts))
		}
	}
	// The conflict changes: exactly those wanted, in any order.
	used := make([]bool, len(ch.Conflicts))
	ok := len(w.conflicts) == len(ch.Conflicts)
	for _, wc := range w.conflicts {
		found := false
		for i, c := range ch.Conflicts {
			if !used[i] && c.Op == wc.op && c.Kind == wc.kind && c.Subject == wc.subject &&
				c.Predicate == wc.predicate {
				used[i], found = true, true
				break
			}
		}
		ok = ok && found
	}
	if !ok {
		t.Errorf("diff %s: conflict changes = %s, want %+v", w.name, mustJSON(t, ch.Conflicts), w.conflicts)
	}
}

// Scenario claim ids, for the tables below.
type ids = []events.ClaimID

var scenarios = map[string]scenarioWant{
	"precision-refinement": {
		conflicts: nil,
		facts: []wantFact{{subject: "Harbor Data Exchange", predicate: "launched", value: "2023-04-25", status: projections.StatusAgreed,
			claims: ids{"gazette-launch", "review-launch", "daily-launch"}, independent: 3}},
	},
	"disjoint-months": {
		conflicts: []wantConflict{{kind: projections.KindValue, status: projections.ConflictOpen,
			subject: "Coastal Monitoring Pact", predicate: "took effect", claims: ids{"north-effect", "south-effect"}}},
		facts: []wantFact{{subject: "Coastal Monitoring Pact", predicate: "took effect", value: nilValue, status: projections.StatusConflict,
			claims: ids{"north-effect", "south-effect"}, values: []string{"2023-04", "2023-08"}}},
	},
	"approximate-widening": {
		// 2023-04~ covers March to May; 2023-06~ May to July.
		conflicts: []wantConflict{{kind: projections.KindValue, status: projections.ConflictOpen,
			subject: "Canal Lock", predicate: "opened", claims: ids{"river-lock", "valley-lock"}}},
		facts: []wantFact{
			{subject: "River Bridge", predicate: "opened", value: "2023-05-10", status: projections.StatusAgreed, independent: 2},
			// Two approximate months agree (in May); neither is more precise.
			{subject: "Tram Depot", predicate: "opened", status: projections.StatusAgreed, independent: 2},
			{subject: "Ferry Terminal", predicate: "opened", value: "2023-04", status: projections.StatusAgreed, independent: 2},
			{subject: "Canal Lock", predicate: "opened", value: nilValue, status: projections.StatusConflict, values: []string{"2023-04", "2023-06~"}},
		},
	},
	"quantities": {
		conflicts: []wantConflict{
			{kind: projections.KindValue, status: projections.ConflictOpen, subject: "Ocean Data Council", predicate: "members",
				claims: ids{"east-council", "west-council"}},
			{kind: projections.KindValue, status: projections.ConflictOpen, subject: "Lagoon Patrol", predicate: "vessels",
				claims: ids{"east-patrol", "west-patrol"}},
		},
		facts: []wantFact{
			{subject: "Harbor Safety Forum", predicate: "members", value: "62 countries", status: projections.StatusAgreed, independent: 2},
			{subject: "Reef Watch Network", predicate: "budget", value: "60.4 million dollars", status: projections.StatusAgreed, independent: 2},
			// 1.5 trillion means 1.45..1.55 trillion, 1,500 billion means
			// 1,499.5..1,500.5 billion: the second is the more precise.
			{subject: "Port Fund", predicate: "budget", value: "1500 billion won", status: projections.StatusAgreed, independent: 2},
			{subject: "Ocean Data Council", predicate: "members", value: nilValue, status: projections.StatusConflict,
				values: []string{"60 countries", "62 countries"}},
			{subject: "Lagoon Patrol", predicate: "vessels", value: nilValue, status: projections.StatusConflict,
				values: []string{"12 ships", "12 boats"}},
		},
	},
	"entity-alias": {
		conflicts: []wantConflict{{kind: projections.KindValue, status: projections.ConflictOpen, subject: "Energy Accord", predicate: "venue",
			claims: ids{"wire-accord", "digest-accord"}}},
		facts: []wantFact{{subject: "Trilateral Pact", predicate: "venue", value: "Camp David summit", status: projections.StatusAgreed,
			claims: ids{"wire-venue", "digest-venue"}, independent: 2}},
		aliases: map[string][]string{"Camp David summit": {"US Canon"}},
		at: map[string]stateWant{"before-alias": {conflicts: []wantConflict{
			{kind: projections.KindValue, status: projections.ConflictOpen, subject: "Trilateral Pact", predicate: "venue",
				claims: ids{"wire-venue", "digest-venue"}},
			{kind: projections.KindValue, status: projections.ConflictOpen, subject: "Energy Accord", predicate: "venue",
				claims: ids{"wire-accord", "digest-accord"}},
		}}},
		diffs: []wantDiff{{name: "alias",
			facts:     []wantFactChange{{op: projections.OpChanged, subject: "Trilateral Pact", predicate: "venue", after: "Camp David summit"}},
			conflicts: []wantConflictChange{{projections.OpResolved, projections.KindValue, "Trilateral Pact", "venue"}}}},
	},
	"text-values": {
		conflicts: []wantConflict{{kind: projections.KindValue, status: projections.ConflictOpen, subject: "Delta Research Hub", predicate: "motto",
			claims: ids{"left-hub", "right-hub"}}},
		facts: []wantFact{{subject: "Coastal Guard Alliance", predicate: "motto", value: "Protect what we build", status: projections.StatusAgreed,
			claims: ids{"left-motto", "right-motto"}}},
	},
	"violated-after": {
		conflicts: []wantConflict{{kind: projections.KindTemporal, status: projections.ConflictOpen,
			subject: "Harbor Security Network", predicate: "launched", claims: ids{"hsn-after", "hsn-launch", "summit-held"}}},
		facts: []wantFact{
			{subject: "Harbor Security Network", predicate: "launched", value: "2023-04", status: projections.StatusSingleSource},
			{subject: "Harbor Security Network", predicate: "launched", relation: true, value: "after Lakeside summit / held", status: projections.StatusSingleSource},
			{subject: "Port Cyber Network", predicate: "launched", value: "2023-09", status: projections.StatusSingleSource},
		},
	},
	"violated-same": {
		conflicts: []wantConflict{{kind: projections.KindTemporal, status: projections.ConflictOpen,
			subject: "Bay Tech Shield", predicate: "first meeting", claims: ids{"bt-same", "bt-launch", "ep-meeting"}}},
		facts: []wantFact{{subject: "Bay Tech Shield", predicate: "first meeting", value: "2024-04-25", status: projections.StatusSingleSource}},
	},
	"chained-relation": {
		conflicts: []wantConflict{{kind: projections.KindTemporal, status: projections.ConflictOpen,
			subject: "Harbor Expo", predicate: "held", claims: ids{"expo-after-gala", "gala-after-parade", "expo-date", "parade-date"}}},
	},
	"name-variants": {
		conflicts: []wantConflict{
			{kind: projections.KindName, status: projections.ConflictOpen, names: []string{"DTPN", "Disruptive Technology Protection Network"}},
			{kind: projections.KindName, status: projections.ConflictOpen, names: []string{"Seoul Tokyo Forum", "Tokyo Seoul Forum"}},
			{kind: projections.KindName, status: projections.ConflictOpen, names: []string{"Maritime Safety Council", "Maritme Safety Council"}},
			// Korea-US summit and Korea-Japan summit are different things: not flagged.
		},
	},
	"copied-source": {
		facts: []wantFact{{subject: "Tidal Data Commons", predicate: "launched", value: "2023-04", status: projections.StatusSingleSource,
			claims: ids{"original-launch", "copy-launch"}, sources: []events.SourceID{"coast-wire", "bay-syndicate"}, independent: 1}},
	},
	"translation": {
		facts: []wantFact{{subject: "Innovative Technology Protection Network", predicate: "launched", value: "2023-04",
			status: projections.StatusSingleSource, claims: ids{"ja-launch", "en-launch"}, independent: 1}},
		aliases: map[string][]string{"Innovative Technology Protection Network": {"革新技術保護ネットワーク"}},
	},
	"source-edit-date": {
		facts: []wantFact{{subject: "Harbor Summit", predicate: "held", value: "2023-08-18", status: projections.StatusAgreed,
			claims: ids{"gazette-held", "wire-held"}, independent: 2}},
		at: map[string]stateWant{"before-edit": {
			conflicts: []wantConflict{{kind: projections.KindValue, status: projections.ConflictOpen,
				subject: "Harbor Summit", predicate: "held", claims: ids{"gazette-held", "wire-held"}}},
			facts: []wantFact{{subject: "Harbor Summit", predicate: "held", value: nilValue, status: projections.StatusConflict,
				claims: ids{"gazette-held", "wire-held"}, values: []string{"2024-08", "2023-08-18"}}},
		}},
		diffs: []wantDiff{{name: "correct-date",
			facts:     []wantFactChange{{op: projections.OpChanged, subject: "Harbor Summit", predicate: "held", after: "2023-08-18"}},
			conflicts: []wantConflictChange{{projections.OpResolved, projections.KindValue, "Harbor Summit", "held"}}}},
	},
	"source-edit-translation": {
		facts: []wantFact{{subject: "Reef Survey", predicate: "started", value: "2023-03", status: projections.StatusSingleSource,
			claims: ids{"bay-started", "coast-started"}, independent: 1}},
		at: map[string]stateWant{"before-edit": {
			facts: []wantFact{{subject: "Reef Survey", predicate: "started", value: "2023-03", status: projections.StatusAgreed,
				claims: ids{"bay-started", "coast-started"}, independent: 2}},
		}},
	},
	"model-chain-retract": {
		conflicts: []wantConflict{{kind: projections.KindTemporal, status: projections.ConflictResolved, subject: "Harbor Expo", predicate: "held",
			claims: ids{"expo-after-gala", "expo-date", "parade-sep"}, verdict: events.DecisionReject}},
		facts: []wantFact{{subject: "Spring Parade", predicate: "held", value: "2023-02", status: projections.StatusSingleSource,
			claims: ids{"parade-feb"}, rejected: ids{"parade-sep"}}},
		at: map[string]stateWant{
			"two-dates": {conflicts: []wantConflict{
				{kind: projections.KindValue, status: projections.ConflictOpen, subject: "Spring Parade", predicate: "held", claims: ids{"parade-sep", "parade-feb"}, within: true},
				{kind: projections.KindTemporal, status: projections.ConflictOpen, subject: "Harbor Expo", predicate: "held",
					claims: ids{"expo-after-gala", "gala-after-parade", "expo-date", "parade-sep"}},
			}},
			"rejected": {conflicts: []wantConflict{
				{kind: projections.KindTemporal, status: projections.ConflictResolved, subject: "Harbor Expo", predicate: "held",
					claims: ids{"expo-after-gala", "gala-after-parade", "expo-date", "parade-sep"}, verdict: events.DecisionReject},
			}},
		},
		diffs: []wantDiff{{name: "reject",
			facts: []wantFactChange{{op: projections.OpChanged, subject: "Spring Parade", predicate: "held", after: "2023-02"}},
			conflicts: []wantConflictChange{
				{projections.OpResolved, projections.KindValue, "Spring Parade", "held"},
				{projections.OpResolved, projections.KindTemporal, "Harbor Expo", "held"},
			}}},
	},
	"model-alias-merge": {
		conflicts: []wantConflict{{kind: projections.KindValue, status: projections.ConflictOpen, subject: "Northern Rail Union", predicate: "founded",
			claims: ids{"east-founded", "east-founded-2", "west-founded", "west-founded-2"}},
			{kind: projections.KindValue, status: projections.ConflictOpen, subject: "Northern Rail Union", predicate: "members",
				claims: ids{"east-members", "west-members", "west-members-2"}}},
		aliases: map[string][]string{"Northern Rail Union": {"NRU"}},
		at: map[string]stateWant{
			"apart": {conflicts: []wantConflict{
				{kind: projections.KindValue, status: projections.ConflictOpen, subject: "Northern Rail Union", predicate: "founded", claims: ids{"east-founded", "east-founded-2"}, within: true},
				{kind: projections.KindValue, status: projections.ConflictOpen, subject: "NRU", predicate: "founded", claims: ids{"west-founded", "west-founded-2"}, within: true},
				{kind: projections.KindName, status: projections.ConflictOpen, names: []string{"Northern Rail Union", "NRU"}},
			}},
			"merged": {
				conflicts: []wantConflict{{kind: projections.KindValue, status: projections.ConflictOpen, subject: "Northern Rail Union", predicate: "founded",
					claims: ids{"east-founded", "east-founded-2", "west-founded", "west-founded-2"}}},
				facts: []wantFact{{subject: "Northern Rail Union", predicate: "members", value: "4000", status: projections.StatusAgreed,
					claims: ids{"east-members", "west-members"}, independent: 2}},
			},
		},
		diffs: []wantDiff{{name: "join",
			conflicts: []wantConflictChange{{projections.OpOpened, projections.KindValue, "Northern Rail Union", "members"}}}},
	},
	"model-source-incremental": {
		facts: []wantFact{{subject: "Reef Sensor Network", predicate: "launched", value: "2022-05", status: projections.StatusSingleSource,
			claims: ids{"wire-launch", "review-launch", "syndicate-launch", "review-ko-launch"}, independent: 1}},
		at: map[string]stateWant{"cited": {facts: []wantFact{{subject: "Reef Sensor Network", predicate: "launched", value: "2022-05",
			status: projections.StatusAgreed, claims: ids{"wire-launch", "review-launch", "syndicate-launch", "review-ko-launch"}, independent: 2}}}},
		checks: []scenarioCheck{func(t *testing.T, a *archive, an *projections.Analysis) string {
			// Full: the predicate (no model yet), the first claims (a new
			// name) and the bridging source. Incremental: the four other
			// sources, the claims on the known name, and the new predicate
			// with its claim.
			if a.store.PartialWrites != 6 || a.store.FullWrites != 3 {
				return fmt.Sprintf("the writes took the incremental path %d times and the full one %d times, want 6 and 3",
					a.store.PartialWrites, a.store.FullWrites)
			}
			return ""
		}},
	},
	"model-copy-later": {
		facts: []wantFact{
			{subject: "Tidal Data Commons", predicate: "launched", value: "2023-04", status: projections.StatusSingleSource,
				claims: ids{"wire-launch", "review-launch"}, independent: 1},
			{subject: "Tidal Data Commons", predicate: "partners", status: projections.StatusSingleSource,
				claims: ids{"wire-partners", "review-partners"}, independent: 1},
		},
		at: map[string]stateWant{"joined": {facts: []wantFact{
			{subject: "Tidal Data Commons", predicate: "launched", value: "2023-04", status: projections.StatusAgreed,
				claims: ids{"wire-launch", "review-launch"}, independent: 2},
			{subject: "Tidal Data Commons", predicate: "partners", status: projections.StatusAgreed,
				claims: ids{"wire-partners", "review-partners"}, independent: 2},
		}}},
		diffs: []wantDiff{{name: "copy", facts: []wantFactChange{
			{op: projections.OpChanged, subject: "Tidal Data Commons", predicate: "launched"},
			{op: projections.OpChanged, subject: "Tidal Data Commons", predicate: "partners"},
		}}},
	},
	"retraction": {
		facts: []wantFact{{subject: "Island Data Link", predicate: "opened", value: "2023-06", status: projections.StatusSingleSource,
			claims: ids{"morning-open"}}},
		at: map[string]stateWant{"before-retract": {conflicts: []wantConflict{{kind: projections.KindValue, status: projections.ConflictOpen,
			subject: "Island Data Link", predicate: "opened", claims: ids{"morning-open", "evening-open"}}}}},
		diffs: []wantDiff{{name: "retract",
			facts:     []wantFactChange{{op: projections.OpChanged, subject: "Island Data Link", predicate: "opened", after: "2023-06"}},
			conflicts: []wantConflictChange{{projections.OpResolved, projections.KindValue, "Island Data Link", "opened"}}}},
	},
	"within-source": {
		conflicts: []wantConflict{{kind: projections.KindValue, status: projections.ConflictOpen, subject: "Lagoon Sensor Grid",
			predicate: "started", claims: ids{"grid-april", "grid-june"}, within: true}},
	},
	"review-accept": {
		conflicts: []wantConflict{{kind: projections.KindValue, status: projections.ConflictOpen, subject: "Shield Network", predicate: "launched",
			claims: ids{"ad-launch", "hd-launch", "lr-launch"}, verdict: events.DecisionAccept, reopened: true, joined: ids{"lr-launch"}}},
		facts: []wantFact{
			{subject: "Shield Network", predicate: "launched", value: nilValue, status: projections.StatusConflict,
				claims: ids{"ad-launch", "hd-launch", "lr-launch"}, rejected: ids{"tw-launch"}},
		},
		at: map[string]stateWant{
			"before-accept": {
				conflicts: []wantConflict{
					{kind: projections.KindValue, status: projections.ConflictOpen, subject: "Shield Network", predicate: "launched",
						claims: ids{"tw-launch", "ad-launch"}},
					{kind: projections.KindTemporal, status: projections.ConflictOpen, subject: "Shield Network", predicate: "launched",
						claims: ids{"tw-after", "tw-launch", "sa-held"}},
				},
				facts: []wantFact{{subject: "Shield Network", predicate: "launched", value: nilValue, status: projections.StatusConflict,
					values: []string{"2023-04", "2023-08"}}},
			},
			// Accepting August rejects April; the temporal conflict rested
			// on April and is gone.
			"after-accept": {
				conflicts: []wantConflict{{kind: projections.KindValue, status: projections.ConflictResolved, subject: "Shield Network",
					predicate: "launched", claims: ids{"tw-launch", "ad-launch"}, verdict: events.DecisionAccept}},
				facts: []wantFact{{subject: "Shield Network", predicate: "launched", value: "2023-08", status: projections.StatusResolved,
					claims: ids{"ad-launch"}, rejected: ids{"tw-launch"}}},
			},
			// A claim that agrees with the accepted one does not reopen.
			"agreeing-claim": {
				conflicts: []wantConflict{{kind: projections.KindValue, status: projections.ConflictResolved, subject: "Shield Network",
					predicate: "launched", verdict: events.DecisionAccept}},
				facts: []wantFact{{subject: "Shield Network", predicate: "launched", value: "2023-08-20", status: projections.StatusResolved,
					claims: ids{"ad-launch", "hd-launch"}, rejected: ids{"tw-launch"}}},
			},
		},
		diffs: []wantDiff{
			{name: "accept",
				facts: []wantFactChange{{op: projections.OpChanged, subject: "Shield Network", predicate: "launched", after: "2023-08"}},
				conflicts: []wantConflictChange{
					{projections.OpResolved, projections.KindValue, "Shield Network", "launched"},
					{projections.OpResolved, projections.KindTemporal, "Shield Network", "launched"}, // it rested on the rejected claim
				}},
			{name: "agreeing-claim",
				facts: []wantFactChange{{op: projections.OpChanged, subject: "Shield Network", predicate: "launched", after: "2023-08-20"}}},
			{name: "reopen",
				facts:     []wantFactChange{{op: projections.OpChanged, subject: "Shield Network", predicate: "launched"}},
				conflicts: []wantConflictChange{{projections.OpReopened, projections.KindValue, "Shield Network", "launched"}}},
		},
	},
	"review-dismiss": {
		conflicts: []wantConflict{{kind: projections.KindValue, status: projections.ConflictResolved, subject: "Coral Reef Survey",
			predicate: "published", claims: ids{"marine-published", "science-published"}, verdict: events.DecisionDismiss}},
		facts: []wantFact{{subject: "Coral Reef Survey", predicate: "published", value: nilValue, status: projections.StatusResolved,
			claims: ids{"marine-published", "science-published"}, values: []string{"2023-04", "2023-08"}}},
		diffs: []wantDiff{{name: "dismiss",
			facts:     []wantFactChange{{op: projections.OpChanged, subject: "Coral Reef Survey", predicate: "published"}},
			conflicts: []wantConflictChange{{projections.OpResolved, projections.KindValue, "Coral Reef Survey", "published"}}}},
	},
	"review-reject": {
		conflicts: []wantConflict{{kind: projections.KindValue, status: projections.ConflictResolved, subject: "Tidal Energy Pact",
			predicate: "signed", claims: ids{"alpha-signed", "beta-signed", "gamma-signed"}, verdict: events.DecisionReject}},
		facts: []wantFact{{subject: "Tidal Energy Pact", predicate: "signed", value: "2023-04-25", status: projections.StatusResolved,
			claims: ids{"alpha-signed", "beta-signed"}, rejected: ids{"gamma-signed"}}},
		diffs: []wantDiff{{name: "reject",
			facts:     []wantFactChange{{op: projections.OpChanged, subject: "Tidal Energy Pact", predicate: "signed", after: "2023-04-25"}},
			conflicts: []wantConflictChange{{projections.OpResolved, projections.KindValue, "Tidal Energy Pact", "signed"}}}},
	},
	"review-names": {
		conflicts: []wantConflict{
			{kind: projections.KindName, status: projections.ConflictResolved, names: []string{"Seoul Tokyo Forum", "Tokyo Seoul Forum"},
				verdict: events.DecisionSame},
			{kind: projections.KindName, status: projections.ConflictResolved, names: []string{"Austria Trade Office", "Australia Trade Office"},
				verdict: events.DecisionDistinct},
		},
		facts: []wantFact{
			{subject: "Tokyo Seoul Forum", predicate: "founded", value: "2019-03", status: projections.StatusAgreed,
				claims: ids{"north-forum", "south-forum"}, independent: 2},
			{subject: "Austria Trade Office", predicate: "founded", value: "1998", status: projections.StatusSingleSource},
			{subject: "Australia Trade Office", predicate: "founded", value: "2004", status: projections.StatusSingleSource},
		},
		aliases: map[string][]string{"Seoul Tokyo Forum": {"Tokyo Seoul Forum"}, "Austria Trade Office": {}, "Australia Trade Office": {}},
		at: map[string]stateWant{"before-review": {conflicts: []wantConflict{
			{kind: projections.KindName, status: projections.ConflictOpen, names: []string{"Seoul Tokyo Forum", "Tokyo Seoul Forum"}},
			{kind: projections.KindName, status: projections.ConflictOpen, names: []string{"Austria Trade Office", "Australia Trade Office"}},
		}}},
		diffs: []wantDiff{{name: "review",
			facts: []wantFactChange{
				{op: projections.OpChanged, subject: "Seoul Tokyo Forum", predicate: "founded", after: "2019-03"},
				{op: projections.OpRemoved, subject: "Tokyo Seoul Forum", predicate: "founded"},
			},
			// A name conflict concerns two names, not a fact: no predicate.
			conflicts: []wantConflictChange{
				{projections.OpResolved, projections.KindName, "Seoul Tokyo Forum", ""},
				{projections.OpResolved, projections.KindName, "Australia Trade Office", ""},
			}}},
		checks: []scenarioCheck{nameConflictsHaveNoPredicate,
			// The alias the "same" verdict made is the verdict's, at its
			// revision, not the claim's that first used the name.
			aliasFrom("Seoul Tokyo Forum", "Tokyo Seoul Forum", events.AliasSame, "", "after-same", "one forum, named by the other capital first")},
	},
	"review-override-dismiss": {
		// The dismissal replaced the accept whole: April stands again, and
		// so does the temporal conflict that rested on it.
		conflicts: []wantConflict{
			{kind: projections.KindValue, status: projections.ConflictResolved, subject: "Shield Network", predicate: "launched",
				claims: ids{"tw-launch", "ad-launch"}, verdict: events.DecisionDismiss},
			{kind: projections.KindTemporal, status: projections.ConflictOpen, subject: "Shield Network", predicate: "launched",
				claims: ids{"tw-after", "tw-launch", "sa-held"}},
		},
		facts: []wantFact{
			{subject: "Shield Network", predicate: "launched", value: nilValue, status: projections.StatusResolved,
				claims: ids{"tw-launch", "ad-launch"}, values: []string{"2023-04", "2023-08"}},
		},
		at: map[string]stateWant{"after-accept": {
			conflicts: []wantConflict{{kind: projections.KindValue, status: projections.ConflictResolved, subject: "Shield Network",
				predicate: "launched", claims: ids{"tw-launch", "ad-launch"}, verdict: events.DecisionAccept}},
			facts: []wantFact{{subject: "Shield Network", predicate: "launched", value: "2023-08", status: projections.StatusResolved,
				claims: ids{"ad-launch"}, rejected: ids{"tw-launch"}}},
		}},
		diffs: []wantDiff{
			{name: "accept",
				facts: []wantFactChange{{op: projections.OpChanged, subject: "Shield Network", predicate: "launched", after: "2023-08"}},
				conflicts: []wantConflictChange{
					{projections.OpResolved, projections.KindValue, "Shield Network", "launched"},
					{projections.OpResolved, projections.KindTemporal, "Shield Network", "launched"},
				}},
			{name: "dismiss",
				facts: []wantFactChange{{op: projections.OpChanged, subject: "Shield Network", predicate: "launched", after: "2023-04 | 2023-08"}},
				conflicts: []wantConflictChange{
					{projections.OpReviewed, projections.KindValue, "Shield Network", "launched"},
					{projections.OpOpened, projections.KindTemporal, "Shield Network", "launched"},
				}},
		},
	},
	"review-reject-dismiss": {
		conflicts: []wantConflict{{kind: projections.KindValue, status: projections.ConflictResolved, subject: "Tidal Energy Pact",
			predicate: "signed", claims: ids{"alpha-signed", "beta-signed", "gamma-signed"}, verdict: events.DecisionDismiss}},
		facts: []wantFact{{subject: "Tidal Energy Pact", predicate: "signed", value: nilValue, status: projections.StatusResolved,
			claims: ids{"alpha-signed", "beta-signed", "gamma-signed"}, values: []string{"2023-04", "2023-04-25", "2023-08"}}},
		at: map[string]stateWant{"after-reject": {
			conflicts: []wantConflict{{kind: projections.KindValue, status: projections.ConflictResolved, subject: "Tidal Energy Pact",
				predicate: "signed", claims: ids{"alpha-signed", "beta-signed", "gamma-signed"}, verdict: events.DecisionReject}},
			facts: []wantFact{{subject: "Tidal Energy Pact", predicate: "signed", value: "2023-04-25", status: projections.StatusResolved,
				claims: ids{"alpha-signed", "beta-signed"}, rejected: ids{"gamma-signed"}}},
		}},
		diffs: []wantDiff{{name: "dismiss",
			facts:     []wantFactChange{{op: projections.OpChanged, subject: "Tidal Energy Pact", predicate: "signed", after: "2023-04 | 2023-04-25 | 2023-08"}},
			conflicts: []wantConflictChange{{projections.OpReviewed, projections.KindValue, "Tidal Energy Pact", "signed"}}}},
	},
	"review-accept-other": {
		// Accepting April rejects August, lifts the rejection of April,
		// and brings back the temporal conflict April is part of.
		conflicts: []wantConflict{
			{kind: projections.KindValue, status: projections.ConflictResolved, subject: "Shield Network", predicate: "launched",
				claims: ids{"tw-launch", "ad-launch"}, verdict: events.DecisionAccept},
			{kind: projections.KindTemporal, status: projections.ConflictOpen, subject: "Shield Network", predicate: "launched",
				claims: ids{"tw-after", "tw-launch", "sa-held"}},
		},
		facts: []wantFact{{subject: "Shield Network", predicate: "launched", value: "2023-04", status: projections.StatusResolved,
			claims: ids{"tw-launch"}, rejected: ids{"ad-launch"}}},
		at: map[string]stateWant{"accept-august": {
			conflicts: []wantConflict{{kind: projections.KindValue, status: projections.ConflictResolved, subject: "Shield Network",
				predicate: "launched", claims: ids{"tw-launch", "ad-launch"}, verdict: events.DecisionAccept}},
			facts: []wantFact{{subject: "Shield Network", predicate: "launched", value: "2023-08", status: projections.StatusResolved,
				claims: ids{"ad-launch"}, rejected: ids{"tw-launch"}}},
		}},
		diffs: []wantDiff{{name: "accept-other",
			facts: []wantFactChange{{op: projections.OpChanged, subject: "Shield Network", predicate: "launched", after: "2023-04"}},
			conflicts: []wantConflictChange{
				{projections.OpReviewed, projections.KindValue, "Shield Network", "launched"},
				{projections.OpOpened, projections.KindTemporal, "Shield Network", "launched"},
			}}},
		checks: []scenarioCheck{acceptedClaim("Shield Network", "launched", "tw-launch")},
	},
	"review-same-alias": {
		conflicts: []wantConflict{{kind: projections.KindName, status: projections.ConflictResolved,
			names: []string{"Seoul Tokyo Forum", "Tokyo Seoul Forum"}, verdict: events.DecisionSame}},
		facts: []wantFact{{subject: "Forum for Seoul-Tokyo Dialogue", predicate: "founded", value: "2019-03", status: projections.StatusAgreed,
			claims: ids{"north-forum", "digest-forum"}, independent: 2}},
		aliases: map[string][]string{"Forum for Seoul-Tokyo Dialogue": {"Seoul Tokyo Forum", "Tokyo Seoul Forum"}},
		checks: []scenarioCheck{
			aliasFrom("Forum for Seoul-Tokyo Dialogue", "Seoul Tokyo Forum", events.AliasSame, "", "after-same", "the translation reordered the words"),
			aliasFrom("Forum for Seoul-Tokyo Dialogue", "Tokyo Seoul Forum", events.AliasVariant, "digest-forum", "digest", ""),
		},
	},
	"self-relation": {
		// Only the claims that relate to another fact were recorded.
		facts: []wantFact{
			{subject: "Loop", predicate: "launched", relation: true, value: "after Loop / announced", status: projections.StatusSingleSource,
				claims: ids{"loop-after-announced"}},
			{subject: "Loop", predicate: "announced", value: "2023-03", status: projections.StatusSingleSource, claims: ids{"loop-announced"}},
		},
	},
	"review-same-distinct": {
		conflicts: []wantConflict{{kind: projections.KindName, status: projections.ConflictResolved,
			names: []string{"Seoul Tokyo Forum", "Tokyo Seoul Forum"}, verdict: events.DecisionDistinct}},
		facts: []wantFact{
			{subject: "Seoul Tokyo Forum", predicate: "founded", value: "2019", status: projections.StatusSingleSource, claims: ids{"north-forum"}},
			{subject: "Tokyo Seoul Forum", predicate: "founded", value: "2019-03", status: projections.StatusSingleSource, claims: ids{"south-forum"}},
		},
		aliases: map[string][]string{"Seoul Tokyo Forum": {}, "Tokyo Seoul Forum": {}},
		at: map[string]stateWant{"same": {
			conflicts: []wantConflict{{kind: projections.KindName, status: projections.ConflictResolved,
				names: []string{"Seoul Tokyo Forum", "Tokyo Seoul Forum"}, verdict: events.DecisionSame}},
			facts: []wantFact{{subject: "Seoul Tokyo Forum", predicate: "founded", value: "2019-03", status: projections.StatusAgreed,
				claims: ids{"north-forum", "south-forum"}}},
		}},
		diffs: []wantDiff{{name: "distinct",
			facts: []wantFactChange{
				{op: projections.OpChanged, subject: "Seoul Tokyo Forum", predicate: "founded", after: "2019"},
				{op: projections.OpAdded, subject: "Tokyo Seoul Forum", predicate: "founded", after: "2019-03"},
			},
			conflicts: []wantConflictChange{{projections.OpReviewed, projections.KindName, "Seoul Tokyo Forum", ""}}}},
	},
	"review-reopened-again": {
		conflicts: []wantConflict{{kind: projections.KindValue, status: projections.ConflictResolved, subject: "Shield Network", predicate: "launched",
			claims: ids{"tw-launch", "ad-launch", "hd-launch", "lr-launch"}, verdict: events.DecisionAccept}},
		facts: []wantFact{{subject: "Shield Network", predicate: "launched", value: "2023-08-20", status: projections.StatusResolved,
			claims: ids{"ad-launch", "hd-launch"}, rejected: ids{"tw-launch", "lr-launch"}}},
		diffs: []wantDiff{{name: "accept-again",
			facts:     []wantFactChange{{op: projections.OpChanged, subject: "Shield Network", predicate: "launched", after: "2023-08-20"}},
			conflicts: []wantConflictChange{{projections.OpResolved, projections.KindValue, "Shield Network", "launched"}}}},
	},
	"reconcile-most-precise": {
		facts: []wantFact{
			// "2023-04~" may mean March to May, "2023-05" only May: the
			// exact month is the more precise, although April is the
			// shorter month.
			{subject: "River Bridge", predicate: "opened", value: "2023-05", status: projections.StatusAgreed,
				claims: ids{"up-bridge", "down-bridge"}, independent: 2},
			// 60 means 59.5..60.5, 60.4 means 60.35..60.45: the second is
			// the more precise, although the first came first.
			{subject: "Reef Watch Network", predicate: "budget", value: "60.4 million dollars", status: projections.StatusAgreed,
				claims: ids{"up-reef", "down-reef"}, independent: 2},
		},
	},
}

func TestScenario(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "*", "scenario.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	onDisk := map[string]bool{}
	for _, p := range dirs {
		onDisk[filepath.Base(filepath.Dir(p))] = true
	}
	for name := range scenarios {
		if !onDisk[name] {
			t.Errorf("scenario %s has expectations but no testdata/%s/scenario.yaml", name, name)
		}
	}
	// Writes that took the incremental path (projections/partial.go), and
	// those that analysed the whole state: after each, the stored model
	// equals a replay's (checkHead).
	var partial, full int
	defer func() {
		t.Logf("read model writes: %d incremental, %d full", partial, full)
		if partial == 0 || full == 0 {
			t.Errorf("the scenarios took the incremental path %d times and the full one %d times; want both", partial, full)
		}
	}()
	for _, p := range dirs {
		dir := filepath.Dir(p)
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			want, ok := scenarios[name]
			if !ok {
				t.Fatalf("testdata/%s has no expectations in the scenarios table", name)
			}
			sc := loadScenario(t, dir)
			a := newArchive(t)
			a.run(sc.Steps)
			partial, full = partial+a.store.PartialWrites, full+a.store.FullWrites
			a.checkTimeTravel("time travel")
			an := a.analysisAt(a.head())

			checkGolden(t, filepath.Join(dir, "want.json"), golden(an))
			checkConflicts(t, an, want.conflicts)
			checkFacts(t, an, want.facts)
			for ent, aliases := range want.aliases {
				e := an.Entity(ent)
				if e == nil {
					t.Errorf("no entity %q", ent)
					continue
				}
				if e.Name != ent {
					t.Errorf("entity of %q is named %q, want %q", ent, e.Name, ent)
				}
				var got []string
				for _, al := range e.Aliases {
					got = append(got, al.Name)
				}
				if !sameSet(aliases, got) {
					t.Errorf("%s: aliases = %q, want %q", ent, got, aliases)
				}
			}

			diffs := map[string]*projections.Changes{}
			for _, d := range sc.Diffs {
				from, ok1 := a.labels[d.From]
				to, ok2 := a.labels[d.To]
				if !ok1 || !ok2 {
					t.Fatalf("diff %s: unknown label %q or %q", d.Name, d.From, d.To)
				}
				diffs[d.Name] = projections.Diff(a.analysisAt(from), a.analysisAt(to))
			}
			for _, w := range want.diffs {
				ch, ok := diffs[w.name]
				if !ok {
					t.Errorf("diff %s is not in scenario.yaml", w.name)
					continue
				}
				checkDiff(t, ch, w)
			}
			diffPath := filepath.Join(dir, "diff.json")
			if len(diffs) > 0 {
				checkGolden(t, diffPath, diffs)
			} else if _, err := os.Stat(diffPath); err == nil {
				t.Errorf("%s exists but scenario.yaml asks for no diffs", diffPath)
			}

			for label, w := range want.at {
				t.Run("at "+label, func(t *testing.T) {
					rev, ok := a.labels[label]
					if !ok {
						t.Fatalf("no step labelled %q", label)
					}
					an := a.analysisAt(rev)
					checkConflicts(t, an, w.conflicts)
					checkFacts(t, an, w.facts)
				})
			}
			for _, check := range want.checks {
				if msg := check(t, a, an); msg != "" {
					t.Error(msg)
				}
			}

			a.checkRebuild()
		})
	}
}

// The seed articles: real 2023-2024 articles kept outside the project.
// Their text is read at test time only; the quotes below are short
// excerpts of them.
const seedsDir = "../../shared/seeds"

func TestSeedArchive(t *testing.T) {
	type seedSource struct {
		file string
		meta sourceStep
	}
	seedSources := []seedSource{
		// Machine-translated English of a Japanese article, 2024/04/26 09:07 KST.
		{"000_db5d805b9eb66672.txt", sourceStep{ID: "wowkorea-2024-04-26", Published: "2024-04-26T09:07:00+09:00", Lang: "en"}},
		// The Readable, Jun. 07, 2024, 8:21 PM GMT+9.
		{"001_2f63746adeee552f.txt", sourceStep{ID: "readable-2024-06-07", Published: "2024-06-07T20:21:00+09:00", Lang: "en"}},
		// Yonhap in English, 2023-04-17 22:09.
		{"002_52a9df57daab576b.txt", sourceStep{ID: "yonhap-2023-04-17", Published: "2023-04-17T22:09:00+09:00", Lang: "en"}},
		// Korea Pro: no publication date in the text.
		{"003_3e45805dd226de63.txt", sourceStep{ID: "koreapro-undated", Lang: "en"}},
		// A Japanese blog post of 2023.01.07 quoting METI (ja) and DHS (en).
		{"004_7a59131d7e6d5adf.txt", sourceStep{ID: "maruyama-2023-01-07", Published: "2023-01-07", Lang: "ja"}},
	}
	var steps []scenarioStep
	for _, s := range seedSources {
		raw, err := os.ReadFile(filepath.Join(seedsDir, s.file))
		if errors.Is(err, os.ErrNotExist) {
			t.Skipf("seed article %s not found in %s", s.file, seedsDir)
		}
		if err != nil {
			t.Fatal(err)
		}
		src := s.meta
		src.raw = raw
		steps = append(steps, scenarioStep{Source: &src})
	}
	const (
		dtpn   = "Disruptive Technology Protection Network"
		summit = "Camp David summit"
	)
	rel := func(op events.RelationOp, subject, predicate string) *events.Relation {
		return &events.Relation{Op: op, To: events.FactRef{Subject: subject, Predicate: predicate}}
	}
	claims := []claimStep{
		// The Readable: launched in April 2023, after the summit; first
		// high-level meeting on the day of its foundation.
		{ID: "readable-launch", Source: "readable-2024-06-07", Subject: dtpn, Predicate: "launched", value: "April 2023",
			Quote: "Launched in April 2023 following the Camp David summit"},
		{ID: "readable-after-summit", Source: "readable-2024-06-07", Subject: dtpn, Predicate: "launched",
			relation: rel(events.RelAfter, summit, "held"), Quote: "following the Camp David summit"},
		{ID: "readable-first-meeting", Source: "readable-2024-06-07", Subject: dtpn, Predicate: "first high-level meeting",
			relation: rel(events.RelSame, dtpn, "launched"), Quote: "on the day of its foundation"},
		// Wowkorea (machine translation): established at the "US Canon"
		// in August last year; first high-level conference on the 25th.
		{ID: "wowkorea-launch", Source: "wowkorea-2024-04-26", Subject: dtpn, As: "Japan-US-Korea Innovative Technology Protection Network",
			Predicate: "launched", value: "August last year",
			Quote: "Innovative Technology Protection Network was established at the US Canon held in August last year"},
		{ID: "wowkorea-summit", Source: "wowkorea-2024-04-26", Subject: summit, As: "US Canon", Predicate: "held", value: "August last year",
			Quote: "the US Canon held in August last year"},
		{ID: "wowkorea-first-meeting", Source: "wowkorea-2024-04-26", Subject: dtpn, As: "Japan-US-Korea Innovation Technology Protection Network",
			Predicate: "first high-level meeting", value: "the 25th", Quote: "held on the 25th in Washington DC"},
		// The same day in Japanese and in English, in one blog post.
		{ID: "meti-meeting-ja", Source: "maruyama-2023-01-07", Subject: "Mayorkas-Nishimura meeting", Predicate: "held", value: "2023年1月6日",
			Quote: "2023年1月6日、アレハンドロ"},
		{ID: "dhs-meeting-en", Source: "maruyama-2023-01-07", Subject: "Mayorkas-Nishimura meeting", Predicate: "held", value: "January 6, 2023",
			Quote: "On January 6, 2023, Secretary of Homeland Security"},
		// Yonhap: the Korea-US summit "on the 26th" of April 2023.
		// The summit was still to come: "the 26th" alone would resolve to
		// the most recent 26th (March), so the archivist writes the date.
		{ID: "yonhap-summit", Source: "yonhap-2023-04-17", Subject: "Korea-US summit", Predicate: "held", value: "April 26, 2023",
			Quote: "the Korea-US summit to be held in Washington on the 26th"},
	}
	steps = append(steps,
		scenarioStep{Predicates: []predicateStep{{Name: "launched", Kind: "date"}, {Name: "held", Kind: "date"}, {Name: "first high-level meeting", Kind: "date"}}},
		scenarioStep{Claims: claims[:3]},
		scenarioStep{Claims: claims[3:6]},
		scenarioStep{Claims: claims[6:]},
		// The undated source cannot resolve a relative date.
		scenarioStep{Claims: []claimStep{{ID: "koreapro-meeting", Source: "koreapro-undated", Subject: "technology leak task force",
			Predicate: "held", value: "on Wednesday", Quote: "a joint government task force meeting on technology leaks on Wednesday"}},
			Error: "no publication date"},
	)
	a := newArchive(t)
	a.run(steps)
	a.checkTimeTravel("time travel")
	an := a.analysisAt(a.head())

	// The launch date: April 2023 (The Readable) against August 2023 (the
	// "US Canon" article).
	launch := wantConflict{kind: projections.KindValue, status: projections.ConflictOpen, subject: dtpn, predicate: "launched",
		claims: ids{"readable-launch", "wowkorea-launch"}}
	// "On the day of its foundation" against a first meeting on
	// 2024-04-25: one conflict per launch date claimed.
	sameDay := []wantConflict{
		{kind: projections.KindTemporal, status: projections.ConflictOpen, subject: dtpn, predicate: "first high-level meeting",
			claims: ids{"readable-first-meeting", "wowkorea-first-meeting", "readable-launch"}},
		{kind: projections.KindTemporal, status: projections.ConflictOpen, subject: dtpn, predicate: "first high-level meeting",
			claims: ids{"readable-first-meeting", "wowkorea-first-meeting", "wowkorea-launch"}},
	}
	// Launched in April 2023 "following" a summit held in August 2023.
	afterSummit := wantConflict{kind: projections.KindTemporal, status: projections.ConflictOpen, subject: dtpn, predicate: "launched",
		claims: ids{"readable-after-summit", "readable-launch", "wowkorea-summit"}}
	checkConflicts(t, an, append([]wantConflict{launch, afterSummit}, sameDay...))
	for _, cf := range an.Conflicts {
		for _, id := range conflictClaimIDs(cf) {
			if id == "meti-meeting-ja" || id == "dhs-meeting-en" {
				t.Errorf("conflict %s (%s) involves %s: 2023年1月6日 and January 6, 2023 are one day", cf.ID, cf.Summary, id)
			}
		}
	}
	checkFacts(t, an, []wantFact{
		{subject: "Mayorkas-Nishimura meeting", predicate: "held", value: "2023-01-06", status: projections.StatusSingleSource,
			claims: ids{"meti-meeting-ja", "dhs-meeting-en"}},
		{subject: "US Canon", predicate: "held", value: "2023-08", status: projections.StatusSingleSource},
		{subject: "Korea-US summit", predicate: "held", value: "2023-04-26", status: projections.StatusSingleSource},
	})
	if e := an.Entity("Japan-US-Korea Innovation Technology Protection Network"); e == nil || e.Name != dtpn {
		t.Errorf("the machine-translated network name does not resolve to %q: %+v", dtpn, e)
	}
	a.checkRebuild()
}

// TestScenarioRebuildKeepsCheckpoints checks that Rebuild stores
// checkpoints as CatchUp would have: a read of an old revision that
// started from a checkpoint before the rebuild still does after it,
// instead of replaying from revision 1.
func TestScenarioRebuildKeepsCheckpoints(t *testing.T) {
	sc := loadScenario(t, filepath.Join("testdata", "review-accept"))
	a := newArchive(t)
	a.run(sc.Steps)
	head := a.head()
	fromAt := func() map[events.Revision]events.Revision {
		m := map[events.Revision]events.Revision{}
		if err := a.log.View(func(tx *events.Tx) error {
			for r := events.Revision(1); r <= head; r++ {
				_, from, err := a.store.At(tx, r)
				if err != nil {
					return err
				}
				m[r] = from
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return m
	}
	before := fromAt()
	if err := a.log.Update(func(tx *events.Tx) error {
		_, err := a.store.Rebuild(tx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	after := fromAt()
	var lost []string
	for r := events.Revision(1); r < head; r++ {
		if before[r] > 0 && after[r] == 0 {
			lost = append(lost, fmt.Sprintf("%d (was from %d)", r, before[r]))
		}
	}
	if len(lost) > 0 {
		t.Errorf("after Store.Rebuild these revisions replay from revision 1 instead of a checkpoint: %s; want each read to start from a checkpoint as it did before", strings.Join(lost, ", "))
	}
}

// TestVerdictErrors checks what Analysis.Verdict says when it refuses:
// what the current verdict is, what the new one would change, and no
// command-line flags (the program adds those).
func TestVerdictErrors(t *testing.T) {
	sc := loadScenario(t, filepath.Join("testdata", "review-override-dismiss"))
	a := newArchive(t)
	a.run(sc.Steps[:6]) // up to the accept of ad-launch
	an := a.analysisAt(a.head())
	value, err := findConflict(an, conflictSelector{Kind: projections.KindValue, Subject: "Shield Network", Predicate: "launched"})
	if err != nil {
		t.Fatal(err)
	}
	if value.Verdict == nil || value.Verdict.Claim != "ad-launch" {
		t.Fatalf("verdict after step 6: %+v, want accept ad-launch", value.Verdict)
	}
	for _, tc := range []struct {
		d     events.Decision
		claim events.ClaimID
		is    error
		want  []string
	}{
		{events.DecisionDismiss, "", projections.ErrAlreadyResolved, []string{"accept ad-launch by scenario-test", "dismiss (tw-launch would stand again)"}},
		{events.DecisionAccept, "tw-launch", projections.ErrAlreadyResolved, []string{"accept tw-launch (tw-launch would stand again; ad-launch would stand rejected)"}},
		{events.DecisionSame, "", projections.ErrVerdict, []string{`"same" settles a name conflict`}},
		{events.DecisionAccept, "sa-held", projections.ErrVerdict, []string{`claim "sa-held" is not part of conflict`, "tw-launch, ad-launch"}},
	} {
		_, err := an.Verdict(value, tc.d, tc.claim, "", false)
		if !errors.Is(err, tc.is) {
			t.Errorf("Verdict(%s %s): error %v, want %v", tc.d, tc.claim, err, tc.is)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Verdict(%s %s): error %q, want it to contain %q", tc.d, tc.claim, err, w)
			}
		}
		if strings.Contains(err.Error(), "--") {
			t.Errorf("Verdict(%s %s): error %q names a command-line flag", tc.d, tc.claim, err)
		}
	}
}

// TestSchemaChangeRebuildsModel: a stored projection of another schema
// version (an archive written by an older sillok) is not read — the read
// model cannot answer, so reads analyse the state — and the next write
// wipes it and stores checkpoints and a read model equal to a replay's.
func TestSchemaChangeRebuildsModel(t *testing.T) {
	sc := loadScenario(t, filepath.Join("testdata", "entity-alias"))
	a := newArchive(t)
	last := len(sc.Steps) - 1
	a.run(sc.Steps[:last])
	if err := a.log.Update(func(tx *events.Tx) error {
		return tx.KV().Bucket([]byte("projections")).Put([]byte("schema"), binary.AppendUvarint(nil, projections.SchemaVersion-1))
	}); err != nil {
		t.Fatal(err)
	}
	if err := a.log.View(func(tx *events.Tx) error {
		if _, ok := a.store.OpenModel(tx, a.head()); ok {
			t.Errorf("the read model of schema %d answers reads under schema %d", projections.SchemaVersion-1, projections.SchemaVersion)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	full := a.store.FullWrites
	a.run(sc.Steps[last:]) // checks the model against a replay
	if a.store.FullWrites != full+1 {
		t.Errorf("the write after the schema change wrote the model %d times by a full analysis, want 1", a.store.FullWrites-full)
	}
	a.checkTimeTravel("after the schema change")
}
