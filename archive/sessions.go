package archive

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/events/kv"
)

// Sessions are kept in the bucket "sessions" of "users" (users.go): under
// the hex SHA-256 of a session's id, the JSON sessionRecord. The id itself
// and the CSRF token are never stored.

// ErrNoSession is the error of a session id that is not a live session:
// it never was one, it ended or expired, or its account is disabled. Which
// of them is not said. Its code is Forbidden; a server answers it as "not
// signed in".
var ErrNoSession = errors.New("no such session: it ended or expired, or its account is disabled")

// Session is a signed-in browser, as StartSession and Session return it.
type Session struct {
	// ID is the session's secret id (a browser's cookie): 32 random
	// bytes, base64url. The archive keeps only its SHA-256.
	ID string
	// User is the account's name.
	User string
	// CSRF is the token a write made with the session must carry
	// (SessionCSRF of ID).
	CSRF string
	// Expires is when the session ends unless it is used before.
	Expires time.Time
}

// sessionRecord is a session as stored, under the SHA-256 of its id.
type sessionRecord struct {
	User string `json:"user"`
	// Expires is in Unix nanoseconds.
	Expires int64 `json:"expires"`
}

func (r *sessionRecord) expires() time.Time { return time.Unix(0, r.Expires).UTC() }

// sessionKey is the key of a session's record: the hex SHA-256 of its id.
func sessionKey(id string) []byte { return tokenKey(id) }

