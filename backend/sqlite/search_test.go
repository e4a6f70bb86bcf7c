package sqlite_test

import (
	"context"
	"testing"

	"hooklens/backend"
)

// TestFindDeliveries_OddSearches: search text reaches FTS5 as quoted phrases; nothing a user
// types makes the query fail with an internal error.
func TestFindDeliveries_OddSearches(t *testing.T) {
	db := MustOpenDB(t)
	seedDeliveries(t, db, 30)
	for _, q := range []string{`*`, `NEAR(a b)`, `a OR b`, `-x`, `^start`, `"\""`, "nul\x00byte", `col:umn`, `"a""b"`, `'`, `\`, "é\xff", `AND`, `(`, `)`} {
		if _, _, err := db.FindDeliveries(context.Background(), backend.DeliveryFilter{Query: q}); err != nil && backend.ErrorCode(err) != backend.EINVALID {
			t.Errorf("FindDeliveries(q=%q) = %v; want results or an invalid-input error", q, err)
		}
	}
}
