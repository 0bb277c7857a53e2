-- Panorama's PostgreSQL schema: the same tables as the embedded store, in PostgreSQL's types.
-- Times are bigint microseconds since the Unix epoch; ids Panorama makes are uuid (v7, so they
-- sort by creation time); event ids come from callers and stay text; JSON is jsonb.
--
-- Citus: contact-owned tables all carry `contact_id` so they can be distributed on it (contacts,
-- contact_keys, contact_anonymous_ids, events, event_ids, consent_history, contact_labels,
-- wechat_fans, fan_labels); metadata tables (attributes, event_definitions, label groups and
-- labels, accounts, users, keys, jobs, views) are small and become reference tables. ARCHITECTURE.md
-- says how.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Contact attribute definitions (PRODUCT.md §1). Presets are inserted by `migrate` from
-- panorama-core's lists, so one list serves every backend.
CREATE TABLE attributes (
    name           text PRIMARY KEY,
    display_name   text NOT NULL,
    attribute_type text NOT NULL,
    max_length     bigint,
    scale          bigint,
    enum_values    jsonb NOT NULL DEFAULT '[]',
    nullable       boolean NOT NULL,
    default_value  jsonb,
    primary_key    boolean NOT NULL,
    preset         boolean NOT NULL,
    searchable     boolean NOT NULL,
    sortable       boolean NOT NULL,
    computed       boolean NOT NULL,
    position       bigint NOT NULL
);

CREATE TABLE event_definitions (
    key          text PRIMARY KEY,
    display_name text NOT NULL,
    group_name   text NOT NULL,
    preset       boolean NOT NULL,
    attributes   jsonb NOT NULL,
    position     bigint NOT NULL
);

-- One row per contact; values in one jsonb object keyed by attribute name. `search_text` holds
-- the searchable values as a person sees them, lower-cased and joined by a newline, kept by the
-- store on every write; its trigram index answers keywords of three characters and more.
CREATE TABLE contacts (
    contact_id            uuid PRIMARY KEY,
    attributes            jsonb NOT NULL,
    search_text           text NOT NULL DEFAULT '',
    is_real_name          boolean NOT NULL,
    is_wechat_fan         boolean NOT NULL,
    global_subscribed     boolean NOT NULL,
    global_changed_at     bigint NOT NULL,
    global_source         text NOT NULL,
    email_subscribed      boolean NOT NULL,
    email_changed_at      bigint NOT NULL,
    email_source          text NOT NULL,
    mobile_subscribed     boolean NOT NULL,
    mobile_changed_at     bigint NOT NULL,
    mobile_source         text NOT NULL,
    email_bounced_address text,
    email_bounced_at      bigint,
    created_at            bigint NOT NULL,
    updated_at            bigint NOT NULL
);
-- The list's default order is (created_at DESC, contact_id DESC); each category has its own.
CREATE INDEX contacts_created_at ON contacts (created_at, contact_id);
CREATE INDEX contacts_real_name ON contacts (is_real_name, created_at, contact_id);
CREATE INDEX contacts_wechat_fan ON contacts (is_wechat_fan, created_at, contact_id);
CREATE INDEX contacts_search ON contacts USING gin (search_text gin_trgm_ops);

-- The identity index: every key value (matching form) points at exactly one contact.
-- No foreign key, as for events below: its per-row check was the largest cost of an import's key
-- writes; `contacts_delete_events` cascades deletes.
CREATE TABLE contact_keys (
    attribute  text NOT NULL,
    value      text NOT NULL,
    contact_id uuid NOT NULL,
    PRIMARY KEY (attribute, value)
);
CREATE INDEX contact_keys_contact ON contact_keys (contact_id);

-- Anonymous ids (device or cookie ids); a merge moves them to the survivor.
CREATE TABLE contact_anonymous_ids (
    anonymous_id text PRIMARY KEY,
    contact_id   uuid NOT NULL REFERENCES contacts (contact_id) ON DELETE CASCADE
);
CREATE INDEX contact_anonymous_ids_contact ON contact_anonymous_ids (contact_id);

-- Events, the table that grows without bound, are hash-partitioned by contact: one contact's
-- timeline is one index range in one partition, each partition's indexes stay a sixteenth of
-- the whole (inserts touch smaller B-trees), and a partition can be moved, vacuumed or reindexed
-- alone. Time partitioning was the alternative: it would make the timeline, the hot read, probe
-- every period's index. The same column is Citus's distribution column.
-- No foreign key to contacts here or in `event_ids`: its check locks the contact row once per
-- inserted event (a WAL record each), which took half of ingest's insert time. Every write holds
-- the store's write lock and inserts events only for contacts it just read or wrote, and
-- `contacts_delete_events` below stands in for ON DELETE CASCADE, once per statement.
CREATE TABLE events (
    contact_id  uuid NOT NULL,
    occurred_at bigint NOT NULL,
    event_id    text NOT NULL,
    event       text NOT NULL,
    properties  jsonb NOT NULL,
    received_at bigint NOT NULL,
    PRIMARY KEY (contact_id, occurred_at, event_id)
) PARTITION BY HASH (contact_id);
DO $$
BEGIN
    FOR remainder IN 0..15 LOOP
        EXECUTE format(
            'CREATE TABLE events_%s PARTITION OF events FOR VALUES WITH (MODULUS 16, REMAINDER %s)',
            remainder, remainder);
    END LOOP;
