package claimsfile_test

import (
	"fmt"

	"github.com/sillok/sillok/provenance/claimsfile"
)

func ExampleParse() {
	data := []byte(`source: readable-2024-06-07
predicates:
  - {name: launched, kind: date}
claims:
  - id: dtpn-launch
    subject: Disruptive Technology Protection Network
    predicate: launched
    value: April 2023
    quote: Launched in April 2023 following the Camp David summit
  - subject: Disruptive Technology Protection Network
    predicate: launched
    value: {after: {subject: Camp David summit, predicate: held}}
    quote: following the Camp David summit
`)
	f, err := claimsfile.Parse("claims.yaml", data)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range f.Claims {
		v := c.Value.Scalar
		if r := c.Value.Relation; r != nil {
			v = fmt.Sprintf("%s %s %s", r.Op, r.To.Subject, r.To.Predicate)
		}
		fmt.Printf("%v %s: %s %s = %s\n", c.Pos, c.Label(), c.Subject, c.Predicate, v)
	}

	_, err = claimsfile.Parse("claims.yaml", []byte("source: s\nclaims:\n  - id: c1\n    qoute: Launched\n"))
	fmt.Println(err)
	// Output:
	// claims.yaml:5:5 claim dtpn-launch: Disruptive Technology Protection Network launched = April 2023
	// claims.yaml:10:5 claim #2: Disruptive Technology Protection Network launched = after Camp David summit held
	// claims.yaml:4:5: claim c1: unknown field "qoute" (known: id, subject, as, predicate, value, quote, source, note, prefix, suffix)
}
