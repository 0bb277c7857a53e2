//! How a search may match for a principal who sees values masked (issue 21, hole 1): a masked
//! value matches only a keyword that is the whole value (a full mobile in any spelling, a full
//! address in any case), never a part, so searching digit by digit cannot rebuild what the mask
//! hides. Every list, export, bulk filter (and later segment) asks this one rule.

use crate::error::{Error, Result, codes};
use crate::mask::{AttributeRule, Sensitive, mask_text};
use crate::metadata::{AttributeDef, Schema};

use super::{Keyword, Sort};

/// Characters people put between the digits of a phone number (as the mask reads them).
const PHONE_SEPARATORS: [char; 6] = [' ', '-', '(', ')', '.', '\u{3000}'];

/// How a search compares a keyword with a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchMode {
    /// Any value containing the keyword: principals who may read values whole (admins, the CLI)
    /// or reveal them (marketers granted the right).
    #[default]
    Substring,
    /// Values the mask hides match only as a whole; other values by substring.
    WholeMasked,
}

impl SearchMode {
    /// The mode of a principal: substring when it may read or reveal values, else whole values.
    pub fn for_principal(sees_unmasked: bool, can_reveal: bool) -> Self {
        if sees_unmasked || can_reveal {
            Self::Substring
        } else {
            Self::WholeMasked
        }
    }

    /// Whether this mode may sort by `def`: not by an attribute always masked, since ordering
    /// contacts around values one chose (imported contacts with known mobiles) would tell the
    /// hidden ones digit by digit.
    pub fn may_sort(self, def: &AttributeDef) -> bool {
        self == Self::Substring || !matches!(AttributeRule::of(def), AttributeRule::Always(_))
    }

    /// Refuse `sort` unless [`SearchMode::may_sort`] its attribute (a 422 naming `sort`).
    pub fn check_sort(self, schema: &Schema, sort: &Sort) -> Result<()> {
        if schema
            .get(&sort.attribute)
            .is_some_and(|def| !self.may_sort(def))
        {
            return Err(Error::invalid(
                codes::MASKED_ATTRIBUTE,
                format!(
                    "`{}` is masked for you, so contacts cannot be sorted by it",
                    sort.attribute
                ),
                "sort",
                &sort.attribute,
            ));
        }
        Ok(())
    }

    /// Whether a searched value matches: `text` is its search text (folded), `rule` the mask rule
    /// of its attribute ([`AttributeRule::of`], whatever the principal).
    pub fn value_matches(self, rule: AttributeRule, text: &str, keyword: &Keyword) -> bool {
        let keyword = keyword.as_str();
        match (self, rule) {
            (Self::Substring, _) | (_, AttributeRule::Keep) => text.contains(keyword),
            (Self::WholeMasked, AttributeRule::Always(kind)) => whole(Some(kind), text, keyword),
            (Self::WholeMasked, AttributeRule::Detect) => {
                if may_hold_sensitive(text) && mask_text(text).is_some() {
                    whole(Sensitive::detect(text), text, keyword)
                } else {
                    text.contains(keyword)
                }
            }
        }
    }

    /// Where a phone-like keyword's matches can be, for stores to pick candidates from (`None`
    /// when the keyword is not phone-like): see [`PhoneProbe`].
    pub fn phone_probe(keyword: &Keyword) -> Option<PhoneProbe> {
        let (international, digits) = phone_digits(keyword.as_str())?;
        let last = digits.chars().last()?;
        // Every spelling `same_phone` accepts ends with the keyword's digits but for what the
        // other spelling leaves out: an international keyword's country code (at most 3
        // digits), a national one's trunk `0`. Up to 4 of the digits left are enough.
        let left_out = if international {
            COUNTRY_CODE_DIGITS_MAX
        } else {
            usize::from(digits.starts_with('0'))
        };
        let tail_digits = digits.len().saturating_sub(left_out).clamp(1, 4);
        let tail = digits.get(digits.len() - tail_digits..)?.to_owned();
        Some(PhoneProbe { tail, last })
    }
}

/// Longest country calling code, in digits.
const COUNTRY_CODE_DIGITS_MAX: usize = 3;

/// The candidates of a phone-like keyword under [`SearchMode::WholeMasked`]: a value written
/// without separators that matches it holds `tail` as one run of characters; a value holding
/// one of [`PhoneProbe::SEPARATORS`] may split it, and then holds at least `last`. Values outside
/// both sets cannot match, so a store checks only those two sets with
/// [`SearchMode::value_matches`] and its answer stays exact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneProbe {
    /// The number's last digits (up to 4) as every separator-free matching spelling holds them.
    pub tail: String,
    /// The number's last digit.
    pub last: char,
}

impl PhoneProbe {
    /// Characters people put between the digits of a phone number, and blanks around it.
    pub const SEPARATORS: [char; 6] = PHONE_SEPARATORS;
}

/// A cheap test before [`mask_text`]: no text without `@` or 8 digits holds a mobile or email.
fn may_hold_sensitive(text: &str) -> bool {
    text.contains('@') || text.bytes().filter(u8::is_ascii_digit).count() >= 8
}

/// Whether `keyword` is the whole of `text` (both folded), a mobile compared in any spelling.
fn whole(kind: Option<Sensitive>, text: &str, keyword: &str) -> bool {
    let text = text.trim();
    if text == keyword {
        return true;
    }
    kind == Some(Sensitive::Mobile) && same_phone(text, keyword)
}

/// A phone number's digits and whether it carried its country code (`+` or `00`); `None` when
/// the text holds anything but digits, separators and a leading `+`.
fn phone_digits(text: &str) -> Option<(bool, String)> {
    let text = text.trim();
    let (plus, rest) = match text.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || PHONE_SEPARATORS.contains(&c))
    {
        return None;
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    match digits.strip_prefix("00") {
        Some(rest) if !plus => Some((true, rest.to_owned())),
        _ => Some((plus, digits)),
    }
}

/// Whether two spellings are one whole number: the same digits, or one international and the
/// other its national number (maybe with a trunk `0`).
fn same_phone(stored: &str, keyword: &str) -> bool {
    let (Some((stored_intl, stored)), Some((keyword_intl, keyword))) =
        (phone_digits(stored), phone_digits(keyword))
    else {
        return false;
    };
    if stored == keyword {
        return true;
    }
    let national_of = |international: &str, national: &str| {
        let code = crate::mask::country_code(international);
        let Some(number) = international.strip_prefix(code.as_str()) else {
            return false;
        };
        !code.is_empty() && (national == number || national.strip_prefix('0') == Some(number))
    };
    match (stored_intl, keyword_intl) {
        (true, false) => national_of(&stored, &keyword),
        (false, true) => national_of(&keyword, &stored),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
