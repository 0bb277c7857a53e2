//! Names of labels, label groups and follower labels, parsed at the edge with their limits.

use crate::error::{Error, Result, codes};
use crate::text::{TextKind, check_text};

/// Longest contact label or label group name, in characters.
pub const LABEL_NAME_CHARS_MAX: usize = 64;
/// Longest WeChat follower label name, in bytes of UTF-8 (WeChat's own limit).
pub const FOLLOWER_LABEL_NAME_BYTES_MAX: usize = 30;
/// Longest official account name, in characters.
pub const WECHAT_ACCOUNT_NAME_CHARS_MAX: usize = 64;
/// Longest official account app id, in bytes.
pub const APP_ID_BYTES_MAX: usize = 32;
/// Longest openid, in bytes.
pub const OPENID_BYTES_MAX: usize = 64;

/// Check a contact label or group name: trimmed, 1 to [`LABEL_NAME_CHARS_MAX`] characters, any
/// script, no control characters.
pub fn parse_label_name(input: &str, field: &str) -> Result<String> {
    let name = input.trim();
    check_text(name, field, TextKind::SingleLine)?;
    let chars = name.chars().count();
    if chars == 0 {
        return Err(Error::invalid(
            codes::INVALID_NAME,
            "a label name is not empty and has no control characters",
            field,
            input,
        ));
    }
    if chars > LABEL_NAME_CHARS_MAX {
        return Err(Error::invalid(
            codes::VALUE_TOO_LONG,
            format!(
                "a label name has at most {LABEL_NAME_CHARS_MAX} characters (this one has {chars})"
            ),
            field,
            input,
        ));
    }
    Ok(name.to_owned())
}

/// Check a follower label name: trimmed, 1 to [`FOLLOWER_LABEL_NAME_BYTES_MAX`] bytes of UTF-8
/// (10 Chinese characters, 30 Latin letters).
pub fn parse_follower_label_name(input: &str) -> Result<String> {
    let name = input.trim();
    check_text(name, "name", TextKind::SingleLine)?;
    if name.is_empty() {
        return Err(Error::invalid(
            codes::INVALID_NAME,
            "a follower label name is not empty and has no control characters",
            "name",
            input,
        ));
    }
    if name.len() > FOLLOWER_LABEL_NAME_BYTES_MAX {
        return Err(Error::invalid(
            codes::VALUE_TOO_LONG,
            format!(
                "a follower label name has at most {FOLLOWER_LABEL_NAME_BYTES_MAX} bytes (FOLLOWER_LABEL_NAME_BYTES_MAX; this one has {}, a Chinese character takes 3)",
                name.len()
            ),
            "name",
            input,
        ));
    }
    Ok(name.to_owned())
}

/// Check an official account's app id: 1 to [`APP_ID_BYTES_MAX`] ASCII letters, digits, `_` or `-`
/// (WeChat's are `wx` and 16 hex digits). Case matters, as it does to WeChat.
pub fn parse_app_id(input: &str) -> Result<String> {
    parse_ascii_id(input, "app_id", APP_ID_BYTES_MAX)
}

/// Check an openid: 1 to [`OPENID_BYTES_MAX`] ASCII letters, digits, `_` or `-`.
pub fn parse_openid(input: &str) -> Result<String> {
    parse_ascii_id(input, "openid", OPENID_BYTES_MAX)
}

fn parse_ascii_id(input: &str, field: &str, bytes_max: usize) -> Result<String> {
    let id = input.trim();
    check_text(id, field, TextKind::SingleLine)?;
    let valid = !id.is_empty()
        && id.len() <= bytes_max
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !valid {
        return Err(Error::invalid(
            codes::INVALID_VALUE,
            format!("`{field}` has 1 to {bytes_max} ASCII letters, digits, _ or -"),
            field,
            input,
        ));
    }
    Ok(id.to_owned())
}

/// Check an official account's name.
pub fn parse_account_name(input: &str) -> Result<String> {
    let name = input.trim();
    check_text(name, "name", TextKind::SingleLine)?;
    let chars = name.chars().count();
    if chars == 0 || chars > WECHAT_ACCOUNT_NAME_CHARS_MAX {
        return Err(Error::invalid(
            codes::INVALID_NAME,
            format!("an account name has 1 to {WECHAT_ACCOUNT_NAME_CHARS_MAX} characters"),
            "name",
            input,
        ));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follower_label_names_count_bytes() {
        assert_eq!(
            parse_follower_label_name(" 上海会员 ").as_deref(),
            Ok("上海会员")
        );
        assert!(parse_follower_label_name(&"中".repeat(10)).is_ok());
        let long = parse_follower_label_name(&"中".repeat(11)).expect_err("33 bytes");
        assert_eq!(long.code, codes::VALUE_TOO_LONG);
        assert!(long.detail.contains("30 bytes"));
        assert!(parse_follower_label_name(&"a".repeat(30)).is_ok());
        assert!(parse_follower_label_name(&"a".repeat(31)).is_err());
        assert!(parse_follower_label_name("  ").is_err());
    }

    #[test]
    fn label_names_count_characters() {
        assert!(parse_label_name(&"标".repeat(64), "name").is_ok());
        let long = parse_label_name(&"标".repeat(65), "name").expect_err("65 characters");
        assert_eq!(
            (long.code, long.field.as_deref()),
            (codes::VALUE_TOO_LONG, Some("name"))
        );
        assert!(parse_label_name("a\tb", "name").is_err());
    }

    #[test]
    fn ids_are_ascii() {
        assert_eq!(
            parse_app_id(" wx1234567890abcdef ").as_deref(),
            Ok("wx1234567890abcdef")
        );
        assert!(parse_app_id("wx 12").is_err());
        assert!(parse_openid("oAbC-12_x").is_ok());
        assert!(parse_openid(&"o".repeat(65)).is_err());
    }
}
