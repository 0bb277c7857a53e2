//! Background jobs, on one runner (`jobs/runner.rs`): every kind runs under a lease kept by one
//! keeper, records its progress through one recorder (`jobs/progress.rs`) and ends through one
//! failure path. The kinds: imports (`jobs/import.rs`, also run by the CLI's `panorama import`,
//! and `jobs/imports_here.rs` for the server's uploads) and bulk actions (`jobs/bulk.rs`). A
//! loop (`jobs/claimer.rs`) claims jobs left queued or whose server died, so several servers
//! share one queue and nothing is left silently half-done.
//!
//! The runner lives in the server, beside the application layer its kinds call (audit, list
//! filters, uploads); the CLI, which depends on the server already, runs its imports through it.

mod bulk;
mod claimer;
mod import;
mod imports_here;
mod progress;
mod runner;
#[cfg(test)]
mod tests;

pub use bulk::*;
pub use import::*;
pub use imports_here::{spawn_import, upload_path};
pub use progress::Progress;
pub use runner::{Ended, run};

use crate::AppState;
use panorama_core::store::{JobId, JobWorker, worker_id};
use std::sync::Arc;
use std::time::Duration;

/// Jobs of each kind looked at in one round of the claim loop.
pub const RESUME_JOBS_MAX: u64 = 1_000;

/// Changes to jobs this server runs (progress recorded, end), announced to the requests of this
/// server that wait on them, and this server's worker id.
#[derive(Clone)]
pub struct JobBoard {
    changed: tokio::sync::broadcast::Sender<JobId>,
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
    pub async fn wait_until<J, E, Read>(
        &self,
        job_id: &JobId,
        wait: Duration,
        read: impl Fn() -> Read,
        ready: impl Fn(&J) -> bool,
    ) -> Result<J, E>
    where
        Read: Future<Output = Result<J, E>>,
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
                        Ok(changed) if changed != *job_id => {}
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

    /// Tell the requests waiting on `job_id` that it changed.
    fn announce(&self, job_id: &JobId) {
        // No listener is not an error: nobody is waiting.
        let _ = self.changed.send(job_id.clone());
    }
}

/// This server as a job worker, with the lease its settings give.
fn worker(state: &AppState) -> JobWorker {
    let lease = Duration::from_secs(state.settings.job_lease_seconds.max(1));
    JobWorker::new(state.store.clone(), state.jobs.worker_id(), lease)
}

/// Start claiming jobs in the background: at once (what a previous run of this server, or a
/// stopped server, left queued or running) and then every few seconds.
pub async fn resume(state: &AppState) -> panorama_core::Result<()> {
    crate::uploads::spawn_sweeper(state.clone());
    claimer::spawn(state.clone());
    Ok(())
}
