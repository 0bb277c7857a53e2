//! Masking of mobile numbers and email addresses for principals who may not read them
//! (PRODUCT.md §8): contact values by their attribute, event properties by name and value.
//!
//! Masking is applied where values leave the server, never in storage: searches still match the
//! stored values, and an admin (or an audited reveal) reads them whole.

mod text;

pub(crate) use text::country_code;
pub use text::{Sensitive, mask_email, mask_mobile, mask_text};

use crate::metadata::{AttributeDef, AttributeType};
use serde_json::{Map, Value as Json};
use std::collections::{BTreeMap, HashMap};

/// Whether values are shown as stored or masked, decided once per request from the principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Masking {
    /// Values as stored (admins, and the CLI acting as the local admin).
    Unmasked,
    /// Mobiles and emails masked.
    Masked,
}

impl Masking {
    /// `Unmasked` when `sees_unmasked`, else `Masked`.
    pub fn unless(sees_unmasked: bool) -> Self {
        if sees_unmasked {
            Self::Unmasked
        } else {
            Self::Masked
        }
    }
}

/// How one contact attribute's values are masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributeRule {
    /// Shown as stored: numbers, dates, booleans, enums.
    Keep,
    /// Always masked as this kind: the preset `mobile` and `email` (values checked as such on
    /// every write), and string attributes whose name says they hold one (`backup_email`).
    Always(Sensitive),
    /// Any other string attribute: masked when its value holds a mobile or an email
    /// ([`mask_text`]), since nothing stops a custom text attribute from holding one.
    Detect,
}

impl AttributeRule {
    /// The rule for `def`.
    pub fn of(def: &AttributeDef) -> Self {
        if def.attribute_type != AttributeType::String {
            return Self::Keep;
        }
        match Sensitive::of_name(def.name.as_str()) {
            Some(kind) => Self::Always(kind),
            None => Self::Detect,
        }
    }

    /// `value` masked, or `None` when it is shown as stored.
    pub fn mask(self, value: &Json) -> Option<Json> {
        match (self, value) {
            (Self::Keep, _) | (_, Json::Null) => None,
            (Self::Always(kind), Json::String(text)) => Some(Json::String(kind.mask(text))),
            (Self::Always(kind), other) => Some(Json::String(kind.mask(&other.to_string()))),
            (Self::Detect, Json::String(text)) => mask_text(text).map(Json::String),
            (Self::Detect, _) => None,
        }
    }
}

/// The masking of a contact's values for one request: a rule per attribute of the schema, or
/// nothing at all for a principal who sees values unmasked.
#[derive(Debug, Clone, Default)]
pub struct AttributeMask {
    /// `None` when nothing is masked.
    rules: Option<HashMap<String, AttributeRule>>,
}

impl AttributeMask {
    /// The mask for the attributes `defs` under `masking`.
    pub fn new(masking: Masking, defs: &[AttributeDef]) -> Self {
        let rules = (masking == Masking::Masked).then(|| {
            defs.iter()
                .map(|def| (def.name.as_str().to_owned(), AttributeRule::of(def)))
                .collect()
        });
        Self { rules }
    }

    /// A mask that shows every value as stored.
    pub fn unmasked() -> Self {
        Self { rules: None }
    }

    /// Whether anything is masked.
    pub fn is_masked(&self) -> bool {
        self.rules.is_some()
    }

    /// The rule for attribute `name`. A name the schema does not know (an attribute deleted
    /// while a value stayed) is treated like free text, so it cannot slip through.
    pub fn rule(&self, name: &str) -> AttributeRule {
        match &self.rules {
            None => AttributeRule::Keep,
            Some(rules) => rules.get(name).copied().unwrap_or(AttributeRule::Detect),
        }
    }

    /// `value` of attribute `name` masked, or `None` when it is shown as stored.
    pub fn value(&self, name: &str, value: &Json) -> Option<Json> {
        self.rule(name).mask(value)
    }

    /// Mask a contact's values in place.
    pub fn apply(&self, values: &mut BTreeMap<String, Json>) {
        if !self.is_masked() {
            return;
        }
        for (name, value) in values.iter_mut() {
            if let Some(masked) = self.value(name, value) {
                *value = masked;
            }
        }
    }
}

/// Mask the properties of an event of type `event` in place, under `masking`. The rule: a
/// property whose name says it holds a mobile or an email ([`Sensitive::of_name`]: `email` of a
/// bounce, `mobile` of an SMS) is masked whatever its value; the `old_value` and `new_value` of
/// an `attribute_change` are masked as the changed attribute's name says; every other string
/// value is masked when it holds one ([`mask_text`]), at any depth of arrays and objects.
pub fn mask_event_properties(masking: Masking, event: &str, properties: &mut Map<String, Json>) {
    if masking == Masking::Unmasked {
        return;
    }
    let changed = (event == "attribute_change")
        .then(|| properties.get("attribute").and_then(Json::as_str))
        .flatten()
        .and_then(Sensitive::of_name);
    for (name, value) in properties.iter_mut() {
        let kind = match name.as_str() {
            "old_value" | "new_value" if changed.is_some() => changed,
            _ => Sensitive::of_name(name),
        };
        mask_json(kind, value);
    }
}

fn mask_json(kind: Option<Sensitive>, value: &mut Json) {
    match (kind, value) {
        (_, Json::Null | Json::Bool(_)) => {}
        (Some(kind), Json::String(text)) => *text = kind.mask(text),
        (Some(kind), value @ Json::Number(_)) => {
            *value = Json::String(kind.mask(&value.to_string()))
        }
        (None, Json::String(text)) => {
            if let Some(masked) = mask_text(text) {
                *text = masked;
            }
        }
        (None, Json::Number(_)) => {}
        (kind, Json::Array(items)) => items.iter_mut().for_each(|item| mask_json(kind, item)),
        (kind, Json::Object(fields)) => {
            for (name, field) in fields.iter_mut() {
                mask_json(Sensitive::of_name(name).or(kind), field);
            }
        }
    }
}

#[cfg(test)]
mod tests;
