//! Area 2 of the contact page: the three subscription statuses with their effective values,
//! what last changed them, the consent history, and the confirmation page that changes one
//! channel. Turning a channel on asks for the source and the consent note; off for the source.

use super::clock::Clock;
use super::contact_name::source_label;
use super::i18n::Lang;
use super::page::{Chrome, PageError, render, see_other};
use crate::AppState;
use crate::principal::{Principal, Role};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use panorama_core::contact::{
    Channel, ConsentChange, ConsentEntry, Contact, ContactId, SubscriptionChange, parse_channel,
};
use panorama_core::mask::{AttributeMask, mask_text};
use panorama_core::{Error, Result};
use serde::Deserialize;

/// Consent history entries shown on the contact page.
pub const CONTACT_PAGE_HISTORY: u64 = 20;

/// One channel of the subscription card.
pub struct ChannelView {
    pub(crate) key: &'static str,
    pub(crate) label: &'static str,
    pub(crate) subscribed: bool,
    pub(crate) effective: bool,
    pub(crate) changed_at: String,
    pub(crate) changed_iso: String,
    pub(crate) source: String,
    pub(crate) action: &'static str,
    pub(crate) action_href: String,
}

/// One consent history entry.
pub struct HistoryView {
    pub(crate) at: String,
    pub(crate) at_iso: String,
    pub(crate) channel: &'static str,
    pub(crate) change: &'static str,
    pub(crate) change_key: &'static str,
    pub(crate) source: String,
    pub(crate) consent: String,
    pub(crate) actor: String,
}

/// The subscription area of the contact page.
pub struct SubscriptionView {
    pub(crate) channels: Vec<ChannelView>,
    /// "Undeliverable: a@b.c bounced on ..." when the current address bounced hard.
    pub(crate) bounce: Option<String>,
    pub(crate) history: Vec<HistoryView>,
}

fn channel_label(lang: Lang, channel: Channel) -> &'static str {
    lang.t(match channel {
        Channel::Global => "subscription.global",
        Channel::Email => "subscription.email",
        Channel::Mobile => "subscription.mobile",
    })
}

fn history_view(
    lang: Lang,
    clock: &Clock,
    entry: ConsentEntry,
    mask: &AttributeMask,
) -> HistoryView {
    // A consent note often quotes the address the person wrote from.
    let text = |text: String| {
        if mask.is_masked() {
            mask_text(&text).unwrap_or(text)
        } else {
            text
        }
    };
    let change_key = match entry.change {
        ConsentChange::Subscribed => "consent.subscribed",
        ConsentChange::Unsubscribed => "consent.unsubscribed",
        ConsentChange::Undeliverable => "consent.undeliverable",
    };
    HistoryView {
        at: clock.time(entry.at),
        at_iso: clock.iso(entry.at),
        channel: channel_label(lang, entry.channel),
        change: entry.change.as_str(),
        change_key: lang.t(change_key),
        source: text(source_label(lang, &entry.source)),
        consent: text(entry.consent.unwrap_or_default()),
        actor: entry.actor.unwrap_or_default(),
    }
}

/// Build the area for `contact` (as stored: deliverability compares real addresses), reading its
/// latest consent history; addresses are shown through `mask`, times on `clock`.
pub async fn area(
    state: &AppState,
    lang: Lang,
    clock: &Clock,
    contact: &Contact,
    mask: &AttributeMask,
) -> Result<SubscriptionView> {
    let history = state
        .store
        .consent_history(contact.contact_id, CONTACT_PAGE_HISTORY)
        .await?;
    let channels = Channel::ALL
        .into_iter()
        .map(|channel| {
            let status = contact.subscription.channel(channel);
            let to = if status.subscribed { "off" } else { "on" };
            ChannelView {
                key: channel.as_str(),
                label: channel_label(lang, channel),
                subscribed: status.subscribed,
                effective: contact.effective(channel),
                changed_at: clock.time(status.changed_at),
                changed_iso: clock.iso(status.changed_at),
                source: source_label(lang, &status.source),
                action: lang.t(if status.subscribed {
                    "consent.turn_off"
                } else {
                    "consent.turn_on"
                }),
                action_href: format!(
                    "/contacts/{}/subscription/{}?to={to}",
                    contact.contact_id,
                    channel.as_str()
                ),
            }
        })
        .collect();
    let bounce = contact.current_bounce().map(|bounce| {
        lang.t("consent.bounced")
            .replace(
                "{address}",
                &crate::app::mask::address(mask, &bounce.address),
            )
            .replace("{time}", &clock.time(bounce.at))
    });
    Ok(SubscriptionView {
        channels,
        bounce,
        history: history
            .into_iter()
            .map(|e| history_view(lang, clock, e, mask))
            .collect(),
    })
}

