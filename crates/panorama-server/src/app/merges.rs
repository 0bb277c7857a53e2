//! Merges as the API, the pages and the imports record and undo them: one `merge` audit entry per
//! surviving contact of a write that merged others, and the audited undo of one merge.

use crate::audit;
use crate::principal::Principal;
use panorama_core::Result;
use panorama_core::Store;
use panorama_core::access::AuditAction;
use panorama_core::contact::{ContactId, WriteContext};
use panorama_core::event::UnmergeOutcome;
use serde_json::json;

/// One `merge` entry per surviving contact of a write that merged others into it. A merge is
/// decided inside the write's transaction, so it can only be recorded once the write answered.
pub async fn merges(
    store: &dyn Store,
    principal: &Principal,
    source: &str,
    outcomes: &[(ContactId, &[ContactId])],
) -> Result<()> {
    for (survivor, merged) in outcomes {
        if merged.is_empty() {
            continue;
        }
        let merged: Vec<String> = merged.iter().map(ToString::to_string).collect();
        audit::record(
            store,
            principal,
            AuditAction::Merge,
            Some(survivor.to_string()),
            json!({ "source": source, "merged": merged }),
        )
        .await?;
    }
    Ok(())
}

/// Undo merge `merge_id` as `principal`, recorded from `source` (`api`, `ui`): the entry is
/// written before the undo is tried and settled with its result, so a refused undo (either
/// contact changed since) reads as refused.
pub async fn undo_merge(
    store: &dyn Store,
    principal: &Principal,
    merge_id: &str,
    source: &str,
) -> Result<UnmergeOutcome> {
    let pending = audit::begin(
        store,
        principal,
        AuditAction::Merge,
        Some(merge_id.to_owned()),
        json!({ "undo": true }),
    )
    .await?;
    let undone = store.undo_merge(merge_id, &WriteContext::now(source)).await;
    pending.settle(store, &undone).await;
    undone
}