END $$;
CREATE INDEX events_orders ON events (contact_id, occurred_at) WHERE event IN ('order', 'order_detail');

-- A partitioned table cannot hold a unique index without its partition key, so "an event id is
-- ingested once" lives here: ingest inserts the ids first (ON CONFLICT DO NOTHING tells which are
-- new). INVARIANT: every statement that moves events to another contact (merges, undoing one)
-- moves their rows here too; deleting a contact deletes both (`contacts_delete_events`).
CREATE TABLE event_ids (
    event_id   text PRIMARY KEY,
    contact_id uuid NOT NULL
);
CREATE INDEX event_ids_contact ON event_ids (contact_id);

-- The cascade of deleted contacts to their keys, events and event ids, once per DELETE statement.
CREATE FUNCTION contacts_delete_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM events WHERE contact_id IN (SELECT contact_id FROM deleted);
    DELETE FROM event_ids WHERE contact_id IN (SELECT contact_id FROM deleted);
    DELETE FROM contact_keys WHERE contact_id IN (SELECT contact_id FROM deleted);
    RETURN NULL;
END $$;
CREATE TRIGGER contacts_delete_events AFTER DELETE ON contacts
    REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION contacts_delete_events();

-- Consent history (PRODUCT.md §3.2).
CREATE TABLE consent_history (
    contact_id uuid NOT NULL REFERENCES contacts (contact_id) ON DELETE CASCADE,
    changed_at bigint NOT NULL,
    entry_id   text NOT NULL UNIQUE,
    channel    text NOT NULL,
    change     text NOT NULL,
    source     text NOT NULL,
    consent    text,
    actor      text,
    PRIMARY KEY (contact_id, changed_at, entry_id)
);

CREATE TABLE label_groups (
    group_id   bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name       text NOT NULL,
    parent_id  bigint REFERENCES label_groups (group_id),
    depth      bigint NOT NULL,
    created_at bigint NOT NULL
);

CREATE TABLE labels (
    label_id   bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    name       text NOT NULL,
    group_id   bigint REFERENCES label_groups (group_id),
    hidden     boolean NOT NULL DEFAULT false,
    -- Contacts carrying it, in all and per category tab, kept by the triggers below.
    contacts            bigint NOT NULL DEFAULT 0,
    real_name_contacts  bigint NOT NULL DEFAULT 0,
    wechat_fan_contacts bigint NOT NULL DEFAULT 0,
    created_at bigint NOT NULL
);

CREATE TABLE contact_labels (
    label_id           bigint NOT NULL REFERENCES labels (label_id) ON DELETE CASCADE,
    contact_created_at bigint NOT NULL,
    contact_id         uuid NOT NULL REFERENCES contacts (contact_id) ON DELETE CASCADE,
    is_real_name       boolean NOT NULL,
    is_wechat_fan      boolean NOT NULL,
    added_at           bigint NOT NULL,
    PRIMARY KEY (label_id, contact_created_at, contact_id)
);
CREATE INDEX contact_labels_contact ON contact_labels (contact_id, label_id);

-- Label counters follow contact_labels rows, whoever writes them (the same rules as SQLite's
-- triggers in panorama-store-sqlite/migrations/0003).
CREATE FUNCTION contact_labels_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE labels SET contacts = contacts - 1,
            real_name_contacts = real_name_contacts - OLD.is_real_name::int,
            wechat_fan_contacts = wechat_fan_contacts - OLD.is_wechat_fan::int
        WHERE label_id = OLD.label_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE labels SET contacts = contacts + 1,
            real_name_contacts = real_name_contacts + NEW.is_real_name::int,
            wechat_fan_contacts = wechat_fan_contacts + NEW.is_wechat_fan::int
        WHERE label_id = NEW.label_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER contact_labels_counted AFTER INSERT OR DELETE OR UPDATE ON contact_labels
    FOR EACH ROW EXECUTE FUNCTION contact_labels_count();

CREATE FUNCTION contacts_categories_to_labels() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE contact_labels SET is_real_name = NEW.is_real_name, is_wechat_fan = NEW.is_wechat_fan
    WHERE contact_id = NEW.contact_id;
    RETURN NULL;
END $$;
CREATE TRIGGER contacts_categories_to_labels AFTER UPDATE OF is_real_name, is_wechat_fan ON contacts
    FOR EACH ROW
    WHEN (OLD.is_real_name IS DISTINCT FROM NEW.is_real_name OR OLD.is_wechat_fan IS DISTINCT FROM NEW.is_wechat_fan)
    EXECUTE FUNCTION contacts_categories_to_labels();

CREATE TABLE wechat_accounts (
    app_id     text PRIMARY KEY,
    name       text NOT NULL,
    created_at bigint NOT NULL
);

