//go:build !race

package export_test

// raceEnabled is true under the race detector, which makes the pure-Go SQLite about ten times slower.
const raceEnabled = false
