//! Contact attribute definitions: the schema a company defines, and the rules for changing it.

use super::name::{MachineName, parse_display_name};
use crate::error::{Error, Result, codes};
use serde::{Deserialize, Serialize};

/// Default maximum length of a string attribute, in characters.
pub const STRING_CHARS_DEFAULT: u32 = 255;
/// Largest maximum length a string attribute may declare, in characters.
pub const STRING_CHARS_MAX: u32 = 4096;
/// Default number of digits after the decimal point of a decimal attribute.
pub const DECIMAL_SCALE_DEFAULT: u32 = 2;
/// Largest decimal scale.
pub const DECIMAL_SCALE_MAX: u32 = 10;
/// Most values an enum attribute may list.
pub const ENUM_VALUES_MAX: usize = 200;
/// Most custom attributes a company may define (PRODUCT.md §1).
pub const CUSTOM_ATTRIBUTES_MAX: usize = 300;

/// The type of an attribute's values. It never changes after creation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributeType {
    /// Text up to `max_length` characters.
    String,
    /// A signed 64-bit integer.
    Integer,
    /// A fixed-scale decimal such as money, kept as text (`"12.50"`) so no precision is lost.
    Decimal,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// An instant, RFC 3339 with a time zone; stored in UTC.
    Datetime,
    /// True or false.
    Boolean,
    /// One of a fixed list of values.
    Enum,
}

impl AttributeType {
    /// The snake_case name used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Integer => "integer",
            Self::Decimal => "decimal",
            Self::Date => "date",
            Self::Datetime => "datetime",
            Self::Boolean => "boolean",
            Self::Enum => "enum",
        }
    }

    /// Parse the snake_case name.
    pub fn parse(input: &str) -> Result<Self> {
        serde_json::from_value(serde_json::Value::String(input.to_owned())).map_err(|_| {
            Error::invalid(
                codes::INVALID_DEFINITION,
                "the type must be one of string, integer, decimal, date, datetime, boolean, enum",
                "type",
                input,
            )
        })
    }
}

/// A contact attribute definition as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeDef {
    /// Machine name, unique, never changes.
    pub name: MachineName,
    /// Display name, unique; may be Chinese.
    pub display_name: String,
    /// Value type.
    #[serde(rename = "type")]
    pub attribute_type: AttributeType,
    /// Maximum length in characters (strings only).
    pub max_length: Option<u32>,
    /// Digits after the decimal point (decimals only).
    pub scale: Option<u32>,
    /// Allowed values (enums only).
    pub enum_values: Vec<String>,
    /// Whether the value may be empty.
    pub nullable: bool,
    /// Value given to new contacts that do not carry one, in its stored JSON form.
    pub default_value: Option<serde_json::Value>,
    /// Whether values identify a contact (unique across contacts).
    pub primary_key: bool,
    /// Installed by Panorama; cannot be deleted.
    pub preset: bool,
    /// Offered in search.
    pub searchable: bool,
    /// Offered as a sort column.
    pub sortable: bool,
    /// Set by the system, never written by imports or the API.
    pub computed: bool,
}

/// Identity attributes that are not primary keys but still identify a contact; their values match
/// case-sensitively (PRODUCT.md §1).
pub const WECHAT_IDENTITIES: [&str; 2] = ["wechat_openid", "wechat_unionid"];

impl AttributeDef {
    /// Whether a value of this attribute identifies a contact.
    pub fn is_identity(&self) -> bool {
        self.primary_key || WECHAT_IDENTITIES.contains(&self.name.as_str())
    }

    /// Whether values match case-sensitively when identifying contacts.
    pub fn matches_case_sensitively(&self) -> bool {
        WECHAT_IDENTITIES.contains(&self.name.as_str())
    }
}

/// A custom attribute as requested through the API or the CLI, before its rules are checked.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct NewAttribute {
    /// Machine name.
    pub name: String,
    /// Display name.
    pub display_name: String,
    /// Type name (`string`, `integer`, ...).
    #[serde(rename = "type")]
    pub attribute_type: String,
    /// Maximum length (strings; default 255).
    #[serde(default)]
    pub max_length: Option<u32>,
    /// Scale (decimals; default 2).
    #[serde(default)]
    pub scale: Option<u32>,
    /// Allowed values (enums).
    #[serde(default)]
    pub enum_values: Vec<String>,
    /// May be empty (default true).
    #[serde(default)]
    pub nullable: Option<bool>,
    /// Default value.
    #[serde(default)]
    pub default_value: Option<serde_json::Value>,
    /// Offered in search (default true for strings and enums).
    #[serde(default)]
    pub searchable: Option<bool>,
    /// Offered as a sort column (default true).
    #[serde(default)]
    pub sortable: Option<bool>,
}

/// A change to an existing attribute. Absent fields stay as they are.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AttributePatch {
    /// New display name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// New maximum length (strings only); refused if stored values are longer.
    #[serde(default)]
    pub max_length: Option<u32>,
    /// Searchable flag.
    #[serde(default)]
    pub searchable: Option<bool>,
    /// Sortable flag.
    #[serde(default)]
    pub sortable: Option<bool>,
    /// Primary-key flag; accepted only when stored values are unique.
    #[serde(default)]
    pub primary_key: Option<bool>,
}

pub(crate) fn check_max_length(length: u32) -> Result<u32> {
    if length == 0 || length > STRING_CHARS_MAX {
        return Err(Error::invalid(
            codes::INVALID_DEFINITION,
            format!("max_length must be between 1 and {STRING_CHARS_MAX} characters"),
            "max_length",
            length,
        ));
    }
    Ok(length)
}

pub(crate) fn check_display_name_free(
    others: &[AttributeDef],
    except: &str,
    display_name: &str,
) -> Result<()> {
    let folded = display_name.to_lowercase();
    if others
        .iter()
        .any(|d| d.name.as_str() != except && d.display_name.to_lowercase() == folded)
    {
        return Err(Error::invalid(
            codes::DUPLICATE_NAME,
            "another attribute already has this display name",
            "display_name",
            display_name,
        ));
    }
    Ok(())
}

pub(crate) fn parse_new_display_name(input: &str) -> Result<String> {
    parse_display_name(input)
}
