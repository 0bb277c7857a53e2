//! `Schema`: the attribute definitions in force, and the rules for adding, changing and deleting them.

use super::attribute::*;
use super::name::MachineName;
use super::presets::{RESERVED_NAMES, SYSTEM_ATTRIBUTES};
use crate::error::{Error, Result, codes};
use crate::value::{ParseOptions, parse_json};

/// The attribute definitions in force, in display order.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    attributes: Vec<AttributeDef>,
}

/// What a store must check or do with stored values before an attribute change may be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchChecks {
    /// Stored values must be unique (case-insensitively) and become identity keys.
    pub make_key: bool,
    /// The attribute stops identifying contacts; its keys are dropped.
    pub drop_key: bool,
    /// Stored values must not be longer than this many characters.
    pub max_length: Option<u32>,
}

impl Schema {
    /// A schema from stored definitions.
    pub fn new(attributes: Vec<AttributeDef>) -> Self {
        Self { attributes }
    }

    /// Every definition.
    pub fn attributes(&self) -> &[AttributeDef] {
        &self.attributes
    }

    /// The definition called `name`, if any.
    pub fn get(&self, name: &str) -> Option<&AttributeDef> {
        self.attributes.iter().find(|d| d.name.as_str() == name)
    }

    /// The definition called `name`, or a not-found error.
    pub fn require(&self, name: &str) -> Result<&AttributeDef> {
        self.get(name)
            .ok_or_else(|| Error::not_found("attribute", name))
    }

    /// The attributes whose values identify a contact.
    pub fn identities(&self) -> impl Iterator<Item = &AttributeDef> {
        self.attributes.iter().filter(|d| d.is_identity())
    }

    /// Check a requested custom attribute against every rule and the schema in force.
    pub fn check_new(&self, new: &NewAttribute) -> Result<AttributeDef> {
        let name = MachineName::parse(new.name.trim(), "name")?;
        if RESERVED_NAMES.contains(&name.as_str()) || SYSTEM_ATTRIBUTES.contains(&name.as_str()) {
            return Err(Error::invalid(
                codes::INVALID_NAME,
                "this name is reserved by Panorama",
                "name",
                &name,
            ));
        }
        if self.get(name.as_str()).is_some() {
            return Err(Error::invalid(
                codes::DUPLICATE_NAME,
                "an attribute with this name exists",
                "name",
                &name,
            ));
        }
        let display_name = parse_new_display_name(&new.display_name)?;
        let names = new.names.parsed()?;
        for label in std::iter::once(display_name.as_str()).chain(names.names()) {
            check_display_name_free(&self.attributes, "", label)?;
        }
        let custom = self.attributes.iter().filter(|d| !d.preset).count();
        if custom >= CUSTOM_ATTRIBUTES_MAX {
            return Err(Error::invalid(
                codes::CUSTOM_ATTRIBUTES_LIMIT,
                format!(
                    "a company may define at most {CUSTOM_ATTRIBUTES_MAX} custom attributes; delete one first"
                ),
                "name",
                &name,
            ));
        }
        let attribute_type = AttributeType::parse(&new.attribute_type)?;
        let is = |t| attribute_type == t;
        let only_for = |field: &str, allowed: bool, what: &str| -> Result<()> {
            if allowed {
                Ok(())
            } else {
                Err(Error::invalid_field(
                    codes::INVALID_DEFINITION,
                    format!("{field} applies to {what} attributes only"),
                    field,
                ))
            }
        };
        only_for(
            "max_length",
            new.max_length.is_none() || is(AttributeType::String),
            "string",
        )?;
        only_for(
            "scale",
            new.scale.is_none() || is(AttributeType::Decimal),
            "decimal",
        )?;
        only_for(
            "enum_values",
            new.enum_values.is_empty() || is(AttributeType::Enum),
            "enum",
        )?;
        let max_length = is(AttributeType::String)
            .then(|| check_max_length(new.max_length.unwrap_or(STRING_CHARS_DEFAULT)))
            .transpose()?;
        let scale = match (is(AttributeType::Decimal), new.scale) {
            (true, Some(s)) if s > DECIMAL_SCALE_MAX => {
                return Err(Error::invalid(
                    codes::INVALID_DEFINITION,
                    format!("scale is at most {DECIMAL_SCALE_MAX}"),
                    "scale",
                    s,
                ));
            }
            (true, s) => Some(s.unwrap_or(DECIMAL_SCALE_DEFAULT)),
            (false, _) => None,
        };
        let enum_values = check_enum_values(is(AttributeType::Enum), &new.enum_values)?;
        let value_names = check_value_names(&enum_values, &new.value_names)?;
        let mut def = AttributeDef {
            name,
            display_name,
            names,
            attribute_type,
            max_length,
            scale,
            enum_values,
            value_names,
            nullable: new.nullable.unwrap_or(true),
            default_value: None,
            primary_key: false,
            preset: false,
            searchable: new.searchable.unwrap_or(matches!(
                attribute_type,
                AttributeType::String | AttributeType::Enum
            )),
            sortable: new.sortable.unwrap_or(true),
            computed: false,
        };
        if let Some(raw) = &new.default_value {
            let parsed = parse_json(&def, raw, ParseOptions::default()).map_err(|e| Error {
                field: Some("default_value".into()),
                ..e
            })?;
            def.default_value = parsed;
        }
        if !def.nullable && def.default_value.is_none() {
            return Err(Error::invalid_field(
                codes::INVALID_DEFINITION,
                "an attribute that may not be empty needs a default value for contacts that lack it",
                "default_value",
            ));
        }
        Ok(def)
    }

