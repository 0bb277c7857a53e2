//! `CopyStore` for `SqliteDb`: whole tables read in key order as canonical rows and written back
//! with their ids, for `panorama copy`. Rows are read through `json_object`, whose shape is the
//! one merge snapshots have here, so tables and snapshots share one conversion (core's
//! `NativeForm`). The list's search index needs nothing: the `contact_changes` triggers record
//! every copied contact, and the index catches up (or rebuilds) before its next query.

use crate::{SqliteDb, db};
use async_trait::async_trait;
use panorama_core::store::{COPY_TABLES, CopyRow, CopyStore, CopyTable, NativeForm};
use panorama_core::{Error, Result};
use serde_json::{Map, Value};
use sqlx::query_builder::Separated;
use sqlx::{AssertSqlSafe, QueryBuilder, Sqlite, SqliteConnection};

/// How SQLite writes a row inside JSON: JSON columns as JSON text, flags as 0 and 1.
const SQLITE: NativeForm = NativeForm {
    json_as_text: true,
    flags_as_integers: true,
};
/// Bound values per INSERT: SQLite allows 32,766 a statement.
const VARIABLES_PER_STATEMENT_MAX: usize = 30_000;
/// Rows per INSERT, as the bulk contact writes use.
const ROWS_PER_STATEMENT_MAX: usize = 500;

/// A table or column name as an SQL identifier (names come from core's table list).
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Bind one native value: text, integer or NULL (flags are integers and JSON is text by now).
fn bind<Sep: std::fmt::Display>(list: &mut Separated<'_, Sqlite, Sep>, value: &Value) {
    match value {
        Value::String(text) => list.push_bind(text.clone()),
        Value::Number(n) if n.is_i64() => list.push_bind(n.as_i64()),
        Value::Number(n) => list.push_bind(n.as_f64()),
        Value::Bool(flag) => list.push_bind(i64::from(*flag)),
        Value::Null => list.push_bind(None::<String>),
        other => list.push_bind(other.to_string()),
    };
}

async fn count(connection: &mut SqliteConnection, table: &str) -> Result<u64> {
    let sql = format!("SELECT count(*) FROM {}", quoted(table));
    let (rows,): (i64,) = sqlx::query_as(AssertSqlSafe(sql))
        .fetch_one(connection)
        .await
        .map_err(|e| Error::internal(format!("copy: counting {table}: {e}")))?;
    Ok(u64::try_from(rows).unwrap_or(0))
}

#[async_trait]
impl CopyStore for SqliteDb {
    async fn copy_count(&self, table: &CopyTable) -> Result<u64> {
        let mut connection = self.reader.acquire().await.map_err(db)?;
        count(&mut connection, table.name).await
    }

    async fn copy_read(
        &self,
        table: &CopyTable,
        after: Option<&CopyRow>,
        limit: u64,
    ) -> Result<Vec<CopyRow>> {
        let pairs: Vec<String> = table
            .columns
            .iter()
            .map(|c| format!("'{}', {}", c.name, quoted(c.name)))
            .collect();
        let key: Vec<String> = table.key.iter().map(|name| quoted(name)).collect();
        let key = key.join(", ");
        let mut query = QueryBuilder::<Sqlite>::new(format!(
            "SELECT json_object({}) FROM {}",
            pairs.join(", "),
            quoted(table.name)
        ));
        if let Some(after) = after {
            query.push(format!(" WHERE ({key}) > ("));
            let mut list = query.separated(", ");
            for column in table.key {
                bind(&mut list, after.get(*column).unwrap_or(&Value::Null));
            }
            query.push(")");
        }
        query
            .push(format!(" ORDER BY {key} LIMIT "))
            .push_bind(i64::try_from(limit).unwrap_or(i64::MAX));
        let texts: Vec<(String,)> = query
            .build_query_as()
            .fetch_all(&self.reader)
            .await
            .map_err(|e| Error::internal(format!("copy: reading {}: {e}", table.name)))?;
        texts
            .iter()
            .map(|(text,)| {
                let native: Map<String, Value> = serde_json::from_str(text).map_err(|e| {
                    Error::internal(format!("copy: {}: a row is not JSON: {e}", table.name))
                })?;
                table.canonical_row(&native, SQLITE)
            })
            .collect()
    }

    async fn copy_begin(&self) -> Result<Vec<(&'static str, u64)>> {
        let mut tx = self.write().await?;
        let mut held = Vec::new();
        for table in COPY_TABLES.iter().filter(|t| !t.replaced) {
            let rows = count(&mut tx, table.name).await?;
            if rows > 0 {
                held.push((table.name, rows));
            }
        }
        if !held.is_empty() {
            return Ok(held);
        }
        for table in COPY_TABLES.iter().rev().filter(|t| t.replaced) {
            let sql = format!("DELETE FROM {}", quoted(table.name));
            sqlx::query(AssertSqlSafe(sql))
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(held)
    }

    async fn copy_write(&self, table: &CopyTable, rows: &[CopyRow]) -> Result<()> {
        let natives = rows
            .iter()
            .map(|row| table.native_row(row, SQLITE))
            .collect::<Result<Vec<_>>>()?;
        let names: Vec<String> = table.columns.iter().map(|c| quoted(c.name)).collect();
        let per_statement =
            (VARIABLES_PER_STATEMENT_MAX / table.columns.len().max(1)).min(ROWS_PER_STATEMENT_MAX);
        let mut tx = self.write().await?;
        for (chunk, canonical) in natives
            .chunks(per_statement.max(1))
            .zip(rows.chunks(per_statement.max(1)))
        {
            let mut query = QueryBuilder::<Sqlite>::new(format!(
                "INSERT INTO {} ({}) ",
                quoted(table.name),
                names.join(", ")
            ));
            query.push_values(chunk, |mut list, row| {
                for column in table.columns {
                    bind(&mut list, row.get(column.name).unwrap_or(&Value::Null));
                }
            });
            query.build().execute(&mut *tx).await.map_err(|e| {
                let first = canonical.first().map(|r| table.describe(r));
                let last = canonical.last().map(|r| table.describe(r));
                Error::internal(format!(
                    "copy: writing rows {} to {}: {e}",
                    first.unwrap_or_default(),
                    last.unwrap_or_default()
                ))
            })?;
        }
        tx.commit().await.map_err(db)
    }

    async fn copy_finish(&self) -> Result<()> {
        let mut tx = self.write().await?;
        // Labels arrived with their counts and the triggers counted their contact_labels again:
        // count once more from the rows themselves.
        sqlx::query(
            "UPDATE labels SET
                contacts = (SELECT count(*) FROM contact_labels c WHERE c.label_id = labels.label_id),
                real_name_contacts = (SELECT count(*) FROM contact_labels c
                    WHERE c.label_id = labels.label_id AND c.is_real_name),
                wechat_fan_contacts = (SELECT count(*) FROM contact_labels c
                    WHERE c.label_id = labels.label_id AND c.is_wechat_fan)",
        )
        .execute(&mut *tx)
        .await
        .map_err(|e| Error::internal(format!("copy: counting labels: {e}")))?;
        tx.commit().await.map_err(db)
    }
}
