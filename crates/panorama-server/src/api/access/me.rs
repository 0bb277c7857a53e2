//! `GET /api/v1/me`: who the caller is and what the masking rules let them see.

use super::dto::{MeDto, RoleDto};
use crate::AppState;
use crate::error::ApiError;
use crate::principal::{Principal, Role};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get))
}

/// Who is asking: name, role and the masking rights that follow from them.
#[utoipa::path(
    get, path = "/api/v1/me", operation_id = "get_me", tag = "access",
    responses((status = 200, description = "The caller", body = MeDto))
)]
async fn get(principal: Principal) -> Result<Json<MeDto>, ApiError> {
    principal.require(Role::Viewer)?;
    Ok(Json(MeDto {
        role: RoleDto::from_name(principal.role.as_str()),
        may_reveal: principal.may_reveal,
        sees_unmasked: principal.sees_unmasked(),
        can_reveal: principal.can_reveal(),
        name: principal.name,
    }))
}
