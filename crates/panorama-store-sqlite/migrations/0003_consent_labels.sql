-- Consent history, hard bounces, contact labels in groups, WeChat official accounts, fans and
-- follower labels (issue 7). Every contact-owned table is keyed by contact_id first or carries it
-- with ON DELETE CASCADE, so deleting a contact removes its labels and consent history; merges
-- move them (`owned.rs`).

-- The last hard bounce: undeliverable while the contact's email is still this address. Written
-- only by the consent path; contact writes leave these columns alone.
ALTER TABLE contacts ADD COLUMN email_bounced_address TEXT;
ALTER TABLE contacts ADD COLUMN email_bounced_at INTEGER;

-- Every consent change of a contact: explicit opt-ins and opt-outs with their source and consent
-- note, unsubscribes by records, merges and events, and hard bounces. `entry_id` is the id of the
-- event that recorded the change.
CREATE TABLE consent_history (
    contact_id TEXT NOT NULL REFERENCES contacts (contact_id) ON DELETE CASCADE,
    changed_at INTEGER NOT NULL,
    entry_id   TEXT NOT NULL,
    channel    TEXT NOT NULL,   -- global | email | mobile
    change     TEXT NOT NULL,   -- subscribed | unsubscribed | undeliverable
    source     TEXT NOT NULL,
    consent    TEXT,            -- what the person agreed to; required for subscribed by the API
    actor      TEXT,            -- user or API key of an explicit change
    PRIMARY KEY (contact_id, changed_at, entry_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX consent_history_entry ON consent_history (entry_id);

-- Label groups nest up to four levels (core's LABEL_GROUP_DEPTH_MAX checks it).
CREATE TABLE label_groups (
    group_id   INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    parent_id  INTEGER REFERENCES label_groups (group_id),
    depth      INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE labels (
    label_id   INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    group_id   INTEGER REFERENCES label_groups (group_id),
    hidden     INTEGER NOT NULL DEFAULT 0,
    -- Contacts carrying it, in all and per category tab, kept by the triggers below.
    contacts            INTEGER NOT NULL DEFAULT 0,
    real_name_contacts  INTEGER NOT NULL DEFAULT 0,
    wechat_fan_contacts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

-- Labels on contacts. The key starts with the label and the contact's creation time, so the label
-- filter reads its newest-first page from one index range. The contact's created_at never changes
-- and its categories are copied here (a trigger follows changes), so a category tab narrows the
-- range without a join; a merge moves rows to the survivor and rewrites both.
CREATE TABLE contact_labels (
    label_id           INTEGER NOT NULL REFERENCES labels (label_id) ON DELETE CASCADE,
    contact_created_at INTEGER NOT NULL,
    contact_id         TEXT NOT NULL REFERENCES contacts (contact_id) ON DELETE CASCADE,
    is_real_name       INTEGER NOT NULL,
    is_wechat_fan      INTEGER NOT NULL,
    added_at           INTEGER NOT NULL,
    PRIMARY KEY (label_id, contact_created_at, contact_id)
) WITHOUT ROWID;
CREATE INDEX contact_labels_contact ON contact_labels (contact_id, label_id);

-- Exact counts per label, kept in the writing transaction so the filtered list reads its total
-- from one row. Every way a row goes (remove, label or contact deleted, the loser of a merge) is a
-- DELETE on this table, cascades included, so these triggers see them all.
CREATE TRIGGER contact_labels_counted AFTER INSERT ON contact_labels
BEGIN
    UPDATE labels SET contacts = contacts + 1,
        real_name_contacts = real_name_contacts + NEW.is_real_name,
        wechat_fan_contacts = wechat_fan_contacts + NEW.is_wechat_fan
    WHERE label_id = NEW.label_id;
END;
CREATE TRIGGER contact_labels_uncounted AFTER DELETE ON contact_labels
BEGIN
    UPDATE labels SET contacts = contacts - 1,
        real_name_contacts = real_name_contacts - OLD.is_real_name,
        wechat_fan_contacts = wechat_fan_contacts - OLD.is_wechat_fan
    WHERE label_id = OLD.label_id;
END;
CREATE TRIGGER contact_labels_recounted AFTER UPDATE OF is_real_name, is_wechat_fan ON contact_labels
BEGIN
    UPDATE labels SET
        real_name_contacts = real_name_contacts - OLD.is_real_name + NEW.is_real_name,
        wechat_fan_contacts = wechat_fan_contacts - OLD.is_wechat_fan + NEW.is_wechat_fan
    WHERE label_id = NEW.label_id;
END;
-- A contact whose categories change (a mobile added, an openid cleared) carries them to its labels.
CREATE TRIGGER contacts_categories_to_labels AFTER UPDATE OF is_real_name, is_wechat_fan ON contacts
WHEN OLD.is_real_name IS NOT NEW.is_real_name OR OLD.is_wechat_fan IS NOT NEW.is_wechat_fan
BEGIN
    UPDATE contact_labels SET is_real_name = NEW.is_real_name, is_wechat_fan = NEW.is_wechat_fan
    WHERE contact_id = NEW.contact_id;
END;

CREATE TABLE wechat_accounts (
    app_id     TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- A contact as the fan of one account; openids are unique per account.
CREATE TABLE wechat_fans (
    contact_id TEXT NOT NULL REFERENCES contacts (contact_id) ON DELETE CASCADE,
    app_id     TEXT NOT NULL REFERENCES wechat_accounts (app_id) ON DELETE CASCADE,
    openid     TEXT NOT NULL,
    following  INTEGER NOT NULL,
    changed_at INTEGER NOT NULL,
    PRIMARY KEY (contact_id, app_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX wechat_fans_openid ON wechat_fans (app_id, openid);

CREATE TABLE follower_labels (
    label_id   INTEGER PRIMARY KEY,
    app_id     TEXT NOT NULL REFERENCES wechat_accounts (app_id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX follower_labels_name ON follower_labels (app_id, name);

CREATE TABLE fan_labels (
    contact_id TEXT NOT NULL,
    app_id     TEXT NOT NULL,
    label_id   INTEGER NOT NULL REFERENCES follower_labels (label_id) ON DELETE CASCADE,
    added_at   INTEGER NOT NULL,
    PRIMARY KEY (contact_id, app_id, label_id),
    FOREIGN KEY (contact_id, app_id) REFERENCES wechat_fans (contact_id, app_id)
        ON DELETE CASCADE ON UPDATE CASCADE  -- a merge moves the fan, and its labels with it
) WITHOUT ROWID;
CREATE INDEX fan_labels_label ON fan_labels (label_id);
