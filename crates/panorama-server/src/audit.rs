//! Recording sensitive acts in the audit log: one call at the point each act happens, from the
//! API handlers, the page handlers and the jobs alike.

use crate::principal::Principal;
use panorama_core::Store;
use panorama_core::access::{AuditAction, NewAuditEntry};
use serde_json::Value as Json;

/// Append an entry for `principal` doing `action` to `target`. An act that cannot be recorded
/// does not happen: callers record before (or in the same step as) the act and stop on error.
pub async fn record(
    store: &dyn Store,
    principal: &Principal,
    action: AuditAction,
    target: Option<String>,
    detail: Json,
) -> panorama_core::Result<()> {
    record_as(store, &principal.name, action, target, detail).await
}

/// As [`record`], for an actor that is not a request's principal (a sign-in attempt names the
/// user it tried, a job its creator, the CLI `cli:USER`).
pub async fn record_as(
    store: &dyn Store,
    actor: &str,
    action: AuditAction,
    target: Option<String>,
    detail: Json,
) -> panorama_core::Result<()> {
    store
        .append_audit(NewAuditEntry {
            at: jiff::Timestamp::now(),
            actor: actor.to_owned(),
            action,
            target,
            detail,
        })
        .await
        .map(|_| ())
}
