package archive

import (
	"fmt"
	"io"
	"strings"

	"github.com/sillok/sillok/events"
	"github.com/sillok/sillok/projections"
)

// ClaimReview is a schema.org ClaimReview as ExportClaimReview writes it:
// a verdict's rejection of one claim, in the fields fact-checkers publish
// and search engines (Google Fact Check Tools) read.
type ClaimReview struct {
	Type          string          `json:"@type"`
	URL           string          `json:"url"`
	ClaimReviewed string          `json:"claimReviewed"`
	ItemReviewed  ReviewedClaim   `json:"itemReviewed"`
	Author        ReviewAgent     `json:"author"`
	DatePublished string          `json:"datePublished"`
	ReviewRating  ReviewRating    `json:"reviewRating"`
	ReviewBody    string          `json:"reviewBody,omitempty"`
	Identifier    []PropertyValue `json:"identifier"`
}

// ReviewedClaim is a ClaimReview's itemReviewed: the schema.org Claim,
// where it appeared, who made it and when.
type ReviewedClaim struct {
	Type          string      `json:"@type"`
	Appearance    Appearance  `json:"appearance"`
	Author        ReviewAgent `json:"author"`
	DatePublished string      `json:"datePublished,omitempty"`
	// Quote is the words of the source that make the claim.
	Quote    string `json:"text,omitempty"`
	Language string `json:"inLanguage,omitempty"`
}

// Appearance is a schema.org CreativeWork where a claim appeared: the
// source's URL (or urn:sha256: of its bytes) and title.
type Appearance struct {
	Type     string `json:"@type"`
	URL      string `json:"url"`
	Headline string `json:"headline,omitempty"`
}

// ReviewAgent is a schema.org Organization or Person.
type ReviewAgent struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// ReviewRating is a ClaimReview's schema.org Rating: AlternateName is the
// verdict in words.
type ReviewRating struct {
	Type              string `json:"@type"`
	RatingValue       int    `json:"ratingValue"`
	BestRating        int    `json:"bestRating"`
	WorstRating       int    `json:"worstRating"`
	AlternateName     string `json:"alternateName"`
	RatingExplanation string `json:"ratingExplanation,omitempty"`
}

// PropertyValue is a schema.org PropertyValue: the conflict and claim ids
// a ClaimReview comes from.
type PropertyValue struct {
	Type       string `json:"@type"`
	PropertyID string `json:"propertyID"`
	Value      string `json:"value"`
}

// ClaimReviewRating is the verdict in words of a claim a verdict rejects.
const ClaimReviewRating = "Incorrect"

// ExportClaimReview writes, as schema.org JSON-LD, a DataFeed of one
// ClaimReview for every claim that a verdict on a value or temporal
// conflict rejects at revision opts.At (in the queue's order): the claim
// as a sentence, where it appeared and who made it, the verdict's rating
// in words, its reviewer or opts.Organization, and its date. A dismissal
// rejects no claim and so publishes nothing; name conflicts are not
// claims.
func (a *Archive) ExportClaimReview(w io.Writer, opts ExportOptions) error {
	at, _, err := a.resolveAt(opts.At)
	if err != nil {
		return err
	}
	type item struct {
		cf    *projections.Conflict
		claim events.ClaimID
	}
	var items []item
	want := map[events.ClaimID]bool{}
	after := ""
	for {
		page, err := a.Conflicts(ConflictFilter{Status: projections.ConflictResolved, At: at, Limit: exportPage, After: after})
		if err != nil {
			return err
		}
		for _, cf := range page.Conflicts {
			if cf.Kind == projections.KindName || cf.Verdict == nil {
				continue
			}
			for _, cc := range cf.Claims {
				if cc.Rejected {
					items = append(items, item{cf, cc.ID})
					want[cc.ID] = true
				}
			}
		}
		if page.Next == "" {
			break
		}
		after = page.Next
	}
	claims, _, err := a.claimsByID(at, want)
	if err != nil {
		return err
	}
	srcs, err := a.currentSources()
	if err != nil {
		return err
	}
	modified, err := a.revisionTime(at)
	if err != nil {
		return err
	}
	j := newJSONWriter(w, "    ")
	j.raw("{\n  \"@context\": \"https://schema.org\",\n  \"@type\": \"DataFeed\",\n")
	j.raw("  \"name\": " + jsonString(fmt.Sprintf("ClaimReviews of a Sillok archive at revision %d", at)) + ",\n")
	if !modified.IsZero() {
		j.raw("  \"dateModified\": \"" + modified.UTC().Format("2006-01-02T15:04:05Z07:00") + "\",\n")
	}
	j.raw("  \"dataFeedElement\": [")
	for i, it := range items {
		c := claims[it.claim]
		if c == nil {
			return Errorf(Internal, "claim %s of conflict %s is not in the log", it.claim, it.cf.ID)
		}
		j.item("    ", a.claimReview(it.cf, c, srcs[c.Source], opts))
		opts.progress(i+1, len(items), false)
	}
	if len(items) > 0 {
		j.raw("\n  ")
	}
	j.raw("]\n}\n")
	opts.progress(len(items), len(items), true)
	return exportErr(j.flush())
}

