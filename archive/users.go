package archive

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sillok/sillok/events/kv"
	"golang.org/x/crypto/argon2"

	"github.com/sillok/sillok/events"
)

// Accounts are kept in the archive file but outside the log: they are not
// history, a password or a token must never enter the log (or an export of
// it), and an account can be disabled. The layout (one top-level bucket):
//
//	users
//	  "accounts"  account name → JSON account record (with the password's
//	              argon2id hash, "$argon2id$v=19$m=..,t=..,p=..$salt$hash")
//	  "tokens"    hex SHA-256 of an API token → account name
//	  "audit"     8-byte BE sequence number → JSON AccountChange
//	  "sessions"  hex SHA-256 of a session id → JSON sessionRecord
//	              ({"user": name, "expires": unix nanoseconds})
//
// A token is stored only as its SHA-256: the token itself is shown once,
// when it is made. A session id likewise (sessions.go).
var (
	bucketUsers    = []byte("users")
	bucketAccounts = []byte("accounts")
	bucketTokens   = []byte("tokens")
	bucketAudit    = []byte("audit")
	bucketSessions = []byte("sessions")
)

// Role is what an account may do. Each role may do what the ones before it
// may: a reader reads, an archivist also adds sources and claims, a
// fact-checker also reviews, an admin also manages accounts.
type Role string

// The roles, from the least to the most allowed.
const (
	RoleReader      Role = "reader"
	RoleArchivist   Role = "archivist"
	RoleFactChecker Role = "fact-checker"
	RoleAdmin       Role = "admin"
)

// Roles lists the roles from the least to the most allowed.
var Roles = []Role{RoleReader, RoleArchivist, RoleFactChecker, RoleAdmin}

func (r Role) rank() int {
	for i, x := range Roles {
		if x == r {
			return i + 1
		}
	}
	return 0
}

// Allows reports whether an account of role r may do what role need may.
func (r Role) Allows(need Role) bool { return r.rank() > 0 && r.rank() >= need.rank() }

// ParseRole reads a role's name; anything else is Invalid.
func ParseRole(s string) (Role, error) {
	if r := Role(s); r.rank() > 0 {
		return r, nil
	}
	return "", Errorf(Invalid, "unknown role %q: the roles are reader, archivist, fact-checker and admin", s)
}

// ErrBadCredentials is the error of a sign-in with an unknown name, a wrong
// password, a token that is not one, or a disabled account: which of them
// is not said. Its code is Forbidden; a server answers it as "not signed
// in".
var ErrBadCredentials = errors.New("wrong name or password, or the account is disabled")

// Account is a user of the archive, as Users lists it. It never carries a
// password or a token, nor their hashes.
type Account struct {
	Name     string    `json:"name"`
	Role     Role      `json:"role"`
	Disabled bool      `json:"disabled"`
	Created  time.Time `json:"created"`
	// CreatedBy is who created it (an admin, or the system user who ran
	// the command on the archive file).
	CreatedBy string `json:"created_by"`
	// Tokens counts its API tokens.
	Tokens int `json:"tokens"`
}

