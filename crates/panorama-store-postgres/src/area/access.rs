//! `AccessStore` and `AuditStore` on PostgreSQL: users, sessions, API keys and the audit log.
//! Every write holds the store's write lock, so sign-in counting and the last-admin rule see the
//! writes before them exactly as on SQLite's single writer.

use crate::access::{
    KEY_COLUMNS, KeyRow, USER_COLUMNS, UserRow, required_user, taken, user_by_name,
};
use crate::convert::micros;
use crate::{PostgresDb, audit, db};
use async_trait::async_trait;
use jiff::Timestamp;
use panorama_core::access::{
    ApiKey, AuditEntry, AuditOutcome, AuditQuery, NewApiKey, NewAuditEntry, NewSession, NewUser,
    Role, SecretHash, SignInOutcome, User, UserCredentials, UserName, UserPatch, last_admin,
};
use panorama_core::store::{AccessStore, AuditStore};
use panorama_core::{Error, Result};
use uuid::Uuid;

#[async_trait]
impl AccessStore for PostgresDb {
    async fn create_user(&self, user: NewUser) -> Result<User> {
        let user_id = Uuid::now_v7();
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO users (user_id, name, role, may_reveal, password_hash, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(user_id)
        .bind(user.name.as_str())
        .bind(user.role.as_str())
        .bind(user.may_reveal)
        .bind(&user.password_hash.0)
        .bind(micros(user.created_at))
        .execute(&mut *tx)
        .await
        .map_err(|e| taken(e, "user", user.name.as_str()))?;
        let created = required_user(&mut tx, user_id).await?;
        tx.commit().await.map_err(db)?;
        Ok(created)
    }

    async fn users(&self) -> Result<Vec<User>> {
        // Byte order, as SQLite sorts, whatever collation the database was created with.
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY name COLLATE \"C\"");
        let mut connection = self.read().await?;
        let rows: Vec<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut *connection)
            .await
            .map_err(db)?;
        rows.into_iter().map(UserRow::into_user).collect()
    }

    async fn user_credentials(&self, name: &UserName) -> Result<Option<UserCredentials>> {
        let mut connection = self.read().await?;
        user_by_name(&mut connection, name.as_str()).await
    }

    async fn update_user(&self, name: &UserName, patch: UserPatch) -> Result<User> {
        let mut tx = self.write().await?;
        // Read inside the write transaction, so two demotions at once cannot both pass the
        // last-admin rule: the second waits for the write lock and sees the first's result.
        let found: Option<(Uuid, bool, i64)> = sqlx::query_as(
            "SELECT user_id, role = 'admin', (SELECT count(*) FROM users WHERE role = 'admin')
             FROM users WHERE name = $1",
        )
        .bind(name.as_str())
        .fetch_optional(&mut *tx)
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
        .bind(user_id)
        .bind(patch.role.map(Role::as_str))
        .bind(patch.may_reveal)
        .bind(patch.password_hash.as_ref().map(|hash| hash.0.as_str()))
        .bind(micros(Timestamp::now()))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        if patch.password_hash.is_some() {
            // A new password ends every session of the user.
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        let updated = required_user(&mut tx, user_id).await?;
        tx.commit().await.map_err(db)?;
        Ok(updated)
    }

    async fn admin_count(&self) -> Result<u64> {
        let mut connection = self.read().await?;
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
        _now: Timestamp,
    ) -> Result<User> {
        let sql = match outcome {
            SignInOutcome::Succeeded => {
                "UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE user_id = $1"
            }
            SignInOutcome::Failed => {
                "UPDATE users SET failed_sign_ins = failed_sign_ins + 1 WHERE user_id = $1"
            }
        };
        let query = sqlx::query(sql).bind(user_id);
        let mut tx = self.write().await?;
        query.execute(&mut *tx).await.map_err(db)?;
        let user = required_user(&mut tx, user_id).await?;
        tx.commit().await.map_err(db)?;
        Ok(user)
    }

    async fn create_session(&self, session: NewSession) -> Result<()> {
        let mut tx = self.write().await?;
        // Expired sessions of anyone go with each new one, so the table stays small.
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(micros(session.created_at))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(&session.token_hash.0)
        .bind(session.user_id)
        .bind(micros(session.created_at))
        .bind(micros(session.expires_at))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn session_user(&self, token_hash: &SecretHash, now: Timestamp) -> Result<Option<User>> {
        let columns: Vec<String> = USER_COLUMNS
            .split(", ")
            .map(|column| format!("u.{column}"))
            .collect();
        let sql = format!(
            "SELECT {} FROM sessions s JOIN users u ON u.user_id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2",
            columns.join(", ")
        );
        let mut connection = self.read().await?;
        let row: Option<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(&token_hash.0)
            .bind(micros(now))
            .fetch_optional(&mut *connection)
            .await
            .map_err(db)?;
        row.map(UserRow::into_user).transpose()
    }

    async fn delete_session(&self, token_hash: &SecretHash) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(&token_hash.0)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)
    }

    async fn create_api_key(&self, key: NewApiKey) -> Result<ApiKey> {
        let key_id = Uuid::now_v7();
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO api_keys (key_id, name, role, key_hash, shown, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(key_id)
        .bind(key.name.as_str())
        .bind(key.role.as_str())
        .bind(&key.key_hash.0)
        .bind(&key.shown)
        .bind(&key.created_by)
        .bind(micros(key.created_at))
        .execute(&mut *tx)
        .await
        .map_err(|e| taken(e, "key", key.name.as_str()))?;
        tx.commit().await.map_err(db)?;
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
        let mut connection = self.read().await?;
        let row: Option<KeyRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(&key_hash.0)
            .fetch_optional(&mut *connection)
            .await
            .map_err(db)?;
        row.map(KeyRow::into_key).transpose()
    }

    async fn api_keys(&self) -> Result<Vec<ApiKey>> {
        // Key ids are UUID v7: descending id is newest first, as on SQLite.
        let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys ORDER BY key_id DESC");
        let mut connection = self.read().await?;
        let rows: Vec<KeyRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut *connection)
            .await
            .map_err(db)?;
        rows.into_iter().map(KeyRow::into_key).collect()
    }

    async fn revoke_api_key(&self, key_id: Uuid, at: Timestamp) -> Result<ApiKey> {
        let sql = format!(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE key_id = $1
             RETURNING {KEY_COLUMNS}"
        );
        let mut tx = self.write().await?;
        let row: Option<KeyRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(key_id)
            .bind(micros(at))
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
        let key = row
            .ok_or_else(|| Error::not_found("API key", key_id))?
            .into_key()?;
        tx.commit().await.map_err(db)?;
        Ok(key)
    }
}

#[async_trait]
impl AuditStore for PostgresDb {
    async fn append_audit(&self, entry: NewAuditEntry) -> Result<AuditEntry> {
        let mut tx = self.write().await?;
        let appended = audit::append(&mut tx, entry).await?;
        tx.commit().await.map_err(db)?;
        Ok(appended)
    }

    async fn settle_audit(&self, entry_id: i64, outcome: &AuditOutcome) -> Result<()> {
        // A row update outside the write lock: it orders nothing and other writers need not wait.
        let mut connection = self.read().await?;
        audit::settle(&mut connection, entry_id, outcome).await
    }

    async fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let mut connection = self.read().await?;
        audit::entries(&mut connection, query).await
    }
}
