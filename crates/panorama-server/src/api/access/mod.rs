//! Access administration: the caller (`/api/v1/me`), users, API keys and the audit log.
//!
//! Everything but `me` is for admins. Every change here is recorded in the audit log before it
//! is made, so a change that cannot be recorded does not happen (the acts themselves are in
//! `app::users` and `app::api_keys`).

mod api_keys;
mod audit;
mod dto;
mod me;
mod users;

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The access routes.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(me::routes())
        .merge(users::routes())
        .merge(api_keys::routes())
        .merge(audit::routes())
}
