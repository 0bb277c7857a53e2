//! Bulk jobs: one job's progress (optionally waiting for its end), and the history.

use super::dto::BulkJobDto;
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiQuery;
use crate::jobs::BulkJob;
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::{Path, State};
use panorama_core::Error;
use panorama_core::store::{JobId, JobState};
use std::time::Duration;

/// Jobs listed by the history.
pub const BULK_HISTORY_JOBS_MAX: u64 = 100;
/// Longest a request may wait for a bulk job to finish, in seconds.
pub const BULK_WAIT_SECONDS_MAX: u64 = 60;

/// How long to wait, and for what.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct WaitParams {
    /// Answer when the job is done or failed, or after this many seconds (at most 60).
    wait: Option<u64>,
    /// With `wait`: answer as soon as more than this many contacts are done, rather than at
    /// the end (watching progress without polling).
    rows_done_above: Option<u64>,
}

async fn job(state: &AppState, job_id: &JobId) -> Result<BulkJob, ApiError> {
    match BulkJob::load(state.store.as_ref(), job_id).await? {
        Some(job) => Ok(job),
        None => Err(Error::not_found("bulk action", job_id.as_str()).into()),
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
    let jobs = BulkJob::list(state.store.as_ref(), BULK_HISTORY_JOBS_MAX).await?;
    Ok(Json(jobs.into_iter().map(Into::into).collect()))
}

/// One bulk action: state, contacts done and total, counts, error. With `wait`, the answer comes
/// when it finishes, or when more than `rows_done_above` contacts are done (or the wait runs
/// out), so a script needs no polling loop.
#[utoipa::path(get, path = "/api/v1/contacts/bulk/{job_id}", operation_id = "get_bulk_action", tag = "contacts",
    params(("job_id" = String, Path, description = "Job id"), WaitParams),
    responses((status = 200, description = "The bulk action", body = BulkJobDto),
        (status = 404, description = "No bulk action has this id", body = Problem, content_type = "application/problem+json")))]
pub(super) async fn get(
    State(state): State<AppState>,
    principal: Principal,
    Path(job_id): Path<String>,
    ApiQuery(params): ApiQuery<WaitParams>,
) -> Result<Json<BulkJobDto>, ApiError> {
    principal.require(Role::Viewer)?;
    let seconds = params.wait.unwrap_or(0).min(BULK_WAIT_SECONDS_MAX);
    let job_id = JobId::from(job_id);
    let ready = |job: &BulkJob| {
        matches!(job.state, JobState::Done | JobState::Failed)
            || params
                .rows_done_above
                .is_some_and(|rows| job.rows_done > rows)
    };
    let read = || job(&state, &job_id);
    let current = state
        .jobs
        .wait_until(&job_id, Duration::from_secs(seconds), read, ready)
        .await?;
    Ok(Json(current.into()))
}
