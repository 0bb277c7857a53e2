//! The JSON shapes of attribute and event definitions.
//!
//! Requests are parsed straight into the core's `NewAttribute`, `AttributePatch`, ... (they
//! refuse unknown fields); the `*Doc` types here describe those bodies in the OpenAPI document.

use panorama_core::metadata::{
    AttributeDef, AttributeType, EventAttribute, EventDefinition, Language, Translations,
    group_name,
};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A display name in both languages of the interface, as shown (a language without a name of its
/// own shows the definition's `display_name`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DisplayNamesDto {
    /// English.
    pub en: String,
    /// Simplified Chinese.
    pub zh: String,
}

impl DisplayNamesDto {
    fn of(label: impl Fn(Language) -> String) -> Self {
        Self {
            en: label(Language::En),
            zh: label(Language::Zh),
        }
    }
}

/// Display names per language in a request: a name given replaces, an empty one removes (the
/// definition's `display_name` then stands in), an absent one stays.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NamesDoc {
    /// English name.
    pub en: Option<String>,
    /// Simplified Chinese name.
    pub zh: Option<String>,
}

fn own_names(names: &Translations) -> NamesDoc {
    NamesDoc {
        en: names.en.clone(),
        zh: names.zh.clone(),
    }
}

/// The type of an attribute's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttributeTypeDto {
    /// Text up to `max_length` characters.
    String,
    /// Signed 64-bit integer.
    Integer,
    /// Fixed-scale decimal, written as text (`"12.50"`).
    Decimal,
    /// `YYYY-MM-DD`.
    Date,
    /// RFC 3339 with a time zone.
    Datetime,
    /// True or false.
    Boolean,
    /// One of `enum_values`.
    Enum,
}

impl From<AttributeType> for AttributeTypeDto {
    fn from(attribute_type: AttributeType) -> Self {
        match attribute_type {
            AttributeType::String => Self::String,
            AttributeType::Integer => Self::Integer,
            AttributeType::Decimal => Self::Decimal,
            AttributeType::Date => Self::Date,
            AttributeType::Datetime => Self::Datetime,
            AttributeType::Boolean => Self::Boolean,
            AttributeType::Enum => Self::Enum,
        }
    }
}

/// A contact attribute definition.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttributeDto {
    /// Machine name (ASCII snake_case), never changes.
    pub name: String,
    /// Display name, unique: the name it was created with (presets: English).
    pub display_name: String,
    /// The names set per language (what `PATCH` changes).
    pub names: NamesDoc,
    /// The name shown in each language.
    pub display_names: DisplayNamesDto,
    /// Value type, never changes.
    #[serde(rename = "type")]
    pub attribute_type: AttributeTypeDto,
    /// Maximum length in characters (strings).
    pub max_length: Option<u32>,
    /// Digits after the decimal point (decimals).
    pub scale: Option<u32>,
    /// Allowed values (enums).
    pub enum_values: Vec<String>,
    /// How each enum value shows in each language (`male`: Male / 男), by value.
    pub value_names: BTreeMap<String, DisplayNamesDto>,
    /// Whether the value may be empty.
    pub nullable: bool,
    /// Value given to new contacts that lack one (any JSON value of the type, or `null`).
    #[schema(value_type = serde_json::Value)]
    pub default_value: Option<Json>,
    /// Values identify a contact.
    pub primary_key: bool,
    /// Installed by Panorama; cannot be deleted.
    pub preset: bool,
    /// Offered in search.
    pub searchable: bool,
    /// Offered as a sort column.
    pub sortable: bool,
    /// Set by the system; never written by the API or imports.
    pub computed: bool,
}

impl From<AttributeDef> for AttributeDto {
    fn from(def: AttributeDef) -> Self {
        let value_names = def
            .enum_values
            .iter()
            .map(|v| {
                let names = DisplayNamesDto::of(|l| def.value_label(v, l).to_owned());
                (v.clone(), names)
            })
            .collect();
        Self {
            name: def.name.to_string(),
            names: own_names(&def.names),
            display_names: DisplayNamesDto::of(|l| def.label(l).to_owned()),
            display_name: def.display_name,
            attribute_type: def.attribute_type.into(),
            max_length: def.max_length,
            scale: def.scale,
            enum_values: def.enum_values,
            value_names,
            nullable: def.nullable,
            default_value: def.default_value,
            primary_key: def.primary_key,
            preset: def.preset,
            searchable: def.searchable,
            sortable: def.sortable,
            computed: def.computed,
        }
    }
}

