//! Batched contact writes on PostgreSQL: the key owners a batch needs in one statement, and the
//! plan core's `plan_batch` made written with one statement per table, the rows travelling as
//! arrays (`unnest`), or through COPY from `copy_in::COPY_MIN_ROWS` rows. This is the path for
//! imports and batch API writes, where one statement per row would cost more than the work
//! itself; the script around it is `panorama-store-sql`'s `contacts_store.rs`.

use crate::convert::micros;
use crate::copy_in::{self, COPY_MIN_ROWS};
use crate::{PostgresDb, db};
use panorama_core::Result;
use panorama_core::contact::{BatchPlan, Contact, ContactId, KeyValue};
use panorama_core::event::Event;
use panorama_store_sql::consent;
use panorama_store_sql::{CONTACT_UPSERT, CONTACT_WRITE_COLUMNS};
use sqlx::{AssertSqlSafe, PgConnection};
use std::collections::HashMap;
use uuid::Uuid;

/// Contact rows in one statement. Arrays have no bind limit; this bounds one statement's memory.
pub const CONTACT_ROWS_PER_STATEMENT: usize = 10_000;

/// The contact holding each of `keys` that is stored: one statement for every attribute, the
/// `(attribute, value)` pairs joined against the primary key.
pub(crate) async fn key_owners<'k>(
    connection: &mut PgConnection,
    keys: impl Iterator<Item = &'k KeyValue>,
) -> Result<HashMap<KeyValue, ContactId>> {
    let mut keys: Vec<&KeyValue> = keys.collect();
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    keys.sort_unstable();
    keys.dedup();
    let attributes: Vec<&str> = keys.iter().map(|k| k.attribute.as_str()).collect();
    let values: Vec<&str> = keys.iter().map(|k| k.value.as_str()).collect();
    let rows: Vec<(String, String, Uuid)> = sqlx::query_as(
        "SELECT k.attribute, k.value, k.contact_id FROM contact_keys k
         JOIN unnest($1::text[], $2::text[]) AS wanted(attribute, value)
           ON k.attribute = wanted.attribute AND k.value = wanted.value",
    )
    .bind(attributes)
    .bind(values)
    .fetch_all(connection)
    .await
    .map_err(db)?;
    Ok(rows
        .into_iter()
        .map(|(attribute, value, id)| (KeyValue { attribute, value }, ContactId::from_uuid(id)))
        .collect())
}

/// Apply a batch plan inside the caller's write transaction: contacts first (events and keys refer
/// to them), then merges, keys, events and consent history. Contact writes and event ingest both
/// call it.
pub(crate) async fn apply(connection: &mut PgConnection, plan: &BatchPlan) -> Result<()> {
    if !plan.merged.is_empty() {
        panorama_store_sql::events::record_merges::<crate::PostgresDb>(connection, plan).await?;
    }
    let (new, stored): (Vec<&Contact>, Vec<&Contact>) = plan
        .write
        .iter()
        .partition(|contact| plan.new.contains(&contact.contact_id));
    for chunk in new.chunks(CONTACT_ROWS_PER_STATEMENT) {
        if chunk.len() >= COPY_MIN_ROWS {
            copy_in::writes::insert_new_contacts(connection, chunk).await?;
        } else {
            write_contacts(connection, chunk).await?;
        }
    }
    for chunk in stored.chunks(CONTACT_ROWS_PER_STATEMENT) {
        if chunk.len() >= COPY_MIN_ROWS {
            copy_in::writes::upsert_contacts(connection, chunk).await?;
        } else {
            write_contacts(connection, chunk).await?;
        }
    }
    crate::events::move_events(connection, &plan.merged).await?;
    panorama_store_sql::events::after_merges::<crate::PostgresDb>(connection, &plan.merged).await?;
    let merged: Vec<ContactId> = plan.merged.iter().map(|(id, _)| *id).collect();
    panorama_store_sql::delete_ids::<crate::PostgresDb>(connection, &merged).await?;
    if !plan.rekey.is_empty() {
        sqlx::query("DELETE FROM contact_keys WHERE contact_id = ANY($1::uuid[])")
            .bind(crate::lookup::uuids(&plan.rekey))
            .execute(&mut *connection)
            .await
            .map_err(db)?;
    }
    insert_keys(connection, &plan.keys).await?;
    record_events(connection, &plan.events).await
}

/// Write the consent of contacts whose consent alone changed (unsubscribes by key), and record
/// their events. Attributes are left as stored.
pub(crate) async fn write_and_record(
    connection: &mut PgConnection,
    contacts: &[Contact],
    events: &[Event],
) -> Result<()> {
    save_consent(connection, contacts).await?;
    record_events(connection, events).await
}

/// Insert events and the consent history they imply.
async fn record_events(connection: &mut PgConnection, events: &[Event]) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    crate::events::insert_events(connection, events).await?;
    consent::record_history::<PostgresDb>(connection, events).await
}

/// Insert key rows, one statement for all (COPY for many).
async fn insert_keys(connection: &mut PgConnection, keys: &[(KeyValue, ContactId)]) -> Result<()> {
    if keys.is_empty() {
        return Ok(());
    }
    if keys.len() >= COPY_MIN_ROWS {
        return copy_in::writes::insert_keys(connection, keys).await;
    }
    let attributes: Vec<&str> = keys.iter().map(|(k, _)| k.attribute.as_str()).collect();
    let values: Vec<&str> = keys.iter().map(|(k, _)| k.value.as_str()).collect();
    let ids = crate::lookup::uuids(keys.iter().map(|(_, id)| id));
    sqlx::query(
        "INSERT INTO contact_keys (attribute, value, contact_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[])",
    )
    .bind(attributes)
    .bind(values)
    .bind(ids)
    .execute(connection)
    .await
    .map_err(db)?;
    Ok(())
}

