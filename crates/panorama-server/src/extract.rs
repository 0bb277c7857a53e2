//! Extractors whose rejections are problem documents: JSON bodies and query strings.
//!
//! axum's own `Json` and `Query` answer a bad body with plain text; these wrap the same parsing
//! so that a client always gets `application/problem+json`, with the JSON path at fault.

use crate::AppState;
use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use panorama_core::{Error, ErrorKind, codes};
use serde::de::DeserializeOwned;

/// A JSON request body of type `T`; a body that is not JSON, does not fit `T` or is too large
/// is refused with a problem document (`bad_request`, or `limit_exceeded` with 413).
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .map(|mime| mime.trim().to_ascii_lowercase())
            .is_some_and(|mime| mime == "application/json" || mime.ends_with("+json"));
        let declared_bytes = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<u64>().ok());
        if !is_json {
            return Err(ApiError::bad_request(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "the request body must be JSON, sent with `Content-Type: application/json`",
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    let bytes_max = AppState::from_ref(state).settings.request_body_bytes_max;
                    too_large(bytes_max, declared_bytes)
                } else {
                    ApiError::bad_request(rejection.status(), rejection.body_text())
                }
            })?;
        parse_json(&bytes).map(Self)
    }
}

/// Parse a JSON document into `T`, naming the JSON path that does not fit.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return not_json(&inner);
        }
        let message = inner.to_string();
        // For an unknown field the path already ends with its name; the name is also the value.
        let unknown = message
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split('`').next());
        let field = match (unknown, path.as_str()) {
            (Some(name), ".") => Some(name.to_owned()),
            (None, ".") => None,
            (_, path) => Some(path.to_owned()),
        };
        ApiError::with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            Error {
                kind: ErrorKind::Invalid,
                code: codes::BAD_REQUEST,
                detail: format!("the request body does not have the expected shape: {message}"),
                field,
                value: unknown.map(str::to_owned),
            },
        )
    })?;
    deserializer.end().map_err(|error| not_json(&error))?;
    Ok(value)
}

fn not_json(error: &serde_json::Error) -> ApiError {
    ApiError::bad_request(
        StatusCode::BAD_REQUEST,
        format!("the request body is not valid JSON: {error}"),
    )
}

/// The 413 of a body over `request_body_bytes_max`; its value is the declared length, when the
/// client sent one (a chunked body is cut at the limit, its length never known).
pub(crate) fn too_large(bytes_max: usize, declared_bytes: Option<u64>) -> ApiError {
    ApiError::with_status(
        StatusCode::PAYLOAD_TOO_LARGE,
        Error {
            kind: ErrorKind::Invalid,
            code: codes::LIMIT_EXCEEDED,
            detail: format!(
                "the request body is larger than this server accepts: at most {bytes_max} bytes \
                 (request_body_bytes_max)"
            ),
            field: Some("body".to_owned()),
            value: declared_bytes.map(|bytes| bytes.to_string()),
        },
    )
}

/// A query string of type `T`; one that does not fit is refused with a `bad_request` problem.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|axum::extract::Query(value)| Self(value))
            .map_err(|rejection| {
                ApiError::bad_request(StatusCode::BAD_REQUEST, rejection.body_text())
            })
    }
}
