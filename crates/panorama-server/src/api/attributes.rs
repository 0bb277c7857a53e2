//! `/api/v1/attributes`: contact attribute definitions, listed, added, changed and deleted.

use super::dto::{AttributeDto, AttributePatchDoc, NewAttributeDoc};
use crate::AppState;
use crate::app::metadata;
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use panorama_core::metadata::{AttributePatch, NewAttribute};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
}

/// Every attribute definition, presets first.
#[utoipa::path(
    get, path = "/api/v1/attributes", operation_id = "list_attributes", tag = "attributes",
    responses((status = 200, description = "Every definition", body = Vec<AttributeDto>))
)]
async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<AttributeDto>>, ApiError> {
    principal.require(Role::Viewer)?;
    let schema = state.schema().await?;
    Ok(Json(
        schema
            .attributes()
            .iter()
            .cloned()
            .map(Into::into)
            .collect(),
    ))
}

/// Add a custom attribute (at most 300).
#[utoipa::path(
    post, path = "/api/v1/attributes", operation_id = "create_attribute", tag = "attributes",
    request_body = NewAttributeDoc,
    responses(
        (status = 201, description = "Created", body = AttributeDto),
        (status = 422, description = "Invalid definition, name taken or limit reached",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(new): ApiJson<NewAttribute>,
) -> Result<(StatusCode, Json<AttributeDto>), ApiError> {
    principal.require(Role::Admin)?;
    let created = metadata::create_attribute(&state, &principal, &new).await?;
    tracing::info!(principal = %principal.name, attribute = %created.name, "attribute created");
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// One attribute definition.
#[utoipa::path(
    get, path = "/api/v1/attributes/{name}", operation_id = "get_attribute", tag = "attributes",
    params(("name" = String, Path, description = "Machine name")),
    responses(
        (status = 200, description = "The definition", body = AttributeDto),
        (status = 404, description = "No such attribute",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn get(
    State(state): State<AppState>,
    principal: Principal,
    Path(name): Path<String>,
) -> Result<Json<AttributeDto>, ApiError> {
    principal.require(Role::Viewer)?;
    let schema = state.schema().await?;
    let def = schema.require(&name)?;
    Ok(Json(def.clone().into()))
}

/// Change display name, length, flags or primary key; absent fields stay as they are.
#[utoipa::path(
    patch, path = "/api/v1/attributes/{name}", operation_id = "update_attribute", tag = "attributes",
    params(("name" = String, Path, description = "Machine name")),
    request_body = AttributePatchDoc,
    responses(
        (status = 200, description = "The changed definition", body = AttributeDto),
        (status = 404, description = "No such attribute",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The change breaks a rule (e.g. `duplicate_values`)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn update(
    State(state): State<AppState>,
    principal: Principal,
    Path(name): Path<String>,
    ApiJson(patch): ApiJson<AttributePatch>,
) -> Result<Json<AttributeDto>, ApiError> {
    principal.require(Role::Admin)?;
    let updated = metadata::update_attribute(&state, &principal, &name, &patch).await?;
    tracing::info!(principal = %principal.name, attribute = %name, "attribute changed");
    Ok(Json(updated.into()))
}

/// Delete a custom attribute and its values on every contact.
#[utoipa::path(
    delete, path = "/api/v1/attributes/{name}", operation_id = "delete_attribute", tag = "attributes",
    params(("name" = String, Path, description = "Machine name")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such attribute",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Preset attributes cannot be deleted",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn delete(
    State(state): State<AppState>,
    principal: Principal,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    principal.require(Role::Admin)?;
    metadata::delete_attribute(&state, &principal, &name).await?;
    tracing::info!(principal = %principal.name, attribute = %name, "attribute deleted");
    Ok(StatusCode::NO_CONTENT)
}
