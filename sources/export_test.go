package sources

// NormalizeGeneral is Normalize without its ASCII fast path, for the tests
// that hold the two to the same result.
var NormalizeGeneral = normalizeGeneral
