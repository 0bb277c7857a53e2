//! `ContactStore` on PostgreSQL: each method one write transaction (holding the write lock) or
//! one read, as on SQLite.

use crate::{PostgresDb, bulk, contacts, db, metadata};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::contact::{
    Category, Channel, Contact, ContactId, ContactRecord, KeyValue, Overview, WriteContext,
    plan_batch, plan_delete, plan_unsubscribe,
};
use panorama_core::event::Event;
use panorama_core::store::ContactStore;
use panorama_core::store::{
    ContactIdPage, ContactListQuery, ContactPage, ContactValues, UpsertOutcome,
};

#[async_trait]
impl ContactStore for PostgresDb {
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
        crate::delete::delete_ids(&mut tx, &doomed).await?;
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
        let mut connection = self.read().await?;
        contacts::get(&mut connection, contact_id).await
    }

    async fn find_contact(&self, key: &KeyValue) -> Result<Option<Contact>> {
        let mut connection = self.read().await?;
        contacts::find(&mut connection, key).await
    }

    async fn delete_contact(&self, contact_id: ContactId) -> Result<bool> {
        // Keys, events and everything else the contact owns go through ON DELETE CASCADE.
        Ok(self.delete_by_ids(&[contact_id]).await? > 0)
    }

    async fn erase_contact(&self, contact_id: ContactId) -> Result<bool> {
        let mut tx = self.write().await?;
        let deleted = crate::delete::erase(&mut tx, contact_id).await?;
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
        category: Category,
        attributes: &[String],
        after: Option<(jiff::Timestamp, ContactId)>,
        limit: u64,
    ) -> Result<Vec<ContactValues>> {
        self.values_newest_first(category, attributes, after, limit)
            .await
    }

    async fn contact_events(&self, contact_id: ContactId, limit: u64) -> Result<Vec<Event>> {
        let mut connection = self.read().await?;
        panorama_store_sql::events::latest::<PostgresDb>(&mut connection, contact_id, limit).await
    }
}
