//! `/api/v1/views/contacts`: the columns each user chose for the contacts list, in order (kept by
//! `app::views`, which the page and the exports read too).

use crate::AppState;
use crate::app::views::{contact_columns, save_contact_columns};
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_contacts_view, put_contacts_view))
}

/// The columns of a list, in order.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ViewDto {
    /// Attribute machine names, 1 to 20, each once.
    pub columns: Vec<String>,
}

/// The contacts list's columns for the caller.
#[utoipa::path(
    get, path = "/api/v1/views/contacts", operation_id = "get_contacts_view", tag = "views",
    responses((status = 200, description = "The columns", body = ViewDto))
)]
async fn get_contacts_view(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<ViewDto>, ApiError> {
    principal.require(Role::Viewer)?;
    let schema = state.schema().await?;
    let columns = contact_columns(state.store.as_ref(), &schema, &principal).await?;
    Ok(Json(ViewDto {
        columns: columns.names().to_vec(),
    }))
}

/// Choose the contacts list's columns for the caller; remembered across sessions.
#[utoipa::path(
    put, path = "/api/v1/views/contacts", operation_id = "put_contacts_view", tag = "views",
    request_body = ViewDto,
    responses(
        (status = 200, description = "Saved", body = ViewDto),
        (status = 422, description = "Unknown attribute, a column twice, none or more than 20",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn put_contacts_view(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(body): ApiJson<ViewDto>,
) -> Result<Json<ViewDto>, ApiError> {
    principal.require(Role::Viewer)?;
    let schema = state.schema().await?;
    let columns =
        save_contact_columns(state.store.as_ref(), &schema, &principal, &body.columns).await?;
    Ok(Json(ViewDto {
        columns: columns.names().to_vec(),
    }))
}
