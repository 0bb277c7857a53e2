//! Merge records and undo. Before a batch applies its merges, `record` keeps, per merge, the
//! merged contact's row, the survivor's row, both contacts' rows in every other contact-owned
//! table (labels, consent history, fans, ... found from the catalogue, so areas added later are
//! covered), the merged contact's event and anonymous ids. `undo` puts all of it back in one
//! transaction, after core's `MergeRecord::check_undo` says nothing changed since.

use crate::convert::{EVENT_COLUMNS, EventRow, micros, timestamp};
use crate::{contacts, db, events, orders};
use panorama_core::contact::{BatchPlan, ContactId, WriteContext, keys_of};
use panorama_core::event::{CHANGE_EVENTS, Event, MergeRecord, UnmergeOutcome};
use panorama_core::metadata::Schema;
use panorama_core::{Error, Result};
use serde_json::{Map, Value as Json};
use sqlx::types::Json as Jsonb;
use sqlx::{AssertSqlSafe, PgConnection};
use uuid::Uuid;

mod restore;

use restore::{contact_tables, insert_rows, owned, parents_first, quoted, rekey, restore_survivor};

/// Change events of the survivor since the merge that `check_undo` is shown (it needs only some).
const CHANGES_SHOWN: i64 = 20;

/// Keep a record of every merge of `plan`, before `bulk::apply` moves or deletes anything.
pub(crate) async fn record(connection: &mut PgConnection, plan: &BatchPlan) -> Result<()> {
    if plan.merged.is_empty() {
        return Ok(());
    }
    let tables = owned(contact_tables(connection).await?);
    // Both sides of every owned table in one object: {table: {"merged": [..], "survivor": [..]}}.
    let sides: Vec<String> = tables
        .iter()
        .map(|(table, _)| {
            let rows = |bind: &str| {
                format!(
                    "(SELECT coalesce(jsonb_agg(to_jsonb(t)), '[]') FROM {} t WHERE t.contact_id = {bind})",
                    quoted(table)
                )
            };
            format!(
                "'{}', jsonb_build_object('merged', {}, 'survivor', {})",
                table.replace('\'', "''"),
                rows("$1"),
                rows("$2")
            )
        })
        .collect();
    let snapshot = format!(
        "SELECT (SELECT to_jsonb(c) FROM contacts c WHERE c.contact_id = $1),
            (SELECT to_jsonb(c) FROM contacts c WHERE c.contact_id = $2),
            {},
            (SELECT coalesce(jsonb_agg(event_id), '[]') FROM event_ids WHERE contact_id = $1),
            (SELECT coalesce(jsonb_agg(anonymous_id), '[]') FROM contact_anonymous_ids
                 WHERE contact_id = $1)",
        if sides.is_empty() {
            "'{}'::jsonb".to_owned()
        } else {
            format!("jsonb_build_object({})", sides.join(", "))
        }
    );
    for (merged, holder) in &plan.merged {
        let merged_text = merged.to_string();
        let Some(event) = plan.events.iter().find(|e| {
            e.event == "user_merged"
                && e.properties.get("merged_contact_id").and_then(Json::as_str)
                    == Some(merged_text.as_str())
        }) else {
            continue;
        };
        type Snapshot = (Option<Json>, Option<Json>, Json, Json, Json);
        let (merged_row, survivor_row, owned, event_ids, anonymous_ids): Snapshot =
            sqlx::query_as(AssertSqlSafe(snapshot.clone()))
                .bind(merged.uuid())
                .bind(holder.uuid())
                .fetch_one(&mut *connection)
                .await
                .map_err(db)?;
        let survivor_after = plan
            .write
            .iter()
            .find(|c| c.contact_id == *holder)
            .map(|c| micros(c.updated_at))
            .filter(|_| survivor_row.is_some());
        sqlx::query(
            "INSERT INTO merges (merge_id, survivor_id, merged_id, merged_at, survivor_updated_at, merged_row,
                survivor_row, owned_rows, event_ids, anonymous_ids) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (merge_id) DO NOTHING",
        )
        .bind(&event.event_id)
        .bind(holder.uuid())
        .bind(merged.uuid())
        .bind(micros(event.occurred_at))
        .bind(survivor_after)
        .bind(Jsonb(merged_row.unwrap_or(Json::Null)))
        .bind(survivor_row.map(Jsonb))
        .bind(Jsonb(owned))
        .bind(Jsonb(event_ids))
        .bind(Jsonb(anonymous_ids))
        .execute(&mut *connection)
        .await
        .map_err(db)?;
    }
    Ok(())
}

/// A `merges` row's record columns: survivor, merged, merged_at, survivor_updated_at, undone_at.
type RecordRow = (Uuid, Uuid, i64, Option<i64>, Option<i64>);

/// The merge record, if the merge was recorded.
pub(crate) async fn load(
    connection: &mut PgConnection,
    merge_id: &str,
) -> Result<Option<MergeRecord>> {
    let row: Option<RecordRow> = sqlx::query_as(
        "SELECT survivor_id, merged_id, merged_at, survivor_updated_at, undone_at FROM merges WHERE merge_id = $1",
    )
    .bind(merge_id)
    .fetch_optional(connection)
    .await
    .map_err(db)?;
    let Some((survivor, merged, merged_at, survivor_updated_at, undone_at)) = row else {
        return Ok(None);
    };
    Ok(Some(MergeRecord {
        merge_id: merge_id.to_owned(),
        survivor_id: ContactId::from_uuid(survivor),
        merged_id: ContactId::from_uuid(merged),
        merged_at: timestamp(merged_at)?,
        survivor_updated_at: survivor_updated_at.map(timestamp).transpose()?,
        undone_at: undone_at.map(timestamp).transpose()?,
    }))
}

