//! The JSON shapes of attribute and event definitions.
//!
//! Requests are parsed straight into the core's `NewAttribute`, `AttributePatch`, ... (they
//! refuse unknown fields); the `*Doc` types here describe those bodies in the OpenAPI document.

use panorama_core::metadata::{AttributeDef, AttributeType, EventAttribute, EventDefinition};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use utoipa::ToSchema;

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
    /// Display name, unique.
    pub display_name: String,
    /// Value type, never changes.
    #[serde(rename = "type")]
    pub attribute_type: AttributeTypeDto,
    /// Maximum length in characters (strings).
    pub max_length: Option<u32>,
    /// Digits after the decimal point (decimals).
    pub scale: Option<u32>,
    /// Allowed values (enums).
    pub enum_values: Vec<String>,
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
        Self {
            name: def.name.to_string(),
            display_name: def.display_name,
            attribute_type: def.attribute_type.into(),
            max_length: def.max_length,
            scale: def.scale,
            enum_values: def.enum_values,
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
    /// Value type.
    #[serde(rename = "type")]
    pub attribute_type: AttributeTypeDto,
    /// Maximum length (strings; default 255, at most 4096).
    pub max_length: Option<u32>,
    /// Scale (decimals; default 2).
    pub scale: Option<u32>,
    /// Allowed values (enums).
    pub enum_values: Option<Vec<String>>,
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
    /// New display name.
    pub display_name: Option<String>,
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
    /// Display name.
    pub display_name: String,
    /// Group (`email`, `sms`, `wechat`, ... or a custom group).
    pub group: String,
    /// Installed by Panorama: cannot be deleted or renamed, may gain attributes.
    pub preset: bool,
    /// Typed attributes.
    pub attributes: Vec<EventAttributeDto>,
}

/// One typed attribute of an event definition.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EventAttributeDto {
    /// Machine name.
    pub name: String,
    /// Display name (defaults to the machine name in requests).
    pub display_name: String,
    /// Value type.
    #[serde(rename = "type")]
    pub attribute_type: AttributeTypeDto,
}

impl From<EventAttribute> for EventAttributeDto {
    fn from(attribute: EventAttribute) -> Self {
        Self {
            name: attribute.name.to_string(),
            display_name: attribute.display_name,
            attribute_type: attribute.attribute_type.into(),
        }
    }
}

impl From<EventDefinition> for EventDefinitionDto {
    fn from(definition: EventDefinition) -> Self {
        Self {
            key: definition.key.to_string(),
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
    /// Group (default `custom`).
    pub group: Option<String>,
    /// Attributes; `display_name` of each is optional.
    pub attributes: Option<Vec<EventAttributeDto>>,
}

/// Body of `PATCH /api/v1/event-definitions/{key}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventDefinitionPatchDoc {
    /// New display name (custom definitions only).
    pub display_name: Option<String>,
    /// New group (custom definitions only).
    pub group: Option<String>,
    /// Attributes to add (presets too).
    pub add_attributes: Option<Vec<EventAttributeDto>>,
}
