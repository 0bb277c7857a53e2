//! Who may act, and the trace of what they did: roles, users and their passwords, API keys and
//! session tokens (random secrets stored only as hashes), and audit-log entries (PRODUCT.md §8).
//!
//! The rules live here; the store keeps the rows and the server turns credentials into a
//! principal.

mod audit;
mod password;
mod role;
mod secret;
mod user;

pub use audit::{
    AUDIT_PAGE_ENTRIES_MAX, AuditAction, AuditEntry, AuditOutcome, AuditQuery, NewAuditEntry,
};
pub use password::{PASSWORD_CHARS_MAX, PASSWORD_CHARS_MIN, Password, PasswordHash};
pub use role::Role;
pub use secret::{API_KEY_PREFIX, SESSION_PREFIX, Secret, SecretHash};
pub use user::{
    ApiKey, ApiKeyName, NewApiKey, NewSession, NewUser, SignInOutcome, User, UserCredentials,
    UserName, UserPatch, last_admin,
};
