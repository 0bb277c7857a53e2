//! `/metadata/attributes/{name}` and `/metadata/events/{key}`: an attribute's or an event's
//! name in English and in Chinese, with the names of its choices (enum values) or of its event
//! attributes. Presets and custom definitions alike; saved through the same patches, store calls
//! and audit entries as the API's `names`, `value_names` and `attribute_names`.

use super::page::{Chrome, PageError, render, see_other};
use crate::AppState;
use crate::app::{event_definitions, metadata};
use crate::principal::{Principal, Role};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use panorama_core::metadata::{AttributePatch, EventDefinitionPatch, Language, Translations};
use panorama_core::{Error, Result};
use std::collections::BTreeMap;

/// One part's names: a choice of an attribute or an attribute of an event.
pub struct PartNames {
    key: String,
    en: String,
    zh: String,
}

#[derive(Template)]
#[template(path = "names.html")]
struct NamesPage {
    chrome: Chrome,
    /// "Attribute names" or "Event names", with the definition's shown name.
    heading: String,
    machine: String,
    action: String,
    back: &'static str,
    en: String,
    zh: String,
    /// The legend of the parts' names, empty when there are none.
    parts_heading: &'static str,
    /// The prefix of the parts' fields (`value`, `attribute`).
    prefix: &'static str,
    parts: Vec<PartNames>,
}

/// Both names of `names`, each falling back to `fallback` (what the page shows without one).
fn both(names: &Translations, fallback: &str) -> (String, String) {
    let shown = |language| names.get(language).unwrap_or(fallback).to_owned();
    (shown(Language::En), shown(Language::Zh))
}

/// The form as sent: `name_en`, `name_zh`, and `{prefix}_en:{part}`, `{prefix}_zh:{part}`.
struct Sent {
    names: Translations,
    parts: BTreeMap<String, Translations>,
}

fn sent(fields: &[(String, String)], prefix: &str) -> Sent {
    let mut out = Sent {
        names: Translations::default(),
        parts: BTreeMap::new(),
    };
    for (field, value) in fields {
        let value = Some(value.trim().to_owned());
        match field.as_str() {
            "name_en" => out.names.en = value,
            "name_zh" => out.names.zh = value,
            other => {
                let Some(rest) = other.strip_prefix(prefix) else {
                    continue;
                };
                if let Some(part) = rest.strip_prefix("_en:") {
                    out.parts.entry(part.to_owned()).or_default().en = value;
                } else if let Some(part) = rest.strip_prefix("_zh:") {
                    out.parts.entry(part.to_owned()).or_default().zh = value;
                }
            }
        }
    }
    out
}

async fn attribute_page(
    state: &AppState,
    chrome: Chrome,
    name: &str,
    status: StatusCode,
) -> Result<Response> {
    let lang = chrome.lang;
    let schema = state.schema().await?;
    let def = schema
        .get(name)
        .ok_or_else(|| Error::not_found("attribute", name))?;
    let (en, zh) = both(&def.names, &def.display_name);
    let parts = def
        .enum_values
        .iter()
        .map(|value| PartNames {
            key: value.clone(),
            en: def.value_label(value, Language::En).to_owned(),
            zh: def.value_label(value, Language::Zh).to_owned(),
        })
        .collect();
    let page = NamesPage {
        heading: lang
            .t("names.attribute_heading")
            .replace("{name}", def.label(lang.language())),
        machine: def.name.to_string(),
        action: format!("/metadata/attributes/{}", def.name),
        back: "/metadata/attributes",
        en,
        zh,
        parts_heading: lang.t("names.values"),
        prefix: "value",
        parts,
        chrome,
    };
    Ok(render(status, &page))
}

/// `GET /metadata/attributes/{name}`: the names form of one attribute.
pub async fn attribute(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(name): Path<String>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("metadata");
    attribute_page(&state, chrome.clone(), &name, StatusCode::OK)
        .await
        .map_err(|e| PageError::new(&chrome, e))
}

/// `POST /metadata/attributes/{name}`: save its names and its choices' names.
pub async fn save_attribute(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(name): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("metadata");
    principal
        .check(Role::Admin)
        .map_err(|e| PageError::new(&chrome, e))?;
    let sent = sent(&fields, "value");
    let patch = AttributePatch {
        names: Some(sent.names),
        value_names: Some(sent.parts).filter(|parts| !parts.is_empty()),
        ..AttributePatch::default()
    };
    let saved = metadata::update_attribute(&state, &principal, &name, &patch)
        .await
        .map(drop);
    let failed = match saved {
        Ok(()) => return Ok(see_other("/metadata/attributes", "attribute_saved")),
        Err(error) => chrome.clone().with_error(&error),
    };
    attribute_page(&state, failed, &name, StatusCode::UNPROCESSABLE_ENTITY)
        .await
        .map_err(|e| PageError::new(&chrome, e))
}

async fn event_page(
    state: &AppState,
    chrome: Chrome,
    key: &str,
    status: StatusCode,
) -> Result<Response> {
    let lang = chrome.lang;
    let definition = state
        .store
        .list_event_definitions()
        .await?
        .into_iter()
        .find(|d| d.key.as_str() == key)
        .ok_or_else(|| Error::not_found("event definition", key))?;
    let (en, zh) = both(&definition.names, &definition.display_name);
    let parts = definition
        .attributes
        .iter()
        .map(|attribute| {
            let (en, zh) = both(&attribute.names, &attribute.display_name);
            PartNames {
                key: attribute.name.to_string(),
                en,
                zh,
            }
        })
        .collect();
    let page = NamesPage {
        heading: lang
            .t("names.event_heading")
            .replace("{name}", definition.label(lang.language())),
        machine: definition.key.to_string(),
        action: format!("/metadata/events/{}", definition.key),
        back: "/metadata/events",
        en,
        zh,
        parts_heading: lang.t("names.event_attributes"),
        prefix: "attribute",
        parts,
        chrome,
    };
    Ok(render(status, &page))
}

/// `GET /metadata/events/{key}`: the names form of one event definition.
pub async fn event(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("metadata");
    event_page(&state, chrome.clone(), &key, StatusCode::OK)
        .await
        .map_err(|e| PageError::new(&chrome, e))
}

/// `POST /metadata/events/{key}`: save its names and its attributes' names.
pub async fn save_event(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(key): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("metadata");
    principal
        .check(Role::Admin)
        .map_err(|e| PageError::new(&chrome, e))?;
    let sent = sent(&fields, "attribute");
    let patch = EventDefinitionPatch {
        names: Some(sent.names),
        attribute_names: sent.parts,
        ..EventDefinitionPatch::default()
    };
    let saved = event_definitions::update_event_definition(&state, &principal, &key, &patch)
        .await
        .map(drop);
    let failed = match saved {
        Ok(()) => return Ok(see_other("/metadata/events", "event_saved")),
        Err(error) => chrome.clone().with_error(&error),
    };
    event_page(&state, failed, &key, StatusCode::UNPROCESSABLE_ENTITY)
        .await
        .map_err(|e| PageError::new(&chrome, e))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_form_splits_into_names_and_parts() {
        let fields: Vec<(String, String)> = [
            ("name_en", "Sex"),
            ("name_zh", " 性别 "),
            ("value_en:male", "Man"),
            ("value_zh:male", "男士"),
            ("other", "x"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let sent = super::sent(&fields, "value");
        assert_eq!(sent.names.zh.as_deref(), Some("性别"));
        assert_eq!(sent.parts["male"].en.as_deref(), Some("Man"));
        assert_eq!(sent.parts.len(), 1);
    }
}
