//! The three roles of PRODUCT.md §8, from least to most powerful.

use crate::error::{Error, Result, codes};
use serde::{Deserialize, Serialize};

/// A role. The order is the order of power: every right of a lower role belongs to the higher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads, with mobiles and emails masked.
    Viewer,
    /// Imports, labels, subscriptions, masked exports.
    Marketer,
    /// Everything: metadata, users, keys, deletes, unmasked exports, the audit log.
    Admin,
}

impl Role {
    /// Every role, least powerful first.
    pub const ALL: [Role; 3] = [Role::Viewer, Role::Marketer, Role::Admin];

    /// The snake_case name, as stored and as the API and the CLI spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Marketer => "marketer",
            Self::Admin => "admin",
        }
    }

    /// Parse a role name; the error names `field` and lists the roles.
    pub fn parse(text: &str, field: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|role| role.as_str() == text.trim())
            .ok_or_else(|| {
                Error::invalid(
                    codes::INVALID_VALUE,
                    format!("`{text}` is not a role; use admin, marketer or viewer"),
                    field,
                    text,
                )
            })
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_and_order() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str(), "role").ok(), Some(role));
        }
        assert!(Role::Viewer < Role::Marketer && Role::Marketer < Role::Admin);
        let refused = Role::parse("root", "role").expect_err("not a role");
        assert_eq!(refused.field.as_deref(), Some("role"));
    }
}
