package sources_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sillok/sillok/sources"
)

func TestExtract(t *testing.T) {
	tests := []struct {
		name      string
		raw       string
		wantType  string
		wantText  string
		wantInErr string // non-empty: Extract fails with an error containing this
		wantErr   error
	}{
		{
			name:     "PlainTextAsIs",
			raw:      "Title\n\n  Body \u201cquoted\u201d\u00a0text.\n",
			wantType: sources.MediaTypeText,
			wantText: "Title\n\n  Body \u201cquoted\u201d\u00a0text.\n",
		},
		{
			name:     "BOMStripped",
			raw:      "\xef\xbb\xbfFirst line",
			wantType: sources.MediaTypeText,
			wantText: "First line",
		},
		{
			name:     "CRLFToLF",
			raw:      "one\r\ntwo\rthree\n",
			wantType: sources.MediaTypeText,
			wantText: "one\ntwo\nthree\n",
		},
		{
			name:     "JapaneseTextAsIs",
			raw:      "見出し\n本文、です。「引用」",
			wantType: sources.MediaTypeText,
			wantText: "見出し\n本文、です。「引用」",
		},
		{
			name:     "LessThanInPlainText",
			raw:      "<3 and x<y are not tags",
			wantType: sources.MediaTypeText,
			wantText: "<3 and x<y are not tags",
		},
		{
			name: "HTMLScriptStyleDropped",
			raw: `<!DOCTYPE html><html><head><title>Page title</title><style>p{color:red}</style>
<script>var x = "<p>not text</p>";</script></head>
<body><p>First paragraph.</p><script>alert(1)</script><noscript>enable js</noscript><p>Second.</p></body></html>`,
			wantType: sources.MediaTypeHTML,
			wantText: "Page title\n\nFirst paragraph.\n\nSecond.",
		},
		{
			name:     "HTMLEntitiesDecoded",
			raw:      "<p>Fish &amp; chips &mdash; &ldquo;fresh&rdquo;&nbsp;today &#x65E5;&#26412; &lt;b&gt;</p>",
			wantType: sources.MediaTypeHTML,
			wantText: "Fish & chips \u2014 \u201cfresh\u201d\u00a0today 日本 <b>",
		},
		{
			name: "HTMLNestedBlocks",
			raw: `<html><body><article><header><h1>Head  line</h1></header>
<section><div><p>One <b>bold</b> <i>word</i>.</p><div>Inner<br>next line</div></div>
<ul><li>first</li><li>second <a href="#">link</a></li></ul></section></article></body></html>`,
			wantType: sources.MediaTypeHTML,
			wantText: "Head line\n\nOne bold word.\n\nInner\nnext line\n\nfirst\nsecond link",
		},
		{
			name:     "HTMLTableCells",
			raw:      "<table><tr><th>Date</th><th>Event</th></tr><tr><td>2023-04</td><td>launch</td></tr></table>",
			wantType: sources.MediaTypeHTML,
			wantText: "Date\tEvent\n2023-04\tlaunch",
		},
		{
			name:     "HTMLPreKept",
			raw:      "<div>before</div><pre>a   b\n  c</pre><p>after</p>",
			wantType: sources.MediaTypeHTML,
			wantText: "before\n\na   b\n  c\n\nafter",
		},
		{
			name:     "HTMLHiddenAndCommentsDropped",
			raw:      "<!-- a comment --><p>seen</p><p hidden>unseen</p><template><p>tpl</p></template>",
			wantType: sources.MediaTypeHTML,
			wantText: "seen",
		},
		{
			name:     "HTMLBOMAndLeadingSpace",
			raw:      "\xef\xbb\xbf\n  <HTML><BODY><P>upper case tags</P></BODY></HTML>",
			wantType: sources.MediaTypeHTML,
			wantText: "upper case tags",
		},
		{
			name:     "HTMLJapanese",
			raw:      "<html><head><meta charset=\"utf-8\"></head><body><h2>日米韓</h2><p>協力を強化した。</p></body></html>",
			wantType: sources.MediaTypeHTML,
			wantText: "日米韓\n\n協力を強化した。",
		},
		{
			name:     "HTMLCarriageReturnReferenceLF",
			raw:      "<pre>a&#13;&#10;b&#13;c</pre>",
			wantType: sources.MediaTypeHTML,
			wantText: "a\nb\nc",
		},
		{
			name:     "XHTML",
			raw:      "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>x&#233;</p></body></html>",
			wantType: sources.MediaTypeHTML,
			wantText: "x\u00e9",
		},
		{
			name:     "XMLNotHTMLAsText",
			raw:      "<?xml version=\"1.0\"?><feed><title>t</title></feed>",
			wantType: sources.MediaTypeText,
			wantText: "<?xml version=\"1.0\"?><feed><title>t</title></feed>",
		},
		{name: "EmptyRefused", raw: "", wantErr: sources.ErrEmpty, wantInErr: "0 bytes"},
		{name: "WhiteSpaceRefused", raw: " \n\t\u3000\u00a0\r\n", wantErr: sources.ErrEmpty, wantInErr: "white space"},
		{name: "EmptyHTMLRefused", raw: "<html><head><script>x()</script></head><body> </body></html>", wantErr: sources.ErrEmpty, wantInErr: "text/html"},
		{name: "NULRefused", raw: "text\x00more", wantErr: sources.ErrBinary, wantInErr: "NUL byte at byte offset 4"},
		{name: "InvalidUTF8Refused", raw: "ok \xe6\x97 bad", wantErr: sources.ErrBinary, wantInErr: "invalid UTF-8 at byte offset 3"},
		{name: "Latin1Refused", raw: "caf\xe9", wantErr: sources.ErrBinary, wantInErr: "byte offset 3"},
		{name: "PDFRefused", raw: "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", wantErr: sources.ErrBinary, wantInErr: "PDF"},
		{name: "PNGRefused", raw: "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", wantErr: sources.ErrBinary, wantInErr: "PNG"},
		{name: "ZIPRefused", raw: "PK\x03\x04\x14\x00\x06\x00", wantErr: sources.ErrBinary, wantInErr: "ZIP"},
		{name: "UTF16Refused", raw: "\xff\xfeh\x00i\x00", wantErr: sources.ErrBinary, wantInErr: "UTF-16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := sources.Extract([]byte(tt.raw))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Extract(%q) error = %v, want %v", tt.raw, err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantInErr) {
					t.Errorf("Extract(%q) error = %q, want it to contain %q", tt.raw, err, tt.wantInErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Extract(%q) error = %v, want nil", tt.raw, err)
			}
			if got, want := doc.MediaType, tt.wantType; got != want {
				t.Errorf("MediaType = %q, want %q", got, want)
			}
			if got, want := doc.Text, tt.wantText; got != want {
				t.Errorf("Text = %q, want %q", got, want)
			}
		})
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		want    string
		wantErr error
	}{
		{"PlainNormalized", "\u201cA\u201d\u00a0\u2014\r\nB", `"A" - B`, nil},
		{"HTMLNormalized", "<p>It\u2019s</p><p>ＯＫ</p>", "It's OK", nil},
		{"OnlyInvisibleRefused", "\u200b\u200b", "", sources.ErrEmpty},
		{"BinaryRefused", "%PDF-1.4", "", sources.ErrBinary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sources.Text([]byte(tt.raw))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Text(%q) error = %v, want %v", tt.raw, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}

// seedsDir is where the real seed articles are, beside the repository.
const seedsDir = "../../shared/seeds"

// TestTextSeeds checks that every seed article gives normalized text with
// straight quotes and no special spaces.
func TestTextSeeds(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(seedsDir, "*.txt"))
	if len(paths) == 0 {
		t.Skipf("no seed articles in %s", seedsDir)
	}
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			raw, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			text, err := sources.Text(raw)
			if err != nil {
				t.Fatalf("Text error = %v, want nil", err)
			}
			if !utf8.ValidString(text) {
				t.Errorf("Text is not valid UTF-8")
			}
			if i := strings.IndexAny(text, "\u2018\u2019\u201c\u201d\u00a0\u3000\u2014\u2013\n\r\t"); i >= 0 {
				r, _ := utf8.DecodeRuneInString(text[i:])
				t.Errorf("Text has %q at byte %d, want none", r, i)
			}
			if got := sources.Normalize(text); got != text {
				t.Errorf("Normalize(Text) changed the text, want it unchanged")
			}
		})
	}
}

