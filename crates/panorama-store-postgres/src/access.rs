//! Users, sessions and API keys on PostgreSQL: the row types and the lookups the `AccessStore`
//! impl (`area/access.rs`) shares. Writes go through [`crate::PostgresDb::write`], so the
//! sign-in counting and the last-admin rule are decided one transaction after another.

use crate::convert::timestamp;
use crate::db;
use panorama_core::access::{
    ApiKey, ApiKeyName, PasswordHash, Role, User, UserCredentials, UserName,
};
use panorama_core::{Error, Result, codes};
use sqlx::{FromRow, PgConnection};
use uuid::Uuid;

/// Columns selected for a user, in [`UserRow`]'s order.
pub(crate) const USER_COLUMNS: &str =
    "user_id, name, role, may_reveal, failed_sign_ins, locked_until, created_at, password_hash";
/// Columns selected for an API key, in [`KeyRow`]'s order.
pub(crate) const KEY_COLUMNS: &str =
    "key_id, name, role, shown, created_by, created_at, revoked_at";

/// One `users` row as [`USER_COLUMNS`] selects it.
#[derive(FromRow)]
pub(crate) struct UserRow {
    user_id: Uuid,
    name: String,
    role: String,
    may_reveal: bool,
    failed_sign_ins: i64,
    locked_until: Option<i64>,
    created_at: i64,
    password_hash: String,
}

impl UserRow {
    /// The user and its password hash.
    pub(crate) fn into_credentials(self) -> Result<UserCredentials> {
        let user = User {
            user_id: self.user_id,
            name: UserName::parse(&self.name, "name").map_err(stored)?,
            role: Role::parse(&self.role, "role").map_err(stored)?,
            may_reveal: self.may_reveal,
            failed_sign_ins: u32::try_from(self.failed_sign_ins).unwrap_or(u32::MAX),
            locked_until: self.locked_until.map(timestamp).transpose()?,
            created_at: timestamp(self.created_at)?,
        };
        Ok(UserCredentials {
            user,
            password_hash: PasswordHash(self.password_hash),
        })
    }

    /// The user alone.
    pub(crate) fn into_user(self) -> Result<User> {
        self.into_credentials().map(|credentials| credentials.user)
    }
}

/// One `api_keys` row as [`KEY_COLUMNS`] selects it.
#[derive(FromRow)]
pub(crate) struct KeyRow {
    key_id: Uuid,
    name: String,
    role: String,
    shown: String,
    created_by: String,
    created_at: i64,
    revoked_at: Option<i64>,
}

impl KeyRow {
    /// The API key this row stores.
    pub(crate) fn into_key(self) -> Result<ApiKey> {
        Ok(ApiKey {
            key_id: self.key_id,
            name: ApiKeyName::parse(&self.name, "name").map_err(stored)?,
            role: Role::parse(&self.role, "role").map_err(stored)?,
            shown: self.shown,
            created_by: self.created_by,
            created_at: timestamp(self.created_at)?,
            revoked_at: self.revoked_at.map(timestamp).transpose()?,
        })
    }
}

fn stored(error: Error) -> Error {
    Error::internal(format!("stored access row: {}", error.detail))
}

/// A unique violation on a name as the conflict people see; any other error as internal.
pub(crate) fn taken(error: sqlx::Error, what: &str, name: &str) -> Error {
    match &error {
        sqlx::Error::Database(inner) if inner.is_unique_violation() => Error::conflict(
            codes::DUPLICATE_NAME,
            format!("a {what} named `{name}` already exists"),
            "name",
        )
        .with_value(name),
        _ => db(error),
    }
}

/// The user with this id, with its password hash.
pub(crate) async fn user_by_id(
    connection: &mut PgConnection,
    user_id: Uuid,
) -> Result<Option<UserCredentials>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE user_id = $1");
    let row: Option<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(user_id)
        .fetch_optional(connection)
        .await
        .map_err(db)?;
    row.map(UserRow::into_credentials).transpose()
}

/// The user with this name, with its password hash.
pub(crate) async fn user_by_name(
    connection: &mut PgConnection,
    name: &str,
) -> Result<Option<UserCredentials>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE name = $1");
    let row: Option<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(name)
        .fetch_optional(connection)
        .await
        .map_err(db)?;
    row.map(UserRow::into_credentials).transpose()
}

/// The user with this id, which must exist.
pub(crate) async fn required_user(connection: &mut PgConnection, user_id: Uuid) -> Result<User> {
    user_by_id(connection, user_id)
        .await?
        .map(|credentials| credentials.user)
        .ok_or_else(|| Error::not_found("user", user_id))
}
