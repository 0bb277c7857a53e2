//! The audit entries of metadata changes (attribute and event definitions), shared by the API
//! and the metadata pages.
//!
//! Each change is checked against the definitions in force with core's own rules before its
//! entry is written, so a refused change (a taken name, a preset) leaves no entry; what only the
//! store can see (stored values that break a new rule) may still refuse it afterwards, and the
//! caller settles the returned [`Pending`] entry with the store's answer, so such a refusal reads
//! as refused.

use crate::audit::{self, Pending};
use crate::principal::Principal;
use panorama_core::access::AuditAction;
use panorama_core::metadata::{
    AttributePatch, EventDefinition, EventDefinitionPatch, NewAttribute, NewEventDefinition, Schema,
};
use panorama_core::{Error, Result, Store};
use serde::Serialize;
use serde_json::json;

/// Check and begin recording the creation of a custom attribute.
pub async fn attribute_create(
    store: &dyn Store,
    principal: &Principal,
    new: &NewAttribute,
) -> Result<Pending> {
    let def = Schema::new(store.list_attributes().await?).check_new(new)?;
    record(
        store,
        principal,
        "attribute",
        def.name.as_str(),
        "create",
        new,
    )
    .await
}

/// Check and begin recording a change of attribute `name`.
pub async fn attribute_update(
    store: &dyn Store,
    principal: &Principal,
    name: &str,
    patch: &AttributePatch,
) -> Result<Pending> {
    let schema = Schema::new(store.list_attributes().await?);
    let (def, _) = schema.check_patch(name, patch)?;
    record(
        store,
        principal,
        "attribute",
        def.name.as_str(),
        "update",
        patch,
    )
    .await
}

/// Check and begin recording the deletion of attribute `name` (and its values on every contact).
pub async fn attribute_delete(
    store: &dyn Store,
    principal: &Principal,
    name: &str,
) -> Result<Pending> {
    let schema = Schema::new(store.list_attributes().await?);
    let def = schema.check_delete(name)?;
    record(
        store,
        principal,
        "attribute",
        def.name.as_str(),
        "delete",
        &json!({}),
    )
    .await
}

/// Check and begin recording the creation of a custom event definition.
pub async fn event_create(
    store: &dyn Store,
    principal: &Principal,
    new: &NewEventDefinition,
) -> Result<Pending> {
    let existing = store.list_event_definitions().await?;
    let definition = EventDefinition::check_new(&existing, new)?;
    record(
        store,
        principal,
        "event",
        definition.key.as_str(),
        "create",
        new,
    )
    .await
}

/// Check and begin recording a change of event definition `key`.
pub async fn event_update(
    store: &dyn Store,
    principal: &Principal,
    key: &str,
    patch: &EventDefinitionPatch,
) -> Result<Pending> {
    let definition = event(store, key).await?;
    definition.check_patch(patch)?;
    record(store, principal, "event", key, "update", patch).await
}

/// Check and begin recording the deletion of event definition `key`.
pub async fn event_delete(store: &dyn Store, principal: &Principal, key: &str) -> Result<Pending> {
    event(store, key).await?.check_delete()?;
    record(store, principal, "event", key, "delete", &json!({})).await
}

async fn event(store: &dyn Store, key: &str) -> Result<EventDefinition> {
    store
        .list_event_definitions()
        .await?
        .into_iter()
        .find(|d| d.key.as_str() == key)
        .ok_or_else(|| Error::not_found("event definition", key))
}

/// One `metadata_change` entry: target `attribute:NAME` or `event:KEY`, the change and what was
/// asked.
async fn record(
    store: &dyn Store,
    principal: &Principal,
    kind: &str,
    name: &str,
    change: &str,
    asked: &impl Serialize,
) -> Result<Pending> {
    let asked = serde_json::to_value(asked).map_err(Error::internal)?;
    audit::begin(
        store,
        principal,
        AuditAction::MetadataChange,
        Some(format!("{kind}:{name}")),
        json!({ "change": change, "asked": asked }),
    )
    .await
}
