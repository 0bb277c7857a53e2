//! `/contacts/new`: the "Create contact" form with the key attributes. It writes through the
//! API's path (`contact_write.rs`) and opens the contact; a refusal shows the form again with the
//! typed values and the reason in words.

use super::contact_write::{self, record_from_fields};
use super::i18n::Lang;
use super::page::{Chrome, PageError, render, see_other};
use crate::AppState;
use crate::principal::{Principal, Role};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use panorama_core::contact::UpsertAction;
use panorama_core::metadata::{AttributeType, Schema};
use panorama_core::value::ParseOptions;
use std::collections::HashMap;
use std::sync::Arc;

/// The attributes the form asks for, in order (those the schema holds).
pub const FORM_ATTRIBUTES: [&str; 10] = [
    "name",
    "mobile",
    "email",
    "wechat_nickname",
    "gender",
    "birthday",
    "province",
    "city",
    "company",
    "member_level",
];

/// One field of the form.
pub struct Field {
    pub(crate) name: String,
    pub(crate) label: String,
    /// `select`, `date`, `email`, `tel` or `text`.
    pub(crate) input: &'static str,
    pub(crate) options: Vec<(String, String)>,
    pub(crate) value: String,
}

#[derive(Template)]
#[template(path = "contact_new.html")]
struct NewContactPage {
    chrome: Chrome,
    fields: Vec<Field>,
}

/// The form's fields for `schema`, filled with `typed`.
pub fn fields(lang: Lang, schema: &Schema, typed: &HashMap<String, String>) -> Vec<Field> {
    let language = lang.language();
    FORM_ATTRIBUTES
        .iter()
        .filter_map(|name| schema.get(name))
        .map(|def| {
            let name = def.name.as_str();
            let (input, options) = match (def.attribute_type, name) {
                (AttributeType::Enum, _) => (
                    "select",
                    def.enum_values
                        .iter()
                        .map(|v| (v.clone(), def.value_label(v, language).to_owned()))
                        .collect(),
                ),
                (AttributeType::Date, _) => ("date", Vec::new()),
                (_, "email") => ("email", Vec::new()),
                (_, "mobile") => ("tel", Vec::new()),
                _ => ("text", Vec::new()),
            };
            Field {
                name: name.to_owned(),
                label: def.label(language).to_owned(),
                input,
                options,
                value: typed.get(name).cloned().unwrap_or_default(),
            }
        })
        .collect()
}

async fn schema(state: &AppState, chrome: &Chrome) -> Result<Arc<Schema>, PageError> {
    state.schema().await.map_err(|e| PageError::new(chrome, e))
}

/// `GET /contacts/new`.
pub async fn form(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
) -> Result<Response, PageError> {
    let chrome = chrome.at("contacts");
    principal
        .check(Role::Marketer)
        .map_err(|e| PageError::new(&chrome, e))?;
    let schema = schema(&state, &chrome).await?;
    let page = NewContactPage {
        fields: fields(chrome.lang, &schema, &HashMap::new()),
        chrome,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /contacts/new`: create (or, when a key value is known, update) the contact and open it.
pub async fn create(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    form: Result<axum::Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("contacts");
    principal
        .check(Role::Marketer)
        .map_err(|e| PageError::new(&chrome, e))?;
    let schema = schema(&state, &chrome).await?;
    // Only the form's own attributes are written: a crafted field cannot reach others.
    let typed: Vec<(String, String)> = form
        .map(|axum::Form(pairs)| pairs)
        .unwrap_or_default()
        .into_iter()
        .filter(|(name, _)| FORM_ATTRIBUTES.contains(&name.as_str()))
        .collect();
    let options = ParseOptions {
        default_country: state.settings.default_country,
    };
    let written = match record_from_fields(&schema, &typed, options) {
        Ok(record) => contact_write::write(&state, &principal, record).await,
        Err(error) => Err(error),
    };
    match written {
        Ok(outcome) => {
            let notice = if outcome.action == UpsertAction::Created {
                "contact_created"
            } else {
                "contact_matched"
            };
            let path = format!("/contacts/{}", outcome.contact.contact_id);
            Ok(see_other(&path, notice))
        }
        Err(error) if error.kind == panorama_core::ErrorKind::Invalid => {
            let mut chrome = chrome;
            chrome.error = Some(contact_write::form_error(chrome.lang, &schema, &error));
            let typed: HashMap<String, String> = typed.into_iter().collect();
            let page = NewContactPage {
                fields: fields(chrome.lang, &schema, &typed),
                chrome,
            };
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(error) => Err(PageError::new(&chrome, error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use panorama_core::metadata::preset_attributes;

    #[test]
    fn the_form_asks_in_the_page_language_and_keeps_what_was_typed() {
        let schema = Schema::new(preset_attributes());
        let typed: HashMap<String, String> = [("mobile".to_owned(), "139".to_owned())].into();
        let fields = fields(Lang::Zh, &schema, &typed);
        let field = |name: &str| fields.iter().find(|f| f.name == name).expect("a field");
        assert_eq!(field("name").label, "姓名");
        assert_eq!(field("mobile").value, "139");
        assert_eq!(field("mobile").input, "tel");
        let gender = field("gender");
        assert_eq!(gender.input, "select");
        assert!(
            gender
                .options
                .contains(&("male".to_owned(), "男".to_owned()))
        );
    }
}
