-- The change feed of contacts (issue 5). Every insert, update and delete of a contact appends its
-- id here in the same transaction, whichever process writes (a server, `panorama import`), so an
-- in-memory search index catches up before each query by reading the rows after its cursor.
-- AUTOINCREMENT keeps sequence numbers from ever being reused after the consumed rows are pruned,
-- which is how a reader notices it missed some (a gap) and rebuilds instead.
CREATE TABLE contact_changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id TEXT NOT NULL
);

CREATE TRIGGER contact_changes_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contact_changes (contact_id) VALUES (NEW.contact_id);
END;

CREATE TRIGGER contact_changes_update AFTER UPDATE ON contacts BEGIN
    INSERT INTO contact_changes (contact_id) VALUES (NEW.contact_id);
END;

CREATE TRIGGER contact_changes_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contact_changes (contact_id) VALUES (OLD.contact_id);
END;
