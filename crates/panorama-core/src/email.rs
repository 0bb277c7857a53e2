//! `Email`: an address checked against RFC 5322 plus our rules that the domain holds a dot and
//! that the local part holds no symbols beyond ASCII.
//!
//! The local part is RFC 5322's (a dot-atom, or a quoted string) extended as RFC 6531 allows
//! for internationalised mail, but only with letters and digits: `张伟@example.com` and
//! `zoë@example.com` are addresses, `😀@example.com` is not. Mail systems that accept UTF-8
//! local parts do so for names in any script; a pictograph, a symbol or an invisible character
//! there is a typo or a probe.

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
        if let Some(c) = local
            .chars()
            .find(|c| !c.is_ascii() && !c.is_alphanumeric())
        {
            return Err(invalid(&format!(
                "its local part may hold letters and digits of any script but not U+{:04X}",
                u32::from(c)
            )));
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
    fn local_parts_hold_letters_of_any_script_but_no_symbols() {
        assert!(Email::parse("张伟@example.com").is_ok());
        assert!(Email::parse("zoë.li@example.com").is_ok());
        for input in [
            "😀@example.com",
            "a★b@example.com",
            "zoe\u{200b}@example.com",
        ] {
            let error = Email::parse(input).expect_err(input);
            assert_eq!(error.code, codes::INVALID_EMAIL, "{input}");
            assert!(error.detail.contains("U+"), "{}", error.detail);
        }
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
