//! `GET /api/v1/audit`: the audit log, newest first, for admins. No route changes or removes
//! an entry (the store has no such method, and the database refuses it too).

use super::dto::AuditPageDto;
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiQuery;
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::State;
use panorama_core::Result;
use panorama_core::access::{AUDIT_PAGE_ENTRIES_MAX, AuditAction, AuditEntry, AuditQuery};
use panorama_core::text::{TextKind, check_text};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Entries on a page when the request does not say.
pub const AUDIT_PAGE_ENTRIES_DEFAULT: usize = 100;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// Which entries to read.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
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
    let (entries, next_before) = page(&state, &params).await?;
    Ok(Json(AuditPageDto {
        entries: entries.into_iter().map(Into::into).collect(),
        next_before,
    }))
}

/// One page of entries for `params`, and the `before` of the next page if there is one. Shared
/// with the `/audit` page.
pub(crate) async fn page(
    state: &AppState,
    params: &AuditParams,
) -> Result<(Vec<AuditEntry>, Option<i64>)> {
    let limit = params
        .limit
        .unwrap_or(AUDIT_PAGE_ENTRIES_DEFAULT)
        .clamp(1, AUDIT_PAGE_ENTRIES_MAX);
    let query = AuditQuery {
        action: match params.action.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(AuditAction::parse(text, "action")?),
        },
        actor: params
            .actor
            .as_deref()
            .map(str::trim)
            .filter(|actor| !actor.is_empty())
            .map(|actor| {
                // PostgreSQL refuses U+0000 even in a comparison.
                check_text(actor, "actor", TextKind::SingleLine).map(|()| actor.to_owned())
            })
            .transpose()?,
        before: params.before,
        // One more than asked tells whether an older page exists (the store caps at its maximum,
        // where a full page is taken to have a next one).
        limit: limit + 1,
    };
    let mut entries = state.store.audit_entries(&query).await?;
    let more = entries.len() > limit || entries.len() == AUDIT_PAGE_ENTRIES_MAX;
    entries.truncate(limit);
    let next_before = entries.last().filter(|_| more).map(|entry| entry.entry_id);
    Ok((entries, next_before))
}
