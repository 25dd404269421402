package bagit

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

// Result is what Validate found in a bag.
type Result struct {
	// Dir is the bag's directory.
	Dir string
	// Version is the bag's BagIt-Version ("1.0", "0.97"); Encoding its
	// Tag-File-Character-Encoding.
	Version, Encoding string
	// Info are the tags of bag-info.txt (nil when there is none).
	Info Tags
	// Payload are the payload files, by their path in the bag ("data/..."),
	// with their size and checksums, sorted by path.
	Payload []File
	// Problems make the bag invalid; each says what and where.
	Problems []string
	// Warnings are allowed but suspect.
	Warnings []string
}

// File is a payload file of a valid bag.
type File struct {
	Path string // slash-separated, "data/..."
	Size int64
	// Sums are its checksums by algorithm, lower-case hex, as the
	// manifests give them and as its bytes were found to have.
	Sums map[Algorithm]string
}

// Valid reports whether the bag has no problems.
func (r *Result) Valid() bool { return len(r.Problems) == 0 }

// Err returns nil for a valid bag, else an *InvalidError with its problems.
func (r *Result) Err() error {
	if r.Valid() {
		return nil
	}
	return &InvalidError{Dir: r.Dir, Problems: r.Problems}
}

// InvalidError is a bag that is not valid.
type InvalidError struct {
	Dir      string
	Problems []string
}

// ErrInvalid is what every *InvalidError is (errors.Is).
var ErrInvalid = errors.New("bagit: not a valid bag")

func (e *InvalidError) Error() string {
	msg := fmt.Sprintf("%s is not a valid bag: %s", e.Dir, e.Problems[0])
	if n := len(e.Problems) - 1; n == 1 {
		msg += " (and 1 more problem)"
	} else if n > 1 {
		msg += fmt.Sprintf(" (and %d more problems)", n)
	}
	return msg
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }

// Options configure Validate.
type Options struct {
	// Progress, if not nil, is called as the payload is hashed: done of
	// total bytes (from several goroutines, one call at a time).
	Progress func(done, total int64)
	// MaxProblems stops listing problems after this many; 0 means 100.
	MaxProblems int
}

// manifest is one parsed manifest file.
type manifest struct {
	name    string // "manifest-sha256.txt"
	alg     Algorithm
	tag     bool              // a tag manifest
	entries map[string]string // path → checksum
	order   []string
}

var (
	manifestName = regexp.MustCompile(`^(tag)?manifest-([A-Za-z0-9]+)\.txt$`)
	versionForm  = regexp.MustCompile(`^([0-9]+)\.([0-9]+)$`)
	oxumForm     = regexp.MustCompile(`^([0-9]+)\.([0-9]+)$`)
)

// systemFiles are housekeeping files of operating systems, which copies
// and archivers often drop or add.
func isSystemFile(p string) bool {
	base := path.Base(p)
	switch strings.ToLower(base) {
	case ".ds_store", "thumbs.db", "desktop.ini", ".spotlight-v100", ".trashes", ".fseventsd", "ehthumbs.db":
		return true
	}
	return strings.HasPrefix(base, "._")
}

// Validate checks the bag in dir (see the package documentation for what
// it checks). The error is for a bag that could not be read at all (no
// such directory); everything wrong with a bag is in the Result's
// Problems.
func Validate(dir string, opts Options) (*Result, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("bagit: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("bagit: %s is not a directory", dir)
	}
	v := &validator{dir: dir, opts: opts, r: &Result{Dir: dir}}
	if v.opts.MaxProblems == 0 {
		v.opts.MaxProblems = 100
	}
	v.run()
	return v.r, nil
}

type validator struct {
	dir  string
	opts Options
	r    *Result
	enc  encoding.Encoding
	v1   bool // version 1.0 or later rules

	payloadDisk map[string]int64 // data/... → size, as found on disk
	tagDisk     map[string]int64 // other files
	manifests   []*manifest
	tolerated   int // entries missing on disk but tolerated with a warning
	// aliases maps a listed path whose file is on disk under another
	// name (case, normalization) to that name.
	aliases map[string]string
	// fetch are the paths fetch.txt lists, with their URLs.
	fetch map[string]string
}

func (v *validator) problem(format string, args ...any) {
	if len(v.r.Problems) < v.opts.MaxProblems {
		v.r.Problems = append(v.r.Problems, fmt.Sprintf(format, args...))
	} else if len(v.r.Problems) == v.opts.MaxProblems {
		v.r.Problems = append(v.r.Problems, "more problems not listed")
	}
}

