//go:build !race

package projections_test

// raceDetector is true when the tests run with -race.
const raceDetector = false
