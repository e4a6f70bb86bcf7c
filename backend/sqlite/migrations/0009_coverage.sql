-- When the receiver listened (issue 20): one row per run of a Hooklens process, and the results
-- of the tunnel probes. A run a process left open (killed, crashed, power cut) is closed as
-- unclean at its last sign of life by the next start.
CREATE TABLE runs (
	id         INTEGER PRIMARY KEY,
	started_at INTEGER NOT NULL,          -- unix microseconds
	seen_at    INTEGER NOT NULL,          -- last heartbeat, unix microseconds
	stopped_at INTEGER,                   -- NULL while it runs (or until the next start closes it)
	stop_kind  TEXT    NOT NULL DEFAULT '' -- '', clean, unclean, suspended
);
CREATE INDEX runs_started ON runs (started_at);

CREATE TABLE probes (
	id     INTEGER PRIMARY KEY,
	at     INTEGER NOT NULL,              -- unix microseconds
	ok     INTEGER NOT NULL,
	url    TEXT    NOT NULL DEFAULT '',
	reason TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX probes_at ON probes (at);

