//! Property tests of the other edge parsers: the list's `Keyword`, `Search` and `Sort`, label and
//! machine names, and event records with their properties. None may panic; every refusal is an
//! `Invalid` error naming its field; accepted forms keep their rules and parse again to themselves.

use panorama_core::ErrorKind;
use panorama_core::contact::{Keyword, SEARCH_KEYWORD_CHARS_MAX, Search, Sort};
use panorama_core::event::EventParser;
use panorama_core::label::{
    FOLLOWER_LABEL_NAME_BYTES_MAX, LABEL_NAME_CHARS_MAX, parse_account_name, parse_app_id,
    parse_follower_label_name, parse_label_name, parse_openid,
};
use panorama_core::metadata::{
    MachineName, Schema, parse_display_name, preset_attributes, preset_event_definitions,
};
use panorama_core::value::ParseOptions;
use proptest::prelude::*;
use serde_json::{Map, Value as Json, json};

/// Text with the characters that trip parsers: case that folds to longer text, controls,
/// odd whitespace, quotes and SQL wildcards.
fn tricky_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ \\t\u{3000}]?[a-zA-Z0-9_%'\\\\İẞΣ王伟 \u{0}\u{85}]{0,120}[ \u{a0}]?",
        "İ{90,110}",
    ]
}

fn schema() -> Schema {
    Schema::new(preset_attributes())
}

/// A name of the preset schema, or something else.
fn field_name() -> impl Strategy<Value = Option<String>> {
    let names: Vec<String> = preset_attributes()
        .iter()
        .map(|d| d.name.as_str().to_owned())
        .chain(["any".to_owned(), " mobile ".to_owned()])
        .collect();
    proptest::option::of(prop_oneof![
        proptest::sample::select(names),
        any::<String>()
    ])
}

fn property_value() -> impl Strategy<Value = Json> {
    prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(Json::from),
        any::<f64>().prop_map(Json::from),
        "[+\\-]?[0-9]{0,32}(\\.[0-9]{0,12})?".prop_map(Json::String),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z)?"
            .prop_map(Json::String),
        any::<String>().prop_map(Json::String),
        Just(json!(["a"])),
    ]
}

/// An event record of a preset definition, properties drawn from its attributes and others.
fn event_record() -> impl Strategy<Value = Json> {
    let definitions = preset_event_definitions();
    let keys: Vec<String> = definitions
        .iter()
        .map(|d| d.key.as_str().to_owned())
        .collect();
    let properties: Vec<String> = definitions
        .iter()
        .flat_map(|d| d.attributes.iter().map(|a| a.name.as_str().to_owned()))
        .chain(["colour".to_owned()])
        .collect();
    let occurred = prop_oneof![
        Just("2026-05-01T09:30:00.1234567+08:00".to_owned()),
        Just("9999-12-30T22:00:00.9999999Z".to_owned()),
        any::<String>(),
    ];
    let map = proptest::collection::btree_map(
        proptest::sample::select(properties),
        property_value(),
        0..6,
    );
    (proptest::sample::select(keys), occurred, map).prop_map(|(event, occurred_at, map)| {
        let properties: Map<String, Json> = map.into_iter().collect();
        json!({"event_id": "e1", "event": event, "occurred_at": occurred_at,
            "identity": {"anonymous_id": "device-1"}, "properties": properties})
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 384,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn keywords_are_folded_bounded_and_idempotent(raw in tricky_text()) {
        match Keyword::parse(&raw) {
            Ok(None) => prop_assert!(raw.trim().is_empty()),
            Ok(Some(keyword)) => {
                let text = keyword.as_str();
                let chars = text.chars().count();
                prop_assert!((1..=SEARCH_KEYWORD_CHARS_MAX).contains(&chars), "{} chars", chars);
                prop_assert!(!text.chars().any(char::is_control));
                prop_assert_eq!(text.to_lowercase(), text);
                prop_assert_eq!(Keyword::parse(text), Ok(Some(keyword.clone())));
            }
            Err(error) => prop_assert_eq!((error.kind, error.field.as_deref()), (ErrorKind::Invalid, Some("q"))),
        }
    }

    #[test]
    fn search_and_sort_accept_only_what_the_schema_offers(
        field in field_name(), q in proptest::option::of(tricky_text()),
        order in proptest::option::of("(?i)(asc|desc| asc |ascending|)"),
    ) {
        let schema = schema();
        match Search::parse(&schema, field.as_deref(), q.as_deref()) {
            Ok(_) => {}
            Err(error) => prop_assert_eq!(error.kind, ErrorKind::Invalid),
        }
        match Sort::parse(&schema, field.as_deref(), order.as_deref()) {
            Ok(sort) => {
                let def = schema.get(&sort.attribute);
                prop_assert!(def.is_some_and(|d| d.sortable), "{}", sort.attribute);
                prop_assert_eq!(Sort::parse(&schema, Some(&sort.attribute), Some(if sort.descending { "desc" } else { "asc" })), Ok(sort));
            }
            Err(error) => prop_assert_eq!(error.kind, ErrorKind::Invalid),
        }
    }

    #[test]
    fn names_keep_their_limits_and_are_idempotent(raw in tricky_text()) {
        if let Ok(name) = parse_label_name(&raw, "name") {
            prop_assert!((1..=LABEL_NAME_CHARS_MAX).contains(&name.chars().count()));
            prop_assert_eq!(parse_label_name(&name, "name"), Ok(name.clone()));
        }
        if let Ok(name) = parse_follower_label_name(&raw) {
            prop_assert!((1..=FOLLOWER_LABEL_NAME_BYTES_MAX).contains(&name.len()));
            prop_assert_eq!(parse_follower_label_name(&name), Ok(name.clone()));
        }
        let parsers: [fn(&str) -> panorama_core::Result<String>; 4] =
            [parse_app_id, parse_openid, parse_account_name, parse_display_name];
        for parse in parsers {
            if let Ok(text) = parse(&raw) {
                prop_assert!(!text.is_empty() && !text.chars().any(char::is_control));
                prop_assert_eq!(parse(&text), Ok(text.clone()));
            }
        }
        if let Ok(name) = MachineName::parse(&raw, "name") {
            prop_assert_eq!(MachineName::parse(name.as_str(), "name"), Ok(name.clone()));
        }
    }

    #[test]
    fn events_parse_to_canonical_properties(raw in event_record()) {
        let schema = schema();
        let definitions = preset_event_definitions();
        let parser = EventParser::new(&schema, &definitions, ParseOptions::default());
        match parser.parse(raw.clone()) {
            Ok(event) => {
                let mut again = raw.clone();
                again["properties"] = Json::Object(event.properties.clone());
                again["occurred_at"] = Json::String(event.occurred_at.to_string());
                prop_assert_eq!(parser.parse(again), Ok(event));
            }
            Err(error) => {
                prop_assert_eq!(error.kind, ErrorKind::Invalid, "{:?}", error);
                prop_assert!(error.field.is_some(), "{:?}", error);
            }
        }
    }
}

/// A keyword's length was checked before folding, so 90 `İ` passed and became 180 characters
/// that no longer parse: the length is now counted after folding.
#[test]
fn keywords_are_counted_after_folding() {
    let refused = Keyword::parse(&"İ".repeat(90)).map_err(|e| e.code);
    assert_eq!(refused, Err("limit_exceeded"));
    let accepted = Keyword::parse(&"İ".repeat(50))
        .ok()
        .flatten()
        .expect("100 folded characters");
    assert_eq!(Keyword::parse(accepted.as_str()), Ok(Some(accepted)));
}
