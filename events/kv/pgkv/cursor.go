package pgkv

import (
	"errors"
	"fmt"

	"github.com/sillok/sillok/events/kv"
)

// Cursor batches: one row after a positioning move (First, Last, Seek),
// then firstBatch and four times more per batch, up to maxBatch.
const (
	firstBatch = 4
	maxBatch   = 4096
)

// row is one key of a bucket; value is nil for a nested bucket.
type row struct{ key, value []byte }

// Where a cursor is.
const (
	nowhere  = iota // not positioned, or on an empty bucket
	onKey           // on key
	afterEnd        // after a Seek past the last key: Prev goes to the last
)

// cursor walks a bucket in batches as a kv.Cursor.
type cursor struct {
	b   *bucket
	at  int
	cur row
	// ahead holds the rows after cur in direction dir, nearest first;
	// end says the database holds none beyond them.
	ahead []row
	dir   int
	end   bool
	batch int
	keys  bool // KeyCursor: values are not read
}

var _ kv.Cursor = (*cursor)(nil)

// fetch reads up to n rows of the bucket from the key from (all keys
// when from is nil) in direction dir, the key itself when inclusive.
func (c *cursor) fetch(dir int, from []byte, inclusive bool, n int) []row {
	t, st := c.b.t, c.b.st
	if err := t.check(st, false); err != nil {
		t.fail(err)
		return nil
	}
	if t.writable && len(st.ops) > 0 {
		if err := t.flush(st); err != nil {
			return nil
		}
	}
	order, cmp := "ASC", ">"
	if dir < 0 {
		order, cmp = "DESC", "<"
	}
	if inclusive {
		cmp += "="
	}
	var sql string
	args := []any{st.path}
	value := "value"
	if c.keys {
		value = "CASE WHEN value IS NULL THEN NULL ELSE ''::bytea END"
	}
	if from == nil {
		sql = fmt.Sprintf(`SELECT key, %s FROM sillok_kv WHERE bucket = $1 ORDER BY key %s LIMIT $2`, value, order)
	} else {
		sql = fmt.Sprintf(`SELECT key, %s FROM sillok_kv WHERE bucket = $1 AND key %s $2 ORDER BY key %s LIMIT $3`, value, cmp, order)
		args = append(args, from)
	}
	args = append(args, n)
	rows, err := t.conn.Query(t.ctx, sql, args...)
	if err != nil {
		t.fail(t.db.wrap(err))
		return nil
	}
	defer rows.Close()
	var out []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.key, &r.value); err != nil {
			t.fail(t.db.wrap(err))
			return nil
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.fail(t.db.wrap(err))
		return nil
	}
	return out
}

// position moves to the first row of a fresh walk in direction dir.
func (c *cursor) position(dir int, from []byte, inclusive bool) ([]byte, []byte) {
	c.ahead, c.dir, c.end, c.batch = nil, dir, false, firstBatch
	rows := c.fetch(dir, from, inclusive, 1)
	if len(rows) == 0 {
		c.at, c.cur = nowhere, row{}
		return nil, nil
	}
	c.at, c.cur = onKey, rows[0]
	return c.cur.key, c.cur.value
}

func (c *cursor) First() ([]byte, []byte) { return c.position(1, nil, false) }
func (c *cursor) Last() ([]byte, []byte)  { return c.position(-1, nil, false) }

func (c *cursor) Seek(key []byte) ([]byte, []byte) {
	k, v := c.position(1, key, true)
	if k == nil {
		c.at = afterEnd
	}
	return k, v
}

// step moves one key in direction dir; past either end it returns nil and
// stays on the last key it was on, as bbolt's cursor does.
func (c *cursor) step(dir int) ([]byte, []byte) {
	switch c.at {
	case nowhere:
		return nil, nil
	case afterEnd:
		if dir > 0 {
			return nil, nil
		}
		return c.Last()
	}
	if c.dir != dir {
		c.ahead, c.dir, c.end, c.batch = nil, dir, false, 1
	}
	if len(c.ahead) == 0 && !c.end {
		c.ahead = c.fetch(dir, c.cur.key, false, c.batch)
		c.end = len(c.ahead) < c.batch
		c.batch = min(c.batch*4, maxBatch)
	}
	if len(c.ahead) == 0 {
		return nil, nil
	}
	c.cur, c.ahead = c.ahead[0], c.ahead[1:]
	return c.cur.key, c.cur.value
}

func (c *cursor) Next() ([]byte, []byte) { return c.step(1) }
func (c *cursor) Prev() ([]byte, []byte) { return c.step(-1) }

// errNoKey reports Cursor.Delete on a cursor that is on no key.
var errNoKey = errors.New("pgkv: the cursor is on no key")

func (c *cursor) Delete() error {
	t, st := c.b.t, c.b.st
	if err := t.check(st, true); err != nil {
		return err
	}
	if c.at != onKey {
		return errNoKey
	}
	if c.cur.value == nil {
		return kv.ErrIncompatible
	}
	st.put(t, c.cur.key, op{del: true})
	return nil
}
