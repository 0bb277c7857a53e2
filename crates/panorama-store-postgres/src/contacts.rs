//! The contacts area's primitives on PostgreSQL ([`ContactsSql`]): batch reads with the whole
//! list as one array bind (`unnest`, `= ANY`), batch writes as arrays or COPY (`bulk.rs`,
//! `copy_in/`), the export's batch read with the values picked out by PostgreSQL (`export.rs`)
//! and the list index's whole-table reads (`list_source.rs`).

use crate::{PostgresDb, bulk, list_source};
use async_trait::async_trait;
use panorama_core::Result;
use panorama_core::contact::{BatchPlan, Category, Contact, ContactId, KeyValue};
use panorama_core::event::Event;
use panorama_core::store::ContactValues;
use panorama_list_index::Entry;
use panorama_store_sql::ContactsSql;
use serde_json::Value as Json;
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

#[async_trait]
impl ContactsSql for PostgresDb {
    // The counter the trigger numbers from: the end even when every row was pruned.
    const FEED_END: &'static str = "SELECT seq FROM contact_changes_end";

    async fn key_owners(
        connection: &mut PgConnection,
        keys: &[&KeyValue],
    ) -> Result<HashMap<KeyValue, ContactId>> {
        bulk::key_owners(connection, keys.iter().copied()).await
    }

    async fn apply_batch(connection: &mut PgConnection, plan: &BatchPlan) -> Result<()> {
        bulk::apply(connection, plan).await
    }

    async fn write_consent(
        connection: &mut PgConnection,
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
        connection: &mut PgConnection,
        apply: &mut (dyn FnMut(Entry) + Send),
    ) -> Result<()> {
        list_source::all(connection, apply).await
    }

    async fn attribute_values(
        connection: &mut PgConnection,
        name: &str,
    ) -> Result<HashMap<Uuid, Json>> {
        list_source::attribute(connection, name).await
    }
}