/// The contacts' columns as arrays, one per column, in the order the statements bind them.
#[derive(Default)]
struct Columns {
    contact_id: Vec<Uuid>,
    attributes: Vec<String>,
    is_real_name: Vec<bool>,
    is_wechat_fan: Vec<bool>,
    global_subscribed: Vec<bool>,
    global_changed_at: Vec<i64>,
    global_source: Vec<String>,
    email_subscribed: Vec<bool>,
    email_changed_at: Vec<i64>,
    email_source: Vec<String>,
    mobile_subscribed: Vec<bool>,
    mobile_changed_at: Vec<i64>,
    mobile_source: Vec<String>,
    created_at: Vec<i64>,
    updated_at: Vec<i64>,
}

impl Columns {
    /// The consent columns (and ids, times) of `contacts`; attributes and categories are left
    /// empty unless `whole`.
    fn of<'c>(contacts: impl IntoIterator<Item = &'c Contact>, whole: bool) -> Result<Self> {
        let mut columns = Self::default();
        for contact in contacts {
            let consent = &contact.subscription;
            columns.contact_id.push(contact.contact_id.uuid());
            if whole {
                let categories = contact.categories();
                columns.attributes.push(
                    serde_json::to_string(&contact.attributes)
                        .map_err(panorama_core::Error::internal)?,
                );
                columns.is_real_name.push(categories.real_name);
                columns.is_wechat_fan.push(categories.wechat_fan);
            }
            columns.global_subscribed.push(consent.global.subscribed);
            columns
                .global_changed_at
                .push(micros(consent.global.changed_at));
            columns.global_source.push(consent.global.source.clone());
            columns.email_subscribed.push(consent.email.subscribed);
            columns
                .email_changed_at
                .push(micros(consent.email.changed_at));
            columns.email_source.push(consent.email.source.clone());
            columns.mobile_subscribed.push(consent.mobile.subscribed);
            columns
                .mobile_changed_at
                .push(micros(consent.mobile.changed_at));
            columns.mobile_source.push(consent.mobile.source.clone());
            columns.created_at.push(micros(contact.created_at));
            columns.updated_at.push(micros(contact.updated_at));
        }
        Ok(columns)
    }
}

/// Insert or update whole contacts: one statement, each column one array ([`CONTACT_UPSERT`]).
/// The bounce columns are not written here: consent's own writes keep them.
async fn write_contacts(connection: &mut PgConnection, contacts: &[&Contact]) -> Result<()> {
    let columns = Columns::of(contacts.iter().copied(), true)?;
    let sql = format!(
        "INSERT INTO contacts ({CONTACT_WRITE_COLUMNS})
         SELECT contact_id, attributes::jsonb, is_real_name, is_wechat_fan,
            global_subscribed, global_changed_at, global_source, email_subscribed, email_changed_at,
            email_source, mobile_subscribed, mobile_changed_at, mobile_source, created_at, updated_at
         FROM unnest($1::uuid[], $2::text[], $3::bool[], $4::bool[], $5::bool[],
            $6::int8[], $7::text[], $8::bool[], $9::int8[], $10::text[], $11::bool[], $12::int8[],
            $13::text[], $14::int8[], $15::int8[]) AS given({CONTACT_WRITE_COLUMNS})
         {CONTACT_UPSERT}"
    );
    sqlx::query(AssertSqlSafe(sql))
        .bind(columns.contact_id)
        .bind(columns.attributes)
        .bind(columns.is_real_name)
        .bind(columns.is_wechat_fan)
        .bind(columns.global_subscribed)
        .bind(columns.global_changed_at)
        .bind(columns.global_source)
        .bind(columns.email_subscribed)
        .bind(columns.email_changed_at)
        .bind(columns.email_source)
        .bind(columns.mobile_subscribed)
        .bind(columns.mobile_changed_at)
        .bind(columns.mobile_source)
        .bind(columns.created_at)
        .bind(columns.updated_at)
        .execute(connection)
        .await
        .map_err(db)?;
    Ok(())
}

/// Save stored contacts' channel consent and update time, one statement for all.
async fn save_consent(connection: &mut PgConnection, contacts: &[Contact]) -> Result<()> {
    if contacts.is_empty() {
        return Ok(());
    }
    let columns = Columns::of(contacts, false)?;
    sqlx::query(
        "UPDATE contacts SET global_subscribed = given.global_subscribed,
            global_changed_at = given.global_changed_at, global_source = given.global_source,
            email_subscribed = given.email_subscribed, email_changed_at = given.email_changed_at,
            email_source = given.email_source, mobile_subscribed = given.mobile_subscribed,
            mobile_changed_at = given.mobile_changed_at, mobile_source = given.mobile_source,
            updated_at = given.updated_at
         FROM unnest($1::uuid[], $2::bool[], $3::int8[], $4::text[], $5::bool[], $6::int8[],
            $7::text[], $8::bool[], $9::int8[], $10::text[], $11::int8[])
            AS given(contact_id, global_subscribed, global_changed_at, global_source,
                email_subscribed, email_changed_at, email_source, mobile_subscribed,
                mobile_changed_at, mobile_source, updated_at)
         WHERE contacts.contact_id = given.contact_id",
    )
    .bind(columns.contact_id)
    .bind(columns.global_subscribed)
    .bind(columns.global_changed_at)
    .bind(columns.global_source)
    .bind(columns.email_subscribed)
    .bind(columns.email_changed_at)
    .bind(columns.email_source)
    .bind(columns.mobile_subscribed)
    .bind(columns.mobile_changed_at)
    .bind(columns.mobile_source)
    .bind(columns.updated_at)
    .execute(connection)
    .await
    .map_err(db)?;
    Ok(())
}
