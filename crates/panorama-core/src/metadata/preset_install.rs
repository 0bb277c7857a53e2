//! What a store writes when it migrates: the presets it lacks, and the display names in both
//! languages for presets stored before names existed. A company's own edits are kept.

use super::attribute::AttributeDef;
use super::event_presets::preset_event_definitions;
use super::events::EventDefinition;
use super::presets::preset_attributes;

/// A definition to save, and whether it is new (it then takes the next display position).
pub type PresetWrite<T> = (T, bool);

/// The preset attributes to write over `stored`: each missing one, and each stored one whose
/// per-language names (or enum value names) were never set.
pub fn preset_attribute_writes(stored: &[AttributeDef]) -> Vec<PresetWrite<AttributeDef>> {
    preset_attributes()
        .into_iter()
        .filter_map(
            |preset| match stored.iter().find(|d| d.name == preset.name) {
                None => Some((preset, true)),
                Some(current) => {
                    let mut named = current.clone();
                    if named.names.is_empty() {
                        named.names = preset.names;
                    }
                    if named.value_names.is_empty() {
                        named.value_names = preset.value_names;
                    }
                    (named != *current).then_some((named, false))
                }
            },
        )
        .collect()
}

/// The preset event definitions to write over `stored`, by the same rule; an attribute of a
/// stored preset gets its preset names where it has none.
pub fn preset_event_writes(stored: &[EventDefinition]) -> Vec<PresetWrite<EventDefinition>> {
    preset_event_definitions()
        .into_iter()
        .filter_map(|preset| match stored.iter().find(|d| d.key == preset.key) {
            None => Some((preset, true)),
            Some(current) => {
                let mut named = current.clone();
                if named.names.is_empty() {
                    named.names = preset.names.clone();
                }
                for attribute in &mut named.attributes {
                    let Some(own) = preset.attribute(attribute.name.as_str()) else {
                        continue;
                    };
                    if attribute.names.is_empty() {
                        attribute.names = own.names.clone();
                    }
                }
                (named != *current).then_some((named, false))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::{Language, Translations};

    #[test]
    fn stored_presets_without_names_get_them_and_edits_stay() {
        let mut stored = preset_attributes();
        for def in &mut stored {
            def.names = Translations::default();
            def.value_names.clear();
        }
        stored[1].names = Translations::zh("客户名");
        let writes = preset_attribute_writes(&stored);
        assert!(writes.iter().all(|(_, new)| !new));
        assert!(
            writes
                .iter()
                .all(|(d, _)| d.name.as_str() != stored[1].name.as_str())
        );
        let mobile = writes
            .iter()
            .find(|(d, _)| d.name.as_str() == "mobile")
            .expect("mobile named");
        assert_eq!(mobile.0.label(Language::Zh), "手机号");
        assert!(preset_attribute_writes(&preset_attributes()).is_empty());
        assert_eq!(
            preset_attribute_writes(&[]).len(),
            preset_attributes().len()
        );
    }

    #[test]
    fn stored_preset_events_get_names() {
        let mut stored = preset_event_definitions();
        for definition in &mut stored {
            definition.names = Translations::default();
            for attribute in &mut definition.attributes {
                attribute.names = Translations::default();
            }
        }
        let writes = preset_event_writes(&stored);
        assert_eq!(writes.len(), stored.len());
        let open = writes
            .iter()
            .find(|(d, _)| d.key.as_str() == "email_open")
            .expect("email_open");
        assert_eq!(open.0.label(Language::Zh), "邮件打开");
        assert!(preset_event_writes(&preset_event_definitions()).is_empty());
    }
}
