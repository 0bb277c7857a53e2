//! Area 3 of the contact page: follower labels by official account and contact labels, as chips
//! with a remove cross, each row with an add form whose suggestions come from a `<datalist>`.
//! Every add and remove is a plain form post that redirects back (POST-redirect-GET). A contact
//! label typed that the catalog lacks is offered for creation (`?new_label=`), then created at the
//! top level of the catalog and put on. Past [`LABEL_CHIPS_SHOWN_MAX`] chips, "N labels in all >"
//! opens the rest.

use super::page::{Chrome, PageError, see_other};
use crate::AppState;
use crate::principal::{Principal, Role};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use panorama_core::contact::{ContactId, WriteContext};
use panorama_core::label::{FOLLOWER_LABELS_PER_FAN_MAX, LabelId, NewLabel, parse_id};
use panorama_core::{Error, Result, codes};
use serde::Deserialize;

/// Where label changes made on the pages are recorded as coming from.
const SOURCE: &str = "ui";

/// Contact label chips shown before "N labels in all >".
pub const LABEL_CHIPS_SHOWN_MAX: usize = 12;

/// One chip: a label on the contact.
pub struct ChipView {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) title: String,
}

/// The follower labels of the contact at one official account.
pub struct FanView {
    pub(crate) app_id: String,
    pub(crate) account_name: String,
    pub(crate) openid: String,
    pub(crate) following: bool,
    pub(crate) chips: Vec<ChipView>,
    pub(crate) suggestions: Vec<String>,
    pub(crate) full: bool,
}

/// The labels area of the contact page.
pub struct LabelsView {
    pub(crate) contact_id: String,
    /// The chips shown at once.
    pub(crate) chips: Vec<ChipView>,
    /// The chips "N labels in all >" opens.
    pub(crate) more: Vec<ChipView>,
    /// The number of contact labels shown and opened.
    pub(crate) total: usize,
    /// A typed label the catalog lacks, offered for creation.
    pub(crate) new_label: Option<String>,
    pub(crate) hidden: usize,
    pub(crate) suggestions: Vec<String>,
    pub(crate) fans: Vec<FanView>,
}

/// Build the area for one contact.
pub async fn area(
    state: &AppState,
    contact_id: ContactId,
    new_label: Option<String>,
) -> Result<LabelsView> {
    let catalog = state.store.label_catalog().await?;
    let carried = state.store.contact_labels(contact_id).await?;
    let (hidden, shown): (Vec<_>, Vec<_>) = carried.into_iter().partition(|l| l.hidden);
    let mut chips: Vec<ChipView> = shown
        .iter()
        .map(|label| ChipView {
            id: label.label_id.0,
            name: label.name.clone(),
            title: catalog.path(label),
        })
        .collect();
    let total = chips.len();
    let more = chips.split_off(total.min(LABEL_CHIPS_SHOWN_MAX));
    // Offered only while it is still unknown (a reload after creating it offers nothing).
    let new_label = new_label
        .map(|typed| typed.trim().to_owned())
        .filter(|typed| !typed.is_empty() && catalog.find(typed).is_none());
    let mut suggestions: Vec<String> = catalog
        .labels
        .iter()
        .filter(|l| !l.hidden && !shown.iter().any(|c| c.label_id == l.label_id))
        .map(|l| catalog.path(l))
        .collect();
    suggestions.sort();
    let mut fans = Vec::new();
    for fan in state.store.contact_fans(contact_id).await? {
        let offered = state.store.follower_labels(&fan.app_id).await?;
        fans.push(FanView {
            suggestions: offered
                .into_iter()
                .filter(|l| !fan.labels.iter().any(|c| c.label_id == l.label_id))
                .map(|l| l.name)
                .collect(),
            full: fan.labels.len() >= FOLLOWER_LABELS_PER_FAN_MAX,
            chips: fan
                .labels
                .iter()
                .map(|l| ChipView {
                    id: l.label_id,
                    name: l.name.clone(),
                    title: l.name.clone(),
                })
                .collect(),
            app_id: fan.app_id,
            account_name: fan.account_name,
            openid: fan.openid,
            following: fan.following,
        });
    }
    Ok(LabelsView {
        contact_id: contact_id.to_string(),
        chips,
        more,
        total,
        new_label,
        hidden: hidden.len(),
        suggestions,
        fans,
    })
}

/// The label routes of the contact page.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/contacts/{id}/labels", post(add))
        .route("/contacts/{id}/labels/{label_id}/remove", post(remove))
        .route("/contacts/{id}/follower-labels", post(add_follower))
        .route(
            "/contacts/{id}/follower-labels/{label_id}/remove",
            post(remove_follower),
        )
}

/// The add form: a label typed or picked from the suggestions.
#[derive(Debug, Deserialize)]
pub struct AddForm {
    #[serde(default)]
    label: String,
    #[serde(default)]
    app_id: String,
    /// `1` when the operator confirmed creating a label the catalog lacks.
    #[serde(default)]
    create: String,
}

fn back(contact_id: ContactId, notice: &str) -> Response {
    see_other(&format!("/contacts/{contact_id}"), notice)
}

