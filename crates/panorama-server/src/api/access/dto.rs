//! The JSON shapes of the access routes: roles, users, API keys, audit entries.
//!
//! Secrets leave the server only in the two `Created*` answers, once; the list shapes never
//! carry a password, a key or a hash.

use panorama_core::access::{ApiKey, AuditEntry, AuditOutcome, Role, User};
use panorama_core::value::format_timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use utoipa::ToSchema;

/// A role, from least to most powerful.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoleDto {
    /// Reads, with mobiles and emails masked.
    Viewer,
    /// Imports, labels, subscriptions, masked exports.
    Marketer,
    /// Everything: metadata, users, keys, deletes, unmasked exports, the audit log.
    Admin,
}

impl RoleDto {
    /// The role named `name` (`viewer`, `marketer`, `admin`); anything else reads as the least
    /// powerful, so a name this server does not know can never grant more.
    pub fn from_name(name: &str) -> Self {
        match name {
            "admin" => Self::Admin,
            "marketer" => Self::Marketer,
            _ => Self::Viewer,
        }
    }
}

impl From<Role> for RoleDto {
    fn from(role: Role) -> Self {
        Self::from_name(role.as_str())
    }
}

impl From<RoleDto> for Role {
    fn from(role: RoleDto) -> Self {
        match role {
            RoleDto::Viewer => Role::Viewer,
            RoleDto::Marketer => Role::Marketer,
            RoleDto::Admin => Role::Admin,
        }
    }
}

/// The acting principal, as the server sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeDto {
    /// User name, `key:NAME` for an API key, or `local-admin`.
    pub name: String,
    /// Role.
    pub role: RoleDto,
    /// Whether an admin granted the reveal right.
    pub may_reveal: bool,
    /// Whether mobiles and emails are shown as stored (admins only).
    pub sees_unmasked: bool,
    /// Whether this principal may reveal one masked value at a time (audited).
    pub can_reveal: bool,
}

/// A user, without any password.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserDto {
    /// Stable id (UUID v7).
    pub user_id: String,
    /// Sign-in name, lower case.
    pub name: String,
    /// Role.
    pub role: RoleDto,
    /// Granted the right to reveal masked values (counts for marketers only).
    pub may_reveal: bool,
    /// Until when some client address must wait before trying this name again after too many
    /// wrong passwords (RFC 3339), if one must; other addresses sign in as usual.
    pub locked_until: Option<String>,
    /// When the user was created (RFC 3339).
    pub created_at: String,
}

impl From<User> for UserDto {
    fn from(user: User) -> Self {
        Self {
            user_id: user.user_id.to_string(),
            name: user.name.as_str().to_owned(),
            role: user.role.into(),
            may_reveal: user.may_reveal,
            locked_until: user.locked_until.map(format_timestamp),
            created_at: format_timestamp(user.created_at),
        }
    }
}

/// A user to create. Without `password` the server generates one and answers it once.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserDto {
    /// 1 to 64 of `a-z 0-9 . _ - @` (stored in lower case).
    pub name: String,
    /// Role.
    pub role: RoleDto,
    /// 10 to 256 characters; omit to have one generated.
    #[serde(default)]
    pub password: Option<String>,
    /// Grant the reveal right (marketers; refused for viewers).
    #[serde(default)]
    pub may_reveal: Option<bool>,
}

/// A created user, with the generated password if the server made one: shown this once only.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreatedUserDto {
    /// The user.
    #[serde(flatten)]
    pub user: UserDto,
    /// The generated password, present only when none was sent. It is not stored in clear and
    /// cannot be read again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// A change to a user; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatchDto {
    /// New role. The last admin cannot lose the role (409).
    #[serde(default)]
    pub role: Option<RoleDto>,
    /// Grant or withdraw the reveal right (viewers never reveal: 422).
    #[serde(default)]
    pub may_reveal: Option<bool>,
    /// New password: ends the user's sessions.
    #[serde(default)]
    pub password: Option<String>,
}

/// An API key, without the key.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiKeyDto {
    /// Stable id (UUID v7), used to revoke it.
    pub key_id: String,
    /// Name, unique among keys.
    pub name: String,
    /// What requests with this key may do.
    pub role: RoleDto,
    /// The key's first characters, to tell keys apart (`pnk_3f9a1c`).
    pub shown: String,
    /// Who created it.
    pub created_by: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// When it was revoked (RFC 3339); a revoked key authenticates nothing.
    pub revoked_at: Option<String>,
}

impl From<ApiKey> for ApiKeyDto {
    fn from(key: ApiKey) -> Self {
        Self {
            key_id: key.key_id.to_string(),
            name: key.name.as_str().to_owned(),
            role: key.role.into(),
            shown: key.shown,
            created_by: key.created_by,
            created_at: format_timestamp(key.created_at),
            revoked_at: key.revoked_at.map(format_timestamp),
        }
    }
}

/// An API key to create.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApiKeyDto {
    /// 1 to 64 of `a-z 0-9 . _ - @`, unique among keys.
    pub name: String,
    /// Role of requests made with the key.
    pub role: RoleDto,
}

/// A created key with the key in clear: shown this once only, then never again.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreatedApiKeyDto {
    /// The key's record.
    #[serde(flatten)]
    pub api_key: ApiKeyDto,
    /// The key, to send as `Authorization: Bearer KEY`. Only its hash is stored.
    pub key: String,
}

/// One entry of the audit log.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEntryDto {
    /// Position in the log, strictly increasing.
    pub entry_id: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who: a user name, `key:NAME`, `cli:NAME` or `local-admin`.
    pub actor: String,
    /// What (`export`, `delete`, `merge`, `metadata_change`, ...).
    pub action: String,
    /// To what: a contact id, a user, a key, an attribute, a job.
    pub target: Option<String>,
    /// The rest: counts, filters, names; never a secret or a revealed value.
    #[schema(value_type = Object)]
    pub detail: Json,
    /// How the act ended: `succeeded`, `refused` (nothing was changed), or null when not known
    /// (the entry is written before its act; an outcome that could not be written, or an entry
    /// older than outcomes, stays null).
    pub outcome: Option<AuditOutcomeDto>,
    /// Why it was refused: the refusal's error code (`not_found`, `merge_not_undoable`, ...).
    pub reason: Option<String>,
}

/// How an audited act ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcomeDto {
    /// The act was made.
    Succeeded,
    /// The act was refused; nothing was changed.
    Refused,
}

impl From<AuditEntry> for AuditEntryDto {
    fn from(entry: AuditEntry) -> Self {
        Self {
            entry_id: entry.entry_id,
            at: format_timestamp(entry.entry.at),
            actor: entry.entry.actor,
            action: entry.entry.action.as_str().to_owned(),
            target: entry.entry.target,
            detail: entry.entry.detail,
            outcome: entry.outcome.as_ref().map(|outcome| match outcome {
                AuditOutcome::Succeeded => AuditOutcomeDto::Succeeded,
                AuditOutcome::Refused { .. } => AuditOutcomeDto::Refused,
            }),
            reason: entry
                .outcome
                .as_ref()
                .and_then(|outcome| outcome.reason().map(str::to_owned)),
        }
    }
}

/// One page of the audit log, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditPageDto {
    /// The entries.
    pub entries: Vec<AuditEntryDto>,
    /// Pass as `before` for older entries; absent on the last page.
    pub next_before: Option<i64>,
}
