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
use panorama_core::Result;
use panorama_core::access::{
    AuditAction, NewSession, PasswordHash, SESSION_PREFIX, Secret, SecretHash, SignInOutcome, User,
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
    let now = jiff::Timestamp::now();
    let opened = match attempt(&state, &form, now).await {
        Ok(Attempt::Accepted(user)) => open_session(&state, &user, now).await,
        Ok(Attempt::Refused(failure)) => {
            let page = SignInPage {
                chrome: chrome.at("sign_in"),
                name: form.name,
                next,
                failure: Some(failure),
            };
            return render(StatusCode::UNAUTHORIZED, &page);
        }
        Err(error) => Err(error),
    };
    match opened {
        Ok(token) => {
            let seconds = state.auth.settings.session_seconds_max;
            let mut response = Redirect::to(&next).into_response();
            response.headers_mut().insert(
                header::SET_COOKIE,
                session_cookie(token.expose(), seconds, &headers),
            );
            response
        }
        Err(error) => crate::ApiError::from(error).into_response(),
    }
}

/// What a sign-in attempt came to.
enum Attempt {
    /// The right password for an unlocked user.
    Accepted(User),
    /// Refused, with the text key of why (a wrong name and a wrong password read the same).
    Refused(&'static str),
}

/// Check the name and password, count the attempt, and record a refusal in the audit log.
async fn attempt(state: &AppState, form: &SignInForm, now: jiff::Timestamp) -> Result<Attempt> {
    let credentials = match UserName::parse(&form.name, "name") {
        Ok(name) => state.store.user_credentials(&name).await?,
        Err(_) => None,
    };
    // The actor is the name as typed, cut to a name's length: the form is open to anyone.
    let tried: String = form.name.trim().chars().take(NAME_CHARS_SHOWN).collect();
    let refuse = |failure: &'static str, detail: serde_json::Value| async move {
        let store = state.store.as_ref();
        record_as(store, &tried, AuditAction::SignInFailed, None, detail).await?;
        Ok(Attempt::Refused(failure))
    };
    let Some(UserCredentials {
        user,
        password_hash,
    }) = credentials
    else {
        verify(None, form.password.clone()).await;
        return refuse("sign_in.wrong", json!({"reason": "unknown_user"})).await;
    };
    if user.is_locked(now) {
        return refuse("sign_in.locked", json!({"reason": "locked"})).await;
    }
    if verify(Some(password_hash), form.password.clone()).await {
        let user = state
            .store
            .record_sign_in(user.user_id, SignInOutcome::Succeeded, now)
            .await?;
        return Ok(Attempt::Accepted(user));
    }
    let counted = state
        .store
        .record_sign_in(user.user_id, SignInOutcome::Failed, now)
        .await?;
    let failures = counted.failed_sign_ins;
    if counted.is_locked(now) {
        let detail = json!({"reason": "wrong_password_locked", "failures": failures});
        return refuse("sign_in.locked", detail).await;
    }
    let detail = json!({"reason": "wrong_password", "failures": failures});
    refuse("sign_in.wrong", detail).await
}

/// Record a new session for `user` and the sign-in; the token, in clear, for the cookie.
async fn open_session(state: &AppState, user: &User, now: jiff::Timestamp) -> Result<Secret> {
    let token = Secret::generate(SESSION_PREFIX);
    let seconds = state.auth.settings.session_seconds_max;
    let session = NewSession {
        token_hash: token.hash(),
        user_id: user.user_id,
        created_at: now,
        expires_at: now + jiff::SignedDuration::from_secs(seconds),
    };
    state.store.create_session(session).await?;
    let store = state.store.as_ref();
    record_as(
        store,
        user.name.as_str(),
        AuditAction::SignIn,
        None,
        json!({}),
    )
    .await?;
    Ok(token)
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
