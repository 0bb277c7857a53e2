//! Background jobs of this server: started imports and bulk actions (`jobs/bulk.rs`) run here,
//! and at start-up the server picks up queued jobs and reports interrupted ones, so nothing is
//! left silently half-done.

mod bulk;

pub use bulk::*;

use crate::AppState;
use panorama_core::access::AuditAction;
use panorama_core::contact::now_micros;
use panorama_core::metadata::Schema;
use panorama_core::store::JobState;
use panorama_import::{IMPORT_JOB_KIND, ImportRequest, Quiet, prepare, run_import_job};

/// Jobs looked at when the server starts.
pub const RESUME_JOBS_MAX: u64 = 1_000;

/// Finished jobs, announced to the requests of this server that wait for them.
#[derive(Clone)]
pub struct JobBoard {
    finished: tokio::sync::broadcast::Sender<String>,
}

/// Finished-job announcements buffered for slow listeners.
const JOB_BOARD_MESSAGES_MAX: usize = 256;

impl Default for JobBoard {
    fn default() -> Self {
        Self {
            finished: tokio::sync::broadcast::channel(JOB_BOARD_MESSAGES_MAX).0,
        }
    }
}

impl JobBoard {
    /// Listen for finished jobs; subscribe before checking a job's state, so none is missed.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<String> {
        self.finished.subscribe()
    }

    fn announce(&self, job_id: &str) {
        // No listener is not an error: nobody is waiting.
        let _ = self.finished.send(job_id.to_owned());
    }
}

/// Run import `job_id` in the background.
pub fn spawn_import(state: AppState, job_id: String) {
    tokio::spawn(async move {
        if let Err(error) = run(&state, &job_id).await {
            tracing::error!(job = %job_id, %error, "import failed");
            let (counts, reason) = (serde_json::json!({}), error.to_string());
            let _ = state
                .store
                .finish_job(
                    &job_id,
                    JobState::Failed,
                    &counts,
                    Some(&reason),
                    now_micros(),
                )
                .await;
        }
        state.jobs.announce(&job_id);
    });
}

async fn run(state: &AppState, job_id: &str) -> panorama_core::Result<()> {
    let job = state
        .store
        .get_job(job_id)
        .await?
        .ok_or_else(|| panorama_core::Error::not_found("import", job_id))?;
    let request: ImportRequest =
        serde_json::from_value(job.options.clone()).map_err(panorama_core::Error::internal)?;
    let options = request.options(state.settings.import_file_bytes_max)?;
    let path = state.settings.uploads_dir.join(format!(
        "{job_id}.{}",
        crate::api::upload_extension(&job.file_name)
    ));
    let schema = Schema::new(state.store.list_attributes().await?);
    let prepared = tokio::task::spawn_blocking(move || prepare(&path, &schema, &options))
        .await
        .map_err(panorama_core::Error::internal)??;
    let report =
        run_import_job(state.store.clone(), job_id, prepared, "import", &mut Quiet).await?;
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

/// Pick up what a previous run of the server left: queued imports start again. Running ones are
/// left as they are: another server or a CLI import may still be running them (see ARCHITECTURE.md).
pub async fn resume(state: &AppState) -> panorama_core::Result<()> {
    for job in state
        .store
        .list_jobs(IMPORT_JOB_KIND, RESUME_JOBS_MAX)
        .await?
    {
        if job.state == JobState::Queued {
            spawn_import(state.clone(), job.job_id);
        }
    }
    for job in state
        .store
        .list_jobs(BULK_JOB_KIND, RESUME_JOBS_MAX)
        .await?
    {
        if job.state == JobState::Queued {
            spawn_bulk(state.clone(), job.job_id, None);
        }
    }
    Ok(())
}
