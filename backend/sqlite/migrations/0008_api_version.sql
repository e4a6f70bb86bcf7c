-- Issue 17: each event keeps the vendor API version(s) its delivery could come from and why.
--
-- api_version is the label people read ("3.4+", "3.1", "v2"); version_info is JSON
-- {"evidence": [...], "notes": [...]}: the facts of the body that set the version, and the
-- informational notes (a deprecated event type) that are not drift flags. Both are '' until the
-- background re-decode (decode.Version 2) rewrites the event.
ALTER TABLE events ADD COLUMN api_version TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN version_info TEXT NOT NULL DEFAULT '';
