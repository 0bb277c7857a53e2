//! Masking one mobile number or email address, and telling whether a text holds one.
//!
//! The rule of which values hold a mobile or an email (the *value rule*) is [`Sensitive::detect`];
//! text that merely mentions an address somewhere is handled by [`mask_text`].

/// Characters people put between the digits of a phone number.
const SEPARATORS: [char; 5] = [' ', '-', '(', ')', '\u{3000}'];

/// Characters that cannot belong to an address written in running text, so they end one: a
/// bounce message writes `<zhang@example.com>:`, a note `(zhang@example.com)`.
fn ends_token(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '<' | '>' | '(' | ')' | ',' | ';' | ':' | '"' | '\'' | '[' | ']'
        )
}

/// A kind of value only principals who see unmasked values may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sensitive {
    /// A phone number.
    Mobile,
    /// An email address.
    Email,
}

impl Sensitive {
    /// The kind a name says its values hold: `mobile`, `email` and `phone`, alone or at the end
    /// of a longer name (`backup_email`, `work_phone`). Used for custom attributes and event
    /// properties, whose values are not checked as mobiles or emails when written.
    pub fn of_name(name: &str) -> Option<Self> {
        let last = name.rsplit('_').next().unwrap_or(name);
        match last.to_ascii_lowercase().as_str() {
            "mobile" | "phone" => Some(Self::Mobile),
            "email" => Some(Self::Email),
            _ => None,
        }
    }

    /// The value rule: a whole text (trimmed) holds an email when it has no whitespace, a
    /// non-empty part before its last `@` and a domain with a dot inside; it holds a mobile when,
    /// ignoring spaces, dashes and brackets, it is `+` and 8 to 15 digits (E.164, as Panorama
    /// stores mobiles), `00` and 10 to 17 digits, or an 11-digit mainland mobile (`1`, ten more
    /// digits, optionally after `86`). Dates (`2024-05-01`), amounts and most ids match neither.
    pub fn detect(text: &str) -> Option<Self> {
        let text = text.trim();
        if looks_like_email(text) {
            Some(Self::Email)
        } else if looks_like_mobile(text) {
            Some(Self::Mobile)
        } else {
            None
        }
    }

    /// `text` masked as this kind.
    pub fn mask(self, text: &str) -> String {
        match self {
            Self::Mobile => mask_mobile(text),
            Self::Email => mask_email(text),
        }
    }
}

fn looks_like_email(text: &str) -> bool {
    if text.chars().any(char::is_whitespace) {
        return false;
    }
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
}

fn looks_like_mobile(text: &str) -> bool {
    let (international, rest) = match text.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if rest.is_empty()
        || !rest
            .chars()
            .all(|c| c.is_ascii_digit() || SEPARATORS.contains(&c))
    {
        return false;
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    if international {
        return (8..=15).contains(&digits.len());
    }
    if digits.starts_with("00") {
        return (10..=17).contains(&digits.len());
    }
    let national = digits
        .strip_prefix("86")
        .filter(|n| n.len() == 11)
        .unwrap_or(&digits);
    national.len() == 11 && national.starts_with('1')
}

/// A phone number masked. A mainland mobile keeps its first 3 and last 4 digits
/// (`13812345678` → `138****5678`); any other national number keeps at most its last 4 digits,
/// and never more than half of them. The country code stays when the number carries one, as
/// pages show it (`+8613812345678` → `+86138****5678`). Separators are dropped; an empty text
/// stays empty and a text without digits becomes `***`.
pub fn mask_mobile(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        return String::new();
    }
    let mut digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return "***".to_owned();
    }
    let international = text.starts_with('+') || digits.starts_with("00");
    if !international {
        return mask_national(&digits);
    }
    if let Some(rest) = digits.strip_prefix("00") {
        digits = rest.to_owned();
    }
    let code = country_code(&digits);
    format!("+{code}{}", mask_national(&digits[code.len()..]))
}

/// The country code that starts `digits` (an international number without its `+`), or an
/// empty string when libphonenumber cannot tell: then every digit is masked like a national one.
pub(crate) fn country_code(digits: &str) -> String {
    if digits.starts_with("861") && digits.len() == 13 {
        return "86".to_owned();
    }
    phonenumber::parse(None, format!("+{digits}"))
        .ok()
        .map(|number| number.code().value().to_string())
        .filter(|code| digits.starts_with(code.as_str()) && code.len() < digits.len())
        .unwrap_or_default()
}

fn mask_national(digits: &str) -> String {
    let length = digits.len();
    if length == 11 && digits.starts_with('1') {
        return format!("{}****{}", &digits[..3], &digits[7..]);
    }
    let kept = (length / 2).min(4);
    format!("{}{}", "*".repeat(length - kept), &digits[length - kept..])
}

/// An email address masked: the first character of the local part, `***`, and the domain
/// (`zhang@example.com` → `z***@example.com`). A one-character local part is hidden whole
/// (`***@example.com`); a text without `@` becomes `***`, an empty one stays empty.
pub fn mask_email(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        return String::new();
    }
    let Some((local, domain)) = text.rsplit_once('@') else {
        return "***".to_owned();
    };
    let mut chars = local.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(_)) => format!("{first}***@{domain}"),
        _ => format!("***@{domain}"),
    }
}

