//! Deleting contacts by id: one `DELETE ... = ANY($1)` statement however many there are.
//!
//! It is the same `DELETE FROM contacts` as deleting one contact, after the same suppression-list
//! step (`suppression::before_delete`), so every effect is the same by
//! construction: keys, events and event ids go through the statement trigger
//! `contacts_delete_events`; anonymous ids, consent history, labels and fan records through
//! `ON DELETE CASCADE`, and the label-count triggers fire for the cascaded `contact_labels` rows.

use crate::{PostgresDb, db};
use panorama_core::Result;
use panorama_core::contact::ContactId;
use panorama_store_sql::suppression;
use sqlx::PgConnection;

/// Delete the contacts of `ids` inside the caller's transaction, first putting the key values of
/// those with a channel off on the suppression list; returns how many existed.
pub(crate) async fn delete_ids(connection: &mut PgConnection, ids: &[ContactId]) -> Result<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    suppression::before_delete::<PostgresDb>(&mut *connection, ids).await?;
    delete_rows(connection, ids).await
}

/// Delete contact `id` and the suppression entries of its key values, leaving none (an erasure).
pub(crate) async fn erase(connection: &mut PgConnection, id: ContactId) -> Result<u64> {
    suppression::forget::<PostgresDb>(&mut *connection, id).await?;
    delete_rows(connection, &[id]).await
}

async fn delete_rows(connection: &mut PgConnection, ids: &[ContactId]) -> Result<u64> {
    let deleted = sqlx::query("DELETE FROM contacts WHERE contact_id = ANY($1::uuid[])")
        .bind(crate::lookup::uuids(ids))
        .execute(connection)
        .await
        .map_err(db)?
        .rows_affected();
    Ok(deleted)
}

impl PostgresDb {
    /// Delete the contacts of `ids` in one write transaction; returns how many existed.
    pub(crate) async fn delete_by_ids(&self, ids: &[ContactId]) -> Result<u64> {
        let mut tx = self.write().await?;
        let deleted = delete_ids(&mut tx, ids).await?;
        tx.commit().await.map_err(db)?;
        Ok(deleted)
    }
}
