//! The store's users, sessions and API keys (AccessStore), written once over
//! [`Backend`](crate::Backend). Every write is a write transaction, so sign-in counting and the
//! last-admin rule see the writes before them in order (SQLite's one writer, PostgreSQL's write
//! lock): five parallel wrong passwords lock an account exactly like five in a row.

use crate::access_rows::{
    KEY_COLUMNS, U_USER_COLUMNS, USER_COLUMNS, key, required_user, taken, user, user_by_name,
};
use crate::convert::micros;
use crate::{Backend, DbRow, SqlStore, sql};
use async_trait::async_trait;
use jiff::Timestamp;
use panorama_core::access::{
    ApiKey, NewApiKey, NewSession, NewUser, Role, SecretHash, SignInOutcome, User, UserCredentials,
    UserName, UserPatch, last_admin,
};
use panorama_core::store::AccessStore;
use panorama_core::{Error, Result};
use uuid::Uuid;

/// What access needs that differs between databases.
#[async_trait]
pub trait AccessSql: Send + Sync {
    /// A connection for a write that orders nothing (an audit entry's outcome, set once): SQLite's
    /// one writer; on PostgreSQL a pooled connection outside the write lock, so it never waits
    /// behind another write.
    async fn unordered_writer(&self) -> Result<<Self as Backend>::Read>
    where
        Self: Backend;
}

#[async_trait]
impl<B: Backend> AccessStore for SqlStore<B> {
    async fn create_user(&self, user: NewUser) -> Result<User> {
        let mut tx = self.backend.write().await?;
        // Any unique column taken (the name; the id is new) inserts nothing.
        let inserted = sql(
            "INSERT INTO users (user_id, name, role, may_reveal, password_hash, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT DO NOTHING RETURNING user_id",
        )
        .bind(Uuid::now_v7())
        .bind(user.name.as_str())
        .bind(user.role.as_str())
        .bind(user.may_reveal)
        .bind(&user.password_hash.0)
        .bind(micros(user.created_at))
        .optional::<B>(&mut tx)
        .await?
        .ok_or_else(|| taken("user", user.name.as_str()))?;
        let created = required_user::<B>(&mut tx, inserted.id(0)?).await?;
        B::commit(tx).await?;
        Ok(created)
    }

    async fn users(&self) -> Result<Vec<User>> {
        let mut connection = self.backend.read().await?;
        let rows = sql(format!("SELECT {USER_COLUMNS} FROM users"))
            .all::<B>(&mut connection)
            .await?;
        let mut users = rows.iter().map(user).collect::<Result<Vec<_>>>()?;
        // Byte order, whatever collation a database was created with.
        users.sort_unstable_by(|a, b| a.name.as_str().cmp(b.name.as_str()));
        Ok(users)
    }

    async fn user_credentials(&self, name: &UserName) -> Result<Option<UserCredentials>> {
        let mut connection = self.backend.read().await?;
        user_by_name::<B>(&mut connection, name.as_str()).await
    }

