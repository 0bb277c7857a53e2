//! Look-ups by `IN (...)` lists that answer in one row: SQLite folds the matches into a JSON array
//! (`json_group_array`), so a thousand matches cross from the database thread in one message
//! rather than a thousand. That per-row hand-over, not the search, is what a batch would wait on.

use crate::bulk::LOOKUP_VALUES_PER_QUERY;
use crate::db;
use panorama_core::{Error, Result};
use serde::de::DeserializeOwned;
use sqlx::{AssertSqlSafe, SqliteConnection};

/// Run `{select} ... {column} IN (values)` chunk by chunk, where `select` is
/// `SELECT json_group_array(...) FROM table WHERE [conditions AND]`, and collect the array items.
pub(crate) async fn matching<T: DeserializeOwned>(
    connection: &mut SqliteConnection,
    select: &str,
    column: &str,
    values: &[&str],
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    // The list travels as one JSON array: one bind, however many values.
    let sql = format!("{select} {column} IN (SELECT value FROM json_each($1))");
    for chunk in values.chunks(LOOKUP_VALUES_PER_QUERY * 10) {
        let list = serde_json::to_string(chunk).map_err(Error::internal)?;
        let (text,): (String,) = sqlx::query_as(AssertSqlSafe(sql.as_str()))
            .bind(list)
            .fetch_one(&mut *connection)
            .await
            .map_err(db)?;
        let items: Vec<T> = serde_json::from_str(&text)
            .map_err(|e| Error::internal(format!("lookup result: {e}")))?;
        out.extend(items);
    }
    Ok(out)
}
