//! What a bulk action is: its action and the role it needs, and its job's kind (options and
//! counts typed in core, the selection's filter the list's own).

use crate::app::filter::ContactFilter;
use crate::principal::Role;
use panorama_core::store::{BulkKind, Job};
use panorama_core::{Error, Result, codes};
use serde::{Deserialize, Serialize};

/// What a bulk action does to each selected contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BulkAction {
    /// Delete the contact with everything it owns.
    Delete,
    /// Put a contact label on it.
    AddLabel,
    /// Take a contact label off it.
    RemoveLabel,
}

impl BulkAction {
    /// The snake_case name, stored as the job's purpose.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Delete => "delete",
            Self::AddLabel => "add_label",
            Self::RemoveLabel => "remove_label",
        }
    }

    /// Parse the snake_case name; `field` names where it came from in an error.
    pub fn parse(text: &str, field: &str) -> Result<Self> {
        match text.trim() {
            "delete" => Ok(Self::Delete),
            "add_label" => Ok(Self::AddLabel),
            "remove_label" => Ok(Self::RemoveLabel),
            _ => Err(Error::invalid(
                codes::INVALID_VALUE,
                "the action is `delete`, `add_label` or `remove_label`",
                field,
                text,
            )),
        }
    }

    /// The role it needs (PRODUCT.md §8): deleting is for admins, labels for marketers.
    pub fn role(self) -> Role {
        match self {
            Self::Delete => Role::Admin,
            Self::AddLabel | Self::RemoveLabel => Role::Marketer,
        }
    }

    /// Whether the action needs a `label_id`.
    pub fn needs_label(self) -> bool {
        !matches!(self, Self::Delete)
    }
}

/// The kind of bulk-action jobs, their selection recorded with the list's own filter.
pub type Bulk = BulkKind<ContactFilter>;
/// A bulk job's options as recorded: the label, and exactly one of the ids or the filter.
pub type BulkOptions = panorama_core::store::BulkOptions<ContactFilter>;
/// A bulk-action job.
pub type BulkJob = Job<Bulk>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::principal::Principal;

    #[test]
    fn actions_need_their_roles() {
        let viewer = Principal {
            name: "v".into(),
            role: Role::Viewer,
            may_reveal: false,
        };
        let marketer = Principal {
            name: "m".into(),
            role: Role::Marketer,
            may_reveal: false,
        };
        for action in [
            BulkAction::Delete,
            BulkAction::AddLabel,
            BulkAction::RemoveLabel,
        ] {
            let refused = viewer
                .require(action.role())
                .expect_err("viewers change nothing");
            assert_eq!(refused.status.as_u16(), 403);
            assert_eq!(BulkAction::parse(action.as_str(), "action"), Ok(action));
        }
        assert!(marketer.require(BulkAction::AddLabel.role()).is_ok());
        assert!(marketer.require(BulkAction::Delete.role()).is_err());
        let bad = BulkAction::parse("erase", "action").expect_err("unknown action");
        assert_eq!(
            (bad.field.as_deref(), bad.value.as_deref()),
            (Some("action"), Some("erase"))
        );
    }
}
