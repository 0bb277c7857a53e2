//! Event reads: a contact's timeline newest first by `(occurred_at, event_id)` with a keyset
//! cursor, so every page is one range of the `(contact_id, occurred_at, event_id)` key; counts,
//! the calendar's instants, order events, the latest events, and anonymous ids' holders.

use crate::convert::micros;
use crate::{Arg, Backend, DbRow, sql};
use panorama_core::Result;
use panorama_core::contact::{Contact, ContactId};
use panorama_core::event::{
    AnonymousId, Event, EventFilter, TimelineCursor, TimelinePage, TimelineQuery,
};

/// Columns selected for an event, in [`event_of`]'s order.
pub(crate) const EVENT_COLUMNS: &str = "event_id, contact_id, event, occurred_at, properties";

/// The event a row of [`EVENT_COLUMNS`] stores.
pub(crate) fn event_of(row: &impl DbRow) -> Result<Event> {
    Ok(Event {
        event_id: row.text(0)?,
        contact_id: row.contact_id(1)?,
        event: row.text(2)?,
        occurred_at: row.time(3)?,
        properties: row.json(4)?,
    })
}

/// A statement's text and its parameters, built together so numbers and values stay in step.
struct Statement {
    text: String,
    args: Vec<Arg>,
}

impl Statement {
    /// Add `arg`; its `$n`.
    fn arg(&mut self, arg: impl Into<Arg>) -> String {
        self.args.push(arg.into());
        format!("${}", self.args.len())
    }

    async fn all<B: Backend>(self, conn: &mut B::Conn) -> Result<Vec<B::Row>> {
        let mut statement = sql(self.text);
        for arg in self.args {
            statement = statement.bind(arg);
        }
        statement.all::<B>(conn).await
    }
}

/// A statement over one contact's events passing `filter`: `SELECT {columns} FROM events WHERE
/// contact_id = $1 AND ...`.
fn filtered<B: Backend>(columns: &str, contact_id: ContactId, filter: &EventFilter) -> Statement {
    let mut statement = Statement {
        text: format!("SELECT {columns} FROM events WHERE contact_id = $1"),
        args: vec![Arg::from(contact_id)],
    };
    if let Some(keys) = &filter.events {
        // An empty list matches nothing.
        statement.args.push(Arg::Texts(keys.clone()));
        let list = B::in_list("event", statement.args.len());
        statement.text.push_str(&format!(" AND {list}"));
    }
    if let Some(from) = filter.from {
        let n = statement.arg(micros(from));
        statement.text.push_str(&format!(" AND occurred_at >= {n}"));
    }
    if let Some(to) = filter.to {
        let n = statement.arg(micros(to));
        statement.text.push_str(&format!(" AND occurred_at < {n}"));
    }
    statement
}

/// One page of a contact's timeline, newest first.
pub(crate) async fn timeline<B: Backend>(
    conn: &mut B::Conn,
    contact_id: ContactId,
    page: &TimelineQuery,
) -> Result<TimelinePage> {
    let mut statement = filtered::<B>(EVENT_COLUMNS, contact_id, &page.filter);
    if let Some(cursor) = &page.cursor {
        let at = statement.arg(micros(cursor.occurred_at));
        let id = statement.arg(cursor.event_id.as_str());
        // The first term bounds the key's range; the second breaks ties on the same instant.
        statement.text.push_str(&format!(
            " AND occurred_at <= {at} AND (occurred_at < {at} OR event_id < {id})"
        ));
    }
    let limit = statement.arg(i64::try_from(page.limit.saturating_add(1)).unwrap_or(i64::MAX));
    statement.text.push_str(&format!(
        " ORDER BY occurred_at DESC, event_id DESC LIMIT {limit}"
    ));
    let mut items = statement
        .all::<B>(conn)
        .await?
        .iter()
        .map(event_of)
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
pub(crate) async fn count<B: Backend>(
    conn: &mut B::Conn,
    contact_id: ContactId,
    filter: &EventFilter,
) -> Result<u64> {
    let rows = filtered::<B>("COUNT(*)", contact_id, filter)
        .all::<B>(conn)
        .await?;
    rows.first().map_or(Ok(0), |row| row.count(0))
}

/// The instants of a contact's events in `[from, to)`.
pub(crate) async fn times<B: Backend>(
    conn: &mut B::Conn,
    contact_id: ContactId,
    from: jiff::Timestamp,
    to: jiff::Timestamp,
) -> Result<Vec<jiff::Timestamp>> {
    // One row holding every instant: ten thousand rows one by one would cost more than the read.
    let instants: Vec<i64> = sql(format!(
        "SELECT {} FROM events WHERE contact_id = $1 AND occurred_at >= $2 AND occurred_at < $3",
        B::json_agg("occurred_at")
    ))
    .bind(contact_id)
    .bind(micros(from))
    .bind(micros(to))
    .one::<B>(conn)
    .await?
    .json(0)?;
    instants
        .into_iter()
        .map(crate::convert::timestamp)
        .collect()
}

/// A contact's `order` and `order_detail` events, oldest first (through the partial index
/// `events_orders`, whose WHERE term this query repeats).
pub(crate) async fn order_events<B: Backend>(
    conn: &mut B::Conn,
    contact_id: ContactId,
) -> Result<Vec<Event>> {
    sql(format!(
        "SELECT {EVENT_COLUMNS} FROM events
         WHERE contact_id = $1 AND event IN ('order', 'order_detail') ORDER BY occurred_at, event_id"
    ))
    .bind(contact_id)
    .all::<B>(conn)
    .await?
    .iter()
    .map(event_of)
    .collect()
}

/// A contact's latest `limit` events, newest first.
pub async fn latest<B: Backend>(
    conn: &mut B::Conn,
    contact_id: ContactId,
    limit: u64,
) -> Result<Vec<Event>> {
    sql(format!(
        "SELECT {EVENT_COLUMNS} FROM events
         WHERE contact_id = $1 ORDER BY occurred_at DESC, event_id DESC LIMIT $2"
    ))
    .bind(contact_id)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .all::<B>(conn)
    .await?
    .iter()
    .map(event_of)
    .collect()
}

/// The contact holding an anonymous id.
pub(crate) async fn anonymous_holder<B: Backend>(
    conn: &mut B::Conn,
    anonymous_id: &AnonymousId,
) -> Result<Option<Contact>> {
    let holder = sql("SELECT contact_id FROM contact_anonymous_ids WHERE anonymous_id = $1")
        .bind(anonymous_id.as_str())
        .optional::<B>(conn)
        .await?
        .map(|row| row.contact_id(0))
        .transpose()?;
    match holder {
        Some(id) => crate::contacts_read::contact_by_id::<B>(conn, id).await,
        None => Ok(None),
    }
}
