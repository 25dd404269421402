package events

import (
	"bytes"
	"fmt"
	"slices"
)

// IndexPrefix calls fn for every key of the named index that starts with
// prefix, in key order. An index the archive does not have yet (one added
// to the program after the archive was made) has no keys.
func (tx *Tx) IndexPrefix(index, prefix string, fn func(key string, rev Revision) error) error {
	if !slices.Contains(indexNames[:], index) {
		return fmt.Errorf("events: no index %q", index)
	}
	b := tx.btx.Bucket(bucketIndex).Bucket([]byte(index))
	if b == nil {
		return nil
	}
	c := b.Cursor()
	for k, v := c.Seek([]byte(prefix)); k != nil && bytes.HasPrefix(k, []byte(prefix)); k, v = c.Next() {
		if len(v) != 8 {
			return fmt.Errorf("events: index %s: %w", index, ErrCorruptRecord)
		}
		if err := fn(string(k), keyRev(v)); err != nil {
			return err
		}
	}
	return nil
}
