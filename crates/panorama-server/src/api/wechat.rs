//! WeChat records: `/api/v1/wechat-accounts` (official accounts and their follower labels) and,
//! per contact, its fan records (`/wechat-fans/{app_id}`) and follower labels
//! (`/follower-labels`). Talking to WeChat is out of scope: these are what a sync fills.

use super::dto::{
    ContactFansDto, FanDto, FanInput, FollowerLabelDto, LabelRef, NameBody, WechatAccountDto,
    WechatAccountInput,
};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use panorama_core::Error;
use panorama_core::contact::{ContactId, WriteContext};
use panorama_core::label::{NewFan, parse_id};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Where follower label changes made through the API are recorded as coming from.
const SOURCE: &str = "api";

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_accounts, save_account))
        .routes(routes!(delete_account))
        .routes(routes!(list_labels, create_label))
        .routes(routes!(rename_label, delete_label))
        .routes(routes!(contact_fans, add_fan_label))
        .routes(routes!(remove_fan_label))
        .routes(routes!(save_fan))
}

type Reply<T> = Result<Json<T>, ApiError>;

/// Every registered official account.
#[utoipa::path(get, path = "/api/v1/wechat-accounts", operation_id = "list_wechat_accounts", tag = "wechat",
    responses((status = 200, description = "The accounts", body = Vec<WechatAccountDto>)))]
async fn list_accounts(
    State(state): State<AppState>,
    principal: Principal,
) -> Reply<Vec<WechatAccountDto>> {
    principal.require(Role::Viewer)?;
    let accounts = state.store.list_wechat_accounts().await?;
    Ok(Json(accounts.into_iter().map(Into::into).collect()))
}

/// Register an official account by app id and name, or rename a registered one.
#[utoipa::path(post, path = "/api/v1/wechat-accounts", operation_id = "save_wechat_account", tag = "wechat",
    request_body = WechatAccountInput,
    responses(
        (status = 201, description = "Registered", body = WechatAccountDto),
        (status = 200, description = "Renamed", body = WechatAccountDto),
        (status = 422, description = "Invalid app id or name", body = Problem, content_type = "application/problem+json"),
    ))]
async fn save_account(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(body): ApiJson<WechatAccountInput>,
) -> Result<(StatusCode, Json<WechatAccountDto>), ApiError> {
    principal.require(Role::Admin)?;
    let (account, created) = state
        .store
        .save_wechat_account(&body.app_id, &body.name)
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(account.into())))
}

/// Delete an official account with its follower labels and fan records.
#[utoipa::path(delete, path = "/api/v1/wechat-accounts/{app_id}", operation_id = "delete_wechat_account", tag = "wechat",
    params(("app_id" = String, Path, description = "App id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
    ))]
