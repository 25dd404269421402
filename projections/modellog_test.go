package projections

import (
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/eventstest"
)

// modelLog is a log whose read model the incremental tests check: each
// step appends events in one write and compares the stored model with a
// replay's, key for key.
type modelLog struct {
	t     *testing.T
	log   *events.Log
	st    *Store
	texts map[events.Digest]string
	// fatal makes a model that differs from the replay's end the test
	// (it is reported and the test goes on otherwise).
	fatal bool
}

// newModelLog returns an empty modelLog whose store stores a checkpoint
// every interval events.
func newModelLog(t *testing.T, interval int) *modelLog {
	m := &modelLog{t: t, log: eventstest.MustOpenLog(t), texts: map[events.Digest]string{}}
	m.st = &Store{Interval: interval, Text: func(_ *events.Tx, s *events.SourceArchived) (string, error) { return m.texts[s.Digest], nil }}
	return m
}

// source returns a source archived with the text body.
func (m *modelLog) source(id, body string) *events.SourceArchived {
	s := eventstest.Source(id, body)
	m.texts[s.Digest] = body
	return s
}

// step appends ps in one write, brings the projections to the head, and
// compares the model with a replay's.
func (m *modelLog) step(what string, ps ...events.Payload) {
	m.t.Helper()
	if err := m.log.Update(func(tx *events.Tx) error {
		for _, p := range ps {
			if _, err := tx.Append("kim", p); err != nil {
				return err
			}
		}
		return m.st.CatchUp(tx)
	}); err != nil {
		m.t.Fatal(err)
	}
	if err := m.log.View(func(tx *events.Tx) error {
		d, err := m.st.CheckModel(tx)
		if d != "" {
			if m.fatal {
				m.t.Fatalf("after %s the model differs from a replay's: %s", what, d)
			}
			m.t.Errorf("after %s the model differs from a replay's: %s", what, d)
		}
		return err
	}); err != nil {
		m.t.Fatal(err)
	}
}

// analysis returns the analysis of the head state.
func (m *modelLog) analysis() *Analysis {
	m.t.Helper()
	var an *Analysis
	if err := m.log.View(func(tx *events.Tx) error {
		s, _, err := m.st.Head(tx)
		an = Analyze(s)
		return err
	}); err != nil {
		m.t.Fatal(err)
	}
	return an
}
