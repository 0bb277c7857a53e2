//! The `Store` trait: the one seam between Panorama and a database.
//!
//! Each method is one unit of work with its transaction inside the backend, so a caller can never
//! leave a half-applied write. The rules live in this crate (`Schema::check_new`, `plan_upsert`);
//! a backend loads what they need, calls them inside its transaction, and saves the outcome.

use crate::contact::{
    Category, Contact, ContactId, ContactRecord, KeyValue, Overview, UpsertAction, WriteContext,
};
use crate::error::Result;
use crate::event::Event;
use crate::metadata::{
    AttributeDef, AttributePatch, EventDefinition, EventDefinitionPatch, NewAttribute,
    NewEventDefinition,
};
use async_trait::async_trait;

/// What one upsert did, and the contact as it now is.
#[derive(Debug, Clone)]
pub struct UpsertOutcome {
    /// Created, updated, unchanged or merged.
    pub action: UpsertAction,
    /// The contact after the write.
    pub contact: Contact,
    /// Contacts folded into it by a merge.
    pub merged: Vec<ContactId>,
}

/// A page of the contacts list.
#[derive(Debug, Clone)]
pub struct ContactPage {
    /// Exact number of contacts matching, across all pages.
    pub total: u64,
    /// The contacts of this page, newest first.
    pub items: Vec<Contact>,
}

/// Which contacts to list.
#[derive(Debug, Clone, Copy)]
pub struct ContactListQuery {
    /// Category tab.
    pub category: Category,
    /// Rows to skip.
    pub offset: u64,
    /// Rows to return.
    pub limit: u64,
}

/// Everything Panorama stores, behind one interface with one implementation per database.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Create or upgrade the schema and install missing preset definitions. Idempotent.
    async fn migrate(&self) -> Result<()>;

    /// Every attribute definition, presets first, in display order.
    async fn list_attributes(&self) -> Result<Vec<AttributeDef>>;
    /// Add a custom attribute after `Schema::check_new` inside the transaction.
    async fn create_attribute(&self, new: &NewAttribute) -> Result<AttributeDef>;
    /// Change an attribute after `Schema::check_patch`, checking stored values where it says.
    async fn update_attribute(&self, name: &str, patch: &AttributePatch) -> Result<AttributeDef>;
    /// Delete a custom attribute and its values on every contact.
    async fn delete_attribute(&self, name: &str) -> Result<()>;

    /// Every event definition, presets first.
    async fn list_event_definitions(&self) -> Result<Vec<EventDefinition>>;
    /// Add a custom event definition.
    async fn create_event_definition(&self, new: &NewEventDefinition) -> Result<EventDefinition>;
    /// Change an event definition.
    async fn update_event_definition(
        &self,
        key: &str,
        patch: &EventDefinitionPatch,
    ) -> Result<EventDefinition>;
    /// Delete a custom event definition (its recorded events stay).
    async fn delete_event_definition(&self, key: &str) -> Result<()>;

    /// Write each record in order, each one resolved against the contacts written before it, all in
    /// one transaction: either every record is applied or none is.
    async fn upsert_contacts(
        &self,
        records: &[ContactRecord],
        context: &WriteContext,
    ) -> Result<Vec<UpsertOutcome>>;
    /// A contact by id.
    async fn get_contact(&self, contact_id: ContactId) -> Result<Option<Contact>>;
    /// The contact holding a key value.
    async fn find_contact(&self, key: &KeyValue) -> Result<Option<Contact>>;
    /// Delete a contact with its keys, events and consent; false if it did not exist.
    async fn delete_contact(&self, contact_id: ContactId) -> Result<bool>;
    /// Exact overview counts; `now` anchors the 7- and 30-day windows.
    async fn overview(&self, now: jiff::Timestamp) -> Result<Overview>;
    /// A page of contacts of one category.
    async fn list_contacts(&self, query: ContactListQuery) -> Result<ContactPage>;
    /// A contact's latest events, newest first.
    async fn contact_events(&self, contact_id: ContactId, limit: u64) -> Result<Vec<Event>>;
}
