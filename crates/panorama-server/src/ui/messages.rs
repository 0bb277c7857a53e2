//! Errors as sentences for people, in the page's language: what happened and what to do, naming
//! the value at fault where that helps, never a code, a field's machine name or an id.

use super::i18n::Lang;
use panorama_core::{Error, codes};

/// Longest part of a value a message quotes, in characters.
const QUOTED_CHARS_MAX: usize = 40;

/// The text key of the sentence for `error`: by its code, and for a few codes by the kind of field
/// at fault (a machine name, a display name), which changes what the person should do.
fn sentence_key(error: &Error) -> &'static str {
    let field = error.field.as_deref().unwrap_or("");
    let empty = error.value.as_deref().is_some_and(|v| v.trim().is_empty());
    match error.code {
        codes::INVALID_NAME | codes::INVALID_VALUE if empty => "error.empty",
        codes::INVALID_NAME if matches!(field, "display_name" | "name_en" | "name_zh") => {
            "error.invalid_display_name"
        }
        codes::INVALID_NAME if matches!(field, "name" | "key" | "group" | "attribute") => {
            "error.invalid_machine_name"
        }
        codes::INVALID_NAME => "error.invalid_text",
        codes::UNKNOWN_ATTRIBUTE => "error.unknown_attribute",
        codes::UNKNOWN_EVENT => "error.unknown_event",
        codes::MERGE_NOT_UNDOABLE => "error.merge_not_undoable",
        codes::INVALID_VALUE => "error.invalid_value",
        codes::VALUE_TOO_LONG => "error.value_too_long",
        codes::INVALID_MOBILE => "error.invalid_mobile",
        codes::INVALID_EMAIL => "error.invalid_email",
        codes::NO_KEY_VALUE => "error.no_key_value",
        codes::COMPUTED_ATTRIBUTE => "error.computed_attribute",
        codes::NOT_NULLABLE => "error.not_nullable",
        codes::INVALID_DEFINITION => "error.invalid_definition",
        codes::DUPLICATE_NAME => "error.duplicate_name",
        codes::CUSTOM_ATTRIBUTES_LIMIT => "error.custom_attributes_limit",
        codes::DUPLICATE_VALUES => "error.duplicate_values",
        codes::PRESET_IMMUTABLE => "error.preset_immutable",
        codes::LIMIT_EXCEEDED => "error.limit_exceeded",
        codes::UNAUTHENTICATED => "error.unauthenticated",
        codes::LAST_ADMIN => "error.last_admin",
        codes::RATE_LIMITED => "error.rate_limited",
        codes::FORBIDDEN => "error.forbidden_help",
        codes::NOT_FOUND => "error.gone",
        codes::INTERNAL => "error.internal_help",
        codes::CONSENT_REQUIRED => "error.consent_required",
        codes::GROUP_NOT_EMPTY => "error.group_not_empty",
        codes::MASKED_ATTRIBUTE => "error.masked_attribute",
        codes::CONTROL_CHARACTER => "error.control_character",
        _ => "error.invalid_help",
    }
}

/// Why an act was refused, by its stored error code (the audit log's outcome), in words.
pub fn reason(lang: Lang, code: &str) -> String {
    let error = Error {
        kind: panorama_core::ErrorKind::Invalid,
        code: codes::BAD_REQUEST,
        detail: String::new(),
        field: None,
        value: None,
    };
    let known = [
        codes::UNKNOWN_ATTRIBUTE,
        codes::UNKNOWN_EVENT,
        codes::MERGE_NOT_UNDOABLE,
        codes::INVALID_VALUE,
        codes::VALUE_TOO_LONG,
        codes::INVALID_MOBILE,
        codes::INVALID_EMAIL,
        codes::NO_KEY_VALUE,
        codes::COMPUTED_ATTRIBUTE,
        codes::NOT_NULLABLE,
        codes::INVALID_NAME,
        codes::INVALID_DEFINITION,
        codes::DUPLICATE_NAME,
        codes::CUSTOM_ATTRIBUTES_LIMIT,
        codes::DUPLICATE_VALUES,
        codes::PRESET_IMMUTABLE,
        codes::LIMIT_EXCEEDED,
        codes::UNAUTHENTICATED,
        codes::LAST_ADMIN,
        codes::RATE_LIMITED,
        codes::FORBIDDEN,
        codes::NOT_FOUND,
        codes::INTERNAL,
        codes::CONSENT_REQUIRED,
        codes::GROUP_NOT_EMPTY,
        codes::MASKED_ATTRIBUTE,
        codes::CONTROL_CHARACTER,
    ];
    let code = known
        .into_iter()
        .find(|known| *known == code)
        .unwrap_or(codes::BAD_REQUEST);
    error_message(lang, &Error { code, ..error })
}

/// A core error as a sentence in `lang`. A sentence that quotes the value (`“{value}”`) quotes
/// it when the error carries one, shortened, and otherwise says "this".
pub fn error_message(lang: Lang, error: &Error) -> String {
    let sentence = lang.t(sentence_key(error));
    let quoted = match (&error.value, error.code) {
        (Some(value), code) if code != codes::CONTROL_CHARACTER && !value.trim().is_empty() => {
            let mut shown: String = value.trim().chars().take(QUOTED_CHARS_MAX).collect();
            if value.trim().chars().count() > QUOTED_CHARS_MAX {
                shown.push('…');
            }
            format!("“{shown}”")
        }
        _ => lang.t("error.this").to_owned(),
    };
    sentence.replace("“{value}”", &quoted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_quote_the_value_and_never_the_field() {
        let taken = Error::invalid(
            codes::DUPLICATE_NAME,
            "a label `会员` exists",
            "name",
            "会员",
        );
        assert_eq!(
            error_message(Lang::Zh, &taken),
            "“会员”已被使用，请换一个名称"
        );
        assert_eq!(
            error_message(Lang::En, &taken),
            "“会员” is already taken: choose another name"
        );
        let missing = Error::not_found("contact", "01a2-uuid");
        assert!(!error_message(Lang::Zh, &missing).contains("01a2"));
        let nameless = Error::invalid_field(codes::DUPLICATE_NAME, "taken", "display_name");
        assert_eq!(
            error_message(Lang::Zh, &nameless),
            "该值已被使用，请换一个名称"
        );
        assert_eq!(
            reason(Lang::Zh, "last_admin"),
            Lang::Zh.t("error.last_admin")
        );
        for message in [error_message(Lang::En, &taken), reason(Lang::En, "x")] {
            assert!(
                !message.contains('`') && !message.contains("name`"),
                "{message}"
            );
        }
    }
}
