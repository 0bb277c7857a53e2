//! RFC 9457 problem documents: every failure of the API leaves as `application/problem+json`.
//!
//! The body carries the core error's stable `code`, its `detail` for people, and the `field` and
//! `value` at fault. Internal failures are logged with their detail and answered generically, so
//! storage messages never reach a client.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use panorama_core::{Error, ErrorKind, codes};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The media type of problem documents.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// An RFC 9457 problem document with Panorama's extension members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// A URN naming the problem type: `urn:panorama:problem:{code}`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// A short summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// Stable snake_case code clients may match on.
    pub code: String,
    /// What went wrong, for people.
    pub detail: String,
    /// The field (attribute, parameter, JSON path) at fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The offending value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// An error on its way to the client: a core [`Error`] and the HTTP status it leaves with.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The status of the response.
    pub status: StatusCode,
    /// What went wrong.
    pub error: Error,
}

impl ApiError {
    /// An error leaving with a status other than the one its kind implies.
    pub fn with_status(status: StatusCode, error: Error) -> Self {
        Self { status, error }
    }

    /// A malformed request (400 unless `status` says otherwise), code `bad_request`.
    pub fn bad_request(status: StatusCode, detail: impl Into<String>) -> Self {
        Self::with_status(
            status,
            Error {
                kind: ErrorKind::Invalid,
                code: codes::BAD_REQUEST,
                detail: detail.into(),
                field: None,
                value: None,
            },
        )
    }

    /// The problem document for this error. Internal details are replaced by a generic sentence.
    pub fn problem(&self) -> Problem {
        let internal = self.error.kind == ErrorKind::Internal;
        Problem {
            problem_type: format!("urn:panorama:problem:{}", self.error.code),
            title: title(self.error.code, self.status).to_owned(),
            status: self.status.as_u16(),
            code: self.error.code.to_owned(),
            detail: if internal {
                "an internal error occurred; it has been logged".to_owned()
            } else {
                self.error.detail.clone()
            },
            field: self.error.field.clone().filter(|_| !internal),
            value: self.error.value.clone().filter(|_| !internal),
        }
    }
}

/// The status each kind of core error leaves with.
pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        Self {
            status: status_of(error.kind),
            error,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.error.kind == ErrorKind::Internal || self.status.is_server_error() {
            tracing::error!(code = self.error.code, detail = %self.error.detail, "request failed");
        }
        problem_response(&self.problem())
    }
}

/// A response carrying `problem` with its status and the problem media type.
pub fn problem_response(problem: &Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_vec(problem).unwrap_or_default();
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(PROBLEM_CONTENT_TYPE),
    );
    response
}

/// A short, stable summary per code; unknown codes fall back to the status's reason phrase.
fn title(code: &str, status: StatusCode) -> &'static str {
    match code {
        codes::UNKNOWN_ATTRIBUTE => "Unknown attribute",
        codes::UNAUTHENTICATED => "Authentication required",
        codes::RATE_LIMITED => "Too many requests",
        codes::LAST_ADMIN => "Last admin",
        codes::INVALID_VALUE => "Invalid value",
        codes::CONTROL_CHARACTER => "Control character",
        codes::VALUE_TOO_LONG => "Value too long",
        codes::INVALID_MOBILE => "Invalid mobile number",
        codes::INVALID_EMAIL => "Invalid email address",
        codes::NO_KEY_VALUE => "No key value",
        codes::COMPUTED_ATTRIBUTE => "Computed attribute",
        codes::NOT_NULLABLE => "Value required",
        codes::INVALID_NAME => "Invalid name",
        codes::INVALID_DEFINITION => "Invalid definition",
        codes::DUPLICATE_NAME => "Name taken",
        codes::CUSTOM_ATTRIBUTES_LIMIT => "Too many custom attributes",
        codes::DUPLICATE_VALUES => "Values not unique",
        codes::PRESET_IMMUTABLE => "Preset cannot change",
        codes::LIMIT_EXCEEDED => "Limit exceeded",
        codes::BAD_REQUEST => "Bad request",
        codes::NOT_FOUND => "Not found",
        codes::INTERNAL => "Internal error",
        _ => status.canonical_reason().unwrap_or("Error"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_details_stay_in_the_log() {
        let error = ApiError::from(Error::internal("disk full at /var/lib/panorama"));
        let problem = error.problem();
        assert_eq!(problem.status, 500);
        assert_eq!(problem.code, "internal");
        assert!(!problem.detail.contains("disk"));
    }

    #[test]
    fn invalid_input_names_field_and_value() {
        let error = Error::invalid(codes::INVALID_MOBILE, "bad", "mobile", "123");
        let problem = ApiError::from(error).problem();
        assert_eq!(problem.status, 422);
        assert_eq!(problem.problem_type, "urn:panorama:problem:invalid_mobile");
        assert_eq!(problem.field.as_deref(), Some("mobile"));
        assert_eq!(problem.value.as_deref(), Some("123"));
    }
}
