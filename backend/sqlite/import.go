package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"

	"hooklens/backend"
)

// ImportDeliveries stores the deliveries of items in one transaction, keeping their ids and
// received times, and tells subscribers. It returns one error per item: nil when stored, an
// ECONFLICT error when a delivery with the same id exists (the item is skipped). The error it
// returns itself (EUNAVAILABLE) means nothing was stored.
func (db *DB) ImportDeliveries(ctx context.Context, items []backend.Import) ([]error, error) {
	errs := make([]error, len(items))
	var added []string
	now := micros(db.Now())
	for _, it := range items {
		if it.Delivery.Source == "" {
			it.Delivery.Source = backend.SourceImport
		}
		if err := db.complete(it.Delivery); err != nil {
			return nil, err
		}
	}
	// Stored as they come, like captures: the decoder packs them when it writes their events.
	err := db.write(ctx, func(tx *sql.Tx) error {
		added = added[:0]
		ins, err := tx.Prepare(insertDeliveryOrSkip)
		if err != nil {
			return err
		}
		defer ins.Close()
		prov, err := tx.Prepare(`INSERT INTO imports (seq, origin, verification, file, imported_at) VALUES (?,?,?,?,?)`)
		if err != nil {
			return err
		}
		defer prov.Close()
		for i, it := range items {
			res, err := ins.Exec(deliveryValues(it.Delivery)...)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				errs[i] = backend.Errorf(backend.ECONFLICT, "delivery %s already exists", it.Delivery.ID)
				continue
			}
			errs[i] = nil
			seq, err := res.LastInsertId()
			if err != nil {
				return err
			}
			verification := ""
			if it.Verification != nil {
				b, _ := json.Marshal(it.Verification)
				verification = string(b)
			}
			if _, err := prov.Exec(seq, it.Origin, verification, it.File, now); err != nil {
				return err
			}
			added = append(added, it.Delivery.ID)
		}
		return nil
	}, func() { db.hub.publish(backend.NewsCaptured, added...) })
	if err != nil {
		if backend.ErrorCode(err) == backend.EINTERNAL {
			err = backend.Errorf(backend.EUNAVAILABLE, "store cannot commit: %v", err)
		}
		return nil, err
	}
	return errs, nil
}
