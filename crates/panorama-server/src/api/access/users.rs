//! `/api/v1/users`: operators who sign in to the pages, listed, created and changed by admins.

use super::dto::{CreatedUserDto, NewUserDto, UserDto, UserPatchDto};
use crate::AppState;
use crate::app::users::{self, UserChange, UserInput};
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
        .routes(routes!(update))
        .routes(routes!(unlock))
}

/// A user as the API shows them: `locked_until` is when the last client address waiting after
/// wrong passwords for this name may try again (this server's delays).
fn dto(state: &AppState, user: panorama_core::access::User) -> UserDto {
    let until = state.auth.sign_in_delayed_until(user.name.as_str());
    UserDto {
        locked_until: until.map(panorama_core::value::format_timestamp),
        ..user.into()
    }
}

/// Every user, by name.
#[utoipa::path(
    get, path = "/api/v1/users", operation_id = "list_users", tag = "access",
    responses(
        (status = 200, description = "Every user, by name", body = Vec<UserDto>),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Vec<UserDto>>, ApiError> {
    principal.require(Role::Admin)?;
    let users = state.store.users().await?;
    Ok(Json(
        users.into_iter().map(|user| dto(&state, user)).collect(),
    ))
}

/// Create a user. Without `password` one is generated and answered in `password`, this once.
#[utoipa::path(
    post, path = "/api/v1/users", operation_id = "create_user", tag = "access",
    request_body = NewUserDto,
    responses(
        (status = 201, description = "Created", body = CreatedUserDto),
        (status = 409, description = "The name is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name or password, or a viewer given the reveal right",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn create(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(new): ApiJson<NewUserDto>,
) -> Result<(StatusCode, Json<CreatedUserDto>), ApiError> {
    principal.require(Role::Admin)?;
    let input = UserInput {
        name: &new.name,
        role: new.role.into(),
        password: new.password.as_deref(),
        may_reveal: new.may_reveal.unwrap_or(false),
    };
    let (user, password) = users::create_user(state.store.as_ref(), &principal, input).await?;
    tracing::info!(principal = %principal.name, user = %user.name.as_str(), "user created");
    let created = CreatedUserDto {
        user: user.into(),
        password,
    };
    Ok((StatusCode::CREATED, Json(created)))
}

/// Change a user's role, reveal right or password; absent fields stay as they are.
#[utoipa::path(
    patch, path = "/api/v1/users/{name}", operation_id = "update_user", tag = "access",
    params(("name" = String, Path, description = "User name")),
    request_body = UserPatchDto,
    responses(
        (status = 200, description = "The changed user", body = UserDto),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The change would leave no admin (`last_admin`, field `role`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid password, or a viewer given the reveal right",
            body = Problem, content_type = "application/problem+json"),
    )
)]
async fn update(
    State(state): State<AppState>,
    principal: Principal,
    Path(name): Path<String>,
    ApiJson(patch): ApiJson<UserPatchDto>,
) -> Result<Json<UserDto>, ApiError> {
    principal.require(Role::Admin)?;
    let change = UserChange {
        role: patch.role.map(Into::into),
        may_reveal: patch.may_reveal,
        password: patch.password,
    };
    let user = users::change_user(state.store.as_ref(), &principal, &name, change).await?;
    tracing::info!(principal = %principal.name, user = %user.name.as_str(), "user changed");
    Ok(Json(dto(&state, user)))
}

/// Lift the sign-in delays on a user: every client address that waits after wrong passwords for
/// this name may try again at once. Audited (`user_change`).
#[utoipa::path(
    post, path = "/api/v1/users/{name}/unlock", operation_id = "unlock_user", tag = "access",
    params(("name" = String, Path, description = "User name")),
    responses(
        (status = 200, description = "The user, no longer delayed", body = UserDto),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn unlock(
    State(state): State<AppState>,
    principal: Principal,
    Path(name): Path<String>,
) -> Result<Json<UserDto>, ApiError> {
    principal.require(Role::Admin)?;
    let store = state.store.as_ref();
    let user = users::lift_sign_in_delays(store, &state.auth, &principal, &name).await?;
    tracing::info!(principal = %principal.name, user = %user.name.as_str(), "sign-in delays lifted");
    Ok(Json(dto(&state, user)))
}
