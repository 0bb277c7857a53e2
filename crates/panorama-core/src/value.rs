//! Attribute values: parsed against their definition into one canonical JSON form.
//!
//! Canonical forms: string and enum as JSON strings (enum in its defined spelling), integer as
//! a JSON number, decimal as a string with exactly `scale` digits (`"12.50"`, so money never
//! passes through a float), date as `"YYYY-MM-DD"`, datetime as RFC 3339 in UTC with
//! microseconds, boolean as `true`/`false`. Equal values have equal canonical forms, which is what
//! change detection relies on.

use crate::email::Email;
use crate::error::{Error, Result, codes};
use crate::metadata::{AttributeDef, AttributeType, STRING_CHARS_DEFAULT};
use crate::mobile::{DefaultCountry, Mobile};
use crate::text::{TextKind, check_text};
use rust_decimal::Decimal;
use serde_json::Value as Json;
use std::str::FromStr;

/// Settings that change how raw values are read.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions {
    /// Country applied to mobile numbers without a country code.
    pub default_country: DefaultCountry,
}

/// Parse a JSON value for `def`. `null` gives `None` (the value is to be cleared).
///
/// JSON values are typed strictly, since a JSON sender chooses the type: string, enum, date and
/// datetime values are JSON strings; integers are JSON numbers; booleans are `true`/`false`;
/// decimals are a JSON number or a string holding one (`"12.50"`, so money need not pass
/// through a float). Anything else is refused naming the attribute. Text from files is read by
/// [`parse_text`], which converts.
pub fn parse_json(def: &AttributeDef, raw: &Json, options: ParseOptions) -> Result<Option<Json>> {
    match (def.attribute_type, raw) {
        (_, Json::Null) => Ok(None),
        (AttributeType::Boolean, Json::Bool(flag)) => Ok(Some(Json::Bool(*flag))),
        (AttributeType::Integer | AttributeType::Decimal, Json::Number(number)) => {
            parse_text(def, &number.to_string(), options)
        }
        (
            AttributeType::String
            | AttributeType::Enum
            | AttributeType::Date
            | AttributeType::Datetime
            | AttributeType::Decimal,
            Json::String(text),
        ) => parse_text(def, text, options),
        _ => Err(json_type_error(def, raw)),
    }
}

/// The refusal of a JSON value of the wrong JSON type, saying which type the attribute takes.
fn json_type_error(def: &AttributeDef, raw: &Json) -> Error {
    let expected = match def.attribute_type {
        AttributeType::Integer => "a JSON number without a fraction",
        AttributeType::Decimal => "a JSON number or a string holding a decimal",
        AttributeType::Boolean => "true or false",
        _ => "a JSON string",
    };
    Error::invalid(
        codes::INVALID_VALUE,
        format!(
            "`{}` is of type {} and takes {expected}",
            def.name,
            def.attribute_type.as_str()
        ),
        def.name.as_str(),
        crate::text::shown(&display(raw)),
    )
}

/// How much of the control range a text value of `def` may hold. Free text (tab and line
/// breaks allowed): the preset `address` and custom string attributes that are not keys, which
/// may hold notes or descriptions. Single-line: keys, the other presets (names, places, ids,
/// nicknames) and every non-string type.
pub fn text_kind(def: &AttributeDef) -> TextKind {
    let free = def.attribute_type == AttributeType::String
        && !def.is_identity()
        && (!def.preset || def.name.as_str() == "address");
    if free {
        TextKind::FreeText
    } else {
        TextKind::SingleLine
    }
}

/// Parse a value written as text (a CSV cell, a CLI argument). An empty or blank text gives `None`.
pub fn parse_text(def: &AttributeDef, raw: &str, options: ParseOptions) -> Result<Option<Json>> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let name = def.name.as_str();
    // Before any type's own parsing, so every type refuses control characters the same way.
    check_text(text, name, text_kind(def))?;
    let value = match def.attribute_type {
        AttributeType::String if name == "mobile" => Json::String(
            Mobile::parse(text, options.default_country)
                .map_err(|e| Error {
                    field: Some(name.to_owned()),
                    ..e
                })?
                .to_string(),
        ),
        AttributeType::String if name == "email" => Json::String(Email::parse(text)?.to_string()),
        AttributeType::String => {
            let max = def.max_length.unwrap_or(STRING_CHARS_DEFAULT);
            let length = text.chars().count();
            if length > max as usize {
                return Err(Error::invalid(
                    codes::VALUE_TOO_LONG,
                    format!("`{name}` holds at most {max} characters; this value has {length}"),
                    name,
                    text,
                ));
            }
            Json::String(text.to_owned())
        }
        AttributeType::Integer => {
            let number =
                i64::from_str(text).map_err(|_| type_error(def, &Json::String(raw.into())))?;
            Json::from(number)
        }
        AttributeType::Decimal => Json::String(parse_decimal(def, text)?),
        AttributeType::Date => {
            // Years outside 1 to 9999 (jiff reads `-009999-01-02`) have no `YYYY-MM-DD` form.
            let date = jiff::civil::Date::from_str(text)
                .ok()
                .filter(|date| (1..=9999).contains(&date.year()))
                .ok_or_else(|| type_error(def, &Json::String(raw.into())))?;
            Json::String(date.to_string())
        }
        AttributeType::Datetime => Json::String(format_timestamp(parse_datetime(def, text)?)),
        AttributeType::Boolean => Json::Bool(
            parse_boolean(text).ok_or_else(|| type_error(def, &Json::String(raw.into())))?,
        ),
        AttributeType::Enum => {
            // A value or one of its display names (男 → male), as files written by people hold.
            let found = def
                .enum_value_named(&crate::text::fold_width(text))
                .ok_or_else(|| {
                    Error::invalid(
                        codes::INVALID_VALUE,
                        format!("`{name}` accepts only: {}", def.enum_values.join(", ")),
                        name,
                        text,
                    )
                })?;
            Json::String(found.to_owned())
        }
    };
    Ok(Some(value))
}

