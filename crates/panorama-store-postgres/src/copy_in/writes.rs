//! The big writes of a batch through COPY: contacts through a staging table (an upsert needs
//! `ON CONFLICT`, which COPY lacks), key rows and events straight into their tables (their rows
//! are known new: keys of rewritten contacts were just deleted, event ids were just claimed).
//! Callers use these at [`super::COPY_MIN_ROWS`] rows and more, and their array statements below.

use super::{CopyRows, copy_in};
use crate::convert::micros;
use crate::db;
use panorama_core::contact::{Contact, ContactId, KeyValue};
use panorama_core::event::Event;
use panorama_core::{Error, Result};
use sqlx::PgConnection;
use std::collections::HashSet;
use uuid::Uuid;

/// The contact columns a write sets, in COPY's order. The bounce columns are consent's own.
const CONTACT_COLUMNS: &str = "contact_id, attributes, is_real_name, is_wechat_fan,
    global_subscribed, global_changed_at, global_source, email_subscribed, email_changed_at,
    email_source, mobile_subscribed, mobile_changed_at, mobile_source, created_at, updated_at";

/// Memory a batch statement may use for its sorts and hashes (the default 4 MB spills a batch's
/// upsert from the staging table to disk).
const BATCH_WORK_MEM: &str = "64MB";

/// Contacts as COPY rows of [`CONTACT_COLUMNS`].
fn contact_rows(contacts: &[&Contact]) -> Result<CopyRows> {
    let mut rows = CopyRows::with_capacity(contacts.len(), 768);
    for contact in contacts {
        let consent = &contact.subscription;
        let categories = contact.categories();
        let attributes = serde_json::to_string(&contact.attributes).map_err(Error::internal)?;
        rows.uuid(contact.contact_id.uuid())
            .text(&attributes)
            .boolean(categories.real_name)
            .boolean(categories.wechat_fan);
        for channel in [&consent.global, &consent.email, &consent.mobile] {
            rows.boolean(channel.subscribed)
                .int(micros(channel.changed_at))
                .text(&channel.source);
        }
        rows.int(micros(contact.created_at))
            .int(micros(contact.updated_at))
            .end_row();
    }
    Ok(rows)
}

/// Insert contacts that were not stored before their batch (`BatchPlan::new`) straight into
/// `contacts`: their ids are new, so no row can conflict, and the staging table and upsert of
/// [`upsert_contacts`] would only double the work.
pub(crate) async fn insert_new_contacts(
    connection: &mut PgConnection,
    contacts: &[&Contact],
) -> Result<()> {
    let rows = contact_rows(contacts)?;
    copy_in(
        connection,
        &format!("COPY contacts ({CONTACT_COLUMNS}) FROM STDIN"),
        &rows,
    )
    .await?;
    Ok(())
}

/// Insert or update whole contacts: COPY into a temporary staging table, then one upsert from it.
/// An upsert rather than delete-and-insert, which would cascade to keys and events.
pub(crate) async fn upsert_contacts(
    connection: &mut PgConnection,
    contacts: &[&Contact],
) -> Result<()> {
    let rows = contact_rows(contacts)?;
    // Dropped at the end of this call too, so a transaction may write several chunks; ON COMMIT
    // DROP covers a transaction that fails half-way.
    let setup = format!(
        "SET LOCAL work_mem = '{BATCH_WORK_MEM}';
         CREATE TEMP TABLE contacts_staging (LIKE contacts) ON COMMIT DROP"
    );
    sqlx::raw_sql(sqlx::AssertSqlSafe(setup))
        .execute(&mut *connection)
        .await
        .map_err(db)?;
    copy_in(
        connection,
        &format!("COPY contacts_staging ({CONTACT_COLUMNS}) FROM STDIN"),
        &rows,
    )
    .await?;
    let upsert = format!(
        "INSERT INTO contacts ({CONTACT_COLUMNS}) SELECT {CONTACT_COLUMNS} FROM contacts_staging
         ON CONFLICT (contact_id) DO UPDATE SET attributes = excluded.attributes,
            is_real_name = excluded.is_real_name, is_wechat_fan = excluded.is_wechat_fan,
            global_subscribed = excluded.global_subscribed, global_changed_at = excluded.global_changed_at,
            global_source = excluded.global_source, email_subscribed = excluded.email_subscribed,
            email_changed_at = excluded.email_changed_at, email_source = excluded.email_source,
            mobile_subscribed = excluded.mobile_subscribed, mobile_changed_at = excluded.mobile_changed_at,
            mobile_source = excluded.mobile_source, updated_at = excluded.updated_at;
         DROP TABLE contacts_staging"
    );
    sqlx::raw_sql(sqlx::AssertSqlSafe(upsert))
        .execute(connection)
        .await
        .map_err(db)?;
    Ok(())
}

/// Insert key rows that are known new (each batch deletes a rewritten contact's keys first, and
/// the plan holds each value once), straight into `contact_keys`.
pub(crate) async fn insert_keys(
    connection: &mut PgConnection,
    keys: &[(KeyValue, ContactId)],
) -> Result<()> {
    let mut rows = CopyRows::with_capacity(keys.len(), 96);
    for (key, contact_id) in keys {
        rows.text(&key.attribute)
            .text(&key.value)
            .uuid(contact_id.uuid())
            .end_row();
    }
    copy_in(
        connection,
        "COPY contact_keys (attribute, value, contact_id) FROM STDIN",
        &rows,
    )
    .await?;
    Ok(())
}

/// Insert events with distinct ids: claim the ids in `event_ids` with one array statement (an id
/// already stored is not claimed and its event is skipped), then COPY the claimed events straight
/// into `events`, whose rows are new once their ids are. How many rows were inserted.
pub(crate) async fn insert_events(
    connection: &mut PgConnection,
    events: &[&Event],
    received_at: i64,
) -> Result<u64> {
    let ids: Vec<&str> = events.iter().map(|e| e.event_id.as_str()).collect();
    let contact_ids: Vec<Uuid> = events.iter().map(|e| e.contact_id.uuid()).collect();
    let claimed: Vec<String> = sqlx::query_scalar(
        "INSERT INTO event_ids (event_id, contact_id)
         SELECT * FROM unnest($1::text[], $2::uuid[])
         ON CONFLICT DO NOTHING RETURNING event_id",
    )
    .bind(ids)
    .bind(contact_ids)
    .fetch_all(&mut *connection)
    .await
    .map_err(db)?;
    // Usually every id is claimed; a set only when some were not.
    let claimed: Option<HashSet<String>> =
        (claimed.len() < events.len()).then(|| claimed.into_iter().collect());
    let mut rows = CopyRows::with_capacity(events.len(), 192);
    for event in events {
        if claimed
            .as_ref()
            .is_some_and(|set| !set.contains(&event.event_id))
        {
            continue;
        }
        let properties = serde_json::to_string(&event.properties).map_err(Error::internal)?;
        rows.uuid(event.contact_id.uuid())
            .int(micros(event.occurred_at))
            .text(&event.event_id)
            .text(&event.event)
            .text(&properties)
            .int(received_at)
            .end_row();
    }
    if rows.rows() == 0 {
        return Ok(0);
    }
    copy_in(
        connection,
        "COPY events (contact_id, occurred_at, event_id, event, properties, received_at)
         FROM STDIN",
        &rows,
    )
    .await?;
    Ok(u64::try_from(rows.rows()).unwrap_or(u64::MAX))
}
