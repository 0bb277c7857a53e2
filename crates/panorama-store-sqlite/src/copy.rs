//! What a copy does its own way on SQLite (the rest is `panorama-store-sql`'s `CopyStore`): rows
//! come out of `json_object`, whose shape is the one merge snapshots have here, and go back in
//! through multi-row inserts of their native values.

use crate::SqliteDb;
use async_trait::async_trait;
use panorama_core::Result;
use panorama_store_sql::{Arg, CopySql, CopyTable, NativeForm, insert_rows, sql_name};
use serde_json::{Map, Value};
use sqlx::SqliteConnection;

/// One native value (flags are integers and JSON is text by now) as a parameter.
fn arg(value: &Value) -> Arg {
    match value {
        Value::String(text) => Arg::Text(Some(text.clone())),
        Value::Number(n) if n.is_i64() => Arg::I64(n.as_i64()),
        Value::Number(n) => Arg::F64(n.as_f64()),
        Value::Bool(flag) => Arg::I64(Some(i64::from(*flag))),
        Value::Null => Arg::Text(None),
        other => Arg::Text(Some(other.to_string())),
    }
}

#[async_trait]
impl CopySql for SqliteDb {
    /// JSON columns as JSON text inside the JSON, flags as 0 and 1.
    const NATIVE_FORM: NativeForm = NativeForm {
        json_as_text: true,
        flags_as_integers: true,
    };
    const JSON_OBJECT: &'static str = "json_object";

    async fn copy_insert(
        conn: &mut SqliteConnection,
        table: &CopyTable,
        rows: &[Map<String, Value>],
    ) -> Result<()> {
        let head = format!(
            "INSERT INTO {} ({})",
            sql_name(table.name),
            table.sql_columns()
        );
        let rows = rows
            .iter()
            .map(|row| {
                let value = |name| row.get(name).unwrap_or(&Value::Null);
                table.columns.iter().map(|c| arg(value(c.name))).collect()
            })
            .collect();
        insert_rows::<SqliteDb>(conn, &head, "", table.columns.len(), rows)
            .await
            .map(drop)
    }

    async fn copy_settle(&self) -> Result<()> {
        // Nothing else is derived: the triggers kept the change feed as rows arrived.
        Ok(())
    }
}
