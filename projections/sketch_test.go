package projections_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sillok/sillok/projections"
)

// wireStory is an invented agency story; the tests below copy and rewrite it.
var wireStory = []string{
	"Harbour authorities in three coastal provinces agreed on Tuesday to share inspection records for cargo ships, a step officials said would shorten delays at the busiest ports by as much as a day.",
	"The agreement, signed in the port city of Velmora after two days of talks, sets up a common register of vessels that have failed safety checks and lets inspectors in one province see the findings of the others within an hour.",
	"Until now each authority kept its own paper files, and a ship turned away in one harbour could sail to the next one and be inspected again from the beginning, the head of the Velmora port board told reporters.",
	"Shipping companies welcomed the plan but asked for a clear timetable. A spokesman for the regional carriers' association said members had waited nearly ten years for the provinces to agree on a single standard.",
	"Under the deal, the register will be tested with twelve ports from the spring and opened to all forty ports in the three provinces by the end of next year, at a cost the authorities put at about eighteen million crowns.",
	"Environmental groups said the register should also record oil spills and the dumping of ballast water, which they blame for the decline of the shellfish beds along the northern coast.",
	"Officials said that question would be taken up at the next meeting of the harbour authorities, planned for the autumn, together with a proposal to train inspectors from the three provinces together.",
	"The provinces handle more than half of the country's sea freight, and their ports have struggled with congestion since the reopening of the eastern canal two years ago.",
}

// wireCopy is wireStory republished with a new headline and one paragraph
// rewritten, as a local paper would run it.
func wireCopy() string {
	p := slices.Clone(wireStory)
	p[5] = "Fishermen on the northern coast, who were not consulted, said they would ask the provinces for a seat at the next round of talks before the register is extended."
	return "Ports to share ship inspection files\n\n" + strings.Join(p, "\n\n")
}

// otherStory reports the same event, written independently.
const otherStory = `Three provinces will pool the results of their ship inspections in a shared database, port officials announced in Velmora on Tuesday.
Ships that fail a safety check will be listed so that other harbours need not repeat the whole inspection, which carriers say costs them up to a day for each call.
The trial starts with a dozen ports in spring; all forty should be connected by the end of next year. The budget is roughly eighteen million crowns.
Carriers have pushed for common rules for a decade. Conservation groups want spills and ballast water discharges added to the database, a point the authorities will consider in the autumn.`

// japaneseStory is an invented Japanese news paragraph.
const japaneseStory = `市立図書館は来月から大規模な改修工事に入り、工事期間中は駅前の仮設窓口で本の貸し出しと返却を受け付ける。改修では閲覧席を百席ほど増やし、子ども向けの読み聞かせ室を新たに設けるほか、古い空調設備を省エネルギー型に入れ替える。市によると、工事費はおよそ十二億円で、完成は再来年の春を予定している。利用者からは長期の休館を心配する声も出ているが、市の担当者は「仮設窓口の開館時間を延ばし、予約した本を自宅近くの公民館で受け取れるようにする」と話している。`

// japaneseEdit is japaneseStory with two small corrections.
var japaneseEdit = strings.NewReplacer("百席ほど", "百二十席ほど", "再来年の春", "再来年の夏").Replace(japaneseStory)

func TestSketchSimilarity(t *testing.T) {
	story := strings.Join(wireStory, "\n\n")
	tests := []struct {
		name     string
		a, b     string
		wantCopy bool
	}{
		{"CopyWithNewHeadlineAndParagraph", story, wireCopy(), true},
		{"CopyWithOtherCaseAndPunctuation", story, strings.ToUpper(strings.NewReplacer(",", "", ".", " .", "'", "’").Replace(story)), true},
		{"JapaneseLightEdit", japaneseStory, japaneseEdit, true},
		{"SameTopicOtherStory", story, otherStory, false},
		{"ThreeParagraphsOfEight", story, strings.Join(wireStory[:3], "\n\n"), false},
		{"ShorterThanAShingle", "Camp David summit", "camp david Summit!", true},
		{"Unrelated", story, japaneseStory, false},
		{"Empty", "", "", false},
		{"EmptyAndText", "", story, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sa, sb := projections.SketchText(tt.a), projections.SketchText(tt.b)
			sim := sa.Similarity(sb)
			if got := sim >= projections.CopyThreshold; got != tt.wantCopy {
				t.Errorf("Similarity: got %.3f (copy %v), want copy %v", sim, got, tt.wantCopy)
			}
			if got, want := sb.Similarity(sa), sim; got != want {
				t.Errorf("Similarity reversed: got %.3f, want %.3f", got, want)
			}
			t.Logf("similarity %.3f", sim)
		})
	}
}

