//! The audit log in words of the page's language: who acted (a user, an API key, the command
//! line), on what (a contact, an import, an attribute by its shown name, a user, a key) and the
//! entry's detail as a short phrase, so no stored code such as `metadata_change` or
//! `key:crm-sync` is shown as the sentence itself.

use super::i18n::Lang;
use super::page::encode;
use panorama_core::access::{AuditAction, Role};
use panorama_core::metadata::{EventDefinition, Schema};
use serde_json::Value as Json;

/// Who acted: the kind in words (none for a user, who is named alone) and the name as stored.
pub struct Actor {
    /// "API key", "Command line", ... in the page's language.
    pub kind: Option<&'static str>,
    /// The user's or key's name (data).
    pub name: String,
    /// The log filtered to this actor.
    pub href: String,
}

impl Actor {
    /// The actor in one line of words ("API 密钥 shop-sync"), for pages that do not link it.
    pub fn shown(&self) -> String {
        match (self.kind, self.name.is_empty()) {
            (Some(kind), true) => kind.to_owned(),
            (Some(kind), false) => format!("{kind} {}", self.name),
            (None, _) => self.name.clone(),
        }
    }
}

/// What the act was done to.
pub struct Target {
    /// "Contact", "Attribute “Gender”", ... in the page's language; empty when nothing.
    pub kind: String,
    /// An id or a name as stored (data), possibly empty.
    pub name: String,
    /// Where it can be seen, if anywhere.
    pub href: Option<String>,
}

/// The actor as stored (`ana`, `key:NAME`, `cli:NAME`, `local-admin`), in words.
pub fn actor(lang: Lang, stored: &str) -> Actor {
    let href = format!("/audit?actor={}", encode(stored));
    let (kind, name) = if let Some(name) = stored.strip_prefix("key:") {
        (Some(lang.t("audit.actor_key")), name)
    } else if let Some(name) = stored.strip_prefix("cli:") {
        (Some(lang.t("audit.actor_cli")), name)
    } else if stored == crate::principal::LOCAL_ADMIN {
        (Some(lang.t("audit.actor_local_admin")), "")
    } else {
        (None, stored)
    };
    Actor {
        kind,
        name: name.to_owned(),
        href,
    }
}

/// What the entry's target names, given the action and its detail.
pub fn target(
    lang: Lang,
    action: AuditAction,
    stored: Option<&str>,
    detail: &Json,
    schema: &Schema,
    events: &[EventDefinition],
) -> Target {
    let Some(stored) = stored else {
        return Target {
            kind: String::new(),
            name: String::new(),
            href: None,
        };
    };
    let plain = |key: &str, href: Option<String>| Target {
        kind: lang.t(key).to_owned(),
        name: stored.to_owned(),
        href,
    };
    match action {
        AuditAction::MetadataChange => {
            let (kind, name) = stored.split_once(':').unwrap_or(("", stored));
            let (key, shown) = match kind {
                "event" => (
                    "audit.target_event",
                    events
                        .iter()
                        .find(|d| d.key.as_str() == name)
                        .map(|d| d.label(lang.language()).to_owned()),
                ),
                _ => (
                    "audit.target_attribute",
                    schema
                        .get(name)
                        .map(|d| d.label(lang.language()).to_owned()),
                ),
            };
            Target {
                kind: lang
                    .t(key)
                    .replace("{name}", shown.as_deref().unwrap_or(name)),
                name: String::new(),
                href: None,
            }
        }
        AuditAction::ImportStart => Target {
            kind: lang.t("audit.target_import").to_owned(),
            name: detail["file_name"].as_str().unwrap_or(stored).to_owned(),
            href: Some(format!("/imports/{}", encode(stored))),
        },
        AuditAction::Delete if detail.get("import").is_some() => Target {
            kind: lang.t("audit.target_import").to_owned(),
            name: detail["file_name"].as_str().unwrap_or(stored).to_owned(),
            href: Some(format!("/imports/{}", encode(stored))),
        },
        AuditAction::Merge if detail.get("undo").is_some() => plain("audit.target_merge", None),
        AuditAction::Delete | AuditAction::Merge | AuditAction::Reveal => plain(
            "audit.target_contact",
            Some(format!("/contacts/{}", encode(stored))),
        ),
        AuditAction::ApiKeyCreate | AuditAction::ApiKeyRevoke => plain("audit.actor_key", None),
        _ => plain("audit.target_user", None),
    }
}

