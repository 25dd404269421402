package boltkv_test

import (
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/sillok/sillok/events/kv"
	"github.com/sillok/sillok/events/kv/boltkv"
	"github.com/sillok/sillok/events/kv/kvtest"
)

// TestConformance runs the kv suite on a fresh bbolt file per subtest,
// checking the file's consistency when each ends. bbolt allows one
// handle per file in a process, so there is no two-handle test.
func TestConformance(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.DB {
		db, err := bolt.Open(filepath.Join(t.TempDir(), "kv.db"), 0o600, &bolt.Options{
			// Room for the suite's data, so that a write never remaps
			// the file, which waits for open reads (Snapshot holds one).
			InitialMmapSize: 256 << 20,
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := db.View(func(tx *bolt.Tx) error {
				for err := range tx.Check() {
					return err
				}
				return nil
			}); err != nil {
				t.Errorf("bbolt check: %v", err)
			}
			db.Close()
		})
		return boltkv.New(db)
	})
}
