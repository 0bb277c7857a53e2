//! Event definitions: which events exist, their group, and their typed attributes.

use super::attribute::AttributeType;
use super::language::{Language, Translations, shown};
use super::name::{MachineName, parse_display_name};
use crate::error::{Error, Result, codes};
use serde::{Deserialize, Serialize};

/// Most attributes one event definition may carry.
pub const EVENT_ATTRIBUTES_MAX: usize = 100;

/// One typed attribute of an event definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventAttribute {
    /// Machine name, unique within the event.
    pub name: MachineName,
    /// Display name.
    pub display_name: String,
    /// Display names per language (presets carry their Chinese one).
    #[serde(default, skip_serializing_if = "Translations::is_empty")]
    pub names: Translations,
    /// Value type.
    #[serde(rename = "type")]
    pub attribute_type: AttributeType,
}

impl EventAttribute {
    /// The display name to show in `language`.
    pub fn label(&self, language: Language) -> &str {
        shown(&self.names, &self.display_name, language)
    }
}

/// An event definition as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDefinition {
    /// Machine name, unique.
    pub key: MachineName,
    /// Display name.
    pub display_name: String,
    /// Display names per language (presets carry their Chinese one).
    #[serde(default, skip_serializing_if = "Translations::is_empty")]
    pub names: Translations,
    /// Group (`email`, `sms`, `wechat`, ..., or a custom group name).
    pub group: MachineName,
    /// Installed by Panorama: cannot be deleted or renamed, may gain attributes.
    pub preset: bool,
    /// Typed attributes.
    pub attributes: Vec<EventAttribute>,
}

/// An event attribute as requested.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NewEventAttribute {
    /// Machine name.
    pub name: String,
    /// Display name (defaults to the machine name).
    #[serde(default)]
    pub display_name: Option<String>,
    /// Display names per language (optional).
    #[serde(default)]
    pub names: Translations,
    /// Type name.
    #[serde(rename = "type")]
    pub attribute_type: String,
}

/// A custom event definition as requested.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NewEventDefinition {
    /// Machine name.
    pub key: String,
    /// Display name.
    pub display_name: String,
    /// Display names per language (optional).
    #[serde(default)]
    pub names: Translations,
    /// Group name (default `custom`).
    #[serde(default)]
    pub group: Option<String>,
    /// Attributes.
    #[serde(default)]
    pub attributes: Vec<NewEventAttribute>,
}

/// A change to an event definition.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct EventDefinitionPatch {
    /// New display name (custom definitions only).
    #[serde(default)]
    pub display_name: Option<String>,
    /// Display names per language, presets included: a name given replaces, an empty one
    /// removes.
    #[serde(default)]
    pub names: Option<Translations>,
    /// Display names per language of existing attributes, by attribute name.
    #[serde(default)]
    pub attribute_names: std::collections::BTreeMap<String, Translations>,
    /// New group (custom definitions only).
    #[serde(default)]
    pub group: Option<String>,
    /// Attributes to add.
    #[serde(default)]
    pub add_attributes: Vec<NewEventAttribute>,
}

impl EventDefinition {
    /// The display name to show in `language`.
    pub fn label(&self, language: Language) -> &str {
        shown(&self.names, &self.display_name, language)
    }

    /// Check a requested custom definition against the ones in force.
    pub fn check_new(existing: &[EventDefinition], new: &NewEventDefinition) -> Result<Self> {
        let key = MachineName::parse(new.key.trim(), "key")?;
        if existing.iter().any(|d| d.key == key) {
            return Err(Error::invalid(
                codes::DUPLICATE_NAME,
                "an event with this key exists",
                "key",
                &key,
            ));
        }
        let group = MachineName::parse(new.group.as_deref().unwrap_or("custom").trim(), "group")?;
        let mut definition = Self {
            key,
            display_name: parse_display_name(&new.display_name)?,
            names: new.names.parsed()?,
            group,
            preset: false,
            attributes: Vec::new(),
        };
        definition.add_attributes(&new.attributes)?;
        Ok(definition)
    }

    /// Apply a change, refusing renames of presets.
    pub fn check_patch(&self, patch: &EventDefinitionPatch) -> Result<Self> {
        let mut definition = self.clone();
        if self.preset && (patch.display_name.is_some() || patch.group.is_some()) {
            let field = if patch.display_name.is_some() {
                "display_name"
            } else {
                "group"
            };
            return Err(Error::invalid_field(
                codes::PRESET_IMMUTABLE,
                "preset events cannot be renamed or regrouped; they can gain attributes",
                field,
            ));
        }
        if let Some(name) = &patch.display_name {
            definition.display_name = parse_display_name(name)?;
        }
        if let Some(group) = &patch.group {
            definition.group = MachineName::parse(group.trim(), "group")?;
        }
        if let Some(names) = &patch.names {
            definition.names = definition.names.patched(names)?;
        }
        for (name, names) in &patch.attribute_names {
            let Some(attribute) = definition
                .attributes
                .iter_mut()
                .find(|a| a.name.as_str() == name)
            else {
                return Err(Error::invalid(
                    codes::INVALID_DEFINITION,
                    "names are given for an attribute the event does not have",
                    "attribute_names",
                    name,
                ));
            };
            attribute.names = attribute.names.patched(names)?;
        }
        definition.add_attributes(&patch.add_attributes)?;
        Ok(definition)
    }

    /// Check that this definition may be deleted.
    pub fn check_delete(&self) -> Result<()> {
        if self.preset {
            return Err(Error::invalid(
                codes::PRESET_IMMUTABLE,
                "preset events cannot be deleted",
                "key",
                &self.key,
            ));
        }
        Ok(())
    }

    /// The attribute called `name`, if defined.
    pub fn attribute(&self, name: &str) -> Option<&EventAttribute> {
        self.attributes.iter().find(|a| a.name.as_str() == name)
    }

    fn add_attributes(&mut self, new: &[NewEventAttribute]) -> Result<()> {
        for attribute in new {
            let name = MachineName::parse(attribute.name.trim(), "attributes.name")?;
            if self.attribute(name.as_str()).is_some() {
                return Err(Error::invalid(
                    codes::DUPLICATE_NAME,
                    "the event already has this attribute",
                    "attributes.name",
                    &name,
                ));
            }
            let display_name =
                parse_display_name(attribute.display_name.as_deref().unwrap_or(name.as_str()))?;
            let attribute_type =
                AttributeType::parse(&attribute.attribute_type).map_err(|e| Error {
                    field: Some("attributes.type".into()),
                    ..e
                })?;
            self.attributes.push(EventAttribute {
                name,
                display_name,
                names: attribute.names.parsed()?,
                attribute_type,
            });
        }
        if self.attributes.len() > EVENT_ATTRIBUTES_MAX {
            return Err(Error::invalid(
                codes::LIMIT_EXCEEDED,
                format!("an event carries at most {EVENT_ATTRIBUTES_MAX} attributes"),
                "attributes",
                self.attributes.len(),
            ));
        }
        Ok(())
    }
}
