//! Ingested events: one JSON record checked against the event definitions and the schema into
//! an `IncomingEvent`, before any store sees it.

use super::identity::EventIdentity;
use super::properties::parse_properties;
use crate::contact::ContactId;
use crate::error::{Error, Result, codes};
use crate::metadata::{EventDefinition, Schema};
use crate::text::{TextKind, check_text};
use crate::value::ParseOptions;
use serde_json::{Map, Value as Json};
use std::collections::HashMap;
use std::str::FromStr;

/// Most events one ingest request may carry (PRODUCT.md §6).
pub const EVENTS_BATCH_MAX: usize = 10_000;
/// Longest `event_id`, in bytes.
pub const EVENT_ID_BYTES_MAX: usize = 128;

/// An event checked at the edge: known definition, typed properties, an exact instant.
#[derive(Debug, Clone, PartialEq)]
pub struct IncomingEvent {
    /// The sender's unique id; a second record with it is a duplicate.
    pub event_id: String,
    /// Event definition key.
    pub event: String,
    /// When it happened, to the microsecond.
    pub occurred_at: jiff::Timestamp,
    /// Whom it happened to.
    pub identity: EventIdentity,
    /// Properties in canonical form.
    pub properties: Map<String, Json>,
}

/// What ingesting one event did.
#[derive(Debug, Clone, PartialEq)]
pub enum IngestStatus {
    /// Stored for this contact.
    Created,
    /// An event with this id was stored before (or earlier in the batch): nothing changed.
    Duplicate,
    /// Refused, with the reason.
    Rejected(Error),
}

/// The outcome of one event of a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct IngestOutcome {
    /// Created, duplicate or rejected.
    pub status: IngestStatus,
    /// The contact the event belongs to (none when rejected or duplicate).
    pub contact_id: Option<ContactId>,
    /// Whether resolving the identity created that contact.
    pub contact_created: bool,
    /// Contacts merged into it because the identity linked them.
    pub merged: Vec<ContactId>,
}

impl IngestOutcome {
    /// A duplicate: an event with this id is stored already.
    pub fn duplicate() -> Self {
        Self {
            status: IngestStatus::Duplicate,
            contact_id: None,
            contact_created: false,
            merged: Vec::new(),
        }
    }

    /// A rejection, with its reason.
    pub fn rejected(error: Error) -> Self {
        Self {
            status: IngestStatus::Rejected(error),
            contact_id: None,
            contact_created: false,
            merged: Vec::new(),
        }
    }
}

/// Checks event records against the definitions and the schema in force.
pub struct EventParser<'a> {
    schema: &'a Schema,
    definitions: HashMap<&'a str, &'a EventDefinition>,
    options: ParseOptions,
}

impl<'a> EventParser<'a> {
    /// A parser over the schema and definitions in force.
    pub fn new(
        schema: &'a Schema,
        definitions: &'a [EventDefinition],
        options: ParseOptions,
    ) -> Self {
        Self {
            schema,
            definitions: definitions.iter().map(|d| (d.key.as_str(), d)).collect(),
            options,
        }
    }

    /// The definition of `key`, if any.
    pub fn definition(&self, key: &str) -> Option<&'a EventDefinition> {
        self.definitions.get(key).copied()
    }

    /// Check one record `{event_id, event, occurred_at, identity, properties}`; the first broken
    /// rule is returned, naming its field and value. The record is taken so that its texts move
    /// into the event rather than being copied.
    pub fn parse(&self, raw: Json) -> Result<IncomingEvent> {
        let Json::Object(mut object) = raw else {
            return Err(Error::invalid(
                codes::BAD_REQUEST,
                "an event is a JSON object",
                "events",
                "(not an object)",
            ));
        };
        if let Some(unknown) = object.keys().find(|k| {
            !["event_id", "event", "occurred_at", "identity", "properties"].contains(&k.as_str())
        }) {
            return Err(Error::invalid(
                codes::BAD_REQUEST,
                "an event has the fields event_id, event, occurred_at, identity and properties",
                unknown.clone(),
                unknown,
            ));
        }
        let event_id = text(&mut object, "event_id")?;
        if event_id.trim().is_empty() || event_id.len() > EVENT_ID_BYTES_MAX {
            return Err(Error::invalid(
                codes::INVALID_VALUE,
                format!("event_id is 1 to {EVENT_ID_BYTES_MAX} bytes of text"),
                "event_id",
                &event_id,
            ));
        }
        let key = text(&mut object, "event")?;
        let definition = self.definition(&key).ok_or_else(|| {
            Error::invalid(
                codes::UNKNOWN_EVENT,
                format!("`{key}` is not a defined event; define it first"),
                "event",
                &key,
            )
        })?;
        let occurred_at = parse_instant(&text(&mut object, "occurred_at")?, "occurred_at")?;
        let empty = Map::new();
        let identity = match object.get("identity") {
            Some(Json::Object(map)) => map,
            None | Some(Json::Null) => &empty,
            Some(other) => {
                return Err(Error::invalid(
                    codes::BAD_REQUEST,
                    "identity is a JSON object",
                    "identity",
                    other,
                ));
            }
        };
        let identity = EventIdentity::parse(self.schema, identity, self.options)?;
        let properties = match object.remove("properties") {
            Some(Json::Object(map)) => parse_properties(definition, map)?,
            None | Some(Json::Null) => Map::new(),
            Some(other) => {
                return Err(Error::invalid(
                    codes::BAD_REQUEST,
                    "properties is a JSON object",
                    "properties",
                    other,
                ));
            }
        };
        let event_id = match event_id.trim() {
            trimmed if trimmed.len() == event_id.len() => event_id,
            trimmed => trimmed.to_owned(),
        };
        Ok(IncomingEvent {
            event_id,
            event: key,
            occurred_at,
            identity,
            properties,
        })
    }
}