func TestValidSlug(t *testing.T) {
	tests := []struct {
		name   string
		slug   string
		wantOK bool
	}{
		{"OK", "readable-2024-06-07", true},
		{"OKDigitsOnly", "2024", true},
		{"OKOneLetter", "a", true},
		{"OKMaxLength", strings.Repeat("a", 64), true},
		{"ErrEmpty", "", false},
		{"ErrTooLong", strings.Repeat("a", 65), false},
		{"ErrUpperCase", "Nikkei", false},
		{"ErrLeadingHyphen", "-a", false},
		{"ErrTrailingHyphen", "a-", false},
		{"ErrDoubleHyphen", "a--b", false},
		{"ErrUnderscore", "a_b", false},
		{"ErrSpace", "a b", false},
		{"ErrNonASCII", "café", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := sources.ValidSlug(tt.slug)
			if got, want := err == nil, tt.wantOK; got != want {
				t.Fatalf("ValidSlug(%q) = %v, want ok %v", tt.slug, err, want)
			}
			if err != nil {
				if !errors.Is(err, sources.ErrInvalidSlug) {
					t.Errorf("ValidSlug(%q) error = %v, want it to wrap ErrInvalidSlug", tt.slug, err)
				}
				if !strings.Contains(err.Error(), "lower-case ASCII letters, digits") {
					t.Errorf("ValidSlug(%q) error = %q, want it to say what is allowed", tt.slug, err)
				}
			}
		})
	}
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"plain text\r\n",
		"\xef\xbb\xbf<!DOCTYPE html><title>t</title><p>a &amp; b<br>c</p>",
		"<table><tr><td>1<td>2</table><pre> x\n y</pre>",
		"<p hidden>h</p><script>s</script>",
		"%PDF-1.4",
		"a\x00b",
		"\xe3\x81",
		" \n ",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		doc, err := sources.Extract(raw)
		if err != nil {
			if !errors.Is(err, sources.ErrBinary) && !errors.Is(err, sources.ErrEmpty) {
				t.Fatalf("Extract error = %v, want ErrBinary or ErrEmpty", err)
			}
			return
		}
		if !utf8.ValidString(doc.Text) {
			t.Fatalf("Text = %q, want valid UTF-8", doc.Text)
		}
		if strings.Contains(doc.Text, "\r") {
			t.Fatalf("Text = %q, want no carriage returns", doc.Text)
		}
		if doc.MediaType != sources.MediaTypeText && doc.MediaType != sources.MediaTypeHTML {
			t.Fatalf("MediaType = %q, want text/plain or text/html", doc.MediaType)
		}
	})
}
