//! The server's imports: an uploaded file, once started, runs on this server's runner. Imports
//! read their file from this server's `uploads_dir`, so a server only ever claims an import
//! whose file it holds: an import received by a server that died waits for that server to come
//! back (or for any server sharing its `uploads_dir`).

use super::{Ended, import_rows, run, worker};
use crate::AppState;
use panorama_core::access::AuditAction;
use panorama_core::metadata::Schema;
use panorama_core::store::{ImportJob, ImportKind, JobId, JobLease, JobState};
use panorama_core::{Error, Result, codes};
use panorama_import::{ImportReport, Prepared, Quiet, prepare};
use std::path::PathBuf;

/// Run import `job_id` in the background, if this server gets its claim.
pub fn spawn_import(state: AppState, job_id: JobId) {
    tokio::spawn(async move {
        match worker(&state).claim(&job_id).await {
            Ok(Some(lease)) => run_claimed_import(state, lease).await,
            Ok(None) => {} // another worker has it, or it already ran
            Err(error) => tracing::error!(job = %job_id, %error, "could not claim the import"),
        }
    });
}

/// Run an import this server claimed, to its end.
pub(super) async fn run_claimed_import(state: AppState, lease: JobLease) {
    let job_id = lease.job_id().clone();
    tracing::info!(job = %job_id, holder = lease.holder(), "import claimed");
    let announce = || state.jobs.announce(&job_id);
    let ended = run::<ImportKind, _, _, _>(&lease, &announce, |job, progress| async {
        let prepared = open_upload(&state, &job).await?;
        let (report, counts) = import_rows(
            state.store.clone(),
            prepared,
            "import",
            &mut Quiet,
            progress,
        )
        .await?;
        Ok(((job.actor, report), counts))
    })
    .await;
    match ended {
        Ok(Ended::Done((actor, report))) => {
            if let Err(error) = record_merges(&state, &job_id, &actor, &report).await {
                tracing::error!(job = %job_id, %error, "could not record the import's merges");
            }
        }
        Ok(Ended::Failed(error)) => tracing::error!(job = %job_id, %error, "import failed"),
        Ok(Ended::Lost) => {
            tracing::warn!(job = %job_id, holder = lease.holder(), "import stopped: its lease was lost");
        }
        Err(error) => tracing::error!(job = %job_id, %error, "could not record the import's end"),
    }
    // An ended job needs its file no more; one taken over by another worker still does.
    if let Ok(Some(job)) = ImportJob::load(state.store.as_ref(), &job_id).await
        && matches!(job.state, JobState::Done | JobState::Failed)
    {
        crate::uploads::remove(&upload_path(&state, &job)).await;
    }
    state.jobs.announce(&job_id);
}

/// Where this server keeps the uploaded file of import `job`.
pub fn upload_path(state: &AppState, job: &ImportJob) -> PathBuf {
    let extension = crate::app::import_upload::extension(&job.file_name);
    state
        .settings
        .uploads_dir
        .join(format!("{}.{extension}", job.job_id))
}

/// The uploaded file of `job`, opened and mapped with the options it was started with.
async fn open_upload(state: &AppState, job: &ImportJob) -> Result<Prepared> {
    let options = state.settings.import_options(&job.options)?;
    let path = upload_path(state, job);
    if !tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Err(Error::invalid_field(
            codes::NOT_FOUND,
            format!(
                "the uploaded file is gone: a file is kept {} seconds after its preview \
                 (uploads_kept_seconds); upload it again",
                state.settings.uploads_kept_seconds
            ),
            "file",
        ));
    }
    let schema = Schema::new(state.store.list_attributes().await?);
    tokio::task::spawn_blocking(move || prepare(&path, &schema, &options))
        .await
        .map_err(Error::internal)?
}

/// Merges happen row by row inside the import's batches: one audit entry counts them at the end.
async fn record_merges(
    state: &AppState,
    job_id: &JobId,
    actor: &str,
    report: &ImportReport,
) -> Result<()> {
    let merged = report.counts.merged;
    if merged == 0 {
        return Ok(());
    }
    let detail = serde_json::json!({ "source": "import", "merged": merged });
    let target = Some(job_id.to_string());
    crate::audit::record_as(
        state.store.as_ref(),
        actor,
        AuditAction::Merge,
        target,
        detail,
    )
    .await
}
