//! Undoing a merge from its record (`record_merges`): in one transaction, after core's
//! `MergeRecord::check_undo` says nothing changed since, the merged contact's row, the survivor's
//! row and both sides of every owned table go back (`EventsSql::restore_rows`), then the merged
//! contact's events and anonymous ids (by id, so what the survivor received since stays), its
//! keys (refused when another contact took one meanwhile), both contacts' order attributes, and
//! `user_unmerged` events recording the undo.

use super::read::{EVENT_COLUMNS, event_of};
use super::{MergeRows, orders};
use crate::convert::micros;
use crate::{Arg, Backend, DbRow, sql};
use panorama_core::contact::{ContactId, KeyValue, WriteContext, keys_of};
use panorama_core::event::{CHANGE_EVENTS, Event, MergeRecord, UnmergeOutcome};
use panorama_core::metadata::Schema;
use panorama_core::{Error, ErrorKind, Result, codes};

/// The survivor's change events since the merge that `check_undo` is shown: the latest few are
/// enough to name what blocks the undo.
pub const CHANGES_SHOWN: u64 = 20;

/// The merge record, if the merge was recorded.
pub(crate) async fn load<B: Backend>(
    conn: &mut B::Conn,
    merge_id: &str,
) -> Result<Option<MergeRecord>> {
    let row = sql(
        "SELECT survivor_id, merged_id, merged_at, survivor_updated_at, undone_at
         FROM merges WHERE merge_id = $1",
    )
    .bind(merge_id)
    .optional::<B>(conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let time = |i| row.opt_i64(i)?.map(crate::convert::timestamp).transpose();
    Ok(Some(MergeRecord {
        merge_id: merge_id.to_owned(),
        survivor_id: row.contact_id(0)?,
        merged_id: row.contact_id(1)?,
        merged_at: row.time(2)?,
        survivor_updated_at: time(3)?,
        undone_at: time(4)?,
    }))
}

/// The survivor's change events after the merge, newest first.
async fn changes_since<B: Backend>(conn: &mut B::Conn, record: &MergeRecord) -> Result<Vec<Event>> {
    let keys: Vec<String> = CHANGE_EVENTS.iter().map(|k| (*k).to_owned()).collect();
    sql(format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE contact_id = $1 AND {} AND occurred_at > $3
         ORDER BY occurred_at DESC, event_id DESC LIMIT $4",
        B::in_list("event", 2)
    ))
    .bind(record.survivor_id)
    .bind(Arg::Texts(keys))
    .bind(micros(record.merged_at))
    .bind(i64::try_from(CHANGES_SHOWN).unwrap_or(i64::MAX))
    .all::<B>(conn)
    .await?
    .iter()
    .map(event_of)
    .collect()
}

/// Undo a merge inside the caller's write transaction.
pub(crate) async fn undo<B: Backend>(
    conn: &mut B::Conn,
    schema: &Schema,
    merge_id: &str,
    context: &WriteContext,
) -> Result<UnmergeOutcome> {
    let record = load::<B>(conn, merge_id)
        .await?
        .ok_or_else(|| Error::not_found("merge", merge_id))?;
    let survivor = crate::contacts_read::contact_by_id::<B>(conn, record.survivor_id).await?;
    let merged_exists = crate::contacts_read::contact_by_id::<B>(conn, record.merged_id)
        .await?
        .is_some();
    let changes = changes_since::<B>(conn, &record).await?;
    record.check_undo(survivor.as_ref(), merged_exists, &changes)?;
    let row = sql(
        "SELECT merged_row, survivor_row, owned_rows, event_ids, anonymous_ids
         FROM merges WHERE merge_id = $1",
    )
    .bind(merge_id)
    .one::<B>(conn)
    .await?;
    let rows = MergeRows {
        merged_row: row.json(0)?,
        survivor_row: row.opt_json(1)?,
        owned: row.json(2)?,
    };
    let (event_ids, anonymous_ids): (Vec<String>, Vec<String>) = (row.json(3)?, row.json(4)?);
    B::restore_rows(conn, &record, rows).await?;
    // The merged contact's events go back by id (with their id rows where those are apart);
    // events the survivor received since the merge stay.
    let mut tables = vec![("events", "event_id", &event_ids)];
    if B::EVENT_IDS_TABLE != "events" {
        tables.push((B::EVENT_IDS_TABLE, "event_id", &event_ids));
    }
    tables.push(("contact_anonymous_ids", "anonymous_id", &anonymous_ids));
    for (table, column, ids) in tables {
        sql(format!(
            "UPDATE {table} SET contact_id = $1 WHERE contact_id = $2 AND {}",
            B::in_list(column, 3)
        ))
        .bind(record.merged_id)
        .bind(record.survivor_id)
        .bind(Arg::Texts(ids.clone()))
        .execute::<B>(conn)
        .await?;
    }
    let mut restored = Vec::with_capacity(2);
    for id in [record.survivor_id, record.merged_id] {
        restored.push(
            crate::contacts_read::contact_by_id::<B>(conn, id)
                .await?
                .ok_or_else(|| Error::internal("a restored contact is missing"))?,
        );
    }
    for contact in &restored {
        rekey::<B>(conn, contact.contact_id, &keys_of(schema, contact)).await?;
    }
    orders::refresh::<B>(conn, &[record.survivor_id, record.merged_id]).await?;
    B::insert_events(conn, &record.undo_events(context)).await?;
    sql("UPDATE merges SET undone_at = $1 WHERE merge_id = $2")
        .bind(micros(context.at))
        .bind(merge_id)
        .execute::<B>(conn)
        .await?;
    let merged = restored
        .pop()
        .ok_or_else(|| Error::internal("no restored contact"))?;
    let survivor = restored
        .pop()
        .ok_or_else(|| Error::internal("no survivor"))?;
    Ok(UnmergeOutcome {
        survivor,
        restored: merged,
    })
}

/// Replace a contact's key rows, refusing keys another contact took meanwhile.
async fn rekey<B: Backend>(
    conn: &mut B::Conn,
    contact_id: ContactId,
    keys: &[KeyValue],
) -> Result<()> {
    sql("DELETE FROM contact_keys WHERE contact_id = $1")
        .bind(contact_id)
        .execute::<B>(conn)
        .await?;
    for key in keys {
        let inserted = sql(
            "INSERT INTO contact_keys (attribute, value, contact_id) VALUES ($1, $2, $3)
             ON CONFLICT (attribute, value) DO NOTHING RETURNING contact_id",
        )
        .bind(key.attribute.as_str())
        .bind(key.value.as_str())
        .bind(contact_id)
        .optional::<B>(conn)
        .await?;
        if inserted.is_some() {
            continue;
        }
        let other = sql("SELECT contact_id FROM contact_keys WHERE attribute = $1 AND value = $2")
            .bind(key.attribute.as_str())
            .bind(key.value.as_str())
            .optional::<B>(conn)
            .await?
            .map(|row| row.contact_id(0))
            .transpose()?
            .map_or_else(|| "?".to_owned(), |id| id.to_string());
        return Err(Error {
            kind: ErrorKind::Conflict,
            code: codes::MERGE_NOT_UNDOABLE,
            detail: format!(
                "the merge can no longer be undone: {} `{}` now belongs to contact {other}",
                key.attribute, key.value
            ),
            field: Some(key.attribute.clone()),
            value: Some(key.value.clone()),
        });
    }
    Ok(())
}
