//! Bulk-action jobs: delete, add a label to or remove a label from many contacts, a batch of
//! [`BULK_BATCH_CONTACTS`] per transaction, recording progress after each batch.
//!
//! The job's record holds the selection as the operator made it (the ids, or the list filter) and
//! the number selected when it was created. The worker gets the ids resolved at creation from the
//! request that made it; a job resumed by another run (its server restarted or was killed, and
//! this or another server claimed it) reads its recorded ids and goes on after the contacts
//! already recorded as handled, or resolves its filter again and keeps only contacts created
//! before the job (UUID v7 ids carry their creation instant), so a contact added after the click
//! is never touched. A batch is safe to apply twice (a label already on is skipped, a contact
//! already deleted is skipped), which covers the one batch a killed server may have committed
//! without recording it.

mod action;

pub use action::*;

use super::{Ended, Progress, run};
use crate::AppState;
use panorama_core::access::AuditAction;
use panorama_core::contact::{ContactId, WriteContext};
use panorama_core::label::LabelId;
use panorama_core::metadata::Schema;
use panorama_core::store::{BulkCounts, JobId, JobKind, JobLease};
use panorama_core::{Error, Result};
use serde_json::json;

/// The `kind` of bulk-action jobs.
pub const BULK_JOB_KIND: &str = <Bulk as JobKind>::KIND;
/// Contacts changed per transaction, so a large job never holds the write lock for long.
pub const BULK_BATCH_CONTACTS: usize = 1_000;
/// The `source` recorded on the events a bulk action writes (`label_add`, `label_remove`).
pub const BULK_SOURCE: &str = "bulk";

/// Run bulk job `job_id` in the background if this server gets its claim; `ids` are its
/// contacts as resolved when it was created, or `None` to resolve them from its record.
pub fn spawn_bulk(state: AppState, job_id: JobId, ids: Option<Vec<ContactId>>) {
    tokio::spawn(async move {
        match super::worker(&state).claim(&job_id).await {
            Ok(Some(lease)) => {
                tracing::info!(job = %job_id, holder = lease.holder(), "bulk action claimed");
                run_claimed(state, lease, ids).await;
            }
            Ok(None) => {} // another worker has it, or it already ran
            Err(error) => tracing::error!(job = %job_id, %error, "could not claim the bulk action"),
        }
    });
}

/// Run a bulk action this server claimed on the runner, to its end or until the lease is lost
/// (then the new holder finishes it).
pub(super) async fn run_claimed(state: AppState, lease: JobLease, ids: Option<Vec<ContactId>>) {
    let job_id = lease.job_id().clone();
    // Requests of this server watching the progress read it again after each batch.
    let announce = || state.jobs.announce(&job_id);
    let ended = run::<Bulk, _, _, _>(&lease, &announce, |job, progress| {
        work(&state, job, progress, ids)
    })
    .await;
    match ended {
        Ok(Ended::Done((action, counts))) => {
            let (holder, done, skipped) = (lease.holder(), counts.done, counts.skipped);
            tracing::info!(job = %job_id, holder, action = action.as_str(), done, skipped, "bulk action done");
        }
        Ok(Ended::Lost) => {
            // Not announced: the job is not finished, another server runs it.
            tracing::warn!(job = %job_id, holder = lease.holder(), "bulk action stopped: its lease was lost");
            return;
        }
        Ok(Ended::Failed(error)) => tracing::error!(job = %job_id, %error, "bulk action failed"),
        Err(error) => {
            tracing::error!(job = %job_id, %error, "could not record the failed bulk action");
        }
    }
    state.jobs.announce(&job_id);
}

/// Where a run starts: contacts already handled by an earlier run of the job, and its counts.
#[derive(Debug, Default, Clone, Copy)]
struct Start {
    rows_done: u64,
    done: u64,
    skipped: u64,
}

/// The work of a bulk job: its contacts a batch per transaction, each batch's progress written
/// before the next (a resumed run goes on after the contacts recorded as handled).
async fn work(
    state: &AppState,
    job: BulkJob,
    progress: Progress<Bulk>,
    ids: Option<Vec<ContactId>>,
) -> Result<((BulkAction, BulkCounts), BulkCounts)> {
    let action = BulkAction::parse(&job.purpose, "purpose")?;
    let (ids, start) = match ids {
        Some(ids) => (ids, Start::default()),
        None => resolve_again(state, &job).await?,
    };
    // `selected` stays what the operator was told; `rows_total` is what this run resolved, which
    // differs only for a resumed filter that other writes changed meanwhile.
    let selected = job
        .counts
        .map_or(ids.len() as u64, |counts| counts.selected);
    if action == BulkAction::Delete {
        // Recorded for the job's creator before the first batch, each time the job runs.
        let detail = json!({ "bulk": true, "contacts": ids.len(), "filter": job.options.filter });
        crate::audit::record_as(
            state.store.as_ref(),
            &job.actor,
            AuditAction::Delete,
            Some(job.job_id.to_string()),
            detail,
        )
        .await?;
    }
    let total = Some(ids.len() as u64);
    let mut rows_done = start.rows_done;
    let mut counts = BulkCounts {
        selected,
        done: start.done,
        skipped: start.skipped,
    };
    progress.record_written(rows_done, total, counts).await;
    let pause = std::time::Duration::from_millis(state.settings.job_batch_pause_millis);
    let left = ids
        .get(usize::try_from(rows_done).unwrap_or(usize::MAX)..)
        .unwrap_or(&[]);
    for batch in left.chunks(BULK_BATCH_CONTACTS) {
        let changed = apply(state, action, job.options.label_id, batch).await?;
        let size = batch.len() as u64;
        counts.done += changed;
        counts.skipped += size.saturating_sub(changed);
        rows_done += size;
        progress.record_written(rows_done, total, counts).await;
        if !pause.is_zero() {
            tokio::time::sleep(pause).await;
        }
    }
    Ok(((action, counts), counts))
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

/// The contacts of a recorded selection, for a job resumed by another run (after a restart, or
/// by another server): recorded ids go on after the contacts the last run recorded as handled
/// (its batches are in id order, and progress is written after each commits), with its counts; a
/// filter is resolved again, keeping only contacts older than the job, and runs from the start.
async fn resolve_again(state: &AppState, job: &BulkJob) -> Result<(Vec<ContactId>, Start)> {
    let options = &job.options;
    if let Some(ids) = &options.ids {
        let ids = ids
            .iter()
            .map(|id| ContactId::parse(id))
            .collect::<Result<Vec<_>>>()?;
        let counts = job.counts_or_zero();
        let start = Start {
            rows_done: job.rows_done.min(ids.len() as u64),
            done: counts.done,
            skipped: counts.skipped,
        };
        return Ok((ids, start));
    }
    let filter = options
        .filter
        .as_ref()
        .ok_or_else(|| Error::internal("a bulk job with neither ids nor a filter"))?;
    let schema = Schema::new(state.store.list_attributes().await?);
    let page = state
        .store
        .list_contact_ids(filter.to_query(&schema, options.search_mode())?)
        .await?;
    let before = job.created_at.as_millisecond();
    let ids = page
        .ids
        .into_iter()
        .filter(|id| created_millisecond(*id).is_none_or(|at| at <= before))
        .collect();
    Ok((ids, Start::default()))
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
