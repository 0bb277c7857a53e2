//! `ContactStore`: writing contacts through identity resolution, reading, deleting, counting.

use crate::contact::{
    Category, Channel, Contact, ContactId, ContactRecord, KeyValue, Overview, Search, Sort,
    UpsertAction, WriteContext,
};
use crate::error::Result;
use crate::event::Event;
use crate::metadata::Schema;
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

/// Which contacts to list, in which order, which page.
#[derive(Debug, Clone)]
pub struct ContactListQuery {
    /// Category tab.
    pub category: Category,
    /// Rows to skip.
    pub offset: u64,
    /// Rows to return.
    pub limit: u64,
    /// Only contacts carrying this label.
    pub label: Option<crate::label::LabelId>,
    /// Only contacts matching this search ([`Search::matches`]).
    pub search: Option<Search>,
    /// The order ([`crate::contact::Sort::compare`]).
    pub sort: Sort,
}

impl ContactListQuery {
    /// The first `limit` contacts of a category, newest first.
    pub fn category(category: Category, limit: u64) -> Self {
        Self {
            category,
            offset: 0,
            limit,
            label: None,
            search: None,
            sort: Sort::default(),
        }
    }
}

/// The ids of a page of the contacts list.
#[derive(Debug, Clone, Default)]
pub struct ContactIdPage {
    /// Exact number of contacts matching, across all pages.
    pub total: u64,
    /// The ids of this page, in list order.
    pub ids: Vec<ContactId>,
}

/// One contact as an export reads it: its id, its times and the values of chosen attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactValues {
    /// System id.
    pub contact_id: ContactId,
    /// First written.
    pub created_at: jiff::Timestamp,
    /// Last changed.
    pub updated_at: jiff::Timestamp,
    /// The stored value of each asked attribute, in the order asked; `None` when empty.
    pub values: Vec<Option<serde_json::Value>>,
}

/// Contacts: one store area of [`super::Store`].
#[async_trait]
pub trait ContactStore: Send + Sync {
    /// Write each record in order, each one resolved against the contacts written before it, all in
    /// one transaction: either every record is applied or none is.
    async fn upsert_contacts(
        &self,
        records: &[ContactRecord],
        context: &WriteContext,
    ) -> Result<Vec<UpsertOutcome>>;
    /// Delete the contacts each row's keys find; per row, whether any was found.
    async fn delete_contacts_by_keys(&self, rows: &[Vec<KeyValue>]) -> Result<Vec<bool>>;
    /// Turn `channel` off for the contacts each row's keys find, never creating one; per row,
    /// `None` when nothing was found, else whether a channel changed.
    async fn unsubscribe_contacts(
        &self,
        rows: &[Vec<KeyValue>],
        channel: Channel,
        context: &WriteContext,
    ) -> Result<Vec<Option<bool>>>;
    /// A contact by id.
    async fn get_contact(&self, contact_id: ContactId) -> Result<Option<Contact>>;
    /// The contact holding a key value.
    async fn find_contact(&self, key: &KeyValue) -> Result<Option<Contact>>;
    /// Delete a contact with its keys, events and consent; false if it did not exist. When any of
    /// its channels was off, its key values go on the suppression list (`suppression.rs`) in the
    /// same transaction, as with every delete below.
    async fn delete_contact(&self, contact_id: ContactId) -> Result<bool>;
    /// Delete a contact as [`ContactStore::delete_contact`] does, and drop the suppression
    /// entries of every key value it held, so that nothing of the person stays (an erasure
    /// request); the entries other contacts' deletes left for other key values stay.
    async fn erase_contact(&self, contact_id: ContactId) -> Result<bool>;
    /// Delete the contacts of `ids` in one transaction, each exactly as
    /// [`ContactStore::delete_contact`] does (keys, events, labels and their counts, consent
    /// history, fan records); ids that do not exist are skipped. Returns how many were deleted.
    /// Callers pass batches of a few thousand ids, so one call holds the write lock briefly.
    async fn delete_contacts(&self, ids: &[ContactId]) -> Result<u64>;
    /// Exact overview counts; `now` anchors the 7- and 30-day windows.
    async fn overview(&self, now: jiff::Timestamp) -> Result<Overview>;
    /// A page of contacts of one category.
    async fn list_contacts(&self, query: ContactListQuery) -> Result<ContactPage>;
    /// A page of `query` and the overview counts at `now`, answered together: what the contacts
    /// page shows, from one look at the list. `schema` is the caller's, the one `query` was
    /// checked against, so one request reads the definitions once. A store that cannot do better
    /// answers with [`ContactStore::list_contacts`] then [`ContactStore::overview`], as here.
    async fn list_contacts_with_overview(
        &self,
        _schema: &Schema,
        query: ContactListQuery,
        now: jiff::Timestamp,
    ) -> Result<(ContactPage, Overview)> {
        let page = self.list_contacts(query).await?;
        Ok((page, self.overview(now).await?))
    }
    /// The ids of a page of the list: what [`ContactStore::list_contacts`] would show, without
    /// reading the contacts. With `limit` `u64::MAX` it is every matching contact, for exports and
    /// bulk actions.
    async fn list_contact_ids(&self, query: ContactListQuery) -> Result<ContactIdPage>;
    /// The contacts of `ids` that exist, in the order given.
    async fn get_contacts(&self, ids: &[ContactId]) -> Result<Vec<Contact>>;
    /// Up to `limit` contacts of `category` in the list's default order (newest first, ties by
    /// contact id, descending), after the contact whose `(created_at, contact_id)` is `after`
    /// (`None`: from the newest), each with the values of `attributes` only, in that order.
    /// Exports of a whole category read this way, one batch after another, without listing every
    /// id first, building a search index or decoding whole contacts.
    async fn contact_values_newest_first(
        &self,
        category: Category,
        attributes: &[String],
        after: Option<(jiff::Timestamp, ContactId)>,
        limit: u64,
    ) -> Result<Vec<ContactValues>>;
    /// A contact's latest events, newest first.
    async fn contact_events(&self, contact_id: ContactId, limit: u64) -> Result<Vec<Event>>;
}
