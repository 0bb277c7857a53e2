//! Values as a person reads them on a page: times, attribute values, type names, initials.

use super::clock::Clock;
use super::i18n::Lang;
use panorama_core::metadata::{AttributeDef, AttributeType};
use serde_json::Value as Json;

/// A stored attribute value as shown, times on `clock`; empty when absent.
pub fn value(
    lang: Lang,
    clock: &Clock,
    def: Option<&AttributeDef>,
    value: Option<&Json>,
) -> String {
    match (def.map(|d| d.attribute_type), value) {
        (_, None | Some(Json::Null)) => String::new(),
        (Some(AttributeType::Boolean), Some(Json::Bool(flag))) => if *flag {
            lang.t("common.yes")
        } else {
            lang.t("common.no")
        }
        .to_owned(),
        (Some(AttributeType::Enum), Some(Json::String(text))) => def
            .map_or(text.as_str(), |def| def.value_label(text, lang.language()))
            .to_owned(),
        (Some(AttributeType::Datetime), Some(Json::String(text))) => text
            .parse::<jiff::Timestamp>()
            .map(|at| clock.time(at))
            .unwrap_or_else(|_| text.clone()),
        (_, Some(other)) => panorama_core::value::display(other),
    }
}

/// An event property's value as shown: an RFC 3339 instant (a time property) on `clock`, any
/// other value as it is.
pub fn property(clock: &Clock, value: &Json) -> String {
    match value {
        Json::String(text) if text.len() > 10 => text
            .parse::<jiff::Timestamp>()
            .map(|at| clock.time(at))
            .unwrap_or_else(|_| text.clone()),
        other => panorama_core::value::display(other),
    }
}

/// A type's name in the interface language.
pub fn type_name(lang: Lang, attribute_type: AttributeType) -> &'static str {
    match attribute_type {
        AttributeType::String => lang.t("type.string"),
        AttributeType::Integer => lang.t("type.integer"),
        AttributeType::Decimal => lang.t("type.decimal"),
        AttributeType::Date => lang.t("type.date"),
        AttributeType::Datetime => lang.t("type.datetime"),
        AttributeType::Boolean => lang.t("type.boolean"),
        AttributeType::Enum => lang.t("type.enum"),
    }
}

/// Every type, as `(machine name, shown name)` for a select box.
pub fn type_options(lang: Lang) -> Vec<(&'static str, &'static str)> {
    [
        AttributeType::String,
        AttributeType::Integer,
        AttributeType::Decimal,
        AttributeType::Date,
        AttributeType::Datetime,
        AttributeType::Boolean,
        AttributeType::Enum,
    ]
    .into_iter()
    .map(|t| (t.as_str(), type_name(lang, t)))
    .collect()
}

/// Initials for the avatar: the first character of a Chinese name, the first letters of up to two
/// Latin words.
pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.as_slice() {
        [] => "?".to_owned(),
        [one] => one
            .chars()
            .next()
            .map(|c| c.to_uppercase().collect())
            .unwrap_or_default(),
        [first, .., last] => [first, last]
            .iter()
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_uppercase)
            .collect(),
    }
}

/// A small glyph for an event group.
pub fn group_icon(group: &str) -> &'static str {
    match group {
        "email" => "✉",
        "sms" | "mms" => "✆",
        "wechat" => "◎",
        "form" => "▤",
        "label" => "⌗",
        "profile" => "☺",
        "order" => "¥",
        _ => "•",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn initials_fit_both_scripts() {
        assert_eq!(super::initials("王伟"), "王");
        assert_eq!(super::initials("zoe anna chen"), "ZC");
        assert_eq!(super::initials(""), "?");
    }
}
