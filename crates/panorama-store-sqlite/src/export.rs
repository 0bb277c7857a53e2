//! Reading a whole category in the list's default order, batch after batch, for exports: a keyset
//! walk down `contacts (created_at, contact_id)`, so memory holds one batch and no id list or
//! search index is needed. SQLite picks out the asked attributes itself (`json_extract` with
//! several paths keeps their JSON types) and hands each batch over as one JSON array: per-row hand-over and
//! decoding whole contacts were most of the time of a read (42,000 and 107,000 rows/s).

use crate::convert::{micros, timestamp};
use crate::list::category_filter;
use crate::{SqliteStore, db};
use panorama_core::contact::{Category, ContactId};
use panorama_core::store::ContactValues;
use panorama_core::{Error, Result};
use serde_json::Value as Json;
use sqlx::AssertSqlSafe;

/// One row as SQLite sends it: `[created_at, contact_id, updated_at, [null, value...]]` (the
/// array is null when no attribute is asked).
type Row = (i64, String, i64, Option<Vec<Json>>);

impl SqliteStore {
    /// Up to `limit` contacts of `category`, newest first (ties by id, descending), after the
    /// keyset `after`, with the values of `attributes`.
    pub(crate) async fn values_newest_first(
        &self,
        category: Category,
        attributes: &[String],
        after: Option<(jiff::Timestamp, ContactId)>,
        limit: u64,
    ) -> Result<Vec<ContactValues>> {
        let mut connection = self.reader.acquire().await.map_err(db)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        // Without a keyset, start above every stored time: the newest contact comes first.
        let (created_at, contact_id) = match after {
            Some((created_at, contact_id)) => (micros(created_at), contact_id.to_string()),
            None => (i64::MAX, String::new()),
        };
        // One parse of `attributes` per row for every path: `json_extract` with several paths
        // answers a JSON array, types kept. Its first path names a key no stored object holds
        // (system attributes live in columns), so even one attribute gives an array. Paths are
        // bound, never spliced: `$4` is the first attribute's.
        let paths: String = (0..attributes.len())
            .map(|index| format!(", ${}", index + 4))
            .collect();
        // One range of `contacts (created_at, contact_id)` or its category twins (migration 0008).
        let sql = format!(
            "SELECT json_group_array(json_array(created_at, contact_id, updated_at, \
             json_extract(attributes, '$.contact_id'{paths}))) FROM (SELECT * FROM contacts WHERE {} \
             AND (created_at, contact_id) < ($1, $2) ORDER BY created_at DESC, contact_id DESC LIMIT $3)",
            category_filter(category),
        );
        let mut query = sqlx::query_as(AssertSqlSafe(sql))
            .bind(created_at)
            .bind(contact_id)
            .bind(limit);
        for attribute in attributes {
            query = query.bind(format!("$.\"{}\"", attribute.replace('"', "")));
        }
        let (text,): (String,) = query.fetch_one(&mut *connection).await.map_err(db)?;
        // Hand the connection back now rather than from a task spawned on drop: the next batch
        // then finds it idle and reuses its page cache, instead of opening another reader with a
        // cache of its own (8 readers × 64 MB grew an export to 330 MB).
        connection.return_to_pool().await;
        let rows: Vec<Row> = serde_json::from_str(&text)
            .map_err(|e| Error::internal(format!("contacts batch: {e}")))?;
        let mut contacts = rows
            .into_iter()
            .map(|row| contact_values(row, attributes.len()))
            .collect::<Result<Vec<_>>>()?;
        // The aggregate keeps the subquery's order in practice; the keyset must not rely on it.
        contacts.sort_by_key(|c| std::cmp::Reverse((c.created_at, c.contact_id)));
        Ok(contacts)
    }
}

/// A row into its values (after the always-null first one); an absent value reads as `None`.
fn contact_values(
    (created_at, contact_id, updated_at, values): Row,
    count: usize,
) -> Result<ContactValues> {
    let values: Vec<Option<Json>> = values
        .unwrap_or_default()
        .into_iter()
        .skip(1)
        .map(|value| Some(value).filter(|value| !value.is_null()))
        .collect();
    if values.len() != count {
        return Err(Error::internal("contacts batch: a row lacks values"));
    }
    Ok(ContactValues {
        contact_id: ContactId::parse(&contact_id).map_err(Error::internal)?,
        created_at: timestamp(created_at)?,
        updated_at: timestamp(updated_at)?,
        values,
    })
}
