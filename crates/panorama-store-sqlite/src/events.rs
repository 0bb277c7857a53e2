//! Event rows: written with the contact change that caused them, read newest first.

use crate::convert::{EventRow, micros, to_json};
use crate::db;
use panorama_core::Result;
use panorama_core::contact::ContactId;
use panorama_core::event::Event;
use sqlx::SqliteConnection;

/// Insert events; one with an `event_id` already stored is a duplicate and changes nothing.
pub(crate) async fn insert_events(
    connection: &mut SqliteConnection,
    events: &[Event],
) -> Result<()> {
    let received_at = micros(jiff::Timestamp::now());
    for event in events {
        sqlx::query(
            "INSERT INTO events (contact_id, occurred_at, event_id, event, properties, received_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(event.contact_id.to_string())
        .bind(micros(event.occurred_at))
        .bind(&event.event_id)
        .bind(&event.event)
        .bind(to_json(&event.properties)?)
        .bind(received_at)
        .execute(&mut *connection)
        .await
        .map_err(db)?;
    }
    Ok(())
}

/// A contact's latest `limit` events, newest first.
pub(crate) async fn latest(
    connection: &mut SqliteConnection,
    contact_id: ContactId,
    limit: u64,
) -> Result<Vec<Event>> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT event_id, contact_id, event, occurred_at, properties FROM events
         WHERE contact_id = $1 ORDER BY occurred_at DESC, event_id DESC LIMIT $2",
    )
    .bind(contact_id.to_string())
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(connection)
    .await
    .map_err(db)?;
    rows.into_iter().map(EventRow::into_event).collect()
}
