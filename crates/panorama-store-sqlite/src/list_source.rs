//! The list index's whole-table reads on SQLite (`ContactsSql::all_entries`,
//! `ContactsSql::attribute_values`): every contact streamed for a build, and one attribute of
//! every contact for a sort column, picked out of records SQLite hands over joined. The feed and
//! the reads by id are written once (`panorama-store-sql`'s `contacts_feed.rs`); the feed itself
//! is migration 0007's.

use crate::db;
use panorama_core::{Error, Result};
use panorama_list_index::Entry;
use rustc_hash::FxHashMap;
use serde_json::Value as Json;
use sqlx::SqliteConnection;
use std::collections::HashMap;
use uuid::Uuid;

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

/// Every contact, handed to `apply` one by one as rows arrive.
pub(crate) async fn all(
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

/// Contacts read per statement while loading a sort column.
const ATTRIBUTE_BATCH_ROWS: i64 = 50_000;

/// The value of attribute `name` of every contact that has one. Each statement hands over a range
/// of rows as one string of `contact_id|{attributes}` records, and the value is picked out of the
/// JSON in Rust: one row per fetch took 5.6 s for a million contacts.
pub(crate) async fn attribute(
    connection: &mut SqliteConnection,
    name: &str,
) -> Result<HashMap<Uuid, Json>> {
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
