-- Entities: conversations and agents, kept current by sqlite/entity.go inside the transaction
-- that stores each event. Times are unix microseconds, UTC.

-- What each stored event contributes to entities, so that a re-decode can take it back exactly,
-- and what timelines show of it. t is when the event happened (occurred_at, else received_at).
-- Rows are clustered by conversation in (t, seq) order: a conversation's timeline is one range.
CREATE TABLE entity_events (
	vendor          TEXT    NOT NULL,
	conversation_id TEXT    NOT NULL, -- '' when the event belongs to no conversation
	t               INTEGER NOT NULL,
	seq             INTEGER NOT NULL, -- events.seq (no foreign key: a REPLACE must not drop the row)
	timed           INTEGER NOT NULL, -- 1 when t is the payload's occurred_at
	received_at     INTEGER NOT NULL,
	duplicate_of    INTEGER,          -- seq of the first delivery when this one is a retry
	delivery_id     TEXT    NOT NULL,
	duplicate_id    TEXT    NOT NULL, -- id of the first delivery ('' when not a retry)
	thread_id       TEXT    NOT NULL,
	event_type      TEXT    NOT NULL,
	status          TEXT    NOT NULL, -- status the event implies, '' if none
	status_of       TEXT    NOT NULL, -- whose: 'conversation' or 'agent'
	checks          TEXT    NOT NULL DEFAULT '', -- JSON [{code, reason}, ...] lifecycle checks, '' when none
	flag_count      INTEGER NOT NULL, -- shown on timelines, refreshed by every re-decode:
	verification    TEXT    NOT NULL,
	verify_reason   TEXT    NOT NULL,
	summary         TEXT    NOT NULL,
	actors          TEXT    NOT NULL, -- JSON [[id, kind, role, name, email], ...] of actors with an id
	PRIMARY KEY (vendor, conversation_id, t, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX entity_events_seq ON entity_events (seq);
CREATE INDEX entity_events_status ON entity_events (vendor, conversation_id, t, seq)
	WHERE conversation_id != '' AND status_of = 'conversation' AND duplicate_of IS NULL;

-- One row per agent or bot of an event; a vendor/agent's rows in (t, seq) order are its timeline.
CREATE TABLE entity_agent_events (
	vendor          TEXT    NOT NULL,
	agent_id        TEXT    NOT NULL,
	t               INTEGER NOT NULL,
	seq             INTEGER NOT NULL,
	conversation_id TEXT    NOT NULL,
	counted         INTEGER NOT NULL, -- 0 for a retry
	status          TEXT    NOT NULL, -- agent status when the agent is the subject of a status event
	PRIMARY KEY (vendor, agent_id, t, seq)
) WITHOUT ROWID;
CREATE INDEX entity_agent_events_seq ON entity_agent_events (seq);
CREATE INDEX entity_agent_events_status ON entity_agent_events (vendor, agent_id, t, seq)
	WHERE status != '' AND counted = 1;

CREATE TABLE conversations (
	id           INTEGER PRIMARY KEY,
	vendor       TEXT    NOT NULL,
	external_id  TEXT    NOT NULL,
	organization TEXT    NOT NULL DEFAULT '',
	status       TEXT    NOT NULL DEFAULT '',
	event_count  INTEGER NOT NULL DEFAULT 0,
	first_at     INTEGER NOT NULL,
	last_at      INTEGER NOT NULL,
	last_seq     INTEGER NOT NULL,
	last_summary TEXT    NOT NULL DEFAULT '',
	-- Lifecycle checks are kept on entity_events: an event appended at the end of the timeline is
	-- checked from checks_state (backend.Lifecycle as JSON); any other change sets checks_stale,
	-- timelines then compute the checks when read, and the next append stores them again.
	checks_state TEXT    NOT NULL DEFAULT '',
	checks_stale INTEGER NOT NULL DEFAULT 0,
	max_seq      INTEGER NOT NULL DEFAULT 0, -- highest seq added, for telling an append
	UNIQUE (vendor, external_id)
);
CREATE INDEX conversations_activity ON conversations (last_at, id);
CREATE INDEX conversations_vendor_activity ON conversations (vendor, last_at, id);

-- Threads of a conversation (n: events in it, retries excluded).
CREATE TABLE conversation_threads (
	vendor          TEXT    NOT NULL,
	conversation_id TEXT    NOT NULL,
	thread_id       TEXT    NOT NULL,
	n               INTEGER NOT NULL,
	first_at        INTEGER NOT NULL,
	first_seq       INTEGER NOT NULL,
	PRIMARY KEY (vendor, conversation_id, thread_id)
) WITHOUT ROWID;

-- Who took part in a conversation, in what role (n: events with that actor in that role).
CREATE TABLE conversation_participants (
	vendor          TEXT    NOT NULL,
	conversation_id TEXT    NOT NULL,
	actor_id        TEXT    NOT NULL,
	kind            TEXT    NOT NULL,
	role            TEXT    NOT NULL,
	name            TEXT    NOT NULL DEFAULT '',
	email           TEXT    NOT NULL DEFAULT '',
	n               INTEGER NOT NULL,
	first_at        INTEGER NOT NULL,
	PRIMARY KEY (vendor, conversation_id, actor_id, kind, role)
) WITHOUT ROWID;
CREATE INDEX conversation_participants_actor ON conversation_participants (vendor, actor_id, conversation_id);

CREATE TABLE agents (
	id                 INTEGER PRIMARY KEY,
	vendor             TEXT    NOT NULL,
	external_id        TEXT    NOT NULL,
	kind               TEXT    NOT NULL,
	name               TEXT    NOT NULL DEFAULT '',
	email              TEXT    NOT NULL DEFAULT '',
	status             TEXT    NOT NULL DEFAULT '',
	event_count        INTEGER NOT NULL DEFAULT 0,
	conversation_count INTEGER NOT NULL DEFAULT 0,
	last_at            INTEGER NOT NULL DEFAULT 0,
	UNIQUE (vendor, external_id)
);
CREATE INDEX agents_activity ON agents (last_at, id);
CREATE INDEX agents_vendor_activity ON agents (vendor, last_at, id);

-- Events deleted for real (retention), whose contributions the next write takes back. A REPLACE
-- (re-decode) does not fire this trigger: recursive triggers are off.
CREATE TABLE entity_forget (seq INTEGER PRIMARY KEY);
CREATE TRIGGER events_entity_forget AFTER DELETE ON events BEGIN
	INSERT OR IGNORE INTO entity_forget (seq) VALUES (OLD.seq);
END;

-- Entities of the events stored before this migration are built by the next re-decode.
DELETE FROM settings WHERE key = 'decode.through';
UPDATE events SET version = 0;
