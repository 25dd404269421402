package sources

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Media types of a Document.
const (
	MediaTypeText = "text/plain"
	MediaTypeHTML = "text/html"
)

var (
	// ErrBinary means the content is not UTF-8 text: it has NUL bytes,
	// invalid UTF-8 or the signature of a known binary format.
	ErrBinary = errors.New("not UTF-8 text")

	// ErrEmpty means the content has no text: no bytes, only white space,
	// or HTML with no visible text.
	ErrEmpty = errors.New("no text")
)

// Document is the text extracted from a source's raw bytes.
type Document struct {
	MediaType string // MediaTypeText or MediaTypeHTML
	Text      string // the extracted text, not yet normalized
}

// Text returns the normalized text of raw: Extract, then Normalize. This is
// the text that quotes are anchored in.
func Text(raw []byte) (string, error) {
	doc, err := Extract(raw)
	if err != nil {
		return "", err
	}
	t := Normalize(doc.Text)
	if t == "" {
		return "", fmt.Errorf("%w: the text is empty after normalization", ErrEmpty)
	}
	return t, nil
}

// Extract returns the text of raw.
//
// Plain text is returned as it is, less a leading UTF-8 byte order mark, and
// with CRLF and lone CR line ends turned into LF.
//
// HTML is recognized by sniffing the first non-blank bytes (a doctype,
// <html>, <head>, <body>, a comment, or one of the tags the WHATWG MIME
// sniffing standard lists, such as <p>, <div>, <table>, <title>, and a few
// more block tags such as <h2>, <ul>, <pre>, <section>; or an XML
// declaration followed by <html> within the first kilobyte). It is
// reduced to its text: the content of <title> comes first, on its own line;
// the rest of <head> and the content of script, style, noscript, template,
// iframe, object, canvas and svg elements are dropped; block elements (p,
// div, li, h1-h6, tr, section, article, br, ...) end a line; table cells are
// separated by a tab; white space inside a text node is collapsed as a
// browser does, except inside <pre>; character references are decoded.
//
// Content that is not UTF-8 text is refused with an error wrapping
// ErrBinary, and content with no text with an error wrapping ErrEmpty.
func Extract(raw []byte) (Document, error) {
	if len(raw) == 0 {
		return Document{}, fmt.Errorf("%w: the content is 0 bytes", ErrEmpty)
	}
	if err := checkText(raw); err != nil {
		return Document{}, err
	}
	raw = bytes.TrimPrefix(raw, utf8BOM)
	s := newlines.Replace(string(raw))

	doc := Document{MediaType: MediaTypeText, Text: s}
	if isHTML(s) {
		t, err := htmlText(s)
		if err != nil {
			return Document{}, fmt.Errorf("reading HTML: %w", err)
		}
		doc = Document{MediaType: MediaTypeHTML, Text: newlines.Replace(t)} // &#13; gives a CR
	}
	if strings.TrimFunc(doc.Text, isBlank) == "" {
		return Document{}, fmt.Errorf("%w: the %s content is only white space", ErrEmpty, doc.MediaType)
	}
	return doc, nil
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

var newlines = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// isBlank reports whether r is white space or an invisible character that
// Normalize removes.
func isBlank(r rune) bool { return unicode.IsSpace(r) || isInvisible(r) }

// signatures are the leading bytes of binary formats a source might be
// mistaken for.
var signatures = []struct {
	magic string
	name  string
}{
	{"%PDF-", "a PDF document"},
	{"\x89PNG\r\n\x1a\n", "a PNG image"},
	{"GIF87a", "a GIF image"},
	{"GIF89a", "a GIF image"},
	{"\xFF\xD8\xFF", "a JPEG image"},
	{"PK\x03\x04", "a ZIP archive (or a DOCX, XLSX, EPUB or ODT document)"},
	{"PK\x05\x06", "an empty ZIP archive"},
	{"\x1F\x8B", "gzip-compressed data"},
	{"BZh", "bzip2-compressed data"},
	{"\xFD7zXZ\x00", "xz-compressed data"},
	{"\x28\xB5\x2F\xFD", "zstd-compressed data"},
	{"7z\xBC\xAF\x27\x1C", "a 7z archive"},
	{"Rar!\x1A\x07", "a RAR archive"},
	{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "an old Microsoft Office document (DOC, XLS, PPT)"},
	{"{\\rtf", "an RTF document"},
	{"\x7FELF", "an ELF executable"},
	{"MZ\x90\x00", "a Windows executable"},
	{"SQLite format 3\x00", "an SQLite database"},
	{"\xFF\xFE", "UTF-16 (little-endian) text; convert it to UTF-8"},
	{"\xFE\xFF", "UTF-16 (big-endian) text; convert it to UTF-8"},
}

// checkText returns an error wrapping ErrBinary unless raw is UTF-8 text.
func checkText(raw []byte) error {
	for _, sig := range signatures {
		if bytes.HasPrefix(raw, []byte(sig.magic)) {
			return fmt.Errorf("%w: the content is %s", ErrBinary, sig.name)
		}
	}
	// RIFF containers: WebP images, WAV and AVI files.
	if len(raw) >= 12 && string(raw[:4]) == "RIFF" {
		return fmt.Errorf("%w: the content is a RIFF file (%q)", ErrBinary, raw[8:12])
	}
	if i := bytes.IndexByte(raw, 0); i >= 0 {
		return fmt.Errorf("%w: NUL byte at byte offset %d", ErrBinary, i)
	}
	for i := 0; i < len(raw); {
		r, n := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && n == 1 {
			return fmt.Errorf("%w: invalid UTF-8 at byte offset %d (text in another encoding must be converted to UTF-8)", ErrBinary, i)
		}
		i += n
	}
	return nil
}

// htmlPrefixes are the starts that make content HTML, after leading white
// space, compared without case; each must be followed by a space or ">"
// (the WHATWG MIME sniffing standard's "tag-terminating byte"), except
// "<!--".
var htmlPrefixes = []string{
	"<!doctype html", "<html", "<head", "<script", "<iframe", "<h1", "<div",
	"<font", "<table", "<a", "<style", "<title", "<b", "<body", "<br", "<p",
	"<meta", "<article", "<section", "<main", "<header", "<footer", "<nav",
	"<h2", "<h3", "<h4", "<h5", "<h6", "<ul", "<ol", "<li", "<pre",
	"<blockquote", "<span", "<link",
}

// isHTML reports whether s looks like HTML.
func isHTML(s string) bool {
	s = strings.TrimLeft(s, " \t\n\f")
	if strings.HasPrefix(s, "<?xml") {
		// XHTML: an XML declaration, then an <html> element early on.
		head := s[:min(len(s), 1024)]
		return strings.Contains(head, "<html") || strings.Contains(head, "<HTML")
	}
	if len(s) > 64 {
		s = s[:64]
	}
	if strings.HasPrefix(s, "<!--") {
		return true
	}
	for _, p := range htmlPrefixes {
		if len(s) > len(p) && strings.EqualFold(s[:len(p)], p) {
			if c := s[len(p)]; c == ' ' || c == '>' || c == '\t' || c == '\n' || c == '\f' {
				return true
			}
		}
	}
	return false
}

// htmlText reduces an HTML document to its text.
func htmlText(s string) (string, error) {
	root, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return "", err
	}
	var w textWriter
	if t := findTitle(root); t != nil {
		w.walk(t)
		w.breakLine(2)
	}
	w.walk(root)
	return strings.Trim(w.String(), "\n"), nil
}

