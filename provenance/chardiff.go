package provenance

// CharDiff renders a character (code point) diff from a to b for a
// terminal without colour: equal text as it is, text only in a as
// [-text-], text only in b as {+text+}. It is the diff a "quote not found"
// error shows, offered for names and text values too.
func CharDiff(a, b string) string { return diff([]rune(a), []rune(b)) }
