-- Which fields each captured event type came with (issue 17, migration help): the field paths
-- of every decoded body, kept once per distinct set (a vendor sends few shapes), and on each
-- event the set of its body. Events decoded before this have none (NULL) until decoded again.
CREATE TABLE path_sets (
	id    INTEGER PRIMARY KEY,
	paths TEXT NOT NULL UNIQUE -- the sorted paths, one per line; '' for a body without fields
);
ALTER TABLE events ADD COLUMN path_set INTEGER;