// findTitle returns the <title> element in the document's head, or nil.
func findTitle(root *html.Node) *html.Node {
	for d := range root.Descendants() {
		if d.Type == html.ElementNode && d.DataAtom == atom.Head {
			for c := d.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && c.DataAtom == atom.Title {
					return c
				}
			}
			return nil
		}
	}
	return nil
}

// skipped are the elements whose content is not text a reader sees.
var skipped = map[atom.Atom]bool{
	atom.Head:     true, // its <title> is written first, separately
	atom.Script:   true,
	atom.Style:    true,
	atom.Noscript: true,
	atom.Template: true,
	atom.Iframe:   true,
	atom.Object:   true,
	atom.Canvas:   true,
	atom.Svg:      true,
}

// blocks are the elements that start and end a line, and how many line
// breaks they make: 2 leaves a blank line (paragraphs, headings), 1 does
// not.
var blocks = map[atom.Atom]int{
	atom.P: 2, atom.H1: 2, atom.H2: 2, atom.H3: 2, atom.H4: 2, atom.H5: 2, atom.H6: 2,
	atom.Blockquote: 2, atom.Pre: 2, atom.Table: 2, atom.Ul: 2, atom.Ol: 2, atom.Dl: 2,
	atom.Hr: 2, atom.Figure: 2,
	atom.Address: 1, atom.Article: 1, atom.Aside: 1, atom.Body: 1, atom.Caption: 1,
	atom.Dd: 1, atom.Details: 1, atom.Dialog: 1, atom.Div: 1, atom.Dt: 1,
	atom.Fieldset: 1, atom.Figcaption: 1, atom.Footer: 1, atom.Form: 1,
	atom.Header: 1, atom.Hgroup: 1, atom.Legend: 1, atom.Li: 1, atom.Main: 1,
	atom.Nav: 1, atom.Section: 1, atom.Summary: 1, atom.Tr: 1, atom.Title: 1,
	atom.Tbody: 1, atom.Thead: 1, atom.Tfoot: 1, atom.Option: 1,
}

