package claimsfile

import (
	"fmt"
	"strings"
	"testing"
)

// benchClaims returns a claims file of n claims in YAML or JSON, shaped
// as gen writes them.
func benchClaims(n int, json bool) []byte {
	var b strings.Builder
	if json {
		b.WriteString(`{"source": "src-0", "claims": [`)
	} else {
		b.WriteString("source: \"src-0\"\nclaims:\n")
	}
	for i := range n {
		id, src := fmt.Sprintf("c%06d", i), fmt.Sprintf("src-%d", i/40)
		subject, quote := fmt.Sprintf("Organization %d of the coast", i%997), fmt.Sprintf("the organization was launched in March %d, officials said", 1900+i%100)
		if json {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "\n  {\"id\": %q, \"source\": %q, \"subject\": %q, \"predicate\": \"launched\", \"value\": \"March %d\", \"quote\": %q}", id, src, subject, 1900+i%100, quote)
		} else {
			fmt.Fprintf(&b, "  - id: %s\n    source: %s\n    subject: %q\n    predicate: \"launched\"\n    value: \"March %d\"\n    quote: %q\n", id, src, subject, 1900+i%100, quote)
		}
	}
	if json {
		b.WriteString("]}\n")
	}
	return []byte(b.String())
}

// BenchmarkParse parses a claims file of 2,000 claims: YAML (yaml.v3's
// nodes), JSON (the scanner) and JSON by the reference path it replaced
// (encoding/json's tokens into yaml.v3's nodes). Metric: claims/s.
func BenchmarkParse(b *testing.B) {
	const n = 2000
	for _, c := range []struct {
		name  string
		file  string
		data  []byte
		parse func(string, []byte) (*File, error)
	}{
		{"yaml", "c.yaml", benchClaims(n, false), Parse},
		{"json", "c.json", benchClaims(n, true), Parse},
		{"json-reference", "c.json", benchClaims(n, true), parseJSONRef},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			for b.Loop() {
				f, err := c.parse(c.file, c.data)
				if err != nil || len(f.Claims) != n {
					b.Fatalf("got %d claims, %v", len(f.Claims), err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "claims/s")
		})
	}
}
