// Package sqlitetest opens what tests of the layers above the store stand on: a real SQLite store
// in a temporary folder with every vendor's decoder running over it, as `hooklens serve` wires them.
package sqlitetest

import (
	"context"
	"path/filepath"
	"testing"

	"hooklens/backend/decode"
	"hooklens/backend/decode/all"
	"hooklens/backend/ingest"
	"hooklens/backend/settings"
	"hooklens/backend/sqlite"
)

// Env is a store with its decoder running until the test ends.
type Env struct {
	DB       *sqlite.DB
	Registry *decode.Registry
	Decoder  *ingest.Decoder
	// Settings is the settings service over the store, its secrets the decoder's.
	Settings *settings.Service
	// Ctx ends when the test does, after the cleanups registered later have run.
	Ctx context.Context
}

// Open opens a store in tb's temporary folder and starts its decoder; both stop when the test
// ends (after the cleanups the caller registers afterwards: those run first).
func Open(tb testing.TB) *Env {
	tb.Helper()
	return OpenWith(tb, all.Registry())
}

// OpenWith is Open with the vendors of reg instead of the registered ones.
func OpenWith(tb testing.TB, reg *decode.Registry) *Env {
	tb.Helper()
	db := sqlite.NewDB(filepath.Join(tb.TempDir(), "hooklens.db"))
	db.Rules = reg.Rulebook()
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	dec := ingest.New(db, reg)
	set, err := settings.Load(context.Background(), db, dec)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go dec.Run(ctx)
	tb.Cleanup(func() { cancel(); db.Close() })
	return &Env{DB: db, Registry: reg, Decoder: dec, Settings: set, Ctx: ctx}
}
