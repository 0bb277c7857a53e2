//! Many contacts: the overview counts, the paged list by category, and one contact's events.

use super::parse_count;
use crate::AppState;
use crate::api::dto::{ContactPageDto, EventListDto, OverviewDto};
use crate::error::{ApiError, Problem};
use crate::extract::ApiQuery;
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::{Path, State};
use panorama_core::Error;
use panorama_core::contact::{Category, ContactId};
use panorama_core::store::ContactListQuery;
use serde::Deserialize;
use utoipa::IntoParams;

/// Most contacts one page may hold.
pub const PAGE_SIZE_MAX: u64 = 500;
/// Contacts per page when the request does not say.
pub const PAGE_SIZE_DEFAULT: u64 = 50;
/// Most events one request may return.
pub const EVENTS_MAX: u64 = 1000;
/// Events returned when the request does not say.
pub const EVENTS_DEFAULT: u64 = 50;

/// Exact counts of all, real-name, anonymous and WeChat-fan contacts, and the new ones.
#[utoipa::path(
    get, path = "/api/v1/contacts/overview", operation_id = "contacts_overview", tag = "contacts",
    responses((status = 200, description = "The counts", body = OverviewDto))
)]
pub(super) async fn overview(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<OverviewDto>, ApiError> {
    principal.require(Role::Viewer)?;
    let overview = state.store.overview(jiff::Timestamp::now()).await?;
    Ok(Json(overview.into()))
}

/// Query of the contacts list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct ListQuery {
    /// `all` (default), `real_name`, `anonymous` or `wechat_fan`.
    category: Option<String>,
    /// Page number, from 1 (default 1).
    #[param(value_type = Option<u64>, minimum = 1)]
    page: Option<String>,
    /// Contacts per page, 1 to 500 (default 50).
    #[param(value_type = Option<u64>, minimum = 1, maximum = 500)]
    page_size: Option<String>,
}

/// A page of contacts of one category, newest first, with the exact total.
#[utoipa::path(
    get, path = "/api/v1/contacts", operation_id = "list_contacts", tag = "contacts",
    params(ListQuery),
    responses(
        (status = 200, description = "The page", body = ContactPageDto),
        (status = 422, description = "Unknown category or page out of range",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<ContactPageDto>, ApiError> {
    principal.require(Role::Viewer)?;
    let category = match query.category.as_deref().map(str::trim) {
        None | Some("") => Category::All,
        Some(name) => Category::parse(name)?,
    };
    let page = parse_count("page", query.page.as_deref(), 1, 1, u64::from(u32::MAX))?;
    let page_size = parse_count(
        "page_size",
        query.page_size.as_deref(),
        PAGE_SIZE_DEFAULT,
        1,
        PAGE_SIZE_MAX,
    )?;
    let result = state
        .store
        .list_contacts(ContactListQuery {
            category,
            offset: (page - 1) * page_size,
            limit: page_size,
        })
        .await?;
    Ok(Json(ContactPageDto {
        total: result.total,
        page,
        page_size,
        items: result.items.iter().map(Into::into).collect(),
    }))
}

/// Query of a contact's events.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct EventsQuery {
    /// Most events to return, 1 to 1000 (default 50).
    #[param(value_type = Option<u64>, minimum = 1, maximum = 1000)]
    limit: Option<String>,
}

/// A contact's latest events, newest first.
#[utoipa::path(
    get, path = "/api/v1/contacts/{contact_id}/events", operation_id = "contact_events", tag = "contacts",
    params(("contact_id" = String, Path, description = "Contact id (UUID)"), EventsQuery),
    responses(
        (status = 200, description = "The events", body = EventListDto),
        (status = 404, description = "No such contact",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn events(
    State(state): State<AppState>,
    principal: Principal,
    Path(contact_id): Path<String>,
    ApiQuery(query): ApiQuery<EventsQuery>,
) -> Result<Json<EventListDto>, ApiError> {
    principal.require(Role::Viewer)?;
    let id = ContactId::parse(&contact_id)?;
    let limit = parse_count(
        "limit",
        query.limit.as_deref(),
        EVENTS_DEFAULT,
        1,
        EVENTS_MAX,
    )?;
    // An unknown id is a 404 rather than an empty list, so a typo does not look like silence.
    if state.store.get_contact(id).await?.is_none() {
        return Err(Error::not_found("contact", id).into());
    }
    let events = state.store.contact_events(id, limit).await?;
    Ok(Json(EventListDto {
        items: events.into_iter().map(Into::into).collect(),
    }))
}
