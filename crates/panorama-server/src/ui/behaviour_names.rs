//! How the timeline names things: event titles and their properties in the page's language,
//! values in words (yes/no, channels, sources, attributes and their enum values), contacts of
//! merges by their names, and no bare ids (`label_id`, `merge_id`).

use super::clock::Clock;
use super::contact_name::{placeholder_merged, shown_name, source_label};
use super::i18n::Lang;
use crate::AppState;
use panorama_core::Result;
use panorama_core::contact::ContactId;
use panorama_core::event::Event;
use panorama_core::mask::AttributeMask;
use panorama_core::metadata::{EventDefinition, Schema, preset_property_name};
use serde_json::Value as Json;
use std::collections::HashMap;

/// Properties that only hold ids a person cannot use; the name beside them says it all.
const HIDDEN_PROPERTIES: [&str; 2] = ["label_id", "merge_id"];
/// Properties that name a contact by its id.
const CONTACT_PROPERTIES: [&str; 2] = ["merged_contact_id", "surviving_contact_id"];

/// What the timeline needs to put events into words.
pub struct Naming<'a> {
    pub(crate) lang: Lang,
    pub(crate) schema: &'a Schema,
    /// The page's clock, for times among the properties.
    pub(crate) clock: &'a Clock,
    /// Contact names by id, for the contacts merges name.
    pub(crate) contacts: HashMap<String, String>,
}

impl Naming<'_> {
    /// The title of an event: its definition's name in the page's language, else its key.
    pub fn title(&self, definition: Option<&EventDefinition>, key: &str) -> String {
        definition.map_or_else(
            || key.to_owned(),
            |d| d.label(self.lang.language()).to_owned(),
        )
    }

    /// The properties as `(name, value)` in words, ids left out.
    pub fn properties(
        &self,
        definition: Option<&EventDefinition>,
        event: &Event,
    ) -> Vec<(String, String)> {
        let language = self.lang.language();
        event
            .properties
            .iter()
            .filter(|(name, _)| !HIDDEN_PROPERTIES.contains(&name.as_str()))
            .map(|(name, value)| {
                let label = definition
                    .and_then(|d| d.attributes.iter().find(|a| a.name.as_str() == name))
                    .map(|a| a.label(language))
                    .or_else(|| preset_property_name(name, language))
                    .map_or_else(|| name.clone(), str::to_owned);
                (label, self.value(event, name, value))
            })
            .collect()
    }

    fn value(&self, event: &Event, name: &str, value: &Json) -> String {
        let lang = self.lang;
        let text = panorama_core::value::display(value);
        match (event.event.as_str(), name, value) {
            (_, _, Json::Bool(flag)) => lang
                .t(if *flag { "common.yes" } else { "common.no" })
                .to_owned(),
            (_, contact, _) if CONTACT_PROPERTIES.contains(&contact) => {
                self.contacts.get(&text).cloned().unwrap_or_else(|| {
                    ContactId::parse(&text).map_or(text.clone(), |id| placeholder_merged(lang, id))
                })
            }
            (_, "source", _) => source_label(lang, &text),
            ("subscription_change", "channel", _) => match text.as_str() {
                "global" => lang.t("subscription.global").to_owned(),
                "email" => lang.t("subscription.email").to_owned(),
                "mobile" => lang.t("subscription.mobile").to_owned(),
                _ => text,
            },
            ("attribute_change", "attribute", _) => self
                .schema
                .get(&text)
                .map_or(text.clone(), |def| def.label(lang.language()).to_owned()),
            ("attribute_change", "old_value" | "new_value", _) => {
                let changed = event.properties.get("attribute").and_then(Json::as_str);
                match changed.and_then(|name| self.schema.get(name)) {
                    Some(def) => def.value_label(&text, lang.language()).to_owned(),
                    None => text,
                }
            }
            _ => super::format::property(self.clock, value),
        }
    }
}

/// The names of the contacts the merges among `events` name, as `mask` shows them; contacts
/// that no longer exist (merged away) are left to the placeholder.
pub async fn merge_names(
    state: &AppState,
    lang: Lang,
    mask: &AttributeMask,
    events: &[Event],
) -> Result<HashMap<String, String>> {
    let ids: Vec<ContactId> = events
        .iter()
        .filter(|e| e.event == "user_merged" || e.event == "user_unmerged")
        .flat_map(|e| {
            CONTACT_PROPERTIES
                .iter()
                .filter_map(|p| e.properties.get(*p))
        })
        .filter_map(Json::as_str)
        .filter_map(|id| ContactId::parse(id).ok())
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let contacts = state.store.get_contacts(&ids).await?;
    Ok(contacts
        .iter()
        .map(|c| (c.contact_id.to_string(), shown_name(lang, c, mask)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use panorama_core::event::properties;
    use panorama_core::metadata::{preset_attributes, preset_event_definitions};
    use serde_json::json;

    #[test]
    fn events_read_as_words_with_names_not_ids() {
        let schema = Schema::new(preset_attributes());
        let definitions = preset_event_definitions();
        let definition = |key: &str| definitions.iter().find(|d| d.key.as_str() == key);
        let survivor = ContactId::new();
        let gone = ContactId::new();
        let clock = Clock::new(jiff::tz::TimeZone::UTC);
        let naming = Naming {
            lang: Lang::Zh,
            schema: &schema,
            clock: &clock,
            contacts: [(survivor.to_string(), "王芳".to_owned())].into(),
        };
        let at = jiff::Timestamp::from_second(1_700_000_000).expect("time");
        let merged = Event::system(
            survivor,
            "user_merged",
            at,
            properties([
                ("merged_contact_id", json!(gone.to_string())),
                ("surviving_contact_id", json!(survivor.to_string())),
                ("source", json!("import")),
            ]),
        );
        let shown = naming.properties(definition("user_merged"), &merged);
        let text = format!("{shown:?}");
        assert!(text.contains("王芳") && text.contains("文件导入"), "{text}");
        assert!(text.contains("已合并的联系人 · "), "{text}");
        assert!(!text.contains(&gone.to_string()), "no ids: {text}");
        assert_eq!(
            naming.title(definition("user_merged"), "user_merged"),
            "合并联系人"
        );
        let label = Event::system(
            survivor,
            "label_add",
            at,
            properties([("label", json!("会员/金卡")), ("label_id", json!(7))]),
        );
        let shown = naming.properties(definition("label_add"), &label);
        assert_eq!(shown.len(), 1, "the label id is left out: {shown:?}");
        assert_eq!(shown[0].1, "会员/金卡");
        let change = Event::system(
            survivor,
            "attribute_change",
            at,
            properties([
                ("attribute", json!("gender")),
                ("old_value", json!("male")),
                ("new_value", json!("female")),
            ]),
        );
        let shown = naming.properties(definition("attribute_change"), &change);
        let mut values: Vec<&str> = shown.iter().map(|(_, v)| v.as_str()).collect();
        values.sort_unstable();
        let mut expected = ["性别", "女", "男"];
        expected.sort_unstable();
        assert_eq!(values, expected, "{shown:?}");
    }
}
