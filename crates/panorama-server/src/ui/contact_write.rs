//! Contact writes made on the pages: the create form's record and an admin's inline edit of one
//! value. Both are parsed by core (`parse_text`, `ContactRecord`) and written by
//! `upsert_contacts`, the API's write path, so merges, `user_created` and `attribute_change`
//! events follow the same rules. Refusals are told in words, naming the attribute by its
//! display name (`form_error`).

use super::i18n::Lang;
use super::page::{Chrome, ErrorPage, PageError, render, see_other};
use crate::AppState;
use crate::principal::{Principal, Role};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use panorama_core::contact::{Contact, ContactId, ContactRecord, WriteContext};
use panorama_core::metadata::Schema;
use panorama_core::store::UpsertOutcome;
use panorama_core::value::{ParseOptions, parse_text};
use panorama_core::{Error, Result, codes};
use serde_json::Value as Json;

/// Where writes made on the pages are recorded as coming from.
pub const SOURCE: &str = "ui";

/// Code of the refusal to edit a contact's last key value, or a contact without keys, in place.
const NO_OTHER_KEY: &str = "no_other_key";

/// Parse typed fields (attribute name, text) into a record; blank fields are left out.
pub fn record_from_fields(
    schema: &Schema,
    fields: &[(String, String)],
    options: ParseOptions,
) -> Result<ContactRecord> {
    let mut record = ContactRecord::default();
    for (name, text) in fields.iter().filter(|(_, text)| !text.trim().is_empty()) {
        let def = schema.get(name).ok_or_else(|| {
            Error::invalid(codes::UNKNOWN_ATTRIBUTE, "unknown attribute", name, name)
        })?;
        record.add_value(def, parse_text(def, text, options)?)?;
    }
    record.finish(schema)?;
    Ok(record)
}

/// The record of an inline edit of `name` on `contact`: the contact's other key values as
/// stored, so that it resolves to this contact, and the typed value (blank clears it).
pub fn edit_record(
    schema: &Schema,
    contact: &Contact,
    name: &str,
    text: &str,
    options: ParseOptions,
) -> Result<ContactRecord> {
    let def = schema
        .get(name)
        .ok_or_else(|| Error::not_found("attribute", name))?;
    let mut record = ContactRecord::default();
    for key in schema.identities().filter(|key| key.name.as_str() != name) {
        match contact.attributes.get(key.name.as_str()) {
            None | Some(Json::Null) => {}
            Some(value) => record.add_value(key, Some(value.clone()))?,
        }
    }
    if record.values.is_empty() {
        // Without another key the write would find no contact, or another one.
        return Err(Error::invalid(
            NO_OTHER_KEY,
            "the contact has no other key value to be found by",
            name,
            text,
        ));
    }
    record.add_value(def, parse_text(def, text, options)?)?;
    record.finish(schema)?;
    Ok(record)
}

/// A refusal of a page write in words of `lang`, naming the attribute by its display name.
pub fn form_error(lang: Lang, schema: &Schema, error: &Error) -> String {
    let field = error.field.as_deref().unwrap_or_default();
    let label = schema
        .get(field)
        .map_or(field, |def| def.label(lang.language()));
    let value = error.value.as_deref().unwrap_or_default();
    let key = match (error.code, field) {
        (codes::NO_KEY_VALUE, _) => "contact_form.error_no_key",
        (NO_OTHER_KEY, _) => "contact_form.error_only_key",
        (codes::INVALID_MOBILE, _) | (codes::INVALID_VALUE, "mobile") => {
            "contact_form.error_mobile"
        }
        (codes::INVALID_EMAIL, _) | (codes::INVALID_VALUE, "email") => "contact_form.error_email",
        (codes::INVALID_VALUE, _) => "contact_form.error_invalid",
        (codes::VALUE_TOO_LONG, _) => "contact_form.error_too_long",
        (codes::CONTROL_CHARACTER, _) => "contact_form.error_control",
        (codes::NOT_NULLABLE, _) => "contact_form.error_required",
        _ => "contact_form.error_other",
    };
    lang.t(key)
        .replace("{label}", label)
        .replace("{value}", value)
}

