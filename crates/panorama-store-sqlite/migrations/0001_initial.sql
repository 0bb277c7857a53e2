-- Panorama's embedded schema. Times are integer microseconds since the Unix epoch; ids are
-- UUID v7 text, so they sort by creation time. Preset definitions are inserted by the store's
-- `migrate` from panorama-core's lists, so one list serves every backend.

-- Contact attribute definitions (PRODUCT.md §1).
CREATE TABLE attributes (
    name           TEXT PRIMARY KEY,
    display_name   TEXT NOT NULL,
    attribute_type TEXT NOT NULL,
    max_length     INTEGER,
    scale          INTEGER,
    enum_values    TEXT NOT NULL DEFAULT '[]',  -- JSON array
    nullable       INTEGER NOT NULL,
    default_value  TEXT,                        -- JSON, canonical form
    primary_key    INTEGER NOT NULL,
    preset         INTEGER NOT NULL,
    searchable     INTEGER NOT NULL,
    sortable       INTEGER NOT NULL,
    computed       INTEGER NOT NULL,
    position       INTEGER NOT NULL             -- display order
);

-- Event definitions; their typed attributes are a JSON array, read whole with the definition.
CREATE TABLE event_definitions (
    key          TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    group_name   TEXT NOT NULL,
    preset       INTEGER NOT NULL,
    attributes   TEXT NOT NULL,
    position     INTEGER NOT NULL
);

-- One row per contact. Values live in one JSON object keyed by attribute name; categories and
-- consent are columns so that lists and campaign filters can use indexes.
CREATE TABLE contacts (
    contact_id        TEXT PRIMARY KEY,
    attributes        TEXT NOT NULL,
    is_real_name      INTEGER NOT NULL,
    is_wechat_fan     INTEGER NOT NULL,
    global_subscribed INTEGER NOT NULL,
    global_changed_at INTEGER NOT NULL,
    global_source     TEXT NOT NULL,
    email_subscribed  INTEGER NOT NULL,
    email_changed_at  INTEGER NOT NULL,
    email_source      TEXT NOT NULL,
    mobile_subscribed INTEGER NOT NULL,
    mobile_changed_at INTEGER NOT NULL,
    mobile_source     TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX contacts_created_at ON contacts (created_at);
CREATE INDEX contacts_real_name ON contacts (is_real_name, created_at);
CREATE INDEX contacts_wechat_fan ON contacts (is_wechat_fan, created_at);

-- The identity index: every key value (matching form) points at exactly one contact. The primary
-- key is what makes "one contact per key value" hold under concurrent writers.
CREATE TABLE contact_keys (
    attribute  TEXT NOT NULL,
    value      TEXT NOT NULL,
    contact_id TEXT NOT NULL REFERENCES contacts (contact_id) ON DELETE CASCADE,
    PRIMARY KEY (attribute, value)
) WITHOUT ROWID;
CREATE INDEX contact_keys_contact ON contact_keys (contact_id);

-- Events, clustered by contact then time so one contact's timeline is one range read.
CREATE TABLE events (
    contact_id  TEXT NOT NULL REFERENCES contacts (contact_id) ON DELETE CASCADE,
    occurred_at INTEGER NOT NULL,
    event_id    TEXT NOT NULL,
    event       TEXT NOT NULL,
    properties  TEXT NOT NULL,  -- JSON object
    received_at INTEGER NOT NULL,
    PRIMARY KEY (contact_id, occurred_at, event_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX events_event_id ON events (event_id);
