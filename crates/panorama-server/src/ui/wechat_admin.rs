//! `/labels/wechat`: registered official accounts and their follower labels (at most 100 per
//! account, names at most 30 bytes): register or rename an account, add, rename and delete labels.

use super::page::{Chrome, PageError, render, see_other};
use crate::AppState;
use crate::principal::{Principal, Role};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use panorama_core::Error;
use panorama_core::label::{
    FOLLOWER_LABEL_NAME_BYTES_MAX, FOLLOWER_LABELS_PER_ACCOUNT_MAX, FollowerLabel, parse_id,
};
use serde::Deserialize;

/// One official account with its follower labels.
pub struct AccountView {
    app_id: String,
    name: String,
    labels: Vec<FollowerLabel>,
    usage: String,
    full: bool,
}

#[derive(Template)]
#[template(path = "wechat_labels.html")]
struct WechatPage {
    chrome: Chrome,
    accounts: Vec<AccountView>,
    name_bytes_max: usize,
}

/// The form of every post of this page: whichever fields the form has.
#[derive(Debug, Default, Deserialize)]
pub struct WechatForm {
    #[serde(default)]
    app_id: String,
    #[serde(default)]
    name: String,
}

/// The routes of the follower labels page.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/labels/wechat", get(list).post(save_account))
        .route("/labels/wechat/{app_id}/labels", post(create_label))
        .route(
            "/labels/wechat/{app_id}/labels/{label_id}",
            post(rename_label),
        )
        .route(
            "/labels/wechat/{app_id}/labels/{label_id}/delete",
            post(delete_label),
        )
}

async fn page(state: &AppState, chrome: Chrome, status: StatusCode) -> Result<Response, PageError> {
    let fail = |e| PageError::new(&chrome, e);
    let mut accounts = Vec::new();
    for account in state.store.list_wechat_accounts().await.map_err(fail)? {
        let labels = state
            .store
            .follower_labels(&account.app_id)
            .await
            .map_err(fail)?;
        accounts.push(AccountView {
            usage: format!("{} / {FOLLOWER_LABELS_PER_ACCOUNT_MAX}", labels.len()),
            full: labels.len() >= FOLLOWER_LABELS_PER_ACCOUNT_MAX,
            app_id: account.app_id,
            name: account.name,
            labels,
        });
    }
    let page = WechatPage {
        accounts,
        name_bytes_max: FOLLOWER_LABEL_NAME_BYTES_MAX,
        chrome,
    };
    Ok(render(status, &page))
}

async fn finish(
    state: &AppState,
    chrome: Chrome,
    result: Result<(), Error>,
    notice: &str,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(see_other("/labels/wechat", notice)),
        Err(error) if error.kind == panorama_core::ErrorKind::Internal => {
            Err(PageError::new(&chrome, error))
        }
        Err(error) => {
            page(
                state,
                chrome.with_error(&error),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `GET /labels/wechat`.
pub async fn list(State(state): State<AppState>, chrome: Chrome) -> Result<Response, PageError> {
    page(&state, chrome.at("labels"), StatusCode::OK).await
}

/// `POST /labels/wechat`: register an account, or rename a registered one.
pub async fn save_account(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    axum::Form(form): axum::Form<WechatForm>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("labels");
    principal
        .check(Role::Admin)
        .map_err(|e| PageError::new(&chrome, e))?;
    let result = state
        .store
        .save_wechat_account(&form.app_id, &form.name)
        .await
        .map(|_| ());
    finish(&state, chrome, result, "account_saved").await
}

/// `POST /labels/wechat/{app_id}/labels`: add a follower label.
pub async fn create_label(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(app_id): Path<String>,
    axum::Form(form): axum::Form<WechatForm>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("labels");
    principal
        .check(Role::Marketer)
        .map_err(|e| PageError::new(&chrome, e))?;
    let result = state
        .store
        .create_follower_label(&app_id, &form.name)
        .await
        .map(|_| ());
    finish(&state, chrome, result, "label_created").await
}

/// `POST /labels/wechat/{app_id}/labels/{label_id}`: rename a follower label.
pub async fn rename_label(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path((_app_id, label_id)): Path<(String, String)>,
    axum::Form(form): axum::Form<WechatForm>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("labels");
    principal
        .check(Role::Marketer)
        .map_err(|e| PageError::new(&chrome, e))?;
    let result = match parse_id(&label_id, "label_id") {
        Ok(id) => state
            .store
            .rename_follower_label(id, &form.name)
            .await
            .map(|_| ()),
        Err(error) => Err(error),
    };
    finish(&state, chrome, result, "label_saved").await
}

/// `POST /labels/wechat/{app_id}/labels/{label_id}/delete`: delete a follower label.
pub async fn delete_label(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path((_app_id, label_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("labels");
    principal
        .check(Role::Marketer)
        .map_err(|e| PageError::new(&chrome, e))?;
    let result = match parse_id(&label_id, "label_id") {
        Ok(id) => state.store.delete_follower_label(id).await,
        Err(error) => Err(error),
    };
    finish(&state, chrome, result, "label_deleted").await
}
