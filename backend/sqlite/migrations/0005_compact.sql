-- A smaller store: what was kept twice is kept once (issue 7: at most 1.5 × the raw bytes).

-- Retries are found through a 64-bit hash of vendor and dedupe key (sqlite/event.go dedupeHash):
-- an index of the keys themselves cost more than a tenth of the store. events_type served no query
-- (type: terms are kept off the indexes).
DROP INDEX events_dedupe;
DROP INDEX events_type;
ALTER TABLE events ADD COLUMN dedupe_hash INTEGER NOT NULL DEFAULT 0;
CREATE INDEX events_dedupe ON events (dedupe_hash) WHERE dedupe_hash != 0;

-- The agents of an event are in entity_agent_events, whose rows are removed by their key.
DROP TABLE event_actors;
DROP INDEX entity_agent_events_seq;

-- entity_events keeps what orders a timeline and what the lifecycle checks read; what an event
-- shows (summary, verification, flags, actors) is read from events, the delivery ids from deliveries.
-- The actors an event contributed are the actors of its events row, read before that row is
-- replaced; a deleted event leaves them in entity_forget for forget() to take back.
ALTER TABLE entity_events DROP COLUMN delivery_id;
ALTER TABLE entity_events DROP COLUMN duplicate_id;
ALTER TABLE entity_events DROP COLUMN flag_count;
ALTER TABLE entity_events DROP COLUMN verification;
ALTER TABLE entity_events DROP COLUMN verify_reason;
ALTER TABLE entity_events DROP COLUMN summary;
ALTER TABLE entity_events DROP COLUMN actors;
ALTER TABLE entity_forget ADD COLUMN actors TEXT NOT NULL DEFAULT '[]';
DROP TRIGGER events_entity_forget;
CREATE TRIGGER events_entity_forget AFTER DELETE ON events BEGIN
	INSERT OR IGNORE INTO entity_forget (seq, actors) VALUES (OLD.seq, OLD.actors);
END;

-- Every event is decoded again, which fills dedupe_hash and stores actors compactly
-- ([[id, kind, role, name, email], ...]; rows not yet decoded again keep the longer form).
DELETE FROM settings WHERE key = 'decode.through';
UPDATE events SET version = 0;