    /// Apply a change to attribute `name`, returning the new definition and what the store must
    /// check against stored values before saving it.
    pub fn check_patch(
        &self,
        name: &str,
        patch: &AttributePatch,
    ) -> Result<(AttributeDef, PatchChecks)> {
        let current = self.require(name)?;
        let mut def = current.clone();
        let mut checks = PatchChecks {
            make_key: false,
            drop_key: false,
            max_length: None,
        };
        if let Some(display_name) = &patch.display_name {
            def.display_name = parse_new_display_name(display_name)?;
        }
        if let Some(names) = &patch.names {
            def.names = def.names.patched(names)?;
        }
        if patch.display_name.is_some() || patch.names.is_some() {
            for label in def.labels() {
                check_display_name_free(&self.attributes, name, label)?;
            }
        }
        if let Some(requested) = &patch.value_names {
            check_value_names(&def.enum_values, requested)?;
            for (value, names) in requested {
                let current = def.value_names.remove(value).unwrap_or_default();
                let changed = current.patched(names)?;
                if !changed.is_empty() {
                    def.value_names.insert(value.clone(), changed);
                }
            }
        }
        if let Some(length) = patch.max_length {
            if def.attribute_type != AttributeType::String {
                return Err(Error::invalid_field(
                    codes::INVALID_DEFINITION,
                    "max_length applies to string attributes only",
                    "max_length",
                ));
            }
            if def.preset && matches!(name, "mobile" | "email" | "contact_id") {
                return Err(Error::invalid_field(
                    codes::PRESET_IMMUTABLE,
                    format!("the length of `{name}` is fixed"),
                    "max_length",
                ));
            }
            def.max_length = Some(check_max_length(length)?);
            if length < current.max_length.unwrap_or(STRING_CHARS_DEFAULT) {
                checks.max_length = Some(length);
            }
        }
        def.searchable = patch.searchable.unwrap_or(def.searchable);
        def.sortable = patch.sortable.unwrap_or(def.sortable);
        if let Some(primary_key) = patch.primary_key.filter(|&k| k != current.primary_key) {
            check_key_change(current, primary_key)?;
            def.primary_key = primary_key;
            checks.make_key = primary_key;
            checks.drop_key = !primary_key;
        }
        Ok((def, checks))
    }

    /// Check that attribute `name` may be deleted.
    pub fn check_delete(&self, name: &str) -> Result<&AttributeDef> {
        let def = self.require(name)?;
        if def.preset {
            return Err(Error::invalid(
                codes::PRESET_IMMUTABLE,
                "preset attributes cannot be deleted",
                "name",
                name,
            ));
        }
        Ok(def)
    }
}

fn check_key_change(current: &AttributeDef, primary_key: bool) -> Result<()> {
    let name = current.name.as_str();
    if matches!(name, "mobile" | "email") {
        return Err(Error::invalid(
            codes::PRESET_IMMUTABLE,
            format!("`{name}` is always a primary key"),
            "primary_key",
            primary_key,
        ));
    }
    if primary_key
        && (current.attribute_type != AttributeType::String
            || current.computed
            || current.matches_case_sensitively())
    {
        return Err(Error::invalid(
            codes::INVALID_DEFINITION,
            "only string attributes that are not computed can be made a primary key",
            "primary_key",
            name,
        ));
    }
    Ok(())
}

fn check_enum_values(is_enum: bool, values: &[String]) -> Result<Vec<String>> {
    if !is_enum {
        return Ok(Vec::new());
    }
    let cleaned: Vec<String> = values.iter().map(|v| v.trim().to_owned()).collect();
    for value in &cleaned {
        crate::text::check_text(value, "enum_values", crate::text::TextKind::SingleLine)?;
    }
    let mut folded: Vec<String> = cleaned.iter().map(|v| v.to_lowercase()).collect();
    folded.sort_unstable();
    folded.dedup();
    if cleaned.is_empty()
        || cleaned.len() > ENUM_VALUES_MAX
        || folded.len() != cleaned.len()
        || cleaned.iter().any(String::is_empty)
    {
        return Err(Error::invalid_field(
            codes::INVALID_DEFINITION,
            format!("an enum lists 1 to {ENUM_VALUES_MAX} distinct, non-empty values"),
            "enum_values",
        ));
    }
    Ok(cleaned)
}
