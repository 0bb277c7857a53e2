//! What the list index reads from PostgreSQL ([`panorama_list_index::Source`]): every contact (a
//! build), the change feed after a cursor and the contacts it names (a sync), one attribute of
//! every contact (a sort column). Each read runs in one repeatable-read, read-only transaction,
//! so the feed position and the rows agree; the feed is migration 0003's.

use crate::{PostgresDb, db};
use panorama_core::Result;
use panorama_list_index::{Entry, EntryRow, Snapshot, Source};
use serde_json::Value as Json;
use sqlx::types::Json as JsonColumn;
use sqlx::{Postgres, Transaction};
use std::collections::HashMap;
use std::future::Future;
use uuid::Uuid;

const ENTRY_COLUMNS: &str =
    "contact_id, attributes::text, is_real_name, is_wechat_fan, created_at, updated_at";

/// One read-only snapshot (public only as `Source::Snapshot`).
pub struct PostgresSnapshot(Transaction<'static, Postgres>);

impl Snapshot for PostgresSnapshot {
    async fn feed_end(&mut self) -> Result<i64> {
        // The counter the trigger numbers from: the end even when every row was pruned.
        sqlx::query_scalar("SELECT seq FROM contact_changes_end")
            .fetch_one(&mut *self.0)
            .await
            .map_err(db)
    }

    async fn changes(&mut self, cursor: i64, limit: i64) -> Result<Vec<(i64, Uuid)>> {
        sqlx::query_as(
            "SELECT seq, contact_id FROM contact_changes WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(cursor)
        .bind(limit)
        .fetch_all(&mut *self.0)
        .await
        .map_err(db)
    }

    async fn by_ids(&mut self, ids: &[Uuid]) -> Result<Vec<Entry>> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM contacts WHERE contact_id = ANY($1)");
        let rows: Vec<EntryRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(ids)
            .fetch_all(&mut *self.0)
            .await
            .map_err(db)?;
        rows.into_iter().map(Entry::decode).collect()
    }

    async fn all(&mut self, apply: &mut (dyn FnMut(Entry) + Send)) -> Result<()> {
        use futures_util::TryStreamExt;
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM contacts");
        let mut rows = sqlx::query_as::<_, EntryRow>(sqlx::AssertSqlSafe(sql)).fetch(&mut *self.0);
        while let Some(row) = rows.try_next().await.map_err(db)? {
            apply(Entry::decode(row)?);
        }
        Ok(())
    }

    async fn attribute(&mut self, name: &str) -> Result<HashMap<Uuid, Json>> {
        use futures_util::TryStreamExt;
        let mut rows = sqlx::query_as::<_, (Uuid, JsonColumn<Json>)>(
            "SELECT contact_id, attributes -> $1 FROM contacts WHERE attributes ? $1",
        )
        .bind(name)
        .fetch(&mut *self.0);
        let mut values = HashMap::new();
        while let Some((id, JsonColumn(value))) = rows.try_next().await.map_err(db)? {
            values.insert(id, value);
        }
        Ok(values)
    }

    async fn finish(self) -> Result<()> {
        self.0.commit().await.map_err(db)
    }
}

impl Source for PostgresDb {
    type Snapshot = PostgresSnapshot;

    async fn snapshot(&self) -> Result<PostgresSnapshot> {
        Ok(PostgresSnapshot(self.read_snapshot().await?))
    }

    fn delete_changes(
        &self,
        low: i64,
        high: i64,
    ) -> impl Future<Output = Result<()>> + Send + 'static {
        let pool = self.pool.clone();
        async move {
            sqlx::query("DELETE FROM contact_changes WHERE seq > $1 AND seq <= $2")
                .bind(low)
                .bind(high)
                .execute(&pool)
                .await
                .map_err(db)?;
            Ok(())
        }
    }
}
