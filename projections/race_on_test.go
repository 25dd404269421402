//go:build race

package projections_test

// raceDetector is true when the tests run with -race, which slows them
// several times over.
const raceDetector = true
