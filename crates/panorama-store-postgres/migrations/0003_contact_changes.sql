-- The change feed of contacts, as on SQLite (its migration 0007): every insert, update and delete
-- of a contact appends its id here in the same transaction, whichever server or command writes,
-- so each server's in-memory list index (crate `panorama-list-index`) catches up before each
-- query by reading the rows after its cursor.
--
-- The index needs sequence numbers in commit order and without gaps, so that a first row after
-- its cursor other than `cursor + 1` can only mean rows were pruned before it read them. A
-- PostgreSQL sequence gives neither (a rolled-back transaction burns numbers; two concurrent
-- writers commit in either order), so the trigger numbers rows from a one-row counter: its row
-- lock is held until the writing transaction ends, so writers number and commit one after
-- another, and a rolled-back transaction rolls its numbers back. The counter also keeps the
-- feed's end when every row has been pruned, as SQLite's `sqlite_sequence` does.
CREATE TABLE contact_changes (
    seq        bigint PRIMARY KEY,
    contact_id uuid NOT NULL
);

CREATE TABLE contact_changes_end (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    seq      bigint NOT NULL
);
INSERT INTO contact_changes_end (seq) VALUES (0);

-- One statement-level trigger per operation, each with its transition table: a bulk write of
-- 10,000 contacts appends 10,000 rows in one INSERT rather than firing 10,000 times. The trigger
-- takes the write advisory lock every Panorama write transaction takes first (key
-- 0x70616e6f72616d, `WRITE_LOCK_KEY` in src/lib.rs) before the counter's row lock: a no-op for
-- Panorama's writers, and the same lock order for a plain SQL client, so the two cannot deadlock
-- over the counter.
CREATE FUNCTION contact_changes_append() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed_rows bigint;
    last bigint;
BEGIN
    SELECT count(*) INTO changed_rows FROM changed;
    IF changed_rows = 0 THEN
        RETURN NULL;
    END IF;
    PERFORM pg_advisory_xact_lock(31632324335657325);
    UPDATE contact_changes_end SET seq = seq + changed_rows RETURNING seq INTO last;
    INSERT INTO contact_changes (seq, contact_id)
        SELECT last - changed_rows + row_number() OVER (), contact_id FROM changed;
    RETURN NULL;
END $$;

CREATE TRIGGER contact_changes_insert AFTER INSERT ON contacts
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION contact_changes_append();
CREATE TRIGGER contact_changes_update AFTER UPDATE ON contacts
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION contact_changes_append();
CREATE TRIGGER contact_changes_delete AFTER DELETE ON contacts
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION contact_changes_append();

-- The list is answered by that index now, on both stores (one implementation, so the same
-- answers): `search_text` and its trigram index go. The index answers keywords of one and two
-- characters and exact totals of dense keywords in milliseconds, which the trigram index could
-- not (a count read every matching row: p99 ~400 ms at a million contacts), and keeping the
-- trigram index cost bulk writes about three quarters of their time.
DROP INDEX contacts_search;
ALTER TABLE contacts DROP COLUMN search_text;
