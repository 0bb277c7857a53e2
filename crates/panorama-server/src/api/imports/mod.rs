//! `/api/v1/imports`: upload a file with its options and get the preview; start it; watch it;
//! download its rejected rows; list the history.

mod dto;
pub(crate) mod status;
pub(crate) mod upload;

use crate::AppState;
use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub(crate) use upload::{extension as upload_extension, receive};

pub(super) fn routes(upload_bytes_max: usize) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        // Uploads are as large as an import may be, not the API's default body size.
        .routes(routes!(upload::upload).layer(DefaultBodyLimit::max(upload_bytes_max)))
        .routes(routes!(status::list))
        .routes(routes!(status::get))
        .routes(routes!(status::start))
        .routes(routes!(status::rejected))
}
