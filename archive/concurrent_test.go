package archive

import (
	"fmt"
	"sync"
	"testing"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/provenance"
)

// TestReadsWhileWriting runs the reads on several goroutines while another
// retracts claims one by one: every read sees one consistent revision
// (its page and its view agree with each other), and none fails.
func TestReadsWhileWriting(t *testing.T) {
	a := newFixture(t)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 16)
	for w := range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if err := readAll(a, w); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for i := 1; i <= fixtureProbes; i++ {
		mustUpdate(t, a, func(tx *events.Tx) error {
			_, err := provenance.NewRecorder(tx, "tester").Retract(events.ClaimID(fmt.Sprintf("south-courier-op%d", i)), "test")
			return err
		})
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	page, err := a.Conflicts(ConflictFilter{At: Head, Status: "open"})
	if err != nil || len(page.Conflicts) != 1 {
		t.Errorf("after retracting the south's operators: %d open conflicts, %v; want the launch date's alone", len(page.Conflicts), err)
	}
}

// readAll reads the queue, the view and a detail at one revision, and
// verifies.
func readAll(a *Archive, w int) error {
	page, err := a.Conflicts(ConflictFilter{At: Head, Limit: 2 + w})
	if err != nil {
		return err
	}
	v, err := a.View("", page.Revision)
	if err != nil {
		return err
	}
	if v.Revision != page.Revision {
		return fmt.Errorf("the view at %d is of revision %d", page.Revision, v.Revision)
	}
	if len(page.Conflicts) > 0 {
		if _, err := a.ConflictDetail(string(page.Conflicts[0].ID), page.Revision); err != nil {
			return err
		}
	}
	if w == 0 {
		rep, err := a.Verify(VerifyOptions{})
		if err != nil {
			return err
		}
		if !rep.OK {
			return fmt.Errorf("verify while writing: %v", rep.Problems)
		}
	}
	return nil
}
