//! Reading a whole category in the list's default order, batch after batch, for exports: a keyset
//! walk down `contacts (created_at, contact_id)`, so memory holds one batch and no id list or search index is
//! needed. Each batch crosses from the database thread as one JSON array (`contacts_as_json`), not
//! row by row: that hand-over, not SQLite, was most of the time of a row-per-message read.

use crate::convert::{ContactRow, contacts_as_json, micros};
use crate::list::category_filter;
use crate::{SqliteStore, db};
use panorama_core::contact::{Category, Contact, ContactId};
use panorama_core::{Error, Result};
use sqlx::AssertSqlSafe;

impl SqliteStore {
    /// Up to `limit` contacts of `category`, newest first (ties by id, descending), after the
    /// keyset `after`.
    pub(crate) async fn newest_first(
        &self,
        category: Category,
        after: Option<(jiff::Timestamp, ContactId)>,
        limit: u64,
    ) -> Result<Vec<Contact>> {
        let mut connection = self.reader.acquire().await.map_err(db)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        // Without a keyset, start above every stored time: the newest contact comes first.
        let (created_at, contact_id) = match after {
            Some((created_at, contact_id)) => (micros(created_at), contact_id.to_string()),
            None => (i64::MAX, String::new()),
        };
        // One range of `contacts (created_at, contact_id)` or its category twins (migration 0008).
        let sql = format!(
            "SELECT {} FROM (SELECT * FROM contacts WHERE {} AND (created_at, contact_id) < ($1, $2) \
             ORDER BY created_at DESC, contact_id DESC LIMIT $3)",
            contacts_as_json(),
            category_filter(category),
        );
        let (text,): (String,) = sqlx::query_as(AssertSqlSafe(sql))
            .bind(created_at)
            .bind(contact_id)
            .bind(limit)
            .fetch_one(&mut *connection)
            .await
            .map_err(db)?;
        // Hand the connection back now rather than from a task spawned on drop: the next batch
        // then finds it idle and reuses its page cache, instead of opening another reader with a
        // cache of its own (8 readers × 64 MB grew an export to 330 MB).
        connection.return_to_pool().await;
        let rows: Vec<ContactRow> = serde_json::from_str(&text)
            .map_err(|e| Error::internal(format!("contacts batch: {e}")))?;
        let mut contacts = rows
            .into_iter()
            .map(ContactRow::into_contact)
            .collect::<Result<Vec<_>>>()?;
        // The aggregate keeps the subquery's order in practice; the keyset must not rely on it.
        contacts.sort_by_key(|c| std::cmp::Reverse((c.created_at, c.contact_id)));
        Ok(contacts)
    }
}
