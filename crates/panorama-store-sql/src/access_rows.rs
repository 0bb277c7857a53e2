//! Users and API keys as stored: the columns read, a row back as the domain value, and the
//! look-ups the access area shares.

use crate::{Backend, DbRow, sql};
use panorama_core::access::{
    ApiKey, ApiKeyName, PasswordHash, Role, User, UserCredentials, UserName,
};
use panorama_core::{Error, Result, codes};
use uuid::Uuid;

/// Columns selected for a user, in [`credentials`]' order.
pub(crate) const USER_COLUMNS: &str =
    "user_id, name, role, may_reveal, failed_sign_ins, locked_until, created_at, password_hash";
/// [`USER_COLUMNS`] on a `users` row named `u`.
pub(crate) const U_USER_COLUMNS: &str = "u.user_id, u.name, u.role, u.may_reveal, \
     u.failed_sign_ins, u.locked_until, u.created_at, u.password_hash";
/// Columns selected for an API key, in [`key`]'s order.
pub(crate) const KEY_COLUMNS: &str =
    "key_id, name, role, shown, created_by, created_at, revoked_at";

/// A user row as [`USER_COLUMNS`] selects it, with its password hash.
pub(crate) fn credentials(row: &impl DbRow) -> Result<UserCredentials> {
    let user = User {
        user_id: row.id(0)?,
        name: UserName::parse(&row.text(1)?, "name").map_err(stored)?,
        role: Role::parse(&row.text(2)?, "role").map_err(stored)?,
        may_reveal: row.bool(3)?,
        failed_sign_ins: u32::try_from(row.i64(4)?).unwrap_or(u32::MAX),
        locked_until: row.opt_i64(5)?.map(crate::convert::timestamp).transpose()?,
        created_at: row.time(6)?,
    };
    Ok(UserCredentials {
        user,
        password_hash: PasswordHash(row.text(7)?),
    })
}

/// A user row as [`USER_COLUMNS`] selects it.
pub(crate) fn user(row: &impl DbRow) -> Result<User> {
    credentials(row).map(|credentials| credentials.user)
}

/// An API key row as [`KEY_COLUMNS`] selects it.
pub(crate) fn key(row: &impl DbRow) -> Result<ApiKey> {
    Ok(ApiKey {
        key_id: row.id(0)?,
        name: ApiKeyName::parse(&row.text(1)?, "name").map_err(stored)?,
        role: Role::parse(&row.text(2)?, "role").map_err(stored)?,
        shown: row.text(3)?,
        created_by: row.text(4)?,
        created_at: row.time(5)?,
        revoked_at: row.opt_i64(6)?.map(crate::convert::timestamp).transpose()?,
    })
}

fn stored(error: Error) -> Error {
    Error::internal(format!("stored access row: {}", error.detail))
}

/// The conflict people see when a user or key name is taken.
pub(crate) fn taken(what: &str, name: &str) -> Error {
    Error::conflict(
        codes::DUPLICATE_NAME,
        format!("a {what} named `{name}` already exists"),
        "name",
    )
    .with_value(name)
}

/// The user named `name`, with its password hash.
pub(crate) async fn user_by_name<B: Backend>(
    connection: &mut B::Conn,
    name: &str,
) -> Result<Option<UserCredentials>> {
    sql(format!("SELECT {USER_COLUMNS} FROM users WHERE name = $1"))
        .bind(name)
        .optional::<B>(connection)
        .await?
        .map(|row| credentials(&row))
        .transpose()
}

/// The user with this id, which must exist.
pub(crate) async fn required_user<B: Backend>(
    connection: &mut B::Conn,
    user_id: Uuid,
) -> Result<User> {
    sql(format!(
        "SELECT {USER_COLUMNS} FROM users WHERE user_id = $1"
    ))
    .bind(user_id)
    .optional::<B>(connection)
    .await?
    .ok_or_else(|| Error::not_found("user", user_id))
    .and_then(|row| user(&row))
}
