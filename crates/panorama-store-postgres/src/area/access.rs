//! `AccessStore`, `AuditStore` on PostgreSQL.

#![allow(unused_variables)]

use crate::{PostgresStore, not_yet};
use async_trait::async_trait;
use jiff::Timestamp;
use panorama_core::Result;
use panorama_core::access::{
    ApiKey, AuditEntry, AuditQuery, NewApiKey, NewAuditEntry, NewSession, NewUser, SecretHash,
    SignInOutcome, User, UserCredentials, UserName, UserPatch,
};
use panorama_core::store::{AccessStore, AuditStore};
use uuid::Uuid;

#[async_trait]
impl AccessStore for PostgresStore {
    async fn create_user(&self, user: NewUser) -> Result<User> {
        Err(not_yet("create_user"))
    }
    async fn users(&self) -> Result<Vec<User>> {
        Err(not_yet("users"))
    }
    async fn user_credentials(&self, name: &UserName) -> Result<Option<UserCredentials>> {
        Err(not_yet("user_credentials"))
    }
    async fn update_user(&self, name: &UserName, patch: UserPatch) -> Result<User> {
        Err(not_yet("update_user"))
    }
    async fn admin_count(&self) -> Result<u64> {
        Err(not_yet("admin_count"))
    }
    async fn record_sign_in(
        &self,
        user_id: Uuid,
        outcome: SignInOutcome,
        now: Timestamp,
    ) -> Result<User> {
        Err(not_yet("record_sign_in"))
    }
    async fn create_session(&self, session: NewSession) -> Result<()> {
        Err(not_yet("create_session"))
    }
    async fn session_user(&self, token_hash: &SecretHash, now: Timestamp) -> Result<Option<User>> {
        Err(not_yet("session_user"))
    }
    async fn delete_session(&self, token_hash: &SecretHash) -> Result<()> {
        Err(not_yet("delete_session"))
    }
    async fn create_api_key(&self, key: NewApiKey) -> Result<ApiKey> {
        Err(not_yet("create_api_key"))
    }
    async fn api_key(&self, key_hash: &SecretHash) -> Result<Option<ApiKey>> {
        Err(not_yet("api_key"))
    }
    async fn api_keys(&self) -> Result<Vec<ApiKey>> {
        Err(not_yet("api_keys"))
    }
    async fn revoke_api_key(&self, key_id: Uuid, at: Timestamp) -> Result<ApiKey> {
        Err(not_yet("revoke_api_key"))
    }
}

#[async_trait]
impl AuditStore for PostgresStore {
    async fn append_audit(&self, entry: NewAuditEntry) -> Result<AuditEntry> {
        Err(not_yet("append_audit"))
    }
    async fn audit_entries(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        Err(not_yet("audit_entries"))
    }
}
