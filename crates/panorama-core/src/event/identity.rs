//! Whom an ingested event belongs to: a contact id, key values, or an anonymous id; and what the
//! store does once it knows which contacts hold them.
//!
//! Key values go through the same parsing and matching form as contact writes (`KeyValue`), and
//! any write an event causes is an ordinary `ContactRecord` planned by `plan_upsert`, so merges,
//! "more restrictive consent wins" and `user_created` behave exactly as for contact writes.
//! Consent effects of events (unsubscribes, bounces) are `contact::consent_events`.

use crate::contact::{ContactId, ContactRecord, KeyValue};
use crate::error::{Error, Result, codes};
use crate::metadata::Schema;
use crate::text::{TextKind, check_text};
use crate::value::{ParseOptions, parse_json};
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;

/// Longest anonymous id (a device or cookie id), in bytes.
pub const ANONYMOUS_ID_BYTES_MAX: usize = 128;

/// A device or cookie id that identifies an anonymous contact until a record links it to keys.
/// Matched exactly (case-sensitively), like WeChat ids.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AnonymousId(String);

impl AnonymousId {
    /// Parse a non-empty id of at most [`ANONYMOUS_ID_BYTES_MAX`] bytes, trimmed, without
    /// control characters.
    pub fn parse(raw: &str) -> Result<Self> {
        let text = raw.trim();
        check_text(text, "identity.anonymous_id", TextKind::SingleLine)?;
        if text.is_empty() || text.len() > ANONYMOUS_ID_BYTES_MAX {
            return Err(Error::invalid(
                codes::INVALID_VALUE,
                format!("an anonymous id is 1 to {ANONYMOUS_ID_BYTES_MAX} bytes of text"),
                "identity.anonymous_id",
                raw,
            ));
        }
        Ok(Self(text.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The identity of an ingested event, checked against the schema.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EventIdentity {
    /// The contact named by its system id; then nothing else is given.
    pub contact_id: Option<ContactId>,
    /// Key values in canonical form, by attribute.
    pub values: BTreeMap<String, Json>,
    /// The same key values in matching form.
    pub keys: Vec<KeyValue>,
    /// The anonymous id, if sent.
    pub anonymous_id: Option<AnonymousId>,
}

impl EventIdentity {
    /// Parse `{contact_id}` or `{key attributes..., anonymous_id}`. Every name must be
    /// `contact_id`, `anonymous_id` or an identity attribute; at least one must carry a value.
    pub fn parse(schema: &Schema, raw: &Map<String, Json>, options: ParseOptions) -> Result<Self> {
        let mut identity = Self::default();
        for (name, value) in raw {
            // Made only for an error: most events carry no error and a key or two.
            let field = || format!("identity.{name}");
            let text = || match value {
                Json::String(text) => Ok(text.clone()),
                other => Err(Error::invalid(
                    codes::INVALID_VALUE,
                    format!("`{}` is a JSON string", field()),
                    field(),
                    other,
                )),
            };
            match name.as_str() {
                _ if value.is_null() => {}
                "contact_id" => {
                    identity.contact_id = Some(ContactId::parse(&text()?).map_err(|e| Error {
                        field: Some(field()),
                        ..e
                    })?);
                }
                "anonymous_id" => identity.anonymous_id = Some(AnonymousId::parse(&text()?)?),
                _ => {
                    let def = schema.get(name).filter(|d| d.is_identity()).ok_or_else(|| {
                        Error::invalid(
                            codes::UNKNOWN_ATTRIBUTE,
                            "an identity holds contact_id, anonymous_id or key attributes (mobile, email, wechat_openid, wechat_unionid, primary keys)",
                            field(),
                            name,
                        )
                    })?;
                    if let Some(parsed) = parse_json(def, value, options).map_err(|e| Error {
                        field: Some(field()),
                        ..e
                    })? && let Some(key) = KeyValue::of(def, &parsed)
                    {
                        identity.keys.push(key);
                        identity.values.insert(name.clone(), parsed);
                    }
                }
            }
        }
        let others = !identity.keys.is_empty() || identity.anonymous_id.is_some();
        match (identity.contact_id.is_some(), others) {
            (true, false) | (false, true) => Ok(identity),
            (true, true) => Err(Error::invalid_field(
                codes::INVALID_VALUE,
                "an identity names a contact either by contact_id or by key values and anonymous_id, not both",
                "identity",
            )),
            (false, false) => Err(Error::invalid(
                codes::NO_KEY_VALUE,
                "an event needs an identity: contact_id, a key value (mobile, email, wechat_openid, ...) or anonymous_id",
                "identity",
                Json::Object(raw.clone()),
            )),
        }
    }
}

/// What the store does with an event, given the holders of its keys and anonymous id.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// One contact holds every key and the anonymous id, and nothing changes: attach the event.
    Attach(ContactId),
    /// Write `record` through `plan_upsert` against the contacts `matched` (none: create one;
    /// several: merge them), then attach the event to the survivor.
    Write {
        /// Distinct contacts holding a key or the anonymous id.
        matched: Vec<ContactId>,
        /// The key values no matched contact holds yet.
        record: ContactRecord,
    },
}

/// Decide what an event does. `holder_of(key)` says which contact holds a key value;
/// `anonymous_holder` which holds the anonymous id. Key values already held are not written
/// again, so an event never rewrites a stored spelling; only new links are.
pub fn resolve(
    identity: &EventIdentity,
    holder_of: impl Fn(&KeyValue) -> Option<ContactId>,
    anonymous_holder: Option<ContactId>,
) -> Resolution {
    let mut matched: Vec<ContactId> = Vec::new();
    let mut record = ContactRecord::default();
    for key in &identity.keys {
        match holder_of(key) {
            Some(holder) if !matched.contains(&holder) => matched.push(holder),
            Some(_) => {}
            None => {
                if let Some(value) = identity.values.get(&key.attribute) {
                    record
                        .values
                        .insert(key.attribute.clone(), Some(value.clone()));
                }
                record.keys.push(key.clone());
            }
        }
    }
    if let Some(holder) = anonymous_holder
        && !matched.contains(&holder)
    {
        matched.push(holder);
    }
    let anonymous_unknown = identity.anonymous_id.is_some() && anonymous_holder.is_none();
    match matched.as_slice() {
        [one] if record.values.is_empty() && !anonymous_unknown => Resolution::Attach(*one),
        _ => Resolution::Write { matched, record },
    }
}
