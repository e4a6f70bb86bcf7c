//go:build !race

package sqlite_test

// raceDetector says the tests run with -race, which makes SQLite several times slower.
const raceDetector = false
