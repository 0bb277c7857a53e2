//! `POST /api/v1/events`: ingest one or a batch of up to 10,000 events, idempotent by `event_id`.
//! Each event is checked on its own: a bad one is rejected with its reason, the others are
//! written together in one transaction.

use super::dto::ItemError;
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use panorama_core::contact::WriteContext;
use panorama_core::event::{EventParser, IngestOutcome, IngestStatus};
use panorama_core::value::ParseOptions;
use panorama_core::{Error, codes};
use serde::{Deserialize, Serialize};
use serde_json::Value as JsonValue;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(ingest))
}

/// A batch of events.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IngestRequest {
    /// Up to 10,000 events, each `{event_id, event, occurred_at, identity, properties}`.
    /// `identity` holds `contact_id`, or key attributes (`mobile`, `email`, `wechat_openid`,
    /// `wechat_unionid`, primary keys) and/or `anonymous_id`.
    #[schema(value_type = Vec<Object>)]
    pub events: Vec<JsonValue>,
}

/// What happened to one event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IngestItem {
    /// Position in the request, from 0.
    pub index: usize,
    /// `created`, `duplicate` or `rejected`.
    pub result: &'static str,
    /// The contact the event belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<String>,
    /// Whether resolving the identity created that contact.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub contact_created: bool,
    /// Contacts merged into it because the identity linked them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub merged_contact_ids: Vec<String>,
    /// Why it was rejected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ItemError>,
}

/// How many events had each result.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct IngestCounts {
    /// Stored.
    pub created: u64,
    /// Seen before; nothing changed.
    pub duplicate: u64,
    /// Refused.
    pub rejected: u64,
}

/// One result per event, in order, and the counts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IngestResponse {
    /// Results.
    pub results: Vec<IngestItem>,
    /// Counts.
    pub counts: IngestCounts,
}

/// Where API ingests are recorded as coming from.
const SOURCE: &str = "api";

/// Ingest events. Unknown keys create the contact (an anonymous one for an `anonymous_id`); an
/// identity linking several contacts merges them; `email_unsubscribe` and `sms_unsubscribe` turn
/// their channel off; `order` events keep the order attributes exact.
#[utoipa::path(
    post, path = "/api/v1/events", operation_id = "ingest_events", tag = "events",
    request_body = IngestRequest,
    responses(
        (status = 200, description = "One result per event", body = IngestResponse),
        (status = 413, description = "More events than `batch_events_max` (10,000 by default; `limit_exceeded`)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn ingest(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(request): ApiJson<IngestRequest>,
) -> Result<Json<IngestResponse>, ApiError> {
    principal.require(Role::Marketer)?;
    let events_max = state.settings.batch_events_max;
    if request.events.len() > events_max {
        return Err(ApiError::with_status(
            StatusCode::PAYLOAD_TOO_LARGE,
            Error::invalid(
                codes::LIMIT_EXCEEDED,
                format!(
                    "a request carries at most {events_max} events (batch_events_max); split it"
                ),
                "events",
                request.events.len(),
            ),
        ));
    }
    let schema = state.schema().await?;
    let definitions = state.store.list_event_definitions().await?;
    let options = ParseOptions {
        default_country: state.settings.default_country,
    };
    let parser = EventParser::new(&schema, &definitions, options);
    let mut valid = Vec::with_capacity(request.events.len());
    let mut slots = Vec::with_capacity(request.events.len());
    for raw in request.events {
        slots.push(parser.parse(raw).map(|event| {
            valid.push(event);
            valid.len() - 1
        }));
    }
    let sent = valid.len();
    let outcomes = if valid.is_empty() {
        Vec::new()
    } else {
        state
            .store
            .ingest_events(valid, &WriteContext::now(SOURCE))
            .await?
    };
    if outcomes.len() != sent {
        return Err(Error::internal(
            "the store answered a batch with a different number of outcomes",
        )
        .into());
    }
    let merged: Vec<_> = outcomes
        .iter()
        .filter_map(|o| o.contact_id.map(|id| (id, o.merged.as_slice())))
        .collect();
    crate::app::merges::merges(state.store.as_ref(), &principal, SOURCE, &merged).await?;
    let mut counts = IngestCounts::default();
    let results = slots
        .into_iter()
        .enumerate()
        .map(|(index, slot)| {
            let outcome = match slot {
                Ok(position) => outcomes[position].clone(),
                Err(error) => IngestOutcome::rejected(error),
            };
            item(index, outcome, &mut counts)
        })
        .collect();
    Ok(Json(IngestResponse { results, counts }))
}

fn item(index: usize, outcome: IngestOutcome, counts: &mut IngestCounts) -> IngestItem {
    let (result, error) = match outcome.status {
        IngestStatus::Created => {
            counts.created += 1;
            ("created", None)
        }
        IngestStatus::Duplicate => {
            counts.duplicate += 1;
            ("duplicate", None)
        }
        IngestStatus::Rejected(error) => {
            counts.rejected += 1;
            let error = ItemError {
                code: error.code.to_owned(),
                detail: error.detail,
                field: error.field,
                value: error.value,
            };
            ("rejected", Some(error))
        }
    };
    IngestItem {
        index,
        result,
        contact_id: outcome.contact_id.map(|id| id.to_string()),
        contact_created: outcome.contact_created,
        merged_contact_ids: outcome.merged.iter().map(ToString::to_string).collect(),
        error,
    }
}
