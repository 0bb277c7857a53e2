//! `Mobile`: a phone number parsed once at the edge and kept in E.164 (`+8613812345678`).

use crate::error::{Error, Result, codes};
use phonenumber::country;
use std::fmt;
use std::str::FromStr;

/// The country whose dialling rules apply to numbers written without a country code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefaultCountry(country::Id);

impl DefaultCountry {
    /// Mainland China, the default of PRODUCT.md §1.
    pub const CHINA: Self = Self(country::Id::CN);

    /// Parse an ISO 3166-1 alpha-2 code such as `CN` or `us`.
    pub fn parse(code: &str) -> Result<Self> {
        country::Id::from_str(&code.trim().to_ascii_uppercase())
            .map(Self)
            .map_err(|_| {
                Error::invalid(
                    codes::INVALID_VALUE,
                    "the default country must be an ISO 3166-1 two-letter code such as CN",
                    "default_country",
                    code,
                )
            })
    }
}

impl Default for DefaultCountry {
    fn default() -> Self {
        Self::CHINA
    }
}

/// A valid phone number in E.164 form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mobile(String);

impl Mobile {
    /// Parse what a person typed: spaces, dashes, dots and brackets are ignored; `+86`, `0086`
    /// or nothing before a mainland number all give the same result.
    pub fn parse(input: &str, default_country: DefaultCountry) -> Result<Self> {
        let invalid = || {
            Error::invalid(
                codes::INVALID_MOBILE,
                "not a valid mobile number: expected digits with an optional country code, such as 13812345678 or +86 138 1234 5678",
                "mobile",
                input,
            )
        };
        let cleaned: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '\u{3000}'))
            .collect();
        let well_formed = cleaned
            .strip_prefix('+')
            .unwrap_or(&cleaned)
            .chars()
            .all(|c| c.is_ascii_digit());
        if cleaned.is_empty() || !well_formed || cleaned.len() > 20 {
            return Err(invalid());
        }
        let number =
            phonenumber::parse(Some(default_country.0), &cleaned).map_err(|_| invalid())?;
        if !phonenumber::is_valid(&number) {
            return Err(invalid());
        }
        Ok(Self(
            number.format().mode(phonenumber::Mode::E164).to_string(),
        ))
    }

    /// The E.164 text, `+` and digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Mobile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cn(input: &str) -> Result<String> {
        Mobile::parse(input, DefaultCountry::CHINA).map(|m| m.0)
    }

    #[test]
    fn mainland_spellings_are_one_number() {
        for input in [
            "138 1234 5678",
            "+86 138-1234-5678",
            "008613812345678",
            "13812345678",
            " +8613812345678 ",
        ] {
            assert_eq!(cn(input).as_deref(), Ok("+8613812345678"), "{input}");
        }
    }

    #[test]
    fn other_countries_keep_their_code() {
        assert_eq!(cn("+1 415 555 2671").as_deref(), Ok("+14155552671"));
        let us = DefaultCountry::parse("us").expect("US is a country");
        assert_eq!(
            Mobile::parse("(415) 555-2671", us).map(|m| m.0).as_deref(),
            Ok("+14155552671")
        );
    }

    #[test]
    fn garbage_is_rejected_with_the_value() {
        for input in ["", "abc", "12345", "1381234567x", "+86 000 0000 0000"] {
            let error = cn(input).expect_err(input);
            assert_eq!(error.code, codes::INVALID_MOBILE);
            assert_eq!(error.value.as_deref(), Some(input));
        }
    }

    #[test]
    fn unknown_country_code_is_rejected() {
        assert!(DefaultCountry::parse("XX").is_err());
    }
}
