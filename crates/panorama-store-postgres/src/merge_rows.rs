//! A merge's rows on PostgreSQL, for its record and its undo (`panorama-store-sql`'s
//! `events/merges.rs` and `events/unmerge.rs`): the merged contact's row, the survivor's row and
//! both contacts' rows in every other contact-owned table (found from the catalogue, so areas
//! added later are covered) as `jsonb`, read in one statement per merge; and the same rows put
//! back with `jsonb_populate_recordset`, so every column keeps its PostgreSQL type.

use crate::db;
use panorama_core::contact::ContactId;
use panorama_core::event::MergeRecord;
use panorama_core::{Error, Result};
use panorama_store_sql::events::MergeRows;
use serde_json::{Map, Value as Json};
use sqlx::types::Json as Jsonb;
use sqlx::{AssertSqlSafe, PgConnection};

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
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Every table with a `contact_id` column (partitions of a partitioned table are its parent's),
/// with its columns that take values (generated ones are left out), by name.
async fn contact_tables(connection: &mut PgConnection) -> Result<Vec<(String, Vec<String>)>> {
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
fn owned(tables: Vec<(String, Vec<String>)>) -> Vec<(String, Vec<String>)> {
    tables
        .into_iter()
        .filter(|(name, _)| !OWN_RULES.contains(&name.as_str()))
        .collect()
}

/// `tables` ordered so that a table comes after every other one of them its foreign keys refer
/// to (fans before their follower labels): restored rows then never miss their parent row.
async fn parents_first(
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
async fn insert_rows(
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
async fn restore_survivor(
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

/// The rows the records of `merges` (`(merged, survivor)` pairs) keep, in order.
pub(crate) async fn snapshot(
    connection: &mut PgConnection,
    merges: &[(ContactId, ContactId)],
) -> Result<Vec<MergeRows>> {
    let tables = owned(contact_tables(connection).await?);
    // Both sides of every owned table in one object: {table: {"merged": [..], "survivor": [..]}}.
    let sides: Vec<String> = tables
        .iter()
        .map(|(table, _)| {
            let rows = |bind: &str| {
                format!(
                    "(SELECT coalesce(jsonb_agg(to_jsonb(t)), '[]') FROM {} t WHERE t.contact_id = {bind})",
                    quoted(table)
                )
            };
            format!(
                "'{}', jsonb_build_object('merged', {}, 'survivor', {})",
                table.replace('\'', "''"),
                rows("$1"),
                rows("$2")
            )
        })
        .collect();
    let snapshot = format!(
        "SELECT (SELECT to_jsonb(c) FROM contacts c WHERE c.contact_id = $1),
            (SELECT to_jsonb(c) FROM contacts c WHERE c.contact_id = $2), {}",
        if sides.is_empty() {
            "'{}'::jsonb".to_owned()
        } else {
            format!("jsonb_build_object({})", sides.join(", "))
        }
    );
    let mut snapshots = Vec::with_capacity(merges.len());
    for (merged, holder) in merges {
        let (merged_row, survivor_row, owned): (Option<Json>, Option<Json>, Json) =
            sqlx::query_as(AssertSqlSafe(snapshot.clone()))
                .bind(merged.uuid())
                .bind(holder.uuid())
                .fetch_one(&mut *connection)
                .await
                .map_err(db)?;
        snapshots.push(MergeRows {
            merged_row: merged_row.unwrap_or(Json::Null),
            survivor_row,
            owned,
        });
    }
    Ok(snapshots)
}

/// Put a merge's rows back: the merged contact's row, the survivor's as it was, both sides of
/// every owned table.
pub(crate) async fn restore(
    connection: &mut PgConnection,
    record: &MergeRecord,
    rows: MergeRows,
) -> Result<()> {
    let tables = contact_tables(connection).await?;
    let contact_columns = tables
        .iter()
        .find(|(name, _)| name == "contacts")
        .map(|(_, columns)| columns.clone())
        .ok_or_else(|| Error::internal("the contacts table has no contact_id column"))?;
    insert_rows(
        connection,
        "contacts",
        &contact_columns,
        &Json::Array(vec![rows.merged_row]),
    )
    .await?;
    if let Some(row) = rows.survivor_row {
        restore_survivor(connection, &contact_columns, record.survivor_id, &row).await?;
    }
    let both = [record.survivor_id.uuid(), record.merged_id.uuid()];
    let snapshots: Map<String, Json> = match rows.owned {
        Json::Object(map) => map,
        _ => Map::new(),
    };
    let snapshot_tables: Vec<(String, Vec<String>)> = owned(tables)
        .into_iter()
        .filter(|(name, _)| snapshots.contains_key(name))
        .collect();
    // Delete every side first (a cascade may reach a table listed earlier), then insert parents
    // before the rows that refer to them.
    for (table, _) in &snapshot_tables {
        let sql = format!(
            "DELETE FROM {} WHERE contact_id = ANY($1::uuid[])",
            quoted(table)
        );
        sqlx::query(AssertSqlSafe(sql))
            .bind(&both[..])
            .execute(&mut *connection)
            .await
            .map_err(db)?;
    }
    for (table, columns) in parents_first(connection, snapshot_tables).await? {
        for side in ["survivor", "merged"] {
            insert_rows(connection, &table, &columns, &snapshots[&table][side]).await?;
        }
    }
    Ok(())
}
