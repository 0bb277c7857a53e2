//! Event rows: written with the contact change that caused them, read newest first.

use crate::bulk::SMALL_ROWS_PER_STATEMENT;
use crate::convert::{EventRow, micros, to_json};
use crate::db;
use panorama_core::Result;
use panorama_core::contact::ContactId;
use panorama_core::event::Event;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

/// Insert events with multi-row statements; an `event_id` already stored changes nothing.
pub(crate) async fn insert_events(
    connection: &mut SqliteConnection,
    events: &[Event],
) -> Result<()> {
    let received_at = micros(jiff::Timestamp::now());
    for chunk in events.chunks(SMALL_ROWS_PER_STATEMENT / 3) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "INSERT INTO events (contact_id, occurred_at, event_id, event, properties, received_at) ",
        );
        let properties = chunk
            .iter()
            .map(|e| to_json(&e.properties))
            .collect::<Result<Vec<_>>>()?;
        query.push_values(
            chunk.iter().zip(properties),
            |mut row, (event, properties)| {
                row.push_bind(event.contact_id.to_string())
                    .push_bind(micros(event.occurred_at))
                    .push_bind(event.event_id.as_str())
                    .push_bind(event.event.as_str())
                    .push_bind(properties)
                    .push_bind(received_at);
            },
        );
        query.push(" ON CONFLICT DO NOTHING");
        query.build().execute(&mut *connection).await.map_err(db)?;
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
