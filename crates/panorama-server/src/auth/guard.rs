//! The guard in front of every route: look up what the route needs, hold a client address that
//! sent too many wrong credentials to its budget, authenticate, hold API keys to their rate, hold
//! session writes to our own pages, check the role, and hand the principal to the handler.
//! Handlers never see a request the table does not allow.

use super::client::client_address;
use super::credentials::{Via, authenticate, unauthenticated};
use super::rights::{Access, required};
use super::session::session_token;
use crate::AppState;
use crate::error::ApiError;
use crate::ui::security::proves_same_origin;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use panorama_core::{Error, ErrorKind, codes};

/// The middleware (installed with `route_layer`, so the matched route is known).
pub async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|matched| matched.as_str().to_owned())
        .unwrap_or_default();
    let is_api = route.starts_with("/api/");
    let method = request.method().clone();
    // A method the path is not served with is a 405 whoever asks (the rights table's `*` rows
    // would otherwise answer 401 or 403 for it first).
    if let Some(refusal) = crate::api::method_not_allowed(&method, &route) {
        return refusal;
    }
    let role = match required(&method, &route) {
        Some(Access::Public) => return next.run(request).await,
        Some(Access::Role(role)) => role,
        None => {
            tracing::error!(%method, route, "route missing from the rights table: refused");
            return forbidden("this route is not open to anyone yet".to_owned()).into_response();
        }
    };
    // An address over its budget of wrong credentials gets no answer about any credential it
    // sends (a right one included), so guessing keys or cookies goes no faster than the budget.
    let address = client_address(
        request.extensions(),
        request.headers(),
        &state.auth.settings.trusted_proxies,
    );
    let has_cookie = session_token(request.headers()).is_some();
    let carries = has_cookie || request.headers().contains_key(header::AUTHORIZATION);
    if carries && let Err(wait) = state.auth.bad_credentials.check(address) {
        return too_many(
            wait,
            "too many requests with wrong credentials from your address",
        );
    }
    let (principal, via) = match authenticate(&state, request.headers()).await {
        Ok(Some(found)) => found,
        Ok(None) => {
            if has_cookie {
                // An unknown or expired session: a wrong credential like any other.
                let _ = state.auth.bad_credentials.take(address);
            }
            if !is_api && (method == Method::GET || method == Method::HEAD) {
                return to_sign_in(&request);
            }
            return refuse_unauthenticated(unauthenticated(
                "sign in, or send an API key as `Authorization: Bearer KEY`",
            ));
        }
        Err(error) if error.code == codes::UNAUTHENTICATED => {
            let _ = state.auth.bad_credentials.take(address);
            return refuse_unauthenticated(error);
        }
        Err(error) => return ApiError::from(error).into_response(),
    };
    if let Via::ApiKey(key_id) = via
        && let Err(wait) = state.auth.limiter.check(key_id)
    {
        return too_many(wait, "this API key is over its request rate");
    }
    let writes = !(method == Method::GET || method == Method::HEAD || method == Method::OPTIONS);
    if via == Via::Session && writes && !proves_same_origin(request.headers()) {
        return forbidden(
            "a signed-in change must come from Panorama's own pages (no matching Origin or \
             Sec-Fetch-Site header)"
                .to_owned(),
        )
        .into_response();
    }
    if let Err(error) = principal.check(role) {
        return ApiError::from(error).into_response();
    }
    request.extensions_mut().insert(principal);
    next.run(request).await
}

/// A page asked for without a session: to the sign-in page, coming back here afterwards.
fn to_sign_in(request: &Request) -> Response {
    let back = request
        .uri()
        .path_and_query()
        .map_or("/", |path| path.as_str());
    let target = format!("/sign-in?next={}", crate::ui::encode(back));
    Redirect::to(&target).into_response()
}

fn refuse_unauthenticated(error: Error) -> Response {
    let mut response = ApiError::with_status(StatusCode::UNAUTHORIZED, error).into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"panorama\""),
    );
    response
}

fn forbidden(detail: String) -> ApiError {
    ApiError::from(Error {
        kind: ErrorKind::Forbidden,
        code: codes::FORBIDDEN,
        detail,
        field: None,
        value: None,
    })
}

/// A 429 `rate_limited` problem saying why (`detail`) and when to retry, with `Retry-After`.
pub fn too_many(wait: std::time::Duration, detail: &str) -> Response {
    let seconds = retry_seconds(wait);
    let error = Error {
        kind: ErrorKind::Invalid,
        code: codes::RATE_LIMITED,
        detail: format!("{detail}; retry in {seconds} s"),
        field: Some("authorization".to_owned()),
        value: None,
    };
    let mut response = ApiError::with_status(StatusCode::TOO_MANY_REQUESTS, error).into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}

/// Whole seconds, rounded up and at least 1: `Retry-After: 0` would invite an immediate retry.
pub fn retry_seconds(wait: std::time::Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}
