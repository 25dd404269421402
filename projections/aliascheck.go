package projections

import (
	"fmt"
	"strings"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/sources"
)

// AliasGraph is the directed graph of alias declarations, name → entity,
// by IdentityKey: what a new declaration is checked against before it is
// recorded. A name declared an alias of itself (after folding), or a
// declaration that closes a chain of aliases back on its own name
// (A → B, B → C, then C → A), leaves the entity without a canonical name,
// and is refused.
type AliasGraph struct {
	next    map[string][]string // key → the keys it is declared an alias of
	display map[string]string   // key → the name as first written
}

// NewAliasGraph returns an empty graph.
func NewAliasGraph() *AliasGraph {
	return &AliasGraph{next: map[string][]string{}, display: map[string]string{}}
}

func (g *AliasGraph) node(name string) string {
	k := IdentityKey(name)
	if _, ok := g.display[k]; !ok {
		g.display[k] = name
	}
	return k
}

// Add records a declaration. Distinct declarations are not aliases and
// are left out.
func (g *AliasGraph) Add(p events.AliasDeclared) {
	if p.Kind == events.AliasDistinct {
		return
	}
	n, e := g.node(p.Name), g.node(p.Entity)
	g.next[n] = append(g.next[n], e)
}

// Check reports why p cannot be declared: its name and entity are the
// same name (IdentityKey: "Disney" and "Disney+" are not), or the entity
// is already (through a chain of
// declarations) an alias of the name; the error names the chain.
func (g *AliasGraph) Check(p events.AliasDeclared) error {
	if p.Kind == events.AliasDistinct {
		// Two spellings of one identity ("ASEAN", "Asean") may be
		// declared distinct, which splits them; one name may not.
		if sources.Normalize(p.Name) == sources.Normalize(p.Entity) {
			return fmt.Errorf("%q and %q are the same name: a name cannot be distinct from itself", p.Name, p.Entity)
		}
		return nil
	}
	n, e := IdentityKey(p.Name), IdentityKey(p.Entity)
	if n == e {
		return fmt.Errorf("%q and %q are the same name (they differ only in case, width, spacing or how a word is punctuated): a name cannot be an alias of itself", p.Name, p.Entity)
	}
	// Breadth first from the entity, for the shortest chain back to the
	// name.
	from := map[string]string{e: ""}
	queue := []string{e}
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		if k == n {
			chain := []string{p.Name, p.Entity}
			var back []string
			for x := from[k]; x != "" && x != e; x = from[x] {
				back = append(back, g.show(x))
			}
			for i := len(back) - 1; i >= 0; i-- {
				chain = append(chain, back[i])
			}
			chain = append(chain, p.Name)
			return fmt.Errorf("declaring %q an alias of %q would make a circular alias chain: %s", p.Name, p.Entity, strings.Join(chain, " → "))
		}
		for _, x := range g.next[k] {
			if _, seen := from[x]; !seen {
				from[x] = k
				queue = append(queue, x)
			}
		}
	}
	return nil
}

func (g *AliasGraph) show(k string) string {
	if d, ok := g.display[k]; ok {
		return d
	}
	return k
}
