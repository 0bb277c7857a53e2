//! Bulk jobs: one job's progress (optionally waiting for its end), and the history.

use super::dto::BulkJobDto;
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiQuery;
use crate::jobs::BULK_JOB_KIND;
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::{Path, State};
use panorama_core::Error;
use panorama_core::store::{Job, JobState};

/// Jobs listed by the history.
pub const BULK_HISTORY_JOBS_MAX: u64 = 100;
/// Longest a request may wait for a bulk job to finish, in seconds.
pub const BULK_WAIT_SECONDS_MAX: u64 = 60;

/// How long to wait for the job to finish.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub(super) struct WaitParams {
    /// Answer when the job is done or failed, or after this many seconds (at most 60).
    wait: Option<u64>,
}

async fn job(state: &AppState, job_id: &str) -> Result<Job, ApiError> {
    match state.store.get_job(job_id).await? {
        Some(job) if job.kind == BULK_JOB_KIND => Ok(job),
        _ => Err(Error::not_found("bulk action", job_id).into()),
    }
}

/// The bulk actions, newest first: action, selection, who, when, counts.
#[utoipa::path(get, path = "/api/v1/contacts/bulk", operation_id = "list_bulk_actions", tag = "contacts",
    responses((status = 200, description = "Newest first", body = Vec<BulkJobDto>)))]
pub(super) async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<BulkJobDto>>, ApiError> {
    principal.require(Role::Viewer)?;
    let jobs = state
        .store
        .list_jobs(BULK_JOB_KIND, BULK_HISTORY_JOBS_MAX)
        .await?;
    Ok(Json(jobs.into_iter().map(Into::into).collect()))
}

/// One bulk action: state, contacts done and total, counts, error. With `wait`, the answer comes
/// when it finishes (or the wait runs out), so a script needs no polling loop.
#[utoipa::path(get, path = "/api/v1/contacts/bulk/{job_id}", operation_id = "get_bulk_action", tag = "contacts",
    params(("job_id" = String, Path, description = "Job id"), WaitParams),
    responses((status = 200, body = BulkJobDto),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn get(
    State(state): State<AppState>,
    principal: Principal,
    Path(job_id): Path<String>,
    ApiQuery(params): ApiQuery<WaitParams>,
) -> Result<Json<BulkJobDto>, ApiError> {
    principal.require(Role::Viewer)?;
    // Subscribe before reading the state, so an end announced in between is not missed.
    let mut finished = state.jobs.subscribe();
    let current = job(&state, &job_id).await?;
    let seconds = params.wait.unwrap_or(0).min(BULK_WAIT_SECONDS_MAX);
    if seconds == 0 || matches!(current.state, JobState::Done | JobState::Failed) {
        return Ok(Json(current.into()));
    }
    let waiting = async {
        loop {
            match finished.recv().await {
                Ok(done) if done != job_id => {}
                // Ours, or missed announcements that may include ours: read the state again.
                _ => return,
            }
        }
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(seconds), waiting).await;
    Ok(Json(job(&state, &job_id).await?.into()))
}