func TestSketchText(t *testing.T) {
	story := strings.Join(wireStory, "\n\n")
	t.Run("Deterministic", func(t *testing.T) {
		if got, want := projections.SketchText(story), projections.SketchText(story); got != want {
			t.Errorf("SketchText twice: got %v, want %v", got, want)
		}
	})
	t.Run("SameOnEveryPlatform", func(t *testing.T) {
		s := projections.SketchText("The quick brown fox jumps over the lazy dog")
		got := s[:4]
		want := []uint32{goldenSlots[0], goldenSlots[1], goldenSlots[2], goldenSlots[3]}
		if !slices.Equal(got, want) {
			t.Errorf("first slots: got %d, want %d", got, want)
		}
	})
	t.Run("IdenticalIsOne", func(t *testing.T) {
		s := projections.SketchText(japaneseStory)
		if got, want := s.Similarity(s), 1.0; got != want {
			t.Errorf("Similarity with itself: got %v, want %v", got, want)
		}
	})
	t.Run("EmptyWithoutTokens", func(t *testing.T) {
		for _, text := range []string{"", "  ", "— …, !"} {
			if got := projections.SketchText(text); !got.IsEmpty() {
				t.Errorf("SketchText(%q).IsEmpty(): got false, want true", text)
			}
		}
		if projections.SketchText("a").IsEmpty() {
			t.Errorf(`SketchText("a").IsEmpty(): got true, want false`)
		}
	})
}

// goldenSlots are the first slots of the sketch of the pangram in
// TestSketchText, computed from the definition outside Go (a few lines of
// Python: FNV-1a 64 of each 5-token shingle, splitmix64's finalizer, and
// the multiply-add-shift functions seeded by splitmix64 from
// 0x51110c5eed000002); a change means stored sketches no longer compare
// with new ones, and needs a new projections.SchemaVersion.
var goldenSlots = [4]uint32{346064449, 1231691763, 827193751, 277046092}

func TestCopyIndex(t *testing.T) {
	docs := []struct{ id, text string }{
		{"wire", strings.Join(wireStory, "\n\n")},
		{"japanese", japaneseStory},
		{"other", otherStory},
		{"local-paper", wireCopy()},
		{"japanese-corrected", japaneseEdit},
		{"empty", ""},
		{"wire", strings.Join(wireStory, "\n\n")}, // the same id again
		{"reprint", strings.Join(wireStory, "\n\n")},
	}
	want := map[string][]string{
		"local-paper":        {"wire"},
		"japanese-corrected": {"japanese"},
		"wire":               {"local-paper"},
		"reprint":            {"local-paper", "wire"},
	}
	var first []string
	for _, run := range []string{"Built", "Rebuilt"} {
		t.Run(run, func(t *testing.T) {
			ix := projections.NewCopyIndex()
			var answers []string
			for i, d := range docs {
				got := ix.Add(d.id, projections.SketchText(d.text))
				answers = append(answers, fmt.Sprint(got))
				w := want[d.id]
				if i == 0 {
					w = nil // the first "wire" has nothing before it
				}
				if !slices.Equal(got, w) {
					t.Errorf("Add(%q) #%d: got %q, want %q", d.id, i, got, w)
				}
			}
			if first == nil {
				first = answers
			} else if !slices.Equal(answers, first) {
				t.Errorf("answers after rebuilding: got %q, want %q", answers, first)
			}
		})
	}
}