func (v *validator) warn(format string, args ...any) {
	v.r.Warnings = append(v.r.Warnings, fmt.Sprintf(format, args...))
}

func (v *validator) run() {
	if !v.readBagitTxt() {
		return
	}
	if !v.listFiles() {
		return
	}
	v.readBagInfo()
	v.readManifests()
	v.readFetch()
	v.checkCompleteness()
	if len(v.r.Problems) > 0 {
		// Hashing a bag already known to be invalid costs time and says
		// nothing the user needs first.
		return
	}
	v.checkOxum()
	v.checkSums()
}

// readBagitTxt reads the bag declaration.
func (v *validator) readBagitTxt() bool {
	b, err := os.ReadFile(filepath.Join(v.dir, "bagit.txt"))
	if errors.Is(err, fs.ErrNotExist) {
		v.problem("bagit.txt is missing: a bag starts with its declaration")
		return false
	}
	if err != nil {
		v.problem("bagit.txt: %v", err)
		return false
	}
	if bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		v.problem("bagit.txt starts with a byte order mark, which RFC 8493 forbids")
		return false
	}
	if !utf8.Valid(b) {
		v.problem("bagit.txt is not UTF-8")
		return false
	}
	lines := splitLines(string(b))
	switch len(lines) {
	case 0:
		v.problem("bagit.txt is empty; it needs the lines BagIt-Version and Tag-File-Character-Encoding")
		return false
	case 1:
		v.problem("bagit.txt has no line 2, Tag-File-Character-Encoding")
		return false
	}
	version, ok := v.declLine(lines[0], 1, "BagIt-Version")
	if !ok {
		return false
	}
	encName, ok := v.declLine(lines[1], 2, "Tag-File-Character-Encoding")
	if !ok {
		return false
	}
	for i, l := range lines[2:] {
		if strings.TrimSpace(l) != "" {
			v.warn("bagit.txt line %d: %q: bagit.txt has only two lines", i+3, l)
		}
	}
	m := versionForm.FindStringSubmatch(version)
	if m == nil {
		v.problem("bagit.txt line 1: BagIt-Version %q is not a version (MAJOR.MINOR)", version)
		return false
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	switch {
	case major > 1:
		v.problem("bagit.txt: BagIt-Version %s is newer than this validator knows (1.0)", version)
		return false
	case major == 1:
		v.v1 = true
		if minor != 0 {
			v.warn("bagit.txt: BagIt-Version %s: validated by the rules of 1.0", version)
		}
	case version != "0.97":
		v.warn("bagit.txt: BagIt-Version %s: validated by the rules of 0.97", version)
	}
	v.r.Version = version
	v.r.Encoding = encName
	enc, err := encodingOf(encName)
	if err != nil {
		v.problem("bagit.txt line 2: Tag-File-Character-Encoding %q: %v", encName, err)
		return false
	}
	v.enc = enc
	return true
}

// declLine reads one line of bagit.txt: "Label: value", exactly.
func (v *validator) declLine(line string, n int, label string) (string, bool) {
	value, ok := strings.CutPrefix(line, label+": ")
	if !ok {
		if strings.HasPrefix(line, label) || strings.HasPrefix(strings.ToLower(line), strings.ToLower(label)) {
			v.problem("bagit.txt line %d: %q is not written \"%s: VALUE\" (a colon right after the label, then one space)", n, line, label)
		} else {
			v.problem("bagit.txt line %d: %q, want %s", n, line, label)
		}
		return "", false
	}
	if t := strings.TrimRight(value, " \t"); t != value {
		v.warn("bagit.txt line %d: %s has trailing white space", n, label)
		value = t
	}
	return value, true
}

// encodingOf returns the encoding named (IANA names: UTF-8, ISO-8859-1,
// UTF-16, ...).
func encodingOf(name string) (encoding.Encoding, error) {
	switch strings.ToUpper(strings.TrimSpace(name)) {
	case "UTF-8", "UTF8":
		return unicode.UTF8, nil
	case "UTF-16":
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), nil
	}
	e, err := ianaindex.IANA.Encoding(name)
	if err != nil || e == nil {
		return nil, errors.New("not a character encoding this validator knows")
	}
	return e, nil
}

