package projections

import (
	"errors"
	"runtime"
	"sync"

	"github.com/sillok/sillok/events"
)

// The pipelined replay. A replay of many events spends most of its time
// decoding payloads (JSON) and sketching the texts of sources (MinHash),
// neither of which depends on the state. fold does those on worker
// goroutines while the events are read and applied in order:
//
//	the calling goroutine   reads the events (Tx.Scan) and the text of each
//	                        source (Store.Text), in batches: every read of
//	                        the transaction stays on it, as bbolt requires
//	workers                 decode the payloads and sketch the texts
//	the applying goroutine  folds the prepared batches into the state in
//	                        revision order (State.apply, what Apply does
//	                        after decoding and sketching)
//
// The state is the same as Apply's, event by event, and so are the errors:
// a revision out of order, a payload that does not decode, a text that
// cannot be read, in that order of precedence, at the first event that
// has one.

// foldBatch is the number of events handed from one stage to the next at
// once, and foldMin the number of events below which a replay is not
// worth the goroutines. (Variables for the tests.)
var (
	foldBatch = 256
	foldMin   = 512
)

// releaseEvery is the number of events a fold reads between releases of
// the file's mapped pages.
const releaseEvery = 1 << 16

// foldItem is one event on its way through the pipeline.
type foldItem struct {
	e       events.Event
	p       events.Payload
	err     error  // the payload did not decode
	text    string // the source's text, read by the calling goroutine
	textErr error
	hasText bool
	sketch  *Sketch
}

type foldBatchT struct {
	items []foldItem
	ready chan struct{} // closed when the workers have prepared the items
}

// prepare decodes the payloads and sketches the texts of a batch.
func (b *foldBatchT) prepare() {
	for i := range b.items {
		it := &b.items[i]
		if it.p == nil && it.err == nil {
			it.p, it.err = it.e.Decode()
		}
		if it.hasText && it.textErr == nil {
			sk := SketchText(it.text)
			it.sketch = &sk
			it.text = ""
		}
		it.e.Payload = nil // decoded: let it go
	}
	close(b.ready)
}

// lookUp calls stored, if not nil.
func lookUp(stored func(events.SourceID, events.Revision) (*Sketch, bool), id events.SourceID, rev events.Revision) (*Sketch, bool) {
	if stored == nil {
		return nil, false
	}
	return stored(id, rev)
}

// applyStored is Apply, taking a source's sketch from stored when it has
// it.
func (s *State) applyStored(e events.Event, text TextFunc, stored func(events.SourceID, events.Revision) (*Sketch, bool)) error {
	if stored == nil || e.Type != events.TypeSourceArchived || e.Revision != s.Rev+1 {
		return s.Apply(e, text)
	}
	p, err := e.Decode()
	if err != nil {
		return err
	}
	sk, ok := stored(p.(*events.SourceArchived).ID, e.Revision)
	if !ok {
		return s.Apply(e, text)
	}
	s.apply(e, p, sk)
	return nil
}

// applyItem folds a prepared event into s, as Apply would.
func (s *State) applyItem(it *foldItem) error {
	switch {
	case it.e.Revision != s.Rev+1:
		return revisionError(it.e.Revision, s.Rev)
	case it.err != nil:
		return it.err
	case it.textErr != nil:
		return textError(it.e.Revision, it.p.(*events.SourceArchived).ID, it.textErr)
	}
	s.apply(it.e, it.p, it.sketch)
	return nil
}

var errFoldStopped = errors.New("projections: replay stopped")

// fold applies the events after s.Rev through to to s (to must be at most
// the head), with text for the sources' texts (nil: no sketches). after,
// if not nil, is called after each event with the state; it runs on
// another goroutine than fold's caller, so it must not use tx. On an
// error s holds the events before the one that failed.
func fold(tx *events.Tx, s *State, to events.Revision, text func(*events.SourceArchived) (string, error), after func(*State) error) error {
	return foldStored(tx, s, to, text, nil, after)
}

