package bagit

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"hash"
	"strings"
)

// Tag is one line of a tag file such as bag-info.txt: "Label: Value".
type Tag struct {
	Label string
	Value string
}

// Tags are the tags of bag-info.txt, in their order. A label may repeat.
type Tags []Tag

// Get returns the value of the first tag labelled label (compared without
// case, as RFC 8493 says labels are), and whether there is one.
func (t Tags) Get(label string) (string, bool) {
	for _, tag := range t {
		if strings.EqualFold(tag.Label, label) {
			return tag.Value, true
		}
	}
	return "", false
}

// Algorithm is a checksum algorithm as named in a manifest's file name
// (manifest-sha256.txt): "md5", "sha1", "sha224", "sha256", "sha384",
// "sha512".
type Algorithm string

// The algorithms a bag may use. SHA-512 and SHA-256 are what RFC 8493
// recommends; MD5 and SHA-1 are still found in older bags.
const (
	MD5    Algorithm = "md5"
	SHA1   Algorithm = "sha1"
	SHA224 Algorithm = "sha224"
	SHA256 Algorithm = "sha256"
	SHA384 Algorithm = "sha384"
	SHA512 Algorithm = "sha512"
)

// newHash returns a new hash of a, or nil for an algorithm this package
// does not know.
func (a Algorithm) newHash() hash.Hash {
	switch a {
	case MD5:
		return md5.New()
	case SHA1:
		return sha1.New()
	case SHA224:
		return sha256.New224()
	case SHA256:
		return sha256.New()
	case SHA384:
		return sha512.New384()
	case SHA512:
		return sha512.New()
	}
	return nil
}

// hexLen is the length of a's checksum in hex digits.
func (a Algorithm) hexLen() int {
	if h := a.newHash(); h != nil {
		return 2 * h.Size()
	}
	return 0
}

// encodePath writes a manifest path as RFC 8493 §2.1.3 asks: CR, LF and
// "%" percent-encoded.
func encodePath(p string) string {
	if !strings.ContainsAny(p, "\r\n%") {
		return p
	}
	r := strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	return r.Replace(p)
}

// decodePath undoes encodePath (%0A, %0D and %25, in either case); other
// percent signs stay as they are, since a 1.0 bag encodes only those.
func decodePath(p string) string {
	if !strings.Contains(p, "%") {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '%' && i+2 < len(p) {
			switch strings.ToUpper(p[i+1 : i+3]) {
			case "0A":
				b.WriteByte('\n')
				i += 2
				continue
			case "0D":
				b.WriteByte('\r')
				i += 2
				continue
			case "25":
				b.WriteByte('%')
				i += 2
				continue
			}
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// checkTagValue refuses a tag that cannot be written on one line.
func checkTag(t Tag) error {
	if t.Label == "" || strings.ContainsAny(t.Label, ":\r\n") || strings.TrimSpace(t.Label) != t.Label {
		return fmt.Errorf("bagit: tag label %q: not a label (no colon, line break or surrounding space)", t.Label)
	}
	if strings.ContainsAny(t.Value, "\r\n") {
		return fmt.Errorf("bagit: tag %s: the value has a line break", t.Label)
	}
	return nil
}
