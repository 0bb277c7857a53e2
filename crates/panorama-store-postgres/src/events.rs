//! Event rows: written with the contact change that caused them or by ingest, read newest first
//! by `(occurred_at, event_id)` with a keyset cursor, so every page is one range of the primary
//! key `(contact_id, occurred_at, event_id)` in one partition.

use crate::convert::{EVENT_COLUMNS, EventRow, micros, timestamp};
use crate::db;
use panorama_core::Result;
use panorama_core::contact::ContactId;
use panorama_core::event::{Event, EventFilter, TimelineCursor, TimelinePage, TimelineQuery};
use serde_json::{Map, Value};
use sqlx::types::Json;
use sqlx::{PgConnection, Postgres, QueryBuilder};
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
    if events.is_empty() {
        return Ok(());
    }
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
            crate::copy_in::writes::insert_events(connection, chunk, received_at).await?;
            continue;
        }
        let contact_ids: Vec<Uuid> = chunk.iter().map(|e| e.contact_id.uuid()).collect();
        let occurred_at: Vec<i64> = chunk.iter().map(|e| micros(e.occurred_at)).collect();
        let event_ids: Vec<&str> = chunk.iter().map(|e| e.event_id.as_str()).collect();
        let keys: Vec<&str> = chunk.iter().map(|e| e.event.as_str()).collect();
        let properties: Vec<Json<&Map<String, Value>>> =
            chunk.iter().map(|e| Json(&e.properties)).collect();
        sqlx::query(
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
        .map_err(db)?;
    }
    Ok(())
}

/// Which of these event ids are stored already (in `event_ids`, which holds every stored id).
pub(crate) async fn existing_ids<'a>(
    connection: &mut PgConnection,
    ids: impl Iterator<Item = &'a str>,
) -> Result<HashSet<String>> {
    let ids: Vec<&str> = ids.collect();
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let found: Vec<String> =
        sqlx::query_scalar("SELECT event_id FROM event_ids WHERE event_id = ANY($1::text[])")
            .bind(ids)
            .fetch_all(connection)
            .await
            .map_err(db)?;
    Ok(found.into_iter().collect())
}

/// Add `filter`'s conditions to a query that already says `WHERE contact_id = ...`.
fn push_filter(query: &mut QueryBuilder<Postgres>, filter: &EventFilter) {
    if let Some(keys) = &filter.events {
        // An empty list matches nothing, as `= ANY('{}')` is false.
        query
            .push(" AND event = ANY(")
            .push_bind(keys.clone())
            .push("::text[])");
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
    connection: &mut PgConnection,
    contact_id: ContactId,
    page: &TimelineQuery,
) -> Result<TimelinePage> {
    let mut query = QueryBuilder::<Postgres>::new(format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE contact_id = "
    ));
    query.push_bind(contact_id.uuid());
    push_filter(&mut query, &page.filter);
    if let Some(cursor) = &page.cursor {
        // A row comparison: one bound of the primary key's range, ties on an instant broken by id.
        query
            .push(" AND (occurred_at, event_id) < (")
            .push_bind(micros(cursor.occurred_at))
            .push(", ")
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
    connection: &mut PgConnection,
    contact_id: ContactId,
    filter: &EventFilter,
) -> Result<u64> {
    let mut query =
        QueryBuilder::<Postgres>::new("SELECT COUNT(*) FROM events WHERE contact_id = ");
    query.push_bind(contact_id.uuid());
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
    connection: &mut PgConnection,
    contact_id: ContactId,
    from: jiff::Timestamp,
    to: jiff::Timestamp,
) -> Result<Vec<jiff::Timestamp>> {
    // One row holding every instant: ten thousand rows one by one would cost more than the read.
    let instants: Option<Vec<i64>> = sqlx::query_scalar(
        "SELECT array_agg(occurred_at) FROM events
         WHERE contact_id = $1 AND occurred_at >= $2 AND occurred_at < $3",
    )
    .bind(contact_id.uuid())
    .bind(micros(from))
    .bind(micros(to))
    .fetch_one(connection)
    .await
    .map_err(db)?;
    instants
        .unwrap_or_default()
        .into_iter()
        .map(timestamp)
        .collect()
}
