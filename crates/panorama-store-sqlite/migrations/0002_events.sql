-- Events (issue 6): anonymous identities, the order index, and merge records for undo.

-- Anonymous ids (device or cookie ids) of contacts. Kept apart from `contact_keys`, whose rows are
-- rebuilt from a contact's attribute values on every change: an anonymous id is no attribute, and
-- must survive those rebuilds. A merge moves the merged contact's ids to the survivor.
CREATE TABLE contact_anonymous_ids (
    anonymous_id TEXT PRIMARY KEY,
    contact_id   TEXT NOT NULL REFERENCES contacts (contact_id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX contact_anonymous_ids_contact ON contact_anonymous_ids (contact_id);

-- A contact's orders are read back to recompute order_count, order_amount, first_order_at and
-- last_order_at. A partial index keeps that one range read without indexing every other event;
-- queries must repeat the WHERE term exactly for SQLite to use it.
CREATE INDEX events_orders ON events (contact_id, occurred_at) WHERE event IN ('order', 'order_detail');
