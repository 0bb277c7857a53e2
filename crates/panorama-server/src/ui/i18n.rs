//! The interface's two languages: English and Simplified Chinese, one table of every text.

use axum::http::HeaderMap;
use panorama_core::metadata::Language;

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Simplified Chinese.
    Zh,
}

/// The cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "panorama_lang";

impl Lang {
    /// The BCP 47 tag for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Zh => "zh-CN",
        }
    }

    /// The short code used in URLs and the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Zh => "zh",
        }
    }

    /// Parse a short code.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "en" => Some(Self::En),
            "zh" => Some(Self::Zh),
            _ => None,
        }
    }

    /// The language for a request: the cookie if set, else the first supported language of
    /// `Accept-Language`, else English.
    pub fn negotiate(headers: &HeaderMap) -> Self {
        let cookie = headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| {
                v.split(';').find_map(|pair| {
                    let (name, value) = pair.trim().split_once('=')?;
                    (name == LANG_COOKIE)
                        .then(|| Self::from_code(value))
                        .flatten()
                })
            });
        if let Some(lang) = cookie {
            return lang;
        }
        let accept = headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        accept
            .split(',')
            .map(|part| {
                part.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .find_map(|tag| {
                if tag.starts_with("zh") {
                    Some(Self::Zh)
                } else if tag.starts_with("en") {
                    Some(Self::En)
                } else {
                    None
                }
            })
            .unwrap_or(Self::En)
    }

    /// The language of display names (core's), for labels of attributes, events and values.
    pub fn language(self) -> Language {
        match self {
            Self::En => Language::En,
            Self::Zh => Language::Zh,
        }
    }

    /// The text for `key`; a missing key shows as itself (a test proves none is missing).
    pub fn t(self, key: &str) -> &'static str {
        match super::texts::find(key) {
            Some((en, zh)) => match self {
                Self::En => en,
                Self::Zh => zh,
            },
            None => "?",
        }
    }

    /// A count with thousands separators, as both languages write them.
    pub fn number(self, value: u64) -> String {
        let digits = value.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (index, digit) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index).is_multiple_of(3) {
                out.push(',');
            }
            out.push(digit);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_disjoint_and_complete() {
        for table in super::super::texts::AREAS {
            let keys: Vec<&str> = table.iter().map(|(k, _, _)| *k).collect();
            let mut sorted = keys.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(
                keys, sorted,
                "each area's table is sorted by key, without duplicates"
            );
        }
        let mut every: Vec<&str> = super::super::texts::all().map(|(k, _, _)| *k).collect();
        let count = every.len();
        every.sort_unstable();
        every.dedup();
        assert_eq!(every.len(), count, "no key is in two areas");
        for (key, en, zh) in super::super::texts::all() {
            assert!(
                !en.is_empty() && !zh.is_empty(),
                "{key} needs both languages"
            );
            assert_eq!(Lang::En.t(key), *en, "{key} is found");
        }
    }

    #[test]
    fn every_key_used_in_templates_and_code_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sources = Vec::new();
        for folder in ["templates", "src/ui"] {
            for entry in std::fs::read_dir(root.join(folder)).expect("folder exists") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    continue;
                }
                sources.push((
                    path.clone(),
                    std::fs::read_to_string(&path).expect("readable"),
                ));
            }
        }
        let prefixes: Vec<String> = super::super::texts::all()
            .filter_map(|(k, _, _)| Some(format!("{}.", k.split_once('.')?.0)))
            .collect();
        for (path, text) in sources {
            // Keys are passed to `Lang::t` directly, or listed first as area.what literals.
            for piece in text.split('"') {
                let is_file = [".html", ".css", ".js"]
                    .iter()
                    .any(|ext| piece.ends_with(ext));
                let looks_like_key = !is_file
                    && prefixes.iter().any(|p| piece.starts_with(p.as_str()))
                    && piece.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'
                    });
                if looks_like_key || text.contains(&format!(".t(\"{piece}\")")) {
                    assert_ne!(
                        Lang::En.t(piece),
                        "?",
                        "{} uses missing text key `{piece}`",
                        path.display()
                    );
                }
            }
        }
    }

    #[test]
    fn language_comes_from_cookie_then_browser() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "accept-language",
            "zh-CN,zh;q=0.9,en;q=0.8".parse().expect("header"),
        );
        assert_eq!(Lang::negotiate(&headers), Lang::Zh);
        headers.insert("cookie", "a=b; panorama_lang=en".parse().expect("header"));
        assert_eq!(Lang::negotiate(&headers), Lang::En);
        assert_eq!(Lang::negotiate(&HeaderMap::new()), Lang::En);
        assert_eq!(Lang::Zh.number(1234567), "1,234,567");
    }
}
