//! Property tests of the value parsers: `Mobile::parse`, `Email::parse` and `value.rs` for every
//! attribute type never panic, refuse with an `Invalid` error naming the attribute, and give
//! canonical forms that follow their documented rules and parse again to themselves.

use panorama_core::ErrorKind;
use panorama_core::email::Email;
use panorama_core::metadata::{AttributeDef, AttributeType, preset_attributes};
use panorama_core::mobile::{DefaultCountry, Mobile};
use panorama_core::value::{ParseOptions, display, parse_json, parse_text};
use proptest::prelude::*;
use serde_json::{Value as Json, json};

/// Default countries numbers are parsed under.
const COUNTRIES: [&str; 8] = ["CN", "US", "GB", "DE", "HK", "TW", "JP", "IN"];

fn country(index: usize) -> DefaultCountry {
    DefaultCountry::parse(COUNTRIES[index % COUNTRIES.len()]).expect("a listed country")
}

/// Text shaped like phone numbers, plus anything at all.
fn phone_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[+]?(00)?[0-9 ().\\-]{0,24}",
        "(\\+86|0086)?1[0-9]{10}",
        "\\+[1-9][0-9]{6,16}",
        any::<String>(),
    ]
}

/// Text shaped like addresses, plus anything at all.
fn email_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ ]?[a-zA-Z0-9.+_\"\\-]{0,12}@[a-zA-Z0-9.\\-\\[\\]]{0,12}[ ]?",
        "\\PC{0,8}@\\PC{0,8}\\.\\PC{0,4}",
        any::<String>(),
    ]
}

/// One definition per attribute type, decimals at several scales, and every preset.
fn definitions() -> Vec<AttributeDef> {
    let mut defs = preset_attributes();
    let base = defs
        .iter()
        .find(|d| d.name.as_str() == "order_amount")
        .cloned()
        .expect("the order_amount preset");
    for scale in [0, 1, 4, 10] {
        defs.push(AttributeDef {
            scale: Some(scale),
            ..base.clone()
        });
    }
    defs
}

/// Text shaped like values of every type, plus anything at all.
fn value_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        any::<i64>().prop_map(|n| format!(" {n} ")),
        "[+\\-]?[0-9_]{0,30}(\\.[0-9]{0,30})?",
        "[+\\-]?[0-9]{4,6}-[0-9]{1,2}-[0-9]{1,2}",
        "[+\\-]?[0-9]{4,6}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,12})?(Z|[+\\-][0-9]{2}:[0-9]{2})",
        (-377_705_023_201i64..253_402_207_200).prop_map(|s| format!("{s}")),
        Just("9999-12-30T22:00:00.9999999Z".to_owned()),
        Just("-009999-01-02T01:59:59.0000001+00:00".to_owned()),
        "(?i)(true|false|yes|no|y|n|t|f|1|0|是|否|male|female|unknown)",
    ]
}

fn arbitrary_json() -> impl Strategy<Value = Json> {
    prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(Json::from),
        any::<u64>().prop_map(Json::from),
        any::<f64>().prop_map(Json::from),
        value_text().prop_map(Json::String),
        Just(json!([1, "a"])),
        Just(json!({"a": 1})),
    ]
}

/// What every accepted canonical value of `def` must look like.
fn check_rules(def: &AttributeDef, value: &Json) -> Result<(), TestCaseError> {
    match (def.attribute_type, value) {
        (AttributeType::String | AttributeType::Enum, Json::String(text)) => {
            prop_assert_eq!(text.trim(), text.as_str(), "strings are trimmed");
            if def.attribute_type == AttributeType::Enum {
                prop_assert!(def.enum_values.contains(text), "enum in its spelling");
            }
        }
        (AttributeType::Integer, Json::Number(n)) => prop_assert!(n.is_i64()),
        (AttributeType::Decimal, Json::String(text)) => {
            let scale = def.scale.unwrap_or(2) as usize;
            let digits = text.split_once('.').map_or(0, |(_, f)| f.len());
            prop_assert_eq!(digits, scale, "`{}` has exactly {} decimals", text, scale);
        }
        (AttributeType::Date, Json::String(text)) => {
            let shape =
                text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
            prop_assert!(shape, "`{}` is YYYY-MM-DD", text);
        }
        (AttributeType::Datetime, Json::String(text)) => {
            prop_assert!(
                text.ends_with('Z') && text.len() == 27,
                "`{}` is UTC, µs",
                text
            );
        }
        (AttributeType::Boolean, Json::Bool(_)) => {}
        (kind, other) => prop_assert!(false, "{:?} gave {}", kind, other),
    }
    Ok(())
}

