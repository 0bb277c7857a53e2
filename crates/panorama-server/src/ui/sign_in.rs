//! `/sign-in` and `/sign-out`: passwords checked with Argon2id off the async threads, five wrong
//! ones in a row lock the account for 30 minutes, and every attempt is in the audit log.

use super::page::{Chrome, render};
use crate::AppState;
use crate::audit::record_as;
use crate::auth::{clear_cookie, session_cookie, session_token};
use crate::principal::Principal;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use panorama_core::access::{
    AuditAction, NewSession, PasswordHash, SESSION_PREFIX, Secret, SecretHash, SignInOutcome,
    UserCredentials, UserName,
};
use serde::Deserialize;
use serde_json::json;

/// Characters of a typed name kept in an audit entry of a failed sign-in (names have at most 64).
const NAME_CHARS_SHOWN: usize = 64;

/// The sign-in form, as typed (the password is never sent back).
#[derive(Debug, Default, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Where to go after signing in.
#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The sign-in page.
#[derive(Template)]
#[template(path = "sign_in.html")]
pub struct SignInPage {
    chrome: Chrome,
    name: String,
    next: String,
    failure: Option<&'static str>,
}

/// The page routes of this file.
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/sign-in", get(show).post(sign_in))
        .route("/sign-out", post(sign_out))
}

/// Only local paths are followed after sign-in, so the link cannot send anyone elsewhere.
fn local(next: &str) -> String {
    let plain = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    if plain {
        next.to_owned()
    } else {
        "/contacts".to_owned()
    }
}

async fn show(chrome: Chrome, Query(query): Query<NextQuery>) -> Response {
    let page = SignInPage {
        chrome: chrome.at("sign_in"),
        name: String::new(),
        next: local(query.next.as_deref().unwrap_or("/contacts")),
        failure: None,
    };
    render(StatusCode::OK, &page)
}

async fn sign_in(
    State(state): State<AppState>,
    chrome: Chrome,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let next = local(&form.next);
    let refuse = |failure: &'static str, name: String| {
        let page = SignInPage {
            chrome: chrome.clone().at("sign_in"),
            name,
            next: next.clone(),
            failure: Some(failure),
        };
        render(StatusCode::UNAUTHORIZED, &page)
    };
    let now = jiff::Timestamp::now();
    let found = match UserName::parse(&form.name, "name") {
        Ok(name) => state.store.user_credentials(&name).await,
        Err(_) => Ok(None),
    };
    let credentials = match found {
        Ok(found) => found,
        Err(error) => return crate::ApiError::from(error).into_response(),
    };
    // The actor is the name as typed, cut to a name's length: the form is open to anyone.
    let tried: String = form.name.trim().chars().take(NAME_CHARS_SHOWN).collect();
    let audit = |detail: serde_json::Value| {
        record_as(
            state.store.as_ref(),
            &tried,
            AuditAction::SignInFailed,
            None,
            detail,
        )
    };
    let Some(UserCredentials {
        user,
        password_hash,
    }) = credentials
    else {
        verify(None, form.password.clone()).await;
        if let Err(error) = audit(json!({"reason": "unknown_user"})).await {
            return crate::ApiError::from(error).into_response();
        }
        return refuse("sign_in.wrong", form.name);
    };
    if user.is_locked(now) {
        if let Err(error) = audit(json!({"reason": "locked"})).await {
            return crate::ApiError::from(error).into_response();
        }
        return refuse("sign_in.locked", form.name);
    }
    let right = verify(Some(password_hash), form.password.clone()).await;
    let outcome = if right {
        SignInOutcome::Succeeded
    } else {
        SignInOutcome::Failed
    };
    let counted = match state.store.record_sign_in(user.user_id, outcome, now).await {
        Ok(counted) => counted,
        Err(error) => return crate::ApiError::from(error).into_response(),
    };
    if !right {
        let reason = if counted.is_locked(now) {
            "wrong_password_locked"
        } else {
            "wrong_password"
        };
        if let Err(error) =
            audit(json!({"reason": reason, "failures": counted.failed_sign_ins})).await
        {
            return crate::ApiError::from(error).into_response();
        }
        let failure = if counted.is_locked(now) {
            "sign_in.locked"
        } else {
            "sign_in.wrong"
        };
        return refuse(failure, form.name);
    }
    let token = Secret::generate(SESSION_PREFIX);
    let seconds = state.auth.settings.session_seconds_max;
    let session = NewSession {
        token_hash: token.hash(),
        user_id: user.user_id,
        created_at: now,
        expires_at: now + jiff::SignedDuration::from_secs(seconds),
    };
    let opened = async {
        state.store.create_session(session).await?;
        record_as(
            state.store.as_ref(),
            user.name.as_str(),
            AuditAction::SignIn,
            None,
            json!({}),
        )
        .await
    };
    if let Err(error) = opened.await {
        return crate::ApiError::from(error).into_response();
    }
    let mut response = Redirect::to(&next).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(token.expose(), seconds, &headers),
    );
    response
}

/// Check a password on a blocking thread: Argon2 takes tens of milliseconds on purpose. Without
/// a hash it spends the same time and says no, so unknown names answer as slowly as known ones.
async fn verify(hash: Option<PasswordHash>, candidate: String) -> bool {
    tokio::task::spawn_blocking(move || match hash {
        Some(hash) => hash.verify(&candidate),
        None => {
            PasswordHash::verify_nothing(&candidate);
            false
        }
    })
    .await
    .unwrap_or(false)
}

async fn sign_out(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
) -> Response {
    if let Some(token) = session_token(&headers) {
        let ended = async {
            state.store.delete_session(&SecretHash::of(&token)).await?;
            crate::audit::record(
                state.store.as_ref(),
                &principal,
                AuditAction::SignOut,
                None,
                json!({}),
            )
            .await
        };
        if let Err(error) = ended.await {
            return crate::ApiError::from(error).into_response();
        }
    }
    let mut response = Redirect::to("/sign-in").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, clear_cookie(&headers));
    response
}

#[cfg(test)]
mod tests {
    use super::local;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local("/contacts?q=a"), "/contacts?q=a");
        for outside in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "",
        ] {
            assert_eq!(local(outside), "/contacts", "{outside}");
        }
    }
}
