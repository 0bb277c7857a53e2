//! `GET /api/v1/contacts/{id}/events`: the timeline, newest first, with a keyset cursor.

use super::{FilterQuery, existing, parse_limit};
use crate::AppState;
use crate::app::mask::masking;
use crate::error::{ApiError, Problem};
use crate::extract::ApiQuery;
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::{Path, State};
use panorama_core::event::{
    Event, TIMELINE_LIMIT_DEFAULT, TIMELINE_LIMIT_MAX, TimelineCursor, TimelineQuery,
};
use panorama_core::mask::{Masking, mask_event_properties};
use panorama_core::metadata::EventDefinition;
use panorama_core::value::format_timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as JsonValue};
use utoipa::{IntoParams, ToSchema};

/// Paging of the timeline.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct PageQuery {
    /// Events per page, 1 to 1000 (default 50).
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000)]
    limit: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// One event of a timeline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TimelineEventDto {
    /// Unique id.
    pub event_id: String,
    /// Event definition key.
    pub event: String,
    /// Its definition's display name (the key when the definition was deleted).
    pub display_name: String,
    /// Its definition's group (`custom` when the definition was deleted).
    pub group: String,
    /// When it happened (RFC 3339, UTC, microseconds).
    #[schema(format = DateTime)]
    pub occurred_at: String,
    /// Properties by event attribute name.
    #[schema(value_type = Object)]
    pub properties: Map<String, JsonValue>,
}

impl TimelineEventDto {
    /// The event with its definition's names, its properties masked under `masking`.
    pub fn new(mut event: Event, definitions: &[EventDefinition], masking: Masking) -> Self {
        mask_event_properties(masking, &event.event, &mut event.properties);
        let definition = definitions.iter().find(|d| d.key.as_str() == event.event);
        Self {
            display_name: definition
                .map_or_else(|| event.event.clone(), |d| d.display_name.clone()),
            group: definition.map_or_else(|| "custom".to_owned(), |d| d.group.to_string()),
            event_id: event.event_id,
            event: event.event,
            occurred_at: format_timestamp(event.occurred_at),
            properties: event.properties,
        }
    }
}

/// A page of the timeline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TimelineDto {
    /// Events, newest first (equal instants by `event_id`, descending).
    pub items: Vec<TimelineEventDto>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A contact's events, newest first, filtered by type, group and time range, paged without limit.
#[utoipa::path(
    get, path = "/api/v1/contacts/{contact_id}/events", operation_id = "contact_timeline", tag = "events",
    params(("contact_id" = String, Path, description = "Contact id (UUID)"), FilterQuery, PageQuery),
    responses(
        (status = 200, description = "A page of events", body = TimelineDto),
        (status = 404, description = "No such contact", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad filter, limit or cursor", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn timeline(
    State(state): State<AppState>,
    principal: Principal,
    Path(contact_id): Path<String>,
    ApiQuery(filter): ApiQuery<FilterQuery>,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> Result<Json<TimelineDto>, ApiError> {
    principal.require(Role::Viewer)?;
    let id = existing(&state, &contact_id).await?;
    let definitions = state.store.list_event_definitions().await?;
    let query = TimelineQuery {
        filter: filter.filter(&definitions, &state.settings.time_zone)?,
        limit: parse_limit(
            page.limit.as_deref(),
            TIMELINE_LIMIT_DEFAULT,
            TIMELINE_LIMIT_MAX,
        )?,
        cursor: page
            .cursor
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(TimelineCursor::parse)
            .transpose()?,
    };
    let found = state.store.timeline(id, &query).await?;
    Ok(Json(TimelineDto {
        items: found
            .items
            .into_iter()
            .map(|e| TimelineEventDto::new(e, &definitions, masking(&principal)))
            .collect(),
        next_cursor: found.next.map(|c| c.encode()),
    }))
}
