-- A smaller store: what was kept twice is kept once (issue 7: at most 1.5 × the raw bytes).

-- Retries are found through a 64-bit hash of vendor and dedupe key (sqlite/event.go dedupeHash);
-- the keys themselves (mostly hex digests already) and their index were a tenth of the store.
-- events_type served no query (type: terms are kept off the indexes).
DROP INDEX events_dedupe;
DROP INDEX events_type;
ALTER TABLE events DROP COLUMN dedupe_key;
ALTER TABLE events ADD COLUMN dedupe_hash INTEGER NOT NULL DEFAULT 0;
CREATE INDEX events_dedupe ON events (dedupe_hash) WHERE dedupe_hash != 0;

-- What an event contributes to conversations and agents (sqlite/entity.go) is read from its
-- events row, which entity_events copied. t, when set, says the event is on the timelines: when
-- it happened (occurred_at, else received_at); NULL for an event that contributes nothing (a
-- hidden delivery) or whose contribution was taken back. checks are its lifecycle checks (JSON
-- [{code, reason}, ...], '' when none). A conversation's timeline is one range of events_timeline;
-- the delivery's id and arrival time are kept beside, so that reading a timeline reads no
-- deliveries row (each would be a page of its own).
ALTER TABLE events ADD COLUMN t INTEGER;
ALTER TABLE events ADD COLUMN checks TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN received_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN delivery_id TEXT NOT NULL DEFAULT '';
-- One pass over events, in their order, also marks every event for decoding again (below).
UPDATE events SET version = 0, (t, checks, received_at, delivery_id) = (SELECT max(x.t), coalesce(max(x.checks), ''),
	coalesce(max(x.received_at), 0), coalesce(max(x.delivery_id), '') FROM entity_events x WHERE x.seq = events.seq);
UPDATE events SET (received_at, delivery_id) = (SELECT d.received_at, d.id FROM deliveries d WHERE d.seq = events.seq)
	WHERE t IS NULL;
DROP INDEX events_conversation;
CREATE INDEX events_timeline ON events (vendor, conversation_id, t);
CREATE INDEX events_status ON events (vendor, conversation_id, t)
	WHERE conversation_id != '' AND status_of = 'conversation' AND status != '' AND duplicate_of IS NULL AND t IS NOT NULL;
DROP TABLE entity_events;

-- Retention takes contributions back before it deletes events (sqlite/retention.go).
DROP TRIGGER events_entity_forget;
DROP TABLE entity_forget;

-- The agents of an event are in entity_agent_events, whose rows are removed by their key.
DROP TABLE event_actors;
DROP INDEX entity_agent_events_seq;

-- Every event is decoded again (version 0, above), which fills dedupe_hash and stores actors
-- compactly ([[id, kind, role, name, email], ...]; rows not decoded again yet keep the longer form).
DELETE FROM settings WHERE key = 'decode.through';
