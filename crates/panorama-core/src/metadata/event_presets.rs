//! The preset event groups and events of PRODUCT.md §1, with their attributes.

use super::attribute::AttributeType::{self, *};
use super::events::{EventAttribute, EventDefinition};
use super::language::Translations;
use super::name::MachineName;

type Attr = (&'static str, &'static str, AttributeType);

const MESSAGE: &[Attr] = &[
    ("campaign_id", "Campaign ID", String),
    ("campaign_name", "Campaign name", String),
];
const EMAIL: &[Attr] = &[
    ("campaign_id", "Campaign ID", String),
    ("campaign_name", "Campaign name", String),
    ("email", "Email", String),
    ("subject", "Subject", String),
];
const CLICK: &[Attr] = &[
    ("campaign_id", "Campaign ID", String),
    ("url", "Link", String),
];
const WECHAT: &[Attr] = &[
    ("app_id", "Official account", String),
    ("openid", "OpenID", String),
];
const LABEL: &[Attr] = &[("label", "Label", String)];
const FOLLOWER_LABEL: &[Attr] = &[
    ("app_id", "Official account", String),
    ("label", "Label", String),
];
const FORM: &[Attr] = &[
    ("form_id", "Form ID", String),
    ("form_name", "Form name", String),
];

const PRESETS: &[(&str, &str, &str, &[Attr])] = &[
    ("email", "email_sent", "Email sent", EMAIL),
    ("email", "email_delivered", "Email delivered", EMAIL),
    ("email", "email_open", "Email opened", EMAIL),
    ("email", "email_click", "Email link clicked", CLICK),
    ("email", "email_unsubscribe", "Email unsubscribed", EMAIL),
    (
        "email",
        "email_soft_bounce",
        "Email soft bounce",
        &[("email", "Email", String), ("reason", "Reason", String)],
    ),
    (
        "email",
        "email_hard_bounce",
        "Email hard bounce",
        &[("email", "Email", String), ("reason", "Reason", String)],
    ),
    (
        "sms",
        "sms_sent",
        "SMS sent",
        &[
            ("campaign_id", "Campaign ID", String),
            ("mobile", "Mobile", String),
            ("content", "Content", String),
        ],
    ),
    ("sms", "sms_click", "SMS link clicked", CLICK),
    (
        "sms",
        "sms_unsubscribe",
        "SMS unsubscribed",
        &[("mobile", "Mobile", String)],
    ),
    ("mms", "mms_sent", "MMS sent", MESSAGE),
    ("mms", "mms_click", "MMS link clicked", CLICK),
    (
        "wechat",
        "wechat_follow",
        "WeChat follow",
        &[
            ("app_id", "Official account", String),
            ("openid", "OpenID", String),
            ("scene", "Scene", String),
        ],
    ),
    ("wechat", "wechat_unfollow", "WeChat unfollow", WECHAT),
    (
        "wechat",
        "wechat_scan",
        "WeChat QR code scan",
        &[
            ("app_id", "Official account", String),
            ("qr_code", "QR code", String),
        ],
    ),
    (
        "wechat",
        "wechat_menu_click",
        "WeChat menu click",
        &[
            ("app_id", "Official account", String),
            ("menu", "Menu", String),
        ],
    ),
    (
        "wechat",
        "wechat_reply",
        "WeChat message received",
        &[
            ("app_id", "Official account", String),
            ("content", "Content", String),
        ],
    ),
    (
        "wechat",
        "wechat_cs_message",
        "WeChat customer-service message",
        &[
            ("app_id", "Official account", String),
            ("content", "Content", String),
        ],
    ),
    (
        "wechat",
        "wechat_template_message",
        "WeChat template message",
        &[
            ("app_id", "Official account", String),
            ("template_id", "Template", String),
        ],
    ),
    (
        "wechat",
        "wechat_mass_message",
        "WeChat mass message",
        &[
            ("app_id", "Official account", String),
            ("message_id", "Message", String),
        ],
    ),
    ("form", "form_open", "Form opened", FORM),
    ("form", "form_submit", "Form submitted", FORM),
    ("label", "label_add", "Label added", LABEL),
    ("label", "label_remove", "Label removed", LABEL),
    (
        "label",
        "follower_label_add",
        "Follower label added",
        FOLLOWER_LABEL,
    ),
    (
        "label",
        "follower_label_remove",
        "Follower label removed",
        FOLLOWER_LABEL,
    ),
    (
        "profile",
        "attribute_change",
        "Attribute changed",
        &[
            ("attribute", "Attribute", String),
            ("old_value", "Old value", String),
            ("new_value", "New value", String),
            ("source", "Source", String),
        ],
    ),
    (
        "profile",
        "subscription_change",
        "Subscription changed",
        &[
            ("channel", "Channel", String),
            ("subscribed", "Subscribed", Boolean),
            ("source", "Source", String),
        ],
    ),
    (
        "profile",
        "user_created",
        "Contact created",
        &[("source", "Source", String)],
    ),
    (
        "profile",
        "user_merged",
        "Contacts merged",
        &[
            ("merged_contact_id", "Merged contact", String),
            ("surviving_contact_id", "Surviving contact", String),
            ("source", "Source", String),
        ],
    ),
    (
        "profile",
        "user_unmerged",
        "Merge undone",
        &[
            ("merge_id", "Merge", String),
            ("merged_contact_id", "Merged contact", String),
            ("surviving_contact_id", "Surviving contact", String),
            ("source", "Source", String),
        ],
    ),
    (
        "order",
        "order",
        "Order",
        &[
            ("order_id", "Order ID", String),
            ("amount", "Amount", Decimal),
            ("currency", "Currency", String),
            ("shop", "Shop", String),
            ("channel", "Channel", String),
            ("status", "Status", String),
            ("item_count", "Item count", Integer),
        ],
    ),
    (
        "order",
        "order_detail",
        "Order item",
        &[
            ("order_id", "Order ID", String),
            ("product_id", "Product ID", String),
            ("product_name", "Product name", String),
            ("category", "Category", String),
            ("quantity", "Quantity", Integer),
            ("price", "Price", Decimal),
            ("discount_price", "Discount price", Decimal),
        ],
    ),
];

fn name(text: &str) -> MachineName {
    // Written by hand above; the test below proves every one parses.
    MachineName::parse(text, "key").unwrap_or_else(|e| panic!("preset event name: {e}"))
}

fn zh(name: Option<&str>) -> Translations {
    name.map(Translations::zh).unwrap_or_default()
}

/// Every preset event definition, grouped in the order of PRODUCT.md §1.
pub fn preset_event_definitions() -> Vec<EventDefinition> {
    PRESETS
        .iter()
        .map(|(group, key, display_name, attributes)| EventDefinition {
            key: name(key),
            display_name: (*display_name).to_owned(),
            names: zh(super::zh_names::event(key)),
            group: name(group),
            preset: true,
            attributes: attributes
                .iter()
                .map(|(n, d, t)| EventAttribute {
                    name: name(n),
                    display_name: (*d).to_owned(),
                    names: zh(super::zh_names::event_attribute(n)),
                    attribute_type: *t,
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn presets_parse_and_are_unique() {
        let all = super::preset_event_definitions();
        assert_eq!(all.len(), 33);
        let mut keys: Vec<_> = all.iter().map(|d| d.key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), all.len());
    }
}