// SessionCSRF is the CSRF token of the session id: the base64url
// HMAC-SHA256 of "sillok csrf" keyed by the id. Whoever holds the id can
// compute it; nobody else can, and it reveals nothing of the id.
func SessionCSRF(id string) string {
	m := hmac.New(sha256.New, []byte(id))
	m.Write([]byte("sillok csrf"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// sessionPruneBatch is how many records StartSession looks at for expired
// sessions to delete: bounded work per sign-in, and since it starts at
// the new session's (random) key, every record is looked at now and then.
const sessionPruneBatch = 32

// sessionRefresh is how long after its expiry was last written a session
// in use has its expiry written again: ttl/16 or a minute, whichever is
// more (but no more than ttl/2, so that a short-lived session in use
// still lives on). A session may so end up to that much before ttl has
// passed since its last use; in exchange a page view costs a write
// transaction only now and then.
func sessionRefresh(ttl time.Duration) time.Duration {
	step := max(ttl/16, time.Minute)
	return min(step, ttl/2)
}

func errNoSession() error { return &Error{Code: Forbidden, Err: ErrNoSession} }

func validTTL(ttl time.Duration) error {
	if ttl <= 0 {
		return Errorf(Invalid, "a session's lifetime must be positive, not %v", ttl)
	}
	return nil
}

// StartSession starts a session of the account user that lasts ttl from
// its last use, and returns it: the only time its id is seen, since the
// archive keeps only its SHA-256. An unknown account is NotFound, a
// disabled one Forbidden. It also deletes a few sessions that have
// expired.
func (a *Archive) StartSession(user string, ttl time.Duration) (Session, error) {
	if err := validTTL(ttl); err != nil {
		return Session{}, err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return Session{}, Errorf(Internal, "making a session id: %w", err)
	}
	id := base64.RawURLEncoding.EncodeToString(raw)
	var out Session
	err := a.usersWrite(func(b userBuckets, now time.Time) error {
		rec, err := getAccount(b.accounts, user)
		if err != nil {
			return err
		}
		if rec == nil {
			return Errorf(NotFound, "no account %q", user)
		}
		if rec.Disabled {
			return Errorf(Forbidden, "the account %q is disabled", user)
		}
		key := sessionKey(id)
		if err := pruneSessions(b.sessions, key, now); err != nil {
			return err
		}
		s := sessionRecord{User: user, Expires: now.Add(ttl).UnixNano()}
		if err := putSession(b.sessions, key, &s); err != nil {
			return err
		}
		out = Session{ID: id, User: user, CSRF: SessionCSRF(id), Expires: s.expires()}
		return nil
	})
	if err != nil {
		return Session{}, err
	}
	return out, nil
}

// Session returns the live session id, for ttl from now: each use extends
// it. A session that is none (never was, ended, expired, or its account
// is disabled) is ErrNoSession.
//
// It reads in a read transaction; it writes the extended expiry only when
// ttl/16 (at least a minute, at most ttl/2) has passed since the expiry
// was last written, so that most uses cost no write (a write waits for
// the archive's one writer, an import for one). A session in use may so
// end up to that much before ttl has passed since its last use. Expires
// is the expiry as stored.
func (a *Archive) Session(id string, ttl time.Duration) (Session, error) {
	if err := validTTL(ttl); err != nil {
		return Session{}, err
	}
	if id == "" {
		return Session{}, errNoSession()
	}
	key := sessionKey(id)
	var rec *sessionRecord
	stale := false
	err := a.usersRead(func(b userBuckets, now time.Time) error {
		var err error
		if rec, err = liveSession(b, key, now); err != nil {
			return err
		}
		written := rec.expires().Add(-ttl)
		stale = now.Sub(written) >= sessionRefresh(ttl)
		return nil
	})
	if err != nil {
		return Session{}, err
	}
	if stale {
		err = a.usersWrite(func(b userBuckets, now time.Time) error {
			var err error
			// Read again: it may have ended since.
			if rec, err = liveSession(b, key, now); err != nil {
				return err
			}
			rec.Expires = max(rec.Expires, now.Add(ttl).UnixNano())
			return putSession(b.sessions, key, rec)
		})
		switch {
		case errors.Is(err, events.ErrInUse):
			// The refresh is a courtesy: an archive busy with another
			// process's long write neither fails the request nor signs
			// anyone out (the session read above is live); a later
			// request refreshes it.
		case err != nil:
			return Session{}, err
		}
	}
	return Session{ID: id, User: rec.User, CSRF: SessionCSRF(id), Expires: rec.expires()}, nil
}

// EndSession ends the session id (signing out). Ending a session that is
// none is not an error.
func (a *Archive) EndSession(id string) error {
	if id == "" {
		return nil
	}
	return a.usersWrite(func(b userBuckets, _ time.Time) error {
		return b.sessions.Delete(sessionKey(id))
	})
}

// liveSession returns the record of the session under key if it is live
// at now and its account is enabled; else ErrNoSession.
func liveSession(b userBuckets, key []byte, now time.Time) (*sessionRecord, error) {
	if b.sessions == nil {
		return nil, errNoSession()
	}
	v := b.sessions.Get(key)
	if v == nil {
		return nil, errNoSession()
	}
	var rec sessionRecord
	if err := json.Unmarshal(v, &rec); err != nil {
		return nil, fmt.Errorf("session record %.8s…: damaged: %w", key, err)
	}
	if !now.Before(rec.expires()) {
		return nil, errNoSession()
	}
	acct, err := getAccount(b.accounts, rec.User)
	if err != nil {
		return nil, err
	}
	if acct == nil || acct.Disabled {
		return nil, errNoSession()
	}
	return &rec, nil
}

func putSession(b kv.Bucket, key []byte, rec *sessionRecord) error {
	v, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return b.Put(key, v)
}

// pruneSessions deletes the expired sessions among the sessionPruneBatch
// records from key on (wrapping round to the first).
func pruneSessions(b kv.Bucket, from []byte, now time.Time) error {
	var expired [][]byte
	c := b.Cursor()
	k, v := c.Seek(from)
	wrapped := false
	for n := 0; n < sessionPruneBatch; n++ {
		if k == nil {
			if wrapped {
				break
			}
			wrapped = true
			if k, v = c.First(); k == nil {
				break
			}
		}
		if wrapped && bytes.Compare(k, from) >= 0 {
			break // round once
		}
		var rec sessionRecord
		if v != nil && json.Unmarshal(v, &rec) == nil && !now.Before(rec.expires()) {
			expired = append(expired, bytes.Clone(k))
		}
		k, v = c.Next()
	}
	for _, k := range expired {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// endSessionsOf deletes every session of the account user.
func endSessionsOf(b kv.Bucket, user string) error {
	var keys [][]byte
	err := b.ForEach(func(k, v []byte) error {
		var rec sessionRecord
		if v != nil && json.Unmarshal(v, &rec) == nil && rec.User == user {
			keys = append(keys, bytes.Clone(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