// textWriter accumulates the text of an HTML tree.
type textWriter struct {
	b      strings.Builder
	breaks int  // pending line breaks, written before the next text
	space  bool // a collapsed space is pending
	pre    int  // depth of <pre> elements
}

func (w *textWriter) String() string { return w.b.String() }

// breakLine asks for n line breaks before the next text.
func (w *textWriter) breakLine(n int) {
	w.space = false
	if w.b.Len() > 0 && n > w.breaks {
		w.breaks = n
	}
}

// atLineStart reports whether nothing, a line break or a tab was written
// last.
func (w *textWriter) atLineStart() bool {
	s := w.b.String()
	return s == "" || s[len(s)-1] == '\n' || s[len(s)-1] == '\t'
}

// cell separates a table cell from the one before it with a tab.
func (w *textWriter) cell() {
	if w.breaks == 0 && !w.atLineStart() {
		w.space = false
		w.b.WriteByte('\t')
	}
}

// text writes a text node's data.
func (w *textWriter) text(s string) {
	if w.pre > 0 {
		if s != "" {
			w.flush()
			w.b.WriteString(s)
		}
		return
	}
	for len(s) > 0 {
		i := strings.IndexAny(s, " \t\n\f\r")
		if i < 0 {
			i = len(s)
		}
		if i > 0 {
			w.flush()
			w.b.WriteString(s[:i])
			s = s[i:]
			continue
		}
		// A run of HTML white space: one pending space, written only if
		// more text follows on the same line.
		s = strings.TrimLeft(s, " \t\n\f\r")
		if w.breaks == 0 && !w.atLineStart() {
			w.space = true
		}
	}
}

// flush writes the pending line breaks or space.
func (w *textWriter) flush() {
	if w.breaks > 0 {
		w.b.WriteString("\n\n"[:w.breaks])
		w.breaks = 0
		w.space = false
		return
	}
	if w.space {
		w.b.WriteByte(' ')
		w.space = false
	}
}

func (w *textWriter) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.CommentNode, html.DoctypeNode:
		return
	case html.ElementNode:
		if skipped[n.DataAtom] || hasAttr(n, "hidden") {
			return
		}
		switch n.DataAtom {
		case atom.Br:
			w.flush()
			w.b.WriteByte('\n')
			w.space = false
			return
		case atom.Td, atom.Th:
			w.cell()
		case atom.Pre:
			w.pre++
			defer func() { w.pre-- }()
		}
	}
	brk := blocks[n.DataAtom]
	if n.Type == html.ElementNode && brk > 0 {
		w.breakLine(brk)
		defer w.breakLine(brk)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return true
		}
	}
	return false
}