/// Take the text of `field` out of `object`: a JSON string (an `event_id` sent as a number is
/// refused like any other wrong type) holding no control character.
fn text(object: &mut Map<String, Json>, field: &str) -> Result<String> {
    match object.remove(field) {
        Some(Json::String(text)) if !text.trim().is_empty() => {
            check_text(&text, field, TextKind::SingleLine)?;
            Ok(text)
        }
        None | Some(Json::Null) => Err(Error::invalid_field(
            codes::BAD_REQUEST,
            format!("`{field}` is required"),
            field,
        )),
        Some(other) => Err(Error::invalid(
            codes::INVALID_VALUE,
            format!("`{field}` is a JSON string"),
            field,
            other,
        )),
    }
}

/// An instant written in RFC 3339 with any offset (`2026-05-01T09:30:00+08:00`), kept to the
/// microsecond both databases store.
pub fn parse_instant(raw: &str, field: &str) -> Result<jiff::Timestamp> {
    let at = jiff::Timestamp::from_str(raw.trim()).map_err(|_| {
        Error::invalid(
            codes::INVALID_VALUE,
            format!(
                "`{field}` is an RFC 3339 time with an offset, such as 2026-05-01T09:30:00+08:00"
            ),
            field,
            raw,
        )
    })?;
    // As for datetime attributes: microseconds are kept, and years before 1 have no RFC 3339
    // form to show or download.
    at.round(jiff::Unit::Microsecond)
        .ok()
        .filter(|at| at.as_second() >= crate::value::YEAR_1_SECOND)
        .ok_or_else(|| {
            Error::invalid(
                codes::INVALID_VALUE,
                format!("`{field}` is out of range: years 1 to 9999"),
                field,
                raw,
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_before_year_one_are_refused() {
        assert!(parse_instant("0001-01-01T00:00:00Z", "occurred_at").is_ok());
        let refused = parse_instant("-000001-06-01T00:00:00Z", "occurred_at").expect_err("year 0");
        assert_eq!(refused.field.as_deref(), Some("occurred_at"));
    }
    use crate::metadata::{preset_attributes, preset_event_definitions};
    use serde_json::json;

    fn parse(raw: Json) -> Result<IncomingEvent> {
        let schema = Schema::new(preset_attributes());
        let definitions = preset_event_definitions();
        EventParser::new(&schema, &definitions, ParseOptions::default()).parse(raw)
    }

    #[test]
    fn a_valid_event_is_parsed_with_its_offset_kept_exactly() {
        let event = parse(json!({"event_id": "e1", "event": "email_open", "occurred_at": "2026-05-01T09:30:00.1234567+08:00",
            "identity": {"mobile": "138 1234 5678"}, "properties": {"subject": "Hi"}}))
        .expect("valid");
        assert_eq!(event.occurred_at.to_string(), "2026-05-01T01:30:00.123457Z");
        assert_eq!(event.identity.keys[0].value, "+8613812345678");
    }

    #[test]
    fn each_rule_names_its_field() {
        let base = json!({"event_id": "e1", "event": "email_open", "occurred_at": "2026-05-01T09:30:00Z", "identity": {"anonymous_id": "d1"}});
        let with = |field: &str, value: Json| {
            let mut raw = base.clone();
            raw[field] = value;
            parse(raw).expect_err("refused")
        };
        assert_eq!(with("event", json!("nope")).code, codes::UNKNOWN_EVENT);
        assert_eq!(
            with("occurred_at", json!("yesterday")).field.as_deref(),
            Some("occurred_at")
        );
        assert_eq!(with("identity", json!({})).code, codes::NO_KEY_VALUE);
        assert_eq!(
            with("identity", json!({"name": "x"})).field.as_deref(),
            Some("identity.name")
        );
        assert_eq!(
            with("identity", json!({"email": "not-an-email"}))
                .field
                .as_deref(),
            Some("identity.email")
        );
        assert_eq!(
            with("properties", json!({"nope": 1})).field.as_deref(),
            Some("properties.nope")
        );
        assert_eq!(
            with("event_id", json!("")).field.as_deref(),
            Some("event_id")
        );
    }
}