async fn delete_account(
    State(state): State<AppState>,
    principal: Principal,
    Path(app_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    principal.require(Role::Admin)?;
    state.store.delete_wechat_account(&app_id).await?;
    tracing::info!(principal = %principal.name, app_id = %app_id, "official account deleted");
    Ok(StatusCode::NO_CONTENT)
}

/// An account's follower labels with their fan counts.
#[utoipa::path(get, path = "/api/v1/wechat-accounts/{app_id}/labels", operation_id = "list_follower_labels", tag = "wechat",
    params(("app_id" = String, Path, description = "App id")),
    responses(
        (status = 200, description = "The labels", body = Vec<FollowerLabelDto>),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_labels(
    State(state): State<AppState>,
    principal: Principal,
    Path(app_id): Path<String>,
) -> Reply<Vec<FollowerLabelDto>> {
    principal.require(Role::Viewer)?;
    let labels = state.store.follower_labels(&app_id).await?;
    Ok(Json(labels.into_iter().map(Into::into).collect()))
}

/// Add a follower label to an account: at most 100 per account, names at most 30 bytes.
#[utoipa::path(post, path = "/api/v1/wechat-accounts/{app_id}/labels", operation_id = "create_follower_label", tag = "wechat",
    params(("app_id" = String, Path, description = "App id")),
    request_body = NameBody,
    responses(
        (status = 201, description = "Created", body = FollowerLabelDto),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The 101st label (`limit_exceeded`), a name over 30 bytes (`value_too_long`) or taken",
            body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_label(
    State(state): State<AppState>,
    principal: Principal,
    Path(app_id): Path<String>,
    ApiJson(body): ApiJson<NameBody>,
) -> Result<(StatusCode, Json<FollowerLabelDto>), ApiError> {
    principal.require(Role::Marketer)?;
    let label = state
        .store
        .create_follower_label(&app_id, &body.name)
        .await?;
    Ok((StatusCode::CREATED, Json(label.into())))
}

async fn label_of_account(state: &AppState, app_id: &str, label_id: &str) -> Result<i64, ApiError> {
    let id = parse_id(label_id, "label_id")?;
    let labels = state.store.follower_labels(app_id).await?;
    if !labels.iter().any(|l| l.label_id == id) {
        return Err(Error::not_found("follower label of this account", id).into());
    }
    Ok(id)
}

/// Rename a follower label.
#[utoipa::path(patch, path = "/api/v1/wechat-accounts/{app_id}/labels/{label_id}", operation_id = "rename_follower_label",
    tag = "wechat",
    params(("app_id" = String, Path, description = "App id"), ("label_id" = i64, Path, description = "Follower label id")),
    request_body = NameBody,
    responses(
        (status = 200, description = "Renamed", body = FollowerLabelDto),
        (status = 404, description = "No such account or label", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid or taken name", body = Problem, content_type = "application/problem+json"),
    ))]
async fn rename_label(
    State(state): State<AppState>,
    principal: Principal,
    Path((app_id, label_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<NameBody>,
) -> Reply<FollowerLabelDto> {
    principal.require(Role::Marketer)?;
    let id = label_of_account(&state, &app_id, &label_id).await?;
    Ok(Json(
        state
            .store
            .rename_follower_label(id, &body.name)
            .await?
            .into(),
    ))
}

/// Delete a follower label, taking it off every fan.
#[utoipa::path(delete, path = "/api/v1/wechat-accounts/{app_id}/labels/{label_id}", operation_id = "delete_follower_label",
    tag = "wechat",
    params(("app_id" = String, Path, description = "App id"), ("label_id" = i64, Path, description = "Follower label id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such account or label", body = Problem, content_type = "application/problem+json"),
    ))]
async fn delete_label(
    State(state): State<AppState>,
    principal: Principal,
    Path((app_id, label_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    principal.require(Role::Marketer)?;
    let id = label_of_account(&state, &app_id, &label_id).await?;
    state.store.delete_follower_label(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn fans(state: &AppState, contact_id: &str) -> Result<(ContactId, ContactFansDto), ApiError> {
    let id = ContactId::parse(contact_id)?;
    state
        .store
        .get_contact(id)
        .await?
        .ok_or_else(|| Error::not_found("contact", id))?;
    let fans = state.store.contact_fans(id).await?;
    Ok((
        id,
        ContactFansDto {
            items: fans.into_iter().map(Into::into).collect(),
        },
    ))
}

/// A contact's fan records, one per official account, each with its openid, follow state and
/// follower labels.
#[utoipa::path(get, path = "/api/v1/contacts/{contact_id}/follower-labels", operation_id = "contact_follower_labels",
    tag = "wechat",
    params(("contact_id" = String, Path, description = "Contact id (UUID)")),
    responses(
        (status = 200, description = "Fan records with their labels", body = ContactFansDto),
        (status = 404, description = "No such contact", body = Problem, content_type = "application/problem+json"),
    ))]
async fn contact_fans(
    State(state): State<AppState>,
    principal: Principal,
    Path(contact_id): Path<String>,
) -> Reply<ContactFansDto> {
    principal.require(Role::Viewer)?;
    Ok(Json(fans(&state, &contact_id).await?.1))
}

/// Put a follower label on a contact that is a fan of the label's account (at most 20 per fan,
/// the 21st is refused with `limit_exceeded`); a `follower_label_add` event.
#[utoipa::path(post, path = "/api/v1/contacts/{contact_id}/follower-labels", operation_id = "add_follower_label",
    tag = "wechat",
    params(("contact_id" = String, Path, description = "Contact id (UUID)")),
    request_body = LabelRef,
    responses(
        (status = 200, description = "The contact's fan records now", body = ContactFansDto),
        (status = 404, description = "No such contact or label", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a fan of the account, or the 21st label (`limit_exceeded`)",
            body = Problem, content_type = "application/problem+json"),
    ))]
async fn add_fan_label(
    State(state): State<AppState>,
    principal: Principal,
    Path(contact_id): Path<String>,
    ApiJson(body): ApiJson<LabelRef>,
) -> Reply<ContactFansDto> {
    principal.require(Role::Marketer)?;
    let id = ContactId::parse(&contact_id)?;
    state
        .store
        .add_follower_label(id, body.label_id, &WriteContext::now(SOURCE))
        .await?;
    Ok(Json(fans(&state, &contact_id).await?.1))
}

/// Take a follower label off a contact (a `follower_label_remove` event).
#[utoipa::path(delete, path = "/api/v1/contacts/{contact_id}/follower-labels/{label_id}",
    operation_id = "remove_follower_label", tag = "wechat",
    params(("contact_id" = String, Path, description = "Contact id (UUID)"), ("label_id" = i64, Path, description = "Follower label id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such contact or label, or the fan does not carry it",
            body = Problem, content_type = "application/problem+json"),
    ))]
async fn remove_fan_label(
    State(state): State<AppState>,
    principal: Principal,
    Path((contact_id, label_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    principal.require(Role::Marketer)?;
    let (id, _) = fans(&state, &contact_id).await?;
    let label = parse_id(&label_id, "label_id")?;
    if !state
        .store
        .remove_follower_label(id, label, &WriteContext::now(SOURCE))
        .await?
    {
        return Err(Error::not_found("follower label on this contact", label).into());
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Record that a contact is a fan of an official account: its openid there (unique per account)
/// and whether it follows now.
#[utoipa::path(put, path = "/api/v1/contacts/{contact_id}/wechat-fans/{app_id}", operation_id = "save_wechat_fan",
    tag = "wechat",
    params(("contact_id" = String, Path, description = "Contact id (UUID)"), ("app_id" = String, Path, description = "App id")),
    request_body = FanInput,
    responses(
        (status = 200, description = "The fan record", body = FanDto),
        (status = 404, description = "No such contact or account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The openid belongs to another contact", body = Problem, content_type = "application/problem+json"),
    ))]
async fn save_fan(
    State(state): State<AppState>,
    principal: Principal,
    Path((contact_id, app_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<FanInput>,
) -> Reply<FanDto> {
    principal.require(Role::Marketer)?;
    let id = ContactId::parse(&contact_id)?;
    let fan = NewFan {
        openid: body.openid,
        following: body.following,
    };
    Ok(Json(state.store.save_fan(id, &app_id, &fan).await?.into()))
}
