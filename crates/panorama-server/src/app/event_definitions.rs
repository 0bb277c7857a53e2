//! Event definitions changed as an admin, shared by the API and the metadata pages: checked
//! against the definitions in force, recorded in the audit log, written, and (as every metadata
//! change) dropping this server's cached schema. See `metadata.rs` for the order of the steps.

use super::metadata::{begin, changed};
use crate::AppState;
use crate::principal::Principal;
use panorama_core::metadata::{EventDefinition, EventDefinitionPatch, NewEventDefinition};
use panorama_core::{Error, Result};
use serde_json::json;

/// Create a custom event definition.
pub async fn create_event_definition(
    state: &AppState,
    principal: &Principal,
    new: &NewEventDefinition,
) -> Result<EventDefinition> {
    let existing = state.store.list_event_definitions().await?;
    let definition = EventDefinition::check_new(&existing, new)?;
    let key = definition.key.as_str();
    let pending = begin(state, principal, "event", key, "create", new).await?;
    let created = state.store.create_event_definition(new).await;
    changed(state, pending, created).await
}

/// Rename or regroup event definition `key`, or add attributes to it.
pub async fn update_event_definition(
    state: &AppState,
    principal: &Principal,
    key: &str,
    patch: &EventDefinitionPatch,
) -> Result<EventDefinition> {
    in_force(state, key).await?.check_patch(patch)?;
    let pending = begin(state, principal, "event", key, "update", patch).await?;
    let updated = state.store.update_event_definition(key, patch).await;
    changed(state, pending, updated).await
}

/// Delete event definition `key`; events already recorded stay.
pub async fn delete_event_definition(
    state: &AppState,
    principal: &Principal,
    key: &str,
) -> Result<()> {
    in_force(state, key).await?.check_delete()?;
    let pending = begin(state, principal, "event", key, "delete", &json!({})).await?;
    let deleted = state.store.delete_event_definition(key).await;
    changed(state, pending, deleted).await
}

/// Event definition `key` as it is in force.
async fn in_force(state: &AppState, key: &str) -> Result<EventDefinition> {
    state
        .store
        .list_event_definitions()
        .await?
        .into_iter()
        .find(|d| d.key.as_str() == key)
        .ok_or_else(|| Error::not_found("event definition", key))
}
