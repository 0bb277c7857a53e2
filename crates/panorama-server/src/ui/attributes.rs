//! `/metadata/attributes`: the attribute definitions in the page's language, adding a custom one
//! (with an optional name in the other language), deleting; renaming is `names.rs`.

use super::format;
use super::page::{Chrome, PageError, render, see_other};
use crate::AppState;
use crate::app::metadata;
use crate::principal::{Principal, Role};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use panorama_core::Error;
use panorama_core::metadata::{NewAttribute, Translations};
use serde::Deserialize;

/// One row of the attributes table.
pub struct AttributeRow {
    name: String,
    display_name: String,
    kind: &'static str,
    length: String,
    key: bool,
    origin: &'static str,
    searchable: bool,
    sortable: bool,
    deletable: bool,
}

/// The add form, as typed (kept when it is refused, so nothing has to be typed twice).
#[derive(Debug, Deserialize)]
pub struct AttributeForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    display_name: String,
    /// The name in the page's other language (optional).
    #[serde(default)]
    other_name: String,
    #[serde(default)]
    attribute_type: String,
    #[serde(default)]
    max_length: String,
    #[serde(default)]
    enum_values: String,
    #[serde(default)]
    searchable: Option<String>,
    #[serde(default)]
    sortable: Option<String>,
}

impl Default for AttributeForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            display_name: String::new(),
            other_name: String::new(),
            attribute_type: "string".into(),
            max_length: String::new(),
            enum_values: String::new(),
            searchable: Some("true".into()),
            sortable: Some("true".into()),
        }
    }
}

#[derive(Template)]
#[template(path = "attributes.html")]
struct AttributesPage {
    chrome: Chrome,
    rows: Vec<AttributeRow>,
    types: Vec<(&'static str, &'static str)>,
    form: FormView,
}

struct FormView {
    name: String,
    display_name: String,
    other_name: String,
    attribute_type: String,
    max_length: String,
    enum_values: String,
    searchable: bool,
    sortable: bool,
}

async fn page(
    state: &AppState,
    chrome: Chrome,
    form: AttributeForm,
    status: StatusCode,
) -> Result<Response, PageError> {
    let lang = chrome.lang;
    let schema = state
        .schema()
        .await
        .map_err(|e| PageError::new(&chrome, e))?;
    let rows = schema
        .attributes()
        .iter()
        .map(|def| AttributeRow {
            name: def.name.to_string(),
            display_name: def.label(lang.language()).to_owned(),
            kind: format::type_name(lang, def.attribute_type),
            length: def.max_length.map(|l| l.to_string()).unwrap_or_default(),
            key: def.is_identity(),
            origin: if def.computed {
                lang.t("attributes.computed")
            } else if def.preset {
                lang.t("attributes.preset")
            } else {
                lang.t("attributes.custom")
            },
            searchable: def.searchable,
            sortable: def.sortable,
            deletable: !def.preset,
        })
        .collect();
    let form = FormView {
        searchable: form.searchable.is_some(),
        sortable: form.sortable.is_some(),
        name: form.name,
        display_name: form.display_name,
        other_name: form.other_name,
        attribute_type: form.attribute_type,
        max_length: form.max_length,
        enum_values: form.enum_values,
    };
    Ok(render(
        status,
        &AttributesPage {
            types: format::type_options(lang),
            chrome,
            rows,
            form,
        },
    ))
}

/// `GET /metadata/attributes`.
pub async fn list(State(state): State<AppState>, chrome: Chrome) -> Result<Response, PageError> {
    page(
        &state,
        chrome.at("metadata"),
        AttributeForm::default(),
        StatusCode::OK,
    )
    .await
}

/// `POST /metadata/attributes`: add a custom attribute, or show the form again with the reason.
pub async fn create(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Form(form): Form<AttributeForm>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("metadata");
    principal
        .check(Role::Admin)
        .map_err(|e| PageError::new(&chrome, e))?;
    let max_length = match form.max_length.trim() {
        "" => None,
        text => match text.parse() {
            Ok(length) => Some(length),
            Err(_) => {
                let error = Error::invalid(
                    panorama_core::codes::INVALID_VALUE,
                    "max_length must be a whole number",
                    "max_length",
                    text,
                );
                return page(
                    &state,
                    chrome.with_error(&error),
                    form,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
        },
    };
    let new = NewAttribute {
        name: form.name.trim().to_owned(),
        display_name: form.display_name.clone(),
        names: other_name(chrome.lang, &form.other_name),
        attribute_type: form.attribute_type.clone(),
        max_length: max_length.filter(|_| form.attribute_type == "string"),
        enum_values: form
            .enum_values
            .split([',', '，'])
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect(),
        searchable: Some(form.searchable.is_some()),
        sortable: Some(form.sortable.is_some()),
        ..NewAttribute::default()
    };
    let created = metadata::create_attribute(&state, &principal, &new)
        .await
        .map(drop);
    match created {
        Ok(_) => Ok(see_other("/metadata/attributes", "attribute_added")),
        Err(error) => {
            page(
                &state,
                chrome.with_error(&error),
                form,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `GET /metadata/attributes/{name}/delete`: ask first, naming what will be lost.
pub async fn confirm_delete(
    State(state): State<AppState>,
    chrome: Chrome,
    Path(name): Path<String>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("metadata");
    let lang = chrome.lang;
    let schema = state
        .schema()
        .await
        .map_err(|e| PageError::new(&chrome, e))?;
    let def = schema
        .check_delete(&name)
        .map_err(|e| PageError::new(&chrome, e))?
        .clone();
    let page = super::ConfirmPage {
        heading: lang.t("attributes.delete"),
        message: lang
            .t("attributes.delete_question")
            .replace("{name}", &format!("“{}”", def.label(lang.language()))),
        action: format!("/metadata/attributes/{}/delete", def.name),
        cancel: "/metadata/attributes".to_owned(),
        confirm_label: lang.t("common.delete"),
        chrome,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /metadata/attributes/{name}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(name): Path<String>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("metadata");
    principal
        .check(Role::Admin)
        .map_err(|e| PageError::new(&chrome, e))?;
    metadata::delete_attribute(&state, &principal, &name)
        .await
        .map_err(|e| PageError::new(&chrome, e))?;
    Ok(see_other("/metadata/attributes", "attribute_deleted"))
}

/// The name typed in the page's other language, as the definition's names (none when empty).
pub fn other_name(lang: super::i18n::Lang, typed: &str) -> Translations {
    let typed = Some(typed.trim().to_owned()).filter(|t| !t.is_empty());
    match lang {
        super::i18n::Lang::En => Translations {
            en: None,
            zh: typed,
        },
        super::i18n::Lang::Zh => Translations {
            en: typed,
            zh: None,
        },
    }
}
