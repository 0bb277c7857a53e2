//! Audit-log entries: who did which sensitive act, to what, when. Entries are only ever
//! appended; no route and no store method changes or removes one.

use crate::error::{Error, Result, codes};
use jiff::Timestamp;
use serde_json::Value as Json;

/// Most entries one page of the audit log holds.
pub const AUDIT_PAGE_ENTRIES_MAX: usize = 500;

/// The acts the audit log records (PRODUCT.md §8, issue 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    /// A good password.
    SignIn,
    /// A wrong password, an unknown name or a locked account.
    SignInFailed,
    /// A session ended by its user.
    SignOut,
    /// Contacts exported (API, page or CLI).
    Export,
    /// Contacts deleted (one, a bulk action, or a delete import).
    Delete,
    /// Contacts merged by a write, or a merge undone.
    Merge,
    /// An attribute or event definition added, changed or deleted.
    MetadataChange,
    /// An import started.
    ImportStart,
    /// An API key created.
    ApiKeyCreate,
    /// An API key revoked.
    ApiKeyRevoke,
    /// A masked value shown in clear.
    Reveal,
    /// A user created.
    UserCreate,
    /// A user's role, reveal right or password changed.
    UserChange,
}

impl AuditAction {
    /// Every action, in the order the page lists them.
    pub const ALL: [AuditAction; 13] = [
        Self::SignIn,
        Self::SignInFailed,
        Self::SignOut,
        Self::Export,
        Self::Delete,
        Self::Merge,
        Self::MetadataChange,
        Self::ImportStart,
        Self::ApiKeyCreate,
        Self::ApiKeyRevoke,
        Self::Reveal,
        Self::UserCreate,
        Self::UserChange,
    ];

    /// The snake_case name, as stored and filtered on.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignIn => "sign_in",
            Self::SignInFailed => "sign_in_failed",
            Self::SignOut => "sign_out",
            Self::Export => "export",
            Self::Delete => "delete",
            Self::Merge => "merge",
            Self::MetadataChange => "metadata_change",
            Self::ImportStart => "import_start",
            Self::ApiKeyCreate => "api_key_create",
            Self::ApiKeyRevoke => "api_key_revoke",
            Self::Reveal => "reveal",
            Self::UserCreate => "user_create",
            Self::UserChange => "user_change",
        }
    }

    /// Parse an action name; the error names `field`.
    pub fn parse(text: &str, field: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|action| action.as_str() == text)
            .ok_or_else(|| {
                Error::invalid(
                    codes::INVALID_VALUE,
                    format!("`{text}` is not an audited action"),
                    field,
                    text,
                )
            })
    }
}

/// An entry to append.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAuditEntry {
    /// When it happened.
    pub at: Timestamp,
    /// Who: `user:NAME`, `key:NAME` or `cli:NAME`.
    pub actor: String,
    /// What.
    pub action: AuditAction,
    /// To what (a contact id, a user, a key, a file), when there is one.
    pub target: Option<String>,
    /// The rest, as JSON (counts, filters, the attribute revealed); never a revealed value or a
    /// secret.
    pub detail: Json,
}

/// How an audited act ended. An entry is appended before its act (an act that cannot be
/// recorded does not happen) with no outcome, and the outcome is set once when the act ends: the
/// only change the log allows, from nothing to one of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditOutcome {
    /// The act was made.
    Succeeded,
    /// The act was refused and nothing was changed; `reason` is the refusal's stable error code
    /// (`not_found`, `merge_not_undoable`, ...).
    Refused {
        /// Why, as an error code.
        reason: String,
    },
}

impl AuditOutcome {
    /// `succeeded` or `refused`, as stored and shown.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::Refused { .. } => "refused",
        }
    }

    /// The refusal's reason, if refused.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::Succeeded => None,
            Self::Refused { reason } => Some(reason),
        }
    }

    /// Read a stored outcome and reason back; `None` for an entry whose act has not ended (or
    /// whose outcome could not be written, or from before outcomes were kept).
    pub fn stored(outcome: Option<&str>, reason: Option<String>) -> Option<Self> {
        match outcome? {
            "succeeded" => Some(Self::Succeeded),
            _ => Some(Self::Refused {
                reason: reason.unwrap_or_default(),
            }),
        }
    }
}

/// A recorded entry.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// Position in the log: strictly increasing.
    pub entry_id: i64,
    /// The entry as appended.
    pub entry: NewAuditEntry,
    /// How the act ended; `None` while unknown.
    pub outcome: Option<AuditOutcome>,
}

/// Which entries to read, newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Only this action.
    pub action: Option<AuditAction>,
    /// Only this actor.
    pub actor: Option<String>,
    /// Only entries older than this id (the previous page's last).
    pub before: Option<i64>,
    /// At most this many (capped at [`AUDIT_PAGE_ENTRIES_MAX`]).
    pub limit: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_round_trip() {
        for action in AuditAction::ALL {
            assert_eq!(
                AuditAction::parse(action.as_str(), "action").ok(),
                Some(action)
            );
        }
        assert!(AuditAction::parse("nap", "action").is_err());
    }
}
