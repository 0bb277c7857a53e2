//! `/api/v1/event-definitions`: which events exist. Presets may gain attributes but are never
//! renamed or deleted (the core refuses with `preset_immutable`).

use super::dto::{EventDefinitionDto, EventDefinitionPatchDoc, NewEventDefinitionDoc};
use crate::AppState;
use crate::app::event_definitions as definitions;
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use panorama_core::Error;
use panorama_core::metadata::{EventDefinitionPatch, NewEventDefinition};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
}

/// Every event definition, presets first.
#[utoipa::path(
    get, path = "/api/v1/event-definitions", operation_id = "list_event_definitions", tag = "event-definitions",
    responses((status = 200, description = "Every definition", body = Vec<EventDefinitionDto>))
)]
async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<EventDefinitionDto>>, ApiError> {
    principal.require(Role::Viewer)?;
    let definitions = state.store.list_event_definitions().await?;
    Ok(Json(definitions.into_iter().map(Into::into).collect()))
}

/// Add a custom event definition.
#[utoipa::path(
    post, path = "/api/v1/event-definitions", operation_id = "create_event_definition", tag = "event-definitions",
    request_body = NewEventDefinitionDoc,
    responses(
        (status = 201, description = "Created", body = EventDefinitionDto),
        (status = 422, description = "Invalid definition or key taken",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(new): ApiJson<NewEventDefinition>,
) -> Result<(StatusCode, Json<EventDefinitionDto>), ApiError> {
    principal.require(Role::Admin)?;
    let created = definitions::create_event_definition(&state, &principal, &new).await?;
    tracing::info!(principal = %principal.name, event = %created.key, "event definition created");
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// One event definition.
#[utoipa::path(
    get, path = "/api/v1/event-definitions/{key}", operation_id = "get_event_definition", tag = "event-definitions",
    params(("key" = String, Path, description = "Event key")),
    responses(
        (status = 200, description = "The definition", body = EventDefinitionDto),
        (status = 404, description = "No such event",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn get(
    State(state): State<AppState>,
    principal: Principal,
    Path(key): Path<String>,
) -> Result<Json<EventDefinitionDto>, ApiError> {
    principal.require(Role::Viewer)?;
    let definition = state
        .store
        .list_event_definitions()
        .await?
        .into_iter()
        .find(|d| d.key.as_str() == key)
        .ok_or_else(|| Error::not_found("event definition", &key))?;
    Ok(Json(definition.into()))
}

/// Rename or regroup a custom definition, or add attributes to any definition.
#[utoipa::path(
    patch, path = "/api/v1/event-definitions/{key}", operation_id = "update_event_definition", tag = "event-definitions",
    params(("key" = String, Path, description = "Event key")),
    request_body = EventDefinitionPatchDoc,
    responses(
        (status = 200, description = "The changed definition", body = EventDefinitionDto),
        (status = 404, description = "No such event",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Presets cannot be renamed (`preset_immutable`)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn update(
    State(state): State<AppState>,
    principal: Principal,
    Path(key): Path<String>,
    ApiJson(patch): ApiJson<EventDefinitionPatch>,
) -> Result<Json<EventDefinitionDto>, ApiError> {
    principal.require(Role::Admin)?;
    let updated = definitions::update_event_definition(&state, &principal, &key, &patch).await?;
    tracing::info!(principal = %principal.name, event = %key, "event definition changed");
    Ok(Json(updated.into()))
}

/// Delete a custom event definition; events already recorded stay.
#[utoipa::path(
    delete, path = "/api/v1/event-definitions/{key}", operation_id = "delete_event_definition", tag = "event-definitions",
    params(("key" = String, Path, description = "Event key")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such event",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Presets cannot be deleted (`preset_immutable`)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn delete(
    State(state): State<AppState>,
    principal: Principal,
    Path(key): Path<String>,
) -> Result<StatusCode, ApiError> {
    principal.require(Role::Admin)?;
    definitions::delete_event_definition(&state, &principal, &key).await?;
    tracing::info!(principal = %principal.name, event = %key, "event definition deleted");
    Ok(StatusCode::NO_CONTENT)
}
