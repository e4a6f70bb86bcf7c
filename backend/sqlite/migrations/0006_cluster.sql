-- A long conversation's events are stored together (issue 7: a 1,000-event timeline in one read).
--
-- events was kept in arrival order (seq), so a conversation that went on for months had each of its
-- events on a page of its own among everything else, and reading its timeline read a page per
-- event. Rows are now placed by pos: an event's own seq while its conversation is short (most
-- conversations; arrival order keeps inbox pages, exports and the decoder reading neighbouring
-- rows), and, once its conversation counts 128 events (clusterAfter in sqlite/event.go), the
-- conversation's id in the bits above the seq, so the rest of that conversation sits on a few
-- pages of its own. pos never changes once the row is written; seq stays unique, and every
-- lookup by seq goes through its index.
CREATE TABLE events_clustered (
	pos             INTEGER PRIMARY KEY, -- seq, or (conversation id & 0xFFFFF) << 43 | seq
	seq             INTEGER NOT NULL UNIQUE REFERENCES deliveries (seq) ON DELETE CASCADE,
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
	duplicate_of    INTEGER,          -- seq of the first delivery of the same event
	status          TEXT    NOT NULL DEFAULT '',
	status_of       TEXT    NOT NULL DEFAULT '',
	dedupe_hash     INTEGER NOT NULL DEFAULT 0,
	t               INTEGER,
	checks          TEXT    NOT NULL DEFAULT '',
	received_at     INTEGER NOT NULL DEFAULT 0,
	delivery_id     TEXT    NOT NULL DEFAULT ''
);
-- An upgraded store gets every event of its long conversations together at once; the copy is
-- written in pos order, so it appends.
INSERT INTO events_clustered (pos, seq, version, vendor, event_type, occurred_at, organization, conversation_id,
	thread_id, summary, documented, verification, verify_reason, flags, flag_count, actors, duplicate_of, status,
	status_of, dedupe_hash, t, checks, received_at, delivery_id)
SELECT CASE WHEN c.event_count >= 128 THEN ((c.id & 1048575) << 43) | e.seq ELSE e.seq END, e.seq, e.version,
	e.vendor, e.event_type, e.occurred_at, e.organization, e.conversation_id, e.thread_id, e.summary, e.documented,
	e.verification, e.verify_reason, e.flags, e.flag_count, e.actors, e.duplicate_of, e.status, e.status_of,
	e.dedupe_hash, e.t, e.checks, e.received_at, e.delivery_id
FROM events e LEFT JOIN conversations c ON c.vendor = e.vendor AND c.external_id = e.conversation_id AND e.conversation_id != ''
ORDER BY 1;
DROP TABLE events;
ALTER TABLE events_clustered RENAME TO events;
CREATE INDEX events_flagged ON events (seq) WHERE flag_count > 0;
CREATE INDEX events_dedupe ON events (dedupe_hash) WHERE dedupe_hash != 0;
-- seq ends the timeline indexes: rows are no longer in seq order, and timelines order by (t, seq).
CREATE INDEX events_timeline ON events (vendor, conversation_id, t, seq);
CREATE INDEX events_status ON events (vendor, conversation_id, t, seq)
	WHERE conversation_id != '' AND status_of = 'conversation' AND status != '' AND duplicate_of IS NULL AND t IS NOT NULL;
