-- Merge records (issue 6): what a merge folded together, so a wrong merge can be undone while
-- neither side changed since. Written in the merge's own transaction, before anything moves.
CREATE TABLE merges (
    merge_id            TEXT PRIMARY KEY,   -- the event id of the merge's `user_merged` event
    survivor_id         TEXT NOT NULL,      -- the contact that holds both now
    merged_id           TEXT NOT NULL,      -- the contact folded into it, deleted by the merge
    merged_at           INTEGER NOT NULL,   -- the merge's write time (its events' occurred_at)
    survivor_updated_at INTEGER,            -- the survivor's updated_at right after the merge
    merged_row          TEXT NOT NULL,      -- JSON: the merged contact's `contacts` row
    survivor_row        TEXT,               -- JSON: the survivor's row before (NULL: it was new)
    owned_rows          TEXT NOT NULL,      -- JSON: {table: {"merged": [rows], "survivor": [rows]}}
    event_ids           TEXT NOT NULL,      -- JSON array: the merged contact's events
    anonymous_ids       TEXT NOT NULL,      -- JSON array: the merged contact's anonymous ids
    undone_at           INTEGER             -- when it was undone
);
CREATE INDEX merges_survivor ON merges (survivor_id);
CREATE INDEX merges_merged ON merges (merged_id);
