//! The interface's two languages and the display names a definition carries in each.

use super::name::parse_display_name;
use crate::error::Result;
use serde::{Deserialize, Serialize};

/// A language of display names (PRODUCT.md §1, "Both languages").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// English.
    En,
    /// Simplified Chinese.
    Zh,
}

impl Language {
    /// Both languages, English first.
    pub const ALL: [Language; 2] = [Language::En, Language::Zh];

    /// The short code (`en`, `zh`).
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Zh => "zh",
        }
    }

    /// Parse a short code or a BCP 47 tag (`zh-CN`, `en-US`).
    pub fn parse(input: &str) -> Option<Self> {
        let lower = input.trim().to_ascii_lowercase();
        if lower == "zh" || lower.starts_with("zh-") || lower.starts_with("zh_") {
            Some(Self::Zh)
        } else if lower == "en" || lower.starts_with("en-") || lower.starts_with("en_") {
            Some(Self::En)
        } else {
            None
        }
    }
}

/// A display name per language, each optional: where one is missing the definition's own
/// `display_name` (the name it was created with) stands in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Translations {
    /// The English name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
    /// The Simplified Chinese name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zh: Option<String>,
}

impl Translations {
    /// Chinese only, as the presets carry it beside their English `display_name`.
    pub fn zh(name: &str) -> Self {
        Self {
            en: None,
            zh: Some(name.to_owned()),
        }
    }

    /// The name in `language`, if one is set.
    pub fn get(&self, language: Language) -> Option<&str> {
        match language {
            Language::En => self.en.as_deref(),
            Language::Zh => self.zh.as_deref(),
        }
        .filter(|name| !name.is_empty())
    }

    /// Whether no name is set.
    pub fn is_empty(&self) -> bool {
        self.get(Language::En).is_none() && self.get(Language::Zh).is_none()
    }

    /// Every name set.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        Language::ALL.into_iter().filter_map(|l| self.get(l))
    }

    /// Apply a requested change: a name given replaces, an empty one removes (the definition's
    /// own name then stands in), an absent one stays. Names pass the display-name rule.
    pub fn patched(&self, change: &Translations) -> Result<Self> {
        let mut out = self.clone();
        for (slot, requested) in [(&mut out.en, &change.en), (&mut out.zh, &change.zh)] {
            if let Some(name) = requested {
                *slot = if name.trim().is_empty() {
                    None
                } else {
                    Some(parse_display_name(name)?)
                };
            }
        }
        Ok(out)
    }

    /// Check every name of a requested set (empty ones dropped).
    pub fn parsed(&self) -> Result<Self> {
        Self::default().patched(self)
    }
}

/// The name to show in `language`: its own if set, else `fallback` (the definition's name).
pub fn shown<'a>(names: &'a Translations, fallback: &'a str, language: Language) -> &'a str {
    names.get(language).unwrap_or(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_language_falls_back_to_the_definition_name() {
        let names = Translations::zh("手机号");
        assert_eq!(shown(&names, "Mobile", Language::Zh), "手机号");
        assert_eq!(shown(&names, "Mobile", Language::En), "Mobile");
        let cleared = names
            .patched(&Translations {
                en: Some("Cell".into()),
                zh: Some(" ".into()),
            })
            .expect("valid");
        assert_eq!(cleared.get(Language::En), Some("Cell"));
        assert_eq!(cleared.get(Language::Zh), None);
    }

    #[test]
    fn languages_parse_from_codes_and_tags() {
        assert_eq!(Language::parse("zh-CN"), Some(Language::Zh));
        assert_eq!(Language::parse("EN"), Some(Language::En));
        assert_eq!(Language::parse("fr"), None);
    }
}