/// Write one record through the store and record any merge it made in the audit log.
pub async fn write(
    state: &AppState,
    principal: &Principal,
    record: ContactRecord,
) -> Result<UpsertOutcome> {
    let outcome = state
        .store
        .upsert_contacts(std::slice::from_ref(&record), &WriteContext::now(SOURCE))
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| Error::internal("the store answered one upsert with no outcome"))?;
    let merged = [(outcome.contact.contact_id, outcome.merged.as_slice())];
    crate::app::merges::merges(state.store.as_ref(), principal, SOURCE, &merged).await?;
    Ok(outcome)
}

/// The inline edit form: the new value as typed.
#[derive(Debug, Default, serde::Deserialize)]
pub struct EditForm {
    #[serde(default)]
    value: String,
}

/// `POST /contacts/{id}/values/{name}`: an admin's edit of one value, written as any contact
/// write (so it leaves an `attribute_change` event). A refusal is shown in words.
pub async fn edit(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path((id, name)): Path<(String, String)>,
    form: std::result::Result<axum::Form<EditForm>, axum::extract::rejection::FormRejection>,
) -> std::result::Result<Response, PageError> {
    let chrome = chrome.at("contacts");
    let fail = |e| PageError::new(&chrome, e);
    principal.check(Role::Admin).map_err(fail)?;
    let contact_id = ContactId::parse(&id).map_err(|_| fail(Error::not_found("contact", &id)))?;
    let contact = state
        .store
        .get_contact(contact_id)
        .await
        .map_err(fail)?
        .ok_or_else(|| fail(Error::not_found("contact", &id)))?;
    let schema = state.schema().await.map_err(fail)?;
    // A post without the form reads as an empty value, as a cleared field does.
    let text = form.map(|axum::Form(f)| f.value).unwrap_or_default();
    let options = ParseOptions {
        default_country: state.settings.default_country,
    };
    let written = match edit_record(&schema, &contact, &name, &text, options) {
        Ok(record) => write(&state, &principal, record).await,
        Err(error) => Err(error),
    };
    match written {
        Ok(outcome) => Ok(see_other(
            &format!("/contacts/{}#attributes", outcome.contact.contact_id),
            "value_saved",
        )),
        Err(error) if error.kind == panorama_core::ErrorKind::Invalid => {
            let message = form_error(chrome.lang, &schema, &error);
            let heading = chrome.lang.t("contact_edit.refused");
            let page = ErrorPage {
                chrome,
                heading,
                message,
            };
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(error) => Err(fail(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use panorama_core::contact::Subscription;
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
    fn an_edit_carries_the_other_keys_and_the_parsed_value() {
        let schema = Schema::new(preset_attributes());
        let stored = contact(&[("mobile", "+8613812345678"), ("email", "a@example.com")]);
        let options = ParseOptions::default();
        let record = edit_record(&schema, &stored, "gender", "female", options).expect("valid");
        assert_eq!(record.values.get("gender"), Some(&Some(json!("female"))));
        assert_eq!(record.keys.len(), 2, "both stored keys find the contact");
        let record = edit_record(&schema, &stored, "email", "", options).expect("clears");
        assert_eq!(record.values.get("email"), Some(&None));
        let only = contact(&[("mobile", "+8613812345678")]);
        let refused = edit_record(&schema, &only, "mobile", "13900000000", options);
        let error = refused.expect_err("the only key cannot move");
        assert!(form_error(Lang::Zh, &schema, &error).contains("标识"));
    }

    #[test]
    fn refusals_name_the_attribute_in_the_page_language() {
        let schema = Schema::new(preset_attributes());
        let fields = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        let options = ParseOptions::default();
        let bad_mobile = record_from_fields(&schema, &fields(&[("mobile", "12")]), options);
        let message = form_error(Lang::Zh, &schema, &bad_mobile.expect_err("refused"));
        assert!(
            message.contains("手机号") && message.contains("12"),
            "{message}"
        );
        assert!(!message.contains("mobile"), "{message}");
        let no_key = record_from_fields(&schema, &fields(&[("name", "张伟")]), options);
        let message = form_error(Lang::En, &schema, &no_key.expect_err("refused"));
        assert!(message.contains("a mobile or an email"), "{message}");
        let record = record_from_fields(
            &schema,
            &fields(&[("name", "张伟"), ("mobile", "13812345678"), ("gender", "")]),
            options,
        )
        .expect("valid");
        assert_eq!(record.values.len(), 2, "blank fields are left out");
    }
}
