//! One contact: by id, by any key value, and its deletion.

use super::{load_schema, parse_options};
use crate::AppState;
use crate::api::dto::ContactDto;
use crate::app::mask::{attribute_mask, load_attribute_mask};
use crate::error::{ApiError, Problem};
use crate::extract::ApiQuery;
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use panorama_core::contact::{ContactId, KeyValue};
use panorama_core::{Error, codes};
use serde::Deserialize;
use utoipa::IntoParams;

/// A contact by its id.
#[utoipa::path(
    get, path = "/api/v1/contacts/{contact_id}", operation_id = "get_contact", tag = "contacts",
    params(("contact_id" = String, Path, description = "Contact id (UUID)")),
    responses(
        (status = 200, description = "The contact", body = ContactDto),
        (status = 404, description = "No such contact",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a UUID",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn get(
    State(state): State<AppState>,
    principal: Principal,
    Path(contact_id): Path<String>,
) -> Result<Json<ContactDto>, ApiError> {
    principal.require(Role::Viewer)?;
    let id = ContactId::parse(&contact_id)?;
    let contact = state
        .store
        .get_contact(id)
        .await?
        .ok_or_else(|| Error::not_found("contact", id))?;
    let mask = load_attribute_mask(&state, &principal).await?;
    Ok(Json(ContactDto::new(&contact, &mask)))
}

/// Query of a lookup by key value.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct LookupQuery {
    /// A key attribute: `mobile`, `email`, a primary key, `wechat_openid` or `wechat_unionid`.
    attribute: Option<String>,
    /// The value, normalised like a write (`138 1234 5678` finds `+8613812345678`).
    value: Option<String>,
}

/// The contact holding a key value.
#[utoipa::path(
    get, path = "/api/v1/contacts/lookup", operation_id = "lookup_contact", tag = "contacts",
    params(LookupQuery),
    responses(
        (status = 200, description = "The contact", body = ContactDto),
        (status = 404, description = "No contact holds this value",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a key attribute, or an invalid value",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn lookup(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(query): ApiQuery<LookupQuery>,
) -> Result<Json<ContactDto>, ApiError> {
    principal.require(Role::Viewer)?;
    let required = |raw: Option<String>, field: &str| {
        raw.filter(|text| !text.trim().is_empty()).ok_or_else(|| {
            Error::invalid_field(
                codes::BAD_REQUEST,
                format!("the query parameter `{field}` is required"),
                field,
            )
        })
    };
    let attribute = required(query.attribute, "attribute")?;
    let value = required(query.value, "value")?;
    let schema = load_schema(&state).await?;
    let key = KeyValue::lookup(&schema, &attribute, &value, parse_options(&state))?;
    let contact = state
        .store
        .find_contact(&key)
        .await?
        .ok_or_else(|| Error::not_found("contact with this key", &value))?;
    Ok(Json(ContactDto::new(
        &contact,
        &attribute_mask(&principal, &schema),
    )))
}

/// Query of a contact's deletion.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct DeleteQuery {
    /// Also drop the suppression list's entries for the contact's key values (an erasure
    /// request), so that nothing of the person stays; without it a contact that had a channel
    /// off leaves them, and a later create with one of its key values starts with it off.
    forget: Option<bool>,
}

/// Delete a contact with its keys, events and consent history. A contact with a channel off
/// leaves its key values (hashed) and those channels on the suppression list, unless `forget`.
#[utoipa::path(
    delete, path = "/api/v1/contacts/{contact_id}", operation_id = "delete_contact", tag = "contacts",
    params(("contact_id" = String, Path, description = "Contact id (UUID)"), DeleteQuery),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such contact",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a UUID",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn delete(
    State(state): State<AppState>,
    principal: Principal,
    Path(contact_id): Path<String>,
    ApiQuery(query): ApiQuery<DeleteQuery>,
) -> Result<StatusCode, ApiError> {
    principal.require(Role::Admin)?;
    let id = ContactId::parse(&contact_id)?;
    let forget = query.forget.unwrap_or(false);
    if state.store.get_contact(id).await?.is_none() {
        return Err(Error::not_found("contact", id).into());
    }
    crate::app::audit::delete_contact(state.store.as_ref(), &principal, id, forget).await?;
    tracing::info!(principal = %principal.name, contact_id = %id, forget, "contact deleted");
    Ok(StatusCode::NO_CONTENT)
}