/// Body of `POST /api/v1/attributes`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NewAttributeDoc {
    /// Machine name.
    pub name: String,
    /// Display name.
    pub display_name: String,
    /// Names per language (optional; the other language shows `display_name`).
    pub names: Option<NamesDoc>,
    /// Value type.
    #[serde(rename = "type")]
    pub attribute_type: AttributeTypeDto,
    /// Maximum length (strings; default 255, at most 4096).
    pub max_length: Option<u32>,
    /// Scale (decimals; default 2).
    pub scale: Option<u32>,
    /// Allowed values (enums).
    pub enum_values: Option<Vec<String>>,
    /// Names of enum values per language, by value.
    pub value_names: Option<BTreeMap<String, NamesDoc>>,
    /// May be empty (default true; false needs a default value).
    pub nullable: Option<bool>,
    /// Default value.
    #[schema(value_type = serde_json::Value)]
    pub default_value: Option<Json>,
    /// Offered in search (default: strings and enums).
    pub searchable: Option<bool>,
    /// Offered as a sort column (default true).
    pub sortable: Option<bool>,
}

/// Body of `PATCH /api/v1/attributes/{name}`; absent fields stay as they are.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttributePatchDoc {
    /// New display name (custom attributes; presets are renamed through `names`).
    pub display_name: Option<String>,
    /// Names per language (any attribute, presets too).
    pub names: Option<NamesDoc>,
    /// Names of enum values per language, by value.
    pub value_names: Option<BTreeMap<String, NamesDoc>>,
    /// New maximum length; refused if stored values are longer.
    pub max_length: Option<u32>,
    /// Searchable flag.
    pub searchable: Option<bool>,
    /// Sortable flag.
    pub sortable: Option<bool>,
    /// Primary-key flag; accepted only when stored values are unique.
    pub primary_key: Option<bool>,
}

/// An event definition.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventDefinitionDto {
    /// Machine name, unique.
    pub key: String,
    /// Display name: the name it was created with (presets: English).
    pub display_name: String,
    /// The names set per language (what `PATCH` changes).
    pub names: NamesDoc,
    /// The name shown in each language.
    pub display_names: DisplayNamesDto,
    /// Group (`email`, `sms`, `wechat`, ... or a custom group).
    pub group: String,
    /// The group's name in each language.
    pub group_names: DisplayNamesDto,
    /// Installed by Panorama: cannot be deleted or renamed, may gain attributes.
    pub preset: bool,
    /// Typed attributes.
    pub attributes: Vec<EventAttributeDto>,
}

/// One typed attribute of an event definition.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventAttributeDto {
    /// Machine name.
    pub name: String,
    /// Display name.
    pub display_name: String,
    /// The names set per language.
    pub names: NamesDoc,
    /// The name shown in each language.
    pub display_names: DisplayNamesDto,
    /// Value type.
    #[serde(rename = "type")]
    pub attribute_type: AttributeTypeDto,
}

/// One attribute of an event definition in a request.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NewEventAttributeDoc {
    /// Machine name.
    pub name: String,
    /// Display name (defaults to the machine name).
    pub display_name: Option<String>,
    /// Names per language.
    pub names: Option<NamesDoc>,
    /// Value type.
    #[serde(rename = "type")]
    pub attribute_type: AttributeTypeDto,
}

impl From<EventAttribute> for EventAttributeDto {
    fn from(attribute: EventAttribute) -> Self {
        Self {
            name: attribute.name.to_string(),
            names: own_names(&attribute.names),
            display_names: DisplayNamesDto::of(|l| attribute.label(l).to_owned()),
            display_name: attribute.display_name,
            attribute_type: attribute.attribute_type.into(),
        }
    }
}

impl From<EventDefinition> for EventDefinitionDto {
    fn from(definition: EventDefinition) -> Self {
        let group = definition.group.as_str();
        Self {
            key: definition.key.to_string(),
            names: own_names(&definition.names),
            display_names: DisplayNamesDto::of(|l| definition.label(l).to_owned()),
            group_names: DisplayNamesDto::of(|l| group_name(group, l).to_owned()),
            display_name: definition.display_name,
            group: definition.group.to_string(),
            preset: definition.preset,
            attributes: definition.attributes.into_iter().map(Into::into).collect(),
        }
    }
}

/// Body of `POST /api/v1/event-definitions`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NewEventDefinitionDoc {
    /// Machine name.
    pub key: String,
    /// Display name.
    pub display_name: String,
    /// Names per language (optional).
    pub names: Option<NamesDoc>,
    /// Group (default `custom`).
    pub group: Option<String>,
    /// Attributes; `display_name` of each is optional.
    pub attributes: Option<Vec<NewEventAttributeDoc>>,
}

/// Body of `PATCH /api/v1/event-definitions/{key}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventDefinitionPatchDoc {
    /// New display name (custom definitions only).
    pub display_name: Option<String>,
    /// New group (custom definitions only).
    pub group: Option<String>,
    /// Names per language (presets too).
    pub names: Option<NamesDoc>,
    /// Names per language of existing attributes, by attribute name (presets too).
    pub attribute_names: Option<BTreeMap<String, NamesDoc>>,
    /// Attributes to add (presets too).
    pub add_attributes: Option<Vec<NewEventAttributeDoc>>,
}
