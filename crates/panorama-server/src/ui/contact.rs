//! `/contacts/{id}`: the 360-degree view, and deleting a contact after confirmation. Values are
//! shown as the principal may read them (`contact_values.rs`).

#[path = "contact_values.rs"]
mod values;

use super::behaviour::{self, BehaviourParams, BehaviourView};
use super::format;
use super::page::{Chrome, PageError, render, see_other};
use crate::AppState;
use crate::app::mask::{attribute_mask, load_attribute_mask, masking};
use crate::principal::{Principal, Role};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use panorama_core::Error;
use panorama_core::contact::{Contact, ContactId};
use values::{AttributeView, Fact, ShownValues};

#[derive(Template)]
#[template(path = "contact.html")]
struct ContactPage {
    chrome: Chrome,
    contact_id: String,
    name: String,
    initials: String,
    categories: Vec<&'static str>,
    facts: Vec<Fact>,
    subscription: super::subscription::SubscriptionView,
    labels: super::labels::LabelsView,
    behaviour: BehaviourView,
    attributes: Vec<AttributeView>,
}

async fn load(state: &AppState, chrome: &Chrome, id: &str) -> Result<Contact, PageError> {
    let contact_id = ContactId::parse(id)
        .map_err(|_| PageError::new(chrome, Error::not_found("contact", id)))?;
    state
        .store
        .get_contact(contact_id)
        .await
        .map_err(|e| PageError::new(chrome, e))?
        .ok_or_else(|| PageError::new(chrome, Error::not_found("contact", id)))
}

/// `GET /contacts/{id}`.
pub async fn show(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(id): Path<String>,
    Query(params): Query<BehaviourParams>,
    Query(new_label): Query<NewLabelParam>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("contacts");
    let lang = chrome.lang;
    let contact = load(&state, &chrome, &id).await?;
    let fail = |e| PageError::new(&chrome, e);
    let schema = state.schema().await.map_err(fail)?;
    let clock = chrome.clock.clone();
    let masking = masking(&principal);
    let behaviour = behaviour::area(&state, lang, contact.contact_id, &params, &clock, masking)
        .await
        .map_err(fail)?;
    let values = ShownValues::new(lang, &clock, &schema, &contact, &principal);
    let mask = attribute_mask(&principal, &schema);
    let name = super::contact_name::shown_name(lang, &contact, &mask);
    let mut facts = values.facts();
    facts.extend([
        Fact {
            label: lang.t("contact.created").to_owned(),
            attribute: "created_at",
            value: clock.time(contact.created_at),
            reveal: false,
        },
        Fact {
            label: lang.t("contact.updated").to_owned(),
            attribute: "updated_at",
            value: clock.time(contact.updated_at),
            reveal: false,
        },
    ]);
    let subscription = super::subscription::area(&state, lang, &clock, &contact, &mask)
        .await
        .map_err(fail)?;
    let labels = super::labels::area(&state, contact.contact_id, new_label.new_label)
        .await
        .map_err(fail)?;
    let attributes = values.attributes(principal.role == Role::Admin);
    let template = ContactPage {
        contact_id: contact.contact_id.to_string(),
        initials: format::initials(&name),
        name,
        categories: contact
            .categories()
            .names()
            .into_iter()
            .map(|c| lang.t(category_key(c)))
            .collect(),
        facts,
        subscription,
        labels,
        behaviour,
        attributes,
        chrome,
    };
    Ok(render(StatusCode::OK, &template))
}

/// A label typed on this page that the catalog does not hold yet: the labels area offers to
/// create it (`labels.rs`).
#[derive(Debug, Default, serde::Deserialize)]
pub struct NewLabelParam {
    new_label: Option<String>,
}

fn category_key(name: &str) -> &'static str {
    match name {
        "real_name" => "tab.real_name",
        "wechat_fan" => "tab.wechat_fan",
        _ => "tab.anonymous",
    }
}

/// `GET /contacts/{id}/delete`: ask before deleting.
pub async fn confirm_delete(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("contacts");
    let contact = load(&state, &chrome, &id).await?;
    let lang = chrome.lang;
    let mask = load_attribute_mask(&state, &principal)
        .await
        .map_err(|e| PageError::new(&chrome, e))?;
    let name = super::contact_name::shown_name(lang, &contact, &mask);
    let page = DeletePage {
        message: lang.t("contact.delete_question").replace("{name}", &name),
        action: format!("/contacts/{}/delete", contact.contact_id),
        cancel: format!("/contacts/{}", contact.contact_id),
        // Deleting is for admins already; the choice is shown to them alone all the same, so
        // that a later change of who may delete does not hand out erasure with it.
        can_forget: principal.role == Role::Admin,
        chrome,
    };
    Ok(render(StatusCode::OK, &page))
}

/// The confirmation of a contact's deletion, with the admin's "also forget consent" choice.
#[derive(Template)]
#[template(path = "contact_delete.html")]
struct DeletePage {
    chrome: Chrome,
    message: String,
    action: String,
    cancel: String,
    can_forget: bool,
}

/// The deletion form: `forget_consent` is the "also forget consent" box.
#[derive(Debug, Default, serde::Deserialize)]
pub struct DeleteForm {
    forget_consent: Option<String>,
}

/// `POST /contacts/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(id): Path<String>,
    form: Result<axum::Form<DeleteForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, PageError> {
    principal
        .check(Role::Admin)
        .map_err(|e| PageError::new(&chrome, e))?;
    // A post without the form (no body) deletes without forgetting: the safe reading.
    let form = form.map(|axum::Form(form)| form).unwrap_or_default();
    let forget = form.forget_consent.is_some();
    let contact = load(&state, &chrome, &id).await?;
    crate::app::audit::delete_contact(state.store.as_ref(), &principal, contact.contact_id, forget)
        .await
        .map_err(|e| PageError::new(&chrome, e))?;
    Ok(see_other("/contacts", "contact_deleted"))
}
