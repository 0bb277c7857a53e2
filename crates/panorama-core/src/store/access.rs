//! `AccessStore` and `AuditStore`: users, sessions and API keys; the append-only audit log.

use crate::access::{
    ApiKey, AuditEntry, AuditOutcome, AuditQuery, NewApiKey, NewAuditEntry, NewSession, NewUser,
    SecretHash, SignInOutcome, User, UserCredentials, UserName, UserPatch,
};
use crate::error::Result;
use async_trait::async_trait;
use jiff::Timestamp;
use uuid::Uuid;

/// Users, their sessions, and API keys: one store area of [`super::Store`].
#[async_trait]
pub trait AccessStore: Send + Sync {
    /// Create a user; a taken name is a conflict naming `name`.
    async fn create_user(&self, user: NewUser) -> Result<User>;
    /// Every user, by name.
    async fn users(&self) -> Result<Vec<User>>;
    /// A user and their password hash, for sign-in.
    async fn user_credentials(&self, name: &UserName) -> Result<Option<UserCredentials>>;
    /// Change a user; an unknown name is not found. A new password ends their sessions and lifts
    /// a lock.
    async fn update_user(&self, name: &UserName, patch: UserPatch) -> Result<User>;
    /// How many admins exist (`serve` refuses to start without one).
    async fn admin_count(&self) -> Result<u64>;
    /// Count a sign-in attempt in one transaction: a success clears the failures (and any lock
    /// an earlier version set), a failure adds one. Returns the user as it now is.
    async fn record_sign_in(
        &self,
        user_id: Uuid,
        outcome: SignInOutcome,
        now: Timestamp,
    ) -> Result<User>;
    /// Record a new session.
    async fn create_session(&self, session: NewSession) -> Result<()>;
    /// The user a session token's hash belongs to, if it exists and has not expired at `now`.
    async fn session_user(&self, token_hash: &SecretHash, now: Timestamp) -> Result<Option<User>>;
    /// End a session (signing out); ending an unknown one is no error.
    async fn delete_session(&self, token_hash: &SecretHash) -> Result<()>;
    /// Record an API key; a taken name is a conflict naming `name`.
    async fn create_api_key(&self, key: NewApiKey) -> Result<ApiKey>;
    /// The unrevoked key with this hash.
    async fn api_key(&self, key_hash: &SecretHash) -> Result<Option<ApiKey>>;
    /// Every key, revoked ones too, newest first.
    async fn api_keys(&self) -> Result<Vec<ApiKey>>;
    /// Revoke a key by id; unknown is not found, revoking twice keeps the first time.
    async fn revoke_api_key(&self, key_id: Uuid, at: Timestamp) -> Result<ApiKey>;
}

/// The audit log: one store area of [`super::Store`]. There is no method to change or remove
/// an entry, and the backends refuse such writes in the database too.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Append an entry, its outcome not yet known.
    async fn append_audit(&self, entry: NewAuditEntry) -> Result<AuditEntry>;
    /// Set the outcome of entry `entry_id` once its act has ended. Only an entry without an
    /// outcome takes one (the database refuses any other change); settling a settled or unknown
    /// entry changes nothing.
    async fn settle_audit(&self, entry_id: i64, outcome: &AuditOutcome) -> Result<()>;
    /// Entries matching `query`, newest first.
    async fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>>;
}
