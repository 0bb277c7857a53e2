//! The preset attributes of PRODUCT.md §1: installed by `migrate`, never deleted, name and type fixed.

use super::attribute::{AttributeDef, AttributeType, STRING_CHARS_DEFAULT};
use super::language::Translations;
use super::name::MachineName;

/// Attributes that are columns of the contact itself rather than values in its attribute map.
pub const SYSTEM_ATTRIBUTES: [&str; 3] = ["contact_id", "created_at", "updated_at"];

/// Names reserved for subscription columns of imports; no attribute may take them.
pub const RESERVED_NAMES: [&str; 5] = [
    "global_subscribed",
    "email_subscribed",
    "mobile_subscribed",
    "anonymous_id",
    "categories",
];

struct Preset {
    name: &'static str,
    display_name: &'static str,
    attribute_type: AttributeType,
    max_length: Option<u32>,
    primary_key: bool,
    searchable: bool,
    computed: bool,
    enum_values: &'static [&'static str],
}

const fn text(name: &'static str, display_name: &'static str, length: u32) -> Preset {
    Preset {
        name,
        display_name,
        attribute_type: AttributeType::String,
        max_length: Some(length),
        primary_key: false,
        searchable: true,
        computed: false,
        enum_values: &[],
    }
}

const fn typed(
    name: &'static str,
    display_name: &'static str,
    attribute_type: AttributeType,
    computed: bool,
) -> Preset {
    Preset {
        name,
        display_name,
        attribute_type,
        max_length: None,
        primary_key: false,
        searchable: false,
        computed,
        enum_values: &[],
    }
}

const fn key(preset: Preset) -> Preset {
    Preset {
        primary_key: true,
        ..preset
    }
}

const PRESETS: &[Preset] = &[
    Preset {
        computed: true,
        searchable: false,
        ..text("contact_id", "Contact ID", 36)
    },
    text("name", "Name", STRING_CHARS_DEFAULT),
    key(text("mobile", "Mobile", 16)),
    key(text("email", "Email", 254)),
    text("wechat_openid", "WeChat OpenID", 64),
    text("wechat_unionid", "WeChat UnionID", 64),
    text("wechat_nickname", "WeChat nickname", STRING_CHARS_DEFAULT),
    Preset {
        enum_values: &["male", "female", "unknown"],
        ..typed("gender", "Gender", AttributeType::Enum, false)
    },
    typed("birthday", "Birthday", AttributeType::Date, false),
    text("country", "Country", 64),
    text("province", "Province", 64),
    text("city", "City", 64),
    text("address", "Address", 500),
    text("company", "Company", STRING_CHARS_DEFAULT),
    text("member_id", "Member ID", 64),
    text("member_level", "Member level", 64),
    typed(
        "member_points",
        "Member points",
        AttributeType::Integer,
        false,
    ),
    typed("created_at", "Created at", AttributeType::Datetime, true),
    typed("updated_at", "Updated at", AttributeType::Datetime, true),
    typed("order_count", "Order count", AttributeType::Integer, true),
    typed("order_amount", "Order amount", AttributeType::Decimal, true),
    typed(
        "first_order_at",
        "First order at",
        AttributeType::Datetime,
        true,
    ),
    typed(
        "last_order_at",
        "Last order at",
        AttributeType::Datetime,
        true,
    ),
];

/// Every preset attribute, in display order.
pub fn preset_attributes() -> Vec<AttributeDef> {
    PRESETS
        .iter()
        .map(|p| AttributeDef {
            // The names above are written by hand and pass the rule; a test proves it.
            name: MachineName::parse(p.name, "name").unwrap_or_else(|e| panic!("preset name: {e}")),
            display_name: p.display_name.to_owned(),
            names: super::zh_names::attribute(p.name)
                .map(Translations::zh)
                .unwrap_or_default(),
            attribute_type: p.attribute_type,
            max_length: p.max_length,
            scale: (p.attribute_type == AttributeType::Decimal).then_some(2),
            enum_values: p.enum_values.iter().map(|v| (*v).to_owned()).collect(),
            value_names: super::zh_names::ENUM_VALUES
                .iter()
                .filter(|(attribute, ..)| *attribute == p.name)
                .map(|(_, value, en, zh)| {
                    let names = Translations {
                        en: Some((*en).to_owned()),
                        zh: Some((*zh).to_owned()),
                    };
                    ((*value).to_owned(), names)
                })
                .collect(),
            nullable: true,
            default_value: None,
            primary_key: p.primary_key,
            preset: true,
            searchable: p.searchable,
            sortable: true,
            computed: p.computed,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_of_the_product_is_there_once() {
        let presets = preset_attributes();
        let names: Vec<&str> = presets.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names.len(), 23);
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
        let keys: Vec<&str> = presets
            .iter()
            .filter(|d| d.is_identity())
            .map(|d| d.name.as_str())
            .collect();
        assert_eq!(keys, ["mobile", "email", "wechat_openid", "wechat_unionid"]);
    }
}
