//! The store's contacts (`ContactStore`), written once: each write is one script in one write
//! transaction (load what core's rule needs, call the rule, write its outcome through the
//! backend's batch primitives, commit), each read one connection or one snapshot.

use crate::contacts_write::{delete_ids, erase, load_owners, load_state};
use crate::{Backend, SqlStore, contacts_list, contacts_read};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::contact::{
    Category, Channel, Contact, ContactId, ContactRecord, KeyValue, Overview, WriteContext,
    plan_batch, plan_delete, plan_unsubscribe,
};
use panorama_core::event::Event;
use panorama_core::store::{
    ContactIdPage, ContactListQuery, ContactPage, ContactStore, ContactValues, UpsertOutcome,
};

#[async_trait]
impl<B: Backend> ContactStore for SqlStore<B> {
    async fn upsert_contacts(
        &self,
        records: &[ContactRecord],
        context: &WriteContext,
    ) -> Result<Vec<UpsertOutcome>> {
        let mut tx = self.backend.write().await?;
        let schema = crate::load_schema::<B>(&mut tx).await?;
        let started = std::time::Instant::now();
        let state = load_state::<B>(&mut tx, records).await?;
        let loaded = started.elapsed();
        let plan = plan_batch(&schema, records, state, context);
        let planned = started.elapsed();
        B::apply_batch(&mut tx, &plan).await?;
        let applied = started.elapsed();
        B::commit(tx).await?;
        tracing::debug!(records = records.len(), ?loaded, ?planned, ?applied, committed = ?started.elapsed(), "contact batch written");
        Ok(plan.outcomes)
    }

    async fn delete_contacts_by_keys(&self, rows: &[Vec<KeyValue>]) -> Result<Vec<bool>> {
        let mut tx = self.backend.write().await?;
        let keys: Vec<&KeyValue> = rows.iter().flatten().collect();
        let state = load_owners::<B>(&mut tx, &keys).await?;
        let (found, doomed) = plan_delete(&state, rows);
        delete_ids::<B>(&mut tx, &doomed).await?;
        B::commit(tx).await?;
        Ok(found)
    }

    async fn unsubscribe_contacts(
        &self,
        rows: &[Vec<KeyValue>],
        channel: Channel,
        context: &WriteContext,
    ) -> Result<Vec<Option<bool>>> {
        let mut tx = self.backend.write().await?;
        let keys: Vec<&KeyValue> = rows.iter().flatten().collect();
        let state = load_owners::<B>(&mut tx, &keys).await?;
        let plan = plan_unsubscribe(state, rows, channel, context);
        B::write_consent(&mut tx, &plan.write, &plan.events).await?;
        B::commit(tx).await?;
        Ok(plan.results)
    }

    async fn get_contact(&self, contact_id: ContactId) -> Result<Option<Contact>> {
        let mut connection = self.backend.read().await?;
        contacts_read::contact_by_id::<B>(&mut connection, contact_id).await
    }

    async fn find_contact(&self, key: &KeyValue) -> Result<Option<Contact>> {
        let mut connection = self.backend.read().await?;
        contacts_read::find::<B>(&mut connection, key).await
    }

    async fn delete_contact(&self, contact_id: ContactId) -> Result<bool> {
        Ok(self.delete_contacts(&[contact_id]).await? > 0)
    }

    async fn erase_contact(&self, contact_id: ContactId) -> Result<bool> {
        let mut tx = self.backend.write().await?;
        let deleted = erase::<B>(&mut tx, contact_id).await?;
        B::commit(tx).await?;
        Ok(deleted)
    }

    async fn delete_contacts(&self, ids: &[ContactId]) -> Result<u64> {
        let mut tx = self.backend.write().await?;
        let deleted = delete_ids::<B>(&mut tx, ids).await?;
        B::commit(tx).await?;
        Ok(deleted)
    }

    async fn overview(&self, now: jiff::Timestamp) -> Result<Overview> {
        contacts_list::overview(&self.backend, now).await
    }

    async fn list_contacts(&self, query: ContactListQuery) -> Result<ContactPage> {
        let page = self.list_contact_ids(query).await?;
        Ok(ContactPage {
            total: page.total,
            items: self.get_contacts(&page.ids).await?,
        })
    }

    async fn list_contacts_with_overview(
        &self,
        schema: &panorama_core::metadata::Schema,
        query: ContactListQuery,
        now: jiff::Timestamp,
    ) -> Result<(ContactPage, Overview)> {
        let (page, overview) =
            contacts_list::page_with_overview(&self.backend, schema, &query, now).await?;
        let items = self.get_contacts(&page.ids).await?;
        Ok((
            ContactPage {
                total: page.total,
                items,
            },
            overview,
        ))
    }

    async fn list_contact_ids(&self, query: ContactListQuery) -> Result<ContactIdPage> {
        contacts_list::page(&self.backend, &query).await
    }

    async fn get_contacts(&self, ids: &[ContactId]) -> Result<Vec<Contact>> {
        let mut connection = self.backend.read().await?;
        contacts_read::in_order::<B>(&mut connection, ids).await
    }

    async fn contact_values_newest_first(
        &self,
        category: Category,
        attributes: &[String],
        after: Option<(jiff::Timestamp, ContactId)>,
        limit: u64,
    ) -> Result<Vec<ContactValues>> {
        self.backend
            .values_newest_first(category, attributes, after, limit)
            .await
    }

    async fn contact_events(&self, contact_id: ContactId, limit: u64) -> Result<Vec<Event>> {
        let mut connection = self.backend.read().await?;
        contacts_read::latest_events::<B>(&mut connection, contact_id, limit).await
    }
}
