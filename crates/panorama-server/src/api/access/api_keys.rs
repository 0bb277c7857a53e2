//! `/api/v1/api-keys`: keys for scripts and other systems, created and revoked by admins. A key
//! is answered in clear once, when it is made; the server keeps only its hash.

use super::dto::{ApiKeyDto, CreatedApiKeyDto, NewApiKeyDto};
use crate::AppState;
use crate::app::api_keys;
use crate::error::{ApiError, Problem};
use crate::extract::ApiJson;
use crate::principal::{Principal, Role};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(revoke))
}

/// Every key, revoked ones too, newest first; never the key itself.
#[utoipa::path(
    get, path = "/api/v1/api-keys", operation_id = "list_api_keys", tag = "access",
    responses(
        (status = 200, description = "Newest first", body = Vec<ApiKeyDto>),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<ApiKeyDto>>, ApiError> {
    principal.require(Role::Admin)?;
    let keys = state.store.api_keys().await?;
    Ok(Json(keys.into_iter().map(Into::into).collect()))
}

/// Create a key with a role. The answer's `key` is the only time the key is shown.
#[utoipa::path(
    post, path = "/api/v1/api-keys", operation_id = "create_api_key", tag = "access",
    request_body = NewApiKeyDto,
    responses(
        (status = 201, description = "Created; `key` is shown this once", body = CreatedApiKeyDto),
        (status = 409, description = "The name is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name or role", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(new): ApiJson<NewApiKeyDto>,
) -> Result<(StatusCode, Json<CreatedApiKeyDto>), ApiError> {
    principal.require(Role::Admin)?;
    let (key, secret) =
        api_keys::create_key(state.store.as_ref(), &principal, &new.name, new.role.into()).await?;
    tracing::info!(principal = %principal.name, key = %key.name.as_str(), "API key created");
    let created = CreatedApiKeyDto {
        api_key: key.into(),
        key: secret.expose().to_owned(),
    };
    Ok((StatusCode::CREATED, Json(created)))
}

/// Revoke a key: it authenticates nothing from now on. Revoking twice keeps the first time.
#[utoipa::path(
    delete, path = "/api/v1/api-keys/{key_id}", operation_id = "revoke_api_key", tag = "access",
    params(("key_id" = String, Path, description = "Key id (UUID)")),
    responses(
        (status = 200, description = "The revoked key", body = ApiKeyDto),
        (status = 404, description = "No such key", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn revoke(
    State(state): State<AppState>,
    principal: Principal,
    Path(key_id): Path<String>,
) -> Result<Json<ApiKeyDto>, ApiError> {
    principal.require(Role::Admin)?;
    let key = api_keys::revoke_key(state.store.as_ref(), &principal, &key_id).await?;
    tracing::info!(principal = %principal.name, key = %key.name.as_str(), "API key revoked");
    Ok(Json(key.into()))
}
