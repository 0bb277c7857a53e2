//! `/api/v1/labels` and `/api/v1/label-groups`: the company's contact labels in groups up to four
//! levels deep. Labels on one contact are in `contact.rs`; the list filter `label=` is parsed in
//! `app::filter`.

mod contact;
mod groups;

use super::dto::{LabelCatalogDto, LabelDto, LabelGroupDto, LabelPatchDoc, NewLabelDoc};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use panorama_core::contact::WriteContext;
use panorama_core::label::{LabelCatalog, LabelId, LabelPatch, NewLabel};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Where label changes made through the API are recorded as coming from.
const SOURCE: &str = "api";

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
        .merge(groups::routes())
        .merge(contact::routes())
}

/// The catalogue as the API shows it: groups by depth, labels by path.
pub(crate) fn catalog_dto(catalog: &LabelCatalog) -> LabelCatalogDto {
    let mut groups: Vec<LabelGroupDto> = catalog.groups.iter().map(Into::into).collect();
    groups.sort_by(|a, b| (a.depth, &a.name).cmp(&(b.depth, &b.name)));
    let mut labels: Vec<LabelDto> = catalog
        .labels
        .iter()
        .map(|l| LabelDto::of(l, catalog))
        .collect();
    labels.sort_by(|a, b| a.path.cmp(&b.path));
    LabelCatalogDto { groups, labels }
}

/// One label with its path and the exact number of contacts carrying it.
async fn one(state: &AppState, id: LabelId) -> Result<LabelDto, ApiError> {
    let catalog = state.store.label_catalog().await?;
    Ok(LabelDto::of(catalog.label(id)?, &catalog))
}

/// Every label group and label, labels with the number of contacts carrying them.
#[utoipa::path(
    get, path = "/api/v1/labels", operation_id = "list_labels", tag = "labels",
    responses((status = 200, description = "Groups and labels", body = LabelCatalogDto))
)]
async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<LabelCatalogDto>, ApiError> {
    principal.require(Role::Viewer)?;
    Ok(Json(catalog_dto(&state.store.label_catalog().await?)))
}

/// Add a contact label, at the top or in a group.
#[utoipa::path(
    post, path = "/api/v1/labels", operation_id = "create_label", tag = "labels",
    request_body = NewLabelDoc,
    responses(
        (status = 201, description = "Created", body = LabelDto),
        (status = 404, description = "No such group",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Name empty, too long (`value_too_long`) or taken in the group (`duplicate_name`)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(new): ApiJson<NewLabel>,
) -> Result<(StatusCode, Json<LabelDto>), ApiError> {
    principal.require(Role::Marketer)?;
    let label = state.store.create_label(&new).await?;
    tracing::info!(principal = %principal.name, label = %label.label_id, "label created");
    Ok((
        StatusCode::CREATED,
        Json(one(&state, label.label_id).await?),
    ))
}

/// One label, with the number of contacts carrying it.
#[utoipa::path(
    get, path = "/api/v1/labels/{label_id}", operation_id = "get_label", tag = "labels",
    params(("label_id" = i64, Path, description = "Label id")),
    responses(
        (status = 200, description = "The label", body = LabelDto),
        (status = 404, description = "No such label",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn get(
    State(state): State<AppState>,
    principal: Principal,
    Path(label_id): Path<String>,
) -> Result<Json<LabelDto>, ApiError> {
    principal.require(Role::Viewer)?;
    let id = LabelId::parse(&label_id, "label_id")?;
    Ok(Json(one(&state, id).await?))
}

/// Rename, hide or show a label, or move it to another group (`"group_id": null` for the top).
#[utoipa::path(
    patch, path = "/api/v1/labels/{label_id}", operation_id = "update_label", tag = "labels",
    params(("label_id" = i64, Path, description = "Label id")),
    request_body = LabelPatchDoc,
    responses(
        (status = 200, description = "The changed label", body = LabelDto),
        (status = 404, description = "No such label or group",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid or taken name",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn update(
    State(state): State<AppState>,
    principal: Principal,
    Path(label_id): Path<String>,
    ApiJson(patch): ApiJson<LabelPatch>,
) -> Result<Json<LabelDto>, ApiError> {
    principal.require(Role::Marketer)?;
    let id = LabelId::parse(&label_id, "label_id")?;
    state.store.update_label(id, &patch).await?;
    tracing::info!(principal = %principal.name, label = %id, "label changed");
    Ok(Json(one(&state, id).await?))
}

/// Delete a label: it is taken off every contact, each with a `label_remove` event.
#[utoipa::path(
    delete, path = "/api/v1/labels/{label_id}", operation_id = "delete_label", tag = "labels",
    params(("label_id" = i64, Path, description = "Label id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such label",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn delete(
    State(state): State<AppState>,
    principal: Principal,
    Path(label_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    principal.require(Role::Marketer)?;
    let id = LabelId::parse(&label_id, "label_id")?;
    let carried = state
        .store
        .delete_label(id, &WriteContext::now(SOURCE))
        .await?;
    tracing::info!(principal = %principal.name, label = %id, contacts = carried, "label deleted");
    Ok(StatusCode::NO_CONTENT)
}
