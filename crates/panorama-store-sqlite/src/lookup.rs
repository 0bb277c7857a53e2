//! Look-ups by `IN (...)` lists that answer in one row: SQLite folds the matches into a JSON array
//! (`json_group_array`), so a thousand matches cross from the database thread in one message
//! rather than a thousand. That per-row hand-over, not the search, is what a batch would wait on.

use crate::bulk::LOOKUP_VALUES_PER_QUERY;
use crate::db;
use panorama_core::{Error, Result};
use serde::de::DeserializeOwned;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

/// Run `{select} ... {column} IN (values)` chunk by chunk, where `select` is
/// `SELECT json_group_array(...) FROM table WHERE [conditions AND]`, and collect the array items.
pub(crate) async fn matching<T: DeserializeOwned>(
    connection: &mut SqliteConnection,
    select: &str,
    column: &str,
    values: &[&str],
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for chunk in values.chunks(LOOKUP_VALUES_PER_QUERY) {
        let mut query = QueryBuilder::<Sqlite>::new(select);
        query.push(" ").push(column).push(" IN (");
        let mut list = query.separated(", ");
        for value in chunk {
            list.push_bind(*value);
        }
        query.push(")");
        let (text,): (String,) = query
            .build_query_as()
            .fetch_one(&mut *connection)
            .await
            .map_err(db)?;
        let items: Vec<T> = serde_json::from_str(&text)
            .map_err(|e| Error::internal(format!("lookup result: {e}")))?;
        out.extend(items);
    }
    Ok(out)
}
