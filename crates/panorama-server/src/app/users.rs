//! The admin acts on users, shared by the API, the `/users` page and the CLI: each checks its
//! input and the rules, records the act in the audit log, then makes it (API keys: `api_keys.rs`).
//!
//! Checks that can fail (a taken name, the last admin) run before the entry is written, so the log
//! does not fill with acts that were refused; what only the store sees (a race) settles the
//! entry as refused.

use crate::audit;
use crate::principal::Principal;
use panorama_core::Store;
use panorama_core::access::{
    AuditAction, NewUser, Password, PasswordHash, Role, User, UserName, UserPatch, last_admin,
};
use panorama_core::{Error, Result, codes};
use serde_json::json;

/// A user to create, as typed.
pub struct UserInput<'a> {
    /// Sign-in name.
    pub name: &'a str,
    /// Role.
    pub role: Role,
    /// Password; `None` generates one.
    pub password: Option<&'a str>,
    /// The reveal right.
    pub may_reveal: bool,
}

/// A change to a user, as typed; `None` keeps a field.
#[derive(Default)]
pub struct UserChange {
    /// New role.
    pub role: Option<Role>,
    /// Grant or withdraw the reveal right.
    pub may_reveal: Option<bool>,
    /// New password.
    pub password: Option<String>,
}

/// Create a user. Returns the generated password when none was given: shown once, never stored.
pub async fn create_user(
    store: &dyn Store,
    principal: &Principal,
    input: UserInput<'_>,
) -> Result<(User, Option<String>)> {
    let name = UserName::parse(input.name, "name")?;
    refuse_viewer_reveal(input.role, input.may_reveal)?;
    let (password, generated) = match input.password {
        Some(text) => (Password::parse(text, "password")?, false),
        None => (Password::generate(), true),
    };
    if store.user_credentials(&name).await?.is_some() {
        return Err(taken("user", name.as_str()));
    }
    let password_hash = hash(password.expose().to_owned()).await?;
    let pending = audit::begin(
        store,
        principal,
        AuditAction::UserCreate,
        Some(name.as_str().to_owned()),
        json!({ "role": input.role.as_str(), "may_reveal": input.may_reveal,
                "password_generated": generated }),
    )
    .await?;
    let created = store
        .create_user(NewUser {
            name,
            role: input.role,
            may_reveal: input.may_reveal,
            password_hash,
            created_at: jiff::Timestamp::now(),
        })
        .await;
    pending.settle(store, &created).await;
    let user = created?;
    Ok((user, generated.then(|| password.expose().to_owned())))
}

/// Change a user's role, reveal right or password. Refuses to leave no admin (409 on `role`) and
/// to grant a viewer the reveal right (422); demoting to viewer withdraws the right.
pub async fn change_user(
    store: &dyn Store,
    principal: &Principal,
    name: &str,
    change: UserChange,
) -> Result<User> {
    let name = UserName::parse(name, "name")?;
    let current = store
        .user_credentials(&name)
        .await?
        .ok_or_else(|| Error::not_found("user", name.as_str()))?
        .user;
    let role = change.role.unwrap_or(current.role);
    let mut may_reveal = change.may_reveal;
    if let Some(true) = may_reveal {
        refuse_viewer_reveal(role, true)?;
    }
    if role == Role::Viewer && current.may_reveal && may_reveal.is_none() {
        may_reveal = Some(false);
    }
    let password = change
        .password
        .as_deref()
        .map(|text| Password::parse(text, "password"))
        .transpose()?;
    // The store enforces this too (race-free); checking first keeps a refused change out of the
    // audit log, which is written before the change.
    if current.role == Role::Admin && role != Role::Admin && store.admin_count().await? <= 1 {
        return Err(last_admin(&name, role));
    }
    let patch = UserPatch {
        role: change.role.filter(|new| *new != current.role),
        may_reveal: may_reveal.filter(|new| *new != current.may_reveal),
        password_hash: match password {
            Some(password) => Some(hash(password.expose().to_owned()).await?),
            None => None,
        },
    };
    if patch.role.is_none() && patch.may_reveal.is_none() && patch.password_hash.is_none() {
        return Ok(current);
    }
    let mut detail = json!({ "password_changed": patch.password_hash.is_some() });
    if let Some(role) = patch.role {
        detail["role"] = json!({ "from": current.role.as_str(), "to": role.as_str() });
    }
    if let Some(may_reveal) = patch.may_reveal {
        detail["may_reveal"] = json!(may_reveal);
    }
    let pending = audit::begin(
        store,
        principal,
        AuditAction::UserChange,
        Some(name.as_str().to_owned()),
        detail,
    )
    .await?;
    let changed = store.update_user(&name, patch).await;
    pending.settle(store, &changed).await;
    changed
}

/// Lift every sign-in delay on user `name` (every client address may try again at once), as an
/// admin's audited act. An unknown name is not found; lifting when nothing waits is recorded too,
/// since the admin asked. The delays are this server's (see `crate::auth`).
pub async fn lift_sign_in_delays(
    store: &dyn Store,
    auth: &crate::auth::Auth,
    principal: &Principal,
    name: &str,
) -> Result<User> {
    let name = UserName::parse(name, "name")?;
    let user = store
        .user_credentials(&name)
        .await?
        .ok_or_else(|| Error::not_found("user", name.as_str()))?
        .user;
    let waiting_until = auth
        .sign_in_delayed_until(name.as_str())
        .map(|until| until.to_string());
    audit::record(
        store,
        principal,
        AuditAction::UserChange,
        Some(name.as_str().to_owned()),
        json!({ "sign_in_delays_lifted": true, "waiting_until": waiting_until }),
    )
    .await?;
    auth.lift_sign_in_delays(name.as_str());
    Ok(user)
}

fn refuse_viewer_reveal(role: Role, may_reveal: bool) -> Result<()> {
    if role == Role::Viewer && may_reveal {
        return Err(Error::invalid(
            codes::INVALID_VALUE,
            "viewers never reveal masked values: make the user a marketer first",
            "may_reveal",
            true,
        ));
    }
    Ok(())
}

/// A name already taken by a `what` (user, key).
pub(super) fn taken(what: &str, name: &str) -> Error {
    Error::conflict(
        codes::DUPLICATE_NAME,
        format!("a {what} named `{name}` already exists"),
        "name",
    )
    .with_value(name)
}

/// Argon2id takes tens of milliseconds of one core: off the async workers.
async fn hash(password: String) -> Result<PasswordHash> {
    tokio::task::spawn_blocking(move || Password::parse(&password, "password")?.hash())
        .await
        .map_err(Error::internal)?
}
