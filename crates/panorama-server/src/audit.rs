//! Recording sensitive acts in the audit log, from the API handlers, the page handlers and the
//! jobs alike. An entry is appended before its act, and an act whose entry cannot be written
//! does not happen; when the act ends, the entry's outcome is set: `succeeded`, or `refused` with
//! the refusal's code. A refused act never reads as a success.

use crate::principal::Principal;
use panorama_core::access::{AuditAction, AuditOutcome, NewAuditEntry};
use panorama_core::{Result, Store};
use serde_json::Value as Json;
use std::future::Future;

/// An appended entry whose act has not ended yet: settle it with the act's result.
#[must_use = "settle the entry with the act's result"]
pub struct Pending {
    entry_id: i64,
}

impl Pending {
    /// Set the entry's outcome from the act's result. The act has ended either way, so a failure
    /// to write the outcome is logged, not answered: the entry then shows no outcome.
    pub async fn settle<T>(self, store: &dyn Store, result: &Result<T>) {
        let outcome = match result {
            Ok(_) => AuditOutcome::Succeeded,
            Err(error) => AuditOutcome::Refused {
                reason: error.code.to_owned(),
            },
        };
        if let Err(error) = store.settle_audit(self.entry_id, &outcome).await {
            tracing::warn!(%error, entry_id = self.entry_id, "recording an audited act's outcome");
        }
    }
}

/// Append an entry for `principal` about to do `action` to `target`; make the act only if this
/// answers `Ok`, then [`Pending::settle`] it.
pub async fn begin(
    store: &dyn Store,
    principal: &Principal,
    action: AuditAction,
    target: Option<String>,
    detail: Json,
) -> Result<Pending> {
    begin_as(store, &principal.name, action, target, detail).await
}

/// As [`begin`], for an actor that is not a request's principal (a job its creator, the CLI).
pub async fn begin_as(
    store: &dyn Store,
    actor: &str,
    action: AuditAction,
    target: Option<String>,
    detail: Json,
) -> Result<Pending> {
    let appended = store
        .append_audit(NewAuditEntry {
            at: jiff::Timestamp::now(),
            actor: actor.to_owned(),
            action,
            target,
            detail,
        })
        .await?;
    Ok(Pending {
        entry_id: appended.entry_id,
    })
}

/// Record, then make the act (`act` is not started before its entry is written), then settle
/// the entry with how it went; the act's own result is answered.
pub async fn audited<T>(
    store: &dyn Store,
    principal: &Principal,
    action: AuditAction,
    target: Option<String>,
    detail: Json,
    act: impl Future<Output = Result<T>>,
) -> Result<T> {
    let pending = begin(store, principal, action, target, detail).await?;
    let result = act.await;
    pending.settle(store, &result).await;
    result
}

/// Record an act that cannot be refused any more (it was made, or nothing remains that can stop
/// it): the entry is appended and settled as a success.
pub async fn record(
    store: &dyn Store,
    principal: &Principal,
    action: AuditAction,
    target: Option<String>,
    detail: Json,
) -> Result<()> {
    record_as(store, &principal.name, action, target, detail).await
}

/// As [`record`], for an actor that is not a request's principal (a sign-in names the user,
/// a job its creator, the CLI `cli:USER`).
pub async fn record_as(
    store: &dyn Store,
    actor: &str,
    action: AuditAction,
    target: Option<String>,
    detail: Json,
) -> Result<()> {
    let pending = begin_as(store, actor, action, target, detail).await?;
    pending.settle(store, &Ok(())).await;
    Ok(())
}

/// Record an attempt that was refused (a failed sign-in): settled as refused with `reason`.
pub async fn record_refusal(
    store: &dyn Store,
    actor: &str,
    action: AuditAction,
    detail: Json,
    reason: &str,
) -> Result<()> {
    let pending = begin_as(store, actor, action, None, detail).await?;
    let outcome = AuditOutcome::Refused {
        reason: reason.to_owned(),
    };
    if let Err(error) = store.settle_audit(pending.entry_id, &outcome).await {
        tracing::warn!(%error, "recording a refused attempt's outcome");
    }
    Ok(())
}
