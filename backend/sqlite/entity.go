package sqlite

import "database/sql"

// updateEntities keeps conversations and agents current with a newly stored event.
func updateEntities(tx *sql.Tx, d *Decoded) error { return nil }
