package events

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// writer performs Tx.Append's bbolt puts behind it, on a second goroutine
// once a transaction has appended a chunk of events, so that inserting one
// event into the B+trees overlaps with validating, encoding and hashing the
// next ones.
//
// Append queues only puts that cannot fail: a new record under the next
// revision, and index keys beyond the last key of their index (so not
// there: the duplicate check needs no lookup). Everything else Append does
// itself, after sync when it reads a bucket that puts are queued for. The
// goroutine touches nothing but the buckets it puts into (bbolt keeps a
// bucket's nodes to the bucket) and the queued bytes; the transaction
// syncs before anything else reads those buckets or bbolt commits or rolls
// back (see appendState).
type writer struct {
	chunk []put         // queued, not yet handed over
	work  chan []put    // to the goroutine; nil when it is not running
	spent chan []put    // chunks done, back from the goroutine, for reuse
	done  chan struct{} // closed when the goroutine has finished
	// Set by the goroutine, read after done: the first failed put, or
	// what a put panicked with.
	err      error
	panicked any
}

type put struct {
	b          *bolt.Bucket
	key, value []byte // kept until commit
}

// writerChunk is how many puts are handed over at a time. A transaction
// that queues fewer never starts the goroutine.
const writerChunk = 64

// queue queues a put. Its error, if any, comes from sync.
func (w *writer) queue(b *bolt.Bucket, key, value []byte) {
	if w.chunk == nil {
		select {
		case c := <-w.spent:
			w.chunk = c[:0]
		default:
			w.chunk = make([]put, 0, writerChunk)
		}
	}
	w.chunk = append(w.chunk, put{b, key, value})
	if len(w.chunk) == writerChunk {
		if w.work == nil {
			w.start()
		}
		w.work <- w.chunk
		w.chunk = nil
	}
}

func (w *writer) start() {
	w.work = make(chan []put, 16)
	w.done = make(chan struct{})
	if w.spent == nil {
		w.spent = make(chan []put, 16)
	}
	go func(work <-chan []put, spent chan<- []put, done chan<- struct{}) {
		defer close(done)
		w.run(work, spent)
		for range work {
			// After a failure: let sync's sends through.
		}
	}(w.work, w.spent, w.done)
}

func (w *writer) run(work <-chan []put, spent chan<- []put) {
	defer func() {
		if r := recover(); r != nil {
			w.panicked = r
		}
	}()
	for c := range work {
		if err := putAll(c); err != nil {
			w.err = err
			return
		}
		select {
		case spent <- c:
		default:
		}
	}
}

func putAll(c []put) error {
	for i := range c {
		if err := c[i].b.Put(c[i].key, c[i].value); err != nil {
			return fmt.Errorf("events: store key %x: %w", c[i].key, err)
		}
	}
	return nil
}

// sync performs what is queued and waits until it is done; the goroutine,
// if it ran, has then exited. It returns the first error of a queued put
// (and keeps returning it: the transaction must not commit), and re-raises
// a panic of one.
func (w *writer) sync() error {
	if w.work != nil {
		if len(w.chunk) > 0 {
			w.work <- w.chunk
			w.chunk = nil
		}
		close(w.work)
		<-w.done
		w.work, w.done = nil, nil
		if p := w.panicked; p != nil {
			w.panicked = nil
			w.err = fmt.Errorf("events: storing events panicked: %v", p)
			panic(p)
		}
	}
	if w.err != nil {
		return w.err
	}
	if len(w.chunk) > 0 {
		err := putAll(w.chunk)
		w.chunk = w.chunk[:0]
		if err != nil {
			w.err = err
			return err
		}
	}
	return nil
}

// stop waits for the goroutine without performing what is still queued:
// the transaction is being abandoned. It returns what a put panicked
// with, if one did.
func (w *writer) stop() (panicked any) {
	if w.work != nil {
		close(w.work)
		<-w.done
		w.work, w.done = nil, nil
	}
	w.chunk = nil
	panicked, w.panicked = w.panicked, nil
	return panicked
}
