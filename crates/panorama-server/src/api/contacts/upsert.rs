//! Contact writes: `POST /api/v1/contacts` (one record) and `POST /api/v1/contacts/batch`.

use super::{load_schema, parse_options, parse_record};
use crate::AppState;
use crate::api::dto::{
    BatchCounts, BatchItem, BatchRequest, BatchResponse, BatchResult, ContactDto, ContactInput,
    ItemError, UpsertResponse,
};
use crate::app::mask::attribute_mask;
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use panorama_core::contact::{UpsertAction, WriteContext};
use panorama_core::store::UpsertOutcome;
use panorama_core::{Error, codes};

/// Where API writes are recorded as coming from, on events and consent.
const SOURCE: &str = "api";

/// Create or update one contact, matched by any of its key values; merges the contacts it
/// matches when there are several.
#[utoipa::path(
    post, path = "/api/v1/contacts", operation_id = "upsert_contact", tag = "contacts",
    request_body = ContactInput,
    responses(
        (status = 201, description = "Created", body = UpsertResponse),
        (status = 200, description = "Updated, unchanged or merged", body = UpsertResponse),
        (status = 422, description = "The record breaks a rule; nothing was written",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(input): ApiJson<ContactInput>,
) -> Result<(StatusCode, Json<UpsertResponse>), ApiError> {
    principal.require(Role::Marketer)?;
    let schema = load_schema(&state).await?;
    let record = parse_record(&schema, &input.attributes, parse_options(&state))?;
    let outcomes = state
        .store
        .upsert_contacts(std::slice::from_ref(&record), &WriteContext::now(SOURCE))
        .await?;
    let outcome = outcomes
        .into_iter()
        .next()
        .ok_or_else(|| Error::internal("the store answered one upsert with no outcome"))?;
    let merged = [(outcome.contact.contact_id, outcome.merged.as_slice())];
    crate::app::merges::merges(state.store.as_ref(), &principal, SOURCE, &merged).await?;
    let status = if outcome.action == UpsertAction::Created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(UpsertResponse {
            result: outcome.action.into(),
            merged_contact_ids: outcome.merged.iter().map(ToString::to_string).collect(),
            contact: ContactDto::new(&outcome.contact, &attribute_mask(&principal, &schema)),
        }),
    ))
}

/// Create or update many contacts in order. Invalid items are rejected one by one; the valid
/// ones are written together in one transaction.
#[utoipa::path(
    post, path = "/api/v1/contacts/batch", operation_id = "upsert_contacts", tag = "contacts",
    request_body = BatchRequest,
    responses(
        (status = 200, description = "One result per item", body = BatchResponse),
        (status = 413, description = "More items than a batch may carry (`limit_exceeded`)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn batch(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(request): ApiJson<BatchRequest>,
) -> Result<Json<BatchResponse>, ApiError> {
    principal.require(Role::Marketer)?;
    let items_max = state.settings.batch_contacts_max;
    if request.contacts.len() > items_max {
        return Err(ApiError::with_status(
            StatusCode::PAYLOAD_TOO_LARGE,
            Error::invalid(
                codes::LIMIT_EXCEEDED,
                format!(
                    "a batch carries at most {items_max} contacts (batch_contacts_max); split it"
                ),
                "contacts",
                request.contacts.len(),
            ),
        ));
    }
    let schema = load_schema(&state).await?;
    let options = parse_options(&state);
    let mut records = Vec::new();
    // Per item: the position of its record among those written, or why it was rejected.
    let mut slots = Vec::with_capacity(request.contacts.len());
    for item in request.contacts {
        let parsed = serde_json::from_value::<ContactInput>(item)
            .map_err(|e| Error::invalid_field(codes::BAD_REQUEST, e.to_string(), "attributes"))
            .and_then(|input| parse_record(&schema, &input.attributes, options));
        slots.push(parsed.map(|record| {
            records.push(record);
            records.len() - 1
        }));
    }
    let outcomes = if records.is_empty() {
        Vec::new()
    } else {
        state
            .store
            .upsert_contacts(&records, &WriteContext::now(SOURCE))
            .await?
    };
    if outcomes.len() != records.len() {
        return Err(Error::internal(format!(
            "the store answered {} records with {} outcomes",
            records.len(),
            outcomes.len()
        ))
        .into());
    }
    let merged: Vec<_> = outcomes
        .iter()
        .map(|o| (o.contact.contact_id, o.merged.as_slice()))
        .collect();
    crate::app::merges::merges(state.store.as_ref(), &principal, SOURCE, &merged).await?;
    let mut counts = BatchCounts::default();
    let results = slots
        .into_iter()
        .enumerate()
        .map(|(index, slot)| {
            let item = match slot {
                Ok(position) => written(index, &outcomes[position]),
                Err(error) => rejected(index, error),
            };
            counts.add(item.result);
            item
        })
        .collect();
    Ok(Json(BatchResponse { results, counts }))
}

fn written(index: usize, outcome: &UpsertOutcome) -> BatchItem {
    BatchItem {
        index,
        result: BatchResult::from(outcome.action),
        contact_id: Some(outcome.contact.contact_id.to_string()),
        merged_contact_ids: outcome.merged.iter().map(ToString::to_string).collect(),
        error: None,
    }
}

fn rejected(index: usize, error: Error) -> BatchItem {
    BatchItem {
        index,
        result: BatchResult::Rejected,
        contact_id: None,
        merged_contact_ids: Vec::new(),
        error: Some(ItemError {
            code: error.code.to_owned(),
            detail: error.detail,
            field: error.field,
            value: error.value,
        }),
    }
}
