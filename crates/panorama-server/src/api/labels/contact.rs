//! `/api/v1/contacts/{contact_id}/labels`: the contact labels of one contact; each add or remove
//! is a `label_add` / `label_remove` event.

use super::SOURCE;
use crate::AppState;
use crate::api::dto::{ContactLabelsDto, LabelDto, LabelRef};
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use panorama_core::Error;
use panorama_core::contact::{ContactId, WriteContext};
use panorama_core::label::LabelId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, add))
        .routes(routes!(remove))
}

async fn existing(state: &AppState, contact_id: &str) -> Result<ContactId, ApiError> {
    let id = ContactId::parse(contact_id)?;
    state
        .store
        .get_contact(id)
        .await?
        .ok_or_else(|| Error::not_found("contact", id))?;
    Ok(id)
}

async fn labels_of(state: &AppState, id: ContactId) -> Result<ContactLabelsDto, ApiError> {
    let catalog = state.store.label_catalog().await?;
    let labels = state.store.contact_labels(id).await?;
    Ok(ContactLabelsDto {
        items: labels.iter().map(|l| LabelDto::of(l, &catalog)).collect(),
    })
}

/// The contact labels a contact carries.
#[utoipa::path(
    get, path = "/api/v1/contacts/{contact_id}/labels", operation_id = "contact_labels", tag = "labels",
    params(("contact_id" = String, Path, description = "Contact id (UUID)")),
    responses(
        (status = 200, description = "The labels", body = ContactLabelsDto),
        (status = 404, description = "No such contact",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn list(
    State(state): State<AppState>,
    principal: Principal,
    Path(contact_id): Path<String>,
) -> Result<Json<ContactLabelsDto>, ApiError> {
    principal.require(Role::Viewer)?;
    let id = existing(&state, &contact_id).await?;
    Ok(Json(labels_of(&state, id).await?))
}

/// Put a label on a contact (a `label_add` event); adding one it carries changes nothing.
#[utoipa::path(
    post, path = "/api/v1/contacts/{contact_id}/labels", operation_id = "add_contact_label", tag = "labels",
    params(("contact_id" = String, Path, description = "Contact id (UUID)")),
    request_body = LabelRef,
    responses(
        (status = 200, description = "The contact's labels now", body = ContactLabelsDto),
        (status = 404, description = "No such contact or label",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn add(
    State(state): State<AppState>,
    principal: Principal,
    Path(contact_id): Path<String>,
    ApiJson(body): ApiJson<LabelRef>,
) -> Result<Json<ContactLabelsDto>, ApiError> {
    principal.require(Role::Marketer)?;
    let id = existing(&state, &contact_id).await?;
    state
        .store
        .add_label(LabelId(body.label_id), &[id], &WriteContext::now(SOURCE))
        .await?;
    Ok(Json(labels_of(&state, id).await?))
}

/// Take a label off a contact (a `label_remove` event).
#[utoipa::path(
    delete, path = "/api/v1/contacts/{contact_id}/labels/{label_id}", operation_id = "remove_contact_label",
    tag = "labels",
    params(
        ("contact_id" = String, Path, description = "Contact id (UUID)"),
        ("label_id" = i64, Path, description = "Label id"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such contact or label, or the contact does not carry it",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn remove(
    State(state): State<AppState>,
    principal: Principal,
    Path((contact_id, label_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    principal.require(Role::Marketer)?;
    let id = existing(&state, &contact_id).await?;
    let label = LabelId::parse(&label_id, "label_id")?;
    let removed = state
        .store
        .remove_label(label, &[id], &WriteContext::now(SOURCE))
        .await?;
    if removed == 0 {
        return Err(Error::not_found("label on this contact", label).into());
    }
    Ok(StatusCode::NO_CONTENT)
}
