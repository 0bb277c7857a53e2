//! What a contact is called on a page: its name, else its WeChat nickname, else a readable
//! placeholder ("Anonymous contact · 8f3a") so that a link or a title is never a lone `/` or id.
//! Also the words for where a change came from (`api`, `import`, ...).

use super::i18n::Lang;
use panorama_core::contact::{Contact, ContactId};
use panorama_core::mask::AttributeMask;

/// The attributes that name a contact, in the order tried.
pub const NAMING_ATTRIBUTES: [&str; 2] = ["name", "wechat_nickname"];

/// The placeholder of a contact without a name: the page's word and the id's last four hex
/// digits (the random end of a UUID v7, so neighbours differ).
pub fn placeholder(lang: Lang, contact_id: ContactId) -> String {
    let id = contact_id.to_string();
    let tail = &id[id.len().saturating_sub(4)..];
    lang.t("contact_name.anonymous").replace("{tail}", tail)
}

/// The placeholder of a contact that no longer exists (merged into another): its id's tail.
pub fn placeholder_merged(lang: Lang, contact_id: ContactId) -> String {
    let id = contact_id.to_string();
    let tail = &id[id.len().saturating_sub(4)..];
    lang.t("contact_name.merged").replace("{tail}", tail)
}

/// The name shown for `contact`, values masked by `mask` (a name holding a mobile stays masked).
pub fn shown_name(lang: Lang, contact: &Contact, mask: &AttributeMask) -> String {
    NAMING_ATTRIBUTES
        .iter()
        .find_map(|attribute| {
            let stored = contact.attributes.get(*attribute)?;
            let value = mask
                .value(attribute, stored)
                .unwrap_or_else(|| stored.clone());
            Some(panorama_core::value::display(&value)).filter(|text| !text.trim().is_empty())
        })
        .unwrap_or_else(|| placeholder(lang, contact.contact_id))
}

/// Where a write came from, in words: the sources Panorama itself records, else as recorded.
pub fn source_label(lang: Lang, source: &str) -> String {
    let key = match source {
        "api" => "contact_source.api",
        "ui" => "contact_source.ui",
        "import" => "contact_source.import",
        "cli" => "contact_source.cli",
        "demo" => "contact_source.demo",
        "events" | "event" => "contact_source.events",
        "bulk" => "contact_source.bulk",
        _ => return source.to_owned(),
    };
    lang.t(key).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use panorama_core::contact::Subscription;
    use panorama_core::mask::Masking;
    use panorama_core::metadata::preset_attributes;
    use serde_json::json;

    fn contact(values: &[(&str, &str)]) -> Contact {
        let at = jiff::Timestamp::from_second(1_700_000_000).expect("time");
        Contact {
            contact_id: ContactId::new(),
            attributes: values
                .iter()
                .map(|(k, v)| ((*k).to_owned(), json!(v)))
                .collect(),
            subscription: Subscription::subscribed(at, "test"),
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn a_contact_is_named_by_name_then_nickname_then_a_placeholder() {
        let mask = AttributeMask::new(Masking::Unmasked, &preset_attributes());
        let named = contact(&[("name", "张伟"), ("wechat_nickname", "小张")]);
        assert_eq!(shown_name(Lang::Zh, &named, &mask), "张伟");
        let fan = contact(&[("name", " "), ("wechat_nickname", "小张")]);
        assert_eq!(shown_name(Lang::Zh, &fan, &mask), "小张");
        let anonymous = contact(&[]);
        let id = anonymous.contact_id.to_string();
        let tail = &id[id.len() - 4..];
        assert_eq!(
            shown_name(Lang::Zh, &anonymous, &mask),
            format!("匿名联系人 · {tail}")
        );
        assert_eq!(
            shown_name(Lang::En, &anonymous, &mask),
            format!("Anonymous contact · {tail}")
        );
    }

    #[test]
    fn sources_read_as_words() {
        assert_eq!(source_label(Lang::Zh, "import"), "文件导入");
        assert_eq!(source_label(Lang::En, "api"), "API");
        assert_eq!(source_label(Lang::Zh, "crm-sync"), "crm-sync");
    }
}
