//! What the list index reads from SQLite ([`panorama_list_index::Source`]): every contact (a
//! build), the change feed after a cursor and the contacts it names (a sync), one attribute of
//! every contact (a sort column). Each read runs in one read transaction, so the feed position
//! and the rows agree; the feed is migration 0007's.

use crate::bulk::LOOKUP_VALUES_PER_QUERY;
use crate::{SqliteDb, db};
use panorama_core::{Error, Result};
use panorama_list_index::{Entry, Snapshot, Source};
use rustc_hash::FxHashMap;
use serde_json::Value as Json;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, Transaction};
use std::collections::HashMap;
use std::future::Future;
use uuid::Uuid;

/// One read transaction on the reader pool (public only as `Source::Snapshot`).
pub struct SqliteSnapshot(Transaction<'static, Sqlite>);

impl Snapshot for SqliteSnapshot {
    async fn feed_end(&mut self) -> Result<i64> {
        feed_end(&mut self.0).await
    }

    async fn changes(&mut self, cursor: i64, limit: i64) -> Result<Vec<(i64, Uuid)>> {
        changes(&mut self.0, cursor, limit).await
    }

    async fn by_ids(&mut self, ids: &[Uuid]) -> Result<Vec<Entry>> {
        by_ids(&mut self.0, ids).await
    }

    async fn all(&mut self, apply: &mut (dyn FnMut(Entry) + Send)) -> Result<()> {
        all(&mut self.0, apply).await
    }

    async fn attribute(&mut self, name: &str) -> Result<HashMap<Uuid, Json>> {
        attribute(&mut self.0, name).await
    }

    async fn finish(self) -> Result<()> {
        self.0.commit().await.map_err(db)
    }
}

impl Source for SqliteDb {
    type Snapshot = SqliteSnapshot;

    async fn snapshot(&self) -> Result<SqliteSnapshot> {
        Ok(SqliteSnapshot(self.reader.begin().await.map_err(db)?))
    }

    fn delete_changes(
        &self,
        low: i64,
        high: i64,
    ) -> impl Future<Output = Result<()>> + Send + 'static {
        let writer = self.writer.clone();
        async move {
            sqlx::query("DELETE FROM contact_changes WHERE seq > $1 AND seq <= $2")
                .bind(low)
                .bind(high)
                .execute(&writer)
                .await
                .map_err(db)?;
            Ok(())
        }
    }
}

const ENTRY_COLUMNS: &str =
    "contact_id, attributes, is_real_name, is_wechat_fan, created_at, updated_at";

/// A row as SQLite holds it: the id as text.
type TextEntryRow = (String, String, bool, bool, i64, i64);

fn entry(row: TextEntryRow) -> Result<Entry> {
    let (id, attributes, real_name, wechat_fan, created_at, updated_at) = row;
    let id = Uuid::parse_str(&id).map_err(|e| Error::internal(format!("contact id {id}: {e}")))?;
    Entry::decode((
        id, attributes, real_name, wechat_fan, created_at, updated_at,
    ))
}

/// The last sequence number of the change feed (0 when empty).
pub(crate) async fn feed_end(connection: &mut SqliteConnection) -> Result<i64> {
    // sqlite_sequence survives pruning, so this is the end even when the feed is empty.
    let end: Option<i64> =
        sqlx::query_scalar("SELECT seq FROM sqlite_sequence WHERE name = 'contact_changes'")
            .fetch_optional(&mut *connection)
            .await
            .map_err(db)?;
    Ok(end.unwrap_or(0))
}

/// Every contact, handed to `apply` one by one as rows arrive.
async fn all(
    connection: &mut SqliteConnection,
    apply: &mut (dyn FnMut(Entry) + Send),
) -> Result<()> {
    use futures_util::TryStreamExt;
    let sql = format!("SELECT {ENTRY_COLUMNS} FROM contacts");
    let mut rows =
        sqlx::query_as::<_, TextEntryRow>(sqlx::AssertSqlSafe(sql)).fetch(&mut *connection);
    while let Some(row) = rows.try_next().await.map_err(db)? {
        apply(entry(row)?);
    }
    Ok(())
}

/// Up to `limit` changes after `cursor`, in order: `(seq, contact id)`.
async fn changes(
    connection: &mut SqliteConnection,
    cursor: i64,
    limit: i64,
) -> Result<Vec<(i64, Uuid)>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT seq, contact_id FROM contact_changes WHERE seq > $1 ORDER BY seq LIMIT $2",
    )
    .bind(cursor)
    .bind(limit)
    .fetch_all(&mut *connection)
    .await
    .map_err(db)?;
    rows.into_iter()
        .map(|(seq, id)| {
            Uuid::parse_str(&id)
                .map(|id| (seq, id))
                .map_err(|e| Error::internal(format!("change {seq}: {e}")))
        })
        .collect()
}

/// The contacts of `ids` that exist.
async fn by_ids(connection: &mut SqliteConnection, ids: &[Uuid]) -> Result<Vec<Entry>> {
    let mut entries = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(LOOKUP_VALUES_PER_QUERY) {
        let mut query = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {ENTRY_COLUMNS} FROM contacts WHERE contact_id IN ("
        ));
        let mut list = query.separated(", ");
        for id in chunk {
            list.push_bind(id.to_string());
        }
        query.push(")");
        let rows: Vec<TextEntryRow> = query
            .build_query_as()
            .fetch_all(&mut *connection)
            .await
            .map_err(db)?;
        for row in rows {
            entries.push(entry(row)?);
        }
    }
    Ok(entries)
}

/// Contacts read per statement while loading a sort column.
const ATTRIBUTE_BATCH_ROWS: i64 = 50_000;

/// The value of attribute `name` of every contact that has one. Each statement hands over a range
/// of rows as one string of `contact_id|{attributes}` records, and the value is picked out of the
/// JSON in Rust: one row per fetch took 5.6 s for a million contacts.
async fn attribute(connection: &mut SqliteConnection, name: &str) -> Result<HashMap<Uuid, Json>> {
    let positions: FxHashMap<&str, usize> = [(name, 0)].into_iter().collect();
    let (last,): (Option<i64>,) = sqlx::query_as("SELECT max(rowid) FROM contacts")
        .fetch_one(&mut *connection)
        .await
        .map_err(db)?;
    let mut values = HashMap::new();
    let mut low = 0;
    while low < last.unwrap_or(0) {
        let high = low.saturating_add(ATTRIBUTE_BATCH_ROWS);
        let (text,): (Option<String>,) = sqlx::query_as(
            "SELECT group_concat(contact_id || '|' || attributes, char(30)) FROM contacts \
             WHERE rowid > $1 AND rowid <= $2",
        )
        .bind(low)
        .bind(high)
        .fetch_one(&mut *connection)
        .await
        .map_err(db)?;
        for record in text
            .as_deref()
            .unwrap_or_default()
            .split(crate::export::RECORD)
        {
            let Some((id, json)) = record.split_once('|') else {
                continue;
            };
            let id =
                Uuid::parse_str(id).map_err(|e| Error::internal(format!("contact {id}: {e}")))?;
            let picked = crate::export::picked(json, &positions, 1)
                .map_err(|e| Error::internal(format!("attributes of {id}: {e}")))?;
            if let Some(Some(value)) = picked.into_iter().next() {
                values.insert(id, value);
            }
        }
        low = high;
    }
    Ok(values)
}
