//! What every merge does besides writing contacts: move the merged contacts' events (and their
//! `event_ids` rows), carry anonymous ids and owned rows over, and recompute the survivors' order
//! attributes. Called from `bulk::apply` for contact writes and event ingest alike, before the
//! merged contacts are deleted.

use crate::{anonymous, db, orders};
use panorama_core::Result;
use panorama_core::contact::ContactId;
use sqlx::PgConnection;

/// Move events from each merged contact to its holder, keeping the schema's invariant that
/// `event_ids` names the contact each event belongs to: both tables move in one transaction.
pub(crate) async fn move_events(
    connection: &mut PgConnection,
    merged: &[(ContactId, ContactId)],
) -> Result<()> {
    if merged.is_empty() {
        return Ok(());
    }
    let from = crate::lookup::uuids(merged.iter().map(|(from, _)| from));
    let to = crate::lookup::uuids(merged.iter().map(|(_, holder)| holder));
    // `events` is partitioned by contact: changing `contact_id` moves rows between partitions,
    // which PostgreSQL does inside the one UPDATE.
    for table in ["events", "event_ids"] {
        let sql = format!(
            "UPDATE {table} SET contact_id = pair.holder
             FROM unnest($1::uuid[], $2::uuid[]) AS pair(merged, holder)
             WHERE {table}.contact_id = pair.merged"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&from)
            .bind(&to)
            .execute(&mut *connection)
            .await
            .map_err(db)?;
    }
    Ok(())
}

/// Carry over what follows a merged contact, for every `(merged, holder)` pair.
pub(crate) async fn after_merges(
    connection: &mut PgConnection,
    merged: &[(ContactId, ContactId)],
) -> Result<()> {
    if merged.is_empty() {
        return Ok(());
    }
    let mut holders: Vec<ContactId> = Vec::with_capacity(merged.len());
    for (from, holder) in merged {
        anonymous::carry_over(connection, *from, *holder).await?;
        panorama_store_sql::move_owned::<crate::PostgresDb>(connection, *from, *holder).await?;
        holders.push(*holder);
    }
    holders.sort_unstable();
    holders.dedup();
    orders::refresh(connection, &holders).await
}