/// Free text with what it holds masked: the whole text when it holds a mobile or an email by
/// [`Sensitive::detect`], else every address written inside it (`bounced: <z***@example.com>`)
/// and every mobile written inside it as one run of digits: a mainland mobile (11 digits, `1`
/// then `3`–`9`, maybe after `86`) or `+` and 8 to 15 digits (`call 138****5678 today`). A run
/// of another length (a date, an amount, an order number) is left alone. `None` when nothing
/// needed masking.
pub fn mask_text(text: &str) -> Option<String> {
    if let Some(kind) = Sensitive::detect(text) {
        return Some(kind.mask(text));
    }
    let with_mobiles = mask_mobiles_inside(text);
    let text = with_mobiles.as_deref().unwrap_or(text);
    if !text.contains('@') {
        return with_mobiles;
    }
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    for piece in text.split_inclusive(ends_token) {
        let (token, boundary) = match piece.char_indices().last() {
            Some((at, c)) if ends_token(c) => piece.split_at(at),
            _ => (piece, ""),
        };
        // A sentence may end right after an address: the full stop is not part of it.
        let address = token.trim_end_matches('.');
        if looks_like_email(address) {
            out.push_str(&mask_email(address));
            out.push_str(&token[address.len()..]);
            changed = true;
        } else {
            out.push_str(token);
        }
        out.push_str(boundary);
    }
    if changed { Some(out) } else { with_mobiles }
}

/// `text` with every run of digits that is a mobile masked, or `None` when there is none.
fn mask_mobiles_inside(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let run_length = rest[start..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len() - start);
        let run = &rest[start..start + run_length];
        let international = rest[..start].ends_with('+');
        let national = run
            .strip_prefix("86")
            .filter(|n| n.len() == 11)
            .unwrap_or(run);
        let is_mobile = if international {
            (8..=15).contains(&run.len())
        } else {
            national.len() == 11
                && national.starts_with('1')
                && matches!(national.as_bytes()[1], b'3'..=b'9')
        };
        out.push_str(&rest[..start]);
        if is_mobile {
            // `+` is already in `out`; the masked form carries its own.
            if international {
                out.pop();
                out.push_str(&mask_mobile(&format!("+{run}")));
            } else {
                out.push_str(&mask_mobile(national));
            }
            changed = true;
        } else {
            out.push_str(run);
        }
        rest = &rest[start + run_length..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles_keep_what_the_rule_allows() {
        assert_eq!(mask_mobile("+8613812345678"), "+86138****5678");
        assert_eq!(mask_mobile("13812345678"), "138****5678");
        assert_eq!(mask_mobile("138 1234 5678"), "138****5678");
        assert_eq!(mask_mobile("+86 138-1234-5678"), "+86138****5678");
        assert_eq!(mask_mobile("008613812345678"), "+86138****5678");
        assert_eq!(mask_mobile("+447911123456"), "+44******3456");
        assert_eq!(mask_mobile("+12025550123"), "+1******0123");
        assert_eq!(mask_mobile("12345"), "***45");
        assert_eq!(mask_mobile("1234"), "**34");
        assert_eq!(mask_mobile("7"), "*");
        assert_eq!(mask_mobile(""), "");
        assert_eq!(mask_mobile("  "), "");
        assert_eq!(mask_mobile("无"), "***");
    }

    #[test]
    fn emails_keep_one_character_and_the_domain() {
        assert_eq!(mask_email("zhang@example.com"), "z***@example.com");
        assert_eq!(mask_email("z@example.com"), "***@example.com");
        assert_eq!(mask_email("张三@例子.中国"), "张***@例子.中国");
        assert_eq!(mask_email("@example.com"), "***@example.com");
        assert_eq!(mask_email("a\"@\"b@example.com"), "a***@example.com");
        assert_eq!(mask_email("no-at-sign"), "***");
        assert_eq!(mask_email(""), "");
    }

    #[test]
    fn detection_finds_mobiles_and_emails_only() {
        for mobile in [
            "+8613812345678",
            "13812345678",
            "138 1234 5678",
            "+1 (202) 555-0123",
        ] {
            assert_eq!(
                Sensitive::detect(mobile),
                Some(Sensitive::Mobile),
                "{mobile}"
            );
        }
        assert_eq!(
            Sensitive::detect(" zoe@example.com "),
            Some(Sensitive::Email)
        );
        for other in [
            "2024-05-01",
            "12.50",
            "M0001234",
            "1234567",
            "",
            "a@b",
            "x @y.com",
        ] {
            assert_eq!(Sensitive::detect(other), None, "{other}");
        }
    }

    #[test]
    fn names_say_what_custom_values_hold() {
        assert_eq!(Sensitive::of_name("mobile"), Some(Sensitive::Mobile));
        assert_eq!(Sensitive::of_name("work_phone"), Some(Sensitive::Mobile));
        assert_eq!(Sensitive::of_name("backup_email"), Some(Sensitive::Email));
        assert_eq!(Sensitive::of_name("emailing_list"), None);
        assert_eq!(Sensitive::of_name("name"), None);
    }

    #[test]
    fn addresses_inside_text_are_masked() {
        assert_eq!(
            mask_text("550 <zhang@example.com>: no such user").as_deref(),
            Some("550 <z***@example.com>: no such user")
        );
        assert_eq!(
            mask_text("write to li@example.cn.").as_deref(),
            Some("write to l***@example.cn.")
        );
        assert_eq!(
            mask_text("+8613812345678").as_deref(),
            Some("+86138****5678")
        );
        assert_eq!(
            mask_text("call 13812345678 or +447911123456, order 2024050112345").as_deref(),
            Some("call 138****5678 or +44******3456, order 2024050112345")
        );
        assert_eq!(
            mask_text("ring 8613812345678; mail zoe@example.com").as_deref(),
            Some("ring 138****5678; mail z***@example.com")
        );
        assert_eq!(
            mask_text("order 12345678901 of 2024-05-01, 12.50 yuan"),
            None
        );
        assert_eq!(mask_text("user@localhost"), None);
        assert_eq!(mask_text(""), None);
    }
}
