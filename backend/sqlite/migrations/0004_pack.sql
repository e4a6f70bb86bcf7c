-- Bodies and headers stored deflated where that pays (sqlite/pack.go): enc says which of the
-- two are (2: the headers of a delivery without body, 4: headers and body together in body). Rows stored before this migration are kept as they are (0).
ALTER TABLE deliveries ADD COLUMN enc INTEGER NOT NULL DEFAULT 0;

-- The running total of bytes follows what is stored when a row is packed after its insert.
CREATE TRIGGER deliveries_count_pack AFTER UPDATE OF body, headers ON deliveries BEGIN
	UPDATE stats SET bytes = bytes - coalesce(length(OLD.body), 0) - length(OLD.headers)
		+ coalesce(length(NEW.body), 0) + length(NEW.headers) WHERE id = 1;
END;
