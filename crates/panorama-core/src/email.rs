//! `Email`: an address checked against RFC 5322 plus our rule that the domain holds a dot.

use crate::error::{Error, Result, codes};
use std::fmt;

/// A valid email address, trimmed, its domain lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Parse an address. The local part keeps its case (some servers honour it) while matching
    /// uses [`Email::match_key`], which folds it.
    pub fn parse(input: &str) -> Result<Self> {
        let invalid = |why: &str| {
            Error::invalid(
                codes::INVALID_EMAIL,
                format!("not a valid email address: {why}"),
                "email",
                input,
            )
        };
        let trimmed = input.trim();
        let Some((local, domain)) = trimmed.rsplit_once('@') else {
            return Err(invalid("it has no @"));
        };
        if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
            return Err(invalid("the domain needs a dot, as in example.com"));
        }
        let normalised = format!("{local}@{}", domain.to_lowercase());
        if !email_address::EmailAddress::is_valid(&normalised) {
            return Err(invalid("it breaks the address rules of RFC 5322"));
        }
        Ok(Self(normalised))
    }

    /// The address as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_case_and_spaces_do_not_matter() {
        let a = Email::parse(" Zoe@Example.COM ").expect("valid");
        assert_eq!(a.as_str(), "Zoe@example.com");
    }

    #[test]
    fn bad_addresses_name_the_value() {
        for input in [
            "zoe@localhost",
            "zoe",
            "zoe@@example.com",
            "@example.com",
            "zoe@example.",
        ] {
            let error = Email::parse(input).expect_err(input);
            assert_eq!(error.code, codes::INVALID_EMAIL, "{input}");
            assert_eq!(error.value.as_deref(), Some(input));
        }
    }
}
