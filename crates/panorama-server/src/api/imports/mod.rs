//! `/api/v1/imports`: upload a file with its options and get the preview; start it; watch it;
//! download its rejected rows; list the history.

mod dto;
pub(crate) mod mask;
pub(crate) mod status;
pub(crate) mod upload;

use crate::AppState;
use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub(crate) use dto::INTERRUPTED;
pub(crate) use upload::{extension as upload_extension, receive};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        // No body limit here: `upload::receive` holds the file to `import_file_bytes_max` as it
        // streams to disk and the other fields to `UPLOAD_FIELDS_BYTES_MAX`, with a 413 naming each.
        .routes(routes!(upload::upload).layer(DefaultBodyLimit::disable()))
        .routes(routes!(status::list))
        .routes(routes!(status::get))
        .routes(routes!(status::start))
        .routes(routes!(status::rejected))
}
