//! What the list index reads from the store ([`panorama_list_index::Source`]): every contact (a
//! build), the change feed after a cursor and the contacts it names (a sync), one attribute of
//! every contact (a sort column). Each read runs in one snapshot, so the feed position and the
//! rows agree. The feed (a `contact_changes` row per written contact, by triggers) is in both
//! databases' migrations; the whole-table reads stream and stay the backend's.

use crate::backend::{Backend, DbRow};
use crate::query::sql;
use panorama_core::Result;
use panorama_list_index::{Entry, Snapshot, Source};
use serde_json::Value as Json;
use std::collections::HashMap;
use std::future::Future;
use uuid::Uuid;

/// Columns of a contact as the index holds it (attributes as JSON text).
const ENTRY_COLUMNS: &str =
    "contact_id, CAST(attributes AS TEXT), is_real_name, is_wechat_fan, created_at, updated_at";

/// The store as the index's source.
pub(crate) struct Feed<'a, B>(pub(crate) &'a B);

/// One snapshot of the store, the index's read transaction.
pub(crate) struct FeedSnapshot<B: Backend>(B::Tx);

/// The last sequence number the feed has given (0 when it never gave one).
pub async fn feed_end<B: Backend>(connection: &mut B::Conn) -> Result<i64> {
    match sql(B::FEED_END).optional::<B>(connection).await? {
        Some(row) => row.i64(0),
        None => Ok(0),
    }
}

impl<B: Backend> Snapshot for FeedSnapshot<B> {
    async fn feed_end(&mut self) -> Result<i64> {
        feed_end::<B>(&mut self.0).await
    }

    async fn changes(&mut self, cursor: i64, limit: i64) -> Result<Vec<(i64, Uuid)>> {
        sql("SELECT seq, contact_id FROM contact_changes WHERE seq > $1 ORDER BY seq LIMIT $2")
            .bind(cursor)
            .bind(limit)
            .all::<B>(&mut self.0)
            .await?
            .iter()
            .map(|row| Ok((row.i64(0)?, row.id(1)?)))
            .collect()
    }

    async fn by_ids(&mut self, ids: &[Uuid]) -> Result<Vec<Entry>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        sql(format!(
            "SELECT {ENTRY_COLUMNS} FROM contacts WHERE {}",
            B::in_list("contact_id", 1)
        ))
        .bind(ids.to_vec())
        .all::<B>(&mut self.0)
        .await?
        .iter()
        .map(|row| {
            Entry::decode((
                row.id(0)?,
                row.text(1)?,
                row.bool(2)?,
                row.bool(3)?,
                row.i64(4)?,
                row.i64(5)?,
            ))
        })
        .collect()
    }

    async fn all(&mut self, apply: &mut (dyn FnMut(Entry) + Send)) -> Result<()> {
        B::all_entries(&mut self.0, apply).await
    }

    async fn attribute(&mut self, name: &str) -> Result<HashMap<Uuid, Json>> {
        B::attribute_values(&mut self.0, name).await
    }

    async fn finish(self) -> Result<()> {
        B::commit(self.0).await
    }
}

impl<B: Backend> Source for Feed<'_, B> {
    type Snapshot = FeedSnapshot<B>;

    async fn snapshot(&self) -> Result<FeedSnapshot<B>> {
        Ok(FeedSnapshot(self.0.snapshot().await?))
    }

    fn delete_changes(
        &self,
        low: i64,
        high: i64,
    ) -> impl Future<Output = Result<()>> + Send + 'static {
        let backend = self.0.clone();
        async move {
            let mut tx = backend.write().await?;
            sql("DELETE FROM contact_changes WHERE seq > $1 AND seq <= $2")
                .bind(low)
                .bind(high)
                .execute::<B>(&mut tx)
                .await?;
            B::commit(tx).await
        }
    }
}
