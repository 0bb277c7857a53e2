//! Users, sessions and API keys on SQLite (migration 0009). Every write goes through the one
//! writer; sign-in counting reads and writes in one `BEGIN IMMEDIATE` transaction so that five
//! parallel wrong passwords lock the account exactly like five in a row.

use crate::convert::{micros, timestamp};
use crate::{SqliteDb, db};
use async_trait::async_trait;
use panorama_core::access::{
    ApiKey, ApiKeyName, NewApiKey, NewSession, NewUser, PasswordHash, Role, SecretHash,
    SignInOutcome, User, UserCredentials, UserName, UserPatch, last_admin,
};
use panorama_core::store::AccessStore;
use panorama_core::{Error, Result, codes};
use sqlx::FromRow;
use uuid::Uuid;

const USER_COLUMNS: &str =
    "user_id, name, role, may_reveal, failed_sign_ins, locked_until, created_at, password_hash";
const KEY_COLUMNS: &str = "key_id, name, role, shown, created_by, created_at, revoked_at";

#[derive(FromRow)]
struct UserRow {
    user_id: String,
    name: String,
    role: String,
    may_reveal: bool,
    failed_sign_ins: i64,
    locked_until: Option<i64>,
    created_at: i64,
    password_hash: String,
}

impl UserRow {
    fn into_credentials(self) -> Result<UserCredentials> {
        let user = User {
            user_id: uuid(&self.user_id)?,
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
}

#[derive(FromRow)]
struct KeyRow {
    key_id: String,
    name: String,
    role: String,
    shown: String,
    created_by: String,
    created_at: i64,
    revoked_at: Option<i64>,
}

impl KeyRow {
    fn into_key(self) -> Result<ApiKey> {
        Ok(ApiKey {
            key_id: uuid(&self.key_id)?,
            name: ApiKeyName::parse(&self.name, "name").map_err(stored)?,
            role: Role::parse(&self.role, "role").map_err(stored)?,
            shown: self.shown,
            created_by: self.created_by,
            created_at: timestamp(self.created_at)?,
            revoked_at: self.revoked_at.map(timestamp).transpose()?,
        })
    }
}

fn uuid(text: &str) -> Result<Uuid> {
    Uuid::parse_str(text).map_err(|e| Error::internal(format!("stored id `{text}`: {e}")))
}

fn stored(error: Error) -> Error {
    Error::internal(format!("stored access row: {}", error.detail))
}

fn taken(error: sqlx::Error, what: &str, name: &str) -> Error {
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

impl SqliteDb {
    async fn user_by(&self, column: &str, value: &str) -> Result<Option<UserCredentials>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE {column} = $1");
        let mut connection = self.reader.acquire().await.map_err(db)?;
        let row: Option<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(value)
            .fetch_optional(&mut *connection)
            .await
            .map_err(db)?;
        row.map(UserRow::into_credentials).transpose()
    }

    async fn required_user(&self, column: &str, value: &str) -> Result<User> {
        self.user_by(column, value)
            .await?
            .map(|credentials| credentials.user)
            .ok_or_else(|| Error::not_found("user", value))
    }
}

#[async_trait]
impl AccessStore for SqliteDb {
    async fn create_user(&self, user: NewUser) -> Result<User> {
        let user_id = Uuid::now_v7();
        let mut connection = self.writer.acquire().await.map_err(db)?;
        sqlx::query(
            "INSERT INTO users (user_id, name, role, may_reveal, password_hash, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(user_id.to_string())
        .bind(user.name.as_str())
        .bind(user.role.as_str())
        .bind(user.may_reveal)
        .bind(&user.password_hash.0)
        .bind(micros(user.created_at))
        .execute(&mut *connection)
        .await
        .map_err(|e| taken(e, "user", user.name.as_str()))?;
        drop(connection);
        self.required_user("user_id", &user_id.to_string()).await
    }

    async fn users(&self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY name");
        let mut connection = self.reader.acquire().await.map_err(db)?;
        let rows: Vec<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut *connection)
            .await
            .map_err(db)?;
        rows.into_iter()
            .map(|row| row.into_credentials().map(|c| c.user))
            .collect()
    }

    async fn user_credentials(&self, name: &UserName) -> Result<Option<UserCredentials>> {
        self.user_by("name", name.as_str()).await
    }

    async fn update_user(&self, name: &UserName, patch: UserPatch) -> Result<User> {
        let mut transaction = self
            .writer
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(db)?;
        // Read inside the writer's transaction, so two demotions at once cannot both pass the
        // last-admin rule: one of them sees the other's result.
        let found: Option<(String, bool, i64)> = sqlx::query_as(
            "SELECT user_id, role = 'admin', (SELECT count(*) FROM users WHERE role = 'admin')
             FROM users WHERE name = $1",
        )
        .bind(name.as_str())
        .fetch_optional(&mut *transaction)
        .await
        .map_err(db)?;
        let (user_id, is_admin, admins) =
            found.ok_or_else(|| Error::not_found("user", name.as_str()))?;
        if let Some(role) = patch.role
            && is_admin
            && role != Role::Admin
            && admins <= 1
        {
            return Err(last_admin(name, role));
        }
        sqlx::query(
            "UPDATE users SET role = COALESCE($2, role), may_reveal = COALESCE($3, may_reveal),
                 password_hash = COALESCE($4, password_hash),
                 failed_sign_ins = CASE WHEN $4 IS NULL THEN failed_sign_ins ELSE 0 END,
                 locked_until = CASE WHEN $4 IS NULL THEN locked_until ELSE NULL END,
                 updated_at = $5
             WHERE user_id = $1",
        )
        .bind(&user_id)
        .bind(patch.role.map(Role::as_str))
        .bind(patch.may_reveal)
        .bind(patch.password_hash.as_ref().map(|hash| hash.0.as_str()))
        .bind(micros(jiff::Timestamp::now()))
        .execute(&mut *transaction)
        .await
        .map_err(db)?;
        if patch.password_hash.is_some() {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(&user_id)
                .execute(&mut *transaction)
                .await
                .map_err(db)?;
        }
        transaction.commit().await.map_err(db)?;
        self.required_user("user_id", &user_id).await
    }

    async fn admin_count(&self) -> Result<u64> {
        let mut connection = self.reader.acquire().await.map_err(db)?;
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE role = 'admin'")
            .fetch_one(&mut *connection)
            .await
            .map_err(db)?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    async fn record_sign_in(
        &self,
        user_id: Uuid,
        outcome: SignInOutcome,
        _now: jiff::Timestamp,
    ) -> Result<User> {
        let mut connection = self.writer.acquire().await.map_err(db)?;
        let sql = match outcome {
            SignInOutcome::Succeeded => {
                "UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE user_id = $1"
            }
            SignInOutcome::Failed => {
                "UPDATE users SET failed_sign_ins = failed_sign_ins + 1 WHERE user_id = $1"
            }
        };
        sqlx::query(sql)
            .bind(user_id.to_string())
            .execute(&mut *connection)
            .await
            .map_err(db)?;
        drop(connection);
        self.required_user("user_id", &user_id.to_string()).await
    }

    async fn create_session(&self, session: NewSession) -> Result<()> {
        let mut connection = self.writer.acquire().await.map_err(db)?;
        // Expired sessions of anyone go with each new one, so the table stays small.
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(micros(session.created_at))
            .execute(&mut *connection)
            .await
            .map_err(db)?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(&session.token_hash.0)
        .bind(session.user_id.to_string())
        .bind(micros(session.created_at))
        .bind(micros(session.expires_at))
        .execute(&mut *connection)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn session_user(
        &self,
        token_hash: &SecretHash,
        now: jiff::Timestamp,
    ) -> Result<Option<User>> {
        let sql = format!(
            "SELECT {} FROM sessions s JOIN users u ON u.user_id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2",
            USER_COLUMNS
                .split(", ")
                .map(|column| format!("u.{column}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut connection = self.reader.acquire().await.map_err(db)?;
        let row: Option<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(&token_hash.0)
            .bind(micros(now))
            .fetch_optional(&mut *connection)
            .await
            .map_err(db)?;
        row.map(|row| row.into_credentials().map(|c| c.user))
            .transpose()
    }

    async fn delete_session(&self, token_hash: &SecretHash) -> Result<()> {
        let mut connection = self.writer.acquire().await.map_err(db)?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(&token_hash.0)
            .execute(&mut *connection)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn create_api_key(&self, key: NewApiKey) -> Result<ApiKey> {
        let key_id = Uuid::now_v7();
        let mut connection = self.writer.acquire().await.map_err(db)?;
        sqlx::query(
            "INSERT INTO api_keys (key_id, name, role, key_hash, shown, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(key_id.to_string())
        .bind(key.name.as_str())
        .bind(key.role.as_str())
        .bind(&key.key_hash.0)
        .bind(&key.shown)
        .bind(&key.created_by)
        .bind(micros(key.created_at))
        .execute(&mut *connection)
        .await
        .map_err(|e| taken(e, "key", key.name.as_str()))?;
        Ok(ApiKey {
            key_id,
            name: key.name,
            role: key.role,
            shown: key.shown,
            created_by: key.created_by,
            created_at: key.created_at,
            revoked_at: None,
        })
    }

    async fn api_key(&self, key_hash: &SecretHash) -> Result<Option<ApiKey>> {
        let sql = format!(
            "SELECT {KEY_COLUMNS} FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL"
        );
        let mut connection = self.reader.acquire().await.map_err(db)?;
        let row: Option<KeyRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(&key_hash.0)
            .fetch_optional(&mut *connection)
            .await
            .map_err(db)?;
        row.map(KeyRow::into_key).transpose()
    }

    async fn api_keys(&self) -> Result<Vec<ApiKey>> {
        let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys ORDER BY key_id DESC");
        let mut connection = self.reader.acquire().await.map_err(db)?;
        let rows: Vec<KeyRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut *connection)
            .await
            .map_err(db)?;
        rows.into_iter().map(KeyRow::into_key).collect()
    }

    async fn revoke_api_key(&self, key_id: Uuid, at: jiff::Timestamp) -> Result<ApiKey> {
        let mut connection = self.writer.acquire().await.map_err(db)?;
        let sql = format!(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE key_id = $1
             RETURNING {KEY_COLUMNS}"
        );
        let row: Option<KeyRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(key_id.to_string())
            .bind(micros(at))
            .fetch_optional(&mut *connection)
            .await
            .map_err(db)?;
        row.ok_or_else(|| Error::not_found("API key", key_id))?
            .into_key()
    }
}
