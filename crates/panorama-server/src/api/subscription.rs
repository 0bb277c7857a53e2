//! `/api/v1/contacts/{contact_id}/subscription`: read the three statuses with their effective
//! values, change one channel with an explicit, recorded source (and a consent note to turn it
//! on), and read the consent history.

use super::dto::ConsentEntryDto;
use super::dto::{
    ConsentHistoryDto, ContactSubscriptionDto, SubscriptionChangeResponse, SubscriptionDto,
    SubscriptionUpdate,
};
use crate::AppState;
use crate::app::mask::{load_attribute_mask, masking};
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiQuery};
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::{Path, State};
use panorama_core::contact::{Contact, ContactId, SubscriptionChange};
use panorama_core::store::CONSENT_HISTORY_MAX;
use panorama_core::{Error, codes};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// History entries returned when the request does not say.
pub const HISTORY_DEFAULT: u64 = 100;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get, update))
        .routes(routes!(history))
}

async fn contact(state: &AppState, contact_id: &str) -> Result<Contact, ApiError> {
    let id = ContactId::parse(contact_id)?;
    Ok(state
        .store
        .get_contact(id)
        .await?
        .ok_or_else(|| Error::not_found("contact", id))?)
}

/// The status of `contact`, its bounced address masked unless `principal` sees it.
async fn dto(
    state: &AppState,
    principal: &Principal,
    contact: &Contact,
) -> Result<ContactSubscriptionDto, ApiError> {
    let mask = load_attribute_mask(state, principal).await?;
    Ok(ContactSubscriptionDto {
        contact_id: contact.contact_id.to_string(),
        subscription: SubscriptionDto::of(contact, &mask),
    })
}

/// A contact's subscription status: per channel the stored value, the effective value
/// (`global AND channel`, and for email also deliverable), when and by what source it changed.
#[utoipa::path(
    get, path = "/api/v1/contacts/{contact_id}/subscription", operation_id = "get_subscription",
    tag = "consent",
    params(("contact_id" = String, Path, description = "Contact id (UUID)")),
    responses(
        (status = 200, description = "The status", body = ContactSubscriptionDto),
        (status = 404, description = "No such contact",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn get(
    State(state): State<AppState>,
    principal: Principal,
    Path(contact_id): Path<String>,
) -> Result<Json<ContactSubscriptionDto>, ApiError> {
    principal.require(Role::Viewer)?;
    let contact = contact(&state, &contact_id).await?;
    Ok(Json(dto(&state, &principal, &contact).await?))
}

/// Change one channel. Turning it **on** needs a `source` and a `consent` note (what the person
/// agreed to, and where): anything else is refused with `consent_required`. Turning it off needs
/// a `source`. The change is a `subscription_change` event and a consent history entry.
#[utoipa::path(
    put, path = "/api/v1/contacts/{contact_id}/subscription", operation_id = "change_subscription",
    tag = "consent",
    params(("contact_id" = String, Path, description = "Contact id (UUID)")),
    request_body = SubscriptionUpdate,
    responses(
        (status = 200, description = "Changed, or already so", body = SubscriptionChangeResponse),
        (status = 404, description = "No such contact",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No source, or no consent note to turn a channel on (`consent_required`)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn update(
    State(state): State<AppState>,
    principal: Principal,
    Path(contact_id): Path<String>,
    ApiJson(body): ApiJson<SubscriptionUpdate>,
) -> Result<Json<SubscriptionChangeResponse>, ApiError> {
    principal.require(Role::Marketer)?;
    let id = ContactId::parse(&contact_id)?;
    let change = SubscriptionChange::parse(
        &body.channel,
        body.subscribed,
        body.source.as_deref(),
        body.consent.as_deref(),
    )?;
    let outcome = state
        .store
        .change_subscription(id, &change, &principal.name)
        .await?;
    tracing::info!(principal = %principal.name, contact_id = %id, channel = change.channel.as_str(),
        subscribed = change.subscribed, changed = outcome.entry.is_some(), "subscription change");
    Ok(Json(SubscriptionChangeResponse {
        changed: outcome.entry.is_some(),
        entry: outcome
            .entry
            .map(|entry| ConsentEntryDto::new(entry, masking(&principal))),
        subscription: dto(&state, &principal, &outcome.contact).await?,
    }))
}

/// Query of the consent history.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct HistoryQuery {
    /// Most entries to return, 1 to 1000 (default 100).
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000)]
    limit: Option<String>,
}

/// A contact's consent history, newest first: explicit changes with their source and consent
/// note, unsubscribes by records, imports, merges and events, and hard bounces.
#[utoipa::path(
    get, path = "/api/v1/contacts/{contact_id}/subscription/history", operation_id = "consent_history",
    tag = "consent",
    params(("contact_id" = String, Path, description = "Contact id (UUID)"), HistoryQuery),
    responses(
        (status = 200, description = "The entries", body = ConsentHistoryDto),
        (status = 404, description = "No such contact",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn history(
    State(state): State<AppState>,
    principal: Principal,
    Path(contact_id): Path<String>,
    ApiQuery(query): ApiQuery<HistoryQuery>,
) -> Result<Json<ConsentHistoryDto>, ApiError> {
    principal.require(Role::Viewer)?;
    let limit = match query.limit.as_deref().map(str::trim) {
        None | Some("") => HISTORY_DEFAULT,
        Some(text) => text
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=CONSENT_HISTORY_MAX).contains(n))
            .ok_or_else(|| {
                Error::invalid(
                    codes::INVALID_VALUE,
                    format!("`limit` is a whole number from 1 to {CONSENT_HISTORY_MAX}"),
                    "limit",
                    text,
                )
            })?,
    };
    let contact = contact(&state, &contact_id).await?;
    let entries = state
        .store
        .consent_history(contact.contact_id, limit)
        .await?;
    Ok(Json(ConsentHistoryDto {
        items: entries
            .into_iter()
            .map(|entry| ConsentEntryDto::new(entry, masking(&principal)))
            .collect(),
    }))
}
