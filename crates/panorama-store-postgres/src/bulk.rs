//! Batched contact writes: load the state a batch needs, plan it with core's `plan_batch`, write it.
#![allow(unused_variables, dead_code)]

use crate::not_yet;
use panorama_core::Result;
use sqlx::PgConnection;

use panorama_core::contact::{BatchPlan, BatchState, Contact, ContactId, ContactRecord, KeyValue};
use std::collections::HashMap;

/// Load the owners of every key value the records carry, and those contacts.
pub(crate) async fn load_state(
    connection: &mut PgConnection,
    records: &[ContactRecord],
) -> Result<BatchState> {
    Err(not_yet("bulk::load_state"))
}

/// Load the owners of `keys`, and those contacts.
pub(crate) async fn load_owners<'k>(
    connection: &mut PgConnection,
    keys: impl Iterator<Item = &'k KeyValue>,
) -> Result<BatchState> {
    Err(not_yet("bulk::load_owners"))
}

/// The contact holding each of `keys` that is stored.
pub(crate) async fn key_owners<'k>(
    connection: &mut PgConnection,
    keys: impl Iterator<Item = &'k KeyValue>,
) -> Result<HashMap<KeyValue, ContactId>> {
    Err(not_yet("bulk::key_owners"))
}

/// Apply a batch plan: contacts, merges, keys, events.
pub(crate) async fn apply(connection: &mut PgConnection, plan: &BatchPlan) -> Result<()> {
    Err(not_yet("bulk::apply"))
}

/// Write contacts and record their events (and consent history).
pub(crate) async fn write_and_record(
    connection: &mut PgConnection,
    contacts: &[Contact],
    events: &[panorama_core::event::Event],
) -> Result<()> {
    Err(not_yet("bulk::write_and_record"))
}
