-- The suppression list (panorama-core's contact/suppression.rs): consent that outlives a deleted
-- contact. One row per key value a deleted contact held while a channel was off: the SHA-256 of
-- `attribute:value` in the matching form of `contact_keys`, as 64 hex digits, and the channels
-- that were off (1 = kept off). No other personal data: no value, no contact id, no name.
-- A later delete of another holder of the same value only adds channels.
CREATE TABLE contact_suppressions (
    key_hash          TEXT PRIMARY KEY,
    global_suppressed INTEGER NOT NULL,
    email_suppressed  INTEGER NOT NULL,
    mobile_suppressed INTEGER NOT NULL,
    suppressed_at     INTEGER NOT NULL   -- microseconds since the epoch of the last delete
) WITHOUT ROWID;
