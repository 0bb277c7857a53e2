//! The admin acts on API keys, shared by the API, the `/users` page and the CLI: each checks its
//! input, records the act in the audit log, then makes it. The key in clear is shown once only.

use super::users::taken;
use crate::audit;
use crate::principal::Principal;
use panorama_core::Store;
use panorama_core::access::{
    API_KEY_PREFIX, ApiKey, ApiKeyName, AuditAction, NewApiKey, Role, Secret,
};
use panorama_core::{Error, Result};
use serde_json::json;

/// Create an API key for `role`. Returns the key in clear with its record: shown once only.
pub async fn create_key(
    store: &dyn Store,
    principal: &Principal,
    name: &str,
    role: Role,
) -> Result<(ApiKey, Secret)> {
    let name = ApiKeyName::parse(name, "name")?;
    let keys = store.api_keys().await?;
    if keys.iter().any(|key| key.name == name) {
        return Err(taken("key", name.as_str()));
    }
    let secret = Secret::generate(API_KEY_PREFIX);
    let pending = audit::begin(
        store,
        principal,
        AuditAction::ApiKeyCreate,
        Some(name.as_str().to_owned()),
        json!({ "role": role.as_str(), "shown": secret.shown() }),
    )
    .await?;
    let created = store
        .create_api_key(NewApiKey {
            name,
            role,
            key_hash: secret.hash(),
            shown: secret.shown(),
            created_by: principal.name.clone(),
            created_at: jiff::Timestamp::now(),
        })
        .await;
    pending.settle(store, &created).await;
    Ok((created?, secret))
}

/// Revoke a key by id. Revoking a revoked key changes nothing and records nothing.
pub async fn revoke_key(store: &dyn Store, principal: &Principal, key_id: &str) -> Result<ApiKey> {
    let id =
        uuid::Uuid::parse_str(key_id.trim()).map_err(|_| Error::not_found("API key", key_id))?;
    let key = store
        .api_keys()
        .await?
        .into_iter()
        .find(|key| key.key_id == id)
        .ok_or_else(|| Error::not_found("API key", key_id))?;
    if key.revoked_at.is_some() {
        return Ok(key);
    }
    let detail = json!({ "key_id": id.to_string(), "shown": key.shown, "role": key.role.as_str() });
    let target = Some(key.name.as_str().to_owned());
    let revoke = store.revoke_api_key(id, jiff::Timestamp::now());
    audit::audited(
        store,
        principal,
        AuditAction::ApiKeyRevoke,
        target,
        detail,
        revoke,
    )
    .await
}