// randomDocuments returns n documents of random words.
func randomDocuments(rng *rand.Rand, vocabulary []string, n, words int) []string {
	docs := make([]string, n)
	for i := range docs {
		docs[i] = randomWords(rng, vocabulary, words)
	}
	return docs
}

func randomWords(rng *rand.Rand, vocabulary []string, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = vocabulary[rng.IntN(len(vocabulary))]
	}
	return strings.Join(w, " ")
}

func TestCopyIndexFindsPlantedCopies(t *testing.T) {
	const (
		documents = 10_000
		words     = 120
	)
	rng := rand.New(rand.NewPCG(7, 7))
	vocabulary := make([]string, 5000)
	for i := range vocabulary {
		vocabulary[i] = fmt.Sprintf("w%x", rng.Uint32())
	}
	docs := randomDocuments(rng, vocabulary, documents, words)
	// Every 200th document is a copy of an earlier one with a new headline
	// and one passage rewritten (a copy); every 200th+100 shares 40% of an
	// earlier one's words (not a copy). The earlier one is never itself
	// planted: a copy of a copy is about as alike to the first as the
	// threshold (Jaccard about 0.46), where the estimate goes either way.
	want := map[string][]string{}
	for i := 200; i < documents; i += 100 {
		orig := rng.IntN(i)
		for orig >= 200 && orig%100 == 0 {
			orig = rng.IntN(i)
		}
		w := strings.Fields(docs[orig])
		if i%200 == 0 {
			at := rng.IntN(words - 15)
			copy(w[at:], strings.Fields(randomWords(rng, vocabulary, 15)))
			docs[i] = randomWords(rng, vocabulary, 8) + "\n" + strings.Join(w, " ")
			want[fmt.Sprint(i)] = []string{fmt.Sprint(orig)}
		} else {
			docs[i] = strings.Join(w[:words*4/10], " ") + " " + randomWords(rng, vocabulary, words*6/10)
		}
	}
	ix := projections.NewCopyIndex()
	found := 0
	for i, d := range docs {
		id := fmt.Sprint(i)
		got := ix.Add(id, projections.SketchText(d))
		if !slices.Equal(got, want[id]) {
			t.Errorf("Add(%q): got %q, want %q", id, got, want[id])
		}
		found += len(got)
	}
	if got, want := found, len(want); got != want {
		t.Errorf("copies found: got %d, want %d", got, want)
	}
}

// TestSketchSeeds logs the pairwise similarities of the seed articles.
func TestSketchSeeds(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "seeds", "*.txt"))
	if len(files) == 0 {
		t.Skip("no seed articles in ../../shared/seeds")
	}
	sketches := make([]projections.Sketch, len(files))
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sketches[i] = projections.SketchText(string(b))
		if got, want := sketches[i].Similarity(sketches[i]), 1.0; got != want {
			t.Errorf("%s with itself: got %v, want %v", filepath.Base(f), got, want)
		}
	}
	for i := range files {
		for j := i + 1; j < len(files); j++ {
			t.Logf("%s / %s: %.3f", filepath.Base(files[i]), filepath.Base(files[j]), sketches[i].Similarity(sketches[j]))
		}
	}
}

func BenchmarkSketchText(b *testing.B) {
	text := strings.Repeat(strings.Join(wireStory, "\n\n")+"\n\n", 4) // about 1,000 words
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		projections.SketchText(text)
	}
}

func BenchmarkCopyIndex(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		rng := rand.New(rand.NewPCG(1, 2))
		sketches := make([]projections.Sketch, n)
		for i := range sketches {
			for j := range sketches[i] {
				sketches[i][j] = rng.Uint32()
			}
		}
		b.Run(fmt.Sprintf("sources=%d", n), func(b *testing.B) {
			for b.Loop() {
				ix := projections.NewCopyIndex()
				for i, s := range sketches {
					ix.Add(fmt.Sprint(i), s)
				}
			}
		})
	}
}
