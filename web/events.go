package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/sillok/sillok/archive"
	"github.com/sillok/sillok/events"
)

// feed wakes the event streams when the server writes; each stream also
// looks at the head every poll interval (for a write the server did not
// see).
type feed struct {
	a    *archive.Archive
	poll time.Duration
	mu   sync.Mutex
	subs map[chan struct{}]struct{}
	done chan struct{}
	once sync.Once
}

func newFeed(a *archive.Archive, poll time.Duration) *feed {
	return &feed{a: a, poll: poll, subs: map[chan struct{}]struct{}{}, done: make(chan struct{})}
}

func (f *feed) subscribe() chan struct{} {
	ch := make(chan struct{}, 1)
	f.mu.Lock()
	f.subs[ch] = struct{}{}
	f.mu.Unlock()
	return ch
}

func (f *feed) unsubscribe(ch chan struct{}) {
	f.mu.Lock()
	delete(f.subs, ch)
	f.mu.Unlock()
}

// notify wakes every stream (a write landed).
func (f *feed) notify() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for ch := range f.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

func (f *feed) close() { f.once.Do(func() { close(f.done) }) }

// EventMessage is the data of one message of GET /api/events.
type EventMessage struct {
	Revision events.Revision `json:"revision"`
	Type     events.Type     `json:"type"`
}

// KeepAlive is how often an idle event stream sends a comment, so that
// proxies keep it open.
const KeepAlive = 15 * time.Second

// getEvents streams a message per new event: "id: REV", "event: revision",
// "data: {"revision","type"}". It starts after the head, or after the
// Last-Event-ID a reconnecting browser sends.
func (s *Server) getEvents(w http.ResponseWriter, r *http.Request) {
	last, _, err := s.Archive.Head()
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if id := r.Header.Get("Last-Event-ID"); id != "" {
		if n, err := strconv.ParseUint(id, 10, 64); err == nil && events.Revision(n) <= last {
			last = events.Revision(n)
		}
	}
	rc := http.NewResponseController(w)
	// A stream outlives the server's WriteTimeout (and, to be safe, its
	// ReadTimeout): each of its writes gets WriteTimeout instead.
	_ = rc.SetWriteDeadline(time.Time{})
	_ = rc.SetReadDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	_ = rc.SetWriteDeadline(time.Now().Add(WriteTimeout))
	fmt.Fprintf(w, "retry: 3000\n: head %d\n\n", last)
	if err := rc.Flush(); err != nil {
		return
	}
	wake := s.feed.subscribe()
	defer s.feed.unsubscribe(wake)
	tick := time.NewTicker(s.feed.poll)
	defer tick.Stop()
	idle := time.Now()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.feed.done:
			return
		case <-wake:
		case <-tick.C:
		}
		head, _, err := s.Archive.Head()
		if err != nil {
			return
		}
		// Each write has a deadline: a client that stops reading is let
		// go (its goroutine and connection too) instead of blocking the
		// stream for ever.
		_ = rc.SetWriteDeadline(time.Now().Add(WriteTimeout))
		if head <= last {
			if time.Since(idle) >= KeepAlive {
				fmt.Fprint(w, ": keep-alive\n\n")
				if rc.Flush() != nil {
					return
				}
				idle = time.Now()
			}
			continue
		}
		for last < head {
			to := min(head, last+1000)
			list, err := s.Archive.Log(last+1, to)
			if err != nil {
				return
			}
			for _, e := range list {
				data, _ := json.Marshal(EventMessage{Revision: e.Revision, Type: e.Type})
				fmt.Fprintf(w, "id: %d\nevent: revision\ndata: %s\n\n", e.Revision, data)
			}
			last = to
		}
		if rc.Flush() != nil {
			return
		}
		idle = time.Now()
	}
}
