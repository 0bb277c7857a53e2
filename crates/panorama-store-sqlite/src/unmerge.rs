//! Merge records and undo. Before a batch applies its merges, `record` keeps, per merge, the
//! merged contact's row, the survivor's row, both contacts' rows in every other contact-owned
//! table (labels, consent history, fans, ... found from the schema, so areas added later are
//! covered), the merged contact's event and anonymous ids. `undo` puts all of it back in one
//! transaction, after core's `MergeRecord::check_undo` says nothing changed since.

use crate::{contacts, db, events, orders};
use panorama_core::contact::{BatchPlan, ContactId, KeyValue, WriteContext, keys_of};
use panorama_core::event::{CHANGE_EVENTS, EventFilter, MergeRecord, UnmergeOutcome};
use panorama_core::metadata::Schema;
use panorama_core::{Error, Result, codes};
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

/// Keep a record of every merge of `plan`, before `bulk::apply` moves or deletes anything.
pub(crate) async fn record(connection: &mut SqliteConnection, plan: &BatchPlan) -> Result<()> {
    if plan.merged.is_empty() {
        return Ok(());
    }
    let tables = owned_tables(connection).await?;
    let columns = contact_columns(connection).await?;
    for (merged, holder) in &plan.merged {
        let (merged_text, holder_text) = (merged.to_string(), holder.to_string());
        let Some(event) = plan.events.iter().find(|e| {
            e.event == "user_merged"
                && e.properties.get("merged_contact_id").and_then(Json::as_str)
                    == Some(merged_text.as_str())
        }) else {
            continue;
        };
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
        let (event_ids,): (String,) =
            sqlx::query_as("SELECT json_group_array(event_id) FROM events WHERE contact_id = $1")
                .bind(&merged_text)
                .fetch_one(&mut *connection)
                .await
                .map_err(db)?;
        let (anonymous_ids,): (String,) =
            sqlx::query_as("SELECT json_group_array(anonymous_id) FROM contact_anonymous_ids WHERE contact_id = $1")
                .bind(&merged_text)
                .fetch_one(&mut *connection)
                .await
                .map_err(db)?;
        let survivor_after = plan
            .write
            .iter()
            .find(|c| c.contact_id == *holder)
            .map(|c| c.updated_at.as_microsecond());
        sqlx::query(
            "INSERT INTO merges (merge_id, survivor_id, merged_id, merged_at, survivor_updated_at, merged_row,
                survivor_row, owned_rows, event_ids, anonymous_ids) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (merge_id) DO NOTHING",
        )
        .bind(&event.event_id)
        .bind(&holder_text)
        .bind(&merged_text)
        .bind(event.occurred_at.as_microsecond())
        .bind(survivor_after.filter(|_| survivor_rows.as_array().is_some_and(|r| !r.is_empty())))
        .bind(first(&contact_rows).to_string())
        .bind(survivor_rows.as_array().and_then(|r| r.first()).map(ToString::to_string))
        .bind(Json::Object(owned).to_string())
        .bind(event_ids)
        .bind(anonymous_ids)
        .execute(&mut *connection)
        .await
        .map_err(db)?;
    }
    Ok(())
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

/// A `merges` row's record columns: survivor, merged, merged_at, survivor_updated_at, undone_at.
type RecordRow = (String, String, i64, Option<i64>, Option<i64>);
/// A `merges` row's snapshot columns, as JSON text.
type SnapshotRow = (String, Option<String>, String, String, String);

/// The merge record, if the merge was recorded.
pub(crate) async fn load(
    connection: &mut SqliteConnection,
    merge_id: &str,
) -> Result<Option<MergeRecord>> {
    let row: Option<RecordRow> = sqlx::query_as(
        "SELECT survivor_id, merged_id, merged_at, survivor_updated_at, undone_at FROM merges WHERE merge_id = $1",
    )
    .bind(merge_id)
    .fetch_optional(connection)
    .await
    .map_err(db)?;
    let Some((survivor, merged, merged_at, survivor_updated_at, undone_at)) = row else {
        return Ok(None);
    };
    let time = |micros: i64| crate::convert::timestamp(micros);
    Ok(Some(MergeRecord {
        merge_id: merge_id.to_owned(),
        survivor_id: ContactId::parse(&survivor).map_err(Error::internal)?,
        merged_id: ContactId::parse(&merged).map_err(Error::internal)?,
        merged_at: time(merged_at)?,
        survivor_updated_at: survivor_updated_at.map(time).transpose()?,
        undone_at: undone_at.map(time).transpose()?,
    }))
}

