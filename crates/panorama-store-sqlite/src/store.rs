//! The store areas for `SqliteDb` not yet written once in `panorama-store-sql`, and the
//! migrations: each method one transaction on the writer, or one read.

use crate::{SqliteDb, bulk, contacts, db, metadata};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::contact::{
    Channel, Contact, ContactId, ContactRecord, KeyValue, Overview, WriteContext, plan_batch,
    plan_delete, plan_unsubscribe,
};
use panorama_core::event::Event;
use panorama_core::store::ContactStore;
use panorama_core::store::{ContactIdPage, ContactListQuery, ContactPage, UpsertOutcome};
use panorama_store_sql::suppression;
use sqlx::{Sqlite, SqlitePool, Transaction};

pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

impl SqliteDb {
    /// A write transaction. `BEGIN IMMEDIATE` takes the write lock up front, so a second process
    /// on the same file waits (busy timeout) instead of failing half-way.
    pub(crate) async fn write(&self) -> Result<Transaction<'static, Sqlite>> {
        begin_write(&self.writer).await
    }
}

/// A write transaction on `writer` (see `SqliteDb::write`).
pub(crate) async fn begin_write(writer: &SqlitePool) -> Result<Transaction<'static, Sqlite>> {
    writer.begin_with("BEGIN IMMEDIATE").await.map_err(db)
}

#[async_trait]
impl ContactStore for SqliteDb {
    async fn upsert_contacts(
        &self,
        records: &[ContactRecord],
        context: &WriteContext,
    ) -> Result<Vec<UpsertOutcome>> {
        let mut tx = self.write().await?;
        let schema = metadata::load_schema(&mut tx).await?;
        let started = std::time::Instant::now();
        let state = bulk::load_state(&mut tx, records).await?;
        let loaded = started.elapsed();
        let plan = plan_batch(&schema, records, state, context);
        let planned = started.elapsed();
        bulk::apply(&mut tx, &plan).await?;
        let applied = started.elapsed();
        tx.commit().await.map_err(db)?;
        tracing::debug!(records = records.len(), ?loaded, ?planned, ?applied, committed = ?started.elapsed(), "contact batch written");
        Ok(plan.outcomes)
    }

    async fn delete_contacts_by_keys(&self, rows: &[Vec<KeyValue>]) -> Result<Vec<bool>> {
        let mut tx = self.write().await?;
        let state = bulk::load_owners(&mut tx, rows.iter().flatten()).await?;
        let (found, doomed) = plan_delete(&state, rows);
        suppression::before_delete::<SqliteDb>(&mut tx, &doomed).await?;
        let doomed: Vec<String> = doomed.iter().map(ToString::to_string).collect();
        bulk::delete_where_in(
            &mut tx,
            "DELETE FROM contacts WHERE contact_id IN (",
            &doomed,
        )
        .await?;
        tx.commit().await.map_err(db)?;
        Ok(found)
    }

    async fn unsubscribe_contacts(
        &self,
        rows: &[Vec<KeyValue>],
        channel: Channel,
        context: &WriteContext,
    ) -> Result<Vec<Option<bool>>> {
        let mut tx = self.write().await?;
        let state = bulk::load_owners(&mut tx, rows.iter().flatten()).await?;
        let plan = plan_unsubscribe(state, rows, channel, context);
        bulk::write_and_record(&mut tx, &plan.write, &plan.events).await?;
        tx.commit().await.map_err(db)?;
        Ok(plan.results)
    }

    async fn get_contact(&self, contact_id: ContactId) -> Result<Option<Contact>> {
        let mut connection = self.reader.acquire().await.map_err(db)?;
        contacts::get(&mut connection, contact_id).await
    }

    async fn find_contact(&self, key: &KeyValue) -> Result<Option<Contact>> {
        let mut connection = self.reader.acquire().await.map_err(db)?;
        contacts::find(&mut connection, key).await
    }

    async fn delete_contact(&self, contact_id: ContactId) -> Result<bool> {
        let mut tx = self.write().await?;
        suppression::before_delete::<SqliteDb>(&mut tx, &[contact_id]).await?;
        // Keys and events go with the contact through ON DELETE CASCADE; consent lives on the row.
        let deleted = sqlx::query("DELETE FROM contacts WHERE contact_id = $1")
            .bind(contact_id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        tx.commit().await.map_err(db)?;
        Ok(deleted > 0)
    }

    async fn erase_contact(&self, contact_id: ContactId) -> Result<bool> {
        let mut tx = self.write().await?;
        let id = contact_id.to_string();
        // The entries of its key values go, and its delete leaves none.
        suppression::forget::<SqliteDb>(&mut tx, contact_id).await?;
        let deleted = sqlx::query("DELETE FROM contacts WHERE contact_id = $1")
            .bind(&id)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        tx.commit().await.map_err(db)?;
        Ok(deleted > 0)
    }

    async fn delete_contacts(&self, ids: &[ContactId]) -> Result<u64> {
        self.delete_by_ids(ids).await
    }

    async fn overview(&self, now: jiff::Timestamp) -> Result<Overview> {
        self.overview_counts(now).await
    }

    async fn list_contacts(&self, query: ContactListQuery) -> Result<ContactPage> {
        let page = self.list_contact_ids(query).await?;
        Ok(ContactPage {
            total: page.total,
            items: self.contacts_by_ids(&page.ids).await?,
        })
    }

    async fn list_contact_ids(&self, query: ContactListQuery) -> Result<ContactIdPage> {
        self.list_page(&query).await
    }

    async fn get_contacts(&self, ids: &[ContactId]) -> Result<Vec<Contact>> {
        self.contacts_by_ids(ids).await
    }

    async fn contact_values_newest_first(
        &self,
        category: panorama_core::contact::Category,
        attributes: &[String],
        after: Option<(jiff::Timestamp, ContactId)>,
        limit: u64,
    ) -> Result<Vec<panorama_core::store::ContactValues>> {
        self.values_newest_first(category, attributes, after, limit)
            .await
    }

    async fn contact_events(&self, contact_id: ContactId, limit: u64) -> Result<Vec<Event>> {
        let mut connection = self.reader.acquire().await.map_err(db)?;
        panorama_store_sql::events::latest::<SqliteDb>(&mut connection, contact_id, limit).await
    }
}
