-- Replays and forwards: every request Hooklens sent to a target on behalf of a delivery, and
-- what the target answered. kind is 'replay' or 'forward'; run groups the requests of one replay.
CREATE TABLE replays (
	id          INTEGER PRIMARY KEY,
	seq         INTEGER NOT NULL REFERENCES deliveries (seq) ON DELETE CASCADE,
	kind        TEXT    NOT NULL,
	run         TEXT    NOT NULL DEFAULT '',
	target      TEXT    NOT NULL,
	started_at  INTEGER NOT NULL, -- unix microseconds, UTC
	duration_us INTEGER NOT NULL DEFAULT 0,
	status      INTEGER NOT NULL DEFAULT 0, -- HTTP status of the answer, 0 when there was none
	status_text TEXT    NOT NULL DEFAULT '',
	excerpt     BLOB    NOT NULL DEFAULT x'', -- the first bytes of the answer's body (at most 2 KiB)
	truncated   INTEGER NOT NULL DEFAULT 0,   -- the answer's body was longer than the excerpt
	error       TEXT    NOT NULL DEFAULT ''   -- why there was no answer (timeout, refused, dropped)
);
CREATE INDEX replays_seq ON replays (seq, id);

-- Imports: where an imported delivery came from, so exporting it again gives the same metadata.
CREATE TABLE imports (
	seq          INTEGER PRIMARY KEY REFERENCES deliveries (seq) ON DELETE CASCADE,
	origin       TEXT    NOT NULL DEFAULT '', -- the delivery's source before it was exported
	verification TEXT    NOT NULL DEFAULT '', -- JSON {status, reason} as the file recorded it
	file         TEXT    NOT NULL DEFAULT '', -- the file it was imported from
	imported_at  INTEGER NOT NULL
);
