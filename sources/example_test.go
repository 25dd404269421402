package sources_test

import (
	"fmt"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/sources"
)

func ExampleNormalize() {
	fmt.Println(sources.Normalize("\u201cThe committee\u2019s report\u201d\u00a0\u2014 ＦＹ２０２４\r\n"))
	fmt.Println(sources.Normalize("会議は、\u3000東京で開かれた。"))
	// Output:
	// "The committee's report" - FY2024
	// 会議は、 東京で開かれた。
}

func ExampleText() {
	text, err := sources.Text([]byte("<p>Fish &amp; chips</p><p>\u2018today\u2019</p>"))
	fmt.Println(text, err)
	// Output:
	// Fish & chips 'today' <nil>
}

func ExampleDerivedID() {
	id := sources.DerivedID(events.DigestOf([]byte("hello\n")))
	fmt.Println(id, sources.ValidSlug(id))
	// Output:
	// src-5891b5b522d5 <nil>
}
