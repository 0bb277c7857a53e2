//! The list index's whole-table reads on PostgreSQL (`ContactsSql::all_entries`,
//! `ContactsSql::attribute_values`): every contact streamed for a build, and one attribute of
//! every contact for a sort column, picked out by PostgreSQL (`->`, `?`). The feed and the reads
//! by id are written once (`panorama-store-sql`'s `contacts_feed.rs`); the feed itself is
//! migration 0003's.

use crate::db;
use panorama_core::Result;
use panorama_list_index::{Entry, EntryRow};
use serde_json::Value as Json;
use sqlx::PgConnection;
use sqlx::types::Json as JsonColumn;
use std::collections::HashMap;
use uuid::Uuid;

const ENTRY_COLUMNS: &str =
    "contact_id, attributes::text, is_real_name, is_wechat_fan, created_at, updated_at";

/// Every contact, handed to `apply` one by one as rows arrive.
pub(crate) async fn all(
    connection: &mut PgConnection,
    apply: &mut (dyn FnMut(Entry) + Send),
) -> Result<()> {
    use futures_util::TryStreamExt;
    let sql = format!("SELECT {ENTRY_COLUMNS} FROM contacts");
    let mut rows = sqlx::query_as::<_, EntryRow>(sqlx::AssertSqlSafe(sql)).fetch(connection);
    while let Some(row) = rows.try_next().await.map_err(db)? {
        apply(Entry::decode(row)?);
    }
    Ok(())
}

/// The value of attribute `name` of every contact that has one.
pub(crate) async fn attribute(
    connection: &mut PgConnection,
    name: &str,
) -> Result<HashMap<Uuid, Json>> {
    use futures_util::TryStreamExt;
    let mut rows = sqlx::query_as::<_, (Uuid, JsonColumn<Json>)>(
        "SELECT contact_id, attributes -> $1 FROM contacts WHERE attributes ? $1",
    )
    .bind(name)
    .fetch(connection);
    let mut values = HashMap::new();
    while let Some((id, JsonColumn(value))) = rows.try_next().await.map_err(db)? {
        values.insert(id, value);
    }
    Ok(values)
}
