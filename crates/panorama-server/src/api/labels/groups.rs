//! `/api/v1/label-groups`: groups of contact labels, nested at most four levels deep. Groups are
//! listed with the labels (`GET /api/v1/labels`).

use crate::AppState;
use crate::api::dto::{LabelGroupDto, NameBody, NewLabelGroupDoc};
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use panorama_core::label::{LabelGroupId, NewLabelGroup};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(rename, delete))
}

/// Add a label group, at the top or inside another group; a fifth level is refused with
/// `limit_exceeded` naming `parent_id`.
#[utoipa::path(
    post, path = "/api/v1/label-groups", operation_id = "create_label_group", tag = "labels",
    request_body = NewLabelGroupDoc,
    responses(
        (status = 201, description = "Created", body = LabelGroupDto),
        (status = 404, description = "No such parent group",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A fifth level (`limit_exceeded`), or an invalid or taken name",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(new): ApiJson<NewLabelGroup>,
) -> Result<(StatusCode, Json<LabelGroupDto>), ApiError> {
    principal.require(Role::Marketer)?;
    let group = state.store.create_label_group(&new).await?;
    tracing::info!(principal = %principal.name, group = %group.group_id, "label group created");
    Ok((StatusCode::CREATED, Json((&group).into())))
}

/// Rename a label group.
#[utoipa::path(
    patch, path = "/api/v1/label-groups/{group_id}", operation_id = "rename_label_group", tag = "labels",
    params(("group_id" = i64, Path, description = "Group id")),
    request_body = NameBody,
    responses(
        (status = 200, description = "Renamed", body = LabelGroupDto),
        (status = 404, description = "No such group",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid or taken name",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn rename(
    State(state): State<AppState>,
    principal: Principal,
    Path(group_id): Path<String>,
    ApiJson(body): ApiJson<NameBody>,
) -> Result<Json<LabelGroupDto>, ApiError> {
    principal.require(Role::Marketer)?;
    let id = LabelGroupId::parse(&group_id, "group_id")?;
    let group = state.store.rename_label_group(id, &body.name).await?;
    Ok(Json((&group).into()))
}

/// Delete an empty label group; one that still holds labels or groups is refused
/// (`group_not_empty`, 409).
#[utoipa::path(
    delete, path = "/api/v1/label-groups/{group_id}", operation_id = "delete_label_group", tag = "labels",
    params(("group_id" = i64, Path, description = "Group id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such group",
            body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The group is not empty (`group_not_empty`)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn delete(
    State(state): State<AppState>,
    principal: Principal,
    Path(group_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    principal.require(Role::Marketer)?;
    let id = LabelGroupId::parse(&group_id, "group_id")?;
    state.store.delete_label_group(id).await?;
    tracing::info!(principal = %principal.name, group = %id, "label group deleted");
    Ok(StatusCode::NO_CONTENT)
}