/// The survivor's change events after the merge, newest first.
async fn changes_since(connection: &mut PgConnection, record: &MergeRecord) -> Result<Vec<Event>> {
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE contact_id = $1 AND event = ANY($2::text[])
           AND occurred_at > $3 ORDER BY occurred_at DESC, event_id DESC LIMIT $4"
    );
    let rows: Vec<EventRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(record.survivor_id.uuid())
        .bind(&CHANGE_EVENTS[..])
        .bind(micros(record.merged_at))
        .bind(CHANGES_SHOWN)
        .fetch_all(connection)
        .await
        .map_err(db)?;
    rows.into_iter().map(EventRow::into_event).collect()
}

/// A snapshot's JSON array of ids as text.
fn texts(ids: &Json) -> Vec<String> {
    ids.as_array()
        .into_iter()
        .flatten()
        .filter_map(|id| id.as_str().map(str::to_owned))
        .collect()
}

/// A `merges` row's snapshot columns.
type SnapshotRow = (Json, Option<Json>, Json, Json, Json);

/// Undo a merge inside the caller's write transaction.
pub(crate) async fn undo(
    connection: &mut PgConnection,
    schema: &Schema,
    merge_id: &str,
    context: &WriteContext,
) -> Result<UnmergeOutcome> {
    let record = load(connection, merge_id)
        .await?
        .ok_or_else(|| Error::not_found("merge", merge_id))?;
    let survivor = contacts::get(connection, record.survivor_id).await?;
    let merged_exists = contacts::get(connection, record.merged_id).await?.is_some();
    let changes = changes_since(connection, &record).await?;
    record.check_undo(survivor.as_ref(), merged_exists, &changes)?;
    let (merged_row, survivor_row, snapshots, event_ids, anonymous_ids): SnapshotRow =
        sqlx::query_as(
            "SELECT merged_row, survivor_row, owned_rows, event_ids, anonymous_ids
             FROM merges WHERE merge_id = $1",
        )
        .bind(merge_id)
        .fetch_one(&mut *connection)
        .await
        .map_err(db)?;
    let tables = contact_tables(connection).await?;
    let contact_columns = tables
        .iter()
        .find(|(name, _)| name == "contacts")
        .map(|(_, columns)| columns.clone())
        .ok_or_else(|| Error::internal("the contacts table has no contact_id column"))?;
    insert_rows(
        connection,
        "contacts",
        &contact_columns,
        &Json::Array(vec![merged_row]),
    )
    .await?;
    if let Some(row) = survivor_row {
        restore_survivor(connection, &contact_columns, record.survivor_id, &row).await?;
    }
    let both = [record.survivor_id.uuid(), record.merged_id.uuid()];
    let snapshots: Map<String, Json> = match snapshots {
        Json::Object(map) => map,
        _ => Map::new(),
    };
    let snapshot_tables: Vec<(String, Vec<String>)> = owned(tables)
        .into_iter()
        .filter(|(name, _)| snapshots.contains_key(name))
        .collect();
    // Delete every side first (a cascade may reach a table listed earlier), then insert parents
    // before the rows that refer to them.
    for (table, _) in &snapshot_tables {
        let sql = format!(
            "DELETE FROM {} WHERE contact_id = ANY($1::uuid[])",
            quoted(table)
        );
        sqlx::query(AssertSqlSafe(sql))
            .bind(&both[..])
            .execute(&mut *connection)
            .await
            .map_err(db)?;
    }
    for (table, columns) in parents_first(connection, snapshot_tables).await? {
        for side in ["survivor", "merged"] {
            insert_rows(connection, &table, &columns, &snapshots[&table][side]).await?;
        }
    }
    // The merged contact's events go back with their `event_ids` rows (the schema's invariant);
    // events the survivor received since the merge stay.
    for (sql, ids) in [
        (
            "UPDATE events SET contact_id = $1 WHERE contact_id = $2 AND event_id = ANY($3::text[])",
            texts(&event_ids),
        ),
        (
            "UPDATE event_ids SET contact_id = $1 WHERE contact_id = $2 AND event_id = ANY($3::text[])",
            texts(&event_ids),
        ),
        (
            "UPDATE contact_anonymous_ids SET contact_id = $1
             WHERE contact_id = $2 AND anonymous_id = ANY($3::text[])",
            texts(&anonymous_ids),
        ),
    ] {
        sqlx::query(sql)
            .bind(record.merged_id.uuid())
            .bind(record.survivor_id.uuid())
            .bind(ids)
            .execute(&mut *connection)
            .await
            .map_err(db)?;
    }
    let mut restored = Vec::with_capacity(2);
    for id in [record.survivor_id, record.merged_id] {
        restored.push(
            contacts::get(connection, id)
                .await?
                .ok_or_else(|| Error::internal("a restored contact is missing"))?,
        );
    }
    for contact in &restored {
        rekey(connection, contact.contact_id, &keys_of(schema, contact)).await?;
    }
    orders::refresh(connection, &[record.survivor_id, record.merged_id]).await?;
    events::insert_events(connection, &record.undo_events(context)).await?;
    sqlx::query("UPDATE merges SET undone_at = $1 WHERE merge_id = $2")
        .bind(micros(context.at))
        .bind(merge_id)
        .execute(&mut *connection)
        .await
        .map_err(db)?;
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
