//! Safety nets that keep every error response a problem document: unknown routes, responses
//! made by layers and extractors we do not own (405, 413, path rejections), and panics.

use crate::error::{PROBLEM_CONTENT_TYPE, Problem, problem_response};
use axum::body::{Body, to_bytes};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::any::Any;

/// Longest plain-text error body carried over into a problem's detail, in bytes.
const DETAIL_BYTES_MAX: usize = 4096;

/// The fallback of the router: a `not_found` problem for any path nothing serves.
pub async fn not_found() -> Response {
    problem_response(&generic(
        StatusCode::NOT_FOUND,
        "not_found",
        "no resource lives at this path".to_owned(),
    ))
}

/// Turn any error response that is not already a problem document into one, keeping a
/// plain-text body as its detail. A 413 can only come from a body over `body_bytes_max` (the
/// `request_body_bytes_max` setting; upload routes take no body limit of their own), so it names
/// that limit.
pub async fn ensure_problem(response: Response, body_bytes_max: usize) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    // Problem documents are done; HTML is a page's own friendly error.
    if content_type.starts_with(PROBLEM_CONTENT_TYPE) || content_type.starts_with("text/html") {
        return response;
    }
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return crate::extract::too_large(body_bytes_max, None).into_response();
    }
    let text = if content_type.starts_with("text/plain") {
        let body = response.into_body();
        to_bytes(body, DETAIL_BYTES_MAX)
            .await
            .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_owned())
            .unwrap_or_default()
    } else {
        String::new()
    };
    let (code, fallback) = match status {
        StatusCode::NOT_FOUND => ("not_found", "no resource lives at this path"),
        StatusCode::METHOD_NOT_ALLOWED => ("bad_request", "this path does not accept this method"),
        status if status.is_server_error() => ("internal", "an internal error occurred"),
        _ => ("bad_request", "the request is malformed"),
    };
    let detail = if text.is_empty() || status.is_server_error() {
        fallback.to_owned()
    } else {
        text
    };
    problem_response(&generic(status, code, detail))
}

/// The answer to a handler that panicked: a generic 500 problem; the panic is logged.
pub fn panic_problem(panic: Box<dyn Any + Send + 'static>) -> Response<Body> {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a panic without a message");
    tracing::error!(panic = message, "handler panicked");
    problem_response(&generic(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "an internal error occurred; it has been logged".to_owned(),
    ))
}

fn generic(status: StatusCode, code: &str, detail: String) -> Problem {
    Problem {
        problem_type: format!("urn:panorama:problem:{code}"),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        code: code.to_owned(),
        detail,
        field: None,
        value: None,
    }
}
