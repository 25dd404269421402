package events

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// Digest is a SHA-256 hash. It is comparable and can be used as a map key.
type Digest [32]byte

// DigestOf returns the SHA-256 digest of b.
func DigestOf(b []byte) Digest { return Digest(sha256.Sum256(b)) }

// IsZero reports whether d is the zero digest (the "previous hash" of revision 1).
func (d Digest) IsZero() bool { return d == Digest{} }

// String returns the digest as "sha256:" followed by 64 lower-case hex digits.
func (d Digest) String() string { return "sha256:" + hex.EncodeToString(d[:]) }

// Hex returns the 64 lower-case hex digits of d.
func (d Digest) Hex() string { return hex.EncodeToString(d[:]) }

// ParseDigest parses "sha256:HEX" or bare HEX.
func ParseDigest(s string) (Digest, error) {
	var d Digest
	h := strings.TrimPrefix(s, "sha256:")
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != len(d) {
		return d, fmt.Errorf("%q is not a sha256 digest", s)
	}
	copy(d[:], b)
	return d, nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Digest) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Digest) UnmarshalText(b []byte) error {
	v, err := ParseDigest(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
