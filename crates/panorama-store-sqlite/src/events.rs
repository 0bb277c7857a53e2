//! Event rows: written with the contact change that caused them or by ingest, read newest first
//! by `(occurred_at, event_id)` with a keyset cursor, so every page is one range read.

use crate::convert::{EventRow, micros, to_json};
use crate::db;
use panorama_core::Result;
use panorama_core::contact::ContactId;
use panorama_core::event::Event;
use panorama_core::event::{EventFilter, TimelineCursor, TimelinePage, TimelineQuery};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::collections::HashSet;

/// Events per insert statement.
pub const EVENT_ROWS_PER_STATEMENT: usize = 5_000;

/// Insert events; an `event_id` already stored changes nothing. The rows travel as one JSON
/// array bound once and unpacked by SQLite (`json_each`), which costs a fraction of binding six
/// values per row.
pub(crate) async fn insert_events(
    connection: &mut SqliteConnection,
    events: &[Event],
) -> Result<()> {
    let received_at = micros(jiff::Timestamp::now());
    // In the table's key order, so consecutive rows land on the same pages.
    let mut sorted: Vec<&Event> = events.iter().collect();
    sorted.sort_unstable_by_key(|e| (e.contact_id, e.occurred_at));
    for chunk in sorted.chunks(EVENT_ROWS_PER_STATEMENT) {
        // Tuples of references serialize as JSON arrays without copying the properties.
        let rows: Vec<_> = chunk
            .iter()
            .map(|e| {
                (
                    e.contact_id.to_string(),
                    micros(e.occurred_at),
                    &e.event_id,
                    &e.event,
                    &e.properties,
                )
            })
            .collect();
        sqlx::query(
            "INSERT INTO events (contact_id, occurred_at, event_id, event, properties, received_at)
             SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value -> 4, $2 FROM json_each($1) WHERE true
             ON CONFLICT DO NOTHING",
        )
        .bind(to_json(&rows)?)
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

/// Which of these event ids are stored already.
pub(crate) async fn existing_ids<'a>(
    connection: &mut SqliteConnection,
    ids: impl Iterator<Item = &'a str>,
) -> Result<HashSet<String>> {
    let ids: Vec<&str> = ids.collect();
    let found: Vec<String> = crate::lookup::matching(
        connection,
        "SELECT json_group_array(event_id) FROM events WHERE",
        "event_id",
        &ids,
    )
    .await?;
    Ok(found.into_iter().collect())
}

/// Add `filter`'s conditions to a query that already says `WHERE contact_id = ...`.
fn push_filter(query: &mut QueryBuilder<Sqlite>, filter: &EventFilter) {
    if let Some(keys) = &filter.events {
        query.push(" AND event IN (");
        let mut list = query.separated(", ");
        for key in keys {
            list.push_bind(key.clone());
        }
        if keys.is_empty() {
            list.push("NULL");
        }
        query.push(")");
    }
    if let Some(from) = filter.from {
        query.push(" AND occurred_at >= ").push_bind(micros(from));
    }
    if let Some(to) = filter.to {
        query.push(" AND occurred_at < ").push_bind(micros(to));
    }
}

/// One page of a contact's timeline, newest first.
pub(crate) async fn timeline(
    connection: &mut SqliteConnection,
    contact_id: ContactId,
    page: &TimelineQuery,
) -> Result<TimelinePage> {
    let mut query = QueryBuilder::<Sqlite>::new(
        "SELECT event_id, contact_id, event, occurred_at, properties FROM events WHERE contact_id = ",
    );
    query.push_bind(contact_id.to_string());
    push_filter(&mut query, &page.filter);
    if let Some(cursor) = &page.cursor {
        let at = micros(cursor.occurred_at);
        // The first term bounds the index range; the second breaks ties on the same instant.
        query.push(" AND occurred_at <= ").push_bind(at);
        query.push(" AND (occurred_at < ").push_bind(at);
        query
            .push(" OR event_id < ")
            .push_bind(cursor.event_id.clone())
            .push(")");
    }
    query.push(" ORDER BY occurred_at DESC, event_id DESC LIMIT ");
    query.push_bind(i64::try_from(page.limit.saturating_add(1)).unwrap_or(i64::MAX));
    let rows: Vec<EventRow> = query
        .build_query_as()
        .fetch_all(connection)
        .await
        .map_err(db)?;
    let mut items = rows
        .into_iter()
        .map(EventRow::into_event)
        .collect::<Result<Vec<_>>>()?;
    let more = items.len() as u64 > page.limit;
    items.truncate(usize::try_from(page.limit).unwrap_or(usize::MAX));
    let next = if more {
        items.last().map(TimelineCursor::after)
    } else {
        None
    };
    Ok(TimelinePage { items, next })
}

/// How many of a contact's events pass `filter`.
pub(crate) async fn count(
    connection: &mut SqliteConnection,
    contact_id: ContactId,
    filter: &EventFilter,
) -> Result<u64> {
    let mut query = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM events WHERE contact_id = ");
    query.push_bind(contact_id.to_string());
    push_filter(&mut query, filter);
    let (count,): (i64,) = query
        .build_query_as()
        .fetch_one(connection)
        .await
        .map_err(db)?;
    Ok(u64::try_from(count).unwrap_or(0))
}

/// The instants of a contact's events in `[from, to)`.
pub(crate) async fn times(
    connection: &mut SqliteConnection,
    contact_id: ContactId,
    from: jiff::Timestamp,
    to: jiff::Timestamp,
) -> Result<Vec<jiff::Timestamp>> {
    // One row holding every instant: ten thousand rows one by one would cost more than the read.
    let (text,): (String,) = sqlx::query_as(
        "SELECT json_group_array(occurred_at) FROM events
         WHERE contact_id = $1 AND occurred_at >= $2 AND occurred_at < $3",
    )
    .bind(contact_id.to_string())
    .bind(micros(from))
    .bind(micros(to))
    .fetch_one(connection)
    .await
    .map_err(db)?;
    let instants: Vec<i64> = serde_json::from_str(&text).map_err(panorama_core::Error::internal)?;
    instants
        .into_iter()
        .map(crate::convert::timestamp)
        .collect()
}