/// Parsing `result` again, as JSON and as text, gives the same canonical value.
fn check_value(
    def: &AttributeDef,
    result: panorama_core::Result<Option<Json>>,
) -> Result<(), TestCaseError> {
    let options = ParseOptions::default();
    match result {
        Ok(None) => {}
        Ok(Some(value)) => {
            check_rules(def, &value)?;
            let again = parse_json(def, &value, options);
            prop_assert_eq!(
                again.as_ref().ok(),
                Some(&Some(value.clone())),
                "{:?}",
                again
            );
            let as_text = parse_text(def, &display(&value), options);
            prop_assert_eq!(as_text.ok(), Some(Some(value)));
        }
        Err(error) => {
            prop_assert_eq!(error.kind, ErrorKind::Invalid, "{:?}", error);
            prop_assert!(error.field.is_some(), "{:?}", error);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mobiles_are_e164_and_idempotent(input in phone_text(), index in 0..COUNTRIES.len()) {
        let default_country = country(index);
        match Mobile::parse(&input, default_country) {
            Ok(mobile) => {
                let text = mobile.as_str();
                let digits = text.strip_prefix('+').unwrap_or_default();
                prop_assert!(!digits.is_empty() && digits.len() <= 15, "{}", text);
                prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{}", text);
                for (other, name) in COUNTRIES.iter().enumerate() {
                    let again = Mobile::parse(text, country(other));
                    prop_assert_eq!(again, Ok(mobile.clone()), "{} under {}", text, name);
                }
            }
            Err(error) => prop_assert_eq!(error.code, "invalid_mobile"),
        }
    }

    #[test]
    fn emails_keep_their_rules_and_are_idempotent(input in email_text()) {
        match Email::parse(&input) {
            Ok(email) => {
                let text = email.as_str();
                prop_assert_eq!(text.trim(), text);
                let (_, domain) = text.rsplit_once('@').expect("an accepted address has an @");
                prop_assert!(domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.'));
                prop_assert_eq!(domain.to_lowercase(), domain);
                prop_assert_eq!(Email::parse(text), Ok(email.clone()));
            }
            Err(error) => prop_assert_eq!(error.code, "invalid_email"),
        }
    }

    #[test]
    fn text_values_of_every_type_are_canonical(input in value_text()) {
        for def in definitions() {
            check_value(&def, parse_text(&def, &input, ParseOptions::default()))?;
        }
    }

    #[test]
    fn json_values_of_every_type_are_canonical(raw in arbitrary_json()) {
        for def in definitions() {
            check_value(&def, parse_json(&def, &raw, ParseOptions::default()))?;
        }
    }
}

/// Inputs the properties above failed on once, kept with the fix each needed.
#[test]
fn regressions() {
    let defs = definitions();
    let def = |name: &str, scale: Option<u32>| {
        defs.iter()
            .find(|d| d.name.as_str() == name && (scale.is_none() || d.scale == scale))
            .expect("a definition")
    };
    let options = ParseOptions::default();
    let kind = |def: &AttributeDef, text: &str| parse_text(def, text, options).map_err(|e| e.kind);
    // Rounding jiff's last instant up overflowed into an internal error (a 500 in the API).
    let order_at = def("last_order_at", None);
    assert_eq!(
        kind(order_at, "9999-12-30T22:00:00.9999999Z"),
        Err(ErrorKind::Invalid)
    );
    // Years before 1 were stored as `-9999-...`, which no parser reads back.
    assert_eq!(
        kind(order_at, "-009999-01-02T01:59:59Z"),
        Err(ErrorKind::Invalid)
    );
    assert_eq!(
        kind(def("birthday", None), "-009999-01-02"),
        Err(ErrorKind::Invalid)
    );
    // Decimals too large for their scale were kept with fewer digits instead of refused.
    let wide = parse_json(
        def("order_amount", Some(10)),
        &json!(7_922_816_251_426_433_760u64),
        options,
    );
    assert_eq!(wide.map_err(|e| e.kind), Err(ErrorKind::Invalid));
    // `+49 1500...` parsed under US lost its `1` to the US national prefix.
    let german = Mobile::parse("15000000000", country(3)).expect("a German mobile");
    assert_eq!(Mobile::parse(german.as_str(), country(1)), Ok(german));
    // libphonenumber calls this 16-digit German number valid; E.164 stops at 15 digits.
    let long = Mobile::parse("+4920100000000000", country(0)).map_err(|e| e.code);
    assert_eq!(long, Err("invalid_mobile"));
}
