//! Import jobs as the API, the pages and the CLI make and start them: an upload received and
//! previewed into a job, the audited start of a previewed job, the record of the CLI's own start,
//! and the state a running job whose worker stopped is shown in.

use super::import_choice;
use crate::AppState;
use crate::audit;
use crate::error::ApiError;
use crate::jobs::new_import_job;
use crate::principal::Principal;
use axum::extract::Multipart;
use panorama_core::Store;
use panorama_core::access::AuditAction;
use panorama_core::error::codes;
use panorama_core::store::{ImportJob, JobId, JobState};
use panorama_core::{Error, Result};
use panorama_import::{ImportRequest, TableReader};
use serde_json::json;
use std::path::{Path, PathBuf};

/// The state shown for a running job whose heartbeat stopped.
pub const INTERRUPTED: &str = "interrupted";

/// Take an upload (the file and its options), keep the file, preview it and record the job as
/// previewed. Shared by the API and the imports page; refused uploads leave no file and no job.
pub async fn receive(
    state: &AppState,
    multipart: Multipart,
    actor: &str,
) -> Result<(ImportJob, serde_json::Value), ApiError> {
    let job_prefix = panorama_core::contact::ContactId::new().to_string();
    let mut file: Option<(String, PathBuf)> = None;
    let read = super::import_upload::read_fields(state, multipart, &job_prefix, &mut file).await;
    let (request, file_name, path) = match (read, file) {
        // A browser sends an empty file name when no file was chosen.
        (Ok(request), Some((name, path))) if !name.is_empty() => (request, name, path),
        (read, file) => {
            // A refused upload leaves no file, whichever field came after the file.
            if let Some((_, path)) = file {
                let _ = tokio::fs::remove_file(&path).await;
            }
            return Err(read.err().unwrap_or_else(|| {
                Error::invalid_field(
                    codes::BAD_REQUEST,
                    "the upload needs a `file` field",
                    "file",
                )
                .into()
            }));
        }
    };
    let (request, preview) = match preview(state, request, &path).await {
        Ok(done) => done,
        Err(error) => {
            let _ = tokio::fs::remove_file(&path).await;
            return Err(error);
        }
    };
    let options = state.settings.import_options(&request)?;
    let mut job = new_import_job(&file_name, &request, &options, actor, JobState::Previewed);
    // The stored file is found by the job id: they share the id made before the upload was read.
    job.job_id = JobId::from(job_prefix);
    job.preview = Some(preview.clone());
    job.create(state.store.as_ref()).await?;
    tracing::info!(%actor, job = %job.job_id, file = %file_name, "import previewed");
    Ok((job, preview))
}

/// Preview the file. A file whose headers were saved with a mapping, uploaded without choices
/// of its own, is previewed with that mapping (named in `saved_mapping`); a saved mapping that no
/// longer fits (an attribute deleted since) is left out.
async fn preview(
    state: &AppState,
    request: ImportRequest,
    path: &Path,
) -> Result<(ImportRequest, serde_json::Value), ApiError> {
    let options = state.settings.import_options(&request)?;
    panorama_import::resolve_labels(state.store.as_ref(), &options.labels).await?;
    let (file, read) = (path.to_owned(), options.read.clone());
    let headers = tokio::task::spawn_blocking(move || {
        TableReader::open(&file, &read).map(|reader| reader.headers().to_vec())
    })
    .await
    .map_err(|e| Error::internal(format!("the preview failed: {e}")))??;
    if request.map.is_empty()
        && let Some(saved) = import_choice::saved(state, &headers).await?
    {
        let chosen = import_choice::with_choices(request.clone(), &saved.map);
        if let Ok(mut preview) = import_choice::repreview(state, path, &chosen).await {
            preview["saved_mapping"] = serde_json::json!({
                "saved_by": saved.saved_by,
                "saved_at": panorama_core::value::format_timestamp(saved.saved_at),
                "map": saved.map,
            });
            return Ok((chosen, preview));
        }
    }
    let preview = import_choice::repreview(state, path, &request).await?;
    Ok((request, preview))
}

/// The entries of the start of import `job`, begun: `import_start`, and for a delete import a
/// `delete` entry too, since starting it is what deletes contacts.
async fn start_entries(
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
    for entry in start_entries(store, principal, job).await? {
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
    let entries = start_entries(store, principal, job).await?;
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
