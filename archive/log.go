package archive

import (
	"github.com/sillok/sillok/events"
)

// Log returns the events from revision from through revision to, oldest
// first. Revisions count events from 1, so from 0 is the same as from 1;
// to is a revision like any other (Head: the newest), and 0, the empty
// archive, holds no events. A revision beyond the head is NotFound, from
// after to Invalid. The events are copies: they stay valid after Log
// returns.
func (a *Archive) Log(from, to Revision) ([]events.Event, error) {
	var list []events.Event
	err := a.log.View(func(tx *events.Tx) error {
		head, _ := tx.Head()
		if to == Head {
			to = head
		}
		switch {
		case from > head:
			return Errorf(NotFound, "revision %d (the first asked for) is beyond the head revision %d", from, head)
		case to > head:
			return Errorf(NotFound, "revision %d (the last asked for) is beyond the head revision %d", to, head)
		case from > to:
			return Errorf(Invalid, "the first revision asked for (%d) is after the last (%d)", from, to)
		case to == 0:
			return nil
		}
		return tx.Scan(from, to, func(e events.Event) error {
			list = append(list, e)
			return nil
		})
	})
	return list, coded(err)
}
