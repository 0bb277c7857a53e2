//! `GET /healthz`: answers `ok` while the process serves requests.

use crate::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(healthz))
}

/// Liveness: `ok` as plain text. It does not touch the database.
#[utoipa::path(
    get, path = "/healthz", operation_id = "healthz", tag = "health",
    responses((status = 200, description = "Serving", body = String, content_type = "text/plain"))
)]
async fn healthz() -> &'static str {
    "ok"
}
