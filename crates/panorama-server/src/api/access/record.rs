//! The audit entries of acts made elsewhere (contact writes, imports, bulk jobs), written the
//! same way from the API, the pages and the jobs so that one act always reads the same in the log.

use crate::audit;
use crate::principal::Principal;
use panorama_core::Store;
use panorama_core::access::AuditAction;
use panorama_core::contact::ContactId;
use panorama_core::error::codes;
use panorama_core::store::ImportJob;
use panorama_core::store::JobState;
use panorama_core::{Error, Result};
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

/// The undo of merge `merge_id`, recorded before it is tried; settle it with the undo's result.
pub async fn undo_merge(
    store: &dyn Store,
    principal: &Principal,
    merge_id: &str,
) -> Result<audit::Pending> {
    audit::begin(
        store,
        principal,
        AuditAction::Merge,
        Some(merge_id.to_owned()),
        json!({ "undo": true }),
    )
    .await
}

/// Delete one contact as `principal`, audited: the entry is written before the delete and
/// settled with its result (a contact gone meanwhile is a refusal, `not_found`). With
/// `forget_consent` the delete also drops the suppression list's entries of its key values (an
/// erasure request), and the entry says so. The API and the contact page both delete this way.
pub async fn delete_contact(
    store: &dyn Store,
    principal: &Principal,
    contact_id: ContactId,
    forget_consent: bool,
) -> Result<()> {
    let detail = if forget_consent {
        json!({ "contacts": 1, "forget_consent": true })
    } else {
        json!({ "contacts": 1 })
    };
    let pending = audit::begin(
        store,
        principal,
        AuditAction::Delete,
        Some(contact_id.to_string()),
        detail,
    )
    .await?;
    let deleted = if forget_consent {
        store.erase_contact(contact_id).await
    } else {
        store.delete_contact(contact_id).await
    };
    let deleted = match deleted {
        Ok(false) => Err(Error::not_found("contact", contact_id)),
        other => other.map(drop),
    };
    pending.settle(store, &deleted).await;
    deleted
}

/// The entries of the start of import `job`, begun: `import_start`, and for a delete import a
/// `delete` entry too, since starting it is what deletes contacts.
async fn import_start_entries(
    store: &dyn Store,
    principal: &Principal,
    job: &ImportJob,
) -> Result<Vec<audit::Pending>> {
    let rows = job
        .preview
        .as_ref()
        .and_then(|preview| preview.pointer("/counts/total"));
    let mut entries = vec![
        audit::begin(
            store,
            principal,
            AuditAction::ImportStart,
            Some(job.job_id.to_string()),
            json!({ "file_name": job.file_name, "purpose": job.purpose, "rows": rows }),
        )
        .await?,
    ];
    if job.purpose == "delete" {
        entries.push(
            audit::begin(
                store,
                principal,
                AuditAction::Delete,
                Some(job.job_id.to_string()),
                json!({ "import": job.job_id, "file_name": job.file_name }),
            )
            .await?,
        );
    }
    Ok(entries)
}

/// Record the start of import `job`, made queued already (the CLI's own import).
pub async fn import_started(
    store: &dyn Store,
    principal: &Principal,
    job: &ImportJob,
) -> Result<()> {
    for entry in import_start_entries(store, principal, job).await? {
        entry.settle(store, &Ok(())).await;
    }
    Ok(())
}

/// Start previewed import `job` as `principal`, audited: its entries are written before the job
/// moves from previewed to queued and settled with that move, so a job another request started
/// first leaves refusals, not successes. `Ok(false)` when the job was not previewed any more.
pub async fn start_import(
    store: &dyn Store,
    principal: &Principal,
    job: &ImportJob,
) -> Result<bool> {
    let entries = import_start_entries(store, principal, job).await?;
    let now = panorama_core::contact::now_micros();
    let moved = store
        .transition_job(&job.job_id, JobState::Previewed, JobState::Queued, now)
        .await;
    let outcome = match &moved {
        Ok(true) => Ok(()),
        Ok(false) => Err(Error::conflict(
            codes::BAD_REQUEST,
            "the import was started or changed meanwhile",
            "state",
        )),
        Err(error) => Err(error.clone()),
    };
    for entry in entries {
        entry.settle(store, &outcome).await;
    }
    moved
}

/// A contact export, recorded once its rows are chosen and before any is written: the filter
/// and file as asked, the row count (counted for a whole category, which is read without a
/// list) and whether mobiles and emails were masked.
pub async fn export(
    store: &dyn Store,
    principal: &Principal,
    asked: serde_json::Value,
    listed_rows: Option<u64>,
    category: panorama_core::contact::Category,
) -> Result<()> {
    let rows = match listed_rows {
        Some(rows) => rows,
        None => {
            let query = panorama_core::store::ContactListQuery::category(category, 1);
            store.list_contact_ids(query).await?.total
        }
    };
    let mut detail = asked;
    detail["rows"] = json!(rows);
    detail["masked"] = json!(!principal.sees_unmasked());
    audit::record(store, principal, AuditAction::Export, None, detail).await
}
