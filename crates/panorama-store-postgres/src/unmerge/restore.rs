//! How an undone merge's rows go back: which tables a contact owns (from the catalogue), snapshot
//! rows back into them (`jsonb_populate_recordset`, so every column keeps its PostgreSQL type),
//! and the restored contacts' keys.

use crate::db;
use panorama_core::contact::{ContactId, KeyValue};
use panorama_core::{Error, ErrorKind, Result, codes};
use serde_json::Value as Json;
use sqlx::types::Json as Jsonb;
use sqlx::{AssertSqlSafe, PgConnection};
use uuid::Uuid;

/// Tables restored by their own rules rather than from row snapshots: the contact rows, events
/// and `event_ids` (moved back by id, so events the survivor received since stay), keys
/// (recomputed), anonymous ids (moved back by id) and the records themselves.
const OWN_RULES: [&str; 6] = [
    "contacts",
    "events",
    "event_ids",
    "contact_keys",
    "contact_anonymous_ids",
    "merges",
];

/// A table name or column name as an SQL identifier.
pub(super) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Every table with a `contact_id` column (partitions of a partitioned table are its parent's),
/// with its columns that take values (generated ones are left out), by name.
pub(super) async fn contact_tables(
    connection: &mut PgConnection,
) -> Result<Vec<(String, Vec<String>)>> {
    sqlx::query_as(
        "SELECT c.relname::text, array_agg(a.attname::text ORDER BY a.attnum)
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             AND a.attgenerated = ''
         WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
           AND EXISTS (SELECT 1 FROM pg_attribute k WHERE k.attrelid = c.oid
                       AND k.attname = 'contact_id' AND NOT k.attisdropped)
         GROUP BY c.relname ORDER BY c.relname",
    )
    .fetch_all(connection)
    .await
    .map_err(db)
}

/// The contact-owned tables restored from snapshots: all but [`OWN_RULES`].
pub(super) fn owned(tables: Vec<(String, Vec<String>)>) -> Vec<(String, Vec<String>)> {
    tables
        .into_iter()
        .filter(|(name, _)| !OWN_RULES.contains(&name.as_str()))
        .collect()
}

/// `tables` ordered so that a table comes after every other one of them its foreign keys refer
/// to (fans before their follower labels): restored rows then never miss their parent row.
pub(super) async fn parents_first(
    connection: &mut PgConnection,
    mut tables: Vec<(String, Vec<String>)>,
) -> Result<Vec<(String, Vec<String>)>> {
    let references: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.relname::text, p.relname::text FROM pg_constraint k
         JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
         WHERE k.contype = 'f' AND c.oid <> p.oid",
    )
    .fetch_all(connection)
    .await
    .map_err(db)?;
    let mut ordered = Vec::with_capacity(tables.len());
    while !tables.is_empty() {
        let waiting = |name: &str, tables: &[(String, Vec<String>)]| {
            references
                .iter()
                .any(|(child, parent)| child == name && tables.iter().any(|(t, _)| t == parent))
        };
        let ready = tables
            .iter()
            .position(|(name, _)| !waiting(name, &tables))
            .ok_or_else(|| {
                Error::internal("contact-owned tables refer to each other in a cycle")
            })?;
        ordered.push(tables.remove(ready));
    }
    Ok(ordered)
}

/// Insert snapshot rows (JSON objects, column → value) back into `table`. The columns are those
/// both the snapshot and the table have now, so a column added since takes its default.
pub(super) async fn insert_rows(
    connection: &mut PgConnection,
    table: &str,
    columns: &[String],
    rows: &Json,
) -> Result<()> {
    let Some(first) = rows
        .as_array()
        .and_then(|rows| rows.first())
        .and_then(Json::as_object)
    else {
        return Ok(());
    };
    let names: Vec<String> = columns
        .iter()
        .filter(|column| first.contains_key(column.as_str()))
        .map(|column| quoted(column))
        .collect();
    let names = names.join(", ");
    let sql = format!(
        "INSERT INTO {table} ({names}) OVERRIDING SYSTEM VALUE
         SELECT {names} FROM jsonb_populate_recordset(NULL::{table}, $1)",
        table = quoted(table)
    );
    sqlx::query(AssertSqlSafe(sql))
        .bind(Jsonb(rows))
        .execute(connection)
        .await
        .map_err(db)?;
    Ok(())
}

/// Put the survivor's row back as it was, column by column: an UPDATE, never a delete, which
/// would cascade to its events and every other table.
pub(super) async fn restore_survivor(
    connection: &mut PgConnection,
    columns: &[String],
    survivor_id: ContactId,
    row: &Json,
) -> Result<()> {
    let Some(object) = row.as_object() else {
        return Ok(());
    };
    let names: Vec<String> = columns
        .iter()
        .filter(|column| column.as_str() != "contact_id" && object.contains_key(column.as_str()))
        .map(|column| quoted(column))
        .collect();
    let names = names.join(", ");
    let sql = format!(
        "UPDATE contacts SET ({names}) =
             (SELECT {names} FROM jsonb_populate_record(NULL::contacts, $1))
         WHERE contact_id = $2"
    );
    sqlx::query(AssertSqlSafe(sql))
        .bind(Jsonb(row))
        .bind(survivor_id.uuid())
        .execute(connection)
        .await
        .map_err(db)?;
    Ok(())
}

/// Replace a contact's key rows, refusing keys another contact took meanwhile.
pub(super) async fn rekey(
    connection: &mut PgConnection,
    contact_id: ContactId,
    keys: &[KeyValue],
) -> Result<()> {
    sqlx::query("DELETE FROM contact_keys WHERE contact_id = $1")
        .bind(contact_id.uuid())
        .execute(&mut *connection)
        .await
        .map_err(db)?;
    for key in keys {
        let holder: Option<Uuid> = sqlx::query_scalar(
            "INSERT INTO contact_keys (attribute, value, contact_id) VALUES ($1, $2, $3)
             ON CONFLICT (attribute, value) DO NOTHING RETURNING contact_id",
        )
        .bind(&key.attribute)
        .bind(&key.value)
        .bind(contact_id.uuid())
        .fetch_optional(&mut *connection)
        .await
        .map_err(db)?;
        if holder.is_none() {
            let other: Option<Uuid> = sqlx::query_scalar(
                "SELECT contact_id FROM contact_keys WHERE attribute = $1 AND value = $2",
            )
            .bind(&key.attribute)
            .bind(&key.value)
            .fetch_optional(&mut *connection)
            .await
            .map_err(db)?;
            let other =
                other.map_or_else(|| "?".to_owned(), |id| ContactId::from_uuid(id).to_string());
            return Err(Error {
                kind: ErrorKind::Conflict,
                code: codes::MERGE_NOT_UNDOABLE,
                detail: format!(
                    "the merge can no longer be undone: {} `{}` now belongs to contact {other}",
                    key.attribute, key.value
                ),
                field: Some(key.attribute.clone()),
                value: Some(key.value.clone()),
            });
        }
    }
    Ok(())
}
