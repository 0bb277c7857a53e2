//! `ContactRecord`: a write (import row, API body) checked against the schema, ready to resolve.

use super::consent::Channel;
use crate::error::{Error, Result, codes};
use crate::metadata::{AttributeDef, Schema};
use crate::text::{TextKind, check_text};
use crate::value::{ParseOptions, parse_boolean, parse_json};
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;

/// One identifying value: the attribute and the value in its matching form (folded to lower
/// case except for WeChat ids, which are case-sensitive).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyValue {
    /// Attribute machine name.
    pub attribute: String,
    /// Value as matched.
    pub value: String,
}

impl KeyValue {
    /// The matching form of `value` for identity attribute `def`.
    pub fn of(def: &AttributeDef, value: &Json) -> Option<Self> {
        let text = match value {
            Json::String(text) => text.clone(),
            Json::Null => return None,
            other => other.to_string(),
        };
        let value = if def.matches_case_sensitively() {
            text
        } else {
            text.to_lowercase()
        };
        Some(Self {
            attribute: def.name.as_str().to_owned(),
            value,
        })
    }

    /// Parse a lookup: `attribute` must be an identity attribute, `raw` is normalised like a write.
    pub fn lookup(
        schema: &Schema,
        attribute: &str,
        raw: &str,
        options: ParseOptions,
    ) -> Result<Self> {
        let def = schema.get(attribute).ok_or_else(|| unknown(attribute))?;
        if !def.is_identity() {
            return Err(Error::invalid(
                codes::INVALID_VALUE,
                "contacts are looked up by a key attribute (mobile, email, a primary key, wechat_openid, wechat_unionid)",
                "attribute",
                attribute,
            ));
        }
        let value = crate::value::parse_text(def, raw, options)?.ok_or_else(|| {
            Error::invalid(codes::INVALID_VALUE, "the value is empty", "value", raw)
        })?;
        Self::of(def, &value)
            .ok_or_else(|| Error::invalid(codes::INVALID_VALUE, "the value is empty", "value", raw))
    }
}

/// A checked write: canonical values (`None` clears), and channels it unsubscribes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContactRecord {
    /// Values by attribute name; `None` means clear the value.
    pub values: BTreeMap<String, Option<Json>>,
    /// Channels this record turns off. A record never turns a channel on (PRODUCT.md §4).
    pub unsubscribe: Vec<Channel>,
    /// Channels the record asked to turn on, which a write of attributes may not do; reported as kept.
    pub consent_kept: Vec<Channel>,
    /// Identity keys carried by the record.
    pub keys: Vec<KeyValue>,
    /// When a contact this record creates was first known, if before the write: only the demo
    /// sets it, to give its company a history. No parser sets it (JSON, files, CLI values), so
    /// no API or import can back-date a contact; a record that matches a contact ignores it.
    pub created_at: Option<jiff::Timestamp>,
}

impl ContactRecord {
    /// Check a JSON attribute map against `schema`. The first broken rule is returned, naming the
    /// attribute and value. Subscription columns (`email_subscribed`, ...) may appear among the values.
    pub fn from_json(
        schema: &Schema,
        attributes: &Map<String, Json>,
        options: ParseOptions,
    ) -> Result<Self> {
        let mut record = Self::default();
        for (name, raw) in attributes {
            if let Some(channel) = Channel::ALL.into_iter().find(|c| c.column() == name) {
                record.add_subscription(channel, raw)?;
                continue;
            }
            let def = schema.get(name).ok_or_else(|| unknown(name))?;
            if def.computed {
                // Refused before parsing, so the message is about writing, not about the type.
                return Err(computed(def, raw));
            }
            record.add_value(def, parse_json(def, raw, options)?)?;
        }
        record.finish(schema)?;
        Ok(record)
    }

    /// Add one parsed value for `def`, checking the attribute may be written.
    pub fn add_value(&mut self, def: &AttributeDef, value: Option<Json>) -> Result<()> {
        let name = def.name.as_str();
        if def.computed {
            return Err(computed(def, value.as_ref().unwrap_or(&Json::Null)));
        }
        if value.is_none() && !def.nullable {
            return Err(Error::invalid(
                codes::NOT_NULLABLE,
                format!("`{name}` may not be empty"),
                name,
                "",
            ));
        }
        self.values.insert(name.to_owned(), value);
        Ok(())
    }

    /// Add a subscription column's JSON value: `false` unsubscribes, `true` is kept without
    /// effect, `null` says nothing. JSON senders choose the type, so text (`"yes"`) is refused.
    pub fn add_subscription(&mut self, channel: Channel, raw: &Json) -> Result<()> {
        match raw {
            Json::Bool(flag) => {
                self.subscription(channel, *flag);
                Ok(())
            }
            Json::Null => Ok(()),
            other => Err(Error::invalid(
                codes::INVALID_VALUE,
                format!("`{}` takes true or false", channel.column()),
                channel.column(),
                crate::text::shown(&crate::value::display(other)),
            )),
        }
    }

    /// Add a subscription column's value written as text (a file cell): yes/no, true/false,
    /// 1/0 or 是/否; a blank cell says nothing.
    pub fn add_subscription_text(&mut self, channel: Channel, text: &str) -> Result<()> {
        if text.trim().is_empty() {
            return Ok(());
        }
        check_text(text, channel.column(), TextKind::SingleLine)?;
        let flag = parse_boolean(text).ok_or_else(|| {
            Error::invalid(
                codes::INVALID_VALUE,
                "a subscription column holds yes/no, true/false, 1/0 or 是/否",
                channel.column(),
                text,
            )
        })?;
        self.subscription(channel, flag);
        Ok(())
    }

    fn subscription(&mut self, channel: Channel, flag: bool) {
        if flag {
            self.consent_kept.push(channel);
        } else {
            self.unsubscribe.push(channel);
        }
    }

    /// Collect the identity keys; a record without any is refused.
    pub fn finish(&mut self, schema: &Schema) -> Result<()> {
        self.keys = schema
            .identities()
            .filter_map(|def| {
                self.values
                    .get(def.name.as_str())?
                    .as_ref()
                    .and_then(|v| KeyValue::of(def, v))
            })
            .collect();
        if self.keys.is_empty() {
            let names: Vec<&str> = schema.identities().map(|d| d.name.as_str()).collect();
            let given: Vec<&str> = self.values.keys().map(String::as_str).collect();
            return Err(Error::invalid(
                codes::NO_KEY_VALUE,
                format!(
                    "a contact needs at least one key value: {}",
                    names.join(", ")
                ),
                "attributes",
                if given.is_empty() {
                    "(none)".to_owned()
                } else {
                    given.join(", ")
                },
            ));
        }
        Ok(())
    }
}

fn computed(def: &AttributeDef, raw: &Json) -> Error {
    let name = def.name.as_str();
    Error::invalid(
        codes::COMPUTED_ATTRIBUTE,
        format!("`{name}` is computed by Panorama and cannot be written"),
        name,
        crate::value::display(raw),
    )
}

fn unknown(name: &str) -> Error {
    Error::invalid(
        codes::UNKNOWN_ATTRIBUTE,
        format!("`{name}` is not a defined attribute; define it first or drop it"),
        name,
        name,
    )
}
