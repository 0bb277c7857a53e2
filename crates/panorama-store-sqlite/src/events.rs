//! Event rows: written with the contact change that caused them or by ingest, read newest first
//! by `(occurred_at, event_id)` with a keyset cursor, so every page is one range read.

use crate::convert::{EventRow, micros, to_json};
use crate::db;
use panorama_core::Result;
use panorama_core::contact::ContactId;
use panorama_core::event::Event;
use panorama_core::event::{EventFilter, TimelineCursor, TimelinePage, TimelineQuery};
use sqlx::{AssertSqlSafe, QueryBuilder, Sqlite, SqliteConnection};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Rows per insert statement, largest first: a batch is cut into as many of the largest as fit,
/// then the next size, so only these few statement texts exist and each is prepared once per
/// connection. 1,000 rows (6,000 parameters) ingest as fast as 5,000 in `panorama bench events`
/// and hold a fifth of the bound text at a time.
const INSERT_ROWS_PER_STATEMENT: [usize; 4] = [1_000, 100, 10, 1];

/// One event row as inserted.
pub(crate) struct NewEventRow {
    pub(crate) contact_id: ContactId,
    pub(crate) occurred_at: i64,
    pub(crate) text: RowText,
}

/// The texts of an event row, shared: a statement binds a reference to them, so the database
/// thread that runs it never frees them (freeing another thread's memory was 8% of its time).
#[derive(Clone)]
pub(crate) struct RowText {
    pub(crate) event_id: Arc<str>,
    pub(crate) event: Arc<str>,
    /// The properties as stored: a JSON object.
    pub(crate) properties: Arc<str>,
}

impl RowText {
    /// The texts of the event `event_id` of definition `event`, its properties serialized.
    pub(crate) fn new(
        event_id: &str,
        event: &str,
        properties: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<Self> {
        Ok(Self {
            event_id: Arc::from(event_id),
            event: Arc::from(event),
            properties: Arc::from(to_json(properties)?),
        })
    }
}

impl NewEventRow {
    fn of(event: &Event) -> Result<Self> {
        Ok(Self {
            contact_id: event.contact_id,
            occurred_at: micros(event.occurred_at),
            text: RowText::new(&event.event_id, &event.event, &event.properties)?,
        })
    }
}

/// Insert events; an `event_id` already stored changes nothing.
pub(crate) async fn insert_events(
    connection: &mut SqliteConnection,
    events: &[Event],
) -> Result<()> {
    let rows = events.iter().map(NewEventRow::of).collect::<Result<_>>()?;
    insert_rows(connection, rows).await.map(drop)
}

/// Insert rows with bound values in multi-row statements; an `event_id` already stored changes
/// nothing. Bound values go in as they are: no JSON for SQLite to parse on the one writer thread.
/// Returns how many rows were inserted.
pub(crate) async fn insert_rows(
    connection: &mut SqliteConnection,
    mut rows: Vec<NewEventRow>,
) -> Result<u64> {
    let received_at = micros(jiff::Timestamp::now());
    // In the table's key order, so consecutive rows land on the same pages.
    rows.sort_unstable_by_key(|row| (row.contact_id, row.occurred_at));
    // One shared text per contact, for the same reason as `RowText`.
    let mut contact_ids: HashMap<ContactId, Arc<str>> = HashMap::new();
    let mut left = rows.len();
    let mut inserted = 0;
    let mut rows = rows.iter();
    for size in INSERT_ROWS_PER_STATEMENT {
        while left >= size {
            let mut query = sqlx::query(AssertSqlSafe(insert_sql(size)));
            for row in rows.by_ref().take(size) {
                let contact_id = contact_ids
                    .entry(row.contact_id)
                    .or_insert_with(|| Arc::from(row.contact_id.to_string()));
                query = query
                    .bind(contact_id.clone())
                    .bind(row.occurred_at)
                    .bind(row.text.event_id.clone())
                    .bind(row.text.event.clone())
                    .bind(row.text.properties.clone())
                    .bind(received_at);
            }
            inserted += query
                .execute(&mut *connection)
                .await
                .map_err(db)?
                .rows_affected();
            left -= size;
        }
    }
    Ok(inserted)
}

/// `INSERT` of `rows` rows of six values. The parameters are anonymous (`?`): sqlx looks up the
/// name of every numbered one, and SQLite finds a name by a walk of the list, which grows with the
/// square of the rows (5,000 rows ran ten times slower than the JSON array this replaced).
fn insert_sql(rows: usize) -> String {
    const HEAD: &str = "INSERT INTO events (contact_id, occurred_at, event_id, event, properties, received_at) VALUES ";
    const ROW: &str = "(?,?,?,?,?,?)";
    const TAIL: &str = " ON CONFLICT DO NOTHING";
    let mut sql = String::with_capacity(HEAD.len() + rows * (ROW.len() + 1) + TAIL.len());
    sql.push_str(HEAD);
    for row in 0..rows {
        if row > 0 {
            sql.push(',');
        }
        sql.push_str(ROW);
    }
    sql.push_str(TAIL);
    sql
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
