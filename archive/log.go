package archive

import (
	"github.com/sillok/sillok/events"
)

// Log returns the events from revision from through to, oldest first; 0
// for from means the first, and 0 (or Head) for to the newest. A revision
// beyond the head is NotFound, from after to Invalid. The events are
// copies: they stay valid after Log returns.
func (a *Archive) Log(from, to Revision) ([]events.Event, error) {
	var list []events.Event
	err := a.log.View(func(tx *events.Tx) error {
		head, _ := tx.Head()
		if to == Head {
			to = 0
		}
		switch {
		case from > head:
			return Errorf(NotFound, "revision %d (the first asked for) is beyond the head revision %d", from, head)
		case to > head:
			return Errorf(NotFound, "revision %d (the last asked for) is beyond the head revision %d", to, head)
		case to != 0 && from > to:
			return Errorf(Invalid, "the first revision asked for (%d) is after the last (%d)", from, to)
		}
		return tx.Scan(from, to, func(e events.Event) error {
			list = append(list, e)
			return nil
		})
	})
	return list, coded(err)
}
