//! `/api/v1/imports`: upload a file with its options and get the preview; start it; watch it;
//! download its rejected rows; list the history.

mod dto;
mod status;
mod upload;

use crate::AppState;
use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        // No body limit here: `app::imports::receive` holds the file to `import_file_bytes_max` as it
        // streams to disk and the other fields to `UPLOAD_FIELDS_BYTES_MAX`, with a 413 naming each.
        .routes(routes!(upload::upload).layer(DefaultBodyLimit::disable()))
        .routes(routes!(status::list))
        .routes(routes!(status::get))
        .routes(routes!(status::start))
        .routes(routes!(status::rejected))
}
