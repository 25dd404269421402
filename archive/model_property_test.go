package archive_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/internal/gen/gentest"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

// TestModelProperty is the read model's property test on a generated
// archive: reviews (accept, reject, dismiss, same, distinct), retractions
// and aliases are interleaved at random (seeded: SILLOK_MODEL_SEED replays
// one run), each a write through the archive API; then, at the head and at
// every revision a write ended at, the stored model (its versions, for the
// older ones) equals the model of a fresh replay of the first REV events,
// key for key, and View --at and Diff between sampled revisions equal the
// answers computed from those replays.
func TestModelProperty(t *testing.T) {
	if testing.Short() {
		t.Skip("a generated archive of 10k claims: not in -short")
	}
	seed := uint64(1)
	if s := os.Getenv("SILLOK_MODEL_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("SILLOK_MODEL_SEED=%q: %v", s, err)
		}
	}
	t.Logf("seed %d (SILLOK_MODEL_SEED replays it)", seed)
	rng := rand.New(rand.NewPCG(seed, 16))

	size := 10000
	if eventstest.Postgres() {
		// The same test on fewer claims: each comparison walks the whole
		// stored model, which over a socket costs round trips a mapped
		// file does not (10k: 215 s; 3k: about a quarter of that).
		size = 3000
	}
	dir, _ := gentest.Generate(t, size, 1)
	path := eventstest.ArchivePath(t, "sillok.db")
	gentest.Load(t, path, dir)
	ar, err := archive.Open(path, gentest.Options())
	if err != nil {
		t.Fatal(err)
	}
	defer ar.Close()

	claims, err := ar.Claims(archive.ClaimFilter{At: archive.Head})
	if err != nil {
		t.Fatal(err)
	}
	view, err := ar.View("", archive.Head)
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ := ar.Head()
	written := []events.Revision{head}
	ops := map[string]int{}
	for i := 0; i < 50; i++ {
		var err error
		var op string
		switch k := rng.IntN(10); {
		case k < 2: // a claim on a name the archive has: the same quote, a value that may disagree
			c := claims[rng.IntN(len(claims))]
			if c.Value.Relation != nil || c.Status != archive.ClaimStanding {
				continue
			}
			value := c.Value.String()
			if c.Value.Kind == events.KindDate && rng.IntN(2) == 0 {
				value = strconv.Itoa(1900 + rng.IntN(120))
			}
			op = "claim add"
			_, err = ar.AddClaim("tester", provenance.ClaimInput{ID: fmt.Sprintf("prop-%d", i), Source: string(c.Source),
				Subject: c.Subject, Predicate: c.Predicate, Value: value, Quote: c.Quote})
		case k < 5: // a review of an open conflict
			page, perr := ar.Conflicts(archive.ConflictFilter{Status: projections.ConflictOpen, At: archive.Head})
			if perr != nil {
				t.Fatal(perr)
			}
			if len(page.Conflicts) == 0 {
				continue
			}
			cf := page.Conflicts[rng.IntN(len(page.Conflicts))]
			req := archive.ReviewRequest{Conflict: string(cf.ID), Decision: events.DecisionDismiss}
			switch {
			case cf.Kind == projections.KindName:
				req.Decision = []events.Decision{events.DecisionSame, events.DecisionDistinct, events.DecisionDismiss}[rng.IntN(3)]
			case rng.IntN(4) > 0:
				req.Decision = []events.Decision{events.DecisionAccept, events.DecisionReject}[rng.IntN(2)]
				req.Claim = cf.Claims[rng.IntN(len(cf.Claims))].ID
			}
			op = "review " + string(cf.Kind) + " " + string(req.Decision)
			_, err = ar.Review("tester", req)
		case k < 8: // a retraction
			c := claims[rng.IntN(len(claims))]
			op = "retract"
			_, err = ar.Retract("tester", c.ID, "property test")
		default: // an alias joining two entities with facts
			x := view.Entities[rng.IntN(len(view.Entities))]
			y := view.Entities[rng.IntN(len(view.Entities))]
			kind := []events.AliasKind{events.AliasSame, events.AliasVariant, events.AliasDistinct}[rng.IntN(3)]
			op = "alias " + string(kind)
			_, err = ar.DeclareAlias("tester", events.AliasDeclared{Name: x.Name, Entity: y.Name, Kind: kind})
		}
		if err != nil {
			t.Logf("%s refused: %v", op, err) // e.g. a retracted claim retracted again
			continue
		}
		ops[op]++
		head, _, _ = ar.Head()
		written = append(written, head)
	}
	t.Logf("writes: %v", ops)
	if len(written) < 25 {
		t.Fatalf("only %d writes of 50 went through", len(written)-1)
	}

	// The answers through the API, before closing it.
	type viewAt struct {
		rev     events.Revision
		subject string
		got     []byte
	}
	var views []viewAt
	diffs := map[[2]events.Revision][]byte{}
	for i, r := range written {
		e := view.Entities[rng.IntN(len(view.Entities))]
		v, err := ar.View(e.Name, r)
		var got []byte
		if err != nil {
			got = []byte(err.Error())
		} else {
			got = jsonOf(t, v.Entities)
		}
		views = append(views, viewAt{r, e.Name, got})
		if i > 0 {
			from := written[rng.IntN(i)]
			ch, err := ar.Diff(from, r)
			if err != nil {
				t.Fatal(err)
			}
			diffs[[2]events.Revision{from, r}] = jsonOf(t, ch)
		}
	}
	// The open queue at the head, page by page through the cursors.
	var queue []projections.ConflictID
	for after := ""; ; {
		page, err := ar.Conflicts(archive.ConflictFilter{Status: projections.ConflictOpen, At: archive.Head, Limit: 50, After: after})
		if err != nil {
			t.Fatal(err)
		}
		for _, cf := range page.Conflicts {
			queue = append(queue, cf.ID)
		}
		if after = page.Next; after == "" {
			break
		}
	}
	if err := ar.Close(); err != nil {
		t.Fatal(err)
	}

	log, err := events.Open(path, events.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	store := gentest.Store()
	err = log.View(func(tx *events.Tx) error {
		text := func(src *events.SourceArchived) (string, error) { return sources.StoredText(tx, src) }
		fresh := projections.NewState()
		analyses := map[events.Revision]*projections.Analysis{}
		next := 0
		for r := events.Revision(1); next < len(written); r++ {
			e, err := tx.Event(r)
			if err != nil {
				return err
			}
			if err := fresh.Apply(e, text); err != nil {
				return err
			}
			if r != written[next] {
				continue
			}
			next++
			want, err := projections.ModelKeys(fresh)
			if err != nil {
				return err
			}
			got, ok, err := store.ModelAt(tx, r)
			if err != nil {
				return err
			}
			if !ok {
				t.Errorf("the read model cannot answer for revision %d, which a write ended at", r)
				continue
			}
			if d := projections.CompareModel(got, want); d != "" {
				t.Errorf("the read model at %d differs from a replay of revisions 1..%d: %s", r, r, d)
			}
			an := projections.Analyze(fresh)
			analyses[r] = an
			if next == len(written) {
				var want []projections.ConflictID
				for _, cf := range an.Conflicts {
					if cf.Status == projections.ConflictOpen {
						want = append(want, cf.ID)
					}
				}
				if fmt.Sprint(queue) != fmt.Sprint(want) {
					t.Errorf("the open queue at the head, in pages of 50: %v, a replay's: %v", queue, want)
				}
			}
			for _, v := range views {
				if v.rev != r {
					continue
				}
				var want []byte
				if e := an.Entity(v.subject); e != nil {
					want = jsonOf(t, []*projections.Entity{e})
				}
				if !bytes.Equal(v.got, want) {
					t.Errorf("View(%q, %d) = %s, a replay gives %s", v.subject, r, v.got, want)
				}
			}
			for k, got := range diffs {
				if k[1] != r {
					continue
				}
				if want := jsonOf(t, projections.Diff(analyses[k[0]], an)); !bytes.Equal(got, want) {
					t.Errorf("Diff(%d, %d) = %s, from replays %s", k[0], k[1], got, want)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func jsonOf(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(fmt.Errorf("json: %w", err))
	}
	return b
}
