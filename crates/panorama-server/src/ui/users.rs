//! `/users` (admins): the users with their role and reveal right, adding one (a generated
//! password is shown once), and the API keys: creating one (shown once) and revoking.
//!
//! The acts are the application layer's (`app::users`, `app::api_keys`), as the API's are, so
//! both check the same rules and leave the same audit entries. A new password or key is rendered
//! in the answer to the form's POST, never put in a URL, so it cannot end up in a history or a
//! log.

use super::i18n::Lang;
use super::page::{Chrome, PageError, render};
use crate::AppState;
use crate::app::api_keys;
use crate::app::users::{self, UserChange, UserInput};
use crate::principal::{Principal, Role};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use panorama_core::Error;
use serde::Deserialize;

/// A secret to show once: whose it is and the text.
pub struct ShownOnce {
    is_key: bool,
    name: String,
    secret: String,
}

/// One row of the users table.
pub struct UserRow {
    name: String,
    role: &'static str,
    role_label: &'static str,
    may_reveal: bool,
    locked: bool,
    created_at: String,
    created_iso: String,
}

/// One row of the keys table.
pub struct KeyRow {
    key_id: String,
    name: String,
    shown: String,
    role_label: &'static str,
    created_by: String,
    created_at: String,
    created_iso: String,
    revoked_at: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    chrome: Chrome,
    users: Vec<UserRow>,
    keys: Vec<KeyRow>,
    /// `(value, label)` of each role, least powerful first.
    roles: Vec<(&'static str, &'static str)>,
    shown_once: Option<ShownOnce>,
}

async fn page(
    state: &AppState,
    chrome: Chrome,
    shown_once: Option<ShownOnce>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let fail = |e: Error| PageError::new(&chrome, e);
    let lang = chrome.lang;
    let clock = &chrome.clock;
    let users = state.store.users().await.map_err(fail)?;
    let keys = state.store.api_keys().await.map_err(fail)?;
    let users = users
        .into_iter()
        .map(|user| UserRow {
            locked: state
                .auth
                .sign_in_delayed_until(user.name.as_str())
                .is_some(),
            name: user.name.as_str().to_owned(),
            role: user.role.as_str(),
            role_label: role_label(lang, user.role),
            may_reveal: user.may_reveal,
            created_at: clock.time(user.created_at),
            created_iso: clock.iso(user.created_at),
        })
        .collect();
    let keys = keys
        .into_iter()
        .map(|key| KeyRow {
            key_id: key.key_id.to_string(),
            name: key.name.as_str().to_owned(),
            shown: key.shown,
            role_label: role_label(lang, key.role),
            created_by: key.created_by,
            created_at: clock.time(key.created_at),
            created_iso: clock.iso(key.created_at),
            revoked_at: key.revoked_at.map(|at| (clock.time(at), clock.iso(at))),
        })
        .collect();
    let roles = Role::ALL
        .into_iter()
        .map(|role| (role.as_str(), role_label(lang, role)))
        .collect();
    let view = UsersPage {
        chrome,
        users,
        keys,
        roles,
        shown_once,
    };
    Ok(render(status, &view))
}

/// `GET /users`.
pub async fn show(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
) -> Result<Response, PageError> {
    let chrome = admin_chrome(chrome, &principal)?;
    page(&state, chrome, None, StatusCode::OK).await
}

/// The add-user form.
#[derive(Debug, Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    may_reveal: Option<String>,
}

/// `POST /users`: add a user; a generated password is shown on the page this once.
pub async fn create(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Form(form): Form<NewUserForm>,
) -> Result<Response, PageError> {
    let chrome = admin_chrome(chrome, &principal)?;
    let created = async {
        let input = UserInput {
            name: &form.name,
            role: Role::parse(&form.role, "role")?,
            password: Some(form.password.as_str()).filter(|p| !p.is_empty()),
            may_reveal: form.may_reveal.is_some(),
        };
        users::create_user(state.store.as_ref(), &principal, input).await
    }
    .await;
    match created {
        Ok((user, password)) => {
            let shown_once = password.map(|secret| ShownOnce {
                is_key: false,
                name: user.name.as_str().to_owned(),
                secret,
            });
            page(&state, chrome, shown_once, StatusCode::OK).await
        }
        Err(error) => refused(&state, chrome, &error).await,
    }
}

/// The change form of one user.
#[derive(Debug, Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    may_reveal: Option<String>,
    #[serde(default)]
    password: String,
}

