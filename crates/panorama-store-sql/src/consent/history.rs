//! The `consent_history` table: one row per consent change, written with the change (explicit,
//! by an event, or by a record write's `subscription_change` event) and read newest first.

use crate::convert::micros;
use crate::values::insert_rows;
use crate::{Arg, Backend, DbRow, sql};
use panorama_core::contact::{
    ConsentChange, ConsentEntry, ContactId, entry_of_event, parse_channel,
};
use panorama_core::event::Event;
use panorama_core::{Error, Result};

/// Record a history row for every `subscription_change` event among `events` (record writes,
/// merges, imports). Rows already written by the explicit path (same entry id) stay as they are.
pub async fn record_history<B: Backend>(conn: &mut B::Conn, events: &[Event]) -> Result<()> {
    let entries: Vec<ConsentEntry> = events.iter().filter_map(entry_of_event).collect();
    insert_entries::<B>(conn, &entries).await
}

/// Insert history entries in multi-row statements; an entry id already stored changes nothing.
pub(super) async fn insert_entries<B: Backend>(
    conn: &mut B::Conn,
    entries: &[ConsentEntry],
) -> Result<()> {
    let rows: Vec<Vec<Arg>> = entries
        .iter()
        .map(|e| {
            vec![
                Arg::from(e.contact_id),
                Arg::from(micros(e.at)),
                Arg::from(&e.entry_id),
                Arg::from(e.channel.as_str()),
                Arg::from(e.change.as_str()),
                Arg::from(&e.source),
                Arg::from(&e.consent),
                Arg::from(&e.actor),
            ]
        })
        .collect();
    insert_rows::<B>(
        conn,
        "INSERT INTO consent_history (contact_id, changed_at, entry_id, channel, change, source,
            consent, actor)",
        "ON CONFLICT DO NOTHING",
        8,
        rows,
    )
    .await
    .map(drop)
}

/// A contact's latest `limit` history entries, newest first.
pub(super) async fn latest<B: Backend>(
    conn: &mut B::Conn,
    contact_id: ContactId,
    limit: u64,
) -> Result<Vec<ConsentEntry>> {
    let rows = sql(
        "SELECT contact_id, changed_at, entry_id, channel, change, source, consent, actor
         FROM consent_history WHERE contact_id = $1
         ORDER BY changed_at DESC, entry_id DESC LIMIT $2",
    )
    .bind(contact_id)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .all::<B>(conn)
    .await?;
    rows.iter().map(entry).collect()
}

/// The history entry a row stores.
fn entry(row: &impl DbRow) -> Result<ConsentEntry> {
    Ok(ConsentEntry {
        contact_id: row.contact_id(0)?,
        at: row.time(1)?,
        entry_id: row.text(2)?,
        channel: parse_channel(&row.text(3)?).map_err(Error::internal)?,
        change: ConsentChange::parse(&row.text(4)?).map_err(Error::internal)?,
        source: row.text(5)?,
        consent: row.opt_text(6)?,
        actor: row.opt_text(7)?,
    })
}
