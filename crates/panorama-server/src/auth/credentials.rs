//! Credentials to principal: an `Authorization: Bearer` API key, else the session cookie.

use super::session::session_token;
use crate::AppState;
use crate::principal::Principal;
use axum::http::{HeaderMap, header};
use panorama_core::access::{SecretHash, User};
use panorama_core::{Error, ErrorKind, codes};
use uuid::Uuid;

/// How a principal proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// An API key, with its id (rate limits are per key).
    ApiKey(Uuid),
    /// A web session cookie (state-changing requests must prove they come from our pages).
    Session,
}

/// The principal behind a request's credentials: `Ok(None)` when it carries none (or an
/// expired session), an `unauthenticated` error when it carries a key that is wrong.
pub async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<(Principal, Via)>, Error> {
    if let Some(authorization) = headers.get(header::AUTHORIZATION) {
        let key = authorization
            .to_str()
            .ok()
            .and_then(|text| text.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| unauthenticated("send an API key as `Authorization: Bearer KEY`"))?;
        let found = state.store.api_key(&SecretHash::of(key)).await?;
        let key = found.ok_or_else(|| unauthenticated("this API key is unknown or revoked"))?;
        let principal = Principal {
            name: format!("key:{}", key.name.as_str()),
            role: key.role,
            may_reveal: false,
        };
        return Ok(Some((principal, Via::ApiKey(key.key_id))));
    }
    let Some(token) = session_token(headers) else {
        return Ok(None);
    };
    let user = state
        .store
        .session_user(&SecretHash::of(&token), jiff::Timestamp::now())
        .await?;
    Ok(user.map(|user| (user_principal(&user), Via::Session)))
}

/// The principal a signed-in user acts as.
pub fn user_principal(user: &User) -> Principal {
    Principal {
        name: user.name.as_str().to_owned(),
        role: user.role,
        may_reveal: user.may_reveal,
    }
}

/// The error for missing or wrong credentials.
pub fn unauthenticated(detail: &str) -> Error {
    Error {
        kind: ErrorKind::Forbidden,
        code: codes::UNAUTHENTICATED,
        detail: detail.to_owned(),
        field: Some("authorization".to_owned()),
        value: None,
    }
}