    async fn update_user(&self, name: &UserName, patch: UserPatch) -> Result<User> {
        let mut tx = self.backend.write().await?;
        // Read inside the write transaction, so two demotions at once cannot both pass the
        // last-admin rule: the second waits for the first and sees its result.
        let found = sql(
            "SELECT user_id, role = 'admin', (SELECT count(*) FROM users WHERE role = 'admin')
             FROM users WHERE name = $1",
        )
        .bind(name.as_str())
        .optional::<B>(&mut tx)
        .await?
        .ok_or_else(|| Error::not_found("user", name.as_str()))?;
        let (user_id, is_admin, admins) = (found.id(0)?, found.bool(1)?, found.i64(2)?);
        if let Some(role) = patch.role
            && is_admin
            && role != Role::Admin
            && admins <= 1
        {
            return Err(last_admin(name, role));
        }
        sql(
            "UPDATE users SET role = COALESCE($2, role), may_reveal = COALESCE($3, may_reveal),
                 password_hash = COALESCE($4, password_hash),
                 failed_sign_ins = CASE WHEN $4 IS NULL THEN failed_sign_ins ELSE 0 END,
                 locked_until = CASE WHEN $4 IS NULL THEN locked_until ELSE NULL END,
                 updated_at = $5
             WHERE user_id = $1",
        )
        .bind(user_id)
        .bind(patch.role.map(Role::as_str))
        .bind(patch.may_reveal)
        .bind(patch.password_hash.as_ref().map(|hash| hash.0.as_str()))
        .bind(micros(Timestamp::now()))
        .execute::<B>(&mut tx)
        .await?;
        if patch.password_hash.is_some() {
            // A new password ends every session of the user.
            sql("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute::<B>(&mut tx)
                .await?;
        }
        let updated = required_user::<B>(&mut tx, user_id).await?;
        B::commit(tx).await?;
        Ok(updated)
    }

    async fn admin_count(&self) -> Result<u64> {
        let mut connection = self.backend.read().await?;
        sql("SELECT count(*) FROM users WHERE role = 'admin'")
            .one::<B>(&mut connection)
            .await?
            .count(0)
    }

    async fn record_sign_in(
        &self,
        user_id: Uuid,
        outcome: SignInOutcome,
        _now: Timestamp,
    ) -> Result<User> {
        let statement = match outcome {
            SignInOutcome::Succeeded => {
                "UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE user_id = $1"
            }
            SignInOutcome::Failed => {
                "UPDATE users SET failed_sign_ins = failed_sign_ins + 1 WHERE user_id = $1"
            }
        };
        let mut tx = self.backend.write().await?;
        sql(statement).bind(user_id).execute::<B>(&mut tx).await?;
        let user = required_user::<B>(&mut tx, user_id).await?;
        B::commit(tx).await?;
        Ok(user)
    }

    async fn create_session(&self, session: NewSession) -> Result<()> {
        let mut tx = self.backend.write().await?;
        // Expired sessions of anyone go with each new one, so the table stays small.
        sql("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(micros(session.created_at))
            .execute::<B>(&mut tx)
            .await?;
        sql("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(&session.token_hash.0)
            .bind(session.user_id)
            .bind(micros(session.created_at))
            .bind(micros(session.expires_at))
            .execute::<B>(&mut tx)
            .await?;
        B::commit(tx).await
    }

    async fn session_user(&self, token_hash: &SecretHash, now: Timestamp) -> Result<Option<User>> {
        let mut connection = self.backend.read().await?;
        sql(format!(
            "SELECT {U_USER_COLUMNS} FROM sessions s JOIN users u ON u.user_id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2"
        ))
        .bind(&token_hash.0)
        .bind(micros(now))
        .optional::<B>(&mut connection)
        .await?
        .map(|row| user(&row))
        .transpose()
    }

    async fn delete_session(&self, token_hash: &SecretHash) -> Result<()> {
        let mut tx = self.backend.write().await?;
        sql("DELETE FROM sessions WHERE token_hash = $1")
            .bind(&token_hash.0)
            .execute::<B>(&mut tx)
            .await?;
        B::commit(tx).await
    }

    async fn create_api_key(&self, key: NewApiKey) -> Result<ApiKey> {
        let key_id = Uuid::now_v7();
        let mut tx = self.backend.write().await?;
        // Any unique column taken (the name, or the hash) inserts nothing.
        sql(
            "INSERT INTO api_keys (key_id, name, role, key_hash, shown, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING key_id",
        )
        .bind(key_id)
        .bind(key.name.as_str())
        .bind(key.role.as_str())
        .bind(&key.key_hash.0)
        .bind(&key.shown)
        .bind(&key.created_by)
        .bind(micros(key.created_at))
        .optional::<B>(&mut tx)
        .await?
        .ok_or_else(|| taken("key", key.name.as_str()))?;
        B::commit(tx).await?;
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
        let mut connection = self.backend.read().await?;
        sql(format!(
            "SELECT {KEY_COLUMNS} FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL"
        ))
        .bind(&key_hash.0)
        .optional::<B>(&mut connection)
        .await?
        .map(|row| key(&row))
        .transpose()
    }

    async fn api_keys(&self) -> Result<Vec<ApiKey>> {
        let mut connection = self.backend.read().await?;
        // Key ids are UUID v7 (as text on SQLite, in the same order): descending is newest first.
        sql(format!(
            "SELECT {KEY_COLUMNS} FROM api_keys ORDER BY key_id DESC"
        ))
        .all::<B>(&mut connection)
        .await?
        .iter()
        .map(key)
        .collect()
    }

    async fn revoke_api_key(&self, key_id: Uuid, at: Timestamp) -> Result<ApiKey> {
        let mut tx = self.backend.write().await?;
        let revoked = sql(format!(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE key_id = $1
             RETURNING {KEY_COLUMNS}"
        ))
        .bind(key_id)
        .bind(micros(at))
        .optional::<B>(&mut tx)
        .await?
        .ok_or_else(|| Error::not_found("API key", key_id))
        .and_then(|row| key(&row))?;
        B::commit(tx).await?;
        Ok(revoked)
    }
}
