//! `/sign-in` and `/sign-out`: passwords checked with Argon2id off the async threads, every
//! attempt in the audit log.
//!
//! Every refusal reads the same and takes the same time: an unknown name, a wrong password and a
//! name whose address must wait all answer "wrong name or password" after one Argon2
//! verification (against the user's hash, or a dummy one). Each client address has a budget of
//! attempts per minute (429 with `Retry-After` past it), and wrong passwords for one name from
//! one address make that address wait, doubling each time: the guesser slows down, the owner
//! elsewhere does not (`crate::auth`).

use super::page::{Chrome, render};
use crate::AppState;
use crate::audit::{record_as, record_refusal};
use crate::auth::{ClientAddress, clear_cookie, retry_seconds, session_cookie, session_token};
use crate::principal::Principal;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use panorama_core::Result;
use panorama_core::access::{
    AuditAction, NewSession, PasswordHash, SESSION_PREFIX, Secret, SecretHash, SignInOutcome, User,
    UserCredentials, UserName,
};
use serde::Deserialize;
use serde_json::json;
use std::net::IpAddr;

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
    ClientAddress(address): ClientAddress,
    chrome: Chrome,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let next = local(&form.next);
    if let Err(wait) = state.auth.sign_in_attempt(address) {
        tracing::warn!(%address, "sign-in attempts over the address's budget");
        let page = SignInPage {
            chrome: chrome.at("sign_in"),
            name: form.name,
            next,
            failure: Some("sign_in.too_many"),
        };
        let mut response = render(StatusCode::TOO_MANY_REQUESTS, &page);
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry_seconds(wait)));
        return response;
    }
    let now = jiff::Timestamp::now();
    let opened = match attempt(&state, &form, address, now).await {
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
    /// Refused, with the text key of why (every refusal reads the same).
    Refused(&'static str),
}

/// Check the name and password, count the attempt, and record a refusal in the audit log. The
/// password is verified whatever else is known, so every refusal takes one verification.
async fn attempt(
    state: &AppState,
    form: &SignInForm,
    address: IpAddr,
    now: jiff::Timestamp,
) -> Result<Attempt> {
    let credentials = match UserName::parse(&form.name, "name") {
        Ok(name) => state.store.user_credentials(&name).await?,
        Err(_) => None,
    };
    // The actor is the name as typed, cut to a name's length: the form is open to anyone.
    let tried: String = form.name.trim().chars().take(NAME_CHARS_SHOWN).collect();
    let delayed = state.auth.sign_in_delayed(&tried, address);
    let (user, hash) = match credentials {
        Some(UserCredentials {
            user,
            password_hash,
        }) => (Some(user), Some(password_hash)),
        None => (None, None),
    };
    let right = verify(hash, form.password.clone()).await;
    if let Some(user) = user.as_ref()
        && right
        && !delayed
    {
        state.auth.sign_in_succeeded(&tried, address);
        let user = state
            .store
            .record_sign_in(user.user_id, SignInOutcome::Succeeded, now)
            .await?;
        return Ok(Attempt::Accepted(user));
    }
    let reason = match (&user, right) {
        (None, _) => "unknown_user",
        (Some(_), true) => "delayed",
        (Some(_), false) => "wrong_password",
    };
    // A right password while waiting is refused but not counted: only guesses lengthen the wait.
    if !right {
        state.auth.sign_in_failed(&tried, address);
    }
    if let Some(user) = user.filter(|_| !right) {
        // The count is for admins to read; off the answer's path, so that a known name does not
        // answer later than an unknown one by the time of a write.
        let store = state.store.clone();
        tokio::spawn(async move {
            let counted = store
                .record_sign_in(user.user_id, SignInOutcome::Failed, now)
                .await;
            if let Err(error) = counted {
                tracing::warn!(%error, "counting a failed sign-in");
            }
        });
    }
    let detail = json!({"reason": reason, "delayed": delayed, "address": address.to_string()});
    let store = state.store.as_ref();
    record_refusal(store, &tried, AuditAction::SignInFailed, detail, reason).await?;
    Ok(Attempt::Refused("sign_in.wrong"))
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