/// Undo a merge inside the caller's transaction.
pub(crate) async fn undo(
    connection: &mut SqliteConnection,
    schema: &Schema,
    merge_id: &str,
    context: &WriteContext,
) -> Result<UnmergeOutcome> {
    let record = load(connection, merge_id)
        .await?
        .ok_or_else(|| Error::not_found("merge", merge_id))?;
    let survivor = contacts::get(connection, record.survivor_id).await?;
    let merged_exists = contacts::get(connection, record.merged_id).await?.is_some();
    let since = EventFilter {
        events: Some(CHANGE_EVENTS.iter().map(|k| (*k).to_owned()).collect()),
        from: Some(record.merged_at + jiff::SignedDuration::from_micros(1)),
        to: None,
    };
    let query = panorama_core::event::TimelineQuery {
        filter: since,
        limit: 20,
        cursor: None,
    };
    let changes = events::timeline(connection, record.survivor_id, &query)
        .await?
        .items;
    record.check_undo(survivor.as_ref(), merged_exists, &changes)?;
    let (survivor_text, merged_text) =
        (record.survivor_id.to_string(), record.merged_id.to_string());
    let (merged_row, survivor_row, owned, event_ids, anonymous_ids): SnapshotRow = sqlx::query_as(
        "SELECT merged_row, survivor_row, owned_rows, event_ids, anonymous_ids
             FROM merges WHERE merge_id = $1",
    )
    .bind(merge_id)
    .fetch_one(&mut *connection)
    .await
    .map_err(db)?;
    let parse = |text: &str| serde_json::from_str::<Json>(text).map_err(Error::internal);
    // Rows of other areas may reference each other (fans and their labels); check at commit.
    sqlx::query("PRAGMA defer_foreign_keys = ON")
        .execute(&mut *connection)
        .await
        .map_err(db)?;
    insert_rows(connection, "contacts", &[parse(&merged_row)?]).await?;
    if let Some(row) = survivor_row {
        restore_survivor(connection, &parse(&row)?).await?;
    }
    for (table, snapshot) in parse(&owned)?.as_object().into_iter().flatten() {
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
    for (sql, ids) in [
        (
            "UPDATE events SET contact_id = $1 WHERE contact_id = $2 AND event_id IN (SELECT value FROM json_each($3))",
            event_ids,
        ),
        (
            "UPDATE contact_anonymous_ids SET contact_id = $1 WHERE contact_id = $2 AND anonymous_id IN (SELECT value FROM json_each($3))",
            anonymous_ids,
        ),
    ] {
        sqlx::query(sql)
            .bind(&merged_text)
            .bind(&survivor_text)
            .bind(ids)
            .execute(&mut *connection)
            .await
            .map_err(db)?;
    }
    let mut both = Vec::new();
    for id in [record.survivor_id, record.merged_id] {
        both.push(
            contacts::get(connection, id)
                .await?
                .ok_or_else(|| Error::internal("a restored contact is missing"))?,
        );
    }
    for contact in &both {
        rekey(connection, contact.contact_id, &keys_of(schema, contact)).await?;
    }
    orders::refresh(connection, &[record.survivor_id, record.merged_id]).await?;
    events::insert_events(connection, &record.undo_events(context)).await?;
    sqlx::query("UPDATE merges SET undone_at = $1 WHERE merge_id = $2")
        .bind(context.at.as_microsecond())
        .bind(merge_id)
        .execute(&mut *connection)
        .await
        .map_err(db)?;
    let restored = both
        .pop()
        .ok_or_else(|| Error::internal("no restored contact"))?;
    let survivor = both.pop().ok_or_else(|| Error::internal("no survivor"))?;
    Ok(UnmergeOutcome { survivor, restored })
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

/// Replace a contact's key rows, refusing keys another contact took meanwhile.
async fn rekey(
    connection: &mut SqliteConnection,
    contact_id: ContactId,
    keys: &[KeyValue],
) -> Result<()> {
    let id = contact_id.to_string();
    sqlx::query("DELETE FROM contact_keys WHERE contact_id = $1")
        .bind(&id)
        .execute(&mut *connection)
        .await
        .map_err(db)?;
    for key in keys {
        let holder: Option<(String,)> = sqlx::query_as(
            "SELECT contact_id FROM contact_keys WHERE attribute = $1 AND value = $2",
        )
        .bind(&key.attribute)
        .bind(&key.value)
        .fetch_optional(&mut *connection)
        .await
        .map_err(db)?;
        if let Some((other,)) = holder {
            return Err(Error {
                kind: panorama_core::ErrorKind::Conflict,
                code: codes::MERGE_NOT_UNDOABLE,
                detail: format!(
                    "the merge can no longer be undone: {} `{}` now belongs to contact {other}",
                    key.attribute, key.value
                ),
                field: Some(key.attribute.clone()),
                value: Some(key.value.clone()),
            });
        }
        sqlx::query("INSERT INTO contact_keys (attribute, value, contact_id) VALUES ($1, $2, $3)")
            .bind(&key.attribute)
            .bind(&key.value)
            .bind(&id)
            .execute(&mut *connection)
            .await
            .map_err(db)?;
    }
    Ok(())
}