fn role(lang: Lang, value: &Json) -> Option<&'static str> {
    let role = Role::parse(value.as_str()?, "role").ok()?;
    Some(super::users::role_label(lang, role))
}

/// The entry's detail as short phrases joined by " · ".
pub fn detail(lang: Lang, action: AuditAction, detail: &Json, schema: &Schema) -> String {
    let mut parts: Vec<String> = Vec::new();
    let count = |key: &str, value: &Json| {
        value
            .as_u64()
            .map(|n| lang.t(key).replace("{count}", &lang.number(n)))
    };
    let yes_no = |value: bool| lang.t(if value { "common.yes" } else { "common.no" });
    let colon = if lang == Lang::En { ": " } else { "：" };
    match action {
        AuditAction::MetadataChange => {
            let key = match detail["change"].as_str() {
                Some("create") => "audit.change_create",
                Some("delete") => "audit.change_delete",
                _ => "audit.change_update",
            };
            parts.push(lang.t(key).to_owned());
        }
        AuditAction::Export | AuditAction::ImportStart => {
            parts.extend(count("audit.rows", &detail["rows"]));
            if detail["masked"].as_bool() == Some(true) {
                parts.push(lang.t("audit.masked").to_owned());
            }
        }
        AuditAction::Delete => {
            parts.extend(count("audit.contacts", &detail["contacts"]));
            if detail["forget_consent"].as_bool() == Some(true) {
                parts.push(lang.t("audit.forget_consent").to_owned());
            }
        }
        AuditAction::Merge => {
            if detail.get("undo").is_some() {
                parts.push(lang.t("audit.undo").to_owned());
            }
            let merged = detail["merged"].as_array().map(|m| m.len() as u64);
            parts.extend(merged.and_then(|n| count("audit.merged", &Json::from(n))));
        }
        AuditAction::Reveal => {
            if let Some(name) = detail["attribute"].as_str() {
                let shown = schema.get(name).map_or(name, |d| d.label(lang.language()));
                parts.push(lang.t("audit.revealed").replace("{name}", shown));
            }
        }
        AuditAction::ApiKeyCreate | AuditAction::ApiKeyRevoke | AuditAction::UserCreate => {
            parts.extend(
                role(lang, &detail["role"]).map(|r| format!("{}{colon}{r}", lang.t("users.role"))),
            );
        }
        AuditAction::UserChange => {
            if let (Some(from), Some(to)) = (
                role(lang, &detail["role"]["from"]),
                role(lang, &detail["role"]["to"]),
            ) {
                parts.push(format!("{}{colon}{from} → {to}", lang.t("users.role")));
            }
            if detail["password_changed"].as_bool() == Some(true) {
                parts.push(lang.t("audit.password_changed").to_owned());
            }
            if detail["sign_in_delays_lifted"].as_bool() == Some(true) {
                parts.push(lang.t("users.unlock").to_owned());
            }
        }
        AuditAction::SignInFailed => {
            if detail["delayed"].as_bool() == Some(true) {
                parts.push(lang.t("users.locked").to_owned());
            }
        }
        AuditAction::SignIn | AuditAction::SignOut => {}
    }
    if let (AuditAction::UserCreate | AuditAction::UserChange, Some(flag)) =
        (action, detail["may_reveal"].as_bool())
    {
        parts.push(format!(
            "{}{colon}{}",
            lang.t("users.may_reveal"),
            yes_no(flag)
        ));
    }
    parts.join(" · ")
}