// readTagFile reads a tag file and decodes it from the bag's encoding.
func (v *validator) readTagFile(name string) (string, error) {
	b, err := os.ReadFile(filepath.Join(v.dir, name))
	if err != nil {
		return "", err
	}
	if v.enc == unicode.UTF8 {
		b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
		if !utf8.Valid(b) {
			return "", errors.New("not valid UTF-8, the encoding bagit.txt declares")
		}
		return string(b), nil
	}
	if bytes.HasPrefix(b, []byte{0xff, 0xfe}) || bytes.HasPrefix(b, []byte{0xfe, 0xff}) {
		// UTF-16 with its byte order mark, whatever the declared variant.
		if e := strings.ToUpper(v.r.Encoding); strings.HasPrefix(e, "UTF-16") {
			out, err := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder().Bytes(b)
			return string(out), err
		}
	}
	out, err := v.enc.NewDecoder().Bytes(b)
	if err != nil {
		return "", fmt.Errorf("not valid %s, the encoding bagit.txt declares: %v", v.r.Encoding, err)
	}
	return string(out), nil
}

// splitLines splits text into lines ended by CR LF, LF or CR; a last line
// without an ending counts, an empty text has none.
func splitLines(s string) []string {
	var lines []string
	for len(s) > 0 {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			lines = append(lines, s)
			break
		}
		lines = append(lines, s[:i])
		if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			i++
		}
		s = s[i+1:]
	}
	return lines
}

// listFiles walks the bag.
func (v *validator) listFiles() bool {
	v.payloadDisk = map[string]int64{}
	v.tagDisk = map[string]int64{}
	fi, err := os.Lstat(filepath.Join(v.dir, "data"))
	if err != nil || !fi.IsDir() {
		v.problem("data/ is missing: a bag keeps its payload in a directory named data")
		return false
	}
	err = filepath.WalkDir(v.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			v.problem("%v", err)
			return nil
		}
		rel, _ := filepath.Rel(v.dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			v.problem("%s is a symbolic link; a bag's files must be its own", rel)
			return nil
		}
		if !d.Type().IsRegular() {
			v.problem("%s is not a regular file", rel)
			return nil
		}
		info, err := d.Info()
		if err != nil {
			v.problem("%s: %v", rel, err)
			return nil
		}
		if strings.HasPrefix(rel, "data/") {
			v.payloadDisk[rel] = info.Size()
		} else {
			v.tagDisk[rel] = info.Size()
		}
		return nil
	})
	if err != nil {
		v.problem("%v", err)
	}
	return true
}

// readBagInfo reads bag-info.txt, if there is one.
func (v *validator) readBagInfo() {
	if _, ok := v.tagDisk["bag-info.txt"]; !ok {
		return
	}
	text, err := v.readTagFile("bag-info.txt")
	if err != nil {
		v.problem("bag-info.txt: %v", err)
		return
	}
	info := Tags{}
	for i, line := range splitLines(text) {
		if line == "" {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(info) == 0 {
				v.problem("bag-info.txt line %d: a continuation line before any tag", i+1)
				continue
			}
			info[len(info)-1].Value += " " + strings.TrimSpace(line)
			continue
		}
		label, value, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(label) == "" {
			v.problem("bag-info.txt line %d: %q is not \"Label: value\"", i+1, line)
			continue
		}
		info = append(info, Tag{Label: strings.TrimSpace(label), Value: strings.TrimSpace(value)})
	}
	seen := map[string]string{}
	for _, t := range info {
		k := strings.ToLower(t.Label)
		switch k {
		case "bagging-date", "payload-oxum", "bag-size", "bag-group-identifier", "bag-count":
			if prev, dup := seen[k]; dup {
				if k == "payload-oxum" && prev != t.Value {
					v.problem("bag-info.txt: Payload-Oxum is given twice, %s and %s", prev, t.Value)
				} else {
					v.warn("bag-info.txt: %s is given more than once", t.Label)
				}
			}
		}
		seen[k] = t.Value
	}
	v.r.Info = info
}

