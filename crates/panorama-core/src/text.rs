//! Control characters in text: the one rule every text value passes at the edge.
//!
//! U+0000 cannot be stored by PostgreSQL (neither `text` nor `jsonb`), and the other control
//! characters (C0 U+0001-U+001F, DEL U+007F, C1 U+0080-U+009F) are invisible in every page and
//! spreadsheet, so two values that look equal would differ. Every text that enters Panorama is
//! checked here: a single-line text (names, keys, ids, codes, enum values, numbers and dates
//! written as text) holds none of them; a free text (string attribute values that are not keys,
//! event string properties) may hold tab and line breaks (LF, and CR for files written on
//! Windows) and nothing else of them.

use crate::error::{Error, Result, codes};
use std::borrow::Cow;

/// Which control characters a text may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// A name, key, id or code: no control character at all.
    SingleLine,
    /// Free text (an address, a note, a message): tab, LF and CR only.
    FreeText,
}

impl TextKind {
    /// Whether `c` is a control character this kind of text may not hold.
    pub fn refuses(self, c: char) -> bool {
        c.is_control() && !(self == Self::FreeText && matches!(c, '\t' | '\n' | '\r'))
    }
}

/// The first refused character of `text` and its position (1-based, in characters).
pub fn find_control(text: &str, kind: TextKind) -> Option<(usize, char)> {
    // Most texts hold no control character at all; the byte scan keeps that case cheap.
    if !text.bytes().any(|b| b < 0x20 || b == 0x7F || b == 0xC2) {
        return None;
    }
    text.chars()
        .enumerate()
        .find(|(_, c)| kind.refuses(*c))
        .map(|(index, c)| (index + 1, c))
}

/// Check `text` for control characters: the refusal names `field` and the character with its
/// position (`U+0000 at position 2`); its value shows the text with controls escaped, so the
/// error itself can be stored and shown.
pub fn check_text(text: &str, field: &str, kind: TextKind) -> Result<()> {
    match find_control(text, kind) {
        None => Ok(()),
        Some((position, c)) => Err(control_error(field, kind, position, c, text)),
    }
}

/// The refusal of character `c` at `position` of `text` in `field`.
pub fn control_error(field: &str, kind: TextKind, position: usize, c: char, text: &str) -> Error {
    let allowed = match kind {
        TextKind::SingleLine => "holds no control characters",
        TextKind::FreeText => "holds no control characters other than tab and line breaks",
    };
    Error::invalid(
        codes::CONTROL_CHARACTER,
        format!(
            "`{field}` {allowed}: U+{:04X} at position {position}",
            u32::from(c)
        ),
        field,
        shown(text),
    )
}

/// `text` with every control character but tab and line breaks written as `\u{XXXX}`, so that a
/// refused value can be stored (PostgreSQL refuses U+0000) and read.
pub fn shown(text: &str) -> Cow<'_, str> {
    if find_control(text, TextKind::FreeText).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if TextKind::FreeText.refuses(c) {
            out.push_str(&format!("\\u{{{:04X}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` with full-width ASCII forms (`Ｅ－ｍａｉｌ`, typed by Chinese input methods) turned into
/// their ASCII letters and the ideographic space into a space: the part of NFKC that headers
/// and yes/no cells need, without a normalisation table.
pub fn fold_width(text: &str) -> Cow<'_, str> {
    let wide = |c: char| matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}');
    if !text.chars().any(wide) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\u{3000}' => ' ',
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
                other => other,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_ascii_folds_to_ascii() {
        assert_eq!(fold_width("Ｅ－ｍａｉｌ\u{3000}１"), "E-mail 1");
        assert_eq!(fold_width("手机号"), "手机号");
    }

    #[test]
    fn nul_is_named_with_its_position() {
        let error = check_text("x\u{0}y", "name", TextKind::SingleLine).expect_err("NUL");
        assert_eq!(error.code, codes::CONTROL_CHARACTER);
        assert_eq!(error.field.as_deref(), Some("name"));
        assert!(
            error.detail.contains("U+0000 at position 2"),
            "{}",
            error.detail
        );
        assert_eq!(error.value.as_deref(), Some("x\\u{0000}y"));
    }

    #[test]
    fn free_text_keeps_tab_and_line_breaks_only() {
        assert!(check_text("a\tb\r\nc", "address", TextKind::FreeText).is_ok());
        assert!(check_text("a\tb", "name", TextKind::SingleLine).is_err());
        for c in ['\u{1}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}'] {
            let text = format!("上海{c}");
            let error = check_text(&text, "address", TextKind::FreeText).expect_err("control");
            assert!(
                error
                    .detail
                    .contains(&format!("U+{:04X} at position 3", u32::from(c))),
                "{}",
                error.detail
            );
        }
        // Letters whose UTF-8 starts with 0xC2 are not controls.
        assert!(check_text("a\u{a0}b©", "name", TextKind::SingleLine).is_ok());
    }

    #[test]
    fn shown_escapes_what_cannot_be_stored() {
        assert_eq!(shown("plain"), "plain");
        assert_eq!(shown("a\u{0}b\nc"), "a\\u{0000}b\nc");
    }
}
