//! Event rows inserted on SQLite: written with the contact change that caused them or by ingest,
//! in multi-row statements of bound values, their texts shared rather than copied. Reads are
//! `panorama-store-sql`'s `events/read.rs`.

use crate::convert::{micros, to_json};
use crate::db;
use panorama_core::Result;
use panorama_core::contact::ContactId;
use panorama_core::event::{Event, IncomingEvent};
use sqlx::{AssertSqlSafe, SqliteConnection};
use std::collections::HashMap;
use std::sync::Arc;

/// Rows per insert statement, largest first: a batch is cut into as many of the largest as fit,
/// then the next size, so only these few statement texts exist and each is prepared once per
/// connection. 1,000 rows (6,000 parameters) ingest as fast as 5,000 in `panorama bench events`
/// and hold a fifth of the bound text at a time.
const INSERT_ROWS_PER_STATEMENT: [usize; 4] = [1_000, 100, 10, 1];

/// An event on its way to the writer: checked, with the texts of its row made by the requester
/// (properties serialized), so the one writer neither serializes nor copies them.
pub struct PendingEvent {
    pub(crate) event: IncomingEvent,
    pub(crate) text: RowText,
}

impl PendingEvent {
    /// Make `event`'s row texts.
    pub(crate) fn new(event: IncomingEvent) -> Result<Self> {
        let text = RowText::new(&event.event_id, &event.event, &event.properties)?;
        Ok(Self { event, text })
    }
}

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