// claimReview maps a verdict's rejection of claim c in conflict cf.
func (a *Archive) claimReview(cf *projections.Conflict, c *events.ClaimAsserted, src *events.SourceArchived, opts ExportOptions) ClaimReview {
	v := cf.Verdict
	author := ReviewAgent{Type: "Person", Name: v.Author}
	if opts.Organization != "" {
		author = ReviewAgent{Type: "Organization", Name: opts.Organization, URL: opts.URL}
	}
	if src == nil {
		src = &events.SourceArchived{ID: c.Source}
	}
	claimAuthor := ReviewAgent{Type: "Organization", Name: src.Publisher}
	if claimAuthor.Name == "" {
		claimAuthor.Name = string(src.ID)
		if src.Title != "" {
			claimAuthor.Name = src.Title
		}
	}
	published := src.Published
	if len(published) > 10 {
		published = published[:10] // the date of an RFC 3339 time, in the source's own zone
	}
	var why strings.Builder
	switch v.Decision {
	case events.DecisionAccept:
		accepted := ""
		for _, cc := range cf.Claims {
			if cc.ID == v.Claim {
				accepted = fmt.Sprintf(" (%s, %s)", cc.Value, cc.Source)
			}
		}
		fmt.Fprintf(&why, "A review of the %s conflict %s accepted claim %s%s and rejected this one.", cf.Kind, cf.ID, v.Claim, accepted)
	default:
		fmt.Fprintf(&why, "A review of the %s conflict %s rejected this claim.", cf.Kind, cf.ID)
	}
	if v.Note != "" {
		why.WriteString(" " + v.Note)
	}
	return ClaimReview{
		Type:          "ClaimReview",
		URL:           pageURL(opts.URL, "conflicts", string(cf.ID)),
		ClaimReviewed: claimSentence(c.Subject, c.Predicate, c.Value, c.Quote.Quote.Exact),
		ItemReviewed: ReviewedClaim{
			Type:          "Claim",
			Appearance:    Appearance{Type: "CreativeWork", URL: sourceTarget(src), Headline: src.Title},
			Author:        claimAuthor,
			DatePublished: published,
			Quote:         c.Quote.Quote.Exact,
			Language:      src.Lang,
		},
		Author:        author,
		DatePublished: v.At.UTC().Format("2006-01-02"),
		ReviewRating: ReviewRating{Type: "Rating", RatingValue: 1, BestRating: 5, WorstRating: 1,
			AlternateName: ClaimReviewRating, RatingExplanation: why.String()},
		ReviewBody: why.String(),
		Identifier: []PropertyValue{
			{Type: "PropertyValue", PropertyID: "sillok:conflict", Value: string(cf.ID)},
			{Type: "PropertyValue", PropertyID: "sillok:claim", Value: string(c.ID)},
			{Type: "PropertyValue", PropertyID: "sillok:verdict-revision", Value: fmt.Sprint(v.Rev)},
		},
	}
}
