//! The contacts area's primitives on SQLite ([`ContactsSql`]): batch reads that fold their
//! matches into one JSON value (`lookup.rs`), multi-row batch writes (`bulk.rs`), the export's
//! read-ahead (`export.rs`) and the list index's whole-table reads (`list_source.rs`).

use crate::convert::{ContactRow, contacts_as_json};
use crate::{SqliteDb, bulk, list_source};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::contact::{BatchPlan, Category, Contact, ContactId, KeyValue};
use panorama_core::event::Event;
use panorama_core::store::ContactValues;
use panorama_list_index::Entry;
use panorama_store_sql::ContactsSql;
use serde_json::Value as Json;
use sqlx::SqliteConnection;
use std::collections::HashMap;
use uuid::Uuid;

/// Ids as SQLite stores them.
fn texts(ids: &[ContactId]) -> Vec<String> {
    ids.iter().map(ToString::to_string).collect()
}

#[async_trait]
impl ContactsSql for SqliteDb {
    // sqlite_sequence survives pruning, so this is the end even when the feed is empty.
    const FEED_END: &'static str = "SELECT seq FROM sqlite_sequence WHERE name = 'contact_changes'";

    async fn key_owners(
        connection: &mut SqliteConnection,
        keys: &[&KeyValue],
    ) -> Result<HashMap<KeyValue, ContactId>> {
        bulk::key_owners(connection, keys.iter().copied()).await
    }

    /// One JSON array per chunk of ids, through the same look-up as batched writes.
    async fn contacts_by_ids(
        connection: &mut SqliteConnection,
        ids: &[ContactId],
    ) -> Result<Vec<Contact>> {
        let ids = texts(ids);
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let select = format!("SELECT {} FROM contacts WHERE", contacts_as_json());
        let rows: Vec<ContactRow> =
            crate::lookup::matching(connection, &select, "contact_id", &ids).await?;
        rows.into_iter().map(ContactRow::into_contact).collect()
    }

    async fn apply_batch(connection: &mut SqliteConnection, plan: &BatchPlan) -> Result<()> {
        bulk::apply(connection, plan).await
    }

    async fn write_consent(
        connection: &mut SqliteConnection,
        contacts: &[Contact],
        events: &[Event],
    ) -> Result<()> {
        bulk::write_and_record(connection, contacts, events).await
    }

    async fn values_newest_first(
        &self,
        category: Category,
        attributes: &[String],
        after: Option<(jiff::Timestamp, ContactId)>,
        limit: u64,
    ) -> Result<Vec<ContactValues>> {
        self.export_batch(category, attributes, after, limit).await
    }

    async fn all_entries(
        connection: &mut SqliteConnection,
        apply: &mut (dyn FnMut(Entry) + Send),
    ) -> Result<()> {
        list_source::all(connection, apply).await
    }

    async fn attribute_values(
        connection: &mut SqliteConnection,
        name: &str,
    ) -> Result<HashMap<Uuid, Json>> {
        list_source::attribute(connection, name).await
    }
}
