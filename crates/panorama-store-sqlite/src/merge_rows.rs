//! A merge's rows on SQLite, for its record and its undo (`panorama-store-sql`'s
//! `events/merges.rs` and `events/unmerge.rs`): the merged contact's row, the survivor's row and
//! both contacts' rows in every other contact-owned table (labels, consent history, fans, ...
//! found from the schema, so areas added later are covered), as JSON built by SQLite; and the
//! same rows put back, each value bound with its SQLite type.

use crate::db;
use panorama_core::contact::ContactId;
use panorama_core::event::MergeRecord;
use panorama_core::{Error, Result};
use panorama_store_sql::events::MergeRows;
use serde_json::{Map, Value as Json};
use sqlx::{AssertSqlSafe, QueryBuilder, Sqlite, SqliteConnection};

/// Tables restored by their own rules rather than from row snapshots.
const OWN_RULES: [&str; 5] = [
    "contacts",
    "events",
    "contact_keys",
    "contact_anonymous_ids",
    "merges",
];

/// Every other table with a `contact_id` column, with its columns.
async fn owned_tables(connection: &mut SqliteConnection) -> Result<Vec<(String, Vec<String>)>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%' ORDER BY m.name, p.cid",
    )
    .fetch_all(&mut *connection)
    .await
    .map_err(db)?;
    let mut tables: Vec<(String, Vec<String>)> = Vec::new();
    for (table, column) in rows {
        match tables.last_mut() {
            Some((name, columns)) if *name == table => columns.push(column),
            _ => tables.push((table, vec![column])),
        }
    }
    tables.retain(|(name, columns)| {
        !OWN_RULES.contains(&name.as_str()) && columns.iter().any(|c| c == "contact_id")
    });
    Ok(tables)
}

/// The rows of `table` belonging to `contact_id`, as JSON objects (column → value).
async fn rows(
    connection: &mut SqliteConnection,
    table: &str,
    columns: &[String],
    contact_id: &str,
) -> Result<Json> {
    let pairs: Vec<String> = columns.iter().map(|c| format!("'{c}', \"{c}\"")).collect();
    let sql = format!(
        "SELECT json_group_array(json_object({})) FROM \"{table}\" WHERE contact_id = $1",
        pairs.join(", ")
    );
    let (text,): (String,) = sqlx::query_as(AssertSqlSafe(sql))
        .bind(contact_id)
        .fetch_one(connection)
        .await
        .map_err(db)?;
    serde_json::from_str(&text).map_err(Error::internal)
}

/// Insert JSON-object rows back into `table`.
async fn insert_rows(connection: &mut SqliteConnection, table: &str, rows: &[Json]) -> Result<()> {
    for row in rows.iter().filter_map(Json::as_object) {
        let mut query = QueryBuilder::<Sqlite>::new(format!("INSERT INTO \"{table}\" ("));
        let names: Vec<String> = row
            .keys()
            .map(|k| format!("\"{}\"", k.replace('"', "")))
            .collect();
        query.push(names.join(", ")).push(") VALUES (");
        let mut list = query.separated(", ");
        for value in row.values() {
            match value {
                Json::Number(n) if n.is_i64() => list.push_bind(n.as_i64()),
                Json::Number(n) => list.push_bind(n.as_f64()),
                Json::String(s) => list.push_bind(s.clone()),
                Json::Bool(b) => list.push_bind(i64::from(*b)),
                _ => list.push_bind(None::<String>),
            };
        }
        query.push(")");
        query.build().execute(&mut *connection).await.map_err(db)?;
    }
    Ok(())
}

