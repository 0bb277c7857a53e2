//! Contact attribute definitions: the schema a company defines, and the rules for changing it.

use super::language::{Language, Translations, shown};
use super::name::{MachineName, parse_display_name};
use crate::error::{Error, Result, codes};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    /// Display name, unique; may be Chinese. The name it was created with (presets: English);
    /// `names` holds the name per language where one is set.
    pub display_name: String,
    /// Display names per language (presets carry their Chinese one); unique like `display_name`.
    #[serde(default, skip_serializing_if = "Translations::is_empty")]
    pub names: Translations,
    /// Value type.
    #[serde(rename = "type")]
    pub attribute_type: AttributeType,
    /// Maximum length in characters (strings only).
    pub max_length: Option<u32>,
    /// Digits after the decimal point (decimals only).
    pub scale: Option<u32>,
    /// Allowed values (enums only).
    pub enum_values: Vec<String>,
    /// Display names of enum values per language (`male` → Male / 男), by value.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub value_names: BTreeMap<String, Translations>,
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

    /// The display name to show in `language`.
    pub fn label(&self, language: Language) -> &str {
        shown(&self.names, &self.display_name, language)
    }

    /// Every display name (its own and each language's), for matching headers and uniqueness.
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.display_name.as_str()).chain(self.names.names())
    }

    /// How an enum value shows in `language`: its name there, else its name in the other
    /// language, else the value itself. Values of other types show as they are.
    pub fn value_label<'a>(&'a self, value: &'a str, language: Language) -> &'a str {
        let Some(names) = self.value_names.get(value) else {
            return value;
        };
        let other = match language {
            Language::En => Language::Zh,
            Language::Zh => Language::En,
        };
        names
            .get(language)
            .or_else(|| names.get(other))
            .unwrap_or(value)
    }

    /// The enum value a cell names: the value itself or one of its display names, ignoring case
    /// (`男` → `male`). `None` when nothing matches.
    pub fn enum_value_named(&self, text: &str) -> Option<&str> {
        let folded = text.trim().to_lowercase();
        self.enum_values
            .iter()
            .find(|v| v.to_lowercase() == folded)
            .or_else(|| {
                self.enum_values.iter().find(|v| {
                    self.value_names
                        .get(v.as_str())
                        .is_some_and(|n| n.names().any(|name| name.to_lowercase() == folded))
                })
            })
            .map(String::as_str)
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
    /// Display names per language (optional; the other language shows `display_name`).
    #[serde(default)]
    pub names: Translations,
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
    /// Display names of enum values per language, by value.
    #[serde(default)]
    pub value_names: BTreeMap<String, Translations>,
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
    /// Display names per language: a name given replaces, an empty one removes.
    #[serde(default)]
    pub names: Option<Translations>,
    /// Display names of enum values per language, by value (each replaces that value's names).
    #[serde(default)]
    pub value_names: Option<BTreeMap<String, Translations>>,
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
    if others.iter().any(|d| {
        d.name.as_str() != except && d.labels().any(|label| label.to_lowercase() == folded)
    }) {
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

/// Check requested enum value names: each names a listed value, and passes the display-name rule.
pub(crate) fn check_value_names(
    enum_values: &[String],
    requested: &BTreeMap<String, Translations>,
) -> Result<BTreeMap<String, Translations>> {
    let mut out = BTreeMap::new();
    for (value, names) in requested {
        if !enum_values.contains(value) {
            return Err(Error::invalid(
                codes::INVALID_DEFINITION,
                "names are given for a value the attribute does not list",
                "value_names",
                value,
            ));
        }
        let names = names.parsed()?;
        if !names.is_empty() {
            out.insert(value.clone(), names);
        }
    }
    Ok(out)
}