// foldStored is fold with stored, if not nil, giving the sketches of
// sources that were computed before (storedSketches): a source it has a
// sketch for is not read and sketched again.
func foldStored(tx *events.Tx, s *State, to events.Revision, text func(*events.SourceArchived) (string, error),
	stored func(events.SourceID, events.Revision) (*Sketch, bool), after func(*State) error) error {
	if to <= s.Rev {
		return nil
	}
	if text == nil {
		stored = nil // no sketches at all
	}
	if to-s.Rev < events.Revision(foldMin) {
		return tx.Scan(s.Rev+1, to, func(e events.Event) error {
			if err := s.applyStored(e, text, stored); err != nil {
				return err
			}
			if after != nil {
				return after(s)
			}
			return nil
		})
	}

	workers := max(1, runtime.GOMAXPROCS(0))
	work := make(chan *foldBatchT, 2*workers)
	order := make(chan *foldBatchT, 4*workers)
	quit := make(chan struct{}) // closed when the applying goroutine stops early
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for b := range work {
				b.prepare()
			}
		})
	}
	var applyErr error
	applied := make(chan struct{})
	go func() {
		defer close(applied)
		for b := range order {
			<-b.ready
			if applyErr != nil {
				continue // drain
			}
			for i := range b.items {
				if err := s.applyItem(&b.items[i]); err != nil {
					applyErr = err
					break
				}
				if after != nil {
					if err := after(s); err != nil {
						applyErr = err
						break
					}
				}
			}
			b.items = nil
			if applyErr != nil {
				close(quit)
			}
		}
	}()

	// A damaged page panics out of the scan (events.Log turns that into
	// an error, and the transaction ends): the goroutines, which may read
	// the transaction's bytes (Store's checker), are done first.
	finished := false
	defer func() {
		if !finished {
			close(work)
			close(order)
			<-applied
			wg.Wait()
		}
	}()

	// The pages of the file a long scan has read are released as it goes
	// (ReleaseMapped), so that they do not all stay resident.
	long := to-s.Rev >= releaseEvery
	if long {
		ReleaseMapped(tx)
		defer ReleaseMapped(tx)
	}
	scanned := 0

	b := &foldBatchT{items: make([]foldItem, 0, foldBatch), ready: make(chan struct{})}
	send := func() error {
		select {
		case order <- b:
		case <-quit:
			return errFoldStopped
		}
		work <- b
		b = &foldBatchT{items: make([]foldItem, 0, foldBatch), ready: make(chan struct{})}
		return nil
	}
	scanErr := tx.Scan(s.Rev+1, to, func(e events.Event) error {
		if scanned++; long && scanned%releaseEvery == 0 {
			ReleaseMapped(tx)
		}
		it := foldItem{e: e}
		if e.Type == events.TypeSourceArchived && text != nil {
			// The text is read here, with the transaction; the payload
			// is decoded here to name the source.
			it.p, it.err = e.Decode()
			if it.err == nil {
				src := it.p.(*events.SourceArchived)
				if sk, ok := lookUp(stored, src.ID, e.Revision); ok {
					it.sketch = sk
				} else {
					it.text, it.textErr = text(src)
					it.hasText = true
				}
			}
		}
		b.items = append(b.items, it)
		if len(b.items) == foldBatch {
			return send()
		}
		return nil
	})
	if len(b.items) > 0 && !errors.Is(scanErr, errFoldStopped) {
		// The events before a failed read are applied too, as Apply one
		// at a time would have.
		if err := send(); err != nil && scanErr == nil {
			scanErr = err
		}
	}
	finished = true
	close(work)
	close(order)
	<-applied
	wg.Wait()
	switch {
	case applyErr != nil:
		return applyErr
	case errors.Is(scanErr, errFoldStopped):
		return nil // cannot happen without applyErr
	}
	return scanErr
}
