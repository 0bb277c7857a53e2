//! `/metadata/events`: event definitions by group, named in the page's language; adding a custom
//! event (with an optional name in the other language) or an attribute; renaming is `names.rs`.

use super::format;
use super::page::{Chrome, PageError, render, see_other};
use crate::AppState;
use crate::app::event_definitions;
use crate::principal::{Principal, Role};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum_extra::extract::Form;
use panorama_core::metadata::{EventDefinitionPatch, NewEventAttribute, NewEventDefinition};
use serde::Deserialize;

/// Attribute rows offered by the "add event" form.
pub const NEW_EVENT_ATTRIBUTE_SLOTS: usize = 4;

/// One event definition as listed.
pub struct EventView {
    key: String,
    display_name: String,
    origin: &'static str,
    /// (machine name, display name, type)
    attributes: Vec<(String, String, &'static str)>,
}

/// The events of one group.
pub struct GroupView {
    key: String,
    label: String,
    icon: &'static str,
    events: Vec<EventView>,
}

#[derive(Template)]
#[template(path = "events.html")]
struct EventsPage {
    chrome: Chrome,
    total: usize,
    groups: Vec<GroupView>,
    types: Vec<(&'static str, &'static str)>,
    attribute_slots: Vec<usize>,
}

async fn page(state: &AppState, chrome: Chrome, status: StatusCode) -> Result<Response, PageError> {
    let lang = chrome.lang;
    let definitions = state
        .store
        .list_event_definitions()
        .await
        .map_err(|e| PageError::new(&chrome, e))?;
    let mut groups: Vec<GroupView> = Vec::new();
    for definition in &definitions {
        let group = definition.group.to_string();
        let view = EventView {
            key: definition.key.to_string(),
            display_name: definition.label(lang.language()).to_owned(),
            origin: if definition.preset {
                lang.t("attributes.preset")
            } else {
                lang.t("attributes.custom")
            },
            attributes: definition
                .attributes
                .iter()
                .map(|a| {
                    (
                        a.name.to_string(),
                        a.label(lang.language()).to_owned(),
                        format::type_name(lang, a.attribute_type),
                    )
                })
                .collect(),
        };
        match groups.iter_mut().find(|g| g.key == group) {
            Some(existing) => existing.events.push(view),
            None => groups.push(GroupView {
                label: group_label(lang, &group),
                icon: format::group_icon(&group),
                key: group,
                events: vec![view],
            }),
        }
    }
    let template = EventsPage {
        total: definitions.len(),
        groups,
        types: format::type_options(lang),
        attribute_slots: (1..=NEW_EVENT_ATTRIBUTE_SLOTS).collect(),
        chrome,
    };
    Ok(render(status, &template))
}

fn group_label(lang: super::i18n::Lang, group: &str) -> String {
    panorama_core::metadata::group_name(group, lang.language()).to_owned()
}

/// `GET /metadata/events`.
pub async fn list(State(state): State<AppState>, chrome: Chrome) -> Result<Response, PageError> {
    page(&state, chrome.at("metadata"), StatusCode::OK).await
}

/// The "add event" form; attribute rows arrive as repeated fields.
#[derive(Debug, Deserialize)]
pub struct EventForm {
    key: String,
    display_name: String,
    /// The name in the page's other language (optional).
    #[serde(default)]
    other_name: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    attribute_name: Vec<String>,
    #[serde(default)]
    attribute_type: Vec<String>,
}

/// `POST /metadata/events`.
pub async fn create(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Form(form): Form<EventForm>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("metadata");
    principal
        .check(Role::Admin)
        .map_err(|e| PageError::new(&chrome, e))?;
    let attributes = form
        .attribute_name
        .iter()
        .zip(form.attribute_type.iter())
        .filter(|(name, _)| !name.trim().is_empty())
        .map(|(name, kind)| NewEventAttribute {
            names: Default::default(),
            name: name.trim().to_owned(),
            display_name: None,
            attribute_type: kind.clone(),
        })
        .collect();
    let group = Some(form.group.trim().to_owned()).filter(|g| !g.is_empty());
    let new = NewEventDefinition {
        names: super::attributes::other_name(chrome.lang, &form.other_name),
        key: form.key.trim().to_owned(),
        display_name: form.display_name,
        group,
        attributes,
    };
    let created = event_definitions::create_event_definition(&state, &principal, &new)
        .await
        .map(drop);
    match created {
        Ok(_) => Ok(see_other("/metadata/events", "event_added")),
        Err(error) => {
            page(
                &state,
                chrome.with_error(&error),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// The "add attribute" form of one event.
#[derive(Debug, Deserialize)]
pub struct EventAttributeForm {
    name: String,
    #[serde(default)]
    display_name: String,
    attribute_type: String,
}

/// `POST /metadata/events/{key}/attributes`.
pub async fn add_attribute(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(key): Path<String>,
    Form(form): Form<EventAttributeForm>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("metadata");
    principal
        .check(Role::Admin)
        .map_err(|e| PageError::new(&chrome, e))?;
    let display_name = Some(form.display_name.trim().to_owned()).filter(|d| !d.is_empty());
    let patch = EventDefinitionPatch {
        add_attributes: vec![NewEventAttribute {
            names: Default::default(),
            name: form.name.trim().to_owned(),
            display_name,
            attribute_type: form.attribute_type,
        }],
        ..EventDefinitionPatch::default()
    };
    let updated = event_definitions::update_event_definition(&state, &principal, &key, &patch)
        .await
        .map(drop);
    match updated {
        Ok(_) => Ok(see_other("/metadata/events", "event_attribute_added")),
        Err(error) => {
            page(
                &state,
                chrome.with_error(&error),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