/// The subscription routes of the contact page.
pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/contacts/{id}/subscription/{channel}",
        get(confirm).post(change),
    )
}

/// Which way the confirmation turns the channel.
#[derive(Debug, Deserialize)]
pub struct Direction {
    to: Option<String>,
}

/// The confirmation form, as typed (kept when refused).
#[derive(Debug, Default, Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    subscribed: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    consent: String,
}

#[derive(Template)]
#[template(path = "subscription_confirm.html")]
struct ConfirmPage {
    chrome: Chrome,
    contact_id: String,
    name: String,
    channel: &'static str,
    channel_label: &'static str,
    turn_on: bool,
    question: String,
    source: String,
    consent: String,
}

async fn load(state: &AppState, chrome: &Chrome, id: &str) -> Result<Contact, PageError> {
    let fail = |e| PageError::new(chrome, e);
    let contact_id = ContactId::parse(id).map_err(|_| fail(Error::not_found("contact", id)))?;
    state
        .store
        .get_contact(contact_id)
        .await
        .map_err(fail)?
        .ok_or_else(|| fail(Error::not_found("contact", id)))
}

fn confirm_page(
    chrome: Chrome,
    contact: &Contact,
    channel: Channel,
    turn_on: bool,
    form: ChangeForm,
    status: StatusCode,
) -> Response {
    let lang = chrome.lang;
    let name = contact
        .attributes
        .get("name")
        .map(panorama_core::value::display)
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| super::contact_name::placeholder(lang, contact.contact_id));
    let question = lang
        .t(if turn_on {
            "consent.question_on"
        } else {
            "consent.question_off"
        })
        .replace("{channel}", channel_label(lang, channel))
        .replace("{name}", &name);
    let page = ConfirmPage {
        contact_id: contact.contact_id.to_string(),
        name,
        channel: channel.as_str(),
        channel_label: channel_label(lang, channel),
        turn_on,
        question,
        source: form.source,
        consent: form.consent,
        chrome,
    };
    render(status, &page)
}

/// `GET /contacts/{id}/subscription/{channel}?to=on|off`: ask for the source (and the consent
/// note when turning on) before anything changes.
pub async fn confirm(
    State(state): State<AppState>,
    chrome: Chrome,
    Path((id, channel)): Path<(String, String)>,
    Query(direction): Query<Direction>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("contacts");
    let contact = load(&state, &chrome, &id).await?;
    let channel = parse_channel(&channel).map_err(|e| PageError::new(&chrome, e))?;
    let turn_on = match direction.to.as_deref() {
        Some("on") => true,
        Some("off") => false,
        _ => !contact.subscription.channel(channel).subscribed,
    };
    let form = ChangeForm::default();
    Ok(confirm_page(
        chrome,
        &contact,
        channel,
        turn_on,
        form,
        StatusCode::OK,
    ))
}

/// `POST /contacts/{id}/subscription/{channel}`: record the change, or show the form again with
/// the reason (no source, no consent note).
pub async fn change(
    State(state): State<AppState>,
    chrome: Chrome,
    principal: Principal,
    Path((id, channel)): Path<(String, String)>,
    axum::Form(form): axum::Form<ChangeForm>,
) -> Result<Response, PageError> {
    let chrome = chrome.at("contacts");
    principal
        .check(Role::Marketer)
        .map_err(|e| PageError::new(&chrome, e))?;
    let contact = load(&state, &chrome, &id).await?;
    let channel = parse_channel(&channel).map_err(|e| PageError::new(&chrome, e))?;
    let turn_on = form.subscribed == "true";
    let parsed = SubscriptionChange::parse(
        channel.as_str(),
        turn_on,
        Some(&form.source),
        Some(&form.consent),
    );
    let result = match parsed {
        Ok(change) => state
            .store
            .change_subscription(contact.contact_id, &change, &principal.name)
            .await
            .map(|_| ()),
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => Ok(see_other(
            &format!("/contacts/{}", contact.contact_id),
            "subscription_changed",
        )),
        Err(error) if error.kind == panorama_core::ErrorKind::Invalid => {
            let chrome = chrome.with_error(&error);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(confirm_page(
                chrome, &contact, channel, turn_on, form, status,
            ))
        }
        Err(error) => Err(PageError::new(&chrome, error)),
    }
}
