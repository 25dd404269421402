package projections_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
	"github.com/sillok/sillok/projections"
)

// Benchmarks of the parts of a rebuild and of a read, on synthetic events
// (the end-to-end figures on generated archives are in cmd/sillok's
// bench_test.go): folding events into a State, and encoding and decoding
// the State as a checkpoint, and a whole rebuild. Sizes are 10k and 100k
// claims, and 1M with SILLOK_BENCH_LARGE=1.
//
//	go test ./projections -run '^$' -bench 'BenchmarkApply|BenchmarkRebuild|BenchmarkCheckpoint' -benchtime 1x -count 5

func benchSizes() []int {
	if os.Getenv("SILLOK_BENCH_LARGE") == "1" {
		return []int{10_000, 100_000, 1_000_000}
	}
	return []int{10_000, 100_000}
}

// benchText is a source's text: about 1.5 KB of sentences.
func benchText(i int) string {
	var b strings.Builder
	for j := 0; b.Len() < 1500; j++ {
		fmt.Fprintf(&b, "Source %d sentence %d says that organization %d did something in %d. ", i, j, i*31+j, 2000+j%25)
	}
	return b.String()
}

// benchEvents returns the events of an archive of n claims, 15 claims per
// source, as the log stores them, and the texts of the sources.
func benchEvents(tb testing.TB, n int) ([]events.Event, map[events.Digest]string) {
	tb.Helper()
	log, texts := benchLog(tb, n)
	var out []events.Event
	err := log.View(func(tx *events.Tx) error {
		return tx.Scan(1, 0, func(e events.Event) error {
			out = append(out, e)
			return nil
		})
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out, texts
}

// benchLog returns a log of n claims, 15 claims per source, and the texts
// of the sources.
func benchLog(tb testing.TB, n int) (*events.Log, map[events.Digest]string) {
	tb.Helper()
	log := eventstest.MustOpenLog(tb)
	texts := map[events.Digest]string{}
	var batch []events.Payload
	batch = append(batch, eventstest.Predicate("founded", events.KindDate))
	flush := func() {
		if _, err := log.Append("archivist", batch...); err != nil {
			tb.Fatal(err)
		}
		batch = batch[:0]
	}
	for i := 0; i < n; i++ {
		src := fmt.Sprintf("outlet-%d", i/15)
		if i%15 == 0 {
			text := benchText(i / 15)
			s := eventstest.Source(src, text)
			texts[s.Digest] = text
			batch = append(batch, s)
		}
		subject := fmt.Sprintf("Kotaren Misuko%05d Council", i/5)
		quote := fmt.Sprintf("%s was founded on March %d, 2021", subject, 1+i%28)
		c := eventstest.Claim(fmt.Sprintf("c%07d", i+1), src, subject, "founded", "", quote)
		c.Value = events.Value{Kind: events.KindDate, Written: fmt.Sprintf("March %d, 2021", 1+i%28), Date: fmt.Sprintf("2021-03-%02d", 1+i%28)}
		c.Quote.Quote.Prefix, c.Quote.Quote.Suffix = strings.Repeat("p", 32), strings.Repeat("s", 32)
		batch = append(batch, c)
		if len(batch) >= 10000 {
			flush()
		}
	}
	flush()
	return log, texts
}

// BenchmarkApply folds the events of n claims into a State (source texts
// sketched), against decoding their payloads alone: the ratio is what the
// fold adds to decoding.
func BenchmarkApply(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("claims=%d", n), func(b *testing.B) {
			evs, texts := benchEvents(b, n)
			text := func(src *events.SourceArchived) (string, error) { return texts[src.Digest], nil }
			var applyTime, decodeTime time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				s := projections.NewState()
				for _, e := range evs {
					if err := s.Apply(e, text); err != nil {
						b.Fatal(err)
					}
				}
				applyTime += time.Since(start)
				b.StopTimer()
				start = time.Now()
				for _, e := range evs {
					if _, err := e.Decode(); err != nil {
						b.Fatal(err)
					}
				}
				decodeTime += time.Since(start)
				b.StartTimer()
			}
			total := float64(len(evs)) * float64(b.N)
			b.ReportMetric(total/applyTime.Seconds(), "events/s")
			b.ReportMetric(total/decodeTime.Seconds(), "decode_events/s")
			b.ReportMetric(decodeTime.Seconds()/applyTime.Seconds(), "ratio_to_decode")
		})
	}
}

