package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"hooklens/backend"
)

// Setting returns the stored value of key, or "" when unset.
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.rdb.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("setting %s: %w", key, err)
	}
	return v, nil
}

// SetSetting stores value under key; an empty value deletes it.
func (db *DB) SetSetting(ctx context.Context, key, value string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		if value == "" {
			_, err := tx.Exec(`DELETE FROM settings WHERE key = ?`, key)
			return err
		}
		return putSetting(tx, key, value)
	}, nil)
}

// putSetting stores value under key inside tx.
func putSetting(tx *sql.Tx, key, value string) error {
	_, err := tx.Exec(`INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

var _ backend.DeliveryWriter = (*DB)(nil)
var _ backend.DeliveryReader = (*DB)(nil)
