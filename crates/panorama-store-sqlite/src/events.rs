//! Event rows: written with the contact change that caused them or by ingest, read newest first
//! by `(occurred_at, event_id)` with a keyset cursor, so every page is one range read.

use crate::bulk::SMALL_ROWS_PER_STATEMENT;
use crate::convert::{EventRow, micros, to_json};
use crate::db;
use panorama_core::Result;
use panorama_core::contact::ContactId;
use panorama_core::event::Event;
use panorama_core::event::{EventFilter, TimelineCursor, TimelinePage, TimelineQuery};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::collections::HashSet;

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
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT occurred_at FROM events WHERE contact_id = $1 AND occurred_at >= $2 AND occurred_at < $3",
    )
    .bind(contact_id.to_string())
    .bind(micros(from))
    .bind(micros(to))
    .fetch_all(connection)
    .await
    .map_err(db)?;
    rows.into_iter()
        .map(|(at,)| crate::convert::timestamp(at))
        .collect()
}