// AccountChange is one change of the accounts, as the audit list keeps it.
type AccountChange struct {
	Seq    uint64    `json:"seq"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Action string    `json:"action"` // "add", "disable", "token"
	User   string    `json:"user"`
	Detail string    `json:"detail,omitempty"`
}

// accountRecord is an account as stored.
type accountRecord struct {
	Account
	Password string `json:"password"`
}

// Argon2id's parameters for new passwords (RFC 9106's second recommended
// option, with the threads this machine is likely to spare). The stored
// hash carries its parameters, so changing them here keeps old hashes
// readable.
const (
	argonTime    = 3
	argonMemory  = 64 << 10 // KiB
	argonThreads = 2
	argonKeyLen  = 32
)

// MinPasswordLength is the shortest password AddUser accepts.
const MinPasswordLength = 8

func hashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// checkPassword compares password with an encoded hash in constant time.
func checkPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<22 || t > 64 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when no account has the name, so that a
// sign-in takes as long for an unknown name as for a wrong password.
var dummyHash = "$argon2id$v=19$m=65536,t=3,p=2$c2lsbG9rLWR1bW15LXNhbHQ$Z6h0Wb3z6x5bU7o0uSh2wE3W0e8kUJ9h8l2QbWnS3fA"

func tokenKey(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return []byte(hex.EncodeToString(sum[:]))
}

// validAccountName refuses a name that could not be an event's author.
func validAccountName(name string) error {
	if name == "" {
		return Errorf(Invalid, "an account needs a name")
	}
	if err := events.ValidAuthor(name); err != nil {
		return Errorf(Invalid, "account name %q: %w", name, err)
	}
	if strings.ContainsAny(name, " \t/:") {
		return Errorf(Invalid, "account name %q: no spaces, slashes or colons", name)
	}
	return nil
}

// userBuckets are the buckets of the accounts, in one transaction. In a
// read transaction each is nil while nothing was ever written to it.
type userBuckets struct {
	accounts, tokens, audit, sessions kv.Bucket
}

// usersUpdate runs fn in a write transaction on the accounts' buckets,
// with the transaction's time.
func (a *Archive) usersUpdate(fn func(accounts, tokens, audit kv.Bucket, now time.Time) error) error {
	return a.usersWrite(func(b userBuckets, now time.Time) error {
		return fn(b.accounts, b.tokens, b.audit, now)
	})
}

// usersWrite is usersUpdate with every bucket, the sessions' too.
func (a *Archive) usersWrite(fn func(b userBuckets, now time.Time) error) error {
	err := a.log.Update(func(tx *events.Tx) error {
		root, err := tx.KV().CreateBucketIfNotExists(bucketUsers)
		if err != nil {
			return err
		}
		var bs [4]kv.Bucket
		for i, name := range [][]byte{bucketAccounts, bucketTokens, bucketAudit, bucketSessions} {
			if bs[i], err = root.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return fn(userBuckets{bs[0], bs[1], bs[2], bs[3]}, tx.Now().UTC())
	})
	return coded(err)
}

// usersView runs fn in a read transaction; the buckets are nil while no
// account was ever made.
func (a *Archive) usersView(fn func(accounts, tokens, audit kv.Bucket) error) error {
	return a.usersRead(func(b userBuckets, _ time.Time) error {
		return fn(b.accounts, b.tokens, b.audit)
	})
}

// usersRead is usersView with every bucket and the time of the archive's
// clock (Options.Now), read once for the transaction.
func (a *Archive) usersRead(fn func(b userBuckets, now time.Time) error) error {
	err := a.log.View(func(tx *events.Tx) error {
		var b userBuckets
		if root := tx.KV().Bucket(bucketUsers); root != nil {
			b = userBuckets{root.Bucket(bucketAccounts), root.Bucket(bucketTokens), root.Bucket(bucketAudit), root.Bucket(bucketSessions)}
		}
		return fn(b, tx.Now().UTC())
	})
	return coded(err)
}

func audit(b kv.Bucket, c AccountChange) error {
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	c.Seq = seq
	v, err := json.Marshal(c)
	if err != nil {
		return err
	}
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], seq)
	return b.Put(k[:], v)
}

func getAccount(b kv.Bucket, name string) (*accountRecord, error) {
	if b == nil {
		return nil, nil
	}
	v := b.Get([]byte(name))
	if v == nil {
		return nil, nil
	}
	var rec accountRecord
	if err := json.Unmarshal(v, &rec); err != nil {
		return nil, fmt.Errorf("account %q: damaged record: %w", name, err)
	}
	return &rec, nil
}

func putAccount(b kv.Bucket, rec *accountRecord) error {
	v, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return b.Put([]byte(rec.Name), v)
}

// AddUser creates the account name with role and password; by is who
// creates it (recorded in the audit list). A name taken is a Conflict; a
// password shorter than MinPasswordLength is Invalid.
func (a *Archive) AddUser(by, name string, role Role, password string) (Account, error) {
	if err := validAccountName(name); err != nil {
		return Account{}, err
	}
	if role.rank() == 0 {
		_, err := ParseRole(string(role))
		return Account{}, err
	}
	if len([]rune(password)) < MinPasswordLength {
		return Account{}, Errorf(Invalid, "the password must have at least %d characters", MinPasswordLength)
	}
	hash, err := hashPassword(password)
	if err != nil {
		return Account{}, Errorf(Internal, "hashing the password: %w", err)
	}
	var out Account
	err = a.usersUpdate(func(accounts, _, log kv.Bucket, now time.Time) error {
		old, err := getAccount(accounts, name)
		if err != nil {
			return err
		}
		if old != nil {
			return Errorf(Conflict, "there is already an account %q", name)
		}
		rec := &accountRecord{Account: Account{Name: name, Role: role, Created: now, CreatedBy: by}, Password: hash}
		if err := putAccount(accounts, rec); err != nil {
			return err
		}
		out = rec.Account
		return audit(log, AccountChange{At: now, By: by, Action: "add", User: name, Detail: "role " + string(role)})
	})
	return out, err
}

// DisableUser disables the account name: it can no longer sign in, its
// tokens stop working, and its sessions end. An unknown name is NotFound.
func (a *Archive) DisableUser(by, name string) error {
	return a.usersWrite(func(b userBuckets, now time.Time) error {
		rec, err := getAccount(b.accounts, name)
		if err != nil {
			return err
		}
		if rec == nil {
			return Errorf(NotFound, "no account %q", name)
		}
		if rec.Disabled {
			return Errorf(Conflict, "the account %q is already disabled", name)
		}
		rec.Disabled = true
		if err := putAccount(b.accounts, rec); err != nil {
			return err
		}
		if err := endSessionsOf(b.sessions, name); err != nil {
			return err
		}
		return audit(b.audit, AccountChange{At: now, By: by, Action: "disable", User: name})
	})
}

// NewToken makes a new API token for the account name and returns it:
// the only time it is seen, since only its SHA-256 is stored. An unknown
// or disabled account is refused.
func (a *Archive) NewToken(by, name string) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", Errorf(Internal, "making a token: %w", err)
	}
	token := "sillok_" + base64.RawURLEncoding.EncodeToString(raw)
	err := a.usersUpdate(func(accounts, tokens, log kv.Bucket, now time.Time) error {
		rec, err := getAccount(accounts, name)
		if err != nil {
			return err
		}
		if rec == nil {
			return Errorf(NotFound, "no account %q", name)
		}
		if rec.Disabled {
			return Errorf(Forbidden, "the account %q is disabled", name)
		}
		if err := tokens.Put(tokenKey(token), []byte(name)); err != nil {
			return err
		}
		rec.Tokens++
		if err := putAccount(accounts, rec); err != nil {
			return err
		}
		return audit(log, AccountChange{At: now, By: by, Action: "token", User: name, Detail: "a new API token"})
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// User returns the account name. An unknown name is NotFound.
func (a *Archive) User(name string) (Account, error) {
	var out Account
	err := a.usersView(func(accounts, _, _ kv.Bucket) error {
		rec, err := getAccount(accounts, name)
		if err != nil {
			return err
		}
		if rec == nil {
			return Errorf(NotFound, "no account %q", name)
		}
		out = rec.Account
		return nil
	})
	return out, err
}

// Users lists the accounts by name.
func (a *Archive) Users() ([]Account, error) {
	out := []Account{}
	err := a.usersView(func(accounts, _, _ kv.Bucket) error {
		if accounts == nil {
			return nil
		}
		return accounts.ForEach(func(k, v []byte) error {
			var rec accountRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				return fmt.Errorf("account %q: damaged record: %w", k, err)
			}
			out = append(out, rec.Account)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// UserAudit lists the changes of the accounts, oldest first.
func (a *Archive) UserAudit() ([]AccountChange, error) {
	out := []AccountChange{}
	err := a.usersView(func(_, _, log kv.Bucket) error {
		if log == nil {
			return nil
		}
		return log.ForEach(func(_, v []byte) error {
			var c AccountChange
			if err := json.Unmarshal(v, &c); err != nil {
				return fmt.Errorf("account audit: damaged record: %w", err)
			}
			out = append(out, c)
			return nil
		})
	})
	return out, err
}

// SignIn checks name's password and returns the account. Any failure (no
// such account, a wrong password, a disabled account) is ErrBadCredentials,
// which says no more; it takes as long whatever the cause.
func (a *Archive) SignIn(name, password string) (Account, error) {
	var rec *accountRecord
	err := a.usersView(func(accounts, _, _ kv.Bucket) error {
		var err error
		rec, err = getAccount(accounts, name)
		return err
	})
	if err != nil {
		return Account{}, err
	}
	hash := dummyHash
	if rec != nil {
		hash = rec.Password
	}
	ok := checkPassword(hash, password)
	if rec == nil || !ok || rec.Disabled {
		return Account{}, &Error{Code: Forbidden, Err: ErrBadCredentials}
	}
	return rec.Account, nil
}

// TokenUser returns the account an API token belongs to. A token that is
// none, or whose account is disabled, is ErrBadCredentials.
func (a *Archive) TokenUser(token string) (Account, error) {
	var out Account
	err := a.usersView(func(accounts, tokens, _ kv.Bucket) error {
		if tokens == nil || token == "" {
			return &Error{Code: Forbidden, Err: ErrBadCredentials}
		}
		name := tokens.Get(tokenKey(token))
		if name == nil {
			return &Error{Code: Forbidden, Err: ErrBadCredentials}
		}
		rec, err := getAccount(accounts, string(bytes.Clone(name)))
		if err != nil {
			return err
		}
		if rec == nil || rec.Disabled {
			return &Error{Code: Forbidden, Err: ErrBadCredentials}
		}
		out = rec.Account
		return nil
	})
	return out, err
}
