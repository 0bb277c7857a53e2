//! Event properties: each value parsed against its event attribute's type into canonical JSON.
//!
//! Event attributes carry a type but none of a contact attribute's extras (length, scale, enum
//! values), so they get fixed ones here. Strings are taken as sent: an `email` property of a
//! bounce is evidence of what was sent, not a key to normalise, so the contact rules for `mobile`
//! and `email` values do not apply.

use crate::error::{Error, Result, codes};
use crate::metadata::{AttributeDef, AttributeType, EventAttribute, EventDefinition};
use crate::text::{TextKind, check_text};
use crate::value::{ParseOptions, parse_json};
use serde_json::{Map, Value as Json};

/// Longest string property, in characters.
pub const EVENT_STRING_CHARS_MAX: usize = 4096;
/// Digits kept after the decimal point of decimal properties (money: amounts, prices).
pub const EVENT_DECIMAL_SCALE: u32 = 2;

/// Check every property of `raw` against `definition`: undefined names and ill-typed values are
/// refused naming `properties.NAME`; nulls are dropped. Text values move into the result.
pub(super) fn parse_properties(
    definition: &EventDefinition,
    raw: Map<String, Json>,
) -> Result<Map<String, Json>> {
    let mut out = Map::new();
    for (name, value) in raw {
        let field = || format!("properties.{name}");
        let Some(attribute) = definition.attribute(&name) else {
            return Err(Error::invalid(
                codes::UNKNOWN_ATTRIBUTE,
                format!(
                    "event `{}` has no attribute `{name}`; add it to the event definition first",
                    definition.key
                ),
                field(),
                &name,
            ));
        };
        match parse_property(attribute, value) {
            Ok(Some(parsed)) => {
                out.insert(name, parsed);
            }
            Ok(None) => {}
            Err(e) => {
                return Err(Error {
                    field: Some(field()),
                    ..e
                });
            }
        }
    }
    Ok(out)
}

fn parse_property(attribute: &EventAttribute, raw: Json) -> Result<Option<Json>> {
    let name = attribute.name.as_str();
    match (attribute.attribute_type, raw) {
        (_, Json::Null) => Ok(None),
        // Enums of events list no values: they are text.
        (AttributeType::String | AttributeType::Enum, Json::String(text)) => {
            // Free text: a message or an address may hold tabs and line breaks.
            check_text(&text, name, TextKind::FreeText)?;
            let length = text.chars().count();
            if length > EVENT_STRING_CHARS_MAX {
                return Err(Error::invalid(
                    codes::VALUE_TOO_LONG,
                    format!(
                        "`{name}` holds at most {EVENT_STRING_CHARS_MAX} characters; this value has {length}"
                    ),
                    name,
                    text.chars().take(64).collect::<String>(),
                ));
            }
            Ok(Some(Json::String(text)))
        }
        (AttributeType::String | AttributeType::Enum, other) => Err(Error::invalid(
            codes::INVALID_VALUE,
            format!("`{name}` holds text: a JSON string"),
            name,
            other,
        )),
        (attribute_type, raw) => parse_json(
            &as_definition(attribute, attribute_type),
            &raw,
            ParseOptions::default(),
        ),
    }
}

/// A contact attribute definition with the event attribute's name and type, to reuse the value
/// parser for numbers, dates and booleans.
fn as_definition(attribute: &EventAttribute, attribute_type: AttributeType) -> AttributeDef {
    AttributeDef {
        name: attribute.name.clone(),
        display_name: attribute.display_name.clone(),
        names: attribute.names.clone(),
        attribute_type,
        max_length: None,
        scale: Some(EVENT_DECIMAL_SCALE),
        enum_values: Vec::new(),
        value_names: Default::default(),
        nullable: true,
        default_value: None,
        primary_key: false,
        preset: false,
        searchable: false,
        sortable: false,
        computed: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::preset_event_definitions;
    use serde_json::json;

    fn order() -> EventDefinition {
        preset_event_definitions()
            .into_iter()
            .find(|d| d.key.as_str() == "order")
            .expect("the order preset")
    }

    #[test]
    fn values_take_their_canonical_form() {
        let raw = json!({"order_id": "42", "amount": "199.5", "item_count": 3, "status": null});
        let parsed =
            parse_properties(&order(), raw.as_object().expect("object").clone()).expect("valid");
        assert_eq!(
            Json::Object(parsed),
            json!({"order_id": "42", "amount": "199.50", "item_count": 3})
        );
    }

    #[test]
    fn undefined_and_ill_typed_properties_name_the_field() {
        let unknown = parse_properties(
            &order(),
            json!({"colour": "red"})
                .as_object()
                .expect("object")
                .clone(),
        )
        .expect_err("undefined");
        assert_eq!(unknown.code, codes::UNKNOWN_ATTRIBUTE);
        assert_eq!(unknown.field.as_deref(), Some("properties.colour"));
        let bad = parse_properties(
            &order(),
            json!({"item_count": "many"})
                .as_object()
                .expect("object")
                .clone(),
        )
        .expect_err("ill-typed");
        assert_eq!(bad.code, codes::INVALID_VALUE);
        assert_eq!(bad.field.as_deref(), Some("properties.item_count"));
        assert_eq!(bad.value.as_deref(), Some("many"));
        let number = parse_properties(
            &order(),
            json!({"order_id": 42}).as_object().expect("object").clone(),
        )
        .expect_err("a number is not text");
        assert_eq!(number.field.as_deref(), Some("properties.order_id"));
        let nul = parse_properties(
            &order(),
            json!({"status": "pa\u{0}id"})
                .as_object()
                .expect("object")
                .clone(),
        )
        .expect_err("NUL");
        assert_eq!(nul.code, codes::CONTROL_CHARACTER);
        assert_eq!(nul.field.as_deref(), Some("properties.status"));
        assert!(
            nul.detail.contains("U+0000 at position 3"),
            "{}",
            nul.detail
        );
    }
}
