package provenance_test

import (
	"fmt"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/provenance"
	"github.com/sillok/sillok/sources"
)

func ExampleAnchor() {
	raw := []byte("委員長は\u201c料金は上げない\u201dと述べた。\n次回は５月。")
	text, _ := sources.Text(raw)
	a, err := provenance.Anchor(events.DigestOf(raw), text, `"料金は上げない"`, provenance.Context{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%q at code points %d-%d, %d occurrence(s)\n", a.Quote.Exact, a.Position.Start, a.Position.End, a.Occurrences)
	before, quote, after := provenance.Excerpt(text, a, 4)
	fmt.Printf("...%s[%s]%s...\n", before, quote, after)
	fmt.Println(provenance.Verify(a, events.DigestOf(raw), text))
	// Output:
	// "\"料金は上げない\"" at code points 4-13, 1 occurrence(s)
	// ...委員長は["料金は上げない"]と述べた...
	// <nil>
}

func ExampleQuoteNotFoundError() {
	text := sources.Normalize("The board\u2019s next meeting is in May.")
	_, err := provenance.Anchor(events.Digest{}, text, "The board's next meeting is in June.", provenance.Context{})
	fmt.Println(err)
	// Output:
	// quote not found in the source text
	//   quote:   "The board's next meeting is in June."
	//   closest: "The board's next meeting is in May." (code points 0-35, 89% alike)
	//   diff:    The board's next meeting is in [-May-]{+June+}.
	//            [-...-] is only in the source, {+...+} only in the quote
}