// BenchmarkRebuild rebuilds the projection of a log of n claims with
// Store.Rebuild (the pipelined replay of fold.go, then the head
// checkpoint), against folding the same events one at a time with Apply
// (events read beforehand): ratio_to_apply above 1 is what the pipeline
// gains.
func BenchmarkRebuild(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("claims=%d", n), func(b *testing.B) {
			log, texts := benchLog(b, n)
			st := &projections.Store{Text: func(_ *events.Tx, src *events.SourceArchived) (string, error) { return texts[src.Digest], nil }}
			text := func(src *events.SourceArchived) (string, error) { return texts[src.Digest], nil }
			var evs []events.Event
			if err := log.View(func(tx *events.Tx) error {
				return tx.Scan(1, 0, func(e events.Event) error {
					evs = append(evs, e)
					return nil
				})
			}); err != nil {
				b.Fatal(err)
			}
			var rebuildTime, applyTime time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				if err := log.Update(func(tx *events.Tx) error {
					_, err := st.Rebuild(tx)
					return err
				}); err != nil {
					b.Fatal(err)
				}
				rebuildTime += time.Since(start)
				b.StopTimer()
				start = time.Now()
				s := projections.NewState()
				for _, e := range evs {
					if err := s.Apply(e, text); err != nil {
						b.Fatal(err)
					}
				}
				applyTime += time.Since(start)
				b.StartTimer()
			}
			total := float64(len(evs)) * float64(b.N)
			b.ReportMetric(total/rebuildTime.Seconds(), "events/s")
			b.ReportMetric(total/applyTime.Seconds(), "apply_events/s")
			b.ReportMetric(applyTime.Seconds()/rebuildTime.Seconds(), "ratio_to_apply")
		})
	}
}

// BenchmarkCheckpoint encodes and decodes the State of n claims as a
// checkpoint is stored (the binary codec of codec.go, with its checksum),
// reporting its size per claim and the rates, and the same for the State's
// JSON for comparison (the encoding of schema 3).
func BenchmarkCheckpoint(b *testing.B) {
	for _, n := range benchSizes() {
		evs, texts := benchEvents(b, n)
		text := func(src *events.SourceArchived) (string, error) { return texts[src.Digest], nil }
		s := projections.NewState()
		for _, e := range evs {
			if err := s.Apply(e, text); err != nil {
				b.Fatal(err)
			}
		}
		enc := projections.EncodeState(s)
		js, err := json.Marshal(s)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("claims=%d/encode", n), func(b *testing.B) {
			b.SetBytes(int64(len(enc)))
			for b.Loop() {
				projections.EncodeState(s)
			}
			b.ReportMetric(float64(len(enc))/float64(n), "bytes/claim")
		})
		b.Run(fmt.Sprintf("claims=%d/decode", n), func(b *testing.B) {
			b.SetBytes(int64(len(enc)))
			for b.Loop() {
				if _, err := projections.DecodeState(enc); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(enc))/float64(n), "bytes/claim")
		})
		b.Run(fmt.Sprintf("claims=%d/json-encode", n), func(b *testing.B) {
			b.SetBytes(int64(len(js)))
			for b.Loop() {
				if _, err := json.Marshal(s); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(js))/float64(n), "bytes/claim")
		})
		b.Run(fmt.Sprintf("claims=%d/json-decode", n), func(b *testing.B) {
			b.SetBytes(int64(len(js)))
			for b.Loop() {
				var t projections.State
				if err := json.Unmarshal(js, &t); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(js))/float64(n), "bytes/claim")
		})
	}
}