async fn contact(state: &AppState, id: &str) -> Result<ContactId> {
    let contact_id = ContactId::parse(id).map_err(|_| Error::not_found("contact", id))?;
    state
        .store
        .get_contact(contact_id)
        .await?
        .ok_or_else(|| Error::not_found("contact", id))?;
    Ok(contact_id)
}

/// A refused label creation, in words: a taken name or a name the catalog refuses.
fn label_refusal(chrome: &Chrome, typed: &str, error: Error) -> Response {
    let key = match (error.kind, error.code) {
        (_, codes::DUPLICATE_NAME) => "contact_label.taken",
        (panorama_core::ErrorKind::Invalid, _) => "contact_label.invalid",
        _ => return PageError::new(chrome, error).into_response(),
    };
    refusal_page(chrome, key, typed)
}

/// The page saying in words why the label typed as `typed` was not put on.
fn refusal_page(chrome: &Chrome, key: &str, typed: &str) -> Response {
    let lang = chrome.lang;
    let page = super::page::ErrorPage {
        chrome: chrome.clone(),
        heading: lang.t("contact_label.refused"),
        message: lang.t(key).replace("{name}", typed),
    };
    super::page::render(axum::http::StatusCode::UNPROCESSABLE_ENTITY, &page)
}

fn unknown_label(typed: &str) -> Error {
    Error::invalid(
        codes::INVALID_VALUE,
        "no label has this name; create it on the labels page first",
        "label",
        typed,
    )
}

/// `POST /contacts/{id}/labels`: put the typed label on the contact.
pub async fn add(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<AddForm>,
) -> Result<Response, PageError> {
    let fail = |e| PageError::new(&chrome, e);
    principal.check(Role::Marketer).map_err(fail)?;
    let contact_id = contact(&state, &id).await.map_err(fail)?;
    let catalog = state.store.label_catalog().await.map_err(fail)?;
    let typed = form.label.trim();
    let label_id = match catalog.find(typed) {
        Some(label) => label.label_id,
        None if form.create == "1" => {
            let new = NewLabel {
                name: typed.to_owned(),
                group_id: None,
                hidden: false,
            };
            match state.store.create_label(&new).await {
                Ok(label) => label.label_id,
                Err(error) => return Ok(label_refusal(&chrome, typed, error)),
            }
        }
        None if typed.is_empty() => return Err(fail(unknown_label(typed))),
        // Ask before adding to the catalog, so a typing slip does not become a label.
        None => {
            let query = super::page::encode(typed);
            return Ok(axum::response::Redirect::to(&format!(
                "/contacts/{contact_id}?new_label={query}#labels"
            ))
            .into_response());
        }
    };
    let context = WriteContext::now(SOURCE);
    state
        .store
        .add_label(label_id, &[contact_id], &context)
        .await
        .map_err(fail)?;
    let notice = if form.create == "1" {
        "label_created_added"
    } else {
        "label_added"
    };
    Ok(back(contact_id, notice))
}

/// `POST /contacts/{id}/labels/{label_id}/remove`.
pub async fn remove(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path((id, label_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let fail = |e| PageError::new(&chrome, e);
    principal.check(Role::Marketer).map_err(fail)?;
    let contact_id = contact(&state, &id).await.map_err(fail)?;
    let label = LabelId::parse(&label_id, "label_id").map_err(fail)?;
    let context = WriteContext::now(SOURCE);
    state
        .store
        .remove_label(label, &[contact_id], &context)
        .await
        .map_err(fail)?;
    Ok(back(contact_id, "label_removed"))
}

/// `POST /contacts/{id}/follower-labels`: put the typed follower label of one account on the fan.
pub async fn add_follower(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<AddForm>,
) -> Result<Response, PageError> {
    let fail = |e| PageError::new(&chrome, e);
    principal.check(Role::Marketer).map_err(fail)?;
    let contact_id = contact(&state, &id).await.map_err(fail)?;
    let labels = state
        .store
        .follower_labels(&form.app_id)
        .await
        .map_err(fail)?;
    let typed = form.label.trim();
    let Some(label) = labels.iter().find(|l| l.name == typed) else {
        return Ok(refusal_page(
            &chrome,
            "contact_label.no_follower_label",
            typed,
        ));
    };
    let context = WriteContext::now(SOURCE);
    state
        .store
        .add_follower_label(contact_id, label.label_id, &context)
        .await
        .map_err(fail)?;
    Ok(back(contact_id, "label_added"))
}

/// `POST /contacts/{id}/follower-labels/{label_id}/remove`.
pub async fn remove_follower(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path((id, label_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let fail = |e| PageError::new(&chrome, e);
    principal.check(Role::Marketer).map_err(fail)?;
    let contact_id = contact(&state, &id).await.map_err(fail)?;
    let label = parse_id(&label_id, "label_id").map_err(fail)?;
    let context = WriteContext::now(SOURCE);
    state
        .store
        .remove_follower_label(contact_id, label, &context)
        .await
        .map_err(fail)?;
    Ok(back(contact_id, "label_removed"))
}
