//! `CopyStore` for `PostgresDb`: whole tables read in key order as canonical rows
//! (`jsonb_build_object`) and written back with their ids (`jsonb_populate_recordset`, so every
//! column takes its PostgreSQL type), for `panorama copy`. Derived data is made as rows arrive:
//! the `event_ids` of events (the list index reads the contacts from the change feed that the
//! inserts append to); `copy_finish` moves identity sequences past the copied ids and recounts
//! labels.

use crate::{PostgresDb, db};
use async_trait::async_trait;
use panorama_core::store::{COPY_TABLES, CopyKind, CopyRow, CopyStore, CopyTable, NativeForm};
use panorama_core::{Error, Result};
use serde_json::{Map, Value};
use sqlx::types::Json;
use sqlx::{AssertSqlSafe, PgConnection, Postgres, QueryBuilder};

/// How PostgreSQL writes a row inside JSON (`to_jsonb`): nested JSON, booleans.
const POSTGRES: NativeForm = NativeForm {
    json_as_text: false,
    flags_as_integers: false,
};

/// A table or column name as an SQL identifier (names come from core's table list).
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

async fn count(connection: &mut PgConnection, table: &str) -> Result<u64> {
    let sql = format!("SELECT count(*) FROM {}", quoted(table));
    let (rows,): (i64,) = sqlx::query_as(AssertSqlSafe(sql))
        .fetch_one(connection)
        .await
        .map_err(|e| Error::internal(format!("copy: counting {table}: {e}")))?;
    Ok(u64::try_from(rows).unwrap_or(0))
}

#[async_trait]
impl CopyStore for PostgresDb {
    async fn copy_count(&self, table: &CopyTable) -> Result<u64> {
        let mut connection = self.read().await?;
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
        let mut query = QueryBuilder::<Postgres>::new(format!(
            "SELECT jsonb_build_object({}) FROM {}",
            pairs.join(", "),
            quoted(table.name)
        ));
        if let Some(after) = after {
            query.push(format!(" WHERE ({key}) > ("));
            for (index, column) in table.key_columns().enumerate() {
                if index > 0 {
                    query.push(", ");
                }
                match after.get(column.name).unwrap_or(&Value::Null) {
                    Value::Number(n) => query.push_bind(n.as_i64()),
                    Value::String(text) => query.push_bind(text.clone()),
                    _ => query.push_bind(None::<String>),
                };
                let cast = match column.kind {
                    CopyKind::Id => "::uuid",
                    CopyKind::Integer => "::bigint",
                    _ => "::text",
                };
                query.push(cast);
            }
            query.push(")");
        }
        query
            .push(format!(" ORDER BY {key} LIMIT "))
            .push_bind(i64::try_from(limit).unwrap_or(i64::MAX));
        let mut connection = self.read().await?;
        let rows: Vec<(Json<Map<String, Value>>,)> = query
            .build_query_as()
            .fetch_all(&mut *connection)
            .await
            .map_err(|e| Error::internal(format!("copy: reading {}: {e}", table.name)))?;
        rows.iter()
            .map(|(row,)| table.canonical_row(&row.0, POSTGRES))
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
        let mut tx = self.write().await?;
        let rows: Vec<Value> = rows.iter().cloned().map(Value::Object).collect();
        let names: Vec<String> = table.columns.iter().map(|c| quoted(c.name)).collect();
        let names = names.join(", ");
        // OVERRIDING SYSTEM VALUE keeps the audit log's entry ids (GENERATED ALWAYS).
        let mut sql = format!(
            "INSERT INTO {table_name} ({names}) OVERRIDING SYSTEM VALUE
             SELECT {names} FROM jsonb_populate_recordset(NULL::{table_name}, $1)",
            table_name = quoted(table.name)
        );
        if table.name == "events" {
            // The ids ingest checks for duplicates live beside the partitioned table: take them
            // from the inserted rows rather than reading the batch twice.
            sql = format!(
                "WITH inserted AS ({sql} RETURNING event_id, contact_id)
                 INSERT INTO event_ids (event_id, contact_id) SELECT event_id, contact_id FROM inserted"
            );
        }
        let batch = Json(Value::Array(rows));
        let describe = |index: usize| {
            batch
                .0
                .get(index)
                .and_then(Value::as_object)
                .map(|r| table.describe(r))
                .unwrap_or_default()
        };
        sqlx::query(AssertSqlSafe(sql))
            .bind(&batch)
            .execute(&mut *tx)
            .await
            .map_err(|e| {
                let last = batch.0.as_array().map_or(0, Vec::len).saturating_sub(1);
                Error::internal(format!(
                    "copy: writing rows {} to {}: {e}",
                    describe(0),
                    describe(last)
                ))
            })?;
        tx.commit().await.map_err(db)
    }

    async fn copy_finish(&self) -> Result<()> {
        let mut tx = self.write().await?;
        // Ids were copied, not drawn: move every identity sequence past the largest one, so the
        // next label or audit entry made here gets a new id.
        let identities: Vec<(String, String)> = sqlx::query_as(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND is_identity = 'YES'",
        )
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        for (table, column) in identities {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max({column}), 0) + 1, false) FROM {table}",
                column = quoted(&column),
                table = quoted(&table)
            );
            sqlx::query(AssertSqlSafe(sql))
                .bind(quoted(&table))
                .bind(&column)
                .execute(&mut *tx)
                .await
                .map_err(|e| Error::internal(format!("copy: sequence of {table}.{column}: {e}")))?;
        }
        // Labels arrived with their counts and the triggers counted their contact_labels again:
        // count once more from the rows themselves.
        sqlx::query(
            "UPDATE labels l SET contacts = counted.all_contacts,
                real_name_contacts = counted.real_name, wechat_fan_contacts = counted.wechat_fan
             FROM (SELECT k.label_id, count(c.label_id) AS all_contacts,
                     count(*) FILTER (WHERE c.is_real_name) AS real_name,
                     count(*) FILTER (WHERE c.is_wechat_fan) AS wechat_fan
                   FROM labels k LEFT JOIN contact_labels c ON c.label_id = k.label_id
                   GROUP BY k.label_id) counted
             WHERE l.label_id = counted.label_id",
        )
        .execute(&mut *tx)
        .await
        .map_err(|e| Error::internal(format!("copy: counting labels: {e}")))?;
        tx.commit().await.map_err(db)?;
        // Fresh statistics, so the first queries on the copied data plan as they will later.
        sqlx::query("ANALYZE")
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }
}
