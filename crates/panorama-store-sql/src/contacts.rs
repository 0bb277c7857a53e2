//! What the contacts area needs that differs between databases: the batch reads and writes of
//! imports (SQLite's JSON-array look-ups and multi-row inserts, PostgreSQL's array binds and
//! COPY), the export's batch read, the list index's whole-table reads, and the text of the change
//! feed's end. The scripts above them (`contacts_store.rs`) are written once.
//!
//! A few primitives stand for other areas' steps until those areas are written once here too
//! (the schema, the suppression list); each says which.

use crate::Backend;
use crate::contacts_read::contact_of;
use crate::query::sql;
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::contact::{BatchPlan, Category, Contact, ContactId, KeyValue};
use panorama_core::event::Event;
use panorama_core::store::ContactValues;
use panorama_list_index::Entry;
use serde_json::Value as Json;
use std::collections::HashMap;
use uuid::Uuid;

/// A backend's connection, as the primitives below take it.
pub type Conn<B> = <B as Backend>::Conn;

/// The contacts area's per-database primitives. Each runs inside the caller's transaction (or on
/// the caller's connection) unless it takes `&self`.
///
/// [`Backend`] has this trait as a supertrait, so this one cannot have `Backend` as its own (a
/// cycle); each primitive asks `Self: Backend` instead, which every implementor is.
#[async_trait]
pub trait ContactsSql: Send + Sync {
    /// A statement answering the change feed's last sequence number in one row (or no row when
    /// the feed never gave one), even when the rows up to it were pruned.
    const FEED_END: &'static str;

    /// The contact holding each of `keys` that is stored (batch reads of imports).
    async fn key_owners(
        connection: &mut Conn<Self>,
        keys: &[&KeyValue],
    ) -> Result<HashMap<KeyValue, ContactId>>
    where
        Self: Backend;

    /// The stored contacts among `ids`, in no particular order. One statement with the ids as one
    /// list parameter; SQLite folds the rows into one JSON value instead.
    async fn contacts_by_ids(connection: &mut Conn<Self>, ids: &[ContactId]) -> Result<Vec<Contact>>
    where
        Self: Backend,
    {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = sql(format!(
            "SELECT {} FROM contacts WHERE {}",
            crate::contacts_read::CONTACT_COLUMNS,
            Self::in_list("contact_id", 1)
        ))
        .bind(ids)
        .all::<Self>(connection)
        .await?;
        rows.iter().map(contact_of).collect()
    }

    /// Write a batch plan: contacts first (events and keys refer to them), then merges, keys,
    /// events and consent history. Contact writes and event ingest both call it.
    async fn apply_batch(connection: &mut Conn<Self>, plan: &BatchPlan) -> Result<()>
    where
        Self: Backend;

    /// Save the consent of `contacts` whose consent alone changed, and record `events`.
    async fn write_consent(
        connection: &mut Conn<Self>,
        contacts: &[Contact],
        events: &[Event],
    ) -> Result<()>
    where
        Self: Backend;

    /// Up to `limit` contacts of `category` newest first (ties by id, descending), after the
    /// keyset `after`, with the values of `attributes` only (`ContactStore`'s export read).
    async fn values_newest_first(
        &self,
        category: Category,
        attributes: &[String],
        after: Option<(jiff::Timestamp, ContactId)>,
        limit: u64,
    ) -> Result<Vec<ContactValues>>;

    /// Every contact as the list index holds it, handed to `apply` one by one as rows arrive.
    async fn all_entries(
        connection: &mut Conn<Self>,
        apply: &mut (dyn FnMut(Entry) + Send),
    ) -> Result<()>
    where
        Self: Backend;

    /// The value of attribute `name` of every contact that has one (a sort column of the index).
    async fn attribute_values(
        connection: &mut Conn<Self>,
        name: &str,
    ) -> Result<HashMap<Uuid, Json>>
    where
        Self: Backend;
}