/// `POST /users/{name}/edit`: change a user's role, reveal right or password.
pub async fn update(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(name): Path<String>,
    Form(form): Form<ChangeForm>,
) -> Result<Response, PageError> {
    let chrome = admin_chrome(chrome, &principal)?;
    let changed = async {
        let change = UserChange {
            role: Some(Role::parse(&form.role, "role")?),
            may_reveal: Some(form.may_reveal.is_some()),
            password: Some(form.password).filter(|p| !p.is_empty()),
        };
        users::change_user(state.store.as_ref(), &principal, &name, change).await
    }
    .await;
    match changed {
        Ok(_) => Ok(Redirect::to("/users").into_response()),
        Err(error) => refused(&state, chrome, &error).await,
    }
}

/// `POST /users/{name}/unlock`: lift the user's sign-in delays.
pub async fn unlock(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(name): Path<String>,
) -> Result<Response, PageError> {
    let chrome = admin_chrome(chrome, &principal)?;
    let store = state.store.as_ref();
    match users::lift_sign_in_delays(store, &state.auth, &principal, &name).await {
        Ok(_) => Ok(Redirect::to("/users").into_response()),
        Err(error) => refused(&state, chrome, &error).await,
    }
}

/// The create-key form.
#[derive(Debug, Deserialize)]
pub struct NewKeyForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
}

/// `POST /users/keys`: create an API key and show it this once.
pub async fn create_key(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Form(form): Form<NewKeyForm>,
) -> Result<Response, PageError> {
    let chrome = admin_chrome(chrome, &principal)?;
    let created = async {
        let role = Role::parse(&form.role, "role")?;
        api_keys::create_key(state.store.as_ref(), &principal, &form.name, role).await
    }
    .await;
    match created {
        Ok((key, secret)) => {
            let shown_once = ShownOnce {
                is_key: true,
                name: key.name.as_str().to_owned(),
                secret: secret.expose().to_owned(),
            };
            page(&state, chrome, Some(shown_once), StatusCode::OK).await
        }
        Err(error) => refused(&state, chrome, &error).await,
    }
}

/// `GET /users/keys/{key_id}/revoke`: ask first, naming the key.
pub async fn confirm_revoke(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(key_id): Path<String>,
) -> Result<Response, PageError> {
    let chrome = admin_chrome(chrome, &principal)?;
    let keys = state
        .store
        .api_keys()
        .await
        .map_err(|e| PageError::new(&chrome, e))?;
    let key = keys
        .into_iter()
        .find(|key| key.key_id.to_string() == key_id && key.revoked_at.is_none())
        .ok_or_else(|| PageError::new(&chrome, Error::not_found("API key", &key_id)))?;
    let lang = chrome.lang;
    let page = super::ConfirmPage {
        heading: lang.t("users.revoke"),
        message: lang
            .t("users.revoke_question")
            .replace("{name}", &format!("{} ({}…)", key.name.as_str(), key.shown)),
        action: format!("/users/keys/{}/revoke", key.key_id),
        cancel: "/users".to_owned(),
        confirm_label: lang.t("users.revoke"),
        chrome,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /users/keys/{key_id}/revoke`.
pub async fn revoke(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(key_id): Path<String>,
) -> Result<Response, PageError> {
    let chrome = admin_chrome(chrome, &principal)?;
    api_keys::revoke_key(state.store.as_ref(), &principal, &key_id)
        .await
        .map_err(|e| PageError::new(&chrome, e))?;
    Ok(Redirect::to("/users").into_response())
}

/// The page again with the reason a form was refused above it.
async fn refused(state: &AppState, chrome: Chrome, error: &Error) -> Result<Response, PageError> {
    let status = crate::error::status_of(error.kind);
    if status.is_server_error() {
        return Err(PageError::new(&chrome, error.clone()));
    }
    page(state, chrome.with_error(error), None, status).await
}

/// A role's name in the page's language.
pub(super) fn role_label(lang: Lang, role: Role) -> &'static str {
    match role {
        Role::Admin => lang.t("users.role_admin"),
        Role::Marketer => lang.t("users.role_marketer"),
        Role::Viewer => lang.t("users.role_viewer"),
    }
}

/// The page's chrome, once the principal is known to be an admin (the guard already checked;
/// this is the handler's own second line).
// `PageError` is what every page handler returns; boxing it here alone would gain nothing.
#[allow(clippy::result_large_err)]
fn admin_chrome(chrome: Chrome, principal: &Principal) -> Result<Chrome, PageError> {
    let chrome = chrome.at("users");
    principal
        .check(Role::Admin)
        .map_err(|e| PageError::new(&chrome, e))?;
    Ok(chrome)
}
