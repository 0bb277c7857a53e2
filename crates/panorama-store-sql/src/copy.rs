//! Copying every table between stores written once (`CopyStore`), for `panorama copy`: whole
//! tables read in key order as canonical rows (each database builds a row's JSON object, read
//! back through core's canonical form), the target checked empty, rows written back with their
//! ids, derived data recounted. Only the writing differs: SQLite's multi-row inserts,
//! PostgreSQL's COPY ([`CopySql::copy_insert`]).
//!
//! The list's search index needs nothing: the `contact_changes` triggers record every copied
//! contact, and the index catches up (or rebuilds) before its next query.

mod table;
mod tables;

pub use table::{CopyColumn, CopyKind, CopyTable, NativeForm, copy_table, sql_name};
pub use tables::COPY_TABLES;

use crate::{Arg, Backend, DbRow, SqlStore, sql};
use async_trait::async_trait;
use panorama_core::store::{CopyRow, CopyStore};
use panorama_core::{Error, Result};
use serde_json::{Map, Value};
use uuid::Uuid;

/// What a copy does differently on each database.
#[async_trait]
pub trait CopySql: Send + Sync {
    /// How this database writes a row inside JSON.
    const NATIVE_FORM: NativeForm;
    /// The SQL function making one JSON object of name and value pairs.
    const JSON_OBJECT: &'static str;

    /// Insert `rows` of `table` (every column, in [`Self::NATIVE_FORM`]) with their ids, and what
    /// the database derives from them row by row.
    async fn copy_insert(
        conn: &mut <Self as Backend>::Conn,
        table: &CopyTable,
        rows: &[Map<String, Value>],
    ) -> Result<()>
    where
        Self: Backend;

    /// After the copy's last table is written and its labels recounted: bring up to date what
    /// else the database derives (PostgreSQL's identity sequences and planner statistics).
    async fn copy_settle(&self) -> Result<()>;
}

/// The copied table `name`; a name the table list does not hold is an error.
fn known(name: &str) -> Result<&'static CopyTable> {
    copy_table(name).ok_or_else(|| Error::not_found("copied table", name))
}

async fn count<B: Backend>(conn: &mut B::Conn, table: &str) -> Result<u64> {
    sql(format!("SELECT count(*) FROM {}", sql_name(table)))
        .one::<B>(conn)
        .await
        .and_then(|row| row.count(0))
        .map_err(|e| Error::internal(format!("copy: counting {table}: {e}")))
}

/// The bind parameter of a key column's value in a canonical row.
fn key_arg(column: &CopyColumn, value: Option<&Value>) -> Arg {
    let value = value.unwrap_or(&Value::Null);
    match column.kind {
        CopyKind::Integer => Arg::I64(value.as_i64()),
        CopyKind::Id => match value.as_str() {
            // A uuid where the database has the type; the text itself otherwise (SQLite's text is
            // compared byte for byte).
            Some(text) => match Uuid::parse_str(text) {
                Ok(id) if id.hyphenated().to_string() == text => Arg::Id(Some(id)),
                _ => Arg::Text(Some(text.to_owned())),
            },
            None => Arg::Id(None),
        },
        _ => Arg::Text(value.as_str().map(str::to_owned)),
    }
}

#[async_trait]
impl<B: Backend> CopyStore for SqlStore<B> {
    async fn copy_count(&self, table: &str) -> Result<u64> {
        let table = known(table)?;
        let mut connection = self.backend.read().await?;
        count::<B>(&mut connection, table.name).await
    }

    async fn copy_read(
        &self,
        table: &str,
        after: Option<&CopyRow>,
        limit: u64,
    ) -> Result<Vec<CopyRow>> {
        let table = known(table)?;
        let pairs: Vec<String> = table
            .columns
            .iter()
            .map(|c| format!("'{}', {}", c.name, sql_name(c.name)))
            .collect();
        let key: Vec<String> = table.key.iter().map(|name| sql_name(name)).collect();
        let key = key.join(", ");
        let mut text = format!(
            "SELECT {}({}) FROM {}",
            B::JSON_OBJECT,
            pairs.join(", "),
            sql_name(table.name)
        );
        let mut args = Vec::new();
        if let Some(after) = after {
            args = table
                .key_columns()
                .map(|column| key_arg(column, after.get(column.name)))
                .collect();
            let places: Vec<String> = (1..=args.len()).map(|n| format!("${n}")).collect();
            text.push_str(&format!(" WHERE ({key}) > ({})", places.join(", ")));
        }
        text.push_str(&format!(" ORDER BY {key} LIMIT ${}", args.len() + 1));
        let mut statement = sql(text);
        for arg in args {
            statement = statement.bind(arg);
        }
        let mut connection = self.backend.read().await?;
        let rows = statement
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .all::<B>(&mut connection)
            .await
            .map_err(|e| Error::internal(format!("copy: reading {}: {e}", table.name)))?;
        rows.iter()
            .map(|row| table.canonical_row(&row.json(0)?, B::NATIVE_FORM))
            .collect()
    }

    async fn copy_begin(&self) -> Result<Vec<(&'static str, u64)>> {
        let mut tx = self.backend.write().await?;
        let mut held = Vec::new();
        for table in COPY_TABLES.iter().filter(|t| !t.replaced) {
            let rows = count::<B>(&mut tx, table.name).await?;
            if rows > 0 {
                held.push((table.name, rows));
            }
        }
        if !held.is_empty() {
            return Ok(held);
        }
        for table in COPY_TABLES.iter().rev().filter(|t| t.replaced) {
            sql(format!("DELETE FROM {}", sql_name(table.name)))
                .execute::<B>(&mut tx)
                .await?;
        }
        B::commit(tx).await?;
        Ok(held)
    }

    async fn copy_write(&self, table: &str, rows: &[CopyRow]) -> Result<()> {
        let table = known(table)?;
        let natives = rows
            .iter()
            .map(|row| table.native_row(row, B::NATIVE_FORM))
            .collect::<Result<Vec<_>>>()?;
        let mut tx = self.backend.write().await?;
        B::copy_insert(&mut tx, table, &natives)
            .await
            .map_err(|e| {
                let first = rows.first().map(|r| table.describe(r));
                let last = rows.last().map(|r| table.describe(r));
                Error::internal(format!(
                    "copy: writing rows {} to {}: {e}",
                    first.unwrap_or_default(),
                    last.unwrap_or_default()
                ))
            })?;
        B::commit(tx).await
    }

    async fn copy_finish(&self) -> Result<()> {
        let mut tx = self.backend.write().await?;
        // Labels arrived with their counts and the triggers counted their contact_labels again:
        // count once more from the rows themselves.
        sql("UPDATE labels SET
                contacts = (SELECT count(*) FROM contact_labels c WHERE c.label_id = labels.label_id),
                real_name_contacts = (SELECT count(*) FROM contact_labels c
                    WHERE c.label_id = labels.label_id AND c.is_real_name),
                wechat_fan_contacts = (SELECT count(*) FROM contact_labels c
                    WHERE c.label_id = labels.label_id AND c.is_wechat_fan)")
        .execute::<B>(&mut tx)
        .await
        .map_err(|e| Error::internal(format!("copy: counting labels: {e}")))?;
        B::commit(tx).await?;
        self.backend.copy_settle().await
    }
}
