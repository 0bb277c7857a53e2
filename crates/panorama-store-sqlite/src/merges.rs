//! What every merge does besides moving events: carry the merged contacts' anonymous ids over and
//! recompute the survivors' order attributes. Called from `bulk::apply` for contact writes and
//! event ingest alike, after events moved and before the merged contacts are deleted.

use crate::{anonymous, orders};
use panorama_core::Result;
use panorama_core::contact::ContactId;
use sqlx::SqliteConnection;

/// Carry over what follows a merged contact, for every `(merged, holder)` pair.
pub(crate) async fn after_merges(
    connection: &mut SqliteConnection,
    merged: &[(ContactId, ContactId)],
) -> Result<()> {
    let mut holders: Vec<ContactId> = Vec::with_capacity(merged.len());
    for (from, holder) in merged {
        anonymous::carry_over(connection, *from, *holder).await?;
        panorama_store_sql::move_owned::<crate::SqliteDb>(connection, *from, *holder).await?;
        holders.push(*holder);
    }
    holders.sort_unstable();
    holders.dedup();
    orders::refresh(connection, &holders).await
}
