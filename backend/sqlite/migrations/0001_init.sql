-- Deliveries: every HTTP request the receiver got, byte for byte. seq is the arrival order.
CREATE TABLE deliveries (
	seq             INTEGER PRIMARY KEY,
	id              TEXT    NOT NULL UNIQUE,
	received_at     INTEGER NOT NULL, -- unix microseconds, UTC
	method          TEXT    NOT NULL,
	path            TEXT    NOT NULL,
	query           TEXT    NOT NULL DEFAULT '',
	headers         BLOB    NOT NULL, -- JSON [[name, value], ...] in arrival order
	body            BLOB,
	size            INTEGER NOT NULL,
	content_type    TEXT    NOT NULL DEFAULT '',
	remote_addr     TEXT    NOT NULL DEFAULT '',
	forwarded_for   TEXT    NOT NULL DEFAULT '',
	forwarded_proto TEXT    NOT NULL DEFAULT '',
	forwarded_host  TEXT    NOT NULL DEFAULT '',
	connecting_ip   TEXT    NOT NULL DEFAULT '',
	refused         TEXT    NOT NULL DEFAULT '',
	status          INTEGER NOT NULL,
	source          TEXT    NOT NULL,
	hidden          INTEGER NOT NULL DEFAULT 0
);

-- Events: what a delivery means, decoded. One per delivery; rebuilt when the decoder changes.
CREATE TABLE events (
	seq             INTEGER PRIMARY KEY REFERENCES deliveries (seq) ON DELETE CASCADE,
	version         INTEGER NOT NULL,
	vendor          TEXT    NOT NULL,
	event_type      TEXT    NOT NULL DEFAULT '',
	occurred_at     INTEGER,          -- unix microseconds from the payload, NULL if none
	organization    TEXT    NOT NULL DEFAULT '',
	conversation_id TEXT    NOT NULL DEFAULT '',
	thread_id       TEXT    NOT NULL DEFAULT '',
	summary         TEXT    NOT NULL DEFAULT '',
	documented      INTEGER NOT NULL DEFAULT 0,
	verification    TEXT    NOT NULL DEFAULT '',
	verify_reason   TEXT    NOT NULL DEFAULT '',
	flags           TEXT    NOT NULL DEFAULT '[]',
	flag_count      INTEGER NOT NULL DEFAULT 0,
	actors          TEXT    NOT NULL DEFAULT '[]',
	dedupe_key      TEXT    NOT NULL DEFAULT '',
	duplicate_of    INTEGER,          -- seq of the first delivery of the same event
	status          TEXT    NOT NULL DEFAULT '',
	status_of       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX events_conversation ON events (vendor, conversation_id, occurred_at);
CREATE INDEX events_flagged ON events (seq) WHERE flag_count > 0;
CREATE INDEX events_dedupe ON events (vendor, dedupe_key);
CREATE INDEX events_type ON events (vendor, event_type);

-- Who an event involves, for agent timelines and agent: searches.
CREATE TABLE event_actors (
	seq      INTEGER NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
	vendor   TEXT    NOT NULL,
	actor_id TEXT    NOT NULL,
	kind     TEXT    NOT NULL,
	role     TEXT    NOT NULL,
	PRIMARY KEY (actor_id, vendor, seq, role)
) WITHOUT ROWID;
CREATE INDEX event_actors_seq ON event_actors (seq);

-- Free text over paths, summaries and bodies; rowid = deliveries.seq.
CREATE VIRTUAL TABLE search USING fts5 (text, content = '', contentless_delete = 1);

-- Settings: secrets and preferences, key -> JSON value.
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

-- Running totals, kept by triggers so nothing has to count rows at start.
CREATE TABLE stats (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	deliveries INTEGER NOT NULL,
	bytes      INTEGER NOT NULL
);
INSERT INTO stats (id, deliveries, bytes) VALUES (1, 0, 0);
CREATE TRIGGER deliveries_count_add AFTER INSERT ON deliveries BEGIN
	UPDATE stats SET deliveries = deliveries + 1, bytes = bytes + coalesce(length(NEW.body), 0) + length(NEW.headers) WHERE id = 1;
END;
CREATE TRIGGER deliveries_count_del AFTER DELETE ON deliveries BEGIN
	UPDATE stats SET deliveries = deliveries - 1, bytes = bytes - coalesce(length(OLD.body), 0) - length(OLD.headers) WHERE id = 1;
END;
