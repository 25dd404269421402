package archive

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/events/kv"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

// serialVerify is Verify done the plain way, one check after the
// other on one goroutine: the reference the concurrent one is held to.
func serialVerify(a *Archive, tx *events.Tx) (VerifyReport, error) {
	var rep VerifyReport
	type source struct {
		rev events.Revision
		p   *events.SourceArchived
	}
	type claim struct {
		rev events.Revision
		p   *events.ClaimAsserted
	}
	var srcs []source
	var claims []claim
	var decodeProblems []events.Problem
	chain, err := tx.VerifyChain(func(e events.Event) error {
		if e.Type != events.TypeSourceArchived && e.Type != events.TypeClaimAsserted {
			return nil
		}
		p, err := e.Decode()
		if err != nil {
			decodeProblems = append(decodeProblems, events.Problem{Revision: e.Revision, Message: err.Error()})
			return nil
		}
		switch p := p.(type) {
		case *events.SourceArchived:
			srcs = append(srcs, source{e.Revision, p})
		case *events.ClaimAsserted:
			claims = append(claims, claim{e.Revision, p})
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	rep.Events, rep.Head = chain.Events, chain.Head
	rep.Problems = plain(rep.Problems, chain.Problems...)
	rep.Problems = plain(rep.Problems, decodeProblems...)
	rep.Sources, rep.Claims = len(srcs), len(claims)

	byID := map[events.SourceID]int{}
	intact := map[int]bool{}
	for i, s := range srcs {
		byID[s.p.ID] = i
		if msg := tx.VerifyBlob(s.p.Digest); msg != "" {
			rep.Problems = plain(rep.Problems, events.Problem{Revision: s.rev, Source: s.p.ID, Message: msg})
			continue
		}
		intact[i] = true
	}
	citing := map[int][]int{}
	claimProblems := make([]*events.Problem, len(claims))
	for i, c := range claims {
		j, ok := byID[c.p.Source]
		switch {
		case !ok:
			claimProblems[i] = &events.Problem{Revision: c.rev, Claim: c.p.ID, Message: fmt.Sprintf("cites source %s, which is not archived", c.p.Source)}
		case intact[j]:
			citing[j] = append(citing[j], i)
		}
	}
	for j, s := range srcs {
		cs := citing[j]
		if len(cs) == 0 {
			continue
		}
		raw, err := tx.Blob(s.p.Digest)
		if err != nil {
			return rep, err
		}
		text, err := sources.Text(raw)
		if err != nil {
			claimProblems[cs[0]] = &events.Problem{Revision: claims[cs[0]].rev, Source: s.p.ID, Message: err.Error()}
			continue
		}
		for _, i := range cs {
			if err := provenance.Verify(claims[i].p.Quote, s.p.Digest, text); err != nil {
				claimProblems[i] = &events.Problem{Revision: claims[i].rev, Claim: claims[i].p.ID, Message: "quote anchor: " + err.Error()}
			}
		}
	}
	for _, p := range claimProblems {
		if p != nil {
			rep.Problems = plain(rep.Problems, *p)
		}
	}
	if len(chain.Problems) > 0 {
		return rep, nil
	}
	// A log rewritten (or cut short) after the projection recorded its head.
	if err := a.store.CheckHead(tx); err != nil {
		var cut *projections.CutShortError
		if !errors.As(err, &cut) {
			return rep, err
		}
		p := Problem{Problem: events.Problem{Revision: cut.Head + 1, Message: err.Error()}, Remedy: RemedyRestore}
		if cut.Rewritten {
			p.Revision = cut.Rev
		}
		rep.Problems = append(rep.Problems, p)
	}
	bad, err := a.store.CheckSums(tx)
	if err != nil {
		rep.Problems = append(rep.Problems, Problem{Problem: events.Problem{Message: "stored projection: " + err.Error()}, Remedy: RemedyRebuild})
	}
	for _, r := range bad {
		rep.Problems = append(rep.Problems, Problem{Problem: events.Problem{Revision: r, Message: "the stored projection checkpoint: its checksum does not match: it was altered or damaged"}, Remedy: RemedyRebuild})
	}
	return rep, nil
}

// verifyTamperLog is the log of an archive being tampered with: its
// events by revision, and the revisions of its sources and claims.
type verifyTamperLog struct {
	tx      kv.Tx
	events  map[events.Revision]events.Event
	sources []events.Revision
	claims  []events.Revision
}

func (l *verifyTamperLog) put(t *testing.T, key events.Revision, e events.Event) {
	t.Helper()
	if err := l.tx.Bucket([]byte("log")).Put(revKey(key), events.Encode(&e)); err != nil {
		t.Fatal(err)
	}
	l.events[key] = e
}

// claim rewrites the claim at revision rev (its hash goes stale).
func (l *verifyTamperLog) claim(t *testing.T, rev events.Revision, fn func(c *events.ClaimAsserted)) {
	t.Helper()
	e := l.events[rev]
	p, err := e.Decode()
	if err != nil {
		t.Fatal(err)
	}
	c := p.(*events.ClaimAsserted)
	fn(c)
	if e.Payload, err = json.Marshal(c); err != nil {
		t.Fatal(err)
	}
	l.put(t, rev, e)
}

// source rewrites the source at revision rev.
func (l *verifyTamperLog) source(t *testing.T, rev events.Revision, fn func(s *events.SourceArchived)) {
	t.Helper()
	e := l.events[rev]
	p, err := e.Decode()
	if err != nil {
		t.Fatal(err)
	}
	s := p.(*events.SourceArchived)
	fn(s)
	if e.Payload, err = json.Marshal(s); err != nil {
		t.Fatal(err)
	}
	l.put(t, rev, e)
}

// payload replaces the payload (and type, when typ is not "") of the event at rev.
func (l *verifyTamperLog) payload(t *testing.T, rev events.Revision, typ events.Type, payload string) {
	t.Helper()
	e := l.events[rev]
	if typ != "" {
		e.Type = typ
	}
	e.Payload = []byte(payload)
	l.put(t, rev, e)
}

// TestVerifyMatchesSerial tampers with an archive in many ways at once
// (payloads that do not decode, among sources and claims and out of
// revision order, a source id archived twice, a source archived after
// claims citing it, altered and undecodable source bytes, claims citing
// no source, moved anchors, a claim in a form the fast decoders refuse),
// one way at a time, and with and without the hash chain recomputed,
// and checks that Verify reports exactly what serialVerify does.
func TestVerifyMatchesSerial(t *testing.T) {
	eventstest.FileOnly(t, "the serial verifier reads the file")
	pristine := serialFixture(t)
	data, err := os.ReadFile(pristine)
	if err != nil {
		t.Fatal(err)
	}
	tampers := map[string]func(t *testing.T, l *verifyTamperLog){
		"SourceDoesNotDecode": func(t *testing.T, l *verifyTamperLog) {
			l.payload(t, l.sources[1], "", `{"id":`)
		},
		"ClaimsDoNotDecode": func(t *testing.T, l *verifyTamperLog) {
			l.payload(t, l.claims[10], "", `not json`)
			l.payload(t, l.claims[11], "", `{"id":"c","source":7}`)
		},
		"SlowFormMoved": func(t *testing.T, l *verifyTamperLog) {
			l.claim(t, l.claims[12], func(c *events.ClaimAsserted) { c.Quote.Position.Start++ })
			e := l.events[l.claims[12]]
			var v any
			if err := json.Unmarshal(e.Payload, &v); err != nil {
				t.Fatal(err)
			}
			b, err := json.MarshalIndent(v, "", " ") // valid, but not the log's form
			if err != nil {
				t.Fatal(err)
			}
			l.payload(t, l.claims[12], "", string(b))
		},
		"NoSource": func(t *testing.T, l *verifyTamperLog) {
			l.claim(t, l.claims[13], func(c *events.ClaimAsserted) { c.Source = "nowhere" })
		},
		"Moved": func(t *testing.T, l *verifyTamperLog) {
			l.claim(t, l.claims[14], func(c *events.ClaimAsserted) { c.Quote.Position.End-- })
			l.claim(t, l.claims[15], func(c *events.ClaimAsserted) { c.Quote.Quote.Prefix = "x" + c.Quote.Quote.Prefix })
		},
		"Fixity": func(t *testing.T, l *verifyTamperLog) {
			p, _ := l.events[l.sources[2]].Decode()
			d := p.(*events.SourceArchived).Digest
			b := l.tx.Bucket([]byte("blobs"))
			raw := append([]byte(nil), b.Get(d[:])...)
			raw[len(raw)/2] ^= 1
			if err := b.Put(d[:], raw); err != nil {
				t.Fatal(err)
			}
		},
		"SourceTwice": func(t *testing.T, l *verifyTamperLog) {
			p, _ := l.events[l.sources[0]].Decode()
			l.source(t, l.sources[3], func(s *events.SourceArchived) { s.ID = p.(*events.SourceArchived).ID })
		},
		"NotText": func(t *testing.T, l *verifyTamperLog) {
			raw := []byte{0, 1, 2, 0xff, 0xfe, 0, 0, 7}
			d := events.DigestOf(raw)
			if err := l.tx.Bucket([]byte("blobs")).Put(d[:], raw); err != nil {
				t.Fatal(err)
			}
			// The source of a claim (the last sources have none).
			p, _ := l.events[l.claims[100]].Decode()
			for _, rev := range l.sources {
				if sp, err := l.events[rev].Decode(); err == nil && sp.(*events.SourceArchived).ID == p.(*events.ClaimAsserted).Source {
					l.source(t, rev, func(s *events.SourceArchived) { s.Digest = d })
				}
			}
		},
		"Swapped": func(t *testing.T, l *verifyTamperLog) {
			a, b := l.claims[20], l.claims[21]
			l.payload(t, a, "", `[]`)
			l.payload(t, b, "", `{}`)
			ea, eb := l.events[a], l.events[b]
			l.put(t, a, eb)
			l.put(t, b, ea)
		},
		"LateSources": func(t *testing.T, l *verifyTamperLog) {
			l.payload(t, l.claims[40], events.TypeSourceArchived, `{`)
			p, _ := l.events[l.sources[0]].Decode() // no other tamper changes it
			s := p.(*events.SourceArchived)
			s.ID = "late-source"
			b, _ := json.Marshal(s)
			l.payload(t, l.claims[42], events.TypeSourceArchived, string(b))
			l.claim(t, l.claims[41], func(c *events.ClaimAsserted) { c.Source = "late-source" })
			l.claim(t, l.claims[43], func(c *events.ClaimAsserted) { c.Source = "late-source" })
		},
	}
	all := func(t *testing.T, l *verifyTamperLog) {
		for _, fn := range tampers {
			fn(t, l)
		}
	}
	check := func(t *testing.T, tamper func(*testing.T, *verifyTamperLog), rehash bool) {
		path := filepath.Join(t.TempDir(), "tampered.db")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		tamperFile(t, path, func(tx kv.Tx) error {
			l := &verifyTamperLog{tx: tx, events: map[events.Revision]events.Event{}}
			err := tx.Bucket([]byte("log")).ForEach(func(k, v []byte) error {
				e, err := events.Decode(v)
				if err != nil {
					return err
				}
				l.events[e.Revision] = e
				switch e.Type {
				case events.TypeSourceArchived:
					l.sources = append(l.sources, e.Revision)
				case events.TypeClaimAsserted:
					l.claims = append(l.claims, e.Revision)
				}
				return nil
			})
			if err != nil {
				return err
			}
			tamper(t, l)
			if rehash { // the chain made whole again over the tampered events
				var prev events.Digest
				for rev := events.Revision(1); rev <= events.Revision(len(l.events)); rev++ {
					e := l.events[rev]
					e.Prev = prev
					e.Hash = events.ComputeHash(&e)
					prev = e.Hash
					l.put(t, rev, e)
				}
			}
			return nil
		})
		a, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		var want VerifyReport
		err = a.log.View(func(tx *events.Tx) error {
			want, err = serialVerify(a, tx)
			_, want.HeadHash = tx.Head()
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(want.Problems) == 0 {
			t.Errorf("the tampered archive has no problems")
		}
		for range 3 {
			got, err := a.Verify(VerifyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got.OK = false // serialVerify leaves it
			if !reflect.DeepEqual(*got, want) {
				t.Fatalf("Verify reported\n%+v\nserialVerify\n%+v", *got, want)
			}
		}
	}
	for _, rehash := range []bool{false, true} {
		for name, fn := range tampers {
			t.Run(fmt.Sprintf("%s/rehash=%v", name, rehash), func(t *testing.T) { check(t, fn, rehash) })
		}
		t.Run(fmt.Sprintf("All/rehash=%v", rehash), func(t *testing.T) { check(t, all, rehash) })
	}
}

// serialFixture writes an archive of 6 sources and 240 claims citing them
// (archived, like an import, after the sources) and returns its path,
// closed.
func serialFixture(t *testing.T) string {
	t.Helper()
	a, err := Create(eventstest.ArchivePath(t, "serial.db"), Options{Now: testClock()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	const nSources, perSource = 6, 40
	line := func(s, i int) string {
		return fmt.Sprintf("Ledger %d entry %d records a balance of %d crowns", s, i, 1000+7*i+s)
	}
	mustUpdate(t, a, func(tx *events.Tx) error {
		for s := range nSources {
			var b strings.Builder
			fmt.Fprintf(&b, "The ledger of house %d, as kept in its archive.\n\n", s)
			for i := range perSource {
				b.WriteString(line(s, i) + ", the clerk notes.\n")
			}
			if _, err := sources.Add(tx, "tester", []byte(b.String()), sources.Meta{ID: events.SourceID(fmt.Sprintf("ledger-%d", s))}); err != nil {
				return err
			}
		}
		r := provenance.NewRecorder(tx, "tester")
		if _, err := r.DefinePredicate(events.PredicateDefined{Name: "balance", Kind: events.KindText}); err != nil {
			return err
		}
		for i := range perSource {
			for s := range nSources {
				_, err := r.Assert(provenance.ClaimInput{
					ID: fmt.Sprintf("l%d-e%d", s, i), Source: fmt.Sprintf("ledger-%d", s), Subject: fmt.Sprintf("Entry %d of ledger %d", i, s),
					Predicate: "balance", Value: fmt.Sprint(1000 + 7*i + s), Quote: line(s, i),
				})
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
	return a.Path()
}
