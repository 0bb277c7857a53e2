//! Deleting many contacts by id in one transaction, for bulk actions.
//!
//! It is the same `DELETE FROM contacts` as deleting one contact, only with an `IN` list, after the
//! same suppression-list step (`suppression::before_delete`), so every
//! effect is the same by construction: keys, events, anonymous ids, consent history, labels and
//! fan records go through `ON DELETE CASCADE`; the label-count triggers fire for the cascaded
//! `contact_labels` rows; the change-feed triggers record each deleted id.

use crate::bulk::LOOKUP_VALUES_PER_QUERY;
use crate::{SqliteDb, db};
use panorama_core::Result;
use panorama_core::contact::ContactId;
use sqlx::{QueryBuilder, Sqlite};

impl SqliteDb {
    /// Delete the contacts of `ids` in one write transaction; returns how many existed.
    pub(crate) async fn delete_by_ids(&self, ids: &[ContactId]) -> Result<u64> {
        let mut tx = self.write().await?;
        let mut deleted = 0;
        for chunk in ids.chunks(LOOKUP_VALUES_PER_QUERY) {
            panorama_store_sql::suppression::before_delete::<SqliteDb>(&mut tx, chunk).await?;
            let mut query =
                QueryBuilder::<Sqlite>::new("DELETE FROM contacts WHERE contact_id IN (");
            let mut list = query.separated(", ");
            for id in chunk {
                list.push_bind(id.to_string());
            }
            query.push(")");
            deleted += query
                .build()
                .execute(&mut *tx)
                .await
                .map_err(db)?
                .rows_affected();
        }
        tx.commit().await.map_err(db)?;
        Ok(deleted)
    }
}
