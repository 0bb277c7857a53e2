//! What every merge does besides writing contacts, for contact writes and event ingest alike
//! (the contact writer calls both, inside its transaction): `record_merges` keeps a record of each
//! merge before anything moves, so it can be undone; `after_merges` carries the merged contacts'
//! anonymous ids and owned rows over and recomputes the survivors' order attributes, after events
//! moved and before the merged contacts are deleted.

use super::orders;
use crate::convert::micros;
use crate::{Backend, DbRow, sql};
use panorama_core::Result;
use panorama_core::contact::{BatchPlan, ContactId};
use panorama_core::event::Event;
use serde_json::Value as Json;

/// Keep a record of every merge of `plan` that has its `user_merged` event (the record's id),
/// before the plan moves or deletes anything: the rows `EventsSql::merge_rows` keeps, and the
/// merged contact's event and anonymous ids.
pub async fn record_merges<B: Backend>(conn: &mut B::Conn, plan: &BatchPlan) -> Result<()> {
    let merges: Vec<(ContactId, ContactId, &Event)> = plan
        .merged
        .iter()
        .filter_map(|(merged, holder)| {
            let merged_text = merged.to_string();
            plan.events
                .iter()
                .find(|e| {
                    e.event == "user_merged"
                        && e.properties.get("merged_contact_id").and_then(Json::as_str)
                            == Some(merged_text.as_str())
                })
                .map(|event| (*merged, *holder, event))
        })
        .collect();
    if merges.is_empty() {
        return Ok(());
    }
    let pairs: Vec<(ContactId, ContactId)> = merges.iter().map(|(m, h, _)| (*m, *h)).collect();
    let snapshots = B::merge_rows(conn, &pairs).await?;
    let ids = format!(
        "SELECT (SELECT {} FROM {} WHERE contact_id = $1),
            (SELECT {} FROM contact_anonymous_ids WHERE contact_id = $1)",
        B::json_agg("event_id"),
        B::EVENT_IDS_TABLE,
        B::json_agg("anonymous_id"),
    );
    for ((merged, holder, event), rows) in merges.into_iter().zip(snapshots) {
        let row = sql(ids.clone()).bind(merged).one::<B>(conn).await?;
        let (event_ids, anonymous_ids): (Json, Json) = (row.json(0)?, row.json(1)?);
        let survivor_after = plan
            .write
            .iter()
            .find(|c| c.contact_id == holder)
            .map(|c| micros(c.updated_at))
            .filter(|_| rows.survivor_row.is_some());
        sql(
            "INSERT INTO merges (merge_id, survivor_id, merged_id, merged_at, survivor_updated_at,
                merged_row, survivor_row, owned_rows, event_ids, anonymous_ids)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (merge_id) DO NOTHING",
        )
        .bind(event.event_id.as_str())
        .bind(holder)
        .bind(merged)
        .bind(micros(event.occurred_at))
        .bind(survivor_after)
        .bind(rows.merged_row)
        .bind(rows.survivor_row)
        .bind(rows.owned)
        .bind(event_ids)
        .bind(anonymous_ids)
        .execute::<B>(conn)
        .await?;
    }
    Ok(())
}

/// Carry over what follows each merged contact to its holder, for every `(merged, holder)` pair:
/// anonymous ids (before the delete would cascade to them), owned rows; then recompute the
/// holders' order attributes from the events they hold now.
pub async fn after_merges<B: Backend>(
    conn: &mut B::Conn,
    merged: &[(ContactId, ContactId)],
) -> Result<()> {
    let mut holders: Vec<ContactId> = Vec::with_capacity(merged.len());
    for (from, holder) in merged {
        sql("UPDATE contact_anonymous_ids SET contact_id = $1 WHERE contact_id = $2")
            .bind(holder)
            .bind(from)
            .execute::<B>(conn)
            .await?;
        crate::contacts_write::move_owned::<B>(conn, *from, *holder).await?;
        holders.push(*holder);
    }
    holders.sort_unstable();
    holders.dedup();
    orders::refresh::<B>(conn, &holders).await
}
