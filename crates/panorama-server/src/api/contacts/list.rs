//! Many contacts: the overview counts and the paged list by category.

use super::parse_count;
use crate::AppState;
use crate::api::dto::{ContactPageDto, OverviewDto};
use crate::error::{ApiError, Problem};
use crate::extract::ApiQuery;
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::State;
use panorama_core::contact::Category;
use panorama_core::store::ContactListQuery;
use serde::Deserialize;
use utoipa::IntoParams;

/// Most contacts one page may hold.
pub const PAGE_SIZE_MAX: u64 = 500;
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
    /// Only contacts carrying this contact label (its id, from `/api/v1/labels`).
    #[param(value_type = Option<i64>, minimum = 1)]
    label: Option<String>,
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
            label: crate::api::labels::label_filter(query.label.as_deref())?,
            search: None,
            sort: panorama_core::contact::Sort::default(),
        })
        .await?;
    Ok(Json(ContactPageDto {
        total: result.total,
        page,
        page_size,
        items: result.items.iter().map(Into::into).collect(),
    }))
}