CREATE TABLE wechat_fans (
    contact_id uuid NOT NULL REFERENCES contacts (contact_id) ON DELETE CASCADE,
    app_id     text NOT NULL REFERENCES wechat_accounts (app_id) ON DELETE CASCADE,
    openid     text NOT NULL,
    following  boolean NOT NULL,
    changed_at bigint NOT NULL,
    PRIMARY KEY (contact_id, app_id),
    UNIQUE (app_id, openid)
);

CREATE TABLE follower_labels (
    label_id   bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    app_id     text NOT NULL REFERENCES wechat_accounts (app_id) ON DELETE CASCADE,
    name       text NOT NULL,
    created_at bigint NOT NULL,
    UNIQUE (app_id, name)
);

CREATE TABLE fan_labels (
    contact_id uuid NOT NULL,
    app_id     text NOT NULL,
    label_id   bigint NOT NULL REFERENCES follower_labels (label_id) ON DELETE CASCADE,
    added_at   bigint NOT NULL,
    PRIMARY KEY (contact_id, app_id, label_id),
    FOREIGN KEY (contact_id, app_id) REFERENCES wechat_fans (contact_id, app_id)
        ON DELETE CASCADE ON UPDATE CASCADE  -- a merge moves the fan, and its labels with it
);
CREATE INDEX fan_labels_label ON fan_labels (label_id);

-- Jobs: long work recorded in the database, so a restarted server reports it and several servers
-- share the queue. `claimed_by`/`claimed_until` is the lease of the server running it.
CREATE TABLE jobs (
    job_id        uuid PRIMARY KEY,
    kind          text NOT NULL,
    state         text NOT NULL,
    file_name     text NOT NULL,
    purpose       text NOT NULL,
    options       jsonb NOT NULL,
    actor         text NOT NULL,
    created_at    bigint NOT NULL,
    started_at    bigint,
    finished_at   bigint,
    rows_done     bigint NOT NULL DEFAULT 0,
    rows_total    bigint,
    counts        jsonb NOT NULL DEFAULT '{}',
    error         text,
    preview       jsonb,
    claimed_by    text,
    claimed_until bigint
);
CREATE INDEX jobs_kind_created ON jobs (kind, created_at);
-- Workers look for claimable jobs every few seconds: only queued and running ones, oldest first.
CREATE INDEX jobs_claimable ON jobs (created_at, job_id) WHERE state IN ('queued', 'running');

CREATE TABLE job_rejections (
    job_id  uuid NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE,
    row     bigint NOT NULL,
    "column" text NOT NULL,
    value   text NOT NULL,
    code    text NOT NULL,
    reason  text NOT NULL,
    cells   jsonb NOT NULL,
    PRIMARY KEY (job_id, row)
);

-- Merge records: what a merge folded together, so a wrong merge can be undone while neither side
-- changed since (see panorama-store-sqlite/migrations/0005 for each column).
CREATE TABLE merges (
    merge_id            text PRIMARY KEY,
    survivor_id         uuid NOT NULL,
    merged_id           uuid NOT NULL,
    merged_at           bigint NOT NULL,
    survivor_updated_at bigint,
    merged_row          jsonb NOT NULL,
    survivor_row        jsonb,
    owned_rows          jsonb NOT NULL,
    event_ids           jsonb NOT NULL,
    anonymous_ids       jsonb NOT NULL,
    undone_at           bigint
);
CREATE INDEX merges_survivor ON merges (survivor_id);
CREATE INDEX merges_merged ON merges (merged_id);

CREATE TABLE views (
    user_name  text NOT NULL,
    view       text NOT NULL,
    columns    jsonb NOT NULL,
    updated_at bigint NOT NULL,
    PRIMARY KEY (user_name, view)
);

CREATE TABLE users (
    user_id         uuid PRIMARY KEY,
    name            text NOT NULL UNIQUE,
    role            text NOT NULL CHECK (role IN ('admin', 'marketer', 'viewer')),
    may_reveal      boolean NOT NULL DEFAULT false,
    password_hash   text NOT NULL,
    failed_sign_ins bigint NOT NULL DEFAULT 0,
    locked_until    bigint,
    created_at      bigint NOT NULL,
    updated_at      bigint NOT NULL
);

CREATE TABLE sessions (
    token_hash text PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_keys (
    key_id     uuid PRIMARY KEY,
    name       text NOT NULL UNIQUE,
    role       text NOT NULL CHECK (role IN ('admin', 'marketer', 'viewer')),
    key_hash   text NOT NULL UNIQUE,
    shown      text NOT NULL,
    created_by text NOT NULL,
    created_at bigint NOT NULL,
    revoked_at bigint
);

CREATE TABLE audit_log (
    entry_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       bigint NOT NULL,
    actor    text NOT NULL,
    action   text NOT NULL,
    target   text,
    detail   jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_action ON audit_log (action, entry_id);
CREATE INDEX audit_log_actor ON audit_log (actor, entry_id);

-- Entries are evidence: the database itself refuses to change or remove one, whatever the caller.
CREATE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit entries cannot be changed or removed';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse();
