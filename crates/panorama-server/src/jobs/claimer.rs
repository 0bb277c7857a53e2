//! The claim loop: every few seconds each server claims bulk actions left queued or whose lease
//! ran out (their server was killed), and imports whose uploaded file it holds, and runs them.

use super::{BULK_JOB_KIND, RESUME_JOBS_MAX, bulk, imports_here, upload_path, worker};
use crate::AppState;
use panorama_core::store::{ImportJob, JobState};
use std::time::Duration;

/// Bulk actions one server claims per round, so one server does not take a whole backlog
/// while others idle.
const BULK_CLAIMS_PER_ROUND_MAX: usize = 4;
/// The longest wait between two rounds.
const ROUND_SECONDS_MAX: u64 = 5;

/// Start the loop; it runs as long as the server.
pub(super) fn spawn(state: AppState) {
    tokio::spawn(async move {
        // A third of the lease, so a dead server's job waits at most about 1⅓ leases.
        let lease = Duration::from_secs(state.settings.job_lease_seconds.max(1));
        let every = (lease / 3).min(Duration::from_secs(ROUND_SECONDS_MAX));
        loop {
            if let Err(error) = round(&state).await {
                tracing::warn!(%error, "claiming jobs");
            }
            tokio::time::sleep(every).await;
        }
    });
}

async fn round(state: &AppState) -> panorama_core::Result<()> {
    let worker = worker(state);
    for _ in 0..BULK_CLAIMS_PER_ROUND_MAX {
        let Some((job, lease)) = worker.claim_next(&[BULK_JOB_KIND]).await? else {
            break;
        };
        let rows_done = job.rows_done;
        tracing::info!(job = %job.job_id, holder = lease.holder(), rows_done, "bulk action claimed");
        tokio::spawn(bulk::run_claimed(state.clone(), lease, None));
    }
    for job in ImportJob::list(state.store.as_ref(), RESUME_JOBS_MAX).await? {
        let waiting = matches!(job.state, JobState::Queued | JobState::Running);
        // Only the server holding the file can run an import; the others leave it alone.
        if !waiting
            || !tokio::fs::try_exists(upload_path(state, &job))
                .await
                .unwrap_or(false)
        {
            continue;
        }
        // Fails (as it should) while the import runs here or elsewhere under a live lease.
        if let Some(lease) = worker.claim(&job.job_id).await? {
            tokio::spawn(imports_here::run_claimed_import(state.clone(), lease));
        }
    }
    Ok(())
}
