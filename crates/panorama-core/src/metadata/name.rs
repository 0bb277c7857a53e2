//! `MachineName`: the ASCII snake_case names of attributes and event definitions.

use crate::error::{Error, Result, codes};
use crate::text::{TextKind, check_text};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest machine name, in bytes.
pub const MACHINE_NAME_BYTES_MAX: usize = 64;
/// Longest display name, in characters.
pub const DISPLAY_NAME_CHARS_MAX: usize = 64;

/// An ASCII snake_case name: a lower-case letter, then lower-case letters, digits and `_`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MachineName(String);

impl MachineName {
    /// Parse a name; `field` names the input in the error.
    pub fn parse(input: &str, field: &str) -> Result<Self> {
        check_text(input, field, TextKind::SingleLine)?;
        let mut chars = input.chars();
        let starts_well = chars.next().is_some_and(|c| c.is_ascii_lowercase());
        let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !starts_well || !rest_ok || input.len() > MACHINE_NAME_BYTES_MAX {
            return Err(Error::invalid(
                codes::INVALID_NAME,
                format!(
                    "a machine name is ASCII snake_case: a lower-case letter, then lower-case letters, digits or _, at most {MACHINE_NAME_BYTES_MAX} characters"
                ),
                field,
                input,
            ));
        }
        Ok(Self(input.to_owned()))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for MachineName {
    type Error = Error;
    fn try_from(value: String) -> Result<Self> {
        Self::parse(&value, "name")
    }
}

impl From<MachineName> for String {
    fn from(value: MachineName) -> Self {
        value.0
    }
}

impl fmt::Display for MachineName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

/// Check a display name: trimmed, 1 to [`DISPLAY_NAME_CHARS_MAX`] characters, any script.
pub fn parse_display_name(input: &str) -> Result<String> {
    let trimmed = input.trim();
    check_text(trimmed, "display_name", TextKind::SingleLine)?;
    let chars = trimmed.chars().count();
    if chars == 0 || chars > DISPLAY_NAME_CHARS_MAX {
        return Err(Error::invalid(
            codes::INVALID_NAME,
            format!(
                "a display name has 1 to {DISPLAY_NAME_CHARS_MAX} characters and no control characters"
            ),
            "display_name",
            input,
        ));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_only() {
        assert!(MachineName::parse("member_level2", "name").is_ok());
        for bad in ["", "Member", "2x", "a-b", "名字", "_x", &"a".repeat(65)] {
            let error = MachineName::parse(bad, "name").expect_err(bad);
            assert_eq!(error.code, codes::INVALID_NAME);
        }
    }

    #[test]
    fn display_names_may_be_chinese() {
        assert_eq!(parse_display_name(" 会员等级 ").as_deref(), Ok("会员等级"));
        assert!(parse_display_name("   ").is_err());
    }
}
