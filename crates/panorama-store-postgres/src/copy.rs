//! What a copy does its own way on PostgreSQL (the rest is `panorama-store-sql`'s `CopyStore`):
//! rows come out of `jsonb_build_object` and go back in through COPY, which takes the audit
//! log's `GENERATED ALWAYS` ids as given. Derived data is made as rows arrive (the `event_ids` of
//! events; the list index reads the contacts from the change feed the inserts append to), and
//! `copy_settle` moves identity sequences past the copied ids.

use crate::copy_in::{CopyRows, copy_in};
use crate::{PostgresDb, db};
use async_trait::async_trait;
use panorama_core::{Error, Result};
use panorama_store_sql::{CopyKind, CopySql, CopyTable, NativeForm, sql_name};
use serde_json::{Map, Value};
use sqlx::{AssertSqlSafe, PgConnection};

/// Bytes a copied row takes in COPY's text format, about: sizes the buffer up front.
const COPY_ROW_BYTES: usize = 256;

/// Append `value` of a column of `kind` to `rows`: JSON columns as their JSON text (a JSON string
/// keeps its quotes), everything else as its text, `null` as NULL.
fn field(rows: &mut CopyRows, kind: CopyKind, value: &Value) {
    let json = matches!(
        kind,
        CopyKind::Json | CopyKind::ContactRow | CopyKind::OwnedRows
    );
    match value {
        Value::Null => rows.optional_text(None),
        Value::String(text) if !json => rows.text(text),
        Value::Number(n) if !json => match n.as_i64() {
            Some(n) => rows.int(n),
            None => rows.text(&n.to_string()),
        },
        Value::Bool(flag) if !json => rows.boolean(*flag),
        other => rows.text(&other.to_string()),
    };
}

#[async_trait]
impl CopySql for PostgresDb {
    /// `to_jsonb`'s shape: nested JSON, booleans.
    const NATIVE_FORM: NativeForm = NativeForm {
        json_as_text: false,
        flags_as_integers: false,
    };
    const JSON_OBJECT: &'static str = "jsonb_build_object";

    async fn copy_insert(
        conn: &mut PgConnection,
        table: &CopyTable,
        rows: &[Map<String, Value>],
    ) -> Result<()> {
        let mut encoded = CopyRows::with_capacity(rows.len(), COPY_ROW_BYTES);
        for row in rows {
            for column in table.columns {
                field(
                    &mut encoded,
                    column.kind,
                    row.get(column.name).unwrap_or(&Value::Null),
                );
            }
            encoded.end_row();
        }
        let statement = format!(
            "COPY {} ({}) FROM STDIN",
            sql_name(table.name),
            table.sql_columns()
        );
        copy_in(conn, &statement, &encoded).await?;
        if table.name == "events" {
            // The ids ingest checks for duplicates live beside the partitioned table.
            let mut ids = CopyRows::with_capacity(rows.len(), COPY_ROW_BYTES / 4);
            for row in rows {
                field(
                    &mut ids,
                    CopyKind::Text,
                    row.get("event_id").unwrap_or(&Value::Null),
                );
                field(
                    &mut ids,
                    CopyKind::Id,
                    row.get("contact_id").unwrap_or(&Value::Null),
                );
                ids.end_row();
            }
            copy_in(
                conn,
                "COPY event_ids (event_id, contact_id) FROM STDIN",
                &ids,
            )
            .await?;
        }
        Ok(())
    }

    async fn copy_settle(&self) -> Result<()> {
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
                column = sql_name(&column),
                table = sql_name(&table)
            );
            sqlx::query(AssertSqlSafe(sql))
                .bind(sql_name(&table))
                .bind(&column)
                .execute(&mut *tx)
                .await
                .map_err(|e| Error::internal(format!("copy: sequence of {table}.{column}: {e}")))?;
        }
        tx.commit().await.map_err(db)?;
        // Fresh statistics, so the first queries on the copied data plan as they will later.
        sqlx::query("ANALYZE")
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }
}
