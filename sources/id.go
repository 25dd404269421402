package sources

import (
	"errors"
	"fmt"
	"strings"

	"github.com/sillok/sillok/events"
)

// MaxSlugLen is the longest source id ValidSlug accepts.
const MaxSlugLen = 64

// ErrInvalidSlug means a source id is not a valid slug.
var ErrInvalidSlug = errors.New("invalid source id")

// slugRule is the rule, as told to a user whose slug is refused.
const slugRule = "a source id is 1 to 64 lower-case ASCII letters, digits and single hyphens, not starting or ending with a hyphen (for example nikkei-2024-04-26)"

// ValidSlug returns nil if s can be a source id chosen by hand: 1 to 64
// characters from a-z, 0-9 and "-", neither starting nor ending with "-",
// with no "--". The error wraps ErrInvalidSlug and says what is allowed.
func ValidSlug(s string) error {
	bad := func(why string) error {
		return fmt.Errorf("%w %q: %s; %s", ErrInvalidSlug, s, why, slugRule)
	}
	switch {
	case s == "":
		return bad("it is empty")
	case len(s) > MaxSlugLen:
		return bad(fmt.Sprintf("it is %d bytes long", len(s)))
	case s[0] == '-' || s[len(s)-1] == '-':
		return bad("it starts or ends with a hyphen")
	case strings.Contains(s, "--"):
		return bad("it has two hyphens in a row")
	}
	for i, c := range s {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			if 'A' <= c && c <= 'Z' {
				return bad("it has an upper-case letter")
			}
			return bad(fmt.Sprintf("it has %q at byte %d", c, i))
		}
	}
	return nil
}

// DerivedID returns the source id derived from the digest of a source's
// bytes: "src-" and the first 12 hex digits of the digest. It is a valid
// slug.
func DerivedID(d events.Digest) string {
	return "src-" + d.Hex()[:12]
}
