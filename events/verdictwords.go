package events

import "strings"

// Wording is a way DescribeVerdict words a verdict.
type Wording int

// The wordings of a verdict.
const (
	// WordsAsked is the decision as asked for: "accept c1", "dismiss",
	// "same entity", "different things".
	WordsAsked Wording = iota
	// WordsDone is what the verdict decided, said in full: "accepted c1",
	// "dismissed (not a contradiction)", "declared the same entity",
	// "declared different things".
	WordsDone
	// WordsLogged is the short form of a log line, with the names of a
	// name verdict: "accepted c1", "dismissed", "same: A = B",
	// "distinct: A ≠ B".
	WordsLogged
)

// DescribeVerdict words decision d on claim (accept, reject) or on names
// (same, distinct; WordsLogged shows them) in wording w. An unknown
// decision is its own name.
func DescribeVerdict(d Decision, claim ClaimID, names []string, w Wording) string {
	var words [3]string // by Wording
	switch d {
	case DecisionAccept:
		words = [3]string{"accept ", "accepted ", "accepted "}
		return words[w] + string(claim)
	case DecisionReject:
		words = [3]string{"reject ", "rejected ", "rejected "}
		return words[w] + string(claim)
	case DecisionDismiss:
		words = [3]string{"dismiss", "dismissed (not a contradiction)", "dismissed"}
	case DecisionSame:
		words = [3]string{"same entity", "declared the same entity", "same: " + strings.Join(names, " = ")}
	case DecisionDistinct:
		words = [3]string{"different things", "declared different things", "distinct: " + strings.Join(names, " ≠ ")}
	default:
		return string(d)
	}
	return words[w]
}