/// Read yes/no in the spellings found in real files: true/false, yes/no, y/n, 1/0, 是/否 (also
/// 真/假, 对/错, 有/无), in any case and in full-width forms (`Ｙ`, `１`).
pub fn parse_boolean(text: &str) -> Option<bool> {
    match crate::text::fold_width(text.trim()).to_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "是" | "t" | "真" | "对" | "有" => Some(true),
        "false" | "no" | "n" | "0" | "否" | "f" | "假" | "错" | "无" => Some(false),
        _ => None,
    }
}

/// An instant as stored in attribute values: RFC 3339, UTC, microseconds.
pub fn format_timestamp(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// 0001-01-01T00:00:00Z in seconds since the Unix epoch: the first instant RFC 3339 can write.
pub(crate) const YEAR_1_SECOND: i64 = -62_135_596_800;

fn parse_datetime(def: &AttributeDef, text: &str) -> Result<jiff::Timestamp> {
    let at = jiff::Timestamp::from_str(text).map_err(|_| {
        Error::invalid(
            codes::INVALID_VALUE,
            format!(
                "`{}` is a datetime: RFC 3339 with a time zone, such as 2026-05-01T09:30:00+08:00",
                def.name
            ),
            def.name.as_str(),
            text,
        )
    })?;
    // Microseconds are what both databases keep. Rounding up the last instant jiff knows
    // overflows: that is the sender's value out of range, not an internal failure. Years
    // before 1 (UTC) have no RFC 3339 form, so the stored text would not parse again; jiff's
    // last instant lies in 9999.
    at.round(jiff::Unit::Microsecond)
        .ok()
        .filter(|at| at.as_second() >= YEAR_1_SECOND)
        .ok_or_else(|| {
            Error::invalid(
                codes::INVALID_VALUE,
                format!("`{}` is out of range: years 1 to 9999", def.name),
                def.name.as_str(),
                text,
            )
        })
}

fn parse_decimal(def: &AttributeDef, text: &str) -> Result<String> {
    let scale = def.scale.unwrap_or(crate::metadata::DECIMAL_SCALE_DEFAULT);
    let mut number =
        Decimal::from_str(text).map_err(|_| type_error(def, &Json::String(text.into())))?;
    if number.scale() > scale {
        let normalised = number.normalize();
        if normalised.scale() > scale {
            return Err(Error::invalid(
                codes::INVALID_VALUE,
                format!(
                    "`{}` keeps {scale} digits after the decimal point",
                    def.name
                ),
                def.name.as_str(),
                text,
            ));
        }
        number = normalised;
    }
    number.rescale(scale);
    // `rescale` keeps fewer digits when the scaled number would not fit in 96 bits; such a value
    // cannot be kept to `scale` digits, so it is refused rather than stored in another form.
    if number.scale() != scale {
        return Err(Error::invalid(
            codes::INVALID_VALUE,
            format!(
                "`{}` is too large to keep {scale} digits after the decimal point",
                def.name
            ),
            def.name.as_str(),
            text,
        ));
    }
    Ok(number.to_string())
}

fn type_error(def: &AttributeDef, raw: &Json) -> Error {
    let shown = match raw {
        Json::String(text) => text.clone(),
        other => other.to_string(),
    };
    Error::invalid(
        codes::INVALID_VALUE,
        format!(
            "`{}` holds a value of type {}; this is not one",
            def.name,
            def.attribute_type.as_str()
        ),
        def.name.as_str(),
        shown,
    )
}

/// A value as a person reads it: strings unquoted, others as their JSON text.
pub fn display(value: &Json) -> String {
    match value {
        Json::String(text) => text.clone(),
        Json::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::preset_attributes;

    fn preset(name: &str) -> AttributeDef {
        preset_attributes()
            .into_iter()
            .find(|d| d.name.as_str() == name)
            .expect("a preset")
    }

    #[test]
    fn enum_cells_take_display_names_in_either_language() {
        let gender = preset("gender");
        let parse = |text| {
            parse_text(&gender, text, ParseOptions::default())
                .ok()
                .flatten()
        };
        assert_eq!(parse("男"), Some(Json::from("male")));
        assert_eq!(parse(" 女 "), Some(Json::from("female")));
        assert_eq!(parse("Female"), Some(Json::from("female")));
        assert_eq!(parse("MALE"), Some(Json::from("male")));
        assert!(parse_text(&gender, "雌雄", ParseOptions::default()).is_err());
    }

    #[test]
    fn booleans_take_the_spellings_of_real_files() {
        for yes in ["是", "Y", "yes", "TRUE", "1", "Ｙ", "１"] {
            assert_eq!(parse_boolean(yes), Some(true), "{yes}");
        }
        for no in ["否", "n", "No", "false", "0", "Ｎ"] {
            assert_eq!(parse_boolean(no), Some(false), "{no}");
        }
        assert_eq!(parse_boolean("maybe"), None);
    }
}
