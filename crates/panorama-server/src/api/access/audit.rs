//! `GET /api/v1/audit`: the audit log, newest first, for admins. No route changes or removes
//! an entry (the store has no such method, and the database refuses it too).

use super::dto::AuditPageDto;
use crate::AppState;
use crate::app::audit_page::{self, AuditPageQuery};
use crate::error::{ApiError, Problem};
use crate::extract::ApiQuery;
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// Which entries to read.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct AuditParams {
    /// Only this action (`export`, `delete`, `merge`, `metadata_change`, `import_start`,
    /// `api_key_create`, `api_key_revoke`, `reveal`, `user_create`, `user_change`, `sign_in`, ...).
    pub action: Option<String>,
    /// Only this actor (`ana`, `key:crm-sync`, `local-admin`).
    pub actor: Option<String>,
    /// Only entries older than this `entry_id` (the previous page's `next_before`).
    pub before: Option<i64>,
    /// Entries per page: 100 unless given, at most 500.
    pub limit: Option<usize>,
}

/// The audit log, newest first, with `next_before` for the next, older page.
#[utoipa::path(
    get, path = "/api/v1/audit", operation_id = "list_audit_entries", tag = "access",
    params(AuditParams),
    responses(
        (status = 200, description = "Newest first", body = AuditPageDto),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown action", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn list(
    State(state): State<AppState>,
    principal: Principal,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> Result<Json<AuditPageDto>, ApiError> {
    principal.require(Role::Admin)?;
    let asked = AuditPageQuery {
        action: params.action,
        actor: params.actor,
        before: params.before,
        limit: params.limit,
    };
    let (entries, next_before) = audit_page::page(state.store.as_ref(), &asked).await?;
    Ok(Json(AuditPageDto {
        entries: entries.into_iter().map(Into::into).collect(),
        next_before,
    }))
}
