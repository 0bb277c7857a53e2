//! Event rows written on PostgreSQL: with the contact change that caused them or by ingest, each
//! id claimed in `event_ids` first (the partitioned `events` cannot hold a unique index), the rows
//! travelling as arrays or through COPY; and moved with their id rows when a merge folds one
//! contact into another. Reads are `panorama-store-sql`'s `events/read.rs`.

use crate::convert::micros;
use crate::db;
use panorama_core::Result;
use panorama_core::contact::ContactId;
use panorama_core::event::Event;
use serde_json::{Map, Value};
use sqlx::PgConnection;
use sqlx::types::Json;
use std::collections::HashSet;
use uuid::Uuid;

/// Events per insert statement: the rows travel as six arrays, so this bounds one message's size,
/// not the bind parameters.
pub const EVENT_ROWS_PER_STATEMENT: usize = 10_000;

/// Insert events; an `event_id` already stored (or repeated in `events`) changes nothing.
///
/// `events` is partitioned by contact and cannot hold a unique index on `event_id`, so one
/// statement first claims the ids in `event_ids` (`ON CONFLICT DO NOTHING RETURNING`) and inserts
/// into `events` only the rows whose id it claimed: a repeated ingest never doubles an event.
/// Large chunks claim the same way and then COPY the claimed rows (`copy_in::writes`).
pub(crate) async fn insert_events(connection: &mut PgConnection, events: &[Event]) -> Result<()> {
    insert_counted(connection, events).await.map(drop)
}

/// [`insert_events`], answering how many rows were inserted.
pub(crate) async fn insert_counted(connection: &mut PgConnection, events: &[Event]) -> Result<u64> {
    if events.is_empty() {
        return Ok(0);
    }
    let mut inserted = 0;
    let received_at = micros(jiff::Timestamp::now());
    // The first of several events with one id wins, as it would with a unique index.
    let mut seen: HashSet<&str> = HashSet::with_capacity(events.len());
    let mut rows: Vec<&Event> = events
        .iter()
        .filter(|e| seen.insert(e.event_id.as_str()))
        .collect();
    // In the table's key order, so consecutive rows land on the same pages.
    rows.sort_unstable_by_key(|e| (e.contact_id, e.occurred_at));
    for chunk in rows.chunks(EVENT_ROWS_PER_STATEMENT) {
        if chunk.len() >= crate::copy_in::COPY_MIN_ROWS {
            inserted +=
                crate::copy_in::writes::insert_events(connection, chunk, received_at).await?;
            continue;
        }
        let contact_ids: Vec<Uuid> = chunk.iter().map(|e| e.contact_id.uuid()).collect();
        let occurred_at: Vec<i64> = chunk.iter().map(|e| micros(e.occurred_at)).collect();
        let event_ids: Vec<&str> = chunk.iter().map(|e| e.event_id.as_str()).collect();
        let keys: Vec<&str> = chunk.iter().map(|e| e.event.as_str()).collect();
        let properties: Vec<Json<&Map<String, Value>>> =
            chunk.iter().map(|e| Json(&e.properties)).collect();
        inserted += sqlx::query(
            "WITH input AS (
                SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::jsonb[])
                    AS input (contact_id, occurred_at, event_id, event, properties)
             ), claimed AS (
                INSERT INTO event_ids (event_id, contact_id) SELECT event_id, contact_id FROM input
                ON CONFLICT DO NOTHING RETURNING event_id
             )
             INSERT INTO events (contact_id, occurred_at, event_id, event, properties, received_at)
             SELECT input.contact_id, input.occurred_at, input.event_id, input.event, input.properties, $6
             FROM input JOIN claimed USING (event_id)",
        )
        .bind(contact_ids)
        .bind(occurred_at)
        .bind(event_ids)
        .bind(keys)
        .bind(properties)
        .bind(received_at)
        .execute(&mut *connection)
        .await
        .map_err(db)?
        .rows_affected();
    }
    Ok(inserted)
}

/// Move events from each merged contact to its holder, keeping the schema's invariant that
/// `event_ids` names the contact each event belongs to: both tables move in one transaction.
pub(crate) async fn move_events(
    connection: &mut PgConnection,
    merged: &[(ContactId, ContactId)],
) -> Result<()> {
    if merged.is_empty() {
        return Ok(());
    }
    let from = crate::lookup::uuids(merged.iter().map(|(from, _)| from));
    let to = crate::lookup::uuids(merged.iter().map(|(_, holder)| holder));
    // `events` is partitioned by contact: changing `contact_id` moves rows between partitions,
    // which PostgreSQL does inside the one UPDATE.
    for table in ["events", "event_ids"] {
        let sql = format!(
            "UPDATE {table} SET contact_id = pair.holder
             FROM unnest($1::uuid[], $2::uuid[]) AS pair(merged, holder)
             WHERE {table}.contact_id = pair.merged"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&from)
            .bind(&to)
            .execute(&mut *connection)
            .await
            .map_err(db)?;
    }
    Ok(())
}
