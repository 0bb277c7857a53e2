//! Background jobs: started imports and bulk actions (`jobs/bulk.rs`) run here under a lease
//! (`jobs/lease.rs`), and a loop (`jobs/claimer.rs`) claims jobs left queued or whose server
//! died, so several servers share one queue and nothing is left silently half-done.
//!
//! Imports read their uploaded file from this server's `uploads_dir`, so a server only ever
//! claims an import whose file it holds: an import received by a server that died waits for
//! that server to come back (or for any server sharing its `uploads_dir`).

mod bulk;
mod claimer;
mod lease;

pub use bulk::*;

use crate::AppState;
use panorama_core::access::AuditAction;
use panorama_core::metadata::Schema;
use panorama_core::store::{Job, JobLease, JobState, JobWorker, worker_id};
use panorama_import::{IMPORT_JOB_KIND, ImportRequest, Quiet, prepare, run_import_job};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Jobs of each kind looked at in one round of the claim loop.
pub const RESUME_JOBS_MAX: u64 = 1_000;

/// Changes to jobs this server runs (progress recorded, end), announced to the requests of this
/// server that wait on them, and this server's worker id.
#[derive(Clone)]
pub struct JobBoard {
    changed: tokio::sync::broadcast::Sender<String>,
    worker_id: Arc<str>,
}

/// Job-change announcements buffered for slow listeners.
const JOB_BOARD_MESSAGES_MAX: usize = 256;

impl Default for JobBoard {
    fn default() -> Self {
        Self {
            changed: tokio::sync::broadcast::channel(JOB_BOARD_MESSAGES_MAX).0,
            // Made once per server: its claims are recorded under it (host, pid, random part).
            worker_id: worker_id("serve").into(),
        }
    }
}

impl JobBoard {
    /// Read a job with `read` until `ready` holds for it, reading it again whenever this server
    /// announces a change to it, for at most `wait`; then answer the job as last read (read once
    /// more when the wait ran out: a job run by another server announces nothing here).
    pub async fn wait_until<E, Read>(
        &self,
        job_id: &str,
        wait: Duration,
        read: impl Fn() -> Read,
        ready: impl Fn(&Job) -> bool,
    ) -> Result<Job, E>
    where
        Read: Future<Output = Result<Job, E>>,
    {
        use tokio::sync::broadcast::error::RecvError;
        // Subscribe before the first read, so a change announced in between is not missed.
        let mut changes = self.changed.subscribe();
        let deadline = tokio::time::Instant::now() + wait;
        let mut job = read().await?;
        while !wait.is_zero() && !ready(&job) {
            let announced = async {
                loop {
                    match changes.recv().await {
                        Ok(changed) if changed != job_id => {}
                        // Ours, or missed announcements that may include ours.
                        Ok(_) | Err(RecvError::Lagged(_)) => return true,
                        Err(RecvError::Closed) => return false,
                    }
                }
            };
            if !matches!(tokio::time::timeout_at(deadline, announced).await, Ok(true)) {
                return read().await;
            }
            job = read().await?;
        }
        Ok(job)
    }

    /// This server's worker id, which its job claims carry.
    pub fn worker_id(&self) -> &str {
        &self.worker_id
    }

    fn announce(&self, job_id: &str) {
        // No listener is not an error: nobody is waiting.
        let _ = self.changed.send(job_id.to_owned());
    }
}

/// This server as a job worker, with the lease its settings give.
fn worker(state: &AppState) -> JobWorker {
    let lease = Duration::from_secs(state.settings.job_lease_seconds.max(1));
    JobWorker::new(state.store.clone(), state.jobs.worker_id(), lease)
}

/// Run import `job_id` in the background, if this server gets its claim.
pub fn spawn_import(state: AppState, job_id: String) {
    tokio::spawn(async move {
        match worker(&state).claim(&job_id).await {
            Ok(Some(lease)) => run_claimed_import(state, lease).await,
            Ok(None) => {} // another worker has it, or it already ran
            Err(error) => tracing::error!(job = %job_id, %error, "could not claim the import"),
        }
    });
}

/// Run an import this server claimed, to its end.
async fn run_claimed_import(state: AppState, lease: JobLease) {
    let job_id = lease.job_id().to_owned();
    tracing::info!(job = %job_id, holder = lease.holder(), "import claimed");
    let outcome = run(&state, &lease).await;
    if let Err(error) = outcome {
        tracing::error!(job = %job_id, %error, "import failed");
        // `run_import_job` records its own failures; this covers what comes before it (options,
        // an unreadable file). Fenced: nothing is written once the job is done or taken over.
        let (counts, reason) = (serde_json::json!({}), error.to_string());
        if let Err(error) = lease.finish(JobState::Failed, &counts, Some(&reason)).await {
            tracing::error!(job = %job_id, %error, "could not record the failed import");
        }
    }
    // An ended job needs its file no more; one taken over by another worker still does.
    if let Ok(Some(job)) = state.store.get_job(&job_id).await
        && matches!(job.state, JobState::Done | JobState::Failed)
    {
        crate::uploads::remove(&upload_path(&state, &job)).await;
    }
    state.jobs.announce(&job_id);
}

/// Where this server keeps the uploaded file of import `job`.
pub(crate) fn upload_path(state: &AppState, job: &Job) -> PathBuf {
    let extension = crate::app::import_upload::extension(&job.file_name);
    state
        .settings
        .uploads_dir
        .join(format!("{}.{extension}", job.job_id))
}

async fn run(state: &AppState, lease: &JobLease) -> panorama_core::Result<()> {
    let job_id = lease.job_id();
    let job = state
        .store
        .get_job(job_id)
        .await?
        .ok_or_else(|| panorama_core::Error::not_found("import", job_id))?;
    let request: ImportRequest =
        serde_json::from_value(job.options.clone()).map_err(panorama_core::Error::internal)?;
    let options = state.settings.import_options(&request)?;
    let path = upload_path(state, &job);
    if !tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Err(panorama_core::Error::invalid_field(
            panorama_core::codes::NOT_FOUND,
            format!(
                "the uploaded file is gone: a file is kept {} seconds after its preview                  (uploads_kept_seconds); upload it again",
                state.settings.uploads_kept_seconds
            ),
            "file",
        ));
    }
    let schema = Schema::new(state.store.list_attributes().await?);
    let prepared = tokio::task::spawn_blocking(move || prepare(&path, &schema, &options))
        .await
        .map_err(panorama_core::Error::internal)??;
    let report = run_import_job(lease.clone(), job_id, prepared, "import", &mut Quiet).await?;
    // Merges happen row by row inside the import's batches: one entry counts them at the end.
    if let Some(merged) = report.map(|r| r.counts.merged).filter(|merged| *merged > 0) {
        let detail = serde_json::json!({ "source": "import", "merged": merged });
        crate::audit::record_as(
            state.store.as_ref(),
            &job.actor,
            AuditAction::Merge,
            Some(job_id.to_owned()),
            detail,
        )
        .await?;
    }
    Ok(())
}

/// Start claiming jobs in the background: at once (what a previous run of this server, or a
/// stopped server, left queued or running) and then every few seconds.
pub async fn resume(state: &AppState) -> panorama_core::Result<()> {
    crate::uploads::spawn_sweeper(state.clone());
    claimer::spawn(state.clone());
    Ok(())
}
