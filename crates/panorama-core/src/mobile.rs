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

/// Most digits of an E.164 number, country code included.
const E164_DIGITS_MAX: usize = 15;

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
        if let Some(national) = mainland_national(&cleaned, default_country) {
            return if mainland_prefix_is_valid(national) {
                Ok(Self(format!("+86{national}")))
            } else {
                Err(invalid())
            };
        }
        // A number with its country code needs no default country, and giving one can break it:
        // phonenumber strips the default country's national prefix from the rest (`+49 1500...`
        // under US loses its `1`), so the stored `+` form would not parse again.
        let country = (!cleaned.starts_with('+')).then_some(default_country.0);
        let number = phonenumber::parse(country, &cleaned).map_err(|_| invalid())?;
        if !phonenumber::is_valid(&number) {
            return Err(invalid());
        }
        let e164 = number.format().mode(phonenumber::Mode::E164).to_string();
        // E.164 allows 15 digits; libphonenumber accepts some longer German numbers.
        if e164.len() > E164_DIGITS_MAX + 1 {
            return Err(invalid());
        }
        Ok(Self(e164))
    }

    /// The E.164 text, `+` and digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The 11-digit national number of a mainland mobile written as `1xxxxxxxxxx`, `+861xxxxxxxxxx`
/// or `00861xxxxxxxxxx` (the bare form only when China is the default country).
fn mainland_national(cleaned: &str, default_country: DefaultCountry) -> Option<&str> {
    let national = cleaned
        .strip_prefix("+86")
        .or_else(|| cleaned.strip_prefix("0086"))
        .or_else(|| (default_country == DefaultCountry::CHINA).then_some(cleaned))?;
    (national.len() == 11
        && national.starts_with('1')
        && national.bytes().all(|b| b.is_ascii_digit()))
    .then_some(national)
}

/// Whether an 11-digit mainland mobile is valid. The number plan decides validity by the first
/// digits (the carrier and block), never by the last four, so libphonenumber's answer is asked
/// once per 7-digit block and remembered: parsing is the import's hot path, and a full parse
/// costs more than everything else a row needs.
fn mainland_prefix_is_valid(national: &str) -> bool {
    thread_local! {
        static BLOCKS: std::cell::RefCell<std::collections::HashMap<u32, bool>> = Default::default();
    }
    let Ok(block) = national[..7].parse::<u32>() else {
        return false;
    };
    BLOCKS.with(|blocks| {
        *blocks.borrow_mut().entry(block).or_insert_with(|| {
            phonenumber::parse(Some(country::Id::CN), format!("+86{national}"))
                .is_ok_and(|number| phonenumber::is_valid(&number))
        })
    })
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
    fn the_block_cache_agrees_with_a_full_parse() {
        // Every 3-digit carrier prefix, with varied block digits: the cached answer is the
        // full parse's answer, whatever the last four digits.
        for carrier in 100..200u32 {
            for block in [0u32, 1234, 4000, 4005, 4006, 5555, 9999] {
                for tail in [0u32, 4321, 9999] {
                    let national = format!("{carrier}{block:04}{tail:04}");
                    let full = phonenumber::parse(Some(country::Id::CN), format!("+86{national}"))
                        .is_ok_and(|n| phonenumber::is_valid(&n));
                    assert_eq!(mainland_prefix_is_valid(&national), full, "{national}");
                }
            }
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
