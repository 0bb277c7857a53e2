//! Bulk-action jobs: delete, add a label to or remove a label from many contacts, a batch of
//! [`BULK_BATCH_CONTACTS`] per transaction, recording progress after each batch.
//!
//! The job's record holds the selection as the operator made it (the ids, or the list filter) and
//! the number selected when it was created. The worker gets the ids resolved at creation from the
//! request that made it; only a job resumed after a restart resolves its filter again, and then
//! keeps only contacts created before the job (UUID v7 ids carry their creation instant), so a
//! contact added after the click is never touched.

mod action;

pub use action::*;

use crate::AppState;
use panorama_core::access::AuditAction;
use panorama_core::contact::{ContactId, WriteContext, now_micros};
use panorama_core::label::LabelId;
use panorama_core::metadata::Schema;
use panorama_core::store::JobState;
use panorama_core::{Error, Result};
use serde_json::json;

/// The `kind` of bulk-action jobs.
pub const BULK_JOB_KIND: &str = "bulk";
/// Contacts changed per transaction, so a large job never holds the write lock for long.
pub const BULK_BATCH_CONTACTS: usize = 1_000;
/// The `source` recorded on the events a bulk action writes (`label_add`, `label_remove`).
pub const BULK_SOURCE: &str = "bulk";

/// Run bulk job `job_id` in the background; `ids` are its contacts as resolved when it was
/// created, or `None` to resolve them from its record (a job resumed at start-up).
pub fn spawn_bulk(state: AppState, job_id: String, ids: Option<Vec<ContactId>>) {
    tokio::spawn(async move {
        if let Err(error) = run(&state, &job_id, ids).await {
            tracing::error!(job = %job_id, %error, "bulk action failed");
            let counts = match state.store.get_job(&job_id).await {
                Ok(Some(job)) => job.counts,
                _ => json!({}),
            };
            let reason = error.to_string();
            let finished = state
                .store
                .finish_job(
                    &job_id,
                    JobState::Failed,
                    &counts,
                    Some(&reason),
                    now_micros(),
                )
                .await;
            if let Err(error) = finished {
                tracing::error!(job = %job_id, %error, "could not record the failed bulk action");
            }
        }
        state.jobs.announce(&job_id);
    });
}

async fn run(state: &AppState, job_id: &str, ids: Option<Vec<ContactId>>) -> Result<()> {
    let store = &state.store;
    if !store
        .transition_job(job_id, JobState::Queued, JobState::Running, now_micros())
        .await?
    {
        return Ok(()); // another worker has it, or it already ran
    }
    let job = store
        .get_job(job_id)
        .await?
        .ok_or_else(|| Error::not_found("bulk action", job_id))?;
    let action = BulkAction::parse(&job.purpose, "purpose")?;
    let options: BulkOptions = serde_json::from_value(job.options.clone())
        .map_err(|e| Error::internal(format!("bulk job {job_id} has unreadable options: {e}")))?;
    let ids = match ids {
        Some(ids) => ids,
        None => resolve_again(state, &options, job.created_at).await?,
    };
    // `selected` stays what the operator was told; `rows_total` is what this run resolved, which
    // differs only for a resumed filter that other writes changed meanwhile.
    let selected = job.counts["selected"].as_u64().unwrap_or(ids.len() as u64);
    if action == BulkAction::Delete {
        // Recorded for the job's creator before the first batch, each time the job runs.
        let detail =
            json!({ "bulk": true, "contacts": ids.len(), "filter": job.options.get("filter") });
        crate::audit::record_as(
            store.as_ref(),
            &job.actor,
            AuditAction::Delete,
            Some(job_id.to_owned()),
            detail,
        )
        .await?;
    }
    let total = Some(ids.len() as u64);
    store
        .record_job_progress(job_id, 0, total, &bulk_counts(selected, 0, 0), &[])
        .await?;
    let (mut done, mut skipped, mut rows_done) = (0u64, 0u64, 0u64);
    for batch in ids.chunks(BULK_BATCH_CONTACTS) {
        let changed = apply(state, action, options.label_id, batch).await?;
        let size = batch.len() as u64;
        done += changed;
        skipped += size.saturating_sub(changed);
        rows_done += size;
        let counts = bulk_counts(selected, done, skipped);
        store
            .record_job_progress(job_id, rows_done, total, &counts, &[])
            .await?;
    }
    let counts = bulk_counts(selected, done, skipped);
    store
        .finish_job(job_id, JobState::Done, &counts, None, now_micros())
        .await?;
    tracing::info!(job = %job_id, action = action.as_str(), done, skipped, "bulk action done");
    Ok(())
}

/// One batch in one transaction; how many contacts it changed.
async fn apply(
    state: &AppState,
    action: BulkAction,
    label_id: Option<LabelId>,
    batch: &[ContactId],
) -> Result<u64> {
    let label = || label_id.ok_or_else(|| Error::internal("a label action without a label"));
    let context = WriteContext::now(BULK_SOURCE);
    match action {
        BulkAction::Delete => state.store.delete_contacts(batch).await,
        BulkAction::AddLabel => state.store.add_label(label()?, batch, &context).await,
        BulkAction::RemoveLabel => state.store.remove_label(label()?, batch, &context).await,
    }
}

/// The contacts of a recorded selection, for a job resumed after a restart.
async fn resolve_again(
    state: &AppState,
    options: &BulkOptions,
    created_at: jiff::Timestamp,
) -> Result<Vec<ContactId>> {
    if let Some(ids) = &options.ids {
        return ids.iter().map(|id| ContactId::parse(id)).collect();
    }
    let filter = options
        .filter
        .as_ref()
        .ok_or_else(|| Error::internal("a bulk job with neither ids nor a filter"))?;
    let schema = Schema::new(state.store.list_attributes().await?);
    let page = state
        .store
        .list_contact_ids(filter.to_query(&schema)?)
        .await?;
    let before = created_at.as_millisecond();
    Ok(page
        .ids
        .into_iter()
        .filter(|id| created_millisecond(*id).is_none_or(|at| at <= before))
        .collect())
}

/// When a contact was created, from its UUID v7 id.
fn created_millisecond(id: ContactId) -> Option<i64> {
    let (seconds, nanos) = id.uuid().get_timestamp()?.to_unix();
    let seconds = i64::try_from(seconds).ok()?;
    Some(seconds * 1_000 + i64::from(nanos / 1_000_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_tell_when_contacts_were_created() {
        let before = jiff::Timestamp::now().as_millisecond();
        let at = created_millisecond(ContactId::new()).expect("a v7 id");
        assert!(at >= before && at <= jiff::Timestamp::now().as_millisecond());
    }
}
