package events

import (
	"regexp"
	"strings"
)

// Tense is what the words around a date say about when it lies relative
// to the publication: an event announced for later, or one reported.
type Tense int8

// The tenses a quote can show.
const (
	TenseNone   Tense = iota // no marker, or markers of both kinds at the same distance
	TensePast                // "was held", "했다", "した"
	TenseFuture              // "will", "to be held", "予定", "예정"
)

// String names the tense as the rules of DateRule do.
func (t Tense) String() string {
	switch t {
	case TensePast:
		return "past"
	case TenseFuture:
		return "future"
	}
	return "none"
}

// English markers match whole words of the lower-cased quote. A future
// marker wins over a past one it overlaps ("to be held", "will be signed":
// the participle is not a past tense there).
var (
	enFuture = regexp.MustCompile(`\b(will|shall|won't|'ll|be (held|hosted|signed|launched|opened|convened|released|announced|made|given|set up|established|unveiled|inaugurated|completed|built|adopted|presented|met)|going to|gonna|scheduled|slated|upcoming|forthcoming|set to|due to|due on|plans? to|planned|planning|expected to|is to|are to|next|later this|ahead of|coming)\b`)
	enPast   = regexp.MustCompile(`\b(was|were|had|did|ago|earlier|last|took place|held|met|signed|agreed|announced|said|says|told|launched|established|set up|convened|hosted|visited|led|opened|began|started|took|came|went|reached|completed|attended|adopted|released|unveiled|inaugurated|founded|created|formed|declared|issued|published|reported|noted|added|stated|confirmed|decided|discussed|approved|passed|won|lost|ended|closed|killed|died|arrested|elected|appointed|resigned|struck|hit|fell|rose)\b`)
)

// Japanese and Korean markers match anywhere in the text (the languages
// do not set words apart with spaces).
var (
	cjkFuture = []string{
		// Japanese: plans, prospects and the non-past verb endings.
		"予定", "見通し", "見込み", "方針", "計画", "来週", "今後", "する", "します", "される", "されます",
		"行う", "行われる", "開く", "開かれる", "開催へ", "へ。",
		// Korean: 예정 (scheduled), 열릴/개최될 (to be held), plans and intentions.
		"예정", "열릴", "열리는", "오는 ", "개최될", "개최되는", "열린다", "개최된다", "계획", "앞두고", "방침", "할 것", "될 것", "한다", "갖는다", "방문한다",
	}
	cjkPast = []string{
		// Japanese past endings.
		"した", "された", "れた", "った", "いた", "んだ", "だった", "でした", "ました", "開いた",
		// Korean past endings and adnominals.
		"했다", "했으며", "했고", "했던", "했습니다", "였다", "었다", "았다", "됐다", "됐으며", "열린", "열렸", "개최된", "가졌다", "밝혔다", "지난",
	}
)

// tenseless are words that end like a tense marker and say nothing of
// time ("に関する", concerning), blanked before the markers are looked for.
var tenseless = []string{"関する", "対する", "属する", "関連する", "related", "united", "limited"}

type tenseMark struct {
	start, end int // byte offsets in the lower-cased quote
	tense      Tense
	word       string
	latin      bool // an English marker
	prenominal bool // a Korean word before its date ("오는 26일", "지난 8월")
}

// sidePenalty is added to the distance of a marker on the side of the
// date its language does not put the verb on.
const sidePenalty = 24

// QuoteTense reads the tense of quote around expr, the date expression as
// written (which need not occur in it): the tense marker nearest to the
// expression decides; when the expression is not in the quote, the
// markers must all agree. It returns the marker that decided ("" with
// TenseNone).
func QuoteTense(quote, expr string) (Tense, string) {
	q := strings.ToLower(foldWidth(quote))
	if strings.TrimSpace(q) == "" {
		return TenseNone, ""
	}
	for _, w := range tenseless {
		q = strings.ReplaceAll(q, w, strings.Repeat(" ", len(w)))
	}
	marks := tenseMarks(q)
	if len(marks) == 0 {
		return TenseNone, ""
	}
	e := strings.ToLower(trimDateExpr(foldWidth(expr)))
	pos := -1
	if e != "" {
		pos = strings.Index(q, e)
	}
	if pos < 0 {
		t := marks[0].tense
		for _, m := range marks[1:] {
			if m.tense != t {
				return TenseNone, ""
			}
		}
		return t, marks[0].word
	}
	end := pos + len(e)
	best, bestD, tie := -1, 0, false
	for i, m := range marks {
		if m.start < end && m.end > pos {
			continue // a word of the expression itself ("next Thursday" is read by the grammar)
		}
		d := pos - m.end
		if m.start >= end {
			d = m.start - end
		}
		// English puts the verb before its date ("signed on the 20th"),
		// Japanese and Korean after it ("20日に署名した"): a marker on the
		// other side counts as further away.
		if (m.start >= end) == m.latin && !m.prenominal {
			d += sidePenalty
		}
		switch {
		case best < 0 || d < bestD:
			best, bestD, tie = i, d, false
		case d == bestD && m.tense != marks[best].tense:
			tie = true
		}
	}
	if best < 0 || tie {
		return TenseNone, ""
	}
	return marks[best].tense, marks[best].word
}

// tenseMarks finds the tense markers of q, a lower-cased quote; a past
// marker that overlaps a future one is dropped.
func tenseMarks(q string) []tenseMark {
	var fut, past []tenseMark
	for _, loc := range enFuture.FindAllStringIndex(q, -1) {
		fut = append(fut, tenseMark{start: loc[0], end: loc[1], tense: TenseFuture, word: q[loc[0]:loc[1]], latin: true})
	}
	for _, w := range cjkFuture {
		fut = appendAll(fut, q, w, TenseFuture)
	}
	for _, loc := range enPast.FindAllStringIndex(q, -1) {
		past = append(past, tenseMark{start: loc[0], end: loc[1], tense: TensePast, word: q[loc[0]:loc[1]], latin: true})
	}
	for _, w := range cjkPast {
		past = appendAll(past, q, w, TensePast)
	}
	out := fut
outer:
	for _, p := range past {
		for _, f := range fut {
			if p.start < f.end && p.end > f.start {
				continue outer
			}
		}
		out = append(out, p)
	}
	return out
}

func appendAll(marks []tenseMark, q, w string, t Tense) []tenseMark {
	for off := 0; ; {
		i := strings.Index(q[off:], w)
		if i < 0 {
			return marks
		}
		marks = append(marks, tenseMark{start: off + i, end: off + i + len(w), tense: t, word: w, prenominal: w == "오는 " || w == "지난"})
		off += i + len(w)
	}
}