// readManifests reads every payload and tag manifest.
func (v *validator) readManifests() {
	var names []string
	for name := range v.tagDisk {
		if !strings.Contains(name, "/") && manifestName.MatchString(name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	payloadKnown := 0
	for _, name := range names {
		m := manifestName.FindStringSubmatch(name)
		alg := Algorithm(strings.ToLower(m[2]))
		tag := m[1] != ""
		if alg.newHash() == nil {
			v.warn("%s: the algorithm %s is unknown to this validator; its checksums were not checked", name, m[2])
			continue
		}
		if v.v1 && (alg == MD5 || alg == SHA1) {
			v.warn("%s: %s is too weak for fixity; RFC 8493 recommends SHA-512 or SHA-256", name, alg)
		}
		man := v.readManifest(name, alg, tag)
		if man == nil {
			continue
		}
		v.manifests = append(v.manifests, man)
		if !tag {
			payloadKnown++
		}
	}
	hasPayloadManifest := false
	for _, name := range names {
		if !strings.HasPrefix(name, "tag") {
			hasPayloadManifest = true
		}
	}
	if !hasPayloadManifest {
		v.problem("the bag has no payload manifest (manifest-ALGORITHM.txt)")
	} else if payloadKnown == 0 && len(v.r.Problems) == 0 {
		v.problem("no payload manifest uses an algorithm this validator knows (md5, sha1, sha224, sha256, sha384, sha512)")
	}
}

func (v *validator) readManifest(name string, alg Algorithm, tag bool) *manifest {
	text, err := v.readTagFile(name)
	if err != nil {
		v.problem("%s: %v", name, err)
		return nil
	}
	man := &manifest{name: name, alg: alg, tag: tag, entries: map[string]string{}}
	nfc := map[string]string{} // NFC form → path as listed
	for i, line := range splitLines(text) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		where := fmt.Sprintf("%s line %d", name, i+1)
		sum, rest, ok := strings.Cut(line, " ")
		if !ok {
			sum, rest, ok = strings.Cut(line, "\t")
		}
		if !ok {
			v.problem("%s: %q is not \"CHECKSUM PATH\"", where, line)
			continue
		}
		p := strings.TrimLeft(rest, " \t")
		if strings.HasPrefix(p, "*") {
			v.warn("%s: %q: the \"*\" of md5sum's binary mode is not part of a BagIt manifest; read as %s", where, line, p[1:])
			p = p[1:]
		}
		sum = strings.ToLower(sum)
		if len(sum) != alg.hexLen() || !isHex(sum) {
			v.problem("%s: %q is not a %s checksum", where, sum, alg)
			continue
		}
		if v.v1 {
			p = decodePath(p)
		}
		if q, ok := strings.CutPrefix(p, "./"); ok {
			v.warn("%s: %s: a path is written relative to the bag, without \"./\"", where, p)
			p = q
		}
		if !v.checkPath(where, p, !tag) {
			continue
		}
		if prev, dup := man.entries[p]; dup {
			switch {
			case prev != sum:
				v.problem("%s: %s is listed twice, with different checksums", where, p)
			case v.v1:
				v.problem("%s: %s is listed twice (a 1.0 manifest lists each file once)", where, p)
			default:
				v.warn("%s: %s is listed twice", where, p)
			}
			continue
		}
		n := norm.NFC.String(p)
		if other, dup := nfc[n]; dup {
			v.warn("%s: %s and %s are the same name in two Unicode normalizations", where, other, p)
		} else {
			nfc[n] = p
		}
		man.entries[p] = sum
		man.order = append(man.order, p)
	}
	return man
}

// checkPath checks a path a manifest or fetch.txt lists: relative, inside
// the bag, and under data/ for the payload (outside it for a tag file).
func (v *validator) checkPath(where, p string, payload bool) bool {
	switch {
	case p == "":
		v.problem("%s: an empty path", where)
		return false
	case strings.HasPrefix(p, "/") || (len(p) > 1 && p[1] == ':') || strings.HasPrefix(p, `\\`):
		v.problem("%s: %s is an absolute path; a manifest lists paths inside the bag", where, p)
		return false
	case strings.HasPrefix(p, "~"):
		v.problem("%s: %s names a home directory; a manifest lists paths inside the bag", where, p)
		return false
	}
	for _, part := range strings.Split(strings.ReplaceAll(p, `\`, "/"), "/") {
		if part == ".." {
			v.problem("%s: %s leaves the bag (\"..\")", where, p)
			return false
		}
	}
	if path.Clean(p) != p {
		v.problem("%s: %s is not a clean path (\".\" or an empty component)", where, p)
		return false
	}
	if payload && !strings.HasPrefix(p, "data/") {
		v.problem("%s: %s is not in the payload directory data/", where, p)
		return false
	}
	if !payload && strings.HasPrefix(p, "data/") {
		v.problem("%s: %s is a payload file, listed in a tag manifest", where, p)
		return false
	}
	return true
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil
}

// readFetch reads fetch.txt, if there is one: the paths it lists, with
// their URLs.
func (v *validator) readFetch() {
	if _, ok := v.tagDisk["fetch.txt"]; !ok {
		return
	}
	text, err := v.readTagFile("fetch.txt")
	if err != nil {
		v.problem("fetch.txt: %v", err)
		return
	}
	out := map[string]string{}
	for i, line := range splitLines(text) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		where := fmt.Sprintf("fetch.txt line %d", i+1)
		f := strings.SplitN(line, " ", 3)
		if len(f) < 3 {
			f = strings.Fields(line)
		}
		if len(f) < 3 {
			v.problem("%s: %q is not \"URL LENGTH PATH\"", where, line)
			continue
		}
		url, length, p := f[0], f[1], strings.TrimLeft(f[2], " \t")
		if length != "-" {
			if _, err := strconv.ParseUint(length, 10, 63); err != nil {
				v.problem("%s: length %q is neither a number nor -", where, length)
			}
		}
		if v.v1 {
			p = decodePath(p)
		}
		p = strings.TrimPrefix(p, "./")
		if !v.checkPath(where, p, true) {
			continue
		}
		out[p] = url
	}
	v.fetch = out
}

// foldKey is how a file system that folds case and Unicode normalization
// sees a name.
var folder = cases.Fold()

func foldKey(p string) string { return folder.String(norm.NFC.String(p)) }

// checkCompleteness checks that every payload file is in every payload
// manifest, and every listed file is in the bag.
func (v *validator) checkCompleteness() {
	v.aliases = map[string]string{}
	folded := map[string][]string{}
	for p := range v.payloadDisk {
		k := foldKey(p)
		folded[k] = append(folded[k], p)
	}
	missingOK := map[string]bool{}
	for _, m := range v.manifests {
		if m.tag {
			for _, p := range m.order {
				if _, ok := v.tagDisk[p]; !ok {
					v.problem("%s lists %s, which is not in the bag", m.name, p)
				}
			}
			continue
		}
		listed := map[string]bool{}
		for _, p := range m.order {
			listed[p] = true
			if _, ok := v.payloadDisk[p]; ok {
				continue
			}
			if url, ok := v.fetch[p]; ok {
				v.problem("%s is not in the bag yet: fetch.txt says to fetch it from %s; a bag is valid once complete", p, url)
				continue
			}
			if other := v.sameFileAs(m, p, folded[foldKey(p)]); other != "" {
				if !missingOK[p] {
					v.warn("%s lists %s, which is in the bag as %s (the names differ only in case or Unicode normalization, which some file systems fold)", m.name, p, other)
					missingOK[p] = true
				}
				v.aliases[p] = other
				continue
			}
			if isSystemFile(p) && !v.v1 {
				if !missingOK[p] {
					v.warn("%s lists %s, an operating system's housekeeping file, which is not in the bag", m.name, p)
					missingOK[p] = true
				}
				continue
			}
			v.problem("%s lists %s, which is not in the bag", m.name, p)
		}
		for p := range v.payloadDisk {
			if !listed[p] && !v.listedAs(m, p) {
				v.problem("%s is in the bag but not listed in %s", p, m.name)
			}
		}
	}
	v.tolerated = len(missingOK)
	for p := range v.payloadDisk {
		if isSystemFile(p) {
			v.warn("%s is an operating system's housekeeping file, part of the payload", p)
		}
	}
	for p := range v.fetch {
		inAny := false
		for _, m := range v.manifests {
			if _, ok := m.entries[p]; ok && !m.tag {
				inAny = true
			}
		}
		if !inAny && len(v.manifests) > 0 {
			v.problem("fetch.txt lists %s, which no payload manifest lists", p)
		}
	}
}

// sameFileAs returns the file on disk that a listed path p, missing under
// its own name, is the same file as: a name that differs only in case or
// normalization, listed in m with the same checksum (or not listed at
// all: the file system changed the name).
func (v *validator) sameFileAs(m *manifest, p string, candidates []string) string {
	for _, c := range candidates {
		if sum, ok := m.entries[c]; !ok || sum == m.entries[p] {
			return c
		}
	}
	return ""
}

// listedAs reports whether a file on disk, not listed under its own name,
// is listed under a name that differs only in case or normalization.
func (v *validator) listedAs(m *manifest, p string) bool {
	for listed, other := range v.aliases {
		if other == p {
			if _, ok := m.entries[listed]; ok {
				return true
			}
		}
	}
	return false
}

// checkOxum compares the Payload-Oxum of bag-info.txt with the payload.
func (v *validator) checkOxum() {
	oxum, ok := v.r.Info.Get("Payload-Oxum")
	if !ok {
		return
	}
	m := oxumForm.FindStringSubmatch(oxum)
	if m == nil {
		v.problem("bag-info.txt: Payload-Oxum %q is not OCTETS.COUNT", oxum)
		return
	}
	var octets int64
	for _, n := range v.payloadDisk {
		octets += n
	}
	count := len(v.payloadDisk)
	if m[1] != strconv.FormatInt(octets, 10) || m[2] != strconv.Itoa(count) {
		msg := fmt.Sprintf("bag-info.txt: Payload-Oxum is %s, but the payload is %d bytes in %d files", oxum, octets, count)
		if v.tolerated > 0 {
			v.warn("%s (some listed files are missing, see above)", msg)
		} else {
			v.problem("%s", msg)
		}
	}
}

// checkSums hashes every payload file, and every tag file a tag manifest
// lists, with every algorithm a manifest lists it under, and compares.
func (v *validator) checkSums() {
	wants := map[string]map[Algorithm][2]string{} // path on disk → algorithm → {checksum, manifest}
	for _, m := range v.manifests {
		for _, p := range m.order {
			disk := p
			if _, ok := v.payloadDisk[p]; !ok {
				if _, ok := v.tagDisk[p]; !ok {
					if a, ok := v.aliases[p]; ok {
						disk = a
					} else {
						continue
					}
				}
			}
			if wants[disk] == nil {
				wants[disk] = map[Algorithm][2]string{}
			}
			if prev, ok := wants[disk][m.alg]; ok && prev[0] != m.entries[p] {
				v.problem("%s and %s give %s different %s checksums", prev[1], m.name, disk, m.alg)
				continue
			}
			wants[disk][m.alg] = [2]string{m.entries[p], m.name}
		}
	}
	paths := make([]string, 0, len(wants))
	var total int64
	for p := range wants {
		paths = append(paths, p)
		total += v.payloadDisk[p] + v.tagDisk[p]
	}
	slices.Sort(paths)

	var mu sync.Mutex
	var done int64
	got := make([]map[Algorithm]string, len(paths))
	errs := make([]error, len(paths))
	next := make(chan int)
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), max(1, len(paths)))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 1<<20)
			for i := range next {
				var algs []Algorithm
				for a := range wants[paths[i]] {
					algs = append(algs, a)
				}
				got[i], errs[i] = hashFile(filepath.Join(v.dir, filepath.FromSlash(paths[i])), algs, buf, func(n int64) {
					if v.opts.Progress != nil {
						mu.Lock()
						done += n
						v.opts.Progress(done, total)
						mu.Unlock()
					}
				})
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()

	files := map[string]*File{}
	for i, p := range paths {
		if errs[i] != nil {
			v.problem("%s: %v", p, errs[i])
			continue
		}
		ok := true
		algs := make([]Algorithm, 0, len(wants[p]))
		for a := range wants[p] {
			algs = append(algs, a)
		}
		slices.Sort(algs)
		for _, a := range algs {
			w := wants[p][a]
			if got[i][a] != w[0] {
				v.problem("%s: its %s checksum is %s, but %s says %s (the file was changed or damaged)", p, a, got[i][a], w[1], w[0])
				ok = false
			}
		}
		if ok && strings.HasPrefix(p, "data/") {
			files[p] = &File{Path: p, Size: v.payloadDisk[p], Sums: got[i]}
		}
	}
	if len(v.r.Problems) > 0 {
		return
	}
	for _, p := range slices.Sorted(maps.Keys(files)) {
		v.r.Payload = append(v.r.Payload, *files[p])
	}
}

// hashFile computes the checksums of the named file with algs.
func hashFile(name string, algs []Algorithm, buf []byte, progress func(int64)) (map[Algorithm]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	hs := make([]hash.Hash, len(algs))
	ws := make([]io.Writer, len(algs))
	for i, a := range algs {
		hs[i] = a.newHash()
		ws[i] = hs[i]
	}
	w := io.MultiWriter(ws...)
	for {
		n, err := f.Read(buf)
		if n > 0 {
			w.Write(buf[:n])
			progress(int64(n))
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	out := make(map[Algorithm]string, len(algs))
	for i, a := range algs {
		out[a] = hex.EncodeToString(hs[i].Sum(nil))
	}
	return out, nil
}
