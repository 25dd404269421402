//go:build race

package main

// raceDetector is true when the tests run with -race, which slows them
// several times over.
const raceDetector = true
