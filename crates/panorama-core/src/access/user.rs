//! Users: names checked at the edge, their role, the reveal right, and their count of wrong
//! passwords. (Sign-in delays are per name and client address, kept by the server.)

use super::password::PasswordHash;
use super::role::Role;
use super::secret::SecretHash;
use crate::error::{Error, Result, codes};
use jiff::Timestamp;
use uuid::Uuid;

/// Most characters in a user or API key name.
const NAME_CHARS_MAX: usize = 64;

/// A user's sign-in name: 1 to 64 of `a-z 0-9 . _ - @`, stored in lower case so that `Li.Na`
/// and `li.na` are one user.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserName(String);

impl UserName {
    /// Parse a name; the error names `field` and the value.
    pub fn parse(text: &str, field: &str) -> Result<Self> {
        parse_name(text, field, "user").map(Self)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Check a user or key name: lower-cased, then 1 to 64 characters of `a-z 0-9 . _ - @`.
pub(super) fn parse_name(text: &str, field: &str, what: &str) -> Result<String> {
    crate::text::check_text(text.trim(), field, crate::text::TextKind::SingleLine)?;
    let name = text.trim().to_lowercase();
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_@".contains(c);
    if name.is_empty() || name.chars().count() > NAME_CHARS_MAX || !name.chars().all(allowed) {
        return Err(Error::invalid(
            codes::INVALID_NAME,
            format!(
                "a {what} name has 1 to {NAME_CHARS_MAX} characters of a-z, 0-9, `.`, `_`, `-` and `@`"
            ),
            field,
            text,
        ));
    }
    Ok(name)
}

/// The refusal of a change that would leave no admin: nobody could manage users any more.
pub fn last_admin(name: &UserName, role: Role) -> Error {
    Error::conflict(
        codes::LAST_ADMIN,
        format!(
            "`{}` is the last admin: make another user admin first",
            name.as_str()
        ),
        "role",
    )
    .with_value(role)
}

/// A stored user, without the password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Stable id (UUID v7).
    pub user_id: Uuid,
    /// Sign-in name.
    pub name: UserName,
    /// What the user may do.
    pub role: Role,
    /// Granted by an admin: may reveal one masked value at a time (audited). Only counts for
    /// marketers; admins see everything and viewers never reveal.
    pub may_reveal: bool,
    /// Wrong passwords since the last good one (for admins to read; nothing is locked by it).
    pub failed_sign_ins: u32,
    /// Until when an account lock of earlier versions ran. No longer set nor obeyed: a lock let
    /// anyone lock anyone out, so wrong passwords now delay only the address that typed them.
    pub locked_until: Option<Timestamp>,
    /// When the user was created.
    pub created_at: Timestamp,
}

/// A user with the hash their password is checked against.
#[derive(Debug, Clone)]
pub struct UserCredentials {
    /// The user.
    pub user: User,
    /// Their password's hash.
    pub password_hash: PasswordHash,
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Sign-in name (unique).
    pub name: UserName,
    /// Role.
    pub role: Role,
    /// The reveal right.
    pub may_reveal: bool,
    /// Hash of the initial password.
    pub password_hash: PasswordHash,
    /// Creation time.
    pub created_at: Timestamp,
}

/// A change to a user; `None` keeps a field.
#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    /// New role.
    pub role: Option<Role>,
    /// Grant or withdraw the reveal right.
    pub may_reveal: Option<bool>,
    /// New password hash (also lifts a lock and ends the user's sessions).
    pub password_hash: Option<PasswordHash>,
}

/// What a sign-in attempt did, for the store to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInOutcome {
    /// The right password: the count of failures starts again.
    Succeeded,
    /// A wrong password: counted, nothing more.
    Failed,
}

/// A session to record: the hash of the cookie's token, never the token.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// Hash of the session token.
    pub token_hash: SecretHash,
    /// Whose session.
    pub user_id: Uuid,
    /// When it was opened.
    pub created_at: Timestamp,
    /// When it stops working, whatever happens.
    pub expires_at: Timestamp,
}

/// An API key's name: the same characters as a user name, unique among keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ApiKeyName(String);

impl ApiKeyName {
    /// Parse a key name; the error names `field` and the value.
    pub fn parse(text: &str, field: &str) -> Result<Self> {
        parse_name(text, field, "key").map(Self)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A stored API key: its hash and its role, never the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// Stable id (UUID v7).
    pub key_id: Uuid,
    /// Name, unique among keys.
    pub name: ApiKeyName,
    /// What requests with this key may do (masking follows the role).
    pub role: Role,
    /// The first characters of the key, to tell keys apart.
    pub shown: String,
    /// Who created it.
    pub created_by: String,
    /// When.
    pub created_at: Timestamp,
    /// When it was revoked; a revoked key authenticates nothing.
    pub revoked_at: Option<Timestamp>,
}

/// A key to record.
#[derive(Debug, Clone)]
pub struct NewApiKey {
    /// Name.
    pub name: ApiKeyName,
    /// Role.
    pub role: Role,
    /// Hash of the key.
    pub key_hash: SecretHash,
    /// Its first characters.
    pub shown: String,
    /// Who creates it.
    pub created_by: String,
    /// When.
    pub created_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_lower_cased_and_checked() {
        assert_eq!(
            UserName::parse(" Li.Na@Example ", "name").map(|n| n.0).ok(),
            Some("li.na@example".to_owned())
        );
        for bad in ["", "with space", "名字", &"x".repeat(65)] {
            let refused = UserName::parse(bad, "name").expect_err(bad);
            assert_eq!(refused.field.as_deref(), Some("name"));
        }
        assert!(ApiKeyName::parse("crm-sync", "name").is_ok());
    }
}
