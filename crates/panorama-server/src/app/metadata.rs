//! Attribute definitions changed as an admin, shared by the API and the metadata pages: each
//! change is checked, recorded in the audit log, written, and drops this server's cached schema.
//! These (and `event_definitions.rs`) are the only writers of metadata in the server, so the cache
//! cannot miss a change made here (`tests/layers.rs` refuses a metadata write anywhere else).
//!
//! Each change is checked against the definitions in force with core's own rules before its
//! entry is written, so a refused change (a taken name, a preset) leaves no entry; what only the
//! store can see (stored values that break a new rule) may still refuse it afterwards, and the
//! entry is settled with the store's answer, so such a refusal reads as refused.

use crate::AppState;
use crate::audit::{self, Pending};
use crate::principal::Principal;
use panorama_core::access::AuditAction;
use panorama_core::metadata::{AttributeDef, AttributePatch, NewAttribute};
use panorama_core::{Error, Result};
use serde::Serialize;
use serde_json::json;

/// Create a custom attribute.
pub async fn create_attribute(
    state: &AppState,
    principal: &Principal,
    new: &NewAttribute,
) -> Result<AttributeDef> {
    let schema = state.schema_cache.fresh(state.store.as_ref()).await?;
    let def = schema.check_new(new)?;
    let pending = begin(
        state,
        principal,
        "attribute",
        def.name.as_str(),
        "create",
        new,
    )
    .await?;
    let created = state.store.create_attribute(new).await;
    changed(state, pending, created).await
}

/// Change attribute `name` (display names, length, flags, primary key).
pub async fn update_attribute(
    state: &AppState,
    principal: &Principal,
    name: &str,
    patch: &AttributePatch,
) -> Result<AttributeDef> {
    let schema = state.schema_cache.fresh(state.store.as_ref()).await?;
    let (def, _) = schema.check_patch(name, patch)?;
    let pending = begin(
        state,
        principal,
        "attribute",
        def.name.as_str(),
        "update",
        patch,
    )
    .await?;
    let updated = state.store.update_attribute(name, patch).await;
    changed(state, pending, updated).await
}

/// Delete attribute `name` and its values on every contact.
pub async fn delete_attribute(state: &AppState, principal: &Principal, name: &str) -> Result<()> {
    let schema = state.schema_cache.fresh(state.store.as_ref()).await?;
    let def = schema.check_delete(name)?;
    let pending = begin(
        state,
        principal,
        "attribute",
        def.name.as_str(),
        "delete",
        &json!({}),
    )
    .await?;
    let deleted = state.store.delete_attribute(name).await;
    changed(state, pending, deleted).await
}

/// Begin one `metadata_change` entry: target `attribute:NAME` or `event:KEY`, the change and
/// what was asked.
pub(super) async fn begin(
    state: &AppState,
    principal: &Principal,
    kind: &str,
    name: &str,
    change: &str,
    asked: &impl Serialize,
) -> Result<Pending> {
    let asked = serde_json::to_value(asked).map_err(Error::internal)?;
    audit::begin(
        state.store.as_ref(),
        principal,
        AuditAction::MetadataChange,
        Some(format!("{kind}:{name}")),
        json!({ "change": change, "asked": asked }),
    )
    .await
}

/// After a metadata write: drop the cached schema (even after a refusal, which may have come
/// after the commit), then settle the entry with the write's answer.
pub(super) async fn changed<T>(
    state: &AppState,
    pending: Pending,
    written: Result<T>,
) -> Result<T> {
    state.schema_cache.invalidate();
    pending.settle(state.store.as_ref(), &written).await;
    written
}