/// The rows the records of `merges` (`(merged, survivor)` pairs) keep, in order.
pub(crate) async fn snapshot(
    connection: &mut SqliteConnection,
    merges: &[(ContactId, ContactId)],
) -> Result<Vec<MergeRows>> {
    let tables = owned_tables(connection).await?;
    let columns = contact_columns(connection).await?;
    let mut snapshots = Vec::with_capacity(merges.len());
    for (merged, holder) in merges {
        let (merged_text, holder_text) = (merged.to_string(), holder.to_string());
        let contact_rows = rows(connection, "contacts", &columns, &merged_text).await?;
        let survivor_rows = rows(connection, "contacts", &columns, &holder_text).await?;
        let mut owned = Map::new();
        for (table, columns) in &tables {
            let merged_rows = rows(connection, table, columns, &merged_text).await?;
            let survivor_rows = rows(connection, table, columns, &holder_text).await?;
            owned.insert(
                table.clone(),
                serde_json::json!({"merged": merged_rows, "survivor": survivor_rows}),
            );
        }
        snapshots.push(MergeRows {
            merged_row: first(&contact_rows),
            survivor_row: survivor_rows.as_array().and_then(|r| r.first()).cloned(),
            owned: Json::Object(owned),
        });
    }
    Ok(snapshots)
}

fn first(rows: &Json) -> Json {
    rows.as_array()
        .and_then(|r| r.first())
        .cloned()
        .unwrap_or(Json::Null)
}

async fn contact_columns(connection: &mut SqliteConnection) -> Result<Vec<String>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM pragma_table_info('contacts') ORDER BY cid")
            .fetch_all(connection)
            .await
            .map_err(db)?;
    Ok(rows.into_iter().map(|(name,)| name).collect())
}

/// Put a merge's rows back: the merged contact's row, the survivor's as it was, both sides of
/// every owned table.
pub(crate) async fn restore(
    connection: &mut SqliteConnection,
    record: &MergeRecord,
    rows: MergeRows,
) -> Result<()> {
    let (survivor_text, merged_text) =
        (record.survivor_id.to_string(), record.merged_id.to_string());
    // Rows of other areas may reference each other (fans and their labels); check at commit.
    sqlx::query("PRAGMA defer_foreign_keys = ON")
        .execute(&mut *connection)
        .await
        .map_err(db)?;
    insert_rows(connection, "contacts", &[rows.merged_row]).await?;
    if let Some(row) = &rows.survivor_row {
        restore_survivor(connection, row).await?;
    }
    for (table, snapshot) in rows.owned.as_object().into_iter().flatten() {
        let sql = format!("DELETE FROM \"{table}\" WHERE contact_id IN ($1, $2)");
        sqlx::query(AssertSqlSafe(sql))
            .bind(&survivor_text)
            .bind(&merged_text)
            .execute(&mut *connection)
            .await
            .map_err(db)?;
        for side in ["survivor", "merged"] {
            insert_rows(
                connection,
                table,
                snapshot[side].as_array().map_or(&[][..], Vec::as_slice),
            )
            .await?;
        }
    }
    Ok(())
}

/// Put the survivor's row back as it was, column by column: an UPDATE, never a delete, which
/// would cascade to its events and every other table.
async fn restore_survivor(connection: &mut SqliteConnection, row: &Json) -> Result<()> {
    let Some(object) = row.as_object() else {
        return Ok(());
    };
    let Some(id) = object.get("contact_id").and_then(Json::as_str) else {
        return Ok(());
    };
    let mut query = QueryBuilder::<Sqlite>::new("UPDATE contacts SET ");
    let mut first = true;
    for (column, value) in object.iter().filter(|(c, _)| c.as_str() != "contact_id") {
        if !first {
            query.push(", ");
        }
        first = false;
        query.push(format!("\"{}\" = ", column.replace('"', "")));
        match value {
            Json::Number(n) if n.is_i64() => query.push_bind(n.as_i64()),
            Json::Number(n) => query.push_bind(n.as_f64()),
            Json::String(text) => query.push_bind(text.clone()),
            Json::Bool(flag) => query.push_bind(i64::from(*flag)),
            _ => query.push_bind(None::<String>),
        };
    }
    query.push(" WHERE contact_id = ").push_bind(id.to_owned());
    query.build().execute(&mut *connection).await.map_err(db)?;
    Ok(())
}
