//! Many contacts: the overview counts and the paged list by category.

use super::{load_schema, parse_count};
use crate::AppState;
use crate::api::dto::{ContactDto, ContactPageDto, OverviewDto};
use crate::app::filter::ContactFilter;
use crate::app::mask::attribute_mask;
use crate::error::{ApiError, Problem};
use crate::extract::ApiQuery;
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::State;
use panorama_core::contact::Columns;
use serde::Deserialize;
use utoipa::IntoParams;

/// Contacts per page when the request does not say.
pub const PAGE_SIZE_DEFAULT: u64 = 50;

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

/// Paging and columns of the contacts list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct PageQuery {
    /// Page number, from 1 (default 1).
    #[param(value_type = Option<u64>, minimum = 1)]
    page: Option<String>,
    /// Contacts per page, 1 to `list_page_contacts_max` (500 by default; default 50).
    #[param(value_type = Option<u64>, minimum = 1)]
    page_size: Option<String>,
    /// Attribute names to return, comma-separated (default: every attribute).
    columns: Option<String>,
}

/// A page of contacts of a category, optionally searched, in the chosen order, with the exact
/// total.
#[utoipa::path(
    get, path = "/api/v1/contacts", operation_id = "list_contacts", tag = "contacts",
    params(ContactFilter, PageQuery),
    responses(
        (status = 200, description = "The page", body = ContactPageDto),
        (status = 422, description = "Unknown category, field or sort, keyword too long, page out of range",
            body = Problem, content_type = "application/problem+json"),
    )
)]
pub(super) async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(filter): ApiQuery<ContactFilter>,
    ApiQuery(paging): ApiQuery<PageQuery>,
) -> Result<Json<ContactPageDto>, ApiError> {
    principal.require(Role::Viewer)?;
    let schema = load_schema(&state).await?;
    let mut query = filter.to_query(&schema, principal.search_mode())?;
    let page = parse_count("page", paging.page.as_deref(), 1, 1, u64::from(u32::MAX))?;
    let page_size_max = state.settings.list_page_contacts_max;
    let page_size = parse_count(
        "page_size",
        paging.page_size.as_deref(),
        PAGE_SIZE_DEFAULT.min(page_size_max),
        1,
        page_size_max,
    )?;
    let columns = paging
        .columns
        .as_deref()
        .map(|text| Columns::parse_list(&schema, text))
        .transpose()?;
    query.offset = (page - 1) * page_size;
    query.limit = page_size;
    let result = state.store.list_contacts(query).await?;
    let mask = attribute_mask(&principal, &schema);
    let items = result
        .items
        .iter()
        .map(|contact| {
            let mut dto = ContactDto::new(contact, &mask);
            if let Some(columns) = &columns {
                dto.attributes
                    .retain(|name, _| columns.names().iter().any(|c| c == name));
            }
            dto
        })
        .collect();
    Ok(Json(ContactPageDto {
        total: result.total,
        page,
        page_size,
        items,
    }))
}
