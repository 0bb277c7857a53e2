//! `ContactStore` on PostgreSQL.

#![allow(unused_variables)]

use crate::{PostgresStore, not_yet};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::contact::{
    Category, Channel, Contact, ContactId, ContactRecord, KeyValue, Overview, Search, Sort,
    UpsertAction, WriteContext,
};
use panorama_core::event::Event;
use panorama_core::store::ContactStore;
use panorama_core::store::{
    ContactIdPage, ContactListQuery, ContactPage, ContactValues, UpsertOutcome,
};

#[async_trait]
impl ContactStore for PostgresStore {
    async fn upsert_contacts(
        &self,
        records: &[ContactRecord],
        context: &WriteContext,
    ) -> Result<Vec<UpsertOutcome>> {
        Err(not_yet("upsert_contacts"))
    }
    async fn delete_contacts_by_keys(&self, rows: &[Vec<KeyValue>]) -> Result<Vec<bool>> {
        Err(not_yet("delete_contacts_by_keys"))
    }
    async fn unsubscribe_contacts(
        &self,
        rows: &[Vec<KeyValue>],
        channel: Channel,
        context: &WriteContext,
    ) -> Result<Vec<Option<bool>>> {
        Err(not_yet("unsubscribe_contacts"))
    }
    async fn get_contact(&self, contact_id: ContactId) -> Result<Option<Contact>> {
        Err(not_yet("get_contact"))
    }
    async fn find_contact(&self, key: &KeyValue) -> Result<Option<Contact>> {
        Err(not_yet("find_contact"))
    }
    async fn delete_contact(&self, contact_id: ContactId) -> Result<bool> {
        Err(not_yet("delete_contact"))
    }
    async fn delete_contacts(&self, ids: &[ContactId]) -> Result<u64> {
        Err(not_yet("delete_contacts"))
    }
    async fn overview(&self, now: jiff::Timestamp) -> Result<Overview> {
        Err(not_yet("overview"))
    }
    async fn list_contacts(&self, query: ContactListQuery) -> Result<ContactPage> {
        Err(not_yet("list_contacts"))
    }
    async fn list_contact_ids(&self, query: ContactListQuery) -> Result<ContactIdPage> {
        Err(not_yet("list_contact_ids"))
    }
    async fn get_contacts(&self, ids: &[ContactId]) -> Result<Vec<Contact>> {
        Err(not_yet("get_contacts"))
    }
    async fn contact_values_newest_first(
        &self,
        category: Category,
        attributes: &[String],
        after: Option<(jiff::Timestamp, ContactId)>,
        limit: u64,
    ) -> Result<Vec<ContactValues>> {
        Err(not_yet("contact_values_newest_first"))
    }
    async fn contact_events(&self, contact_id: ContactId, limit: u64) -> Result<Vec<Event>> {
        Err(not_yet("contact_events"))
    }
}
