package sqlite

import "time"

// SetDurableHook sets fn, called (with the writer held off) each time the store has made every
// committed transaction durable; an error from fn fails that sync, as a dead disk would.
func SetDurableHook(db *DB, fn func() error) { db.onDurable = fn }

// SetJournalResetAt lowers the journal size past which it is emptied, so that tests reset often.
func SetJournalResetAt(db *DB, n int64) { db.journalResetAt = n }

// SetCaptureGather sets how long the capturer lets captures gather (captureGather).
func SetCaptureGather(db *DB, d time.Duration) { db.gatherFor = d }
