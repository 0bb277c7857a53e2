//! `/api/v1/contacts/bulk`: delete, add a label to or remove a label from the selected contacts
//! or every contact of a list filter, as a job with progress (`jobs/bulk.rs` runs it); watch one
//! job, list the history.

mod dto;
mod select;
mod status;

use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::jobs::{BulkAction, BulkJob, spawn_bulk};
use crate::principal::Principal;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dto::{BulkCreatedDto, BulkRequest, job_url};
use panorama_core::label::LabelId;
use panorama_core::store::{BulkCounts, JobState};
use panorama_core::{Error, codes};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(status::list, create))
        .routes(routes!(status::get))
}

/// Start a bulk action. The selection is resolved now: with `filter`, the contacts matching it
/// at this moment are the ones acted on, and `selected` says how many. The job runs in the
/// background, 1,000 contacts per transaction; `GET` its `url` (with `?wait=SECONDS`) to follow it.
#[utoipa::path(
    post, path = "/api/v1/contacts/bulk", operation_id = "create_bulk_action", tag = "contacts",
    request_body = BulkRequest,
    responses(
        (status = 202, description = "Queued", body = BulkCreatedDto),
        (status = 403, description = "Deleting needs an admin, labels a marketer",
            body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such label (`field` is `label_id`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad action, label, ids or filter; both or neither of ids and filter; too many ids",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(body): ApiJson<BulkRequest>,
) -> Result<(StatusCode, Json<BulkCreatedDto>), ApiError> {
    let action = BulkAction::parse(&body.action, "action")?;
    principal.require(action.role())?;
    let label_id = check_label(&state, action, body.label_id).await?;
    let (ids, mut options) = select::select(&state, body, principal.search_mode()).await?;
    options.label_id = label_id;
    let selected = ids.len() as u64;
    let mut job = BulkJob::new(action.as_str(), options, &principal.name, JobState::Queued);
    job.rows_total = Some(selected);
    job.counts = Some(BulkCounts {
        selected,
        ..BulkCounts::default()
    });
    job.create(state.store.as_ref()).await?;
    tracing::info!(principal = %principal.name, job = %job.job_id, action = action.as_str(), selected, "bulk action queued");
    spawn_bulk(state.clone(), job.job_id.clone(), Some(ids));
    Ok((
        StatusCode::ACCEPTED,
        Json(BulkCreatedDto {
            url: job_url(job.job_id.as_str()),
            job_id: job.job_id.into(),
            state: JobState::Queued.as_str().to_owned(),
            selected,
        }),
    ))
}

/// The label of a label action, which must exist; none for a delete.
async fn check_label(
    state: &AppState,
    action: BulkAction,
    label_id: Option<i64>,
) -> Result<Option<LabelId>, ApiError> {
    let field = "label_id";
    match (action.needs_label(), label_id) {
        (false, None) => Ok(None),
        (false, Some(id)) => Err(Error::invalid(
            codes::INVALID_VALUE,
            "`label_id` is only for `add_label` and `remove_label`",
            field,
            id,
        )
        .into()),
        (true, None) => Err(Error::invalid_field(
            codes::INVALID_VALUE,
            format!("`{}` needs a `label_id`", action.as_str()),
            field,
        )
        .into()),
        (true, Some(id)) => {
            let catalog = state.store.label_catalog().await?;
            catalog.label(LabelId(id)).map_err(|error| Error {
                field: Some(field.to_owned()),
                ..error
            })?;
            Ok(Some(LabelId(id)))
        }
    }
}
